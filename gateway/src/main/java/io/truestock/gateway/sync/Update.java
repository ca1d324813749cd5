package io.truestock.gateway.sync;

/**
 * One value to put on a channel: the engine's latest published availability of a SKU and the version (engine
 * sequence) it was computed at, with the channel's item id and the last quantity the channel acknowledged
 * ({@link #UNKNOWN} when none is known), which compare-and-swap APIs use. {@code asOfVersion} is the highest
 * engine version the outbox had received when the update was taken: batches taken later carry a higher or equal
 * one, so a channel that records it can tell an older batch from a newer one.
 */
public record Update(int sku, String skuId, String itemId, long qty, long version, long ackedQty, long asOfVersion)
{
    public static final long UNKNOWN = -1;
}
