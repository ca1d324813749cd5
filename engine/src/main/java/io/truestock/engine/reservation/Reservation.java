package io.truestock.engine.reservation;

import io.truestock.engine.ReservationStatus;

import java.util.Arrays;

/**
 * A reservation as the writer holds it: the lines asked for and the units held at concrete locations.
 * Pooled and reused by the engine.
 */
public final class Reservation
{
    public long id;
    public int channel;
    public long expiresAtMillis;
    public ReservationStatus status;
    public String orderId;
    /** Where the book's expiry order holds it: a slot of its heap, or -1. */
    public int heapIndex = -1;
    /** Or a position in the book's run of reservations that arrived in expiry order, or -1. */
    public long runPosition = -1;

    public int lineCount;
    public int[] lineSku = new int[4];
    public long[] lineQty = new long[4];

    public int holdCount;
    public int[] holdSku = new int[4];
    public int[] holdLocation = new int[4];
    public long[] holdQty = new long[4];

    public void reset()
    {
        id = 0;
        channel = -1;
        expiresAtMillis = 0;
        status = null;
        orderId = null;
        heapIndex = -1;
        runPosition = -1;
        lineCount = 0;
        holdCount = 0;
    }

    public void addLine(final int sku, final long qty)
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

    public void addHold(final int sku, final int location, final long qty)
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
    public boolean expiresBefore(final Reservation other)
    {
        return expiresAtMillis < other.expiresAtMillis ||
            (expiresAtMillis == other.expiresAtMillis && id < other.id);
    }
}
