package io.truestock.gateway.sync;

import io.truestock.engine.price.Price;

/**
 * A SKU's price on one channel as a connector puts it on the wire: the effective unit price now, the regular price
 * (the channel's override, else the base) and, while a sale runs, that sale's window. Channels that show a sale
 * as a discount beside a regular price (Shopify's compare-at price, Amazon's discounted price, WooCommerce's sale
 * price) read all of it; the generic webhook reads the effective price only.
 *
 * @param price            the effective unit price (the sale's price while one runs).
 * @param regular          the price without any sale.
 * @param saleStartMillis  start of the running sale (inclusive), or 0 when none runs.
 * @param saleEndMillis    end of the running sale (exclusive), or 0 when none runs.
 */
public record Pricing(Price price, Price regular, long saleStartMillis, long saleEndMillis)
{
    /** True while a sale makes the effective price lower than the regular one. */
    public boolean onSale()
    {
        return price.amountMinor() < regular.amountMinor();
    }

    /**
     * A 64-bit fingerprint of everything a connector may send about the price, never 0 (0 stands for "no price" in
     * the acknowledgement ledger). Equal pricings have equal digests; the ledger compares digests to tell whether
     * the price a channel acknowledged is still the engine's.
     */
    public long digest()
    {
        long h = 0x9E3779B97F4A7C15L;
        h = mix(h, price.amountMinor());
        h = mix(h, regular.amountMinor());
        h = mix(h, price.currency().hashCode());
        h = mix(h, onSale() ? saleStartMillis : 0);
        h = mix(h, onSale() ? saleEndMillis : 0);
        return h == 0 ? 1 : h;
    }

    private static long mix(final long h, final long value)
    {
        long x = h ^ (value + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2));
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        x ^= x >>> 33;
        return x;
    }
}
