package io.truestock.engine;

/**
 * External identifiers: 1 to 64 characters of {@code [A-Za-z0-9._:-]}.
 */
public final class Ids
{
    public static final int MAX_LENGTH = 64;

    private Ids()
    {
    }

    public static boolean isValid(final CharSequence id)
    {
        if (id == null || id.length() == 0 || id.length() > MAX_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < id.length(); i++)
        {
            final char c = id.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
