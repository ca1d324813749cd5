package io.truestock.gateway.sync;

import java.util.Arrays;

/**
 * What a channel said about one request: a status per update (in the order they were sent) and, for the whole
 * channel, how long to hold off before the next request (a 429's Retry-After, a cost bucket running dry).
 */
public final class Delivery
{
    /** The fate of one update. */
    public enum Status
    {
        /** The channel confirmed the value. */
        ACKED,
        /** Throttled, a 5xx, a timeout or a connection error: retry with backoff. */
        RETRY,
        /** The channel refused this value for good (unknown item, invalid request): dead-letter it. */
        REJECTED
    }

    private final Status[] statuses;
    private final String[] errors;
    private long pauseMillis;

    public Delivery(final int size)
    {
        statuses = new Status[size];
        errors = new String[size];
    }

    /** Every update gets the same fate. */
    public static Delivery all(final int size, final Status status, final String error)
    {
        final Delivery delivery = new Delivery(size);
        Arrays.fill(delivery.statuses, status);
        Arrays.fill(delivery.errors, error);
        return delivery;
    }

    public Delivery set(final int index, final Status status, final String error)
    {
        statuses[index] = status;
        errors[index] = error;
        return this;
    }

    public Delivery pauseMillis(final long value)
    {
        pauseMillis = Math.max(pauseMillis, value);
        return this;
    }

    public int size()
    {
        return statuses.length;
    }

    public Status status(final int index)
    {
        return statuses[index] == null ? Status.RETRY : statuses[index];
    }

    /** A short, credential-free description of why an update was not acknowledged. */
    public String error(final int index)
    {
        return errors[index] == null ? "no answer for this item" : errors[index];
    }

    public long pauseMillis()
    {
        return pauseMillis;
    }
}
