package io.truestock.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Clears the stock and channel rows of the SKUs a snapshot restore defines, on a thread of its own, following the
 * SKU registry's count as the restoring thread adds SKUs; {@link #finish()} then clears what is left on the calling
 * thread too and waits for the other. The tables are not zeroed when allocated (see {@link TableMemory}), so this is
 * the first touch of every page of the rows in use: at a million SKUs, half a gigabyte of page faults at 4 locations
 * and 8 channels, which is as much work as decoding the definitions and needs none of their state. Chunks of SKUs
 * are claimed from one counter, so each row is cleared exactly once, by whichever thread claims it.
 * <p>
 * The restoring thread must not read or write a row before {@link #finish()} returns (the catalog's
 * {@code deferRowClearing} makes the definitions leave the rows alone); returning from it is a happens-before edge
 * from every clear, on either thread, to what the restore reads into the rows next.
 */
final class RowClearing implements Runnable
{
    /** SKUs per claim: 512 KiB of rows at 4 x 8, small enough that the two threads share the tail evenly. */
    static final int CHUNK_SKUS = 1024;
    private static final long IDLE_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final Registry skus;
    private final StockTable stock;
    private final ChannelTable published;
    /** The first SKU no thread has claimed yet. */
    private final AtomicInteger unclaimed = new AtomicInteger();
    private final Thread thread;
    private volatile boolean finishing;
    private volatile Throwable failure;

    RowClearing(final Registry skus, final StockTable stock, final ChannelTable published)
    {
        this.skus = skus;
        this.stock = stock;
        this.published = published;
        thread = new Thread(this, "truestock-restore-rows");
        thread.setDaemon(true);
    }

    /** Starts the clearing thread. */
    RowClearing start()
    {
        thread.start();
        return this;
    }

    @Override
    public void run()
    {
        try
        {
            while (true)
            {
                // Read before the count: once finishing is seen, the count read after it is final, so nothing
                // defined is left unclaimed when this thread leaves (the restoring thread claims the rest anyway).
                final boolean last = finishing;
                if (!clearNext(skus.count()))
                {
                    if (last)
                    {
                        return;
                    }
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
        }
        catch (final Throwable t)
        {
            failure = t;
        }
    }

    /**
     * After the last definition: clears the SKUs still unclaimed on this thread too, then waits for the other one.
     *
     * @throws IllegalStateException when the clearing thread failed or the wait was interrupted.
     */
    void finish()
    {
        finishing = true;
        final int count = skus.count();
        while (clearNext(count))
        {
            // Claim and clear until every chunk is taken.
        }
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        if (failure != null)
        {
            throw new IllegalStateException("clearing the restored SKUs' rows failed", failure);
        }
    }

    /** Claims and clears the next chunk below {@code limit}; false when there is none. */
    private boolean clearNext(final int limit)
    {
        while (true)
        {
            final int from = unclaimed.get();
            if (from >= limit)
            {
                return false;
            }
            final int to = Math.min(limit, from + CHUNK_SKUS);
            if (unclaimed.compareAndSet(from, to))
            {
                stock.clearSkus(from, to);
                published.clearSkus(from, to);
                return true;
            }
        }
    }
}
