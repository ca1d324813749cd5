package io.truestock.engine;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.VarHandle;

/**
 * Off-heap published availability per (SKU, channel), maintained by the writer as part of every command that
 * changes it, so a read is O(1). Layout: {@code seq | available | version | pool}, seqlocked like {@link StockTable}.
 * {@code pool} (the sum of available over the channel's locations, before percent and buffer) is the writer's own
 * running total, kept beside the value it feeds so a stock change republishes in O(channels), not
 * O(channels x locations); readers never look at it.
 */
public final class ChannelTable
{
    public static final int RECORD_BYTES = 32;
    private static final int SEQ = 0;
    private static final int AVAILABLE = 8;
    private static final int VERSION = 16;
    private static final int POOL = 24;
    /** The fields a snapshot holds, in its order. */
    private static final int[] FIELDS = {AVAILABLE, VERSION, POOL};

    private final UnsafeBuffer buffer;
    private final int maxChannels;

    public ChannelTable(final int maxSkus, final int maxChannels)
    {
        this.maxChannels = maxChannels;
        this.buffer = TableMemory.allocate(maxSkus * maxChannels * RECORD_BYTES);
    }

    /**
     * Writer only: zeroes every row of a SKU about to be defined; until then its rows may hold anything (the table
     * is not zeroed when allocated, see {@link TableMemory}).
     */
    public void clearSku(final int sku)
    {
        buffer.setMemory(offset(sku, 0), maxChannels * RECORD_BYTES, (byte)0);
    }

    /**
     * As {@link #clearSku} for SKUs {@code [from, to)}, whose rows are one contiguous range: a restore clears the
     * rows of a snapshot's SKUs in chunks, on another thread than the one decoding the definitions (see
     * {@code RowClearing}).
     */
    public void clearSkus(final int from, final int to)
    {
        buffer.setMemory(offset(from, 0), (to - from) * maxChannels * RECORD_BYTES, (byte)0);
    }

    public int offset(final int sku, final int channel)
    {
        return (sku * maxChannels + channel) * RECORD_BYTES;
    }

    public long available(final int offset)
    {
        return buffer.getLong(offset + AVAILABLE);
    }

    public long version(final int offset)
    {
        return buffer.getLong(offset + VERSION);
    }

    public long pool(final int offset)
    {
        return buffer.getLong(offset + POOL);
    }

    public void pool(final int offset, final long value)
    {
        buffer.putLong(offset + POOL, value);
    }

    public void write(final int offset, final long available, final long version)
    {
        final long seq = buffer.getLong(offset + SEQ);
        buffer.putLong(offset + SEQ, seq + 1);
        VarHandle.storeStoreFence();
        buffer.putLong(offset + AVAILABLE, available);
        buffer.putLong(offset + VERSION, version);
        buffer.putLongRelease(offset + SEQ, seq + 2);
    }

    /** Any thread: copies one consistent (available, version) pair into {@code view}. */
    public void read(final int sku, final int channel, final ChannelView view)
    {
        final int offset = offset(sku, channel);
        while (true)
        {
            final long before = buffer.getLongAcquire(offset + SEQ);
            final long available = buffer.getLong(offset + AVAILABLE);
            final long version = buffer.getLong(offset + VERSION);
            VarHandle.loadLoadFence();
            final long after = buffer.getLong(offset + SEQ);
            if ((before & 1) == 0 && before == after)
            {
                view.set(available, version);
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Snapshot: the rows of SKUs {@code [0, skus)} and channels {@code [0, channels)}, the fields without the
     * seqlock word, one {@link RowCodec} block per SKU. Rows beyond those are all zero in a live engine (a
     * channel defined later starts from rows cleared with their SKU), so the section is exact.
     */
    public void writeRows(final DataOutput out, final int skus, final int channels) throws IOException
    {
        RowCodec.writeRows(buffer, maxChannels, RECORD_BYTES, FIELDS, out, skus, channels);
    }

    /**
     * Restore, before any reader can see the table: reads what {@link #writeRows} wrote into rows already
     * cleared.
     *
     * @throws IOException when the section's shape is not {@code skus x channels} or a block is damaged.
     */
    public void readRows(final DataInput in, final int skus, final int channels) throws IOException
    {
        RowCodec.readRows(buffer, maxChannels, RECORD_BYTES, FIELDS, in, skus, channels, "channel");
    }

    /** Restore from a format 3 snapshot: the whole region it copied, seqlock words included. */
    public void readRegion(final DataInput in) throws IOException
    {
        TableMemory.readRegion(buffer, in);
    }
}
