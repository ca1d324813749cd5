package io.truestock.engine;

/**
 * A caller-owned, reusable copy of one (SKU, location) record as read under its seqlock.
 */
public final class StockView
{
    private long onHand;
    private long reserved;
    private long committed;
    private long safety;
    private long version;

    void set(final long onHand, final long reserved, final long committed, final long safety, final long version)
    {
        this.onHand = onHand;
        this.reserved = reserved;
        this.committed = committed;
        this.safety = safety;
        this.version = version;
    }

    public long onHand()
    {
        return onHand;
    }

    public long reserved()
    {
        return reserved;
    }

    public long committed()
    {
        return committed;
    }

    public long safety()
    {
        return safety;
    }

    /** {@code on_hand - reserved - committed - safety}, never below zero. */
    public long available()
    {
        return Math.max(0, onHand - reserved - committed - safety);
    }

    /** Engine sequence of the last change to this record. */
    public long version()
    {
        return version;
    }

    @Override
    public String toString()
    {
        return "StockView{onHand=" + onHand + ", reserved=" + reserved + ", committed=" + committed +
            ", safety=" + safety + ", available=" + available() + ", version=" + version + '}';
    }
}
