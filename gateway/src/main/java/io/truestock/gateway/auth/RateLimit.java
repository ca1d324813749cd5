package io.truestock.gateway.auth;

/**
 * A key's request budget: one token bucket for reads and one for writes, each a sustained rate per second and a
 * burst (how many requests may arrive at once after a quiet spell). A null {@link Rate} leaves that kind unlimited.
 * <p>
 * Reads are HTTP {@code GET}s (stock, offers, availability, orders, streams) and the binary protocol's queries;
 * writes are every other HTTP method and every binary command, so a key reading hard never eats its own budget for
 * reserving and confirming.
 */
public record RateLimit(Rate reads, Rate writes)
{
    /** The highest rate and burst a limit may name. */
    public static final long MAX_RATE = 1_000_000;
    public static final RateLimit UNLIMITED = new RateLimit(null, null);
    /** Agent keys by default: 1 000 reads/s (bursts of 2 000) and 100 writes/s (bursts of 200). */
    public static final RateLimit AGENT_DEFAULT = new RateLimit(new Rate(1_000, 2_000), new Rate(100, 200));
    /** Channel keys by default: 5 000 reads/s (bursts of 10 000) and 1 000 writes/s (bursts of 2 000). */
    public static final RateLimit CHANNEL_DEFAULT = new RateLimit(new Rate(5_000, 10_000), new Rate(1_000, 2_000));

    /** What a request spends. */
    public enum Kind
    {
        READ, WRITE
    }

    /**
     * @param perSecond requests a second, sustained: 1 to {@link #MAX_RATE}.
     * @param burst     requests admitted back to back from a full bucket: 1 to {@link #MAX_RATE}.
     */
    public record Rate(long perSecond, long burst)
    {
        public Rate
        {
            if (perSecond < 1 || perSecond > MAX_RATE || burst < 1 || burst > MAX_RATE)
            {
                throw new IllegalArgumentException("a rate and a burst must be in [1, " + MAX_RATE + "]");
            }
        }
    }

    public Rate rate(final Kind kind)
    {
        return kind == Kind.READ ? reads : writes;
    }

    /** One field of a limit as a request or the config file names it, or null when the kind is unlimited. */
    public Long field(final String name)
    {
        final Rate rate = name.startsWith("read") ? reads : writes;
        if (rate == null)
        {
            return null;
        }
        return name.endsWith("_per_second") ? rate.perSecond() : rate.burst();
    }

    /**
     * One kind of a limit given over {@code base}: a rate given alone brings a burst of one second's worth, a burst
     * given alone keeps the base's rate (and needs one), and nothing given keeps the base.
     *
     * @param perSecond the rate given, or null.
     * @param burst     the burst given, or null.
     * @param rateName  how the rate's field is named, for the error.
     * @param burstName how the burst's field is named, for the error.
     * @throws IllegalArgumentException naming the field at fault.
     */
    public static Rate over(
        final Rate base, final Long perSecond, final Long burst, final String rateName, final String burstName)
    {
        if (perSecond != null && (perSecond < 1 || perSecond > MAX_RATE))
        {
            throw new IllegalArgumentException(rateName + " must be an integer in [1, " + MAX_RATE + "]");
        }
        if (burst != null && (burst < 1 || burst > MAX_RATE))
        {
            throw new IllegalArgumentException(burstName + " must be an integer in [1, " + MAX_RATE + "]");
        }
        if (perSecond == null && burst == null)
        {
            return base;
        }
        if (perSecond == null)
        {
            if (base == null)
            {
                throw new IllegalArgumentException(burstName + " needs " + rateName + ": that kind is unlimited");
            }
            return new Rate(base.perSecond(), burst);
        }
        return new Rate(perSecond, burst == null ? perSecond : burst);
    }
}
