package io.truestock.gateway.stream;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The streams' shadow on a real engine with more SKUs than one page of the shadow holds: a catch-up and a live
 * update name the right SKU and value on every page, whether the value was there at start or published later; a
 * catch-up goes in bounded rounds in version order, and falling behind in the middle of one command's updates loses
 * none of them.
 */
class ChannelStreamsShadowTest
{
    private static final int SKUS = 5_000;

    private final Engine engine = new Engine(new EngineConfig().maxSkus(10_000).maxLocations(2).maxChannels(2));
    private final Command command = new Command(8);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private long sequence;

    @Test
    void aCatchUpAndLiveUpdatesReachSkusBeyondTheFirstPage()
    {
        final long defined = catalogOfTwoPages();
        apply(null, c -> c.receive("sku-10", "oak", 7));
        apply(null, c -> c.receive("sku-4500", "oak", 9));

        final ChannelStreams streams = new ChannelStreams(engine, 16, 4);
        final ChannelStreams.Subscriber resumed = streams.subscribe(0, defined, () -> { });
        assertThat(resumed.poll(100)).as("the shadow filled from the engine at start, both pages")
            .extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available, ChannelStreams.Update::version)
            .containsExactly(
                tuple(engine.skuIndex("sku-10"), 7L, defined + 1),
                tuple(engine.skuIndex("sku-4500"), 9L, defined + 2));

        apply(streams, c -> c.receive("sku-4999", "oak", 3));
        final List<ChannelStreams.Update> live = resumed.poll(100);
        assertThat(live).extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available,
            ChannelStreams.Update::version, ChannelStreams.Update::atMillis)
            .containsExactly(tuple(engine.skuIndex("sku-4999"), 3L, sequence, 1_000L));

        final ChannelStreams.Subscriber late = streams.subscribe(0, defined + 1, () -> { });
        assertThat(late.poll(100)).as("a catch-up from a version sends only what is newer, in version order")
            .extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available)
            .containsExactly(tuple(engine.skuIndex("sku-4500"), 9L),
                tuple(engine.skuIndex("sku-4999"), 3L));
    }

    @Test
    void aResumeOnALargeCatalogGoesInRoundsInVersionOrderThenLive()
    {
        apply(null, c -> c.defineLocation("oak", LocationSpec.named("Oak")));
        apply(null, c -> c.defineChannel("web", ChannelSpec.named("Web")));
        final ChannelStreams streams = new ChannelStreams(engine, 16, 4);
        for (int i = 0; i < SKUS; i++)
        {
            final String id = "sku-" + i;
            apply(streams, c -> c.defineSku(id, SkuSpec.simple("Item", 100, "USD")));
        }
        final long defined = sequence;
        for (int i = SKUS - 1; i >= 0; i--)
        {
            // Newest versions on the lowest SKUs: version order is not SKU order.
            final String id = "sku-" + i;
            apply(streams, c -> c.receive(id, "oak", 1 + id.length()));
        }
        final ChannelStreams.Subscriber resumed = streams.subscribe(0, defined, () -> { });
        assertThat(resumed.poll(0)).as("a poll of nothing takes nothing").isEmpty();
        assertThat(resumed.pending()).isTrue();
        final List<ChannelStreams.Update> all = new java.util.ArrayList<>();
        int rounds = 0;
        List<ChannelStreams.Update> round;
        while (!(round = resumed.poll(100)).isEmpty())
        {
            assertThat(round.size()).as("a round is bounded by the poll").isLessThanOrEqualTo(100);
            all.addAll(round);
            rounds++;
        }
        assertThat(rounds).isEqualTo(SKUS / 100);
        assertThat(all).hasSize(SKUS);
        assertThat(all).extracting(ChannelStreams.Update::version).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(0).sku()).isEqualTo(engine.skuIndex("sku-" + (SKUS - 1)));
        assertThat(all.get(SKUS - 1).sku()).isEqualTo(engine.skuIndex("sku-0"));
        assertThat(resumed.pending()).as("caught up").isFalse();

        apply(streams, c -> c.receive("sku-7", "oak", 1));
        assertThat(resumed.poll(100)).as("then live").extracting(ChannelStreams.Update::sku, ChannelStreams.Update::version)
            .containsExactly(tuple(engine.skuIndex("sku-7"), sequence));
    }

    @Test
    void aSubscriberThatFallsBehindInTheMiddleOfACommandsUpdatesStillGetsTheRestOfThem()
    {
        apply(null, c -> c.defineLocation("oak", LocationSpec.named("Oak")));
        apply(null, c -> c.defineChannel("web", ChannelSpec.named("Web")));
        for (int i = 0; i < 12; i++)
        {
            final String id = "sku-" + i;
            apply(null, c -> c.defineSku(id, SkuSpec.simple("Item", 100, "USD")));
            apply(null, c -> c.receive(id, "oak", 10));
        }
        final ChannelStreams streams = new ChannelStreams(engine, 8, 4);
        final ChannelStreams.Subscriber live = streams.subscribe(0, -1, () -> { });
        // One reservation of six SKUs: six updates of one version.
        apply(streams, c ->
        {
            c.reserve("web", 60);
            for (int i = 0; i < 6; i++)
            {
                c.addLine("sku-" + i, 1);
            }
        });
        final long shared = sequence;
        final List<ChannelStreams.Update> first = live.poll(2);
        assertThat(first).hasSize(2).allMatch(u -> u.version() == shared);
        // Five more updates overflow the queue of eight while four of the first six are still in it.
        apply(streams, c ->
        {
            c.reserve("web", 60);
            for (int i = 6; i < 11; i++)
            {
                c.addLine("sku-" + i, 1);
            }
        });
        final java.util.Set<Integer> caughtUp = new java.util.HashSet<>();
        List<ChannelStreams.Update> round;
        while (!(round = live.poll(100)).isEmpty())
        {
            round.forEach(u -> caughtUp.add(u.sku()));
        }
        for (int i = 0; i < 11; i++)
        {
            assertThat(caughtUp).as("sku-" + i).contains(engine.skuIndex("sku-" + i));
        }
        assertThat(caughtUp).doesNotContain(engine.skuIndex("sku-11"));
    }

    @Test
    void aCatchUpPolledWhileCommandsOfManySkusArePublishedEndsWithEverySkusLatestValue() throws Exception
    {
        apply(null, c -> c.defineLocation("oak", LocationSpec.named("Oak")));
        apply(null, c -> c.defineChannel("web", ChannelSpec.named("Web")));
        final int skus = 2_000;
        for (int i = 0; i < skus; i++)
        {
            final String id = "sku-" + i;
            apply(null, c -> c.defineSku(id, SkuSpec.simple("Item", 100, "USD")));
            apply(null, c -> c.receive(id, "oak", 1_000));
        }
        // A queue of two: every command overflows it, so the subscriber keeps catching up in rounds.
        final ChannelStreams streams = new ChannelStreams(engine, 2, 4);
        final ChannelStreams.Subscriber subscriber = streams.subscribe(0, 0, () -> { });
        final java.util.Map<Integer, ChannelStreams.Update> seen = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final Thread poller = new Thread(() ->
        {
            // Small rounds, polled as fast as they come, while the commands below are applied.
            while (!done.get() || subscriber.pending())
            {
                for (final ChannelStreams.Update update : subscriber.poll(16))
                {
                    seen.merge(update.sku(), update, (a, b) -> b.version() >= a.version() ? b : a);
                }
            }
        });
        poller.start();
        final Random random = new Random(7);
        for (int round = 0; round < 400; round++)
        {
            // Each reservation's lines from high SKU indexes to low: one version's updates out of SKU order.
            final int first = random.nextInt(skus - 8);
            apply(streams, c ->
            {
                c.reserve("web", 60);
                for (int i = 7; i >= 0; i--)
                {
                    c.addLine("sku-" + (first + i), 1);
                }
            });
        }
        done.set(true);
        poller.join(30_000);
        assertThat(poller.isAlive()).isFalse();
        final io.truestock.engine.ChannelView view = new io.truestock.engine.ChannelView();
        for (int sku = 0; sku < skus; sku++)
        {
            engine.readChannel(sku, 0, view);
            assertThat(seen.get(sku)).as("sku index " + sku).isNotNull()
                .extracting(ChannelStreams.Update::available).isEqualTo(view.available());
        }
    }

    @Test
    void aCommandAppliedWhileACatchUpScansTheShadowIsSentOnceAtItsVersionAndTheStreamThenGoesLive()
    {
        final long defined = catalogOfTwoPages();
        apply(null, c -> c.receive("sku-10", "oak", 7));
        apply(null, c -> c.receive("sku-20", "oak", 5));
        apply(null, c -> c.receive("sku-4500", "oak", 9));
        final ChannelStreams streams = new ChannelStreams(engine, 16, 4);
        final ChannelStreams.Subscriber resumed = streams.subscribe(0, defined, () -> { });
        final java.util.concurrent.atomic.AtomicBoolean applied = new java.util.concurrent.atomic.AtomicBoolean();
        streams.pageScanned = page ->
        {
            // Between the pages, with no lock held: one reservation of a SKU already scanned and one not yet.
            if (page == 0 && applied.compareAndSet(false, true))
            {
                apply(streams, c -> c.reserve("web", 60).addLine("sku-4500", 1).addLine("sku-10", 1));
            }
        };

        final List<ChannelStreams.Update> round = resumed.poll(100);

        assertThat(applied).isTrue();
        final long reserved = sequence;
        assertThat(round).as("the round: versions up to its start, less the SKU updated since")
            .extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available, ChannelStreams.Update::version)
            .containsExactly(tuple(engine.skuIndex("sku-20"), 5L, defined + 2));
        assertThat(resumed.pending()).as("the reservation's updates queued meanwhile").isTrue();
        assertThat(resumed.poll(100)).as("then live, from the reservation on")
            .extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available, ChannelStreams.Update::version)
            .containsExactlyInAnyOrder(
                tuple(engine.skuIndex("sku-10"), 6L, reserved),
                tuple(engine.skuIndex("sku-4500"), 8L, reserved));
        assertThat(resumed.pending()).isFalse();
        apply(streams, c -> c.receive("sku-30", "oak", 1));
        assertThat(resumed.poll(100)).extracting(ChannelStreams.Update::sku, ChannelStreams.Update::version)
            .containsExactly(tuple(engine.skuIndex("sku-30"), sequence));
    }

    @Test
    void updatesThatOverflowTheQueueWhileACatchUpScansAreFoundByTheNextRound()
    {
        final long defined = catalogOfTwoPages();
        apply(null, c -> c.receive("sku-4500", "oak", 9));
        // A queue of two.
        final ChannelStreams streams = new ChannelStreams(engine, 2, 4);
        final ChannelStreams.Subscriber resumed = streams.subscribe(0, defined, () -> { });
        final java.util.concurrent.atomic.AtomicBoolean applied = new java.util.concurrent.atomic.AtomicBoolean();
        streams.pageScanned = page ->
        {
            if (page == 0 && applied.compareAndSet(false, true))
            {
                for (final String id : new String[] {"sku-1", "sku-4096", "sku-2"})
                {
                    apply(streams, c -> c.receive(id, "oak", 3));
                }
            }
        };
        final List<ChannelStreams.Update> all = new java.util.ArrayList<>();
        int polls = 0;
        while (resumed.pending() && polls++ < 10)
        {
            all.addAll(resumed.poll(100));
        }

        assertThat(applied).isTrue();
        assertThat(resumed.pending()).isFalse();
        assertThat(all).extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available,
                ChannelStreams.Update::version)
            .containsExactly(
                tuple(engine.skuIndex("sku-4500"), 9L, defined + 1),
                tuple(engine.skuIndex("sku-1"), 3L, defined + 2),
                tuple(engine.skuIndex("sku-4096"), 3L, defined + 3),
                tuple(engine.skuIndex("sku-2"), 3L, defined + 4));
    }

    @Test
    void aCatchUpGoesLiveEvenWhenEveryRoundOverflowsTheQueue()
    {
        final long defined = catalogOfTwoPages();
        final ChannelStreams streams = new ChannelStreams(engine, 2, 4);
        final ChannelStreams.Subscriber resumed = streams.subscribe(0, defined, () -> { });
        final java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        streams.pageScanned = page ->
        {
            // Sustained load: every round that scans without the lock sees more than its queue holds arrive.
            if (page == 0)
            {
                for (int k = 0; k < 3; k++)
                {
                    final String id = "sku-" + received.getAndIncrement();
                    apply(streams, c -> c.receive(id, "oak", 2));
                }
            }
        };
        final List<ChannelStreams.Update> all = new java.util.ArrayList<>();

        all.addAll(resumed.poll(100));
        assertThat(resumed.catchingUp()).as("the first round's queue overflowed").isTrue();
        all.addAll(resumed.poll(100));

        assertThat(resumed.catchingUp()).as("the second round, scanned under the lock, goes live").isFalse();
        assertThat(received).hasValue(3);
        assertThat(all).extracting(ChannelStreams.Update::sku)
            .containsExactly(engine.skuIndex("sku-0"), engine.skuIndex("sku-1"), engine.skuIndex("sku-2"));
    }

    @Test
    void subscribersPollingOnTheirOwnThreadsWhileCommandsArriveSeeVersionsInOrderAndEndOnEverySkusValue()
        throws Exception
    {
        for (int run = 0; run < 3; run++)
        {
            pollersBesideTheOutputStage(new Random(run), run % 2 == 0 ? ChannelStreams.CATCH_UP_ROUND : 7);
        }
    }

    /**
     * Three subscribers resuming from version 0 poll when woken, each on its own thread, while receives,
     * two-SKU reservations, price changes and new SKUs (onto a third page of the shadow) are applied here; one
     * subscriber sleeps now and then and falls behind. Each checks that versions never go back and that one version
     * always carries one value; at the end each holds every SKU's value.
     */
    private void pollersBesideTheOutputStage(final Random random, final int batch) throws Exception
    {
        final int initial = 5_000;
        final Engine fresh = new Engine(new EngineConfig().maxSkus(12_300).maxLocations(2).maxChannels(2));
        final ShadowRun run = new ShadowRun(fresh);
        run.apply(null, c -> c.defineLocation("oak", LocationSpec.named("Oak")));
        run.apply(null, c -> c.defineChannel("web", ChannelSpec.named("Web")));
        for (int i = 0; i < initial; i++)
        {
            final String id = "sku-" + i;
            run.apply(null, c -> c.defineSku(id, SkuSpec.simple("Item", 100, "USD")));
            run.apply(null, c -> c.receive(id, "oak", 1_000));
        }
        final ChannelStreams streams = new ChannelStreams(fresh, 16, 8);
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final List<Poller> pollers = new java.util.ArrayList<>();
        for (int k = 0; k < 3; k++)
        {
            pollers.add(new Poller(streams, batch, k == 1, done));
        }
        pollers.forEach(Thread::start);
        int defined = initial;
        for (int n = 0; n < 20_000; n++)
        {
            final int kind = random.nextInt(100);
            if (kind < 60)
            {
                final String id = "sku-" + random.nextInt(defined);
                run.apply(streams, c -> c.receive(id, "oak", 1 + random.nextInt(3)));
            }
            else if (kind < 85)
            {
                final int a = random.nextInt(defined);
                final int b = (a + 1 + random.nextInt(defined - 1)) % defined;
                run.apply(streams, c -> c.reserve("web", 60).addLine("sku-" + a, 1).addLine("sku-" + b, 1));
            }
            else if (kind < 97)
            {
                final String id = "sku-" + random.nextInt(defined);
                final long amount = 100 + random.nextInt(1000);
                run.apply(streams, c -> c.definePrices(id, io.truestock.engine.price.PriceSpec.baseOnly(
                    new io.truestock.engine.price.Price(amount, "USD"))));
            }
            else if (defined < 12_300)
            {
                final String id = "sku-" + defined++;
                run.apply(streams, c -> c.defineSku(id, SkuSpec.simple("Item", 100, "USD")));
                run.apply(streams, c -> c.receive(id, "oak", 5));
            }
        }
        done.set(true);
        for (final Poller poller : pollers)
        {
            poller.join(60_000);
            assertThat(poller.isAlive()).isFalse();
            assertThat(poller.errors).isEmpty();
            assertThat(poller.subscriber.pending()).isFalse();
            final io.truestock.engine.ChannelView view = new io.truestock.engine.ChannelView();
            for (int sku = 0; sku < fresh.skuCount(); sku++)
            {
                fresh.readChannel(sku, 0, view);
                assertThat(poller.last.get(sku)).as("sku index " + sku).isNotNull()
                    .satisfies(last -> assertThat(last[0]).isEqualTo(view.available()));
            }
        }
    }

    /** An engine of a test's own and its sequence, for runs beside the class's engine. */
    private static final class ShadowRun
    {
        final Engine engine;
        final Command command = new Command(8);
        final Outcome outcome = new Outcome();
        final Events events = new Events();
        long sequence;

        ShadowRun(final Engine engine)
        {
            this.engine = engine;
        }

        void apply(final ChannelStreams streams, final Consumer<Command> fill)
        {
            command.clear();
            fill.accept(command);
            command.stamp(++sequence, 1_000L + sequence);
            engine.apply(command, outcome, events);
            // A reservation may be refused (a new SKU's five units taken): it publishes nothing.
            assertThat(outcome.accepted() || command.type() == CommandType.RESERVE).as(command.type().name()).isTrue();
            if (streams != null)
            {
                streams.onApplied(command, outcome, events);
            }
        }
    }

    /** A subscriber from version 0 on its own thread, polling until empty whenever it is woken, as a sink does. */
    private static final class Poller extends Thread
    {
        final java.util.concurrent.Semaphore wakes = new java.util.concurrent.Semaphore(0);
        final ChannelStreams.Subscriber subscriber;
        final int batch;
        final boolean slow;
        final java.util.concurrent.atomic.AtomicBoolean done;
        /** Per SKU index: value and version last received. */
        final java.util.Map<Integer, long[]> last = new java.util.HashMap<>();
        final List<String> errors = new java.util.ArrayList<>();
        long lastVersion = -1;

        Poller(final ChannelStreams streams, final int batch, final boolean slow,
            final java.util.concurrent.atomic.AtomicBoolean done)
        {
            this.subscriber = streams.subscribe(0, 0, wakes::release);
            this.batch = batch;
            this.slow = slow;
            this.done = done;
        }

        @Override
        public void run()
        {
            final Random random = new Random(batch);
            try
            {
                while (!(done.get() && wakes.availablePermits() == 0 && !subscriber.pending()))
                {
                    if (!wakes.tryAcquire(20, java.util.concurrent.TimeUnit.MILLISECONDS))
                    {
                        continue;
                    }
                    List<ChannelStreams.Update> updates;
                    while (!(updates = subscriber.poll(batch)).isEmpty())
                    {
                        updates.forEach(this::check);
                        if (slow && random.nextInt(50) == 0)
                        {
                            Thread.sleep(1);
                        }
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        private void check(final ChannelStreams.Update update)
        {
            if (update.version() < lastVersion)
            {
                errors.add("version went back: " + update + " after " + lastVersion);
            }
            lastVersion = update.version();
            final long[] before = last.get(update.sku());
            if (before != null && before[1] == update.version() && before[0] != update.available())
            {
                errors.add("two values at one version: " + update + ", before " + before[0]);
            }
            last.put(update.sku(), new long[] {update.available(), update.version()});
        }
    }

    /** Location oak, channel web (from oak) and {@value #SKUS} SKUs, on two pages of the shadow; the last sequence. */
    private long catalogOfTwoPages()
    {
        apply(null, c -> c.defineLocation("oak", LocationSpec.named("Oak")));
        apply(null, c -> c.defineChannel("web", ChannelSpec.named("Web")));
        for (int i = 0; i < SKUS; i++)
        {
            final String id = "sku-" + i;
            apply(null, c -> c.defineSku(id, SkuSpec.simple("Item", 100, "USD")));
        }
        return sequence;
    }

    @Test
    void oneCommandsUpdatesOnSeveralChannelsReachEachChannelsSubscribersInOrderCommandAfterCommand()
    {
        apply(null, c -> c.defineLocation("oak", LocationSpec.named("Oak")));
        apply(null, c -> c.defineChannel("web", ChannelSpec.named("Web")));
        apply(null, c -> c.defineChannel("shop", ChannelSpec.named("Shop")));
        for (final String id : new String[] {"a", "b", "c"})
        {
            apply(null, c -> c.defineSku(id, SkuSpec.simple("Item", 100, "USD")));
            apply(null, c -> c.receive(id, "oak", 10));
        }
        final ChannelStreams streams = new ChannelStreams(engine, 16, 4);
        final ChannelStreams.Subscriber web = streams.subscribe(0, -1, () -> { });
        final ChannelStreams.Subscriber shop = streams.subscribe(1, -1, () -> { });
        // Each line's SKU is published on both channels, one after the other: the events alternate channels.
        apply(streams, c -> c.reserve("web", 60).addLine("b", 2).addLine("a", 1));
        final long first = sequence;
        apply(streams, c -> c.reserve("shop", 60).addLine("c", 3));
        for (final ChannelStreams.Subscriber subscriber : List.of(web, shop))
        {
            assertThat(subscriber.poll(100))
                .extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available, ChannelStreams.Update::version)
                .containsExactly(
                    tuple(engine.skuIndex("b"), 8L, first),
                    tuple(engine.skuIndex("a"), 9L, first),
                    tuple(engine.skuIndex("c"), 7L, sequence));
        }
    }

    private void apply(final ChannelStreams streams, final Consumer<Command> fill)
    {
        command.clear();
        fill.accept(command);
        command.stamp(++sequence, 1_000L);
        engine.apply(command, outcome, events);
        assertThat(outcome.accepted()).as(command.type().name()).isTrue();
        if (streams != null)
        {
            streams.onApplied(command, outcome, events);
        }
    }
}
