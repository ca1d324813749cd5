package io.truestock.gateway.binary;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 into caller-owned scratch space: ids and server messages are ASCII, so the common case copies chars
 * without allocating; anything else goes through the JDK encoder.
 */
final class Utf8
{
    private Utf8()
    {
    }

    /**
     * Writes the UTF-8 of {@code value} (null as empty) into {@code into}, cut at {@code maxBytes} and never inside
     * a character.
     *
     * @return the byte count.
     */
    static int encode(final String value, final byte[] into, final int maxBytes)
    {
        if (value == null)
        {
            return 0;
        }
        final int limit = Math.min(maxBytes, into.length);
        final int length = value.length();
        int n = 0;
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c >= 0x80)
            {
                return encodeSlow(value, i, n, into, limit);
            }
            if (n == limit)
            {
                return n;
            }
            into[n++] = (byte)c;
        }
        return n;
    }

    private static int encodeSlow(final String value, final int from, final int written, final byte[] into, final int limit)
    {
        int n = written;
        int i = from;
        while (i < value.length())
        {
            final int codePoint = value.codePointAt(i);
            final int chars = Character.charCount(codePoint);
            final byte[] bytes = value.substring(i, i + chars).getBytes(StandardCharsets.UTF_8);
            if (n + bytes.length > limit)
            {
                return n;
            }
            System.arraycopy(bytes, 0, into, n, bytes.length);
            n += bytes.length;
            i += chars;
        }
        return n;
    }
}
