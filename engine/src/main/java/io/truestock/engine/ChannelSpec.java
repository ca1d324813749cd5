package io.truestock.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Immutable configuration of one channel: the ordered locations it draws from and how its number is published:
 * {@code clamp(floor(pool_available * percent / 100) - buffer, 0, max_listed)}.
 *
 * @param name              display name.
 * @param locations         location ids in draw order; empty means every location, in definition order.
 * @param percent           0..100.
 * @param buffer            units held back from the published number, >= 0.
 * @param maxListed         upper bound of the published number, or {@link #UNLIMITED}.
 * @param lowStockThreshold published values at or below it (and above zero) read as low stock.
 */
public record ChannelSpec(
    String name, List<String> locations, int percent, long buffer, long maxListed, long lowStockThreshold)
{
    public static final long UNLIMITED = -1;

    public ChannelSpec
    {
        Objects.requireNonNull(name, "name");
        locations = List.copyOf(locations);
    }

    public static ChannelSpec named(final String name, final String... locations)
    {
        return new ChannelSpec(name, Arrays.asList(locations), 100, 0, UNLIMITED, 5);
    }

    public ChannelSpec with(final int newPercent, final long newBuffer, final long newMaxListed)
    {
        return new ChannelSpec(name, locations, newPercent, newBuffer, newMaxListed, lowStockThreshold);
    }
}
