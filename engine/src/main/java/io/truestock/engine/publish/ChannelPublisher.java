package io.truestock.engine.publish;

import io.truestock.engine.ChannelDef;
import io.truestock.engine.ChannelSpec;
import io.truestock.engine.ChannelTable;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Events;
import io.truestock.engine.StateDigest;
import io.truestock.engine.StockTable;
import io.truestock.engine.catalog.Catalog;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What every channel shows of every SKU. Per (SKU, channel) it keeps a running pool, the sum of {@code available}
 * over the channel's locations, updated as stock records change, and the published value
 * {@code clamp(floor(pool * percent / 100) - buffer, 0, max_listed)} stamped with the sequence it was computed at.
 * A bundle's pool is the fewest bundles its components' pools make. The writer publishes; any thread reads
 * {@link #read} under a per-record seqlock.
 */
public final class ChannelPublisher
{
    private final ChannelTable published;
    private final StockTable stock;
    private final Catalog catalog;

    public ChannelPublisher(final StockTable stock, final ChannelTable published, final Catalog catalog)
    {
        this.published = published;
        this.stock = stock;
        this.catalog = catalog;
    }

    public void read(final int sku, final int channel, final ChannelView view)
    {
        published.read(sku, channel, view);
    }

    /** The table itself, for tests and tools that read its records on the writer thread. */
    public ChannelTable table()
    {
        return published;
    }

    /** A stock record's available units moved by {@code delta}: every channel drawing from it sees it in its pool. */
    public void availableChanged(final int sku, final int location, final long delta)
    {
        for (final int ch : catalog.channelsOf(location))
        {
            final int po = published.offset(sku, ch);
            published.pool(po, published.pool(po) + delta);
        }
    }

    /** Republishes every (SKU, channel) and (bundle, channel) that the stock changes of this command touch. */
    public void republishChanged(final long seq, final Events events)
    {
        final int changes = events.stockCount();
        for (int i = 0; i < changes; i++)
        {
            final int s = events.stockSku(i);
            final int[] chs = catalog.channelsOf(events.stockLocation(i));
            final int[] bundles = catalog.bundlesOf(s);
            for (final int ch : chs)
            {
                republish(s, ch, seq, events);
                for (final int b : bundles)
                {
                    republish(b, ch, seq, events);
                }
            }
        }
    }

    /** After a channel's locations changed: recomputes its pools from the stock records, then republishes. */
    public void republishChannel(final int ch, final long seq, final Events events)
    {
        final int skuCount = catalog.skus().count();
        for (int s = 0; s < skuCount; s++)
        {
            published.pool(published.offset(s, ch), sumOfAvailable(s, catalog.channel(ch)));
        }
        for (int s = 0; s < skuCount; s++)
        {
            republish(s, ch, seq, events);
        }
    }

    /** Republishes a SKU on every channel (after its definition changed). */
    public void republishSku(final int sku, final long seq, final Events events)
    {
        for (int ch = 0; ch < catalog.channels().count(); ch++)
        {
            republish(sku, ch, seq, events);
        }
    }

    private void republish(final int sku, final int ch, final long seq, final Events events)
    {
        final ChannelDef def = catalog.channel(ch);
        final long value = publishedValue(poolOf(sku, ch), def.spec());
        final int o = published.offset(sku, ch);
        if (published.available(o) != value || published.version(o) == 0)
        {
            published.write(o, value, seq);
            events.published(sku, ch, value);
        }
    }

    public static long publishedValue(final long pool, final ChannelSpec spec)
    {
        long value = pool * spec.percent() / 100 - spec.buffer();
        if (value < 0)
        {
            value = 0;
        }
        if (spec.maxListed() != ChannelSpec.UNLIMITED && value > spec.maxListed())
        {
            value = spec.maxListed();
        }
        return value;
    }

    /** Units of a simple SKU available across the channel's locations: its running pool. */
    public long rawPool(final int sku, final int channel)
    {
        return published.pool(published.offset(sku, channel));
    }

    /** Units of a SKU (simple or bundle) the channel could supply before percent and buffer. */
    public long poolOf(final int sku, final int channel)
    {
        final int[] parts = catalog.components(sku);
        if (parts.length == 0)
        {
            return rawPool(sku, channel);
        }
        final long[] qtys = catalog.componentQtys(sku);
        long min = Long.MAX_VALUE;
        for (int k = 0; k < parts.length; k++)
        {
            min = Math.min(min, rawPool(parts[k], channel) / qtys[k]);
        }
        return min;
    }

    private long sumOfAvailable(final int sku, final ChannelDef def)
    {
        long sum = 0;
        for (final int l : def.locations())
        {
            sum += Math.max(0, stock.available(stock.offset(sku, l)));
        }
        return sum;
    }

    /**
     * The core invariant of publishing: after a command, the running pool of every (SKU, channel) its stock changes
     * touched equals the sum of available over the channel's locations.
     *
     * @throws IllegalStateException naming the first pool that does not.
     */
    public void checkPools(final Events events, final long seq)
    {
        final int changes = events.stockCount();
        for (int i = 0; i < changes; i++)
        {
            final int s = events.stockSku(i);
            for (final int ch : catalog.channelsOf(events.stockLocation(i)))
            {
                final long expected = sumOfAvailable(s, catalog.channel(ch));
                final long pool = rawPool(s, ch);
                if (pool != expected)
                {
                    throw new IllegalStateException("broken invariant at sku=" + catalog.skus().id(s) + " channel=" +
                        catalog.channels().id(ch) + ": pool=" + pool + " but its locations have " + expected +
                        " available (seq " + seq + ')');
                }
            }
        }
    }

    // ---- snapshot and digest ----

    /**
     * The records of the SKUs and channels defined: published values, their versions and the running pools (see
     * {@link ChannelTable#writeRows}).
     */
    public void write(final DataOutput out) throws IOException
    {
        published.writeRows(out, catalog.skus().count(), catalog.channels().count());
    }

    /** Restore, after the catalog: the records {@link #write} wrote. */
    public void read(final DataInput in) throws IOException
    {
        published.readRows(in, catalog.skus().count(), catalog.channels().count());
    }

    /** Every (SKU, channel): published value, its version and the running pool. */
    public void digest(final StateDigest d)
    {
        final int skuCount = catalog.skus().count();
        final int channelCount = catalog.channels().count();
        d.section("published").putInt(skuCount).putInt(channelCount);
        for (int s = 0; s < skuCount; s++)
        {
            for (int ch = 0; ch < channelCount; ch++)
            {
                final int o = published.offset(s, ch);
                d.putLong(published.available(o)).putLong(published.version(o)).putLong(published.pool(o));
            }
        }
    }
}
