package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code truestock stock SKU}: a SKU's quantities per location and what each channel shows. */
@Command(name = "stock", mixinStandardHelpOptions = true,
    description = "Show a SKU's stock per location (on hand, reserved, committed, safety, available) and what each " +
        "channel shows for it.",
    footer = {"", "Example:", "  truestock stock trail-shoe-black-m --url http://127.0.0.1:8080 --token-file data/admin.token"})
public final class StockCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "SKU", description = "the SKU id")
    String sku;

    @Override
    public Integer call()
    {
        final Remote.Answer answer = remote.get("/v1/skus/" + Remote.encode(sku));
        if (remote.json())
        {
            remote.printJson(answer);
            return 0;
        }
        final JsonNode body = answer.json();
        final PrintWriter out = remote.out();
        out.println(Text.of(body, "sku") + "  " + Text.of(body, "title") + "  " + Text.money(body.path("price")) +
            (body.path("bundle").asBoolean() ? "  (bundle)" : "") + "  version " + Text.of(body, "version"));
        out.println();
        final Table locations = new Table("LOCATION", "ON HAND", "RESERVED", "COMMITTED", "SAFETY", "AVAILABLE");
        for (final JsonNode row : body.path("locations"))
        {
            locations.row(Text.of(row, "location"), Text.of(row, "on_hand"), Text.of(row, "reserved"),
                Text.of(row, "committed"), Text.of(row, "safety"), Text.of(row, "available"));
        }
        locations.print(out);
        out.println();
        final Table channels = new Table("CHANNEL", "AVAILABLE", "STATUS", "PRICE");
        for (final JsonNode row : body.path("channels"))
        {
            channels.row(Text.of(row, "channel"), Text.of(row, "available"), Text.of(row, "status"),
                Text.money(row.path("price")));
        }
        channels.print(out);
        return 0;
    }
}
