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
 * retries included); {@code cold*} reads random SKUs among 10 000; {@code offer} and {@code hotOffer} answer an offer
 * query as the edges do ({@link #offer}: ids resolved, the channel's value, the SKU's price, the low-stock status), on
 * random SKUs and on the SKU being written.
 * <p>
 * {@code java -jar benchmarks/target/benchmarks.jar ReadWhileWritingBenchmark -jvmArgsAppend "$(cat benchmarks/target/jvm.flags)" -prof gc}
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
        return offer(engine, reader.ids[reader.nextSku() & 1023], "amazon", 1, reader.channel);
    }

    @Benchmark
    @Group("hotOffer")
    @GroupThreads(1)
    public boolean writerE()
    {
        return write();
    }

    @Benchmark
    @Group("hotOffer")
    @GroupThreads(1)
    public long hotOfferRead(final Reader reader)
    {
        return offer(engine, "sku-0", "shopify", 1, reader.channel);
    }

    /**
     * An offer query as the edges answer one (the binary protocol's OfferQuery, HTTP's {@code GET /v1/offers/{sku}}),
     * from ids to answer: resolve the SKU and channel, read the channel's published value, the SKU's price and the
     * channel's low-stock threshold, and decide the status. What an offer grows (a delivery promise, a quote) is added
     * here, so every offer benchmark measures it.
     *
     * @return a value depending on every field read, so nothing is optimised away.
     */
    static long offer(final Engine engine, final String skuId, final String channelId, final long qty,
        final ChannelView scratch)
    {
        final int sku = engine.skuIndex(skuId);
        final int channel = engine.channelIndex(channelId);
        engine.readChannel(sku, channel, scratch);
        final long available = scratch.available();
        final SkuSpec spec = engine.skuSpec(sku);
        final long threshold = engine.channelSpec(channel).lowStockThreshold();
        final int status = available < qty ? 0 : available <= threshold ? 1 : 2;
        return available + scratch.version() + spec.priceAmountMinor() + spec.currency().length() + status;
    }
}
