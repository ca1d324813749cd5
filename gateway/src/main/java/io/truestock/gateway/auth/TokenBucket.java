package io.truestock.gateway.auth;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free token bucket in one {@link AtomicLong}, as the generic cell rate algorithm keeps it: the state is the
 * theoretical arrival time of the next request. A request at {@code now} is admitted when that time is at most
 * {@code (burst - 1)} intervals ahead of {@code now}, and moves it one interval on; a full bucket is a time in the
 * past. No allocation, no lock, no timer: I/O threads call it concurrently and a failed compare-and-set retries.
 */
final class TokenBucket
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long intervalNanos;
    private final long toleranceNanos;
    private final AtomicLong theoreticalArrivalNanos = new AtomicLong(Long.MIN_VALUE / 2);

    TokenBucket(final RateLimit.Rate rate)
    {
        intervalNanos = Math.max(1, NANOS_PER_SECOND / rate.perSecond());
        toleranceNanos = intervalNanos * (rate.burst() - 1);
    }

    /**
     * Takes one token at {@code nowNanos}.
     *
     * @return 0 when admitted, else how many nanoseconds until a token would be there (nothing was taken).
     */
    long tryAcquire(final long nowNanos)
    {
        while (true)
        {
            final long arrival = theoreticalArrivalNanos.get();
            // Admitting moves the arrival at most this far ahead of now; beyond it only if the clock stepped back.
            final long ceiling = nowNanos + toleranceNanos + intervalNanos;
            final long start = Math.max(Math.min(arrival, ceiling), nowNanos);
            final long waitNanos = start - nowNanos - toleranceNanos;
            if (waitNanos > 0)
            {
                if (arrival > ceiling)
                {
                    // Forget the step: the bucket counts as empty, not empty for as long as the clock went back.
                    theoreticalArrivalNanos.compareAndSet(arrival, ceiling);
                }
                return waitNanos;
            }
            if (theoreticalArrivalNanos.compareAndSet(arrival, start + intervalNanos))
            {
                return 0;
            }
        }
    }
}
