package io.truestock.engine.runtime;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Named wait strategies for the ring's consumers.
 * <ul>
 *   <li>{@code phased} (default): spin briefly, then yield, then block; low latency under load, near-idle CPU
 *       when quiet, and no core burnt on a 2-core machine.</li>
 *   <li>{@code spin-block}: spin briefly, then block at once, with no yielding phase. On a machine whose cores
 *       are all busy a {@code Thread.yield()} can give the core away for a whole scheduler slice (milliseconds),
 *       where a blocked thread is woken by the next publish in microseconds.</li>
 *   <li>{@code blocking}: lock and condition; least CPU, highest wake-up latency.</li>
 *   <li>{@code sleeping}: spin, yield, then park for short periods.</li>
 *   <li>{@code yielding}: spin then {@code Thread.yield()}; burns a core per stage.</li>
 *   <li>{@code busy-spin}: lowest latency; needs a dedicated core per stage (never on a 2-core box).</li>
 * </ul>
 * In a process limited to one CPU (a container's quota, {@code taskset}), {@code phased} and {@code spin-block}
 * block at once, as their last phase does (the same {@link LiteBlockingWaitStrategy}): while a consumer spins on
 * the only CPU no producer runs, so the spin finds nothing and only delays the event loops that would publish, and
 * a yield hands the CPU over as blocking does, at a system call per try. A server pinned to one CPU under
 * {@code POST /v1/reservations} spent an eighth to a fifth of its writer thread's time in those phases. (With
 * {@code pipeline: staged} on one CPU, a stage waiting on the stage before it spins until the scheduler preempts
 * it, as every blocking strategy here does; the fused pipeline, the default below four CPUs, has no such wait.)
 */
public final class WaitStrategies
{
    public static final String DEFAULT = "phased";

    private WaitStrategies()
    {
    }

    /** The strategy the name gives on the CPUs this process may use. */
    public static WaitStrategy named(final String name)
    {
        return named(name, Runtime.getRuntime().availableProcessors());
    }

    /** The strategy the name gives in a process that may use {@code cpus} CPUs. */
    public static WaitStrategy named(final String name, final int cpus)
    {
        final boolean oneCpu = cpus < 2;
        return switch (name)
        {
            case "phased" -> oneCpu ? new LiteBlockingWaitStrategy() :
                PhasedBackoffWaitStrategy.withLiteLock(20, 200, TimeUnit.MICROSECONDS);
            case "spin-block" -> oneCpu ? new LiteBlockingWaitStrategy() :
                PhasedBackoffWaitStrategy.withLiteLock(20, 0, TimeUnit.MICROSECONDS);
            case "blocking" -> new BlockingWaitStrategy();
            case "sleeping" -> new SleepingWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            case "busy-spin" -> new BusySpinWaitStrategy();
            default -> throw new IllegalArgumentException(
                "unknown wait strategy '" + name + "' (phased, spin-block, blocking, sleeping, yielding, busy-spin)");
        };
    }
}
