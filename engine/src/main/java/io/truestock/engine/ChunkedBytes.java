package io.truestock.engine;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An output stream into fixed-size chunks: unlike a {@link java.io.ByteArrayOutputStream} it never copies what it
 * holds to grow (a snapshot of a large catalog is hundreds of megabytes), takes no lock per write, and lets a count
 * written before its items be filled in afterwards. Not thread-safe.
 */
final class ChunkedBytes extends OutputStream
{
    private static final int CHUNK = 1 << 20;

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current;
    private int position = CHUNK;
    private long size;

    @Override
    public void write(final int b)
    {
        if (position == CHUNK)
        {
            next();
        }
        current[position++] = (byte)b;
        size++;
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length)
    {
        int from = offset;
        int left = length;
        while (left > 0)
        {
            if (position == CHUNK)
            {
                next();
            }
            final int n = Math.min(left, CHUNK - position);
            System.arraycopy(bytes, from, current, position, n);
            position += n;
            from += n;
            left -= n;
        }
        size += length;
    }

    long size()
    {
        return size;
    }

    /** Overwrites four bytes already written at {@code at}, big-endian as {@link java.io.DataOutput#writeInt}. */
    void putInt(final long at, final int value)
    {
        for (int i = 0; i < 4; i++)
        {
            final long p = at + i;
            chunks.get((int)(p / CHUNK))[(int)(p % CHUNK)] = (byte)(value >>> (24 - 8 * i));
        }
    }

    /**
     * @throws IllegalStateException when more than a Java array holds was written.
     */
    byte[] toByteArray()
    {
        if (size > Integer.MAX_VALUE - 8)
        {
            throw new IllegalStateException("snapshot of " + size + " bytes does not fit in an array");
        }
        final byte[] all = new byte[(int)size];
        int at = 0;
        for (final byte[] chunk : chunks)
        {
            final int n = (int)Math.min(CHUNK, size - at);
            System.arraycopy(chunk, 0, all, at, n);
            at += n;
        }
        return all;
    }

    /**
     * The bytes written, one buffer per chunk over the chunk itself (not copied, and not read-only, so a digest or
     * a channel reads the array directly): the caller takes them over, and nothing may be written here after.
     */
    ByteBuffer[] buffers()
    {
        final ByteBuffer[] buffers = new ByteBuffer[chunks.size()];
        long left = size;
        for (int i = 0; i < buffers.length; i++)
        {
            final int n = (int)Math.min(CHUNK, left);
            buffers[i] = ByteBuffer.wrap(chunks.get(i), 0, n);
            left -= n;
        }
        return buffers;
    }

    private void next()
    {
        current = new byte[CHUNK];
        chunks.add(current);
        position = 0;
    }
}
