package io.truestock.engine.price;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class QuotesTest
{
    private static final byte[] KEY = new byte[32];
    private final Quotes quotes = new Quotes(KEY);

    @Test
    void aQuoteSaysExactlyWhatWasIssued()
    {
        qt().withExamples(300)
            .forAll(integers().between(0, 1_000_000), integers().between(0, 4096),
                longs().between(0, Price.MAX_AMOUNT_MINOR), longs().between(0, 4_000_000_000_000L))
            .checkAssert(this::issuedIsVerified);
    }

    private void issuedIsVerified(final int sku, final int channel, final long amount, final long expiresAt)
    {
        final String id = quotes.issue(sku, channel, new Price(amount, "EUR"), expiresAt);

        assertThat(id).hasSize(Quotes.ID_LENGTH).startsWith(Quotes.PREFIX).matches("[A-Za-z0-9._:-]{1,64}");
        assertThat(quotes.verify(id)).isEqualTo(new Quotes.Quote(sku, channel, amount, "EUR", expiresAt));
    }

    @Test
    void anyChangedCharacterOrAnotherKeyIsRefused()
    {
        final String id = quotes.issue(7, 2, new Price(8999, "USD"), 1_800_000_000_000L);
        for (int i = Quotes.PREFIX.length(); i < id.length(); i++)
        {
            final char[] chars = id.toCharArray();
            final char original = chars[i];
            for (final char replacement : new char[] {'A', 'B', 'C', '-', '_', 'z', '0'})
            {
                if (replacement != original)
                {
                    chars[i] = replacement;
                    assertThat(quotes.verify(new String(chars))).as("changed at %d to %s", i, replacement).isNull();
                }
            }
        }
        final byte[] otherKey = Arrays.copyOf(KEY, 32);
        otherKey[0] = 1;
        assertThat(new Quotes(otherKey).verify(id)).isNull();
        assertThat(quotes.verify(id.substring(1))).isNull();
        assertThat(quotes.verify("q_" + "!".repeat(Quotes.ID_LENGTH - 2))).isNull();
        assertThat(quotes.verify(null)).isNull();
        assertThat(quotes.verify(id)).isNotNull();
    }

    @Test
    void aKeyOfSixteenBytesIsTheShortestTaken()
    {
        assertThat(new Quotes(new byte[16])).isNotNull();
        assertThatThrownBy(() -> new Quotes(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }
}
