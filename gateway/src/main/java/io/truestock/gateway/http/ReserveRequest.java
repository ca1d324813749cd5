package io.truestock.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.truestock.engine.Command;
import io.truestock.engine.Ids;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.CommandPolicy;
import io.truestock.gateway.rules.Limits;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * The body of {@code POST /v1/reservations}, held per thread and reused, and the filler of the reservation command
 * it asks for.
 * <p>
 * Two readers fill it. {@link #read} takes the bodies clients send (a flat object of the four known fields, ids of
 * the id alphabet, integers without sign, fraction or exponent, a reference of printable ASCII without escapes) in
 * one pass over the bytes, building no tree and keeping no parser: only the ids' strings are made, and an id seen
 * recently on this thread is not made again. Anything else (an escape, a non-ASCII character, an unknown or repeated
 * field, a value of the wrong type or out of range, malformed JSON, a body over {@link #MAX_FAST_BYTES}) makes it
 * answer false without judging the body, and the caller reads the body again with {@link #readTree}: the strict
 * tree reading of {@link JsonBody}, whose checks and problems (field paths, details, their order) are the API's.
 * So {@link #read} only has to be right about what it accepts: a body it accepts is one {@link #readTree} accepts,
 * with the same values (a property test holds the two to that), and every refusal is made by the one strict reader.
 * <p>
 * The holder is the command's filler: {@link io.truestock.engine.runtime.Sequencer#tryPublish} fills the ring's
 * slot before it returns, so the holder is free again once the submission returns. {@link #fill} refuses to
 * fill from a holder that was read again meanwhile rather than send another request's lines.
 */
final class ReserveRequest implements CommandFiller
{
    /** Bodies larger than this (a few hundred lines) are read by the tree reader; it bounds the scratch buffer. */
    static final int MAX_FAST_BYTES = 8 * 1024;
    private static final Set<String> RESERVE_FIELDS = Set.of("channel", "lines", "ttl_seconds", "reference");
    private static final int ID_CACHE_SLOTS = 256;
    private static final int MAX_ID_LENGTH = Ids.MAX_LENGTH;
    /** A long of at most 18 decimal digits cannot overflow; a longer integer goes to the tree reader. */
    private static final int MAX_INTEGER_DIGITS = 18;
    private static final int CHANNEL = 1;
    private static final int LINES = 2;
    private static final int TTL = 4;
    private static final int REFERENCE = 8;
    private static final int SKU = 1;
    private static final int QTY = 2;
    private static final byte[] CHANNEL_NAME = ascii("channel");
    private static final byte[] LINES_NAME = ascii("lines");
    private static final byte[] TTL_NAME = ascii("ttl_seconds");
    private static final byte[] REFERENCE_NAME = ascii("reference");
    private static final byte[] SKU_NAME = ascii("sku");
    private static final byte[] QTY_NAME = ascii("qty");
    /** Thrown inside {@link #read} to leave it for the tree reader; preallocated, no stack trace. */
    private static final RuntimeException NOT_FAST = new RuntimeException("not a fast body", null, false, false)
    {
    };
    private static final FastThreadLocal<ReserveRequest> PER_THREAD = new FastThreadLocal<>()
    {
        @Override
        protected ReserveRequest initialValue()
        {
            return new ReserveRequest();
        }
    };

    private final byte[] scratch = new byte[MAX_FAST_BYTES];
    private final String[] ids = new String[ID_CACHE_SLOTS];
    private byte[] in;
    private int at;
    private int end;
    private long maxQuantity;
    private int maxLines;

    private String channel;
    private int ttlSeconds;
    private String reference;
    private int lineCount;
    private String[] skus = new String[16];
    private long[] quantities = new long[16];
    private int generation;
    private int filledGeneration = -1;

    /** This thread's holder; what it holds is valid until the thread reads the next body. */
    static ReserveRequest forThread()
    {
        return PER_THREAD.get();
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads the body in one pass if it has the shape clients send.
     *
     * @return true when the body is a valid reservation request, now held here; false when it is anything else,
     * valid or not, and must be read with {@link #readTree} (nothing is held then).
     */
    boolean read(final ByteBuf content, final Limits limits)
    {
        final int length = content.readableBytes();
        if (length > MAX_FAST_BYTES)
        {
            return false;
        }
        content.getBytes(content.readerIndex(), scratch, 0, length);
        return read(scratch, 0, length, limits);
    }

    /** {@link #read(ByteBuf, Limits)} over {@code bytes[offset, offset + length)}. */
    boolean read(final byte[] bytes, final int offset, final int length, final Limits limits)
    {
        clear();
        in = bytes;
        at = offset;
        end = offset + length;
        maxQuantity = limits.maxQuantity();
        maxLines = limits.maxLines();
        ttlSeconds = Limits.DEFAULT_TTL_SECONDS;
        try
        {
            final int maxTtl = limits.maxTtlSeconds();
            final int maxText = limits.maxTextLength();
            expect(skipSpace(), '{');
            int seen = 0;
            do
            {
                expect(skipSpace(), '"');
                final int field = field();
                if ((seen & field) != 0)
                {
                    throw NOT_FAST;
                }
                seen |= field;
                expect(skipSpace(), ':');
                final byte first = skipSpace();
                switch (field)
                {
                    case CHANNEL -> channel = id(first);
                    case LINES -> lines(first);
                    case TTL -> ttlSeconds = isNull(first) ? Limits.DEFAULT_TTL_SECONDS : (int)integer(first, maxTtl);
                    default -> reference = isNull(first) ? null : text(first, maxText);
                }
            }
            while (comma());
            expect(skipSpace(), '}');
            if (skipSpace() != 0 || at != end || (seen & (CHANNEL | LINES)) != (CHANNEL | LINES))
            {
                throw NOT_FAST;
            }
            generation++;
            return true;
        }
        catch (final RuntimeException notFast)
        {
            if (notFast != NOT_FAST)
            {
                throw notFast;
            }
            clear();
            return false;
        }
        finally
        {
            in = null;
        }
    }

    /**
     * The strict reading of the body, what {@code POST /v1/reservations} has always done, in its order: unknown
     * fields, the channel, whether the caller may act for it, the lines, the TTL, the reference. Throws the
     * {@link ApiException} (or the refusal) of the first thing wrong; holds the request when nothing is.
     */
    void readTree(final JsonBody body, final Limits limits, final Principal principal)
    {
        clear();
        body.only(RESERVE_FIELDS);
        final String channelId = body.id("channel");
        Api.refuse(CommandPolicy.actFor(principal, channelId));
        final Api.Line[] lines = Api.lines(body, limits);
        final int ttl = (int)body.optionalInteger("ttl_seconds", 1, limits.maxTtlSeconds(), Limits.DEFAULT_TTL_SECONDS);
        final String referenceText = body.optionalString("reference", limits.maxTextLength());
        channel = channelId;
        ttlSeconds = ttl;
        reference = referenceText;
        for (final Api.Line line : lines)
        {
            addLine(line.sku(), line.qty());
        }
        generation++;
    }

    /** Marks the request held now as the one the next {@link #fill} sends. */
    ReserveRequest sealed()
    {
        filledGeneration = generation;
        return this;
    }

    @Override
    public void fill(final Command command)
    {
        if (filledGeneration != generation || channel == null)
        {
            throw new IllegalStateException("a reservation request's holder was reused before its command was filled");
        }
        command.reserve(channel, ttlSeconds).reference(reference);
        for (int i = 0; i < lineCount; i++)
        {
            command.addLine(skus[i], quantities[i]);
        }
    }

    String channel()
    {
        return channel;
    }

    int ttlSeconds()
    {
        return ttlSeconds;
    }

    String reference()
    {
        return reference;
    }

    int lineCount()
    {
        return lineCount;
    }

    String sku(final int line)
    {
        return skus[line];
    }

    long quantity(final int line)
    {
        return quantities[line];
    }

    private void clear()
    {
        channel = null;
        reference = null;
        ttlSeconds = Limits.DEFAULT_TTL_SECONDS;
        Arrays.fill(skus, 0, lineCount, null);
        lineCount = 0;
        generation++;
    }

    private void addLine(final String sku, final long qty)
    {
        if (lineCount == skus.length)
        {
            skus = Arrays.copyOf(skus, lineCount * 2);
            quantities = Arrays.copyOf(quantities, lineCount * 2);
        }
        skus[lineCount] = sku;
        quantities[lineCount] = qty;
        lineCount++;
    }

    // ---- the one-pass reader: each step leaves at on the first byte it did not consume ----

    /** Skips JSON whitespace; returns the byte at {@code at}, or 0 at the end (a NUL is never fast either). */
    private byte skipSpace()
    {
        while (at < end)
        {
            final byte b = in[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                return b;
            }
            at++;
        }
        return 0;
    }

    /** Consumes a comma if one comes next: true when another member or element follows. */
    private boolean comma()
    {
        if (skipSpace() == ',')
        {
            at++;
            return true;
        }
        return false;
    }

    private void expect(final byte actual, final char wanted)
    {
        if (actual != wanted)
        {
            throw NOT_FAST;
        }
        at++;
    }

    /** A field name after its opening quote, as its bit; consumes the closing quote. */
    private int field()
    {
        if (name(CHANNEL_NAME))
        {
            return CHANNEL;
        }
        if (name(LINES_NAME))
        {
            return LINES;
        }
        if (name(TTL_NAME))
        {
            return TTL;
        }
        if (name(REFERENCE_NAME))
        {
            return REFERENCE;
        }
        throw NOT_FAST;
    }

    private boolean name(final byte[] expected)
    {
        final int close = at + expected.length;
        if (close >= end || in[close] != '"')
        {
            return false;
        }
        for (int i = 0; i < expected.length; i++)
        {
            if (in[at + i] != expected[i])
            {
                return false;
            }
        }
        at = close + 1;
        return true;
    }

    private boolean isNull(final byte first)
    {
        if (first == 'n' && at + 4 <= end && in[at + 1] == 'u' && in[at + 2] == 'l' && in[at + 3] == 'l')
        {
            at += 4;
            return true;
        }
        return false;
    }

    private void lines(final byte first)
    {
        expect(first, '[');
        do
        {
            if (lineCount == maxLines)
            {
                throw NOT_FAST;
            }
            expect(skipSpace(), '{');
            int seen = 0;
            String sku = null;
            long qty = 0;
            do
            {
                expect(skipSpace(), '"');
                final int field;
                if (name(SKU_NAME))
                {
                    field = SKU;
                }
                else if (name(QTY_NAME))
                {
                    field = QTY;
                }
                else
                {
                    throw NOT_FAST;
                }
                if ((seen & field) != 0)
                {
                    throw NOT_FAST;
                }
                seen |= field;
                expect(skipSpace(), ':');
                if (field == SKU)
                {
                    sku = id(skipSpace());
                }
                else
                {
                    qty = integer(skipSpace(), maxQuantity);
                }
            }
            while (comma());
            expect(skipSpace(), '}');
            if (seen != (SKU | QTY))
            {
                throw NOT_FAST;
            }
            addLine(sku, qty);
        }
        while (comma());
        expect(skipSpace(), ']');
    }

    /** A positive integer in [1, max], digits only: no sign, no leading zero, no fraction, no exponent. */
    private long integer(final byte first, final long max)
    {
        if (first < '1' || first > '9')
        {
            throw NOT_FAST;
        }
        long value = 0;
        final int start = at;
        while (at < end && in[at] >= '0' && in[at] <= '9')
        {
            value = value * 10 + (in[at] - '0');
            at++;
        }
        if (at - start > MAX_INTEGER_DIGITS || value > max)
        {
            throw NOT_FAST;
        }
        // What follows must end the number: '.', 'e' or a letter is not whitespace, ',', '}' or ']', which is all
        // the callers accept next.
        return value;
    }

    /** A string of the id alphabet, 1 to 64 characters, no escapes; the same string as the last time if cached. */
    private String id(final byte first)
    {
        expect(first, '"');
        final int start = at;
        int hash = 0;
        while (at < end)
        {
            final byte c = in[at];
            if (c == '"')
            {
                break;
            }
            if (!isIdByte(c))
            {
                throw NOT_FAST;
            }
            hash = 31 * hash + c;
            at++;
        }
        final int length = at - start;
        if (at == end || length == 0 || length > MAX_ID_LENGTH)
        {
            throw NOT_FAST;
        }
        at++;
        final int slot = (hash ^ (hash >>> 16)) & (ID_CACHE_SLOTS - 1);
        final String cached = ids[slot];
        if (cached != null && sameAscii(cached, start, length))
        {
            return cached;
        }
        final String id = new String(in, start, length, StandardCharsets.US_ASCII);
        ids[slot] = id;
        return id;
    }

    private boolean sameAscii(final String text, final int start, final int length)
    {
        if (text.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (text.charAt(i) != in[start + i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdByte(final byte c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == ':' || c == '-';
    }

    /** A string of printable ASCII without escapes, at most {@code maxLength} characters. */
    private String text(final byte first, final int maxLength)
    {
        expect(first, '"');
        final int start = at;
        while (at < end)
        {
            final byte c = in[at];
            if (c == '"')
            {
                break;
            }
            if (c < 0x20 || c > 0x7e || c == '\\')
            {
                throw NOT_FAST;
            }
            at++;
        }
        final int length = at - start;
        if (at == end || length > maxLength)
        {
            throw NOT_FAST;
        }
        at++;
        return new String(in, start, length, StandardCharsets.US_ASCII);
    }
}
