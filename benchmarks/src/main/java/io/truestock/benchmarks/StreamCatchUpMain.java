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
    private final Engine engine;
    private final Command command = new Command(8);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private final String[] ids;
    private final ChannelStreams streams;
    private final Random random = new Random(42);
    private final int seconds;
    private final long pauseMillis;
    private long sequence;

    private StreamCatchUpMain(final int skus, final int seconds, final long pauseMillis)
    {
        this.seconds = seconds;
        this.pauseMillis = pauseMillis;
        engine = new Engine(new EngineConfig().maxSkus(skus).maxLocations(2).maxChannels(2));
        ids = new String[skus];
        final long now = System.currentTimeMillis();
        sequence = EngineApplyBenchmark.apply(engine, command.clear().defineLocation("oak", LocationSpec.named("Oak")),
            outcome, events, sequence, now);
        sequence = EngineApplyBenchmark.apply(engine,
            command.clear().defineChannel("web", ChannelSpec.named("Web", "oak")), outcome, events, sequence, now);
        for (int i = 0; i < skus; i++)
        {
            ids[i] = "sku-" + i;
            sequence = EngineApplyBenchmark.apply(engine,
                command.clear().defineSku(ids[i], SkuSpec.simple("Item", 100, "USD")), outcome, events, sequence, now);
            sequence = EngineApplyBenchmark.apply(engine, command.clear().receive(ids[i], "oak", 1_000), outcome,
                events, sequence, now);
        }
        streams = new ChannelStreams(engine, 1024, 4);
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int skus = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        final long pauseMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        final StreamCatchUpMain run = new StreamCatchUpMain(skus, seconds, pauseMillis);
        System.out.printf(Locale.ROOT, "stream catch-up beside the output stage: %,d SKUs, %d s a phase, %d ms " +
            "between rounds, %d cores%n", skus, seconds, pauseMillis, Runtime.getRuntime().availableProcessors());
        System.out.println("| phase | commands | rounds | onApplied p50 us | p99 us | p99.9 us | max us |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        // Warm-up, not reported.
        run.phase("warm-up", false, false);
        run.phase("no subscriber", false, true);
        run.phase("a subscriber catching up", true, true);
    }

    private void phase(final String name, final boolean subscriber, final boolean print) throws InterruptedException
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
            command.stamp(++sequence, System.currentTimeMillis());
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
            System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.2f | %.2f | %.2f | %.0f |%n", name, commands,
                rounds.get(), histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3);
        }
    }
}
