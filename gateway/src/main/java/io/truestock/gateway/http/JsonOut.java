package io.truestock.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

/**
 * Writes one JSON document into a pooled {@link ByteBuf}. Unchecked wrapper over Jackson's streaming generator,
 * so response rendering reads top to bottom.
 * <p>
 * Every answer renders one of these, on the event loops and on the output stage, so the generator is not made per
 * document: each thread keeps one (with its write contexts, and Jackson's output buffer) over a stream that is
 * pointed at the buffer of the document being written, and a finished document leaves it at the root, ready for
 * the next. A document begun while the thread's generator is busy (one rendered inside another) gets a generator of
 * its own, as does everything after a document that was abandoned half-written: the bytes are the same either way.
 */
public final class JsonOut implements AutoCloseable
{
    /** No separator between root values: the reused generator writes one document after another. */
    private static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((String)null).build();
    private static final DateTimeFormatter RFC3339_MILLIS =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years {@link #instant} writes by hand. */
    private static final long MIN_FAST_MILLIS = -62_135_596_800_000L;
    private static final long MAX_FAST_MILLIS = 253_402_300_800_000L;
    private static final int INSTANT_LENGTH = 24;
    private static final FastThreadLocal<Reusable> REUSABLE = new FastThreadLocal<>()
    {
        @Override
        protected Reusable initialValue()
        {
            return new Reusable();
        }
    };

    private final ByteBuf buffer;
    private final JsonGenerator json;
    /** The thread's generator while this document holds it, else null (a generator of its own). */
    private Reusable reusable;
    private boolean done;

    public JsonOut(final ByteBufAllocator allocator)
    {
        buffer = allocator.buffer(256);
        final Reusable shared = REUSABLE.get();
        try
        {
            if (shared.busy)
            {
                json = FACTORY.createGenerator((OutputStream)new ByteBufOutputStream(buffer));
            }
            else
            {
                if (shared.json == null)
                {
                    shared.json = FACTORY.createGenerator(shared.sink);
                }
                shared.busy = true;
                shared.sink.target = buffer;
                reusable = shared;
                json = shared.json;
            }
        }
        catch (final IOException ex)
        {
            buffer.release();
            throw new UncheckedIOException(ex);
        }
    }

    /** The stream under a thread's reused generator: appends to the buffer of the document being written. */
    private static final class BufferSink extends OutputStream
    {
        ByteBuf target;

        @Override
        public void write(final int b)
        {
            target.writeByte(b);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length)
        {
            target.writeBytes(bytes, offset, length);
        }
    }

    /** A thread's generator and what it writes through. */
    private static final class Reusable
    {
        final BufferSink sink = new BufferSink();
        final char[] instant = new char[INSTANT_LENGTH];
        JsonGenerator json;
        boolean busy;
    }

    /**
     * RFC 3339 in UTC with milliseconds ({@code 2026-12-04T03:14:00.196Z}), as {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}
     * formats it. Years 1 to 9999 are written by hand (calendar arithmetic, one string, no formatter state): every
     * answer that holds a reservation or a promise renders a few of these on the output stage; others go through
     * the formatter.
     */
    public static String instant(final long epochMillis)
    {
        if (epochMillis < MIN_FAST_MILLIS || epochMillis >= MAX_FAST_MILLIS)
        {
            return RFC3339_MILLIS.format(Instant.ofEpochMilli(epochMillis));
        }
        final char[] text = new char[INSTANT_LENGTH];
        instant(epochMillis, text);
        return new String(text);
    }

    /** Writes the {@link #instant} of a time in the years 1 to 9999 into {@code text[0, 24)}. */
    private static void instant(final long epochMillis, final char[] text)
    {
        final long epochDay = Math.floorDiv(epochMillis, 86_400_000L);
        final int millisOfDay = (int)Math.floorMod(epochMillis, 86_400_000L);
        // Days to civil date (proleptic Gregorian), eras of 400 years starting on March 1st.
        final long z = epochDay + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final int dayOfEra = (int)(z - era * 146_097);
        final int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        final int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final int mp = (5 * dayOfYear + 2) / 153;
        final int day = dayOfYear - (153 * mp + 2) / 5 + 1;
        final int month = mp < 10 ? mp + 3 : mp - 9;
        final int year = (int)(yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, month, 2);
        text[7] = '-';
        digits(text, 8, day, 2);
        text[10] = 'T';
        digits(text, 11, millisOfDay / 3_600_000, 2);
        text[13] = ':';
        digits(text, 14, millisOfDay / 60_000 % 60, 2);
        text[16] = ':';
        digits(text, 17, millisOfDay / 1000 % 60, 2);
        text[19] = '.';
        digits(text, 20, millisOfDay % 1000, 3);
        text[23] = 'Z';
    }

    private static void digits(final char[] text, final int at, final int value, final int width)
    {
        int rest = value;
        for (int i = at + width - 1; i >= at; i--)
        {
            text[i] = (char)('0' + rest % 10);
            rest /= 10;
        }
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

    /** As {@code field(name, instant(epochMillis))}; with the thread's generator, without making the string. */
    public JsonOut instantField(final String name, final long epochMillis)
    {
        if (reusable == null || epochMillis < MIN_FAST_MILLIS || epochMillis >= MAX_FAST_MILLIS)
        {
            return field(name, instant(epochMillis));
        }
        final char[] text = reusable.instant;
        instant(epochMillis, text);
        try
        {
            json.writeFieldName(name);
            json.writeString(text, 0, INSTANT_LENGTH);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public JsonOut money(final String name, final long amountMinor, final String currency)
    {
        return startObject(name).field("amount", amountMinor).field("currency", currency).endObject();
    }

    /** Finishes the document and hands over the buffer; the caller owns (and releases) it. */
    public ByteBuf finish()
    {
        done = true;
        try
        {
            if (reusable != null && json.getOutputContext().inRoot())
            {
                json.flush();
                giveBack();
            }
            else
            {
                // A generator of its own, or a document left open: closing ends its open objects and arrays, as it
                // always has. The thread's generator is not used again after that.
                json.close();
            }
        }
        catch (final IOException ex)
        {
            buffer.release();
            throw new UncheckedIOException(ex);
        }
        finally
        {
            retire();
        }
        return buffer;
    }

    /** Releases the buffer of a document that was not finished; nothing after {@link #finish}. */
    @Override
    public void close()
    {
        if (done)
        {
            return;
        }
        done = true;
        try
        {
            json.close();
        }
        catch (final IOException ignored)
        {
            // closing a generator over a ByteBuf cannot fail in a way the caller could act on
        }
        finally
        {
            retire();
        }
        buffer.release();
    }

    /** Hands the thread's generator back, at the root and flushed, for the thread's next document. */
    private void giveBack()
    {
        reusable.sink.target = null;
        reusable.busy = false;
        reusable = null;
    }

    /** Drops the thread's generator (its state is unknown); the thread's next document makes a new one. */
    private void retire()
    {
        if (reusable != null)
        {
            reusable.json = null;
            giveBack();
        }
    }
}
