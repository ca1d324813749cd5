package io.truestock.engine;

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
}
