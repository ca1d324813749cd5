package io.truestock.engine;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Ids#isValid} against its documented grammar, character by character and at the length bounds. */
class IdsTest
{
    private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Test
    void everyCharacterOfTheFirstPlaneIsJudgedAsTheGrammarSays()
    {
        for (char c = 0; c < 0x3000; c++)
        {
            final String id = "a" + c + "z";
            assertThat(Ids.isValid(id)).as("U+%04X", (int)c).isEqualTo(GRAMMAR.matcher(id).matches());
            final String alone = String.valueOf(c);
            assertThat(Ids.isValid(alone)).as("U+%04X alone", (int)c).isEqualTo(GRAMMAR.matcher(alone).matches());
        }
    }

    @Test
    void oneToSixtyFourCharactersAndNoMore()
    {
        assertThat(Ids.isValid(null)).isFalse();
        assertThat(Ids.isValid("")).isFalse();
        assertThat(Ids.isValid("x")).isTrue();
        assertThat(Ids.isValid("x".repeat(Ids.MAX_LENGTH))).isTrue();
        assertThat(Ids.isValid("x".repeat(Ids.MAX_LENGTH + 1))).isFalse();
        assertThat(Ids.isValid(new StringBuilder("sku-").append(9))).isTrue();
    }
}
