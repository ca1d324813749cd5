package io.truestock.benchmarks;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import io.truestock.gateway.stream.ChannelStreams;
import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What a channel stream catching up on a large catalog costs the output stage: the time the output stage spends in
 * {@link ChannelStreams#onApplied} per command (receives on random SKUs, applied back to back on this thread), first
 * with no subscriber, then while a subscriber on another thread catches up from version 0 again and again in rounds
 * of {@link ChannelStreams#CATCH_UP_ROUND} (a client resuming a stream on a large catalog, repeatedly). The output
 * stage and a round share the channel's lock.
 * <p>
 * {@code java $(cat benchmarks/target/jvm.flags) -cp benchmarks/target/benchmarks.jar
 * io.truestock.benchmarks.StreamCatchUpMain [SKUs, default 1000000] [seconds per phase, default 10] [milliseconds the
 * subscriber waits between rounds, default 0: back to back, as a stream's event loop polls while its socket takes
 * more]}
 */
public final class StreamCatchUpMain
{
    private StreamCatchUpMain()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int skus = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        final long pauseMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        final Engine engine = new Engine(new EngineConfig().maxSkus(skus).maxLocations(2).maxChannels(2));
        final Command command = new Command(8);
        final Outcome outcome = new Outcome();
        final Events events = new Events();
        final String[] ids = new String[skus];
        final long[] sequence = {0};
        apply(engine, command.clear().defineLocation("oak", LocationSpec.named("Oak")), outcome, events, sequence);
        apply(engine, command.clear().defineChannel("web", ChannelSpec.named("Web", "oak")), outcome, events, sequence);
        for (int i = 0; i < skus; i++)
        {
            ids[i] = "sku-" + i;
            apply(engine, command.clear().defineSku(ids[i], SkuSpec.simple("Item", 100, "USD")), outcome, events,
                sequence);
            apply(engine, command.clear().receive(ids[i], "oak", 1_000), outcome, events, sequence);
        }
        final ChannelStreams streams = new ChannelStreams(engine, 1024, 4);
        System.out.printf(Locale.ROOT, "stream catch-up beside the output stage: %,d SKUs, %d s a phase, %d ms between " +
            "rounds, %d cores%n", skus, seconds, pauseMillis, Runtime.getRuntime().availableProcessors());
        System.out.println("| phase | commands | rounds | onApplied p50 us | p99 us | p99.9 us | max us |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        final Random random = new Random(42);
        // Warm-up, not reported.
        phase("warm-up", engine, streams, ids, random, command, outcome, events, sequence, seconds, pauseMillis, false, false);
        phase("no subscriber", engine, streams, ids, random, command, outcome, events, sequence, seconds, pauseMillis, false, true);
        phase("a subscriber catching up", engine, streams, ids, random, command, outcome, events, sequence, seconds,
            pauseMillis, true, true);
    }

    private static void phase(
        final String name, final Engine engine, final ChannelStreams streams, final String[] ids, final Random random,
        final Command command, final Outcome outcome, final Events events, final long[] sequence, final int seconds,
        final long pauseMillis, final boolean subscriber, final boolean print) throws InterruptedException
    {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong rounds = new AtomicLong();
        final Thread poller = new Thread(() ->
        {
            ChannelStreams.Subscriber resuming = streams.subscribe(0, 0, () -> { });
            while (!stop.get())
            {
                final boolean empty = resuming.poll(ChannelStreams.CATCH_UP_ROUND).isEmpty();
                rounds.incrementAndGet();
                if (pauseMillis > 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
                }
                if (empty && !resuming.pending())
                {
                    // Caught up: start again from version 0.
                    resuming.close();
                    resuming = streams.subscribe(0, 0, () -> { });
                }
            }
            resuming.close();
        }, "catch-up");
        if (subscriber)
        {
            poller.start();
        }
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long commands = 0;
        while (System.nanoTime() < end)
        {
            command.clear().receive(ids[random.nextInt(ids.length)], "oak", 1);
            command.stamp(++sequence[0], System.currentTimeMillis());
            engine.apply(command, outcome, events);
            final long start = System.nanoTime();
            streams.onApplied(command, outcome, events);
            histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), System.nanoTime() - start));
            commands++;
        }
        stop.set(true);
        if (subscriber)
        {
            poller.join();
        }
        if (print)
        {
            System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.2f | %.2f | %.2f | %.0f |%n", name, commands, rounds.get(),
                histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3);
        }
    }

    private static void apply(
        final Engine engine, final Command command, final Outcome outcome, final Events events, final long[] sequence)
    {
        command.stamp(++sequence[0], System.currentTimeMillis());
        engine.apply(command, outcome, events);
        if (!outcome.accepted())
        {
            throw new IllegalStateException(command.type() + " refused: " + outcome.reason());
        }
    }
}
