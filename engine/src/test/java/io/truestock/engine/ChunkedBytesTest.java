package io.truestock.engine;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkedBytesTest
{
    @Test
    void theBuffersHoldWhatWasWrittenAcrossChunksInOrder()
    {
        final ChunkedBytes bytes = new ChunkedBytes();
        final byte[] block = new byte[999_983];
        for (int i = 0; i < block.length; i++)
        {
            block[i] = (byte)(i * 31 + 7);
        }
        bytes.write(block, 0, block.length);
        bytes.write(42);
        bytes.write(block, 0, block.length);
        bytes.write(block, 10, 200_000);
        final byte[] whole = bytes.toByteArray();
        assertThat(whole).hasSize(2 * block.length + 1 + 200_000);

        final ByteBuffer[] buffers = bytes.buffers();
        assertThat(buffers).hasSize(3);
        final byte[] joined = new byte[whole.length];
        int at = 0;
        for (final ByteBuffer buffer : buffers)
        {
            assertThat(buffer.position()).isZero();
            final int n = buffer.remaining();
            buffer.get(joined, at, n);
            at += n;
        }
        assertThat(at).isEqualTo(whole.length);
        assertThat(joined).isEqualTo(whole);
    }

    @Test
    void anExactMultipleOfTheChunkEndsWithAFullBuffer()
    {
        final ChunkedBytes bytes = new ChunkedBytes();
        bytes.write(new byte[1 << 20], 0, 1 << 20);
        final ByteBuffer[] buffers = bytes.buffers();
        assertThat(buffers).hasSize(1);
        assertThat(buffers[0].remaining()).isEqualTo(1 << 20);
    }

    /**
     * As a {@link DataOutput} it writes exactly what a {@link DataOutputStream} writes, number for number and string
     * for string, wherever the chunk boundary falls: every write starts at each of the 16 positions before a boundary.
     */
    @Test
    void writesWhatADataOutputStreamWritesAcrossChunkBoundaries() throws IOException
    {
        for (int seed = 0; seed < 200; seed++)
        {
            final ChunkedBytes chunked = new ChunkedBytes();
            final ByteArrayOutputStream reference = new ByteArrayOutputStream();
            final DataOutputStream data = new DataOutputStream(reference);
            final byte[] lead = new byte[(1 << 20) - 16 + seed % 16];
            chunked.write(lead, 0, lead.length);
            data.write(lead);
            final Random random = new Random(seed);
            for (int op = 0; op < 400; op++)
            {
                final long value = random.nextLong();
                final String text = text(random);
                final int kind = random.nextInt(12);
                write(chunked, kind, value, text);
                write(data, kind, value, text);
            }
            data.flush();
            assertThat(chunked.size()).isEqualTo(reference.size());
            assertThat(chunked.toByteArray()).as("seed %d", seed).isEqualTo(reference.toByteArray());
        }
    }

    @Test
    void aStringTooLongForModifiedUtf8IsRefusedBeforeAnythingIsWritten()
    {
        final ChunkedBytes chunked = new ChunkedBytes();
        chunked.writeInt(7);
        final String tooLong = "\u0800".repeat(21_846);
        assertThatThrownBy(() -> chunked.writeUTF(tooLong)).isInstanceOf(UTFDataFormatException.class)
            .hasMessageContaining("65538");
        assertThatThrownBy(() -> new DataOutputStream(new ByteArrayOutputStream()).writeUTF(tooLong))
            .isInstanceOf(UTFDataFormatException.class);
        assertThat(chunked.size()).isEqualTo(4);
    }

    private static void write(final DataOutput out, final int kind, final long value, final String text)
        throws IOException
    {
        switch (kind)
        {
            case 0 -> out.writeBoolean(value < 0);
            case 1 -> out.writeByte((int)value);
            case 2 -> out.writeShort((int)value);
            case 3 -> out.writeChar((int)value);
            case 4 -> out.writeInt((int)value);
            case 5 -> out.writeLong(value);
            case 6 -> out.writeFloat(Float.intBitsToFloat((int)value));
            case 7 -> out.writeDouble(Double.longBitsToDouble(value));
            case 8 -> out.writeBytes(text);
            case 9 -> out.writeChars(text);
            case 10 -> out.write((int)value);
            default -> out.writeUTF(text);
        }
    }

    /** Empty, ASCII, or any characters: NUL, two- and three-byte ones and lone surrogates included. */
    private static String text(final Random random)
    {
        final int length = random.nextInt(4) == 0 ? 0 : random.nextInt(40);
        final boolean anyChar = random.nextBoolean();
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.append(anyChar ? (char)random.nextInt(0x10000) : (char)(' ' + random.nextInt(95)));
        }
        return sb.toString();
    }
}
