package io.truestock.engine.price;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A SKU's whole price list: a base price, per-channel overrides and scheduled sales. The effective price for a
 * channel at an instant is the lowest active sale that applies to the channel, else the channel's override, else
 * the base. Every price in one list has the same currency, so "lowest" is always well defined.
 */
public record PriceSpec(Price base, Map<String, Price> channels, List<SaleSpec> sales)
{
    public static final int MAX_CHANNEL_PRICES = 256;
    public static final int MAX_SALES = 64;

    public PriceSpec
    {
        Objects.requireNonNull(base, "base");
        // Most lists have no channel prices: they share the immutable empty map rather than each holding an empty
        // LinkedHashMap, its unmodifiable wrapper and the views iterating it creates (eight objects a SKU).
        channels = channels.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channels));
        sales = List.copyOf(sales);
        if (channels.size() > MAX_CHANNEL_PRICES)
        {
            throw new IllegalArgumentException("at most " + MAX_CHANNEL_PRICES + " channel prices");
        }
        if (sales.size() > MAX_SALES)
        {
            throw new IllegalArgumentException("at most " + MAX_SALES + " sales");
        }
        for (final Price p : channels.values())
        {
            requireCurrency(base, p);
        }
        for (final SaleSpec s : sales)
        {
            requireCurrency(base, s.price());
        }
    }

    public static PriceSpec baseOnly(final Price base)
    {
        return new PriceSpec(base, Map.of(), List.of());
    }

    public PriceSpec withBase(final Price newBase)
    {
        return new PriceSpec(newBase, channels, sales);
    }

    private static void requireCurrency(final Price base, final Price other)
    {
        if (!base.currency().equals(other.currency()))
        {
            throw new IllegalArgumentException("every price of a SKU must be in one currency (" + base.currency() + ")");
        }
    }
}
