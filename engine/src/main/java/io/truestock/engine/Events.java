package io.truestock.engine;

import java.util.Arrays;

/**
 * The events one command produced, in the order the writer produced them: stock record changes (before and
 * after), channel values published, oversold lines and reservations that expired. Reused per ring slot;
 * arrays grow on first need and are then reused, so the steady state allocates nothing.
 * <p>
 * Bounded: a command that produced more events than {@link #RETAINED_STOCK}, {@link #RETAINED_PUBLISHED},
 * {@link #RETAINED_OTHER} of a kind (a tick that expires thousands of reservations at once) grows its slot's arrays
 * for that command only; {@link #reset} gives them back. Kept, every slot of the ring would in time hold the largest
 * batch it ever saw (a demo server after a 30 s load held 68 MB of such arrays in 4 096 slots), so what the ring's
 * events hold is bounded by its size times these, about 4 KB a slot, whatever the load was.
 */
public final class Events
{
    /** Stock changes a slot keeps room for across commands. */
    static final int RETAINED_STOCK = 32;
    /** Published channel values a slot keeps room for across commands. */
    static final int RETAINED_PUBLISHED = 64;
    /** Oversold lines, priced SKUs and expired reservations a slot keeps room for across commands, each. */
    static final int RETAINED_OTHER = 64;

    private int stockCount;
    private int[] stockSku;
    private int[] stockLocation;
    private long[] stockBefore;
    private long[] stockAfter;

    private int publishedCount;
    private int[] publishedSku;
    private int[] publishedChannel;
    private long[] publishedAvailable;

    private int oversoldCount;
    private int[] oversoldSku;
    private long[] oversoldQty;

    private int pricedCount;
    private int[] pricedSku;

    private int expiredCount;
    private long[] expiredReservation;

    public Events()
    {
        stockArrays(8);
        publishedArrays(16);
        oversoldArrays(4);
        pricedSku = new int[4];
        expiredReservation = new long[4];
    }

    public Events reset()
    {
        stockCount = 0;
        publishedCount = 0;
        oversoldCount = 0;
        expiredCount = 0;
        pricedCount = 0;
        if (stockSku.length > RETAINED_STOCK)
        {
            stockArrays(RETAINED_STOCK);
        }
        if (publishedSku.length > RETAINED_PUBLISHED)
        {
            publishedArrays(RETAINED_PUBLISHED);
        }
        if (oversoldSku.length > RETAINED_OTHER)
        {
            oversoldArrays(RETAINED_OTHER);
        }
        if (pricedSku.length > RETAINED_OTHER)
        {
            pricedSku = new int[RETAINED_OTHER];
        }
        if (expiredReservation.length > RETAINED_OTHER)
        {
            expiredReservation = new long[RETAINED_OTHER];
        }
        return this;
    }

    /** Entries of each kind this slot has room for without growing: for tests of the bound. */
    int capacity()
    {
        return Math.max(Math.max(stockSku.length, publishedSku.length),
            Math.max(Math.max(oversoldSku.length, pricedSku.length), expiredReservation.length));
    }

    private void stockArrays(final int n)
    {
        stockSku = new int[n];
        stockLocation = new int[n];
        stockBefore = new long[n * 4];
        stockAfter = new long[n * 4];
    }

    private void publishedArrays(final int n)
    {
        publishedSku = new int[n];
        publishedChannel = new int[n];
        publishedAvailable = new long[n];
    }

    private void oversoldArrays(final int n)
    {
        oversoldSku = new int[n];
        oversoldQty = new long[n];
    }

    public void stockChanged(
        final int sku, final int location,
        final long onHandBefore, final long reservedBefore, final long committedBefore, final long safetyBefore,
        final long onHandAfter, final long reservedAfter, final long committedAfter, final long safetyAfter)
    {
        if (stockCount == stockSku.length)
        {
            final int n = stockCount * 2;
            stockSku = Arrays.copyOf(stockSku, n);
            stockLocation = Arrays.copyOf(stockLocation, n);
            stockBefore = Arrays.copyOf(stockBefore, n * 4);
            stockAfter = Arrays.copyOf(stockAfter, n * 4);
        }
        stockSku[stockCount] = sku;
        stockLocation[stockCount] = location;
        final int b = stockCount * 4;
        stockBefore[b] = onHandBefore;
        stockBefore[b + 1] = reservedBefore;
        stockBefore[b + 2] = committedBefore;
        stockBefore[b + 3] = safetyBefore;
        stockAfter[b] = onHandAfter;
        stockAfter[b + 1] = reservedAfter;
        stockAfter[b + 2] = committedAfter;
        stockAfter[b + 3] = safetyAfter;
        stockCount++;
    }

    public void published(final int sku, final int channel, final long available)
    {
        if (publishedCount == publishedSku.length)
        {
            final int n = publishedCount * 2;
            publishedSku = Arrays.copyOf(publishedSku, n);
            publishedChannel = Arrays.copyOf(publishedChannel, n);
            publishedAvailable = Arrays.copyOf(publishedAvailable, n);
        }
        publishedSku[publishedCount] = sku;
        publishedChannel[publishedCount] = channel;
        publishedAvailable[publishedCount] = available;
        publishedCount++;
    }

    public void oversold(final int sku, final long qty)
    {
        if (oversoldCount == oversoldSku.length)
        {
            final int n = oversoldCount * 2;
            oversoldSku = Arrays.copyOf(oversoldSku, n);
            oversoldQty = Arrays.copyOf(oversoldQty, n);
        }
        oversoldSku[oversoldCount] = sku;
        oversoldQty[oversoldCount] = qty;
        oversoldCount++;
    }

    /** A SKU's effective price may have changed on any channel: a new price list, or a sale began or ended. */
    public void priced(final int sku)
    {
        if (pricedCount == pricedSku.length)
        {
            pricedSku = Arrays.copyOf(pricedSku, pricedCount * 2);
        }
        pricedSku[pricedCount++] = sku;
    }

    public int pricedCount()
    {
        return pricedCount;
    }

    public int pricedSku(final int i)
    {
        return pricedSku[i];
    }

    public void expired(final long reservationId)
    {
        if (expiredCount == expiredReservation.length)
        {
            expiredReservation = Arrays.copyOf(expiredReservation, expiredCount * 2);
        }
        expiredReservation[expiredCount++] = reservationId;
    }

    public int stockCount()
    {
        return stockCount;
    }

    public int stockSku(final int i)
    {
        return stockSku[i];
    }

    public int stockLocation(final int i)
    {
        return stockLocation[i];
    }

    /** field: 0 on_hand, 1 reserved, 2 committed, 3 safety. */
    public long stockBefore(final int i, final int field)
    {
        return stockBefore[i * 4 + field];
    }

    /** field: 0 on_hand, 1 reserved, 2 committed, 3 safety. */
    public long stockAfter(final int i, final int field)
    {
        return stockAfter[i * 4 + field];
    }

    public int publishedCount()
    {
        return publishedCount;
    }

    public int publishedSku(final int i)
    {
        return publishedSku[i];
    }

    public int publishedChannel(final int i)
    {
        return publishedChannel[i];
    }

    public long publishedAvailable(final int i)
    {
        return publishedAvailable[i];
    }

    public int oversoldCount()
    {
        return oversoldCount;
    }

    public int oversoldSku(final int i)
    {
        return oversoldSku[i];
    }

    public long oversoldQty(final int i)
    {
        return oversoldQty[i];
    }

    public int expiredCount()
    {
        return expiredCount;
    }

    public long expiredReservation(final int i)
    {
        return expiredReservation[i];
    }
}
