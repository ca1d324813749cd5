package io.truestock.journal.audit;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Writes a string exactly as {@code Bytes.writeUtf8(String)} does (a stop-bit length, then the UTF-8 bytes; -1 for
 * null), with a fast path for the ASCII strings an audit record is made of (ids, keys, principals): Chronicle's own
 * method reads each string's coder through reflection first, which cost about a quarter of a microsecond per
 * record. Anything that is not ASCII goes to Chronicle's method, so the bytes are Chronicle's either way and
 * {@code readUtf8} reads them back.
 */
final class AsciiUtf8
{
    private static final int ASCII_LIMIT = 0x80;

    private AsciiUtf8()
    {
    }

    static void write(final Bytes<?> out, final String text)
    {
        if (text == null)
        {
            out.writeStopBit(-1);
            return;
        }
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            if (text.charAt(i) >= ASCII_LIMIT)
            {
                out.writeUtf8(text);
                return;
            }
        }
        out.writeStopBit(length);
        for (int i = 0; i < length; i++)
        {
            out.writeByte((byte)text.charAt(i));
        }
    }
}
