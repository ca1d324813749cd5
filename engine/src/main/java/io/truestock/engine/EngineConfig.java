package io.truestock.engine;

/**
 * The bounds of one engine instance. Every table, map and queue the engine owns is sized or capped from
 * here, and what happens at each bound is a rejection with a {@link RejectReason}, never growth.
 * <p>
 * Set what you need, then call {@link #conclude()} once: it validates the whole configuration and makes
 * it immutable for the life of the engine.
 */
public final class EngineConfig
{
    public static final long DAY_MILLIS = 24L * 60 * 60 * 1000;
    /** The longest idempotency key the engine remembers; {@link #maxIdempotencyKeyLength} may only lower it. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    /** The longest free text (a name, a reason, a reference) a command carries; {@link #maxTextLength} may lower it. */
    public static final int MAX_TEXT_LENGTH = 256;
    /** The longest postal code a destination or location carries; {@link #maxPostalCodeLength} may lower it. */
    public static final int MAX_POSTAL_CODE_LENGTH = 32;

    private int maxSkus = 65_536;
    private int maxLocations = 16;
    private int maxChannels = 48;
    private int maxLinesPerCommand = 100;
    private int maxComponentsPerBundle = 32;
    private int maxOpenReservations = 262_144;
    private int maxRetainedReservations = 262_144;
    private int maxOrders = 1_048_576;
    private int maxIdempotencyEntries = 1_048_576;
    private long idempotencyWindowMillis = DAY_MILLIS;
    private long maxLineQuantity = 1_000_000;
    private long maxOnHand = 1_000_000_000_000L;
    private int maxTtlSeconds = 86_400;
    private int maxIdempotencyKeyLength = 255;
    private int maxTextLength = 256;
    private int maxPostalCodeLength = 32;
    private int maxBatchSkus = 100;
    private boolean concluded;

    public EngineConfig conclude()
    {
        requireRange("maxSkus", maxSkus, 1, 1 << 24);
        requireRange("maxLocations", maxLocations, 1, 1024);
        requireRange("maxChannels", maxChannels, 1, 1024);
        requireRange("maxLinesPerCommand", maxLinesPerCommand, 1, 10_000);
        requireRange("maxComponentsPerBundle", maxComponentsPerBundle, 1, 1024);
        requireRange("maxOpenReservations", maxOpenReservations, 1, 1 << 26);
        requireRange("maxRetainedReservations", maxRetainedReservations, 0, 1 << 26);
        requireRange("maxOrders", maxOrders, 1, 1 << 28);
        requireRange("maxIdempotencyEntries", maxIdempotencyEntries, 0, 1 << 28);
        requireRange("maxTtlSeconds", maxTtlSeconds, 1, 365 * 86_400);
        requireRange("maxIdempotencyKeyLength", maxIdempotencyKeyLength, 1, MAX_IDEMPOTENCY_KEY_LENGTH);
        requireRange("maxTextLength", maxTextLength, 1, MAX_TEXT_LENGTH);
        requireRange("maxPostalCodeLength", maxPostalCodeLength, 1, MAX_POSTAL_CODE_LENGTH);
        requireRange("maxBatchSkus", maxBatchSkus, 1, 10_000);
        if (idempotencyWindowMillis < 1)
        {
            throw new IllegalArgumentException("idempotencyWindowMillis must be positive: " + idempotencyWindowMillis);
        }
        if (maxLineQuantity < 1 || maxOnHand < maxLineQuantity)
        {
            throw new IllegalArgumentException("need 1 <= maxLineQuantity <= maxOnHand");
        }
        final long stockBytes = (long)maxSkus * maxLocations * StockTable.RECORD_BYTES;
        final long channelBytes = (long)maxSkus * maxChannels * ChannelTable.RECORD_BYTES;
        if (stockBytes > Integer.MAX_VALUE || channelBytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("maxSkus x maxLocations or maxSkus x maxChannels is too large for one table");
        }
        concluded = true;
        return this;
    }

    private static void requireRange(final String name, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    private void checkMutable()
    {
        if (concluded)
        {
            throw new IllegalStateException("EngineConfig is concluded");
        }
    }

    public boolean isConcluded()
    {
        return concluded;
    }

    public int maxSkus()
    {
        return maxSkus;
    }

    public EngineConfig maxSkus(final int value)
    {
        checkMutable();
        maxSkus = value;
        return this;
    }

    public int maxLocations()
    {
        return maxLocations;
    }

    public EngineConfig maxLocations(final int value)
    {
        checkMutable();
        maxLocations = value;
        return this;
    }

    public int maxChannels()
    {
        return maxChannels;
    }

    public EngineConfig maxChannels(final int value)
    {
        checkMutable();
        maxChannels = value;
        return this;
    }

    public int maxLinesPerCommand()
    {
        return maxLinesPerCommand;
    }

    public EngineConfig maxLinesPerCommand(final int value)
    {
        checkMutable();
        maxLinesPerCommand = value;
        return this;
    }

    public int maxComponentsPerBundle()
    {
        return maxComponentsPerBundle;
    }

    public EngineConfig maxComponentsPerBundle(final int value)
    {
        checkMutable();
        maxComponentsPerBundle = value;
        return this;
    }

    public int maxOpenReservations()
    {
        return maxOpenReservations;
    }

    public EngineConfig maxOpenReservations(final int value)
    {
        checkMutable();
        maxOpenReservations = value;
        return this;
    }

    /** How many resolved (confirmed, released, expired) reservations stay queryable by id. */
    public int maxRetainedReservations()
    {
        return maxRetainedReservations;
    }

    public EngineConfig maxRetainedReservations(final int value)
    {
        checkMutable();
        maxRetainedReservations = value;
        return this;
    }

    /** Orders held, open and closed; closed orders are forgotten oldest first to make room. */
    public int maxOrders()
    {
        return maxOrders;
    }

    public EngineConfig maxOrders(final int value)
    {
        checkMutable();
        maxOrders = value;
        return this;
    }

    public int maxIdempotencyEntries()
    {
        return maxIdempotencyEntries;
    }

    public EngineConfig maxIdempotencyEntries(final int value)
    {
        checkMutable();
        maxIdempotencyEntries = value;
        return this;
    }

    public long idempotencyWindowMillis()
    {
        return idempotencyWindowMillis;
    }

    public EngineConfig idempotencyWindowMillis(final long value)
    {
        checkMutable();
        idempotencyWindowMillis = value;
        return this;
    }

    public long maxLineQuantity()
    {
        return maxLineQuantity;
    }

    public EngineConfig maxLineQuantity(final long value)
    {
        checkMutable();
        maxLineQuantity = value;
        return this;
    }

    public long maxOnHand()
    {
        return maxOnHand;
    }

    public EngineConfig maxOnHand(final long value)
    {
        checkMutable();
        maxOnHand = value;
        return this;
    }

    public int maxTtlSeconds()
    {
        return maxTtlSeconds;
    }

    public EngineConfig maxTtlSeconds(final int value)
    {
        checkMutable();
        maxTtlSeconds = value;
        return this;
    }

    /** Characters of an idempotency key, 1 to 255 (default 255); the edges refuse a longer key. */
    public int maxIdempotencyKeyLength()
    {
        return maxIdempotencyKeyLength;
    }

    public EngineConfig maxIdempotencyKeyLength(final int value)
    {
        checkMutable();
        maxIdempotencyKeyLength = value;
        return this;
    }

    /** Characters of a free text (names, titles, reasons, references), 1 to 256 (default 256). */
    public int maxTextLength()
    {
        return maxTextLength;
    }

    public EngineConfig maxTextLength(final int value)
    {
        checkMutable();
        maxTextLength = value;
        return this;
    }

    /** Characters of a postal code, 1 to 32 (default 32). */
    public int maxPostalCodeLength()
    {
        return maxPostalCodeLength;
    }

    public EngineConfig maxPostalCodeLength(final int value)
    {
        checkMutable();
        maxPostalCodeLength = value;
        return this;
    }

    /** SKUs one availability read may ask about, 1 to 10 000 (default 100). */
    public int maxBatchSkus()
    {
        return maxBatchSkus;
    }

    public EngineConfig maxBatchSkus(final int value)
    {
        checkMutable();
        maxBatchSkus = value;
        return this;
    }

    @Override
    public String toString()
    {
        return "EngineConfig{maxSkus=" + maxSkus + ", maxLocations=" + maxLocations + ", maxChannels=" + maxChannels +
            ", maxLinesPerCommand=" + maxLinesPerCommand + ", maxOpenReservations=" + maxOpenReservations +
            ", maxOrders=" + maxOrders + ", maxIdempotencyEntries=" + maxIdempotencyEntries +
            ", idempotencyWindowMillis=" + idempotencyWindowMillis + ", maxLineQuantity=" + maxLineQuantity +
            ", maxTtlSeconds=" + maxTtlSeconds + ", maxIdempotencyKeyLength=" + maxIdempotencyKeyLength +
            ", maxTextLength=" + maxTextLength + ", maxPostalCodeLength=" + maxPostalCodeLength +
            ", maxBatchSkus=" + maxBatchSkus + '}';
    }
}
