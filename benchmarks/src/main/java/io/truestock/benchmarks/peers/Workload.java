package io.truestock.benchmarks.peers;

/**
 * One flash sale: a hot SKU with {@code stock} units, {@code reserveAttempts} attempts to reserve one unit of it,
 * interleaved with agent availability reads over {@code readSkus} other SKUs so that reads are
 * {@code readPercent} of all operations.
 * <p>
 * The sequence is a pure function of the operation index, so every system sees the same operations in the same
 * order: reservations are spread evenly (a Bresenham step, so the count is exact), read SKUs are scattered by a
 * mixing function.
 */
public record Workload(String hotSku, long stock, long reserveAttempts, int readPercent, int readSkus)
{
    /** The hold asked for by every reservation: long enough to outlive any phase, as a real checkout hold would. */
    public static final int TTL_SECONDS = 900;

    public Workload
    {
        if (stock < 0 || reserveAttempts < 1 || readPercent < 0 || readPercent > 99 || readSkus < 1)
        {
            throw new IllegalArgumentException(
                "stock >= 0, reserveAttempts >= 1, readPercent in [0, 99], readSkus >= 1");
        }
    }

    /** A flash sale where demand is {@code demandFactor} times the stock. */
    public static Workload flashSale(
        final String hotSku, final long reserveAttempts, final int demandFactor, final int readPercent,
        final int readSkus)
    {
        final long stock = Math.max(1, reserveAttempts / demandFactor);
        return new Workload(hotSku, stock, reserveAttempts, readPercent, readSkus);
    }

    /** The name of read SKU {@code index}, the same on every system. */
    public static String readSku(final int index)
    {
        return "sku-" + index;
    }

    /** Reads and reservations together. */
    public long totalOps()
    {
        final long reservePercent = 100 - readPercent;
        return (reserveAttempts * 100 + reservePercent - 1) / reservePercent;
    }

    /** True when operation {@code index} is a reservation attempt, false when it is a read. */
    public boolean isReserve(final long index)
    {
        final long reservePercent = 100 - readPercent;
        final long before = index * reservePercent / 100;
        final long after = (index + 1) * reservePercent / 100;
        return after > before && before < reserveAttempts;
    }

    /** The read SKU index operation {@code index} reads, when it is a read. */
    public int readSkuIndex(final long index)
    {
        long z = index + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (int)Long.remainderUnsigned(z, readSkus);
    }
}
