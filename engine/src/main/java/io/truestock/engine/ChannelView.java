package io.truestock.engine;

/**
 * A caller-owned, reusable copy of one channel's published availability for one SKU.
 */
public final class ChannelView
{
    private long available;
    private long version;

    void set(final long available, final long version)
    {
        this.available = available;
        this.version = version;
    }

    /** What the channel should show: {@code clamp(floor(pool * percent / 100) - buffer, 0, max_listed)}. */
    public long available()
    {
        return available;
    }

    /** Engine sequence at which this value was published. */
    public long version()
    {
        return version;
    }
}
