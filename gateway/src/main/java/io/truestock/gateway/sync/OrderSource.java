package io.truestock.gateway.sync;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A channel whose orders are read by polling its order API (it has no push notification that carries an order's
 * lines). {@link OrderPoller} asks for the orders created since an instant, page by page, records them as channel
 * orders and only then moves its persisted cursor.
 */
interface OrderSource
{
    /** The orders on one page and the token of the next page (null on the last page). */
    record Page(List<Order> orders, String next)
    {
    }

    /**
     * One order as the channel reported it: its id, the channel's SKU (or item id) of each line with its quantity,
     * its creation instant, and the destination when the channel gives one (ISO country code, postal code).
     */
    record Order(String orderId, Map<String, Long> lines, long createdAtMillis, String country, String postalCode)
    {
    }

    /** Orders created at or after {@code sinceMillis}; {@code page} is null for the first page. */
    CompletableFuture<Page> orders(long sinceMillis, String page);

    /** Adds one unit-or-more line to an order's lines, summing repeated SKUs. */
    static void add(final Map<String, Long> lines, final String sku, final long qty)
    {
        if (sku != null && !sku.isEmpty() && qty > 0)
        {
            lines.merge(sku, qty, Long::sum);
        }
    }
}
