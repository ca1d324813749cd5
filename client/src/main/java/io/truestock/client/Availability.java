package io.truestock.client;

/**
 * What one channel shows for one SKU.
 *
 * @param sku       the SKU asked about.
 * @param channel   the channel asked about.
 * @param available units the channel publishes.
 * @param status    how that number reads.
 * @param version   engine sequence at which the number was published.
 */
public record Availability(String sku, String channel, long available, StockStatus status, long version)
{
}
