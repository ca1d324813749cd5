package io.truestock.engine.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PostalChars#code} for every character of U+0000 to U+00FF against its documented ranges. */
class PostalCharsTest
{
    @Test
    void everyLatin1CharacterGetsItsDocumentedCode()
    {
        for (char c = 0; c < 0x100; c++)
        {
            final int expected;
            if (c >= '0' && c <= '9')
            {
                expected = c - 48;
            }
            else if (Character.isLetter(c) && c < 0x80)
            {
                expected = 10 + Character.toUpperCase(c) - 65;
            }
            else if (" -./".indexOf(c) >= 0)
            {
                expected = PostalChars.SKIP;
            }
            else
            {
                expected = -1;
            }
            assertThat(PostalChars.code(c)).as("U+%04X", (int)c).isEqualTo(expected);
        }
    }
}
