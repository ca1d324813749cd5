package io.truestock.gateway.rules;

import io.truestock.engine.EngineConfig;

/**
 * The bounds a request must keep before it becomes a command, read from the engine's concluded configuration so
 * both edges and the engine agree on them: lines, quantities, TTLs, idempotency keys, texts, batch sizes and the
 * shape of a destination.
 */
public final class Limits
{
    /** A reservation's hold when a request gives none. */
    public static final int DEFAULT_TTL_SECONDS = 900;

    private final int maxLines;
    private final long maxQuantity;
    private final long maxOnHand;
    private final int maxTtlSeconds;
    private final int maxIdempotencyKeyLength;
    private final int maxTextLength;
    private final int maxPostalCodeLength;
    private final int maxBatchSkus;

    /**
     * @param config the engine's configuration, concluded.
     * @throws IllegalStateException if it is not concluded.
     */
    public Limits(final EngineConfig config)
    {
        if (!config.isConcluded())
        {
            throw new IllegalStateException("the engine's configuration must be concluded");
        }
        maxLines = config.maxLinesPerCommand();
        maxQuantity = config.maxLineQuantity();
        maxOnHand = config.maxOnHand();
        maxTtlSeconds = config.maxTtlSeconds();
        maxIdempotencyKeyLength = config.maxIdempotencyKeyLength();
        maxTextLength = config.maxTextLength();
        maxPostalCodeLength = config.maxPostalCodeLength();
        maxBatchSkus = config.maxBatchSkus();
    }

    /** Lines of a reservation or order, and quotes a confirmation cites. */
    public int maxLines()
    {
        return maxLines;
    }

    /** Units of one line, one receipt or one offer. */
    public long maxQuantity()
    {
        return maxQuantity;
    }

    public long maxOnHand()
    {
        return maxOnHand;
    }

    public int maxTtlSeconds()
    {
        return maxTtlSeconds;
    }

    public int maxIdempotencyKeyLength()
    {
        return maxIdempotencyKeyLength;
    }

    public int maxTextLength()
    {
        return maxTextLength;
    }

    public int maxPostalCodeLength()
    {
        return maxPostalCodeLength;
    }

    public int maxBatchSkus()
    {
        return maxBatchSkus;
    }

    public boolean isQuantity(final long qty)
    {
        return qty >= 1 && qty <= maxQuantity;
    }

    /** An idempotency key is absent (null) or 1 to {@link #maxIdempotencyKeyLength()} characters. */
    public boolean isIdempotencyKey(final String key)
    {
        return key == null || !key.isEmpty() && key.length() <= maxIdempotencyKeyLength;
    }

    /** A destination country of a command: absent, or an ISO 3166-1 alpha-2 code in capitals. */
    public static boolean isCountry(final String country)
    {
        return country == null || country.length() == 2 && isCapital(country.charAt(0)) && isCapital(country.charAt(1));
    }

    /** A destination postal code of a command: absent, or at most {@link #maxPostalCodeLength()} characters. */
    public boolean isPostalCode(final String postalCode)
    {
        return postalCode == null || postalCode.length() <= maxPostalCodeLength;
    }

    private static boolean isCapital(final char c)
    {
        return c >= 'A' && c <= 'Z';
    }
}
