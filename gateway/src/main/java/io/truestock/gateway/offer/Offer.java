package io.truestock.gateway.offer;

import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.price.Price;
import io.truestock.engine.routing.RoutePlan;

/**
 * One answer of an {@link OfferQuery}, caller-owned and reused: what a channel shows for a quantity of a SKU, its
 * unit price, the delivery promise to a destination (or why there is none) and the signed quote that holds the
 * price. Not thread safe: one per thread.
 */
public final class Offer
{
    final DeliveryPromise promise = new DeliveryPromise();
    RoutePlan plan;
    int skuIndex;
    int channelIndex;
    String skuId;
    String channelId;
    long quantity;
    long available;
    long version;
    StockLevel status;
    Price price;
    String deliveryLocation;
    String deliveryReason;
    String quoteId;
    long quoteExpiresAtMillis;

    public int skuIndex()
    {
        return skuIndex;
    }

    public int channelIndex()
    {
        return channelIndex;
    }

    public String skuId()
    {
        return skuId;
    }

    public String channelId()
    {
        return channelId;
    }

    public long quantity()
    {
        return quantity;
    }

    /** What the channel shows now. */
    public long available()
    {
        return available;
    }

    /** The engine sequence {@link #available()} was published at. */
    public long version()
    {
        return version;
    }

    public StockLevel status()
    {
        return status;
    }

    /** The effective unit price on the channel at the instant of the offer. */
    public Price price()
    {
        return price;
    }

    /** True when {@link #promise()} holds a delivery promise; else {@link #deliveryReason()} says why not. */
    public boolean delivers()
    {
        return deliveryReason == null;
    }

    /** Meaningful only when {@link #delivers()}. */
    public DeliveryPromise promise()
    {
        return promise;
    }

    /**
     * The shipments of the offer, in location order: exactly those a confirmation made now to the same destination
     * would create (one router computes both). {@link #promise()} is the one that arrives last. Meaningful only
     * when {@link #delivers()}; owned by the offer.
     */
    public RoutePlan plan()
    {
        return plan;
    }

    /** The location the promise ships from; null without a promise. */
    public String deliveryLocation()
    {
        return deliveryLocation;
    }

    /** Why there is no promise ({@code no_destination}, {@code not_enough_stock}, {@code no_zone}, ...); else null. */
    public String deliveryReason()
    {
        return deliveryReason;
    }

    public String quoteId()
    {
        return quoteId;
    }

    public long quoteExpiresAtMillis()
    {
        return quoteExpiresAtMillis;
    }
}
