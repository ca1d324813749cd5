package io.truestock.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.net.http.HttpRequest;
import java.util.concurrent.Callable;

/** {@code truestock reconcile CHANNEL}: {@code POST /v1/channels/{id}/reconcile}. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = "Queue an update for every SKU whose value the channel acknowledged differs from the engine's.",
    footer = {"", "Example:", "  truestock reconcile shopify --token-file data/admin.token"})
public final class ReconcileCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "CHANNEL", description = "the channel id")
    String channel;

    @Override
    public Integer call()
    {
        final Remote.Answer answer = remote.call("POST", "/v1/channels/" + Remote.encode(channel) + "/reconcile",
            HttpRequest.BodyPublishers.noBody(), null);
        if (remote.json())
        {
            remote.printJson(answer);
            return 0;
        }
        final var result = answer.json();
        remote.out().println("channel " + Text.of(result, "channel") + ": " + Text.of(result, "queued") +
            " updates queued (version " + Text.of(result, "version") + ")");
        remote.out().flush();
        return 0;
    }
}
