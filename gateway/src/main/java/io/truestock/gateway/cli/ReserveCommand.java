package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code truestock reserve --channel C SKU:QTY...}: {@code POST /v1/reservations}. */
@Command(name = "reserve", mixinStandardHelpOptions = true,
    description = "Hold units for a while on a channel: all lines or none.",
    footer = {"", "Example:", "  truestock reserve --channel shopify trail-shoe-black-m:2 kit-0:1 --ttl 600"})
public final class ReserveCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Option(names = "--channel", required = true, description = "the channel id")
    String channel;

    @Option(names = "--ttl", paramLabel = "SECONDS", description = "how long the hold lasts (default 900)")
    Integer ttlSeconds;

    @Parameters(arity = "1..*", paramLabel = "SKU:QTY", description = "the lines, each a SKU and a quantity")
    List<String> lines;

    @Override
    public Integer call()
    {
        final ObjectNode body = Remote.JSON.createObjectNode().put("channel", channel);
        final ArrayNode items = body.putArray("lines");
        for (final String line : lines)
        {
            final int colon = line.lastIndexOf(':');
            final long qty;
            try
            {
                qty = colon > 0 ? Long.parseLong(line.substring(colon + 1)) : -1;
            }
            catch (final NumberFormatException ex)
            {
                throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "'" + line + "' is not SKU:QTY");
            }
            if (colon <= 0)
            {
                throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "'" + line + "' is not SKU:QTY");
            }
            items.addObject().put("sku", line.substring(0, colon)).put("qty", qty);
        }
        if (ttlSeconds != null)
        {
            body.put("ttl_seconds", ttlSeconds);
        }
        final Remote.Answer answer = remote.exchange("POST", "/v1/reservations",
            java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()), "application/json");
        if (answer.status() == 409 && !remote.json())
        {
            final JsonNode problem = answer.json();
            if (problem.path("lines").isArray())
            {
                final Table shortLines = new Table("SKU", "REQUESTED", "AVAILABLE");
                for (final JsonNode row : problem.path("lines"))
                {
                    shortLines.row(Text.of(row, "sku"), Text.of(row, "requested"), Text.of(row, "available"));
                }
                shortLines.print(remote.err());
            }
        }
        if (answer.status() >= 400)
        {
            throw remote.refusal(answer);
        }
        if (remote.json())
        {
            remote.printJson(answer);
            return 0;
        }
        final JsonNode reservation = answer.json();
        remote.out().println("reservation " + Text.of(reservation, "id") + " " + Text.of(reservation, "status") +
            " on " + Text.of(reservation, "channel") + " until " + Text.of(reservation, "expires_at") + " (version " +
            Text.of(reservation, "version") + ")");
        final Table table = new Table("SKU", "QTY");
        for (final JsonNode row : reservation.path("lines"))
        {
            table.row(Text.of(row, "sku"), Text.of(row, "qty"));
        }
        table.print(remote.out());
        return 0;
    }
}
