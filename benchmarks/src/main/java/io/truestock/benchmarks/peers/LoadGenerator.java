package io.truestock.benchmarks.peers;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one {@link Workload} against one {@link Target} with a fixed number of load threads, and stops by itself:
 * after the workload's last operation or at the time bound, whichever comes first.
 * <ul>
 *   <li>Closed loop: each thread sends its next operation as soon as the previous one was answered; latency is
 *       measured from the send. This finds the throughput a system sustains at that concurrency.</li>
 *   <li>Open loop: operation {@code i} is due at {@code start + i / rate} whatever happened before it, and its
 *       latency is measured from that intended start, so time spent waiting for a free thread behind a slow answer
 *       counts (the correction for coordinated omission). The threads bound the requests in flight; a system
 *       slower than the offered rate shows it as growing latency, not as a lower rate that looks fast.</li>
 * </ul>
 * Waiting for a due time parks the thread; nothing spins, because clients and servers share the cores.
 */
public final class LoadGenerator
{
    private LoadGenerator()
    {
    }

    /** Runs the workload with {@code clients} threads, each sending as soon as it is answered. */
    public static PhaseResult closedLoop(
        final Target target, final String phase, final Workload workload, final int clients, final long timeLimitMillis)
        throws Exception
    {
        return run(target, phase, workload, clients, 0, timeLimitMillis);
    }

    /**
     * Runs the workload on a fixed schedule of {@code ratePerSecond} operations a second, with at most
     * {@code clients} in flight.
     */
    public static PhaseResult openLoop(
        final Target target, final String phase, final Workload workload, final int clients, final long ratePerSecond,
        final long timeLimitMillis) throws Exception
    {
        if (ratePerSecond < 1)
        {
            throw new IllegalArgumentException("ratePerSecond must be positive");
        }
        return run(target, phase, workload, clients, ratePerSecond, timeLimitMillis);
    }

    private static PhaseResult run(
        final Target target, final String phase, final Workload workload, final int clients, final long ratePerSecond,
        final long timeLimitMillis) throws Exception
    {
        if (clients < 1 || timeLimitMillis < 1)
        {
            throw new IllegalArgumentException("clients and timeLimitMillis must be positive");
        }
        target.addHotSku(workload.hotSku(), workload.stock());
        final long total = workload.totalOps();
        final AtomicLong next = new AtomicLong();
        final AtomicBoolean timedOut = new AtomicBoolean();
        final AtomicReference<String> firstError = new AtomicReference<>();
        final List<Worker> workers = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        final long deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(timeLimitMillis);
        for (int c = 0; c < clients; c++)
        {
            final Worker worker = new Worker(target, workload, total, next, ratePerSecond, startNanos, deadlineNanos,
                timedOut, firstError);
            workers.add(worker);
            final Thread thread = new Thread(worker, "load-" + target.name() + "-" + c);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (final Thread thread : threads)
        {
            // Every request has its own timeout, so a thread outlives the deadline by at most one of them.
            thread.join(timeLimitMillis + 120_000);
            if (thread.isAlive())
            {
                throw new IllegalStateException(thread.getName() + " did not stop");
            }
        }
        final long endNanos = System.nanoTime();

        final Histogram reserveNanos = Latency.newHistogram();
        final Histogram readNanos = Latency.newHistogram();
        long ops = 0;
        long reserved = 0;
        long soldOut = 0;
        long reserveErrors = 0;
        long reads = 0;
        long readErrors = 0;
        for (final Worker worker : workers)
        {
            reserveNanos.add(worker.reserveNanos);
            readNanos.add(worker.readNanos);
            ops += worker.ops;
            reserved += worker.reserved;
            soldOut += worker.soldOut;
            reserveErrors += worker.reserveErrors;
            reads += worker.reads;
            readErrors += worker.readErrors;
        }
        final String loadAverage = Machine.loadAverage();
        final Target.FinalState finalState = target.finalState(workload.hotSku());
        return new PhaseResult(target.name(), phase, ratePerSecond > 0 ? "open" : "closed", clients, ratePerSecond,
            workload, ops, total - ops, (endNanos - startNanos) / 1e9, reserved + soldOut + reserveErrors, reserved,
            soldOut, reserveErrors, reads, readErrors, Latency.of(reserveNanos), Latency.of(readNanos), finalState,
            loadAverage, firstError.get());
    }

    private static final class Worker implements Runnable
    {
        private final Target target;
        private final Workload workload;
        private final long total;
        private final AtomicLong next;
        private final long ratePerSecond;
        private final long startNanos;
        private final long deadlineNanos;
        private final AtomicBoolean timedOut;
        private final AtomicReference<String> firstError;
        final Histogram reserveNanos = Latency.newHistogram();
        final Histogram readNanos = Latency.newHistogram();
        long ops;
        long reserved;
        long soldOut;
        long reserveErrors;
        long reads;
        long readErrors;

        Worker(
            final Target target, final Workload workload, final long total, final AtomicLong next,
            final long ratePerSecond, final long startNanos, final long deadlineNanos, final AtomicBoolean timedOut,
            final AtomicReference<String> firstError)
        {
            this.target = target;
            this.workload = workload;
            this.total = total;
            this.next = next;
            this.ratePerSecond = ratePerSecond;
            this.startNanos = startNanos;
            this.deadlineNanos = deadlineNanos;
            this.timedOut = timedOut;
            this.firstError = firstError;
        }

        @Override
        public void run()
        {
            parkUntil(startNanos);
            while (!timedOut.get())
            {
                final long index = next.getAndIncrement();
                if (index >= total)
                {
                    return;
                }
                long begin;
                if (ratePerSecond > 0)
                {
                    // The schedule is fixed in advance: operation i is due at start + i / rate, whatever came before.
                    final long due = startNanos + (long)(index * (1e9 / ratePerSecond));
                    parkUntil(due);
                    begin = due;
                }
                else
                {
                    begin = System.nanoTime();
                }
                if (System.nanoTime() > deadlineNanos)
                {
                    timedOut.set(true);
                    return;
                }
                ops++;
                if (workload.isReserve(index))
                {
                    reserveOnce(begin);
                }
                else
                {
                    readOnce(index, begin);
                }
            }
        }

        private void reserveOnce(final long begin)
        {
            try
            {
                final boolean held = target.reserve(workload.hotSku(), 1, Workload.TTL_SECONDS);
                reserveNanos.recordValue(Math.min(System.nanoTime() - begin, Latency.HIGHEST_NANOS));
                if (held)
                {
                    reserved++;
                }
                else
                {
                    soldOut++;
                }
            }
            catch (final Exception ex)
            {
                reserveErrors++;
                firstError.compareAndSet(null, "reserve: " + ex);
            }
        }

        private void readOnce(final long index, final long begin)
        {
            try
            {
                target.available(Workload.readSku(workload.readSkuIndex(index)));
                readNanos.recordValue(Math.min(System.nanoTime() - begin, Latency.HIGHEST_NANOS));
                reads++;
            }
            catch (final Exception ex)
            {
                readErrors++;
                firstError.compareAndSet(null, "read: " + ex);
            }
        }
    }

    /** Parks the calling thread until {@code dueNanos} of {@link System#nanoTime}; nothing spins. */
    static void parkUntil(final long dueNanos)
    {
        long now;
        while ((now = System.nanoTime()) < dueNanos)
        {
            LockSupport.parkNanos(dueNanos - now);
        }
    }
}
