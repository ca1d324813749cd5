package io.truestock.engine.delivery;

/**
 * Postal codes compare on letters and digits only, case-insensitively: {@code "sw1a 1aa"} and {@code "SW1A1AA"} are the
 * same code, and {@code "94103-1234"} starts with {@code "941031"}.
 */
final class PostalChars
{
    static final int ALPHABET = 36;
    static final int SKIP = -2;

    private PostalChars()
    {
    }

    /**
     * @return 0..9 for digits, 10..35 for letters of either case, {@link #SKIP} for a space or punctuation that is
     * ignored, -1 for anything else.
     */
    static int code(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z')
        {
            return 10 + (c - 'A');
        }
        if (c >= 'a' && c <= 'z')
        {
            return 10 + (c - 'a');
        }
        if (c == ' ' || c == '-' || c == '.' || c == '/')
        {
            return SKIP;
        }
        return -1;
    }
}
