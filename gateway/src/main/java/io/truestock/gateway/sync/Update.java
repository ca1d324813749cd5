package io.truestock.gateway.sync;

/**
 * One value to put on a channel: the engine's latest published availability of a SKU and the version (engine
 * sequence) it was computed at, with the channel's item id and the last quantity the channel acknowledged
 * ({@link #UNKNOWN} when none is known), which compare-and-swap APIs use. {@code asOfVersion} is the highest
 * engine version the outbox had received when the update was taken: batches taken later carry a higher or equal
 * one, so a channel that records it can tell an older batch from a newer one.
 * <p>
 * For a channel whose requests carry prices, {@code pricing} is the SKU's price on the channel when the update was
 * taken (null when the channel carries no prices or the SKU has none), and {@code priceChanged} tells whether it
 * differs from the price the channel last acknowledged (or none is known): connectors whose price travels in a
 * request of its own (Shopify, Amazon) send it only then.
 */
public record Update(int sku, String skuId, String itemId, long qty, long version, long ackedQty, long asOfVersion,
    Pricing pricing, boolean priceChanged)
{
    public static final long UNKNOWN = -1;

    /** An update without a price. */
    public Update(final int sku, final String skuId, final String itemId, final long qty, final long version,
        final long ackedQty, final long asOfVersion)
    {
        this(sku, skuId, itemId, qty, version, ackedQty, asOfVersion, null, false);
    }
}
