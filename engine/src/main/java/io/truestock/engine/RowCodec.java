package io.truestock.engine;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The snapshot encoding of a table's rows: one block per SKU, a length then its fields as zig-zag LEB128 varints,
 * so a zero costs one byte and a snapshot grows with the quantities in use, not with the table's bounds. A whole
 * SKU is encoded into a scratch array and written in one call, and read back the same way: per-byte stream calls
 * would dominate at a million SKUs. Writer thread only, one per capture or restore.
 */
final class RowCodec
{
    private static final int MAX_VARINT_BYTES = 10;

    private final byte[] block;
    private final byte[] length = new byte[5];
    private int position;
    private int limit;

    /** @param maxFieldsPerSku the most fields one SKU's block holds. */
    RowCodec(final int maxFieldsPerSku)
    {
        block = new byte[maxFieldsPerSku * MAX_VARINT_BYTES];
    }

    void start()
    {
        position = 0;
    }

    void put(final long value)
    {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0)
        {
            block[position++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        block[position++] = (byte)v;
    }

    /** Writes the block started by {@link #start()}. */
    void finish(final DataOutput out) throws IOException
    {
        int n = 0;
        int v = position;
        while ((v & ~0x7F) != 0)
        {
            length[n++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        length[n++] = (byte)v;
        out.write(length, 0, n);
        out.write(block, 0, position);
    }

    /** Reads the next block; {@link #get()} then returns its fields in order. */
    void load(final DataInput in) throws IOException
    {
        int size = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw new IOException("implausible row block length");
            }
            final int b = in.readUnsignedByte();
            size |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }
        if (size > block.length)
        {
            throw new IOException("row block of " + size + " bytes is longer than " + block.length);
        }
        in.readFully(block, 0, size);
        position = 0;
        limit = size;
    }

    long get() throws IOException
    {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= limit)
            {
                throw new IOException("row block ends inside a field");
            }
            final byte b = block[position++];
            v |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                return (v >>> 1) ^ -(v & 1);
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }

    /** @throws IOException when the block holds more than the fields read. */
    void end() throws IOException
    {
        if (position != limit)
        {
            throw new IOException("row block has " + (limit - position) + " bytes left over");
        }
    }

    /**
     * Writes the rows of SKUs {@code [0, skus)} and slots {@code [0, slots)} of a table laid out as
     * {@code (sku * maxSlots + slot) * recordBytes}, the given fields of each, one block per SKU.
     */
    static void writeRows(
        final UnsafeBuffer buffer, final int maxSlots, final int recordBytes, final int[] fields,
        final DataOutput out, final int skus, final int slots) throws IOException
    {
        out.writeInt(skus);
        out.writeInt(slots);
        final RowCodec rows = new RowCodec(slots * fields.length);
        for (int s = 0; s < skus; s++)
        {
            rows.start();
            for (int i = 0; i < slots; i++)
            {
                final int o = (s * maxSlots + i) * recordBytes;
                for (final int field : fields)
                {
                    rows.put(buffer.getLong(o + field));
                }
            }
            rows.finish(out);
        }
    }

    /**
     * Reads what {@link #writeRows} wrote into the same layout.
     *
     * @throws IOException when the section's shape is not {@code skus x slots} or a block is damaged.
     */
    static void readRows(
        final UnsafeBuffer buffer, final int maxSlots, final int recordBytes, final int[] fields,
        final DataInput in, final int skus, final int slots, final String section) throws IOException
    {
        final int skuCount = in.readInt();
        final int slotCount = in.readInt();
        if (skuCount != skus || slotCount != slots)
        {
            throw new IOException(section + " section holds " + skuCount + " SKUs x " + slotCount + " but the catalog " +
                "defines " + skus + " x " + slots);
        }
        final RowCodec rows = new RowCodec(slots * fields.length);
        for (int s = 0; s < skus; s++)
        {
            rows.load(in);
            for (int i = 0; i < slots; i++)
            {
                final int o = (s * maxSlots + i) * recordBytes;
                for (final int field : fields)
                {
                    buffer.putLong(o + field, rows.get());
                }
            }
            rows.end();
        }
    }
}
