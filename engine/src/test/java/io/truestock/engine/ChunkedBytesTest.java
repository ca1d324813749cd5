package io.truestock.engine;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

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
}
