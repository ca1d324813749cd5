package io.truestock.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

/**
 * Writes one JSON document into a pooled {@link ByteBuf}. Unchecked wrapper over Jackson's streaming generator,
 * so response rendering reads top to bottom.
 */
public final class JsonOut implements AutoCloseable
{
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter RFC3339_MILLIS =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ByteBuf buffer;
    private final JsonGenerator json;

    public JsonOut(final ByteBufAllocator allocator)
    {
        buffer = allocator.buffer(256);
        try
        {
            json = FACTORY.createGenerator((java.io.OutputStream)new ByteBufOutputStream(buffer));
        }
        catch (final IOException ex)
        {
            buffer.release();
            throw new UncheckedIOException(ex);
        }
    }

    public static String instant(final long epochMillis)
    {
        return RFC3339_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    public JsonOut startObject()
    {
        try
        {
            json.writeStartObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut startObject(final String field)
    {
        try
        {
            json.writeObjectFieldStart(field);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut endObject()
    {
        try
        {
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut startArray(final String field)
    {
        try
        {
            json.writeArrayFieldStart(field);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut endArray()
    {
        try
        {
            json.writeEndArray();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut field(final String name, final String value)
    {
        try
        {
            if (value == null)
            {
                json.writeNullField(name);
            }
            else
            {
                json.writeStringField(name, value);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut field(final String name, final long value)
    {
        try
        {
            json.writeNumberField(name, value);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut field(final String name, final boolean value)
    {
        try
        {
            json.writeBooleanField(name, value);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut nullField(final String name)
    {
        try
        {
            json.writeNullField(name);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut value(final String value)
    {
        try
        {
            json.writeString(value);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut instantField(final String name, final long epochMillis)
    {
        return field(name, instant(epochMillis));
    }

    public JsonOut money(final String name, final long amountMinor, final String currency)
    {
        return startObject(name).field("amount", amountMinor).field("currency", currency).endObject();
    }

    /** Finishes the document and hands over the buffer; the caller owns (and releases) it. */
    public ByteBuf finish()
    {
        try
        {
            json.close();
        }
        catch (final IOException ex)
        {
            buffer.release();
            throw new UncheckedIOException(ex);
        }
        return buffer;
    }

    @Override
    public void close()
    {
        if (!json.isClosed())
        {
            try
            {
                json.close();
            }
            catch (final IOException ignored)
            {
                // closing a generator over a ByteBuf cannot fail in a way the caller could act on
            }
            buffer.release();
        }
    }
}
