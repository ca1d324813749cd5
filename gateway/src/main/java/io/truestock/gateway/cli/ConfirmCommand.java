package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code truestock confirm RESERVATION ORDER_ID}: {@code POST /v1/reservations/{id}/confirm}. */
@Command(name = "confirm", mixinStandardHelpOptions = true,
    description = "Confirm a held reservation into an order: its units become committed and ship from the " +
        "locations shown.",
    footer = {"", "Example:", "  truestock confirm r-42 order-1001 --country US --postal-code 94103"})
public final class ConfirmCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "RESERVATION", description = "the reservation id")
    String reservation;

    @Parameters(index = "1", paramLabel = "ORDER_ID", description = "the order id to create")
    String orderId;

    @Option(names = "--country", description = "destination country, ISO 3166-1 alpha-2")
    String country;

    @Option(names = "--postal-code", description = "destination postal code")
    String postalCode;

    @Override
    public Integer call()
    {
        final ObjectNode body = Remote.JSON.createObjectNode().put("order_id", orderId);
        if (country != null || postalCode != null)
        {
            final ObjectNode destination = body.putObject("destination");
            if (country != null)
            {
                destination.put("country", country);
            }
            if (postalCode != null)
            {
                destination.put("postal_code", postalCode);
            }
        }
        final Remote.Answer answer = remote.send("POST",
            "/v1/reservations/" + Remote.encode(reservation) + "/confirm", body);
        if (remote.json())
        {
            remote.printJson(answer);
            return 0;
        }
        final JsonNode order = answer.json();
        remote.out().println("order " + Text.of(order, "order_id") + " " + Text.of(order, "status") + " (version " +
            Text.of(order, "version") + ")");
        final Table lines = new Table("SKU", "QTY", "PRICE");
        for (final JsonNode row : order.path("lines"))
        {
            lines.row(Text.of(row, "sku"), Text.of(row, "qty"), Text.money(row.path("price")));
        }
        lines.print(remote.out());
        final Table shipments = new Table("SHIPS FROM", "LINES", "DELIVERY");
        for (final JsonNode shipment : order.path("shipments"))
        {
            final StringBuilder shipped = new StringBuilder();
            for (final JsonNode line : shipment.path("lines"))
            {
                shipped.append(shipped.length() == 0 ? "" : ",").append(Text.of(line, "sku")).append(':')
                    .append(Text.of(line, "qty"));
            }
            final JsonNode delivery = shipment.path("delivery");
            shipments.row(Text.of(shipment, "location"), shipped, delivery.isObject() ?
                Text.of(delivery, "earliest") + " .. " + Text.of(delivery, "latest") : "");
        }
        if (shipments.size() > 0)
        {
            remote.out().println();
            shipments.print(remote.out());
        }
        return 0;
    }
}
