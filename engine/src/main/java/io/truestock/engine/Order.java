package io.truestock.engine;

import java.util.Arrays;

/**
 * An order as the writer holds it: lines (with backordered units) and the committed allocations per location.
 */
final class Order
{
    final String key;
    final String orderId;
    final int channel;
    final long reservationId;
    final long fingerprint;
    /** Sequence of the command that created the order: the version of its first answer. */
    final long version;
    final String destinationCountry;
    final String destinationPostalCode;
    OrderStatus status = OrderStatus.CONFIRMED;

    int lineCount;
    int[] lineSku = new int[4];
    long[] lineQty = new long[4];
    long[] lineBackordered = new long[4];

    int allocationCount;
    int[] allocationSku = new int[4];
    int[] allocationLocation = new int[4];
    long[] allocationQty = new long[4];

    Order(
        final String key, final String orderId, final int channel, final long reservationId, final long fingerprint,
        final long version, final String destinationCountry, final String destinationPostalCode)
    {
        this.key = key;
        this.orderId = orderId;
        this.channel = channel;
        this.reservationId = reservationId;
        this.fingerprint = fingerprint;
        this.version = version;
        this.destinationCountry = destinationCountry;
        this.destinationPostalCode = destinationPostalCode;
    }

    void addLine(final int sku, final long qty, final long backordered)
    {
        if (lineCount == lineSku.length)
        {
            lineSku = Arrays.copyOf(lineSku, lineCount * 2);
            lineQty = Arrays.copyOf(lineQty, lineCount * 2);
            lineBackordered = Arrays.copyOf(lineBackordered, lineCount * 2);
        }
        lineSku[lineCount] = sku;
        lineQty[lineCount] = qty;
        lineBackordered[lineCount] = backordered;
        lineCount++;
    }

    void addAllocation(final int sku, final int location, final long qty)
    {
        for (int i = 0; i < allocationCount; i++)
        {
            if (allocationSku[i] == sku && allocationLocation[i] == location)
            {
                allocationQty[i] += qty;
                return;
            }
        }
        if (allocationCount == allocationSku.length)
        {
            final int n = allocationCount * 2;
            allocationSku = Arrays.copyOf(allocationSku, n);
            allocationLocation = Arrays.copyOf(allocationLocation, n);
            allocationQty = Arrays.copyOf(allocationQty, n);
        }
        allocationSku[allocationCount] = sku;
        allocationLocation[allocationCount] = location;
        allocationQty[allocationCount] = qty;
        allocationCount++;
    }

    static String key(final String channelId, final String orderId)
    {
        return channelId + '/' + orderId;
    }
}
