package io.truestock.engine;

import java.util.Arrays;

/**
 * The events one command produced, in the order the writer produced them: stock record changes (before and
 * after), channel values published, oversold lines and reservations that expired. Reused per ring slot;
 * arrays grow on first need and are then reused, so the steady state allocates nothing.
 */
public final class Events
{
    private int stockCount;
    private int[] stockSku = new int[8];
    private int[] stockLocation = new int[8];
    private long[] stockBefore = new long[32];
    private long[] stockAfter = new long[32];

    private int publishedCount;
    private int[] publishedSku = new int[16];
    private int[] publishedChannel = new int[16];
    private long[] publishedAvailable = new long[16];

    private int oversoldCount;
    private int[] oversoldSku = new int[4];
    private long[] oversoldQty = new long[4];

    private int pricedCount;
    private int[] pricedSku = new int[4];

    private int expiredCount;
    private long[] expiredReservation = new long[4];

    public Events reset()
    {
        stockCount = 0;
        publishedCount = 0;
        oversoldCount = 0;
        expiredCount = 0;
        pricedCount = 0;
        return this;
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
