package io.truestock.journal.audit;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit record's string writer writes Chronicle's bytes, byte for byte, and they read back. */
class AsciiUtf8Test
{
    @Test
    void writesTheSameBytesAsChronicleForEveryKindOfString()
    {
        final List<String> texts = new ArrayList<>(Arrays.asList(
            null, "", "a", "sku-0001", "key:with/punctuation and spaces", "\u007f", "\u0080", "caf\u00e9",
            "\u20ac price", "\ud83d\ude00 emoji", "x".repeat(127), "y".repeat(128), "z".repeat(20_000),
            "\u00e9".repeat(200)));
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000; i++)
        {
            final StringBuilder text = new StringBuilder();
            final int length = random.nextInt(300);
            final boolean asciiOnly = random.nextBoolean();
            for (int c = 0; c < length; c++)
            {
                text.append((char)(asciiOnly ? random.nextInt(0x80) : random.nextInt(0xD800)));
            }
            texts.add(text.toString());
        }
        final AsciiUtf8 writer = new AsciiUtf8();
        for (final String text : texts)
        {
            final Bytes<?> expected = Bytes.allocateElasticOnHeap(64);
            final Bytes<?> actual = Bytes.allocateElasticOnHeap(64);
            expected.writeUtf8(text);
            writer.write(actual, text);
            assertThat(actual.toByteArray()).as("%s", text == null ? "null" : text.length() + " chars")
                .isEqualTo(expected.toByteArray());
            assertThat(actual.readUtf8()).isEqualTo(text);
        }
    }
}
