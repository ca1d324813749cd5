package io.truestock.gateway.net;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands answers from other threads (the ring's output stage above all) to one event loop with one wake-up per
 * burst rather than one per answer. {@link #post} appends to a bounded queue and schedules a drain only when none
 * is pending: while the event loop is waking up for the first answer of a ring batch, the rest of the batch joins
 * the same drain. Waking an event loop that sleeps in {@code epoll_wait} is a system call and a context switch,
 * which at a few thousand answers a second cost more than the answers.
 * <p>
 * Bounded: at most {@link #CAPACITY} answers wait. At the bound an answer is handed over as an ordinary task of the
 * event loop (one wake-up for it, nothing dropped), so a burst past the bound is slower, never lost. Answers posted
 * from one thread run in the order posted, except across that bound; callers that need order among their own
 * answers keep it themselves (the HTTP connection writes answers by request sequence).
 * <p>
 * One mailbox per event loop thread, made by that thread ({@link #of}); any thread may {@link #post}.
 */
public final class LoopMailbox implements Runnable
{
    /** Answers that may wait for one drain. */
    public static final int CAPACITY = 16_384;
    private static final Logger LOG = LoggerFactory.getLogger(LoopMailbox.class);
    private static final FastThreadLocal<LoopMailbox> LOCAL = new FastThreadLocal<>();

    private final EventExecutor loop;
    private final ManyToOneConcurrentArrayQueue<Runnable> queue = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long drains;

    private LoopMailbox(final EventExecutor loop)
    {
        this.loop = loop;
    }

    /**
     * The mailbox of {@code loop}, made on first use.
     *
     * @throws IllegalStateException when not called on {@code loop}'s own thread.
     */
    public static LoopMailbox of(final EventExecutor loop)
    {
        if (!loop.inEventLoop())
        {
            throw new IllegalStateException("a loop's mailbox is made on the loop's own thread");
        }
        LoopMailbox mailbox = LOCAL.getIfExists();
        if (mailbox == null || mailbox.loop != loop)
        {
            mailbox = new LoopMailbox(loop);
            LOCAL.set(mailbox);
        }
        return mailbox;
    }

    /**
     * Runs {@code task} on the event loop, soon; from any thread.
     *
     * @throws RejectedExecutionException when the event loop is shutting down: the task will not run.
     */
    public void post(final Runnable task)
    {
        if (loop.isShuttingDown())
        {
            throw new RejectedExecutionException("the event loop is shutting down");
        }
        if (!queue.offer(task))
        {
            loop.execute(task);
            return;
        }
        if (!scheduled.get() && scheduled.compareAndSet(false, true))
        {
            loop.execute(this);
        }
    }

    /** Answers waiting for the next drain. */
    public int waiting()
    {
        return queue.size();
    }

    /** Drains run so far: answers posted divided by this is the answers each wake-up served. */
    public long drains()
    {
        return drains;
    }

    /** The drain, on the event loop. */
    @Override
    public void run()
    {
        // Cleared before draining: an answer posted after this point either is drained below or schedules anew.
        scheduled.set(false);
        drains++;
        queue.drain(LoopMailbox::runOne);
    }

    private static void runOne(final Runnable task)
    {
        try
        {
            task.run();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("an answer handed to the event loop failed", ex);
        }
    }
}
