package io.truestock.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 over a sequence of typed values, each written in a fixed width (strings length-prefixed, null distinct
 * from empty), so that two different sequences of fields never hash the same bytes. Each part of the engine feeds
 * its state into one of these in a defined order; see {@link Engine#digest()}.
 */
public final class StateDigest
{
    private final MessageDigest sha;
    private final byte[] eight = new byte[8];

    public StateDigest()
    {
        try
        {
            sha = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public StateDigest putLong(final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            eight[i] = (byte)(value >>> (56 - 8 * i));
        }
        sha.update(eight);
        return this;
    }

    public StateDigest putInt(final int value)
    {
        return putLong(value);
    }

    public StateDigest putBoolean(final boolean value)
    {
        return putLong(value ? 1 : 0);
    }

    /** A string, or null, which hashes differently from every string. */
    public StateDigest putString(final String value)
    {
        if (value == null)
        {
            return putLong(-1);
        }
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        putLong(utf8.length);
        sha.update(utf8);
        return this;
    }

    /** Names the section that follows, so that fields of one part can never be read as fields of the next. */
    public StateDigest section(final String name)
    {
        return putString(name);
    }

    public byte[] finish()
    {
        return sha.digest();
    }
}
