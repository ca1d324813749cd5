package io.truestock.engine.runtime;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
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
 */
public final class WaitStrategies
{
    public static final String DEFAULT = "phased";

    private WaitStrategies()
    {
    }

    public static WaitStrategy named(final String name)
    {
        return switch (name)
        {
            case "phased" -> PhasedBackoffWaitStrategy.withLiteLock(20, 200, TimeUnit.MICROSECONDS);
            case "spin-block" -> PhasedBackoffWaitStrategy.withLiteLock(20, 0, TimeUnit.MICROSECONDS);
            case "blocking" -> new BlockingWaitStrategy();
            case "sleeping" -> new SleepingWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            case "busy-spin" -> new BusySpinWaitStrategy();
            default -> throw new IllegalArgumentException(
                "unknown wait strategy '" + name + "' (phased, spin-block, blocking, sleeping, yielding, busy-spin)");
        };
    }
}
