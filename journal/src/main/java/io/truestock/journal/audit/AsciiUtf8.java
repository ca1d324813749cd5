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
    /** Bytes copied at once; a longer string goes in several copies, so the scratch never grows. */
    private static final int CHUNK = 256;

    private final byte[] scratch = new byte[CHUNK];

    /** Writes {@code text} as {@code out.writeUtf8(text)} would; one writer per thread (the scratch is shared). */
    void write(final Bytes<?> out, final String text)
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
        for (int start = 0; start < length; start += CHUNK)
        {
            final int end = Math.min(length, start + CHUNK);
            // Every char is below 0x80 (checked above), so the low byte is the char.
            text.getBytes(start, end, scratch, 0);
            out.write(scratch, 0, end - start);
        }
    }
}
