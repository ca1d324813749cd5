package io.truestock.engine.runtime;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

/**
 * A wait strategy whose producers may publish without waking the consumers (between {@link #quiet} and
 * {@link #loud} on their thread) and wake them later, once for many commands ({@link #wakeConsumers}). The
 * Disruptor calls {@link #signalAllWhenBlocking} from inside every publish; a quiet publish marks its thread first,
 * and the signal is skipped for that one call. Any other publish, on any thread, signals as {@code inner} does.
 * <p>
 * Nothing is lost by a skipped signal: the command is published (a consumer that is awake, spinning or yielding
 * takes it at once), and the promised {@link #wakeConsumers} wakes one that sleeps.
 */
final class QuietableWaitStrategy implements WaitStrategy
{
    private static final ThreadLocal<boolean[]> QUIET = ThreadLocal.withInitial(() -> new boolean[1]);

    private final WaitStrategy inner;

    QuietableWaitStrategy(final WaitStrategy inner)
    {
        this.inner = inner;
    }

    /** Marks this thread's publishes quiet until {@link #loud}; for a caller that publishes exactly once between. */
    static boolean[] quiet()
    {
        final boolean[] quiet = QUIET.get();
        quiet[0] = true;
        return quiet;
    }

    static void loud(final boolean[] quiet)
    {
        quiet[0] = false;
    }

    void wakeConsumers()
    {
        inner.signalAllWhenBlocking();
    }

    @Override
    public long waitFor(
        final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException
    {
        return inner.waitFor(sequence, cursor, dependentSequence, barrier);
    }

    @Override
    public void signalAllWhenBlocking()
    {
        if (!QUIET.get()[0])
        {
            inner.signalAllWhenBlocking();
        }
    }
}
