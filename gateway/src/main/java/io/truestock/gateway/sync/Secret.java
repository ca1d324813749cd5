package io.truestock.gateway.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A credential read from an environment variable or a file named in the config. It is never printed: its
 * {@link #toString()} names only where it came from, so a config dump, a log line or an error body cannot leak it.
 */
public final class Secret
{
    private final String source;
    private final String value;

    private Secret(final String source, final String value)
    {
        this.source = source;
        this.value = value;
    }

    /** A secret given directly (tests and embedding); shown as {@code <inline>}. */
    public static Secret of(final String value)
    {
        if (value == null || value.isEmpty())
        {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        return new Secret("inline", value);
    }

    /** Reads the variable now; a missing or empty variable is a configuration error naming the variable only. */
    public static Secret fromEnv(final String variable)
    {
        final String value = System.getenv(variable);
        if (value == null || value.isEmpty())
        {
            throw new IllegalArgumentException("environment variable " + variable + " is not set");
        }
        return new Secret("env " + variable, value);
    }

    /** Reads the file now (trailing newlines stripped); an unreadable or empty file is a configuration error. */
    public static Secret fromFile(final Path file)
    {
        final String value;
        try
        {
            value = Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read secret file " + file);
        }
        if (value.isEmpty())
        {
            throw new IllegalArgumentException("secret file " + file + " is empty");
        }
        return new Secret("file " + file, value);
    }

    /** The credential itself; only protocol code that puts it on the wire calls this. */
    public String reveal()
    {
        return value;
    }

    public byte[] bytes()
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        return "<secret from " + source + ">";
    }
}
