package io.truestock.gateway.net;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * How an I/O thread waits for its sockets: it keeps polling them without blocking ({@code epoll_wait} with no
 * timeout) for up to {@code spinNanos} after it last found work, then blocks in {@code epoll_wait} as Netty's
 * default does. Each poll that finds nothing goes round the event loop once ({@link SelectStrategy#CONTINUE}), so
 * tasks other threads hand to the loop (the writer's answers) run as soon as they arrive, not after the spin.
 * <p>
 * Why: a thread that blocks gives its CPU back, and on a virtual machine an idle virtual CPU may take
 * milliseconds to be woken again; a request arriving then waits for that. Spinning keeps the CPU busy, at a cost:
 * while requests keep arriving within {@code spinNanos} of each other, each I/O thread uses a whole CPU. A spin of
 * 0 (the default) blocks at once, exactly as the event loop's default strategy.
 * <p>
 * One instance per event loop (the factory makes one for each), used only by its thread.
 */
public final class SpinThenBlock implements SelectStrategy
{
    private final long spinNanos;
    private long idleSince;
    private boolean idle;

    private SpinThenBlock(final long spinNanos)
    {
        this.spinNanos = spinNanos;
    }

    /** A factory of strategies spinning {@code spinMicros} (0 blocks at once). */
    public static SelectStrategyFactory factory(final int spinMicros)
    {
        if (spinMicros < 0)
        {
            throw new IllegalArgumentException("the spin must be at least 0 us: " + spinMicros);
        }
        final long nanos = spinMicros * 1_000L;
        return () -> new SpinThenBlock(nanos);
    }

    @Override
    public int calculateStrategy(final IntSupplier selectSupplier, final boolean hasTasks) throws Exception
    {
        final int ready = selectSupplier.get();
        if (ready > 0 || hasTasks)
        {
            idle = false;
            return ready;
        }
        final long now = System.nanoTime();
        if (!idle)
        {
            idle = true;
            idleSince = now;
        }
        if (now - idleSince < spinNanos)
        {
            Thread.onSpinWait();
            return SelectStrategy.CONTINUE;
        }
        idle = false;
        return SelectStrategy.SELECT;
    }
}
