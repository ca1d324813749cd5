package io.truestock.engine.delivery;

/**
 * Caller-owned, reusable holder for one answer of {@link DeliveryPlanner#promise}. Not thread-safe: one per thread.
 * The carrier and service ids are references to the configured id strings, never fresh copies. When
 * {@link #reason()} is not {@link PromiseReason#PROMISED} only {@code reason} and {@code locationIndex} are meaningful.
 */
public final class DeliveryPromise
{
    private PromiseReason reason = PromiseReason.UNKNOWN_LOCATION;
    private int locationIndex = -1;
    private String carrierId;
    private String serviceId;
    private long earliestMillis;
    private long latestMillis;
    private long orderByMillis;
    private int readyEpochDay;
    private int shipEpochDay;
    private int earliestEpochDay;
    private int latestEpochDay;

    /** Back to the state of a new holder: no location, no promise. */
    public DeliveryPromise reset()
    {
        fail(-1, PromiseReason.UNKNOWN_LOCATION);
        return this;
    }

    void fail(final int locationIndex, final PromiseReason reason)
    {
        this.reason = reason;
        this.locationIndex = locationIndex;
        carrierId = null;
        serviceId = null;
        earliestMillis = 0;
        latestMillis = 0;
        orderByMillis = 0;
        readyEpochDay = 0;
        shipEpochDay = 0;
        earliestEpochDay = 0;
        latestEpochDay = 0;
    }

    void set(
        final int locationIndex,
        final String carrierId,
        final String serviceId,
        final long earliestMillis,
        final long latestMillis,
        final long orderByMillis,
        final int readyEpochDay,
        final int shipEpochDay,
        final int earliestEpochDay,
        final int latestEpochDay)
    {
        this.reason = PromiseReason.PROMISED;
        this.locationIndex = locationIndex;
        this.carrierId = carrierId;
        this.serviceId = serviceId;
        this.earliestMillis = earliestMillis;
        this.latestMillis = latestMillis;
        this.orderByMillis = orderByMillis;
        this.readyEpochDay = readyEpochDay;
        this.shipEpochDay = shipEpochDay;
        this.earliestEpochDay = earliestEpochDay;
        this.latestEpochDay = latestEpochDay;
    }

    /** Copies every field of {@code other} into this holder. */
    public void copyFrom(final DeliveryPromise other)
    {
        reason = other.reason;
        locationIndex = other.locationIndex;
        carrierId = other.carrierId;
        serviceId = other.serviceId;
        earliestMillis = other.earliestMillis;
        latestMillis = other.latestMillis;
        orderByMillis = other.orderByMillis;
        readyEpochDay = other.readyEpochDay;
        shipEpochDay = other.shipEpochDay;
        earliestEpochDay = other.earliestEpochDay;
        latestEpochDay = other.latestEpochDay;
    }

    /**
     * Orders two promises by arrival, as the planner orders services: the earlier {@link #latestMillis()} first,
     * then the earlier {@link #earliestMillis()}; a missing promise after every promise.
     *
     * @return negative when this promise arrives sooner than {@code other}, 0 when they arrive alike.
     */
    public int compareArrival(final DeliveryPromise other)
    {
        final boolean mine = isPromised();
        final boolean theirs = other.isPromised();
        if (mine != theirs)
        {
            return mine ? -1 : 1;
        }
        if (!mine)
        {
            return 0;
        }
        final int byLatest = Long.compare(latestMillis, other.latestMillis);
        return byLatest != 0 ? byLatest : Long.compare(earliestMillis, other.earliestMillis);
    }

    public boolean isPromised()
    {
        return reason == PromiseReason.PROMISED;
    }

    public PromiseReason reason()
    {
        return reason;
    }

    public int locationIndex()
    {
        return locationIndex;
    }

    public String carrierId()
    {
        return carrierId;
    }

    public String serviceId()
    {
        return serviceId;
    }

    /** Start (local 00:00) of the earliest arrival day, in the location's timezone, as UTC epoch millis. */
    public long earliestMillis()
    {
        return earliestMillis;
    }

    /** End (local 23:59:59.999) of the latest arrival day, in the location's timezone, as UTC epoch millis. */
    public long latestMillis()
    {
        return latestMillis;
    }

    /** The cutoff instant of the ship-ready day: an order placed before it gets this promise, one at it does not. */
    public long orderByMillis()
    {
        return orderByMillis;
    }

    /** Local date (epoch day) of the first working day whose cutoff had not passed: handling starts that day. */
    public int readyEpochDay()
    {
        return readyEpochDay;
    }

    /** Local date (epoch day) the parcel leaves the location: the ready day plus the handling days. */
    public int shipEpochDay()
    {
        return shipEpochDay;
    }

    /** Local date (epoch day) of the earliest arrival. */
    public int earliestEpochDay()
    {
        return earliestEpochDay;
    }

    /** Local date (epoch day) of the latest arrival. */
    public int latestEpochDay()
    {
        return latestEpochDay;
    }

    /** Allocates; for logs and tests. */
    @Override
    public String toString()
    {
        if (!isPromised())
        {
            return "DeliveryPromise{" + reason + ", location=" + locationIndex + '}';
        }
        return "DeliveryPromise{location=" + locationIndex + ", carrier=" + carrierId + ", service=" + serviceId +
            ", earliest=" + java.time.Instant.ofEpochMilli(earliestMillis) +
            ", latest=" + java.time.Instant.ofEpochMilli(latestMillis) +
            ", orderBy=" + java.time.Instant.ofEpochMilli(orderByMillis) +
            ", ready=" + java.time.LocalDate.ofEpochDay(readyEpochDay) +
            ", ship=" + java.time.LocalDate.ofEpochDay(shipEpochDay) + '}';
    }
}
