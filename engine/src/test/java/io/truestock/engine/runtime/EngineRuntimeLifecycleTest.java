package io.truestock.engine.runtime;

import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.InternedDefinitionCodec;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The runtime's own contract around the stages: its accessors, refusals, threads, closing and failure logging.
 */
class EngineRuntimeLifecycleTest
{
    private static final long WAIT_SECONDS = 10;
    private static final long ONE_HOUR_MILLIS = 3_600_000;

    private static Engine engine()
    {
        final Engine engine = new Engine(new EngineConfig().maxSkus(16).maxLocations(4).maxChannels(4));
        engine.snapshotCodec(InternedDefinitionCodec.INSTANCE);
        return engine;
    }

    private static RuntimeConfig quiet(final RuntimeConfig.Pipeline pipeline)
    {
        return new RuntimeConfig().ringSize(8).tickIntervalMillis(0).pipeline(pipeline);
    }

    private static CommandFiller location(final String id)
    {
        return c -> c.defineLocation(id, LocationSpec.named(id));
    }

    private static Outcome await(final CompletableFuture<Outcome> future) throws Exception
    {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static Set<Thread> tickers()
    {
        final Set<Thread> tickers = new HashSet<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if ("truestock-ticker".equals(thread.getName()))
            {
                tickers.add(thread);
            }
        }
        return tickers;
    }

    /**
     * Builds and starts a runtime on a thread that is not a daemon: a new thread inherits that flag from the thread
     * creating it, so only there does a missing {@code setDaemon(true)} show.
     */
    private static EngineRuntime startedOnUserThread(
        final Engine engine, final RuntimeConfig config, final CommandJournal journal, final EngineListener... listeners)
        throws Exception
    {
        final CompletableFuture<EngineRuntime> started = new CompletableFuture<>();
        final Thread creator = new Thread(() ->
            started.complete(new EngineRuntime(engine, config, journal, listeners).start()));
        creator.setDaemon(false);
        creator.start();
        return started.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** A journal that keeps nothing and counts its closes. */
    private static class CountingJournal implements CommandJournal
    {
        final AtomicInteger closes = new AtomicInteger();
        final AtomicReference<Thread> appender = new AtomicReference<>();
        volatile Runnable onClose = () ->
        {
        };

        @Override
        public void append(final Command command)
        {
            appender.set(Thread.currentThread());
        }

        @Override
        public void endOfBatch()
        {
        }

        @Override
        public void close()
        {
            onClose.run();
            closes.incrementAndGet();
        }
    }

    @Test
    void anUnconcludedConfigurationIsConcludedAndValidatedByTheRuntime()
    {
        final RuntimeConfig config = new RuntimeConfig().ringSize(8).tickIntervalMillis(0);
        final EngineRuntime runtime = new EngineRuntime(engine(), config, CommandJournal.NONE);
        assertThat(config.isConcluded()).isTrue();
        runtime.close();

        assertThatThrownBy(() -> new EngineRuntime(
            engine(), new RuntimeConfig().tickIntervalMillis(-1), CommandJournal.NONE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tickIntervalMillis");
    }

    @Test
    void theAccessorsReportTheEngineTheRingAndTheCommandsNotYetAnswered() throws Exception
    {
        final Engine engine = engine();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch answered = new CountDownLatch(3);
        final EngineListener blocking = (command, outcome, events) ->
        {
            try
            {
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        };
        try (EngineRuntime runtime = new EngineRuntime(
            engine, quiet(RuntimeConfig.Pipeline.STAGED), CommandJournal.NONE, blocking).start())
        {
            assertThat(runtime.engine()).isSameAs(engine);
            assertThat(runtime.ringSize()).isEqualTo(8);
            assertThat(runtime.backlog()).isZero();
            for (int i = 0; i < 3; i++)
            {
                assertThat(runtime.tryPublish(location("l" + i), (command, outcome) -> answered.countDown())).isTrue();
            }
            assertThat(runtime.backlog()).as("the first waits in the output stage, the others behind it").isEqualTo(3);
            release.countDown();
            assertThat(answered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aRuntimeNotRunningRefusesToPublish()
    {
        final EngineRuntime runtime = new EngineRuntime(
            engine(), quiet(RuntimeConfig.Pipeline.STAGED), CommandJournal.NONE);
        assertThat(runtime.tryPublish(location("early"), null)).as("before start").isFalse();
        runtime.start().close();
        assertThat(runtime.tryPublish(location("late"), null)).as("after close").isFalse();
    }

    @ParameterizedTest
    @EnumSource(RuntimeConfig.Pipeline.class)
    void aFillerThatThrowsStillPublishesItsSlotSoTheRingGoesOn(final RuntimeConfig.Pipeline pipeline) throws Exception
    {
        try (EngineRuntime runtime = new EngineRuntime(engine(), quiet(pipeline), CommandJournal.NONE).start())
        {
            assertThatThrownBy(() -> runtime.tryPublish(c ->
            {
                throw new IllegalStateException("filler broken");
            }, null)).hasMessage("filler broken");
            assertThat(await(runtime.submit(location("after"))).accepted()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeConfig.Pipeline.class)
    void aBatchStartingAtTheFirstSlotIsAnsweredWhole(final RuntimeConfig.Pipeline pipeline) throws Exception
    {
        try (EngineRuntime runtime = new EngineRuntime(engine(), quiet(pipeline), CommandJournal.NONE).start())
        {
            final CountDownLatch claimed = new CountDownLatch(1);
            final CountDownLatch proceed = new CountDownLatch(1);
            final CountDownLatch answered = new CountDownLatch(3);
            final Thread first = new Thread(() -> runtime.tryPublish(c ->
            {
                claimed.countDown();
                try
                {
                    proceed.await(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                c.defineLocation("l0", LocationSpec.named("l0"));
            }, (command, outcome) -> answered.countDown()));
            first.start();
            assertThat(claimed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            // Slot 0 is claimed and not yet published: slots 1 and 2 become available with it, as one batch.
            assertThat(runtime.tryPublish(location("l1"), (command, outcome) -> answered.countDown())).isTrue();
            assertThat(runtime.tryPublish(location("l2"), (command, outcome) -> answered.countDown())).isTrue();
            proceed.countDown();
            first.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertThat(answered.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("every command of the batch").isTrue();
        }
    }

    @Test
    void aCommandRefusedAsTooLargeDoesNotUseUpASequence() throws Exception
    {
        final CommandJournal journal = new CountingJournal()
        {
            @Override
            public void append(final Command command)
            {
                if ("big".equals(command.location()))
                {
                    throw new CommandTooLargeException("does not fit");
                }
            }
        };
        final Engine engine = engine();
        try (EngineRuntime runtime = new EngineRuntime(
            engine, quiet(RuntimeConfig.Pipeline.FUSED), journal).start())
        {
            assertThat(await(runtime.submit(location("a"))).accepted()).isTrue();
            final long before = engine.lastSequence();
            assertThat(await(runtime.submit(location("big"))).reason()).isEqualTo(RejectReason.COMMAND_TOO_LARGE);
            assertThat(await(runtime.submit(location("b"))).accepted()).isTrue();
            assertThat(engine.lastSequence()).isEqualTo(before + 1);
        }
    }

    @Test
    void aRequestedSnapshotIsHandedToTheSinkOnTheWriterThread() throws Exception
    {
        final AtomicReference<java.nio.ByteBuffer[]> bytes = new AtomicReference<>();
        final AtomicReference<Thread> writer = new AtomicReference<>();
        final CountingJournal journal = new CountingJournal();
        final AtomicReference<Thread> output = new AtomicReference<>();
        final EngineListener listener = (command, outcome, events) -> output.set(Thread.currentThread());
        try (EngineRuntime runtime = startedOnUserThread(
            engine(), quiet(RuntimeConfig.Pipeline.STAGED), journal, listener))
        {
            runtime.requestSnapshot(snapshot ->
            {
                writer.set(Thread.currentThread());
                bytes.set(snapshot);
            });
            assertThat(await(runtime.submit(location("a"))).accepted()).isTrue();
        }
        assertThat(bytes.get()).isNotEmpty();
        assertThat(journal.appender.get().getName()).isEqualTo("truestock-ingress");
        assertThat(writer.get().getName()).isEqualTo("truestock-writer");
        assertThat(output.get().getName()).isEqualTo("truestock-output");
        assertThat(List.of(journal.appender.get(), writer.get(), output.get()))
            .as("the stages do not keep the JVM alive").allMatch(Thread::isDaemon);
    }

    @Test
    void aSinkThatThrowsHaltsTheWriterAndItsCommandIsAnsweredHalted() throws Exception
    {
        final IllegalStateException broken = new IllegalStateException("sink broken");
        try (EngineRuntime runtime = new EngineRuntime(
            engine(), quiet(RuntimeConfig.Pipeline.STAGED), CommandJournal.NONE).start())
        {
            runtime.requestSnapshot(snapshot ->
            {
                throw broken;
            });
            final Outcome outcome = await(runtime.submit(location("a")));
            assertThat(outcome.reason()).isEqualTo(RejectReason.ENGINE_HALTED);
            assertThat(runtime.halted()).isSameAs(broken);
            assertThat(await(runtime.submit(location("b"))).reason()).isEqualTo(RejectReason.ENGINE_HALTED);
        }
    }

    @Test
    void theTickerRunsOnADaemonThreadOnlyWhenAnIntervalIsSet() throws Exception
    {
        final Set<Thread> before = tickers();
        try (EngineRuntime off = new EngineRuntime(
            engine(), quiet(RuntimeConfig.Pipeline.STAGED), CommandJournal.NONE).start())
        {
            final Set<Thread> started = tickers();
            started.removeAll(before);
            assertThat(started).as("an interval of 0 turns the ticker off").isEmpty();
        }

        final AtomicReference<Thread> ticker = new AtomicReference<>();
        final CountDownLatch ticked = new CountDownLatch(1);
        final RuntimeConfig config = new RuntimeConfig().ringSize(8).tickIntervalMillis(1).clock(() ->
        {
            if ("truestock-ticker".equals(Thread.currentThread().getName()))
            {
                ticker.compareAndSet(null, Thread.currentThread());
                ticked.countDown();
            }
            return 1_800_000_000_000L;
        });
        try (EngineRuntime runtime = startedOnUserThread(engine(), config, CommandJournal.NONE))
        {
            assertThat(ticked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(ticker.get().isDaemon()).isTrue();
        }
    }

    @Test
    void closeStopsTheTickerDrainsTheRingAndClosesTheJournalOnce() throws Exception
    {
        final CountingJournal journal = new CountingJournal();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger answeredAtClose = new AtomicInteger(-1);
        journal.onClose = () -> answeredAtClose.compareAndSet(-1, answered.get());
        final Set<Thread> before = tickers();
        final EngineRuntime runtime = new EngineRuntime(
            engine(), new RuntimeConfig().ringSize(256).tickIntervalMillis(ONE_HOUR_MILLIS), journal).start();
        final Set<Thread> started = tickers();
        started.removeAll(before);
        assertThat(started).hasSize(1);
        final Thread ticker = started.iterator().next();

        int published = 0;
        for (int i = 0; i < 200; i++)
        {
            if (runtime.tryPublish(location("l" + (i % 4)), (command, outcome) -> answered.incrementAndGet()))
            {
                published++;
            }
        }
        runtime.close();
        assertThat(answeredAtClose.get()).as("every published command was answered before the journal closed")
            .isEqualTo(published);
        assertThat(ticker.isAlive()).as("the ticker, asleep for an hour, was woken and ended").isFalse();
        assertThat(journal.closes.get()).isEqualTo(1);
        runtime.close();
        assertThat(journal.closes.get()).as("a second close does nothing").isEqualTo(1);
    }

    @Test
    void closeWaitsForTheTickerToEndBeforeClosingTheJournal() throws Exception
    {
        final CountDownLatch inClock = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<Thread> ticker = new AtomicReference<>();
        final RuntimeConfig config = new RuntimeConfig().ringSize(8).tickIntervalMillis(1).clock(() ->
        {
            if ("truestock-ticker".equals(Thread.currentThread().getName()) && ticker.compareAndSet(null,
                Thread.currentThread()))
            {
                // The ticker is held here, deaf to the interrupt of close(), until the test lets it go.
                inClock.countDown();
                boolean interrupted = false;
                while (true)
                {
                    try
                    {
                        release.await(WAIT_SECONDS, TimeUnit.SECONDS);
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
            }
            return 1_800_000_000_000L;
        });
        final CountingJournal journal = new CountingJournal();
        final AtomicReference<Boolean> tickerAliveAtJournalClose = new AtomicReference<>();
        journal.onClose = () -> tickerAliveAtJournalClose.compareAndSet(null, ticker.get().isAlive());
        final EngineRuntime runtime = new EngineRuntime(engine(), config, journal).start();
        assertThat(inClock.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        final Thread closer = new Thread(runtime::close);
        closer.start();
        // Let the ticker go once close() waits for it (or, were it not to wait, has already reached the journal).
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (tickerAliveAtJournalClose.get() == null && closer.getState() != Thread.State.TIMED_WAITING &&
            System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(tickerAliveAtJournalClose.get()).isFalse();
    }

    @Test
    void closeKeepsTheCallersInterruptWhileWaitingForTheTicker()
    {
        final CountingJournal journal = new CountingJournal();
        final EngineRuntime runtime = new EngineRuntime(
            engine(), new RuntimeConfig().ringSize(8).tickIntervalMillis(ONE_HOUR_MILLIS), journal).start();
        Thread.currentThread().interrupt();
        try
        {
            runtime.close();
        }
        finally
        {
            assertThat(Thread.interrupted()).as("the interrupt that cut the wait short is kept").isTrue();
        }
        assertThat(journal.closes.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(RuntimeConfig.Pipeline.class)
    void failuresAreLoggedAtTheFirstSecondFourthAndEighthTimeAndCountedEveryTime(
        final RuntimeConfig.Pipeline pipeline) throws Exception
    {
        final String name = "listener-" + pipeline + "-" + System.nanoTime();
        final EngineListener throwing = new EngineListener()
        {
            @Override
            public void onApplied(final Command command, final Outcome outcome, final Events events)
            {
                throw new IllegalStateException("broken for good");
            }

            @Override
            public String toString()
            {
                return name;
            }
        };
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (EngineRuntime runtime = new EngineRuntime(
            engine(), quiet(pipeline), CommandJournal.NONE, throwing).start())
        {
            for (int i = 0; i < 9; i++)
            {
                await(runtime.submit(location("l" + (i % 4))));
            }
            final CountDownLatch answered = new CountDownLatch(3);
            for (int i = 0; i < 3; i++)
            {
                assertThat(runtime.tryPublish(location("h" + i), (command, outcome) ->
                {
                    answered.countDown();
                    throw new IllegalStateException("caller gone");
                })).isTrue();
            }
            assertThat(answered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            await(runtime.submit(location("last")));
            assertThat(runtime.listenerFailures()).isEqualTo(13);
            assertThat(runtime.handlerFailures()).isEqualTo(3);
        }
        finally
        {
            System.setErr(err);
        }
        final String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(counts(log, "listener " + name)).containsExactly(1L, 2L, 4L, 8L);
        assertThat(counts(log, "outcome handler")).containsExactly(1L, 2L);
    }

    private static List<Long> counts(final String log, final String who)
    {
        final Matcher matcher = Pattern.compile(Pattern.quote(who) + " failed at .* \\((\\d+) such failures so far\\)")
            .matcher(log);
        final List<Long> counts = new ArrayList<>();
        while (matcher.find())
        {
            counts.add(Long.parseLong(matcher.group(1)));
        }
        return counts;
    }
}
