package io.truestock.client;

/**
 * Availability and unit price of a quantity of one SKU on one channel.
 *
 * @param sku              the SKU asked about.
 * @param channel          the channel asked about.
 * @param quantity         the units asked about.
 * @param available        units the channel publishes.
 * @param status           {@link StockStatus#OUT_OF_STOCK} when fewer than {@code quantity} are available.
 * @param priceAmountMinor unit price in minor units of {@code currency}.
 * @param currency         ISO 4217 code.
 * @param version          engine sequence at which the number was published.
 */
public record Offer(
    String sku, String channel, long quantity, long available, StockStatus status, long priceAmountMinor,
    String currency, long version, String quoteId, long quoteExpiresAtMillis, Delivery delivery,
    String deliveryReason)
{
    /**
     * A delivery promise: arrival between {@code earliestMillis} and {@code latestMillis} (UTC epoch millis) for an
     * order placed before {@code orderByMillis}, shipped from {@code location} by {@code carrier}'s {@code service}.
     */
    public record Delivery(
        long earliestMillis, long latestMillis, long orderByMillis, String location, String carrier, String service)
    {
    }
}
