package io.truestock.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Documents written one after another through the thread's reused generator (with documents nested inside them,
 * and documents abandoned half-way between them) are byte for byte what a generator of their own writes.
 */
class JsonOutReuseProperties
{
    private static final UnpooledByteBufAllocator ALLOCATOR = new UnpooledByteBufAllocator(false);
    private static final String[] TEXTS = {"", "web", "caf\u00e9", "a\"b\\c", "line\nbreak\t\u0001", "\u20ac \ud83d\ude00"};

    /** Writes a random document from the seed into both writers. */
    private static void document(final Random random, final JsonOut out, final JsonGenerator expected, final int depth)
        throws IOException
    {
        out.startObject();
        expected.writeStartObject();
        final int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++)
        {
            final String name = "f" + i;
            switch (random.nextInt(depth < 3 ? 7 : 5))
            {
                case 0 ->
                {
                    final String text = random.nextInt(5) == 0 ? null : TEXTS[random.nextInt(TEXTS.length)];
                    out.field(name, text);
                    if (text == null)
                    {
                        expected.writeNullField(name);
                    }
                    else
                    {
                        expected.writeStringField(name, text);
                    }
                }
                case 1 ->
                {
                    final long value = random.nextLong();
                    out.field(name, value);
                    expected.writeNumberField(name, value);
                }
                case 2 ->
                {
                    final boolean value = random.nextBoolean();
                    out.field(name, value);
                    expected.writeBooleanField(name, value);
                }
                case 3 ->
                {
                    final long millis = random.nextInt(4) == 0 ? random.nextLong() / 1000 : 1_780_000_000_000L +
                        random.nextInt(1_000_000_000);
                    out.instantField(name, millis);
                    expected.writeStringField(name, JsonOut.instant(millis));
                }
                case 4 ->
                {
                    out.nullField(name);
                    expected.writeNullField(name);
                }
                case 5 ->
                {
                    out.startObject(name);
                    expected.writeObjectFieldStart(name);
                    out.field("x", 1L);
                    expected.writeNumberField("x", 1L);
                    out.endObject();
                    expected.writeEndObject();
                }
                default ->
                {
                    out.startArray(name);
                    expected.writeArrayFieldStart(name);
                    for (int j = random.nextInt(3); j > 0; j--)
                    {
                        final String text = TEXTS[random.nextInt(TEXTS.length)];
                        out.value(text);
                        expected.writeString(text);
                    }
                    out.endArray();
                    expected.writeEndArray();
                }
            }
        }
        out.endObject();
        expected.writeEndObject();
    }

    private static String text(final ByteBuf buffer)
    {
        try
        {
            return buffer.toString(StandardCharsets.UTF_8);
        }
        finally
        {
            buffer.release();
        }
    }

    @Test
    void reusedGeneratorsWriteWhatFreshOnesWrite()
    {
        final JsonFactory factory = new JsonFactory();
        qt().withExamples(5_000).forAll(longs().all()).checkAssert(seed ->
        {
            final Random random = new Random(seed);
            for (int round = 0; round < 4; round++)
            {
                if (random.nextInt(4) == 0)
                {
                    // Abandoned half-way: its buffer is given back and the next document starts clean.
                    final JsonOut abandoned = new JsonOut(ALLOCATOR);
                    abandoned.startObject().field("half", "way").startArray("open");
                    abandoned.close();
                }
                final long documentSeed = random.nextLong();
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                final ByteArrayOutputStream nestedBytes = new ByteArrayOutputStream();
                final String written;
                final String nested;
                try (JsonGenerator expected = factory.createGenerator(bytes);
                    JsonGenerator nestedExpected = factory.createGenerator(nestedBytes))
                {
                    final JsonOut out = new JsonOut(ALLOCATOR);
                    final Random documentRandom = new Random(documentSeed);
                    document(documentRandom, out, expected, 0);
                    // A document written while the thread's generator is busy gets one of its own.
                    final JsonOut inner = new JsonOut(ALLOCATOR);
                    document(new Random(documentSeed + 1), inner, nestedExpected, 0);
                    nested = text(inner.finish());
                    written = text(out.finish());
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                assertThat(written).isEqualTo(bytes.toString(StandardCharsets.UTF_8));
                assertThat(nested).isEqualTo(nestedBytes.toString(StandardCharsets.UTF_8));
            }
        });
    }

    @Test
    void aDocumentLeftOpenIsClosedAsBefore()
    {
        final JsonOut out = new JsonOut(ALLOCATOR);
        out.startObject().field("a", 1L).startArray("b").value("c");
        assertThat(text(out.finish())).isEqualTo("{\"a\":1,\"b\":[\"c\"]}");
        final JsonOut next = new JsonOut(ALLOCATOR);
        next.startObject().field("d", true).endObject();
        assertThat(text(next.finish())).isEqualTo("{\"d\":true}");
    }
}
