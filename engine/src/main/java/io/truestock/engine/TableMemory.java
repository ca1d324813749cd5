package io.truestock.engine;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInput;
import java.io.IOException;
import java.lang.ref.Cleaner;

/**
 * Off-heap memory for a table sized by the bounds and used by the SKUs defined so far. A small table is zeroed
 * when allocated. A large one is taken from the allocator and left untouched, so the operating system maps its
 * pages as they are first written and resident memory follows the SKUs in use, not {@code max_skus}; its contents
 * are then undefined until the owner clears a SKU's rows, which it does before the SKU is published. The memory is
 * freed when the buffer is collected.
 */
final class TableMemory
{
    /** Up to this size, zeroing at allocation is cheaper than thinking about it. */
    static final int EAGER_ZERO_BYTES = 1 << 20;
    private static final int ALIGNMENT = 64;
    private static final Cleaner CLEANER = Cleaner.create();

    private TableMemory()
    {
    }

    /** A 64-byte aligned buffer of {@code bytes}. */
    static UnsafeBuffer allocate(final int bytes)
    {
        final long raw = UnsafeApi.allocateMemory((long)bytes + ALIGNMENT);
        final long aligned = (raw + ALIGNMENT - 1) & -ALIGNMENT;
        final UnsafeBuffer buffer = new UnsafeBuffer(aligned, bytes);
        CLEANER.register(buffer, () -> UnsafeApi.freeMemory(raw));
        if (bytes <= EAGER_ZERO_BYTES)
        {
            buffer.setMemory(0, bytes, (byte)0);
        }
        return buffer;
    }

    /**
     * Reads a table region as format 3 snapshots held it (a length, then the rows byte for byte from offset 0),
     * through a small buffer.
     */
    static void readRegion(final UnsafeBuffer buffer, final DataInput in) throws IOException
    {
        final int bytes = in.readInt();
        if (bytes < 0 || bytes > buffer.capacity())
        {
            throw new IOException("table region of " + bytes + " bytes does not fit");
        }
        final byte[] scratch = new byte[1 << 16];
        for (int at = 0; at < bytes; at += scratch.length)
        {
            final int n = Math.min(scratch.length, bytes - at);
            in.readFully(scratch, 0, n);
            buffer.putBytes(at, scratch, 0, n);
        }
    }
}
