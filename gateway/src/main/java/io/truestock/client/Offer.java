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
    String currency, long version)
{
}
