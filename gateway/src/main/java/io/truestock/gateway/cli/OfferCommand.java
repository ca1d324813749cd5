package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code truestock offer SKU --channel C}: {@code GET /v1/offers/{sku}}. */
@Command(name = "offer", mixinStandardHelpOptions = true,
    description = "Show what a channel can sell of a SKU: availability, price, the delivery promise for a " +
        "destination and a quote.",
    footer = {"", "Example:", "  truestock offer trail-shoe-black-m --channel shopify --qty 2 --country US --postal-code 94103"})
public final class OfferCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "SKU", description = "the SKU id")
    String sku;

    @Option(names = "--channel", required = true, description = "the channel id")
    String channel;

    @Option(names = "--qty", description = "units wanted (default 1)")
    Long qty;

    @Option(names = "--country", description = "destination country, ISO 3166-1 alpha-2")
    String country;

    @Option(names = "--postal-code", description = "destination postal code")
    String postalCode;

    @Override
    public Integer call()
    {
        final StringBuilder path = new StringBuilder("/v1/offers/").append(Remote.encode(sku))
            .append("?channel=").append(Remote.encode(channel));
        if (qty != null)
        {
            path.append("&qty=").append(qty);
        }
        if (country != null)
        {
            path.append("&country=").append(Remote.encode(country));
        }
        if (postalCode != null)
        {
            path.append("&postal_code=").append(Remote.encode(postalCode));
        }
        final Remote.Answer answer = remote.get(path.toString());
        if (remote.json())
        {
            remote.printJson(answer);
            return 0;
        }
        final JsonNode offer = answer.json();
        final Table table = new Table("FIELD", "VALUE")
            .row("sku", Text.of(offer, "sku"))
            .row("channel", Text.of(offer, "channel"))
            .row("qty", Text.of(offer, "qty"))
            .row("available", Text.of(offer, "available"))
            .row("status", Text.of(offer, "status"))
            .row("price", Text.money(offer.path("price")));
        final JsonNode delivery = offer.path("delivery");
        if (delivery.isObject())
        {
            table.row("delivery", Text.of(delivery, "earliest") + " .. " + Text.of(delivery, "latest"))
                .row("ships from", Text.of(delivery, "location") + " by " + Text.of(delivery, "carrier") + " " +
                    Text.of(delivery, "service"))
                .row("order by", Text.of(delivery, "order_by"));
        }
        else
        {
            table.row("delivery", offer.hasNonNull("delivery_reason") ? "none: " + Text.of(offer, "delivery_reason") :
                "none (give --country and --postal-code)");
        }
        final JsonNode quote = offer.path("quote");
        if (quote.isObject())
        {
            table.row("quote", Text.of(quote, "id")).row("quote expires", Text.of(quote, "expires_at"));
        }
        table.row("version", Text.of(offer, "version"));
        final PrintWriter out = remote.out();
        table.print(out);
        return 0;
    }
}
