package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code truestock channel-sync CHANNEL}: {@code GET /v1/channels/{id}/sync}. */
@Command(name = "channel-sync", mixinStandardHelpOptions = true,
    description = "Show a channel connector's state: updates pending and in flight, lag, retries and dead letters.",
    footer = {"", "Example:", "  truestock channel-sync shopify --token-file data/admin.token"})
public final class ChannelSyncCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "CHANNEL", description = "the channel id")
    String channel;

    @Override
    public Integer call()
    {
        final Remote.Answer answer = remote.get("/v1/channels/" + Remote.encode(channel) + "/sync");
        if (remote.json())
        {
            remote.printJson(answer);
            return 0;
        }
        final JsonNode sync = answer.json();
        final Table table = new Table("FIELD", "VALUE");
        for (final String field : new String[] {"channel", "connector", "pending", "in_flight", "dead", "lag_ms",
            "requests", "acked", "retries", "dead_letters_total", "version"})
        {
            table.row(field, Text.of(sync, field));
        }
        table.print(remote.out());
        final Table letters = new Table("SKU", "QTY", "VERSION", "ATTEMPTS", "ERROR");
        for (final JsonNode letter : sync.path("dead_letters"))
        {
            letters.row(Text.of(letter, "sku"), Text.of(letter, "qty"), Text.of(letter, "version"),
                Text.of(letter, "attempts"), Text.of(letter, "error"));
        }
        if (letters.size() > 0)
        {
            remote.out().println();
            letters.print(remote.out());
        }
        return 0;
    }
}
