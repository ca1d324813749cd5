package io.truestock.engine.price;

import java.util.List;
import java.util.Objects;

/**
 * A scheduled sale price, active from {@code startMillis} (inclusive) to {@code endMillis} (exclusive).
 *
 * @param channels the channels it applies to; empty means every channel.
 */
public record SaleSpec(Price price, long startMillis, long endMillis, List<String> channels)
{
    public SaleSpec
    {
        Objects.requireNonNull(price, "price");
        channels = List.copyOf(channels);
        if (endMillis <= startMillis)
        {
            throw new IllegalArgumentException("a sale must end after it starts");
        }
    }

    public boolean appliesToEveryChannel()
    {
        return channels.isEmpty();
    }
}
