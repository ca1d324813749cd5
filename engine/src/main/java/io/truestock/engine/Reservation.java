package io.truestock.engine;

import java.util.Arrays;

/**
 * A reservation as the writer holds it: the lines asked for and the units held at concrete locations.
 * Pooled and reused by the engine.
 */
final class Reservation
{
    long id;
    int channel;
    long expiresAtMillis;
    ReservationStatus status;
    String orderId;
    int heapIndex = -1;

    int lineCount;
    int[] lineSku = new int[4];
    long[] lineQty = new long[4];

    int holdCount;
    int[] holdSku = new int[4];
    int[] holdLocation = new int[4];
    long[] holdQty = new long[4];

    void reset()
    {
        id = 0;
        channel = -1;
        expiresAtMillis = 0;
        status = null;
        orderId = null;
        heapIndex = -1;
        lineCount = 0;
        holdCount = 0;
    }

    void addLine(final int sku, final long qty)
    {
        if (lineCount == lineSku.length)
        {
            lineSku = Arrays.copyOf(lineSku, lineCount * 2);
            lineQty = Arrays.copyOf(lineQty, lineCount * 2);
        }
        lineSku[lineCount] = sku;
        lineQty[lineCount] = qty;
        lineCount++;
    }

    void addHold(final int sku, final int location, final long qty)
    {
        if (holdCount == holdSku.length)
        {
            final int n = holdCount * 2;
            holdSku = Arrays.copyOf(holdSku, n);
            holdLocation = Arrays.copyOf(holdLocation, n);
            holdQty = Arrays.copyOf(holdQty, n);
        }
        holdSku[holdCount] = sku;
        holdLocation[holdCount] = location;
        holdQty[holdCount] = qty;
        holdCount++;
    }

    /** Orders by expiry, then id: a total order, so expiry is deterministic whatever the heap's layout. */
    boolean expiresBefore(final Reservation other)
    {
        return expiresAtMillis < other.expiresAtMillis ||
            (expiresAtMillis == other.expiresAtMillis && id < other.id);
    }
}
