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
 * event loop (one wake-up for it, nothing dropped), so a burst past the bound is slower, never lost. A batching
 * thread holds at most one batch's answers (a ring batch is at most the ring's size). Answers posted
 * from one thread run in the order posted, except across that bound; callers that need order among their own
 * answers keep it themselves (the HTTP connection writes answers by request sequence).
 * <p>
 * One mailbox per event loop thread, made by that thread ({@link #of}); any thread may {@link #post}.
 * <p>
 * Both directions of a hand-off batch their wake-ups here:
 * <ul>
 *   <li>answers: a thread that calls {@link #endOfBatch()} at the end of each of its batches (the ring's output
 *       stage) holds the answers it posts until that call, and then hands them over and wakes each event loop
 *       once, so a ring batch answered on one event loop wakes it once, after the batch, instead of at its first
 *       answer (which, on a busy core, hands the core to the event loop in the middle of the batch, and back).
 *       Held, not only their wake-up deferred: an event loop already draining (woken by the batch before) would
 *       otherwise send an answer before the batch has ended, and what the output stage does at a batch's end (the
 *       audit trail writes the batch's records then) would not precede the answers;</li>
 *   <li>requests: an event loop that publishes commands quietly asks for {@link #wakeLater} after each, and the
 *       wake-up runs once, as a task after the loop's current pass over its ready sockets, for every command of
 *       the pass.</li>
 * </ul>
 */
public final class LoopMailbox implements Runnable
{
    /** Answers that may wait for one drain. */
    public static final int CAPACITY = 16_384;
    private static final Logger LOG = LoggerFactory.getLogger(LoopMailbox.class);
    private static final FastThreadLocal<LoopMailbox> LOCAL = new FastThreadLocal<>();
    /** Distinct wake-ups one pass may defer; more run at once (a server has one sequencer, so one). */
    private static final int MAX_WAKES = 4;
    private static final ThreadLocal<Deferred> DEFERRED = ThreadLocal.withInitial(Deferred::new);

    private final EventExecutor loop;
    private final ManyToOneConcurrentArrayQueue<Runnable> queue = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long drains;
    private final Runnable[] wakes = new Runnable[MAX_WAKES];
    private int wakeCount;
    private final Runnable wakeTask = this::runWakes;

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

    /** This event loop thread's mailbox, or null on a thread that has none (not an event loop, or one without). */
    public static LoopMailbox current()
    {
        final LoopMailbox mailbox = LOCAL.getIfExists();
        return mailbox != null && mailbox.loop.inEventLoop() ? mailbox : null;
    }

    /**
     * Runs {@code wake} once after the loop's current pass (its ready sockets read), however often it is asked for
     * in the pass; on the loop's own thread only. For a command published quietly: the writer sleeping for commands
     * is woken once for all of the pass's. {@code wake} should be one object per purpose (a field, not a fresh
     * lambda): asks are told apart by identity.
     */
    public void wakeLater(final Runnable wake)
    {
        for (int i = 0; i < wakeCount; i++)
        {
            if (wakes[i] == wake)
            {
                return;
            }
        }
        if (wakeCount == MAX_WAKES)
        {
            wake.run();
            return;
        }
        wakes[wakeCount++] = wake;
        if (wakeCount == 1)
        {
            try
            {
                loop.execute(wakeTask);
            }
            catch (final RejectedExecutionException ex)
            {
                runWakes();
            }
        }
    }

    private void runWakes()
    {
        final int count = wakeCount;
        wakeCount = 0;
        for (int i = 0; i < count; i++)
        {
            final Runnable wake = wakes[i];
            wakes[i] = null;
            try
            {
                wake.run();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("a deferred wake-up failed", ex);
            }
        }
    }

    /**
     * Wakes every event loop that this thread's answers since its last call are waiting in, once each, and from then
     * on defers this thread's wake-ups to its next call. For a thread that calls it at the end of each batch of work
     * (the ring's output stage), for ever after: an answer it posts is only drained after the batch's end.
     */
    public static void endOfBatch()
    {
        final Deferred deferred = DEFERRED.get();
        deferred.on = true;
        deferred.endOfBatch();
    }

    /**
     * From now on this thread's answers wait for its next {@link #endOfBatch()}, the first batch's as well: for the
     * ring's output stage, before it answers the first command of a batch.
     */
    public static void holdAnswersUntilEndOfBatch()
    {
        DEFERRED.get().on = true;
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
        final Deferred deferred = DEFERRED.get();
        if (deferred.on)
        {
            deferred.hold(this, task);
            return;
        }
        offer(task, deferred);
    }

    /** Queues the task for the next drain and schedules one (through {@code deferred} when it is on) if none is. */
    private void offer(final Runnable task, final Deferred deferred)
    {
        if (!queue.offer(task))
        {
            loop.execute(task);
            return;
        }
        if (!scheduled.get() && scheduled.compareAndSet(false, true))
        {
            if (deferred.on)
            {
                deferred.add(this);
            }
            else
            {
                loop.execute(this);
            }
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

    /**
     * A thread's answers and drains waiting for its {@link #endOfBatch()}: the answers of one batch (a ring batch is at
     * most the ring's size; the arrays grow to the largest batch seen), and at most one drain per event loop.
     */
    private static final class Deferred
    {
        boolean on;
        private LoopMailbox[] mailboxes = new LoopMailbox[4];
        private int count;
        private LoopMailbox[] heldBy = new LoopMailbox[64];
        private Runnable[] held = new Runnable[64];
        private int heldCount;

        void endOfBatch()
        {
            handOver();
            wakeAll();
        }

        void hold(final LoopMailbox mailbox, final Runnable task)
        {
            if (heldCount == held.length)
            {
                heldBy = java.util.Arrays.copyOf(heldBy, heldCount * 2);
                held = java.util.Arrays.copyOf(held, heldCount * 2);
            }
            heldBy[heldCount] = mailbox;
            held[heldCount++] = task;
        }

        /** Queues the held answers in their mailboxes, in the order posted; their drains wait for {@link #wakeAll}. */
        void handOver()
        {
            for (int i = 0; i < heldCount; i++)
            {
                final LoopMailbox mailbox = heldBy[i];
                final Runnable task = held[i];
                heldBy[i] = null;
                held[i] = null;
                try
                {
                    mailbox.offer(task, this);
                }
                catch (final RejectedExecutionException ex)
                {
                    // The event loop is shutting down, and its connections with it: nothing is left to answer.
                    LOG.debug("an event loop was gone before its answers", ex);
                }
            }
            heldCount = 0;
        }

        void add(final LoopMailbox mailbox)
        {
            if (count == mailboxes.length)
            {
                mailboxes = java.util.Arrays.copyOf(mailboxes, count * 2);
            }
            mailboxes[count++] = mailbox;
        }

        void wakeAll()
        {
            for (int i = 0; i < count; i++)
            {
                final LoopMailbox mailbox = mailboxes[i];
                mailboxes[i] = null;
                try
                {
                    mailbox.loop.execute(mailbox);
                }
                catch (final RejectedExecutionException ex)
                {
                    // The event loop is shutting down, and its connections with it: nothing is left to answer.
                    LOG.debug("an event loop was gone before its answers", ex);
                }
            }
            count = 0;
        }
    }
}
