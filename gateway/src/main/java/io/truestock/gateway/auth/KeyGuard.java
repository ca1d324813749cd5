package io.truestock.gateway.auth;

import java.util.function.Function;

/**
 * What every network edge asks of the keys: who a bearer token is, whether a principal authenticated earlier may
 * still act, whether its request fits its rate limit, and a call when its key is revoked. {@link ApiKeys} is the
 * server's; an edge that authenticates once per connection (binary protocol, streams, sessions) checks
 * {@link #isLive} per request or holds a {@link #watch}.
 */
public interface KeyGuard
{
    /** @return the principal of a live key with this token, or null (unknown, revoked or expired). */
    Principal authenticate(String token);

    /** @return whether the key a principal was authenticated with is still live (not revoked, not expired). */
    boolean isLive(Principal principal);

    /**
     * Spends one request of {@code kind} from the principal's rate limit.
     *
     * @return 0 when admitted, else the nanoseconds until it would be (the request must be refused).
     */
    long acquire(Principal principal, RateLimit.Kind kind);

    /**
     * Calls {@code onRevoked} once, from the revoking thread, if the principal's key is revoked while the returned
     * watch is open. Close the watch when the connection it guards closes.
     */
    Watch watch(Principal principal, Runnable onRevoked);

    /** A registration made by {@link #watch}. */
    interface Watch extends AutoCloseable
    {
        @Override
        void close();
    }

    /** Whole seconds to wait, rounded up and at least 1, for a wait {@link #acquire} returned. */
    static long retryAfterSeconds(final long waitNanos)
    {
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }

    /** A guard over a fixed token lookup: keys never expire, are never revoked and have no rate limit. */
    static KeyGuard of(final Function<String, Principal> authenticator)
    {
        return new KeyGuard()
        {
            @Override
            public Principal authenticate(final String token)
            {
                return authenticator.apply(token);
            }

            @Override
            public boolean isLive(final Principal principal)
            {
                return true;
            }

            @Override
            public long acquire(final Principal principal, final RateLimit.Kind kind)
            {
                return 0;
            }

            @Override
            public Watch watch(final Principal principal, final Runnable onRevoked)
            {
                return () ->
                {
                };
            }
        };
    }
}
