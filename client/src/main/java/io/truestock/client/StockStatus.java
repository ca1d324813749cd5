package io.truestock.client;

/**
 * How a channel's number reads to a shopper, as HTTP's {@code status}: out of stock at 0, low at or below the
 * channel's low-stock threshold, in stock above it.
 */
public enum StockStatus
{
    IN_STOCK,
    LOW_STOCK,
    OUT_OF_STOCK
}
