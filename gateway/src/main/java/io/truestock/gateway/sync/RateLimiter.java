package io.truestock.gateway.sync;

/**
 * A token bucket (a steady rate and a burst) plus a pause the channel itself can impose (a 429's Retry-After,
 * a GraphQL cost bucket running dry). Synchronized: the scheduler takes tokens, request completions impose pauses. Time is passed in.
 */
final class RateLimiter
{
    private final double perMilli;
    private final double burst;
    private double tokens;
    private long lastMillis;
    private long pausedUntilMillis;

    RateLimiter(final double requestsPerSecond, final int burst, final long nowMillis)
    {
        this.perMilli = requestsPerSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = nowMillis;
    }

    private void refill(final long nowMillis)
    {
        if (nowMillis > lastMillis)
        {
            tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * perMilli);
            lastMillis = nowMillis;
        }
    }

    /** Takes one request's token if the channel is not paused and one is available. */
    synchronized boolean tryAcquire(final long nowMillis)
    {
        if (nowMillis < pausedUntilMillis)
        {
            return false;
        }
        refill(nowMillis);
        if (tokens >= 1)
        {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * Charges {@code requests} more tokens for calls a request needed beyond its own (a price sent on its own
     * endpoint): the bucket may go below zero, which delays the next request until it has refilled.
     */
    synchronized void charge(final long nowMillis, final int requests)
    {
        refill(nowMillis);
        tokens -= requests;
    }

    /** The earliest instant a request could be allowed. */
    synchronized long nextAllowedMillis(final long nowMillis)
    {
        refill(nowMillis);
        final long tokenAt = tokens >= 1 ? nowMillis : nowMillis + (long)Math.ceil((1 - tokens) / perMilli);
        return Math.max(tokenAt, pausedUntilMillis);
    }

    /** Holds every request until {@code untilMillis} (a later pause wins; an earlier one does not shorten it). */
    synchronized void pauseUntil(final long untilMillis)
    {
        pausedUntilMillis = Math.max(pausedUntilMillis, untilMillis);
    }

    synchronized long pausedUntilMillis()
    {
        return pausedUntilMillis;
    }
}
