package io.truestock.engine.runtime;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.StockView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class EngineRuntimeTest
{
    private static final int THREADS = 32;
    private static final long STOCK = 100;

    private static Engine catalog()
    {
        return new Engine(new EngineConfig().maxSkus(64).maxLocations(4).maxChannels(4)
            .maxOpenReservations(10_000).maxRetainedReservations(10_000));
    }

    private static Outcome await(final CompletableFuture<Outcome> future) throws Exception
    {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static void define(final EngineRuntime runtime) throws Exception
    {
        assertThat(await(runtime.submit(c -> c.defineLocation("oak", LocationSpec.named("Oakland")))).accepted()).isTrue();
        assertThat(await(runtime.submit(c -> c.defineChannel("shop", ChannelSpec.named("Shop")))).accepted()).isTrue();
        assertThat(await(runtime.submit(c -> c.defineSku("hot", SkuSpec.simple("Hot", 100, "USD")))).accepted()).isTrue();
        assertThat(await(runtime.submit(c -> c.receive("hot", "oak", STOCK))).accepted()).isTrue();
    }

    /** Every pipeline with every wait strategy that does not need a spare core per stage. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> pipelinesAndWaits()
    {
        return java.util.Arrays.stream(RuntimeConfig.Pipeline.values()).flatMap(pipeline ->
            java.util.stream.Stream.of("phased", "spin-block", "blocking", "sleeping")
                .map(wait -> org.junit.jupiter.params.provider.Arguments.of(pipeline, wait)));
    }

    /**
     * Commands published quietly are all applied and answered once woken, whatever the strategy; each ring batch
     * ends with one end-of-batch call to every listener, after the last answer of the batch.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("pipelinesAndWaits")
    void quietPublishesAreAnsweredAfterTheWakeUpAndEveryBatchEndsAfterItsAnswers(
        final RuntimeConfig.Pipeline pipeline, final String wait) throws Exception
    {
        final List<String> trail = java.util.Collections.synchronizedList(new ArrayList<>());
        final EngineListener listener = new EngineListener()
        {
            @Override
            public void onApplied(final Command command, final Outcome outcome, final io.truestock.engine.Events events)
            {
                trail.add("applied");
            }

            @Override
            public void onEndOfBatch()
            {
                trail.add("end");
            }
        };
        final Engine engine = catalog();
        try (EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(64).tickIntervalMillis(0).pipeline(pipeline).waitStrategy(wait),
            CommandJournal.NONE, listener).start())
        {
            define(runtime);
            trail.clear();
            final int commands = 40;
            final CountDownLatch answered = new CountDownLatch(commands);
            final AtomicLong accepted = new AtomicLong();
            for (int i = 0; i < commands; i++)
            {
                assertThat(runtime.tryPublishQuietly(c -> c.reserve("shop", 600).addLine("hot", 1), (c, outcome) ->
                {
                    trail.add("answered");
                    if (outcome.accepted())
                    {
                        accepted.incrementAndGet();
                    }
                    answered.countDown();
                })).isTrue();
            }
            runtime.wakeConsumers();
            assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
            // The batch's end comes after its last answer: wait for it, then check the whole trail.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!trail.get(trail.size() - 1).equals("end") && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            assertThat(accepted.get()).isEqualTo(commands);
            final List<String> copy = new ArrayList<>(trail);
            // The end of define's last batch may follow its answer (which completed define) after the clear.
            while (copy.get(0).equals("end"))
            {
                copy.remove(0);
            }
            assertThat(copy.stream().filter("applied"::equals).count()).isEqualTo(commands);
            assertThat(copy.stream().filter("answered"::equals).count()).isEqualTo(commands);
            assertThat(copy.get(copy.size() - 1)).isEqualTo("end");
            // Every end follows an answer (no empty batch is ended), and every answer follows its command's tellings.
            for (int i = 0; i < copy.size(); i++)
            {
                if (copy.get(i).equals("end"))
                {
                    assertThat(copy.get(i - 1)).as("before end #%d", i).isEqualTo("answered");
                }
                if (copy.get(i).equals("answered"))
                {
                    assertThat(copy.get(i - 1)).as("before answer #%d", i).isEqualTo("applied");
                }
            }
        }
    }

    /** A filler that throws still leaves no command unseen by a sleeping writer: the runtime wakes it itself. */
    @org.junit.jupiter.api.Test
    void aQuietPublishWhoseFillerThrowsWakesTheWriterItself() throws Exception
    {
        final Engine engine = catalog();
        try (EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(64).tickIntervalMillis(0).waitStrategy("blocking"),
            CommandJournal.NONE).start())
        {
            define(runtime);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtime.tryPublishQuietly(c ->
            {
                throw new IllegalArgumentException("bad");
            }, null)).isInstanceOf(IllegalArgumentException.class);
            // Nothing else is published and nobody calls wakeConsumers: the writer, asleep in a blocking wait, still
            // takes the failed slot (published as a no-op) off the ring.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (runtime.backlog() != 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertThat(runtime.backlog()).isZero();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("pipelinesAndWaits")
    void thirtyTwoThreadsRaceForOneHundredUnitsAndExactlyOneHundredWin(
        final RuntimeConfig.Pipeline pipeline, final String wait) throws Exception
    {
        final AtomicLong heldEvents = new AtomicLong();
        final AtomicLong acceptedReserves = new AtomicLong();
        final EngineListener listener = (command, outcome, events) ->
        {
            if (command.type() == io.truestock.engine.CommandType.RESERVE && outcome.accepted())
            {
                acceptedReserves.incrementAndGet();
                for (int i = 0; i < events.stockCount(); i++)
                {
                    heldEvents.addAndGet(events.stockAfter(i, 1) - events.stockBefore(i, 1));
                }
            }
        };
        final Engine engine = catalog();
        try (EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(64).tickIntervalMillis(0).pipeline(pipeline).waitStrategy(wait),
            CommandJournal.NONE, listener).start())
        {
            define(runtime);
            final AtomicLong wins = new AtomicLong();
            final AtomicLong outOfStock = new AtomicLong();
            final AtomicLong overloaded = new AtomicLong();
            final AtomicReference<String> unexpected = new AtomicReference<>();
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final String principal = "agent-" + t;
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        start.await();
                        boolean soldOut = false;
                        while (!soldOut)
                        {
                            final CompletableFuture<Outcome> future = runtime.submit(
                                c -> c.reserve("shop", 600).addLine("hot", 1).principal(principal));
                            final Outcome outcome;
                            try
                            {
                                outcome = future.get(10, TimeUnit.SECONDS);
                            }
                            catch (final java.util.concurrent.ExecutionException ex)
                            {
                                overloaded.incrementAndGet();
                                Thread.onSpinWait();
                                continue;
                            }
                            if (outcome.accepted())
                            {
                                wins.incrementAndGet();
                            }
                            else if (outcome.reason() == RejectReason.OUT_OF_STOCK)
                            {
                                outOfStock.incrementAndGet();
                                soldOut = true;
                            }
                            else
                            {
                                unexpected.set(outcome.toString());
                                soldOut = true;
                            }
                        }
                    }
                    catch (final Exception ex)
                    {
                        unexpected.set(ex.toString());
                    }
                });
                thread.start();
                threads.add(thread);
            }
            start.countDown();
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }

            assertThat(unexpected.get()).isNull();
            assertThat(wins.get()).isEqualTo(STOCK);
            assertThat(outOfStock.get()).isEqualTo(THREADS);
            final StockView view = new StockView();
            final Outcome last = await(runtime.submit(c -> c.queryReservation(STOCK)));
            assertThat(last.accepted()).isTrue();
            engine.readStock("hot", "oak", view);
            assertThat(view.available()).isZero();
            assertThat(view.reserved()).isEqualTo(STOCK);
            assertThat(acceptedReserves.get()).isEqualTo(wins.get());
            assertThat(heldEvents.get()).isEqualTo(STOCK);
            assertThat(engine.openReservations()).isEqualTo((int)STOCK);
        }
    }

    @Test
    void readersSeeConsistentRecordsWhileTheWriterWorks() throws Exception
    {
        final Engine engine = catalog();
        try (EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(256).tickIntervalMillis(0), CommandJournal.NONE, EngineListener.NONE)
            .start())
        {
            define(runtime);
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicReference<String> violation = new AtomicReference<>();
            final AtomicLong changesSeen = new AtomicLong();
            final Thread reader = new Thread(() ->
            {
                final StockView view = new StockView();
                long lastVersion = -1;
                while (!done.get())
                {
                    engine.readStock("hot", "oak", view);
                    if (view.onHand() < 0 || view.reserved() < 0 || view.committed() < 0 ||
                        view.reserved() + view.committed() > view.onHand() - view.safety())
                    {
                        violation.set(view.toString());
                    }
                    if (view.version() < lastVersion)
                    {
                        violation.set("version went back: " + view);
                    }
                    if (view.version() != lastVersion)
                    {
                        changesSeen.incrementAndGet();
                    }
                    lastVersion = view.version();
                }
            });
            reader.start();
            for (int i = 0; i < 500; i++)
            {
                final String order = "o-" + i;
                final Outcome reserved = await(runtime.submit(c -> c.reserve("shop", 60).addLine("hot", 3)));
                assertThat(reserved.accepted()).as(reserved.toString()).isTrue();
                final long id = reserved.reservationId();
                assertThat(await(runtime.submit(c -> c.confirm(id, order))).accepted()).isTrue();
                assertThat(await(runtime.submit(c -> c.ship("shop", order))).accepted()).isTrue();
                assertThat(await(runtime.submit(c -> c.receive("hot", "oak", 3))).accepted()).isTrue();
            }
            done.set(true);
            reader.join();
            assertThat(violation.get()).isNull();
            assertThat(changesSeen.get()).isGreaterThan(1);
        }
    }

    @Test
    void aFullRingAnswersFalseInsteadOfQueueing() throws Exception
    {
        final Engine engine = catalog();
        final CountDownLatch release = new CountDownLatch(1);
        final EngineListener blocking = (command, outcome, events) ->
        {
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        };
        try (EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(8).tickIntervalMillis(0), CommandJournal.NONE, blocking).start())
        {
            int published = 0;
            while (runtime.tryPublish(c -> c.defineSku("s" + System.nanoTime(), SkuSpec.simple("x", 1, "USD")), null))
            {
                published++;
                assertThat(published).isLessThanOrEqualTo(8);
            }
            assertThat(published).isEqualTo(8);
            assertThat(runtime.submit(Command::tick)).isCompletedExceptionally();
            release.countDown();
        }
    }

    @Test
    void theTickerExpiresReservationsWhenTheyFallDue() throws Exception
    {
        final AtomicLong now = new AtomicLong(1_800_000_000_000L);
        final Engine engine = catalog();
        try (EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(64).tickIntervalMillis(1).clock(now::get), CommandJournal.NONE,
            EngineListener.NONE).start())
        {
            define(runtime);
            final Outcome held = await(runtime.submit(c -> c.reserve("shop", 5).addLine("hot", 10)));
            assertThat(held.accepted()).isTrue();
            assertThat(engine.nextExpiryMillis()).isEqualTo(now.get() + 5_000);
            now.addAndGet(5_000);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (engine.openReservations() > 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            final Outcome status = await(runtime.submit(c -> c.queryReservation(held.reservationId())));
            assertThat(status.reservationStatus()).isEqualTo(io.truestock.engine.ReservationStatus.EXPIRED);
            final StockView view = new StockView();
            engine.readStock("hot", "oak", view);
            assertThat(view.reserved()).isZero();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(RuntimeConfig.Pipeline.class)
    void mutationsAreStampedInOrderAndJournaledBeforeTheyAreApplied(final RuntimeConfig.Pipeline pipeline)
        throws Exception
    {
        final List<Long> journaled = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicLong sealedUpTo = new AtomicLong();
        final AtomicReference<String> violation = new AtomicReference<>();
        final Engine engine = catalog();
        final CommandJournal journal = new CommandJournal()
        {
            @Override
            public void append(final Command command)
            {
                journaled.add(command.sequence());
            }

            @Override
            public void endOfBatch()
            {
                synchronized (journaled)
                {
                    if (!journaled.isEmpty())
                    {
                        sealedUpTo.set(journaled.get(journaled.size() - 1));
                    }
                }
            }

            @Override
            public void close()
            {
            }
        };
        final EngineListener listener = (command, outcome, events) ->
        {
            if (command.type().isMutation() &&
                (!journaled.contains(command.sequence()) || command.sequence() > sealedUpTo.get()))
            {
                violation.set("applied before journaled and sealed: " + command);
            }
        };
        try (EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(64).tickIntervalMillis(0).pipeline(pipeline), journal, listener).start())
        {
            define(runtime);
            await(runtime.submit(c -> c.queryReservation(1)));
            final Outcome received = await(runtime.submit(c -> c.receive("hot", "oak", 1)));
            assertThat(received.version()).isEqualTo(5);
        }
        assertThat(violation.get()).isNull();
        assertThat(journaled).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(RuntimeConfig.Pipeline.class)
    void aJournalThatCannotSealHaltsTheWriterAndNothingOfTheBatchIsApplied(final RuntimeConfig.Pipeline pipeline)
        throws Exception
    {
        final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
        final CommandJournal journal = new CommandJournal()
        {
            @Override
            public void append(final Command command)
            {
            }

            @Override
            public void endOfBatch()
            {
                if (failing.get())
                {
                    throw new IllegalStateException("disk full");
                }
            }

            @Override
            public void close()
            {
            }
        };
        final Engine engine = catalog();
        final EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(64).tickIntervalMillis(0).pipeline(pipeline), journal,
            EngineListener.NONE).start();
        try
        {
            define(runtime);
            final long before = engine.lastSequence();
            failing.set(true);
            final Outcome refused = await(runtime.submit(c -> c.receive("hot", "oak", 5)));
            assertThat(refused.accepted()).isFalse();
            assertThat(refused.reason()).isEqualTo(RejectReason.ENGINE_HALTED);
            assertThat(runtime.halted()).hasMessage("disk full");
            assertThat(engine.lastSequence()).isEqualTo(before);
            final StockView view = new StockView();
            engine.readStock("hot", "oak", view);
            assertThat(view.onHand()).isEqualTo(STOCK);
            assertThat(await(runtime.submit(c -> c.receive("hot", "oak", 1))).reason())
                .isEqualTo(RejectReason.ENGINE_HALTED);
        }
        finally
        {
            runtime.close();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(RuntimeConfig.Pipeline.class)
    void aThrowingListenerIsCountedAndTheOtherListenersAndTheCallerStillHearOfEachCommand(
        final RuntimeConfig.Pipeline pipeline) throws Exception
    {
        final AtomicLong heard = new AtomicLong();
        final EngineListener throwing = (command, outcome, events) ->
        {
            throw new IllegalStateException("listener broken for good");
        };
        final EngineListener counting = (command, outcome, events) -> heard.incrementAndGet();
        try (EngineRuntime runtime = new EngineRuntime(
            catalog(), new RuntimeConfig().ringSize(64).tickIntervalMillis(0).pipeline(pipeline), CommandJournal.NONE,
            throwing, counting).start())
        {
            assertThat(runtime.listenerFailures()).isZero();
            define(runtime);
            for (int i = 0; i < 3; i++)
            {
                assertThat(await(runtime.submit(c -> c.receive("hot", "oak", 1))).accepted()).isTrue();
            }
            assertThat(runtime.listenerFailures()).isEqualTo(7);
            assertThat(heard.get()).isEqualTo(7);
            assertThat(runtime.handlerFailures()).isZero();
            assertThat(runtime.halted()).isNull();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(RuntimeConfig.Pipeline.class)
    void aThrowingOutcomeHandlerIsCounted(final RuntimeConfig.Pipeline pipeline) throws Exception
    {
        try (EngineRuntime runtime = new EngineRuntime(
            catalog(), new RuntimeConfig().ringSize(64).tickIntervalMillis(0).pipeline(pipeline), CommandJournal.NONE,
            EngineListener.NONE).start())
        {
            define(runtime);
            final CountDownLatch answered = new CountDownLatch(1);
            assertThat(runtime.tryPublish(c -> c.receive("hot", "oak", 1), (command, outcome) ->
            {
                answered.countDown();
                throw new IllegalStateException("caller gone");
            })).isTrue();
            assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(await(runtime.submit(c -> c.receive("hot", "oak", 1))).accepted()).isTrue();
            assertThat(runtime.handlerFailures()).isEqualTo(1);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(RuntimeConfig.Pipeline.class)
    void onlyACommandTooLargeIsRefusedAsTooLargeAndAnyOtherAppendFailureHaltsTheWriter(
        final RuntimeConfig.Pipeline pipeline) throws Exception
    {
        final CommandJournal journal = new CommandJournal()
        {
            @Override
            public void append(final Command command)
            {
                if ("too-large".equals(command.reason()))
                {
                    throw new CommandTooLargeException("command of 9999 bytes does not fit");
                }
                if ("broken".equals(command.reason()))
                {
                    throw new IllegalArgumentException("codec bug");
                }
            }

            @Override
            public void endOfBatch()
            {
            }

            @Override
            public void close()
            {
            }
        };
        final Engine engine = catalog();
        final EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(64).tickIntervalMillis(0).pipeline(pipeline), journal,
            EngineListener.NONE).start();
        try
        {
            define(runtime);
            final long before = engine.lastSequence();
            final Outcome tooLarge = await(runtime.submit(c -> c.adjust("hot", "oak", 1).reason("too-large")));
            assertThat(tooLarge.reason()).isEqualTo(RejectReason.COMMAND_TOO_LARGE);
            assertThat(runtime.halted()).isNull();
            assertThat(engine.lastSequence()).isEqualTo(before);
            assertThat(await(runtime.submit(c -> c.receive("hot", "oak", 1))).accepted()).as("the writer goes on")
                .isTrue();

            final Outcome broken = await(runtime.submit(c -> c.adjust("hot", "oak", 1).reason("broken")));
            assertThat(broken.reason()).isEqualTo(RejectReason.ENGINE_HALTED);
            assertThat(runtime.halted()).isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(CommandTooLargeException.class).hasMessage("codec bug");
            final StockView view = new StockView();
            engine.readStock("hot", "oak", view);
            assertThat(view.onHand()).isEqualTo(STOCK + 1);
        }
        finally
        {
            runtime.close();
        }
    }
}
