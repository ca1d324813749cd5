package io.truestock.engine.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single-writer pipeline: a multi-producer Disruptor ring of pre-allocated command slots and three stages,
 * each on its own thread ({@link RuntimeConfig.Pipeline#STAGED}) or all on one ({@link RuntimeConfig.Pipeline#FUSED},
 * for machines with few cores, where hand-offs between three threads cost more than the work).
 * <ol>
 *   <li>ingress: stamps each mutation with the next engine sequence and a monotonic timestamp, appends it to the
 *       {@link CommandJournal}, and ends each batch with {@link CommandJournal#endOfBatch()};</li>
 *   <li>business: the only thread that mutates state, {@link Engine#apply};</li>
 *   <li>output: tells each {@link EngineListener} in order, then answers the caller's {@link OutcomeHandler}.</li>
 * </ol>
 * A listener or handler that throws is logged and counted ({@link #listenerFailures()},
 * {@link #handlerFailures()}); it does not keep the other listeners or the caller from their turn.
 * Producers never block: {@link #tryPublish} answers false when the ring is full, and the edge turns that into
 * backpressure (503 with Retry-After), so there is no unbounded queue in front of the writer.
 */
public final class EngineRuntime implements Sequencer, AutoCloseable
{
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(EngineRuntime.class);

    private final Engine engine;
    private final CommandJournal journal;
    private final EngineListener[] listeners;
    private final AtomicLong listenerFailures = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final EpochClock clock;
    private final Disruptor<RingSlot> disruptor;
    private final RingBuffer<RingSlot> ring;
    private final QuietableWaitStrategy waitStrategy;
    private final long tickIntervalMillis;
    private final Thread ticker;
    private volatile boolean running;
    private volatile java.util.function.Consumer<java.nio.ByteBuffer[]> snapshotSink;
    private volatile Throwable halted;

    private long sequence;
    private long lastStampMillis;
    private long batchStart = -1;

    /**
     * @param listeners told of every applied command on the output stage, in the order given.
     */
    public EngineRuntime(
        final Engine engine, final RuntimeConfig config, final CommandJournal journal, final EngineListener... listeners)
    {
        if (!config.isConcluded())
        {
            config.conclude();
        }
        this.engine = engine;
        this.journal = journal;
        this.listeners = listeners.clone();
        this.clock = config.clock();
        this.tickIntervalMillis = config.tickIntervalMillis();
        this.sequence = engine.lastSequence();
        this.lastStampMillis = engine.lastTimestampMillis();
        final int lineCapacity = engine.config().maxLinesPerCommand();
        waitStrategy = new QuietableWaitStrategy(WaitStrategies.named(config.waitStrategy()));
        disruptor = new Disruptor<>(
            () -> new RingSlot(lineCapacity),
            config.ringSize(),
            threads(),
            ProducerType.MULTI,
            waitStrategy);
        if (config.pipeline() == RuntimeConfig.Pipeline.STAGED)
        {
            disruptor.handleEventsWith(this::ingress).then(this::business).then(this::output);
        }
        else
        {
            disruptor.handleEventsWith(this::fused);
        }
        ring = disruptor.getRingBuffer();
        ticker = tickIntervalMillis > 0 ? new Thread(this::tickLoop, "truestock-ticker") : null;
        if (ticker != null)
        {
            ticker.setDaemon(true);
        }
    }

    private static ThreadFactory threads()
    {
        final String[] names = {"truestock-ingress", "truestock-writer", "truestock-output"};
        final AtomicInteger next = new AtomicInteger();
        return runnable ->
        {
            final int n = next.getAndIncrement();
            final Thread thread = new Thread(runnable, n < names.length ? names[n] : "truestock-stage-" + n);
            thread.setDaemon(true);
            return thread;
        };
    }

    public EngineRuntime start()
    {
        running = true;
        disruptor.start();
        if (ticker != null)
        {
            ticker.start();
        }
        return this;
    }

    public Engine engine()
    {
        return engine;
    }

    /**
     * Claims a slot, lets {@code filler} write the command and publishes it. Non-blocking.
     *
     * @return false when the ring is full or the runtime is not running: nothing was published.
     */
    @Override
    public boolean tryPublish(final CommandFiller filler, final OutcomeHandler handler)
    {
        if (!running)
        {
            return false;
        }
        final long slot;
        try
        {
            slot = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return false;
        }
        final RingSlot entry = ring.get(slot);
        try
        {
            // The slot's command is empty: the output stage cleared it once answered (a new slot starts empty).
            entry.handler = handler;
            filler.fill(entry.command);
        }
        catch (final RuntimeException ex)
        {
            entry.command.clear();
            entry.command.queryReservation(0);
            entry.handler = (command, outcome) ->
            {
            };
            ring.publish(slot);
            throw ex;
        }
        ring.publish(slot);
        return true;
    }

    /**
     * As {@link #tryPublish}, leaving a sleeping writer asleep until {@link #wakeConsumers()}, which the caller
     * promises soon (see {@link Sequencer#tryPublishQuietly}).
     */
    @Override
    public boolean tryPublishQuietly(final CommandFiller filler, final OutcomeHandler handler)
    {
        final boolean[] quiet = QuietableWaitStrategy.quiet();
        try
        {
            return tryPublish(filler, handler);
        }
        catch (final RuntimeException ex)
        {
            // The slot was published (as a no-op) before the throw; the caller will not promise a wake-up for it.
            waitStrategy.wakeConsumers();
            throw ex;
        }
        finally
        {
            QuietableWaitStrategy.loud(quiet);
        }
    }

    @Override
    public void wakeConsumers()
    {
        waitStrategy.wakeConsumers();
    }

    /**
     * Asks the writer to capture a snapshot after the command it applies next (so it is taken between commands,
     * with no lock); {@code sink} receives the bytes on the writer thread, as {@link
     * io.truestock.engine.EngineSnapshot#captureBuffers} holds them, and must hand them off, not write them. A
     * request made while one is pending replaces it.
     */
    public void requestSnapshot(final java.util.function.Consumer<java.nio.ByteBuffer[]> sink)
    {
        snapshotSink = sink;
    }

    /** Slots claimed but not yet answered. */
    public long backlog()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    public int ringSize()
    {
        return ring.getBufferSize();
    }

    /** Listener calls that threw since start: each was logged and dropped, the other listeners still ran. */
    public long listenerFailures()
    {
        return listenerFailures.get();
    }

    /** Outcome handler calls that threw since start: each was logged and dropped. */
    public long handlerFailures()
    {
        return handlerFailures.get();
    }

    @Override
    public Throwable halted()
    {
        return halted;
    }

    /** Stops accepting, drains every published command through all three stages, then closes the journal. */
    @Override
    public void close()
    {
        if (!running)
        {
            return;
        }
        running = false;
        if (ticker != null)
        {
            ticker.interrupt();
            try
            {
                ticker.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        try
        {
            disruptor.shutdown(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final com.lmax.disruptor.TimeoutException ex)
        {
            LOG.error("the ring did not drain in {} s; halting it", SHUTDOWN_TIMEOUT_SECONDS);
            disruptor.halt();
        }
        journal.close();
    }

    /**
     * The three stages on one thread: journal every command of the batch, seal it, then apply and answer each.
     * The batch's slots stay claimed until this returns, so producers cannot reuse them meanwhile.
     */
    private void fused(final RingSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        if (batchStart < 0)
        {
            batchStart = ringSequence;
        }
        ingress(slot, ringSequence, endOfBatch);
        if (endOfBatch)
        {
            for (long s = batchStart; s <= ringSequence; s++)
            {
                final RingSlot each = ring.get(s);
                business(each, s, s == ringSequence);
                output(each, s, s == ringSequence);
            }
            batchStart = -1;
        }
    }

    private void ingress(final RingSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        final Command command = slot.command;
        slot.refusedByJournal = false;
        if (halted == null && command.type() != null && command.type().isMutation())
        {
            final long now = Math.max(clock.time(), lastStampMillis);
            lastStampMillis = now;
            command.stamp(++sequence, now);
            try
            {
                journal.append(command);
            }
            catch (final CommandTooLargeException ex)
            {
                // Nothing was written: the sequence is not used, the command is refused, the journal goes on.
                sequence--;
                slot.refusedByJournal = true;
            }
            catch (final RuntimeException ex)
            {
                halt("journal append failed at " + command, ex);
            }
        }
        if (endOfBatch && halted == null)
        {
            try
            {
                journal.endOfBatch();
            }
            catch (final RuntimeException ex)
            {
                // The batch is not durable, so none of it may be applied: halting makes the business stage
                // reject every command of it (and everything after).
                halt("journal could not seal a batch", ex);
            }
        }
    }

    private void halt(final String what, final Throwable cause)
    {
        if (halted == null)
        {
            halted = cause;
            LOG.error("writer halted: {}", what, cause);
        }
    }

    private void business(final RingSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        final Throwable stopped = halted;
        if (stopped != null || slot.command.type() == null)
        {
            slot.outcome.reset();
            slot.events.reset();
            rejectHalted(slot.outcome, slot.command);
            return;
        }
        if (slot.refusedByJournal)
        {
            slot.outcome.reset();
            slot.events.reset();
            slot.outcome.reject(RejectReason.COMMAND_TOO_LARGE, -1, engine.lastSequence());
            return;
        }
        try
        {
            engine.apply(slot.command, slot.outcome, slot.events);
            final java.util.function.Consumer<java.nio.ByteBuffer[]> sink = snapshotSink;
            if (sink != null)
            {
                snapshotSink = null;
                sink.accept(io.truestock.engine.EngineSnapshot.captureBuffers(engine));
            }
        }
        catch (final Throwable ex)
        {
            halt("broken invariant at " + slot.command, ex);
            slot.events.reset();
            rejectHalted(slot.outcome, slot.command);
        }
    }

    private static void rejectHalted(final Outcome outcome, final Command command)
    {
        outcome.reject(RejectReason.ENGINE_HALTED, -1, command.sequence());
    }

    private void output(final RingSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        final OutcomeHandler handler = slot.handler;
        slot.handler = null;
        for (final EngineListener listener : listeners)
        {
            try
            {
                listener.onApplied(slot.command, slot.outcome, slot.events);
            }
            catch (final RuntimeException ex)
            {
                logFailure(listenerFailures.incrementAndGet(), "listener " + listener, slot.command, ex);
            }
        }
        if (handler != null)
        {
            try
            {
                handler.onOutcome(slot.command, slot.outcome);
            }
            catch (final RuntimeException ex)
            {
                logFailure(handlerFailures.incrementAndGet(), "outcome handler", slot.command, ex);
            }
        }
        if (endOfBatch)
        {
            for (final EngineListener listener : listeners)
            {
                try
                {
                    listener.onEndOfBatch();
                }
                catch (final RuntimeException ex)
                {
                    logFailure(listenerFailures.incrementAndGet(), "listener " + listener, slot.command, ex);
                }
            }
        }
        // Drop the slot's references to what this command brought (the strings and specs its edge parsed, the
        // outcome's) now rather than when the ring comes round to the slot again: the slots live in the old
        // generation, and a ring's worth of those young objects, kept alive by them, was copied at every young
        // collection (survivors of 2-4 MB and pauses of 5-7 ms under reservations, against 1 ms for reads). After
        // the end of the batch, so that a listener failing there is logged with the command it ended on.
        slot.command.clear();
        slot.outcome.reset();
    }

    /**
     * Logs the 1st, 2nd, 4th, 8th... failure of a kind: a listener broken for good fails on every command, and one
     * line per command would bury everything else; the counters keep the exact number.
     */
    private static void logFailure(final long count, final String who, final Command command, final RuntimeException ex)
    {
        if ((count & (count - 1)) == 0)
        {
            LOG.error("{} failed at {} ({} such failures so far)", who, command, count, ex);
        }
    }

    private void tickLoop()
    {
        while (running)
        {
            try
            {
                Thread.sleep(tickIntervalMillis);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            if (clock.time() >= engine.nextExpiryMillis())
            {
                tryPublish(Command::tick, null);
            }
        }
    }

    /** The ring was full: retry later. */
    public static final class OverloadedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        public OverloadedException()
        {
            super("ring full", null, false, false);
        }
    }
}
