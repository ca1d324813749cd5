package io.truestock.engine.price;

import java.util.Arrays;

/**
 * A {@link PriceSpec} resolved against channel indexes, for lookups that allocate nothing. Immutable: the writer
 * builds a new one on every price change and readers on any thread use whichever they see.
 */
public final class PriceList
{
    private static final int[] EVERY_CHANNEL = new int[0];
    /** A list without channel prices or sales (most of them) shares these: nothing writes into an empty array. */
    private static final Price[] NO_PRICES = new Price[0];
    private static final long[] NO_INSTANTS = new long[0];
    private static final int[][] NO_CHANNEL_SETS = new int[0][];

    private final PriceSpec spec;
    private final Price[] byChannel;
    private final long[] saleStart;
    private final long[] saleEnd;
    private final Price[] salePrice;
    private final int[][] saleChannels;

    /**
     * @param channelIndexes resolves every channel id the spec names to its index, or -1 when unknown; the caller
     *                       checks {@link #firstUnknownChannel} first.
     */
    public PriceList(final PriceSpec spec, final java.util.function.ToIntFunction<String> channelIndexes)
    {
        this.spec = spec;
        int maxChannel = -1;
        for (final String channel : spec.channels().keySet())
        {
            maxChannel = Math.max(maxChannel, channelIndexes.applyAsInt(channel));
        }
        byChannel = maxChannel < 0 ? NO_PRICES : new Price[maxChannel + 1];
        spec.channels().forEach((channel, price) ->
        {
            final int index = channelIndexes.applyAsInt(channel);
            if (index >= 0)
            {
                byChannel[index] = price;
            }
        });
        final int n = spec.sales().size();
        saleStart = n == 0 ? NO_INSTANTS : new long[n];
        saleEnd = n == 0 ? NO_INSTANTS : new long[n];
        salePrice = n == 0 ? NO_PRICES : new Price[n];
        saleChannels = n == 0 ? NO_CHANNEL_SETS : new int[n][];
        for (int i = 0; i < n; i++)
        {
            final SaleSpec sale = spec.sales().get(i);
            saleStart[i] = sale.startMillis();
            saleEnd[i] = sale.endMillis();
            salePrice[i] = sale.price();
            if (sale.appliesToEveryChannel())
            {
                saleChannels[i] = EVERY_CHANNEL;
            }
            else
            {
                final int[] indexes = sale.channels().stream().mapToInt(channelIndexes).filter(c -> c >= 0).toArray();
                Arrays.sort(indexes);
                saleChannels[i] = indexes;
            }
        }
    }

    /** The first channel id the spec names that the resolver does not know, or null. */
    public static String firstUnknownChannel(
        final PriceSpec spec, final java.util.function.ToIntFunction<String> channelIndexes)
    {
        for (final String channel : spec.channels().keySet())
        {
            if (channelIndexes.applyAsInt(channel) < 0)
            {
                return channel;
            }
        }
        for (final SaleSpec sale : spec.sales())
        {
            for (final String channel : sale.channels())
            {
                if (channelIndexes.applyAsInt(channel) < 0)
                {
                    return channel;
                }
            }
        }
        return null;
    }

    public PriceSpec spec()
    {
        return spec;
    }

    /**
     * The effective price on a channel at an instant: the lowest sale active at the instant (start inclusive, end
     * exclusive) that applies to the channel, else the channel's override, else the base.
     *
     * @param channel a channel index, or -1 for "no channel" (sales for every channel and the base only).
     */
    public Price effective(final int channel, final long atEpochMillis)
    {
        Price best = null;
        for (int i = 0; i < saleStart.length; i++)
        {
            if (saleStart[i] <= atEpochMillis && atEpochMillis < saleEnd[i] && applies(i, channel) &&
                (best == null || salePrice[i].amountMinor() < best.amountMinor()))
            {
                best = salePrice[i];
            }
        }
        if (best != null)
        {
            return best;
        }
        if (channel >= 0 && channel < byChannel.length && byChannel[channel] != null)
        {
            return byChannel[channel];
        }
        return spec.base();
    }

    private boolean applies(final int sale, final int channel)
    {
        final int[] channels = saleChannels[sale];
        return channels == EVERY_CHANNEL || (channel >= 0 && Arrays.binarySearch(channels, channel) >= 0);
    }

    /** The first sale boundary (a start or an end) strictly after the instant, or {@link Long#MAX_VALUE}. */
    public long nextChangeAfter(final long atEpochMillis)
    {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < saleStart.length; i++)
        {
            if (saleStart[i] > atEpochMillis)
            {
                next = Math.min(next, saleStart[i]);
            }
            if (saleEnd[i] > atEpochMillis)
            {
                next = Math.min(next, saleEnd[i]);
            }
        }
        return next;
    }
}
