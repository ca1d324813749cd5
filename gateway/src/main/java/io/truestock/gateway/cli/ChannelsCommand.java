package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code truestock channels}: {@code GET /v1/channels}. */
@Command(name = "channels", mixinStandardHelpOptions = true,
    description = "List the channels and the rules that set what each one shows.",
    footer = {"", "Example:", "  truestock channels --token-file data/admin.token"})
public final class ChannelsCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Override
    public Integer call()
    {
        final Remote.Answer answer = remote.get("/v1/channels");
        if (remote.json())
        {
            remote.printJson(answer);
            return 0;
        }
        final Table table = new Table("CHANNEL", "NAME", "LOCATIONS", "PERCENT", "BUFFER", "MAX LISTED", "LOW STOCK");
        for (final JsonNode channel : answer.json().path("items"))
        {
            final JsonNode locations = channel.path("locations");
            table.row(Text.of(channel, "id"), Text.of(channel, "name"),
                locations.isEmpty() ? "(all)" : Text.list(locations), Text.of(channel, "percent"),
                Text.of(channel, "buffer"), channel.path("max_listed").isNull() ? "-" : Text.of(channel, "max_listed"),
                Text.of(channel, "low_stock_threshold"));
        }
        table.print(remote.out());
        return 0;
    }
}
