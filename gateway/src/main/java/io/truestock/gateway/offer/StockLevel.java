package io.truestock.gateway.offer;

/**
 * How a channel's number reads to a shopper, the same on every edge: out of stock at zero, low stock at or below the
 * channel's threshold, else in stock; for a quantity, out of stock when fewer than that many are available.
 */
public enum StockLevel
{
    IN_STOCK("in_stock"),
    LOW_STOCK("low_stock"),
    OUT_OF_STOCK("out_of_stock");

    private final String text;

    StockLevel(final String text)
    {
        this.text = text;
    }

    /** As the HTTP API and the streams write it. */
    public String text()
    {
        return text;
    }

    public static StockLevel of(final long available, final long lowStockThreshold)
    {
        if (available <= 0)
        {
            return OUT_OF_STOCK;
        }
        return available <= lowStockThreshold ? LOW_STOCK : IN_STOCK;
    }

    /** For an offer of {@code quantity} units. */
    public static StockLevel of(final long available, final long quantity, final long lowStockThreshold)
    {
        return available < quantity ? OUT_OF_STOCK : of(available, lowStockThreshold);
    }
}
