package io.truestock.journal.audit;

import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Outcome;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;

import java.time.Instant;

/**
 * The part of an applied command that stock changes alone do not show, as one line of text for the audit trail:
 * a price list or carrier as defined, and for a new order the unit prices charged (and which came from quotes) and
 * each shipment's location and delivery promise.
 */
final class AuditDetail
{
    private AuditDetail()
    {
    }

    /** @return the detail, or null when the command needs none (or was rejected). */
    static String of(final Engine engine, final Command command, final Outcome outcome)
    {
        if (!outcome.accepted())
        {
            return null;
        }
        return switch (command.type())
        {
            case DEFINE_PRICES -> prices(command.priceSpec());
            case DEFINE_CARRIER -> carrier(command.carrier(), command.carrierSpec());
            case CONFIRM, ORDER -> order(engine, command, outcome);
            default -> null;
        };
    }

    private static String prices(final PriceSpec spec)
    {
        final StringBuilder sb = new StringBuilder("prices: base ").append(spec.base().amountMinor()).append(' ')
            .append(spec.base().currency());
        spec.channels().forEach((channel, price) -> sb.append(", ").append(channel).append(' ')
            .append(price.amountMinor()));
        for (final SaleSpec sale : spec.sales())
        {
            sb.append(", sale ").append(sale.price().amountMinor()).append(' ')
                .append(Instant.ofEpochMilli(sale.startMillis())).append("..").append(Instant.ofEpochMilli(sale.endMillis()))
                .append(sale.appliesToEveryChannel() ? " every channel" : " " + String.join("+", sale.channels()));
        }
        return sb.toString();
    }

    private static String carrier(final String id, final CarrierSpec spec)
    {
        final StringBuilder sb = new StringBuilder("carrier ").append(id).append(" (").append(spec.name()).append("):");
        for (final ServiceSpec service : spec.services())
        {
            sb.append(' ').append(service.id()).append('[');
            boolean first = true;
            for (final ZoneSpec zone : service.zones())
            {
                sb.append(first ? "" : " ").append(zone.location() == null ? "*" : zone.location()).append('>')
                    .append(zone.country()).append(zone.postalPrefix()).append(' ').append(zone.minTransitDays())
                    .append('-').append(zone.maxTransitDays()).append('d');
                first = false;
            }
            sb.append(']');
        }
        return sb.toString();
    }

    private static String order(final Engine engine, final Command command, final Outcome outcome)
    {
        final StringBuilder sb = new StringBuilder("order ").append(outcome.orderId()).append(": lines");
        for (int i = 0; i < outcome.lineCount(); i++)
        {
            final String sku = engine.skuId(outcome.lineSku(i));
            sb.append(' ').append(sku).append(" x").append(outcome.lineQty(i));
            if (outcome.lineCurrency(i) != null)
            {
                sb.append(" @ ").append(outcome.linePriceMinor(i)).append(' ').append(outcome.lineCurrency(i));
            }
            for (int q = 0; q < command.quoteCount(); q++)
            {
                if (command.quoteSku(q).equals(sku))
                {
                    sb.append(" (quoted)");
                }
            }
        }
        sb.append("; shipments");
        for (int s = 0; s < outcome.shipmentCount(); s++)
        {
            sb.append(' ').append(engine.locationId(outcome.shipmentLocation(s)));
            if (outcome.shipmentHasPromise(s))
            {
                sb.append(' ').append(outcome.shipmentCarrier(s)).append('/').append(outcome.shipmentService(s))
                    .append(' ').append(Instant.ofEpochMilli(outcome.shipmentEarliestMillis(s))).append("..")
                    .append(Instant.ofEpochMilli(outcome.shipmentLatestMillis(s))).append(" order_by ")
                    .append(Instant.ofEpochMilli(outcome.shipmentOrderByMillis(s)));
            }
            else
            {
                sb.append(" no promise");
            }
        }
        if (command.destinationCountry() != null)
        {
            sb.append("; to ").append(command.destinationCountry()).append(' ')
                .append(command.destinationPostalCode() == null ? "" : command.destinationPostalCode());
        }
        return sb.toString();
    }
}
