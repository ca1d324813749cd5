package io.truestock.engine;

import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Encodes the DEFINE_* commands a snapshot's catalog and price lists are made of. The engine defines this seam and
 * the journal implements it with the encoding it journals commands in, so a spec has one binary format wherever
 * it is stored.
 */
public interface DefinitionCodec
{
    /**
     * @return the bytes of one command; the caller may keep them.
     * @throws IllegalArgumentException when the command cannot be encoded.
     */
    byte[] encode(Command definition);

    /**
     * Decodes bytes {@link #encode} produced.
     *
     * @param into a command to decode into; cleared first.
     * @return {@code into}.
     * @throws IllegalArgumentException when the bytes are not an encoded command.
     */
    Command decode(byte[] bytes, Command into);

    /**
     * Writes one command as a snapshot holds it: its length ({@link DataOutput#writeInt}), then its bytes. A codec
     * that encodes into a buffer of its own overrides this to write from there, without a copy per definition.
     *
     * @throws IllegalArgumentException when the command cannot be encoded.
     * @throws UncheckedIOException     when the output fails.
     */
    default void write(final Command definition, final DataOutput out)
    {
        final byte[] bytes = encode(definition);
        try
        {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Decodes the first {@code length} bytes of {@code bytes}, as {@link #decode(byte[], Command)} decodes a whole
     * array: lets a restore read every definition into one reused array.
     */
    default Command decode(final byte[] bytes, final int length, final Command into)
    {
        return decode(length == bytes.length ? bytes : Arrays.copyOf(bytes, length), into);
    }
}
