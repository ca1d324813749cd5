package io.truestock.engine;

import java.io.DataOutput;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An output stream into fixed-size chunks: unlike a {@link java.io.ByteArrayOutputStream} it never copies what it
 * holds to grow (a snapshot of a large catalog is hundreds of megabytes), takes no lock per write, and lets a count
 * written before its items be filled in afterwards. Not thread-safe.
 * <p>
 * It is its own {@link DataOutput}, writing exactly the bytes a {@link java.io.DataOutputStream} over it would
 * (big-endian, modified UTF-8), but a number goes straight into the chunk instead of through the stream's scratch
 * array and a {@code write(byte[], int, int)} of a few bytes. The snapshot is captured on the writer thread, between
 * two commands, and a loaded server's retained reservations are a quarter of a million records of a dozen fields:
 * through a {@code DataOutputStream} most of the capture's time was those small copies.
 */
final class ChunkedBytes extends OutputStream implements DataOutput
{
    private static final int CHUNK = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int MAX_UTF_BYTES = 65_535;

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

    @Override
    public void writeBoolean(final boolean value)
    {
        write(value ? 1 : 0);
    }

    @Override
    public void writeByte(final int value)
    {
        write(value);
    }

    @Override
    public void writeShort(final int value)
    {
        write(value >>> 8);
        write(value);
    }

    @Override
    public void writeChar(final int value)
    {
        writeShort(value);
    }

    @Override
    public void writeInt(final int value)
    {
        if (CHUNK - position >= Integer.BYTES)
        {
            INTS.set(current, position, value);
            position += Integer.BYTES;
            size += Integer.BYTES;
        }
        else
        {
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                write(value >>> shift);
            }
        }
    }

    @Override
    public void writeLong(final long value)
    {
        if (CHUNK - position >= Long.BYTES)
        {
            LONGS.set(current, position, value);
            position += Long.BYTES;
            size += Long.BYTES;
        }
        else
        {
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                write((int)(value >>> shift));
            }
        }
    }

    @Override
    public void writeFloat(final float value)
    {
        writeInt(Float.floatToIntBits(value));
    }

    @Override
    public void writeDouble(final double value)
    {
        writeLong(Double.doubleToLongBits(value));
    }

    @Override
    public void writeBytes(final String value)
    {
        for (int i = 0, n = value.length(); i < n; i++)
        {
            write(value.charAt(i));
        }
    }

    @Override
    public void writeChars(final String value)
    {
        for (int i = 0, n = value.length(); i < n; i++)
        {
            writeShort(value.charAt(i));
        }
    }

    /**
     * Modified UTF-8 with its two-byte length, as {@link java.io.DataOutputStream#writeUTF}; a string that needs more
     * than 65 535 bytes is refused before anything is written, as there.
     */
    @Override
    public void writeUTF(final String value) throws UTFDataFormatException
    {
        final int length = value.length();
        int bytes = length;
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c >= 0x80 || c == 0)
            {
                bytes += c >= 0x800 ? 2 : 1;
            }
        }
        if (bytes > MAX_UTF_BYTES)
        {
            throw new UTFDataFormatException("encoded string too long: " + bytes + " bytes");
        }
        writeShort(bytes);
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c != 0 && c < 0x80)
            {
                write(c);
            }
            else if (c >= 0x800)
            {
                write(0xE0 | (c >> 12));
                write(0x80 | ((c >> 6) & 0x3F));
                write(0x80 | (c & 0x3F));
            }
            else
            {
                write(0xC0 | (c >> 6));
                write(0x80 | (c & 0x3F));
            }
        }
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
