package io.truestock.benchmarks;

import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.StockView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Agent reads while the writer is busy: one thread applies reserve/release on the hot SKU as fast as it can,
 * the other reads (latency sampled per read). {@code hot*} reads the very records the writer rewrites (seqlock
 * retries included); {@code cold*} reads random SKUs among 10 000; {@code offer} is what an offer answer needs
 * (the channel's value plus the SKU's price).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReadWhileWritingBenchmark
{
    private Engine engine;
    private final Command command = new Command(16);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private long sequence;
    private long reserves;
    private long step;
    private int hotSku;
    private int shopify;
    private int oak;

    @State(Scope.Thread)
    public static class Reader
    {
        final ChannelView channel = new ChannelView();
        final StockView stock = new StockView();
        final String[] ids = new String[1024];
        long seed = 42;

        @Setup(Level.Trial)
        public void ids()
        {
            for (int i = 0; i < ids.length; i++)
            {
                ids[i] = EngineApplyBenchmark.sku(i);
            }
        }

        int nextSku()
        {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            return (int)((seed >>> 33) % EngineApplyBenchmark.SKUS);
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        engine = EngineApplyBenchmark.catalog(new Engine(EngineApplyBenchmark.config()), command, outcome, events);
        sequence = engine.lastSequence();
        hotSku = engine.skuIndex(EngineApplyBenchmark.sku(0));
        shopify = engine.channelIndex("shopify");
        oak = engine.locationIndex("oak");
    }

    private boolean write()
    {
        command.clear();
        if ((step++ & 1) == 0)
        {
            command.reserve("shopify", 600).addLine("sku-0", 1);
            reserves++;
        }
        else
        {
            command.release(reserves);
        }
        command.stamp(++sequence, 1_800_000_000_000L);
        engine.apply(command, outcome, events);
        return outcome.accepted();
    }

    @Benchmark
    @Group("hotChannel")
    @GroupThreads(1)
    public boolean writerA()
    {
        return write();
    }

    @Benchmark
    @Group("hotChannel")
    @GroupThreads(1)
    public long hotChannelRead(final Reader reader)
    {
        engine.readChannel(hotSku, shopify, reader.channel);
        return reader.channel.available();
    }

    @Benchmark
    @Group("hotStock")
    @GroupThreads(1)
    public boolean writerB()
    {
        return write();
    }

    @Benchmark
    @Group("hotStock")
    @GroupThreads(1)
    public long hotStockRead(final Reader reader)
    {
        engine.readStock(hotSku, oak, reader.stock);
        return reader.stock.available();
    }

    @Benchmark
    @Group("coldChannel")
    @GroupThreads(1)
    public boolean writerC()
    {
        return write();
    }

    @Benchmark
    @Group("coldChannel")
    @GroupThreads(1)
    public long coldChannelRead(final Reader reader)
    {
        engine.readChannel(reader.nextSku(), shopify, reader.channel);
        return reader.channel.available();
    }

    @Benchmark
    @Group("offer")
    @GroupThreads(1)
    public boolean writerD()
    {
        return write();
    }

    @Benchmark
    @Group("offer")
    @GroupThreads(1)
    public long offerRead(final Reader reader)
    {
        final int sku = engine.skuIndex(reader.ids[reader.nextSku() & 1023]);
        final int channel = engine.channelIndex("amazon");
        engine.readChannel(sku, channel, reader.channel);
        final SkuSpec spec = engine.skuSpec(sku);
        return reader.channel.available() + spec.priceAmountMinor();
    }
}
