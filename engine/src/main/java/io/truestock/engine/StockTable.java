package io.truestock.engine;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.VarHandle;

/**
 * Off-heap quantities per (SKU, location), one cache line per record, guarded by a per-record seqlock.
 * <p>
 * Layout of a record: {@code seq | on_hand | reserved | committed | safety | version | pad}. The single writer
 * makes {@code seq} odd, writes, then makes it even again with a release store; a reader retries while it
 * sees an odd or changed {@code seq}, so it never returns a torn record and never blocks the writer.
 */
public final class StockTable
{
    public static final int RECORD_BYTES = 64;
    private static final int SEQ = 0;
    private static final int ON_HAND = 8;
    private static final int RESERVED = 16;
    private static final int COMMITTED = 24;
    private static final int SAFETY = 32;
    private static final int VERSION = 40;
    /** The fields a snapshot holds, in its order. */
    private static final int[] FIELDS = {ON_HAND, RESERVED, COMMITTED, SAFETY, VERSION};

    private final UnsafeBuffer buffer;
    private final int maxLocations;

    public StockTable(final int maxSkus, final int maxLocations)
    {
        this.maxLocations = maxLocations;
        this.buffer = TableMemory.allocate(maxSkus * maxLocations * RECORD_BYTES);
    }

    /**
     * Writer only: zeroes every row of a SKU about to be defined; until then its rows may hold anything (the table
     * is not zeroed when allocated, see {@link TableMemory}).
     */
    public void clearSku(final int sku)
    {
        buffer.setMemory(offset(sku, 0), maxLocations * RECORD_BYTES, (byte)0);
    }

    /**
     * As {@link #clearSku} for SKUs {@code [from, to)}, whose rows are one contiguous range: a restore clears the
     * rows of a snapshot's SKUs in chunks, on another thread than the one decoding the definitions (see
     * {@code RowClearing}).
     */
    public void clearSkus(final int from, final int to)
    {
        buffer.setMemory(offset(from, 0), (to - from) * maxLocations * RECORD_BYTES, (byte)0);
    }

    public int offset(final int sku, final int location)
    {
        return (sku * maxLocations + location) * RECORD_BYTES;
    }

    public long onHand(final int offset)
    {
        return buffer.getLong(offset + ON_HAND);
    }

    public long reserved(final int offset)
    {
        return buffer.getLong(offset + RESERVED);
    }

    public long committed(final int offset)
    {
        return buffer.getLong(offset + COMMITTED);
    }

    public long safety(final int offset)
    {
        return buffer.getLong(offset + SAFETY);
    }

    public long version(final int offset)
    {
        return buffer.getLong(offset + VERSION);
    }

    /** Writer only: available for sale at this record, not clamped. */
    public long available(final int offset)
    {
        return onHand(offset) - reserved(offset) - committed(offset) - safety(offset);
    }

    /** Writer only: replaces the whole record under the seqlock. */
    public void write(
        final int offset, final long onHand, final long reserved, final long committed, final long safety, final long version)
    {
        final long seq = buffer.getLong(offset + SEQ);
        buffer.putLong(offset + SEQ, seq + 1);
        VarHandle.storeStoreFence();
        buffer.putLong(offset + ON_HAND, onHand);
        buffer.putLong(offset + RESERVED, reserved);
        buffer.putLong(offset + COMMITTED, committed);
        buffer.putLong(offset + SAFETY, safety);
        buffer.putLong(offset + VERSION, version);
        buffer.putLongRelease(offset + SEQ, seq + 2);
    }

    /**
     * Any thread: copies one consistent record into {@code view}.
     */
    public void read(final int sku, final int location, final StockView view)
    {
        final int offset = offset(sku, location);
        while (true)
        {
            final long before = buffer.getLongAcquire(offset + SEQ);
            final long onHand = buffer.getLong(offset + ON_HAND);
            final long reserved = buffer.getLong(offset + RESERVED);
            final long committed = buffer.getLong(offset + COMMITTED);
            final long safety = buffer.getLong(offset + SAFETY);
            final long version = buffer.getLong(offset + VERSION);
            VarHandle.loadLoadFence();
            final long after = buffer.getLong(offset + SEQ);
            if ((before & 1) == 0 && before == after)
            {
                view.set(onHand, reserved, committed, safety, version);
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Snapshot: the rows of SKUs {@code [0, skus)} and locations {@code [0, locations)}, the fields without the
     * seqlock word, one {@link RowCodec} block per SKU. Rows beyond those are all zero in a live engine (a
     * location defined later starts from rows cleared with their SKU), so the section is exact.
     */
    public void writeRows(final DataOutput out, final int skus, final int locations) throws IOException
    {
        RowCodec.writeRows(buffer, maxLocations, RECORD_BYTES, FIELDS, out, skus, locations);
    }

    /**
     * Restore, before any reader can see the table: reads what {@link #writeRows} wrote into rows already
     * cleared.
     *
     * @throws IOException when the section's shape is not {@code skus x locations} or a block is damaged.
     */
    public void readRows(final DataInput in, final int skus, final int locations) throws IOException
    {
        RowCodec.readRows(buffer, maxLocations, RECORD_BYTES, FIELDS, in, skus, locations, "stock");
    }

    /** Restore from a format 3 snapshot: the whole region it copied, seqlock words included. */
    public void readRegion(final DataInput in) throws IOException
    {
        TableMemory.readRegion(buffer, in);
    }
}
