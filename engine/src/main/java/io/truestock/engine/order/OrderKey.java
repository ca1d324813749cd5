package io.truestock.engine.order;

/**
 * (channel index, order id): the key of an order. Mutable so that lookups probe with one reused instance and an
 * order recycles its own; a key is changed only while its order is out of the table.
 */
public final class OrderKey
{
    private int channel;
    private String orderId;
    private int hash;

    public OrderKey set(final int channelIndex, final String id)
    {
        channel = channelIndex;
        orderId = id;
        hash = 31 * channelIndex + id.hashCode();
        return this;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof OrderKey that && channel == that.channel && orderId.equals(that.orderId);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public String toString()
    {
        return channel + "/" + orderId;
    }
}
