package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;

/**
 * The 64-bit hash of what a command asks for (not of who sent it, when, or under which key), used to tell an
 * idempotent repeat from a key reused for a different request. Every field is mixed one by one, lengths first, so
 * values stay stable across releases: fingerprints are part of the idempotency window, hence of snapshots.
 */
final class CommandFingerprint
{
    private CommandFingerprint()
    {
    }

    static long of(final Command c)
    {
        long h = 0xcbf29ce484222325L;
        h = mix(h, c.type().ordinal());
        h = mix(h, c.sku());
        h = mix(h, c.location());
        h = mix(h, c.channel());
        h = mix(h, c.quantity());
        h = mix(h, c.expected());
        h = mix(h, c.safety());
        h = mix(h, c.ttlSeconds());
        h = mix(h, c.reservationId());
        h = mix(h, c.orderId());
        h = mix(h, c.destinationCountry());
        h = mix(h, c.destinationPostalCode());
        h = mix(h, c.reason());
        h = mix(h, c.reference());
        h = mix(h, c.lineCount());
        for (int i = 0; i < c.lineCount(); i++)
        {
            h = mix(h, c.lineSku(i));
            h = mix(h, c.lineQuantity(i));
        }
        // Spec fields are mixed one by one: the specs' 32-bit hashCodes collide for specs as close as
        // (percent 50, buffer 0) and (percent 49, buffer 31), which would replay one for the other.
        h = mix(h, c.locationSpec());
        h = mix(h, c.channelSpec());
        h = mix(h, c.skuSpec());
        h = mix(h, c.priceSpec());
        h = mix(h, c.carrier());
        h = mix(h, c.service());
        h = mix(h, c.carrierSpec());
        h = mix(h, c.stockImport());
        h = mix(h, c.quoteCount());
        for (int i = 0; i < c.quoteCount(); i++)
        {
            h = mix(h, c.quoteSku(i));
            h = mix(h, c.quoteChannel(i));
            h = mix(h, c.quoteAmountMinor(i));
            h = mix(h, c.quoteCurrency(i));
            h = mix(h, c.quoteExpiresAtMillis(i));
        }
        return h;
    }

    /** Never given null: a price list's base, channel prices and sale prices are all required. */
    private static long mix(final long h, final Price price)
    {
        return mix(mix(h, price.amountMinor()), price.currency());
    }

    private static long mix(final long h, final PriceSpec spec)
    {
        if (spec == null)
        {
            return mix(h, 0x1b873593L);
        }
        long x = mix(h, spec.base());
        x = mix(x, spec.channels().size());
        for (final var entry : spec.channels().entrySet())
        {
            x = mix(mix(x, entry.getKey()), entry.getValue());
        }
        x = mix(x, spec.sales().size());
        for (final SaleSpec sale : spec.sales())
        {
            x = mix(x, sale.price());
            x = mix(x, sale.startMillis());
            x = mix(x, sale.endMillis());
            x = mix(x, sale.channels().size());
            for (final String ch : sale.channels())
            {
                x = mix(x, ch);
            }
        }
        return x;
    }

    private static long mix(final long h, final StockImportSpec spec)
    {
        if (spec == null)
        {
            return mix(h, 0x1b873593L);
        }
        long x = mix(mix(h, spec.rowCount()), spec.currency());
        for (int i = 0; i < spec.rowCount(); i++)
        {
            x = mix(mix(mix(mix(x, spec.sku(i)), spec.location(i)), spec.onHand(i)), spec.title(i));
        }
        return x;
    }

    private static long mix(final long h, final CarrierSpec spec)
    {
        if (spec == null)
        {
            return mix(h, 0x1b873593L);
        }
        long x = mix(h, spec.name());
        x = mix(x, spec.services().size());
        for (final ServiceSpec service : spec.services())
        {
            x = mix(x, service.id());
            x = mix(x, service.name());
            x = mix(x, service.workingDaysMask());
            x = mix(x, service.zones().size());
            for (final ZoneSpec zone : service.zones())
            {
                x = mix(x, zone.location());
                x = mix(x, zone.country());
                x = mix(x, zone.postalPrefix());
                x = mix(x, zone.minTransitDays());
                x = mix(x, zone.maxTransitDays());
            }
        }
        return x;
    }

    private static long mix(final long h, final LocationSpec spec)
    {
        if (spec == null)
        {
            return mix(h, 0x1b873593L);
        }
        long x = mix(h, spec.name());
        x = mix(x, spec.timezone());
        x = mix(x, spec.country());
        x = mix(x, spec.postalCode());
        x = mix(x, spec.priority());
        x = mix(x, spec.cutoffMinute());
        x = mix(x, spec.handlingDays());
        x = mix(x, spec.workingDaysMask());
        x = mix(x, spec.holidayCount());
        for (int i = 0; i < spec.holidayCount(); i++)
        {
            x = mix(x, spec.holiday(i));
        }
        return x;
    }

    private static long mix(final long h, final ChannelSpec spec)
    {
        if (spec == null)
        {
            return mix(h, 0x1b873593L);
        }
        long x = mix(h, spec.name());
        x = mix(x, spec.locations().size());
        for (final String location : spec.locations())
        {
            x = mix(x, location);
        }
        x = mix(x, spec.percent());
        x = mix(x, spec.buffer());
        x = mix(x, spec.maxListed());
        return mix(x, spec.lowStockThreshold());
    }

    private static long mix(final long h, final SkuSpec spec)
    {
        if (spec == null)
        {
            return mix(h, 0x1b873593L);
        }
        long x = mix(h, spec.title());
        x = mix(x, spec.priceAmountMinor());
        x = mix(x, spec.currency());
        x = mix(x, spec.componentCount());
        for (int i = 0; i < spec.componentCount(); i++)
        {
            x = mix(x, spec.componentSku(i));
            x = mix(x, spec.componentQty(i));
        }
        return x;
    }

    private static long mix(final long h, final long value)
    {
        long x = (h ^ value) * 0x9E3779B97F4A7C15L;
        x ^= x >>> 29;
        return x * 0xBF58476D1CE4E5B9L;
    }

    private static long mix(final long h, final String value)
    {
        if (value == null)
        {
            return mix(h, 0x5bd1e995L);
        }
        long x = mix(h, value.length());
        for (int i = 0; i < value.length(); i++)
        {
            x = (x ^ value.charAt(i)) * 0x100000001b3L;
        }
        return x;
    }
}
