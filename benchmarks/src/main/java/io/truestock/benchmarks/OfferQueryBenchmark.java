package io.truestock.benchmarks;

import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.Quotes;
import io.truestock.engine.price.SaleSpec;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The offer an agent asks for, in process, while the writer is busy on another thread: the channel's published
 * value, the effective price (channel override or sale), the delivery promise to a destination (routing's pick
 * among four locations in four timezones, two carriers with two services of 50 zones each) and, in
 * {@code offerWithQuote}, the signed quote (HMAC-SHA256). The target is p99 under 5 us.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OfferQueryBenchmark
{
    private static final long NOW = 1_800_000_000_000L;
    private static final String[] POSTAL_CODES = {"94103", "10001", "60601", "73301", "98101", "02108", "33101"};

    private Engine engine;
    private Quotes quotes;
    private final Command command = new Command(16);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private long sequence;
    private long reserves;
    private long step;
    private int amazon;

    @State(Scope.Thread)
    public static class Reader
    {
        final ChannelView channel = new ChannelView();
        final DeliveryPromise promise = new DeliveryPromise();
        int sku;
        Price price;
        long seed = 42;

        int next(final int bound)
        {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            return (int)((seed >>> 33) % bound);
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        engine = EngineApplyBenchmark.catalog(new Engine(EngineApplyBenchmark.config()), command, outcome, events);
        sequence = engine.lastSequence();
        final String[] zones = {"America/Los_Angeles", "America/New_York", "America/Chicago", "Europe/Amsterdam"};
        final String[] countries = {"US", "US", "US", "NL"};
        for (int l = 0; l < EngineApplyBenchmark.LOCATIONS.length; l++)
        {
            final String id = EngineApplyBenchmark.LOCATIONS[l];
            apply(command.clear().defineLocation(id, new LocationSpec(id, zones[l], countries[l], "", l, 14 * 60, l % 2,
                LocationSpec.MON_TO_FRI, new int[] {20_447, 20_448})));
        }
        for (final String carrier : new String[] {"ups", "fedex"})
        {
            final List<ServiceSpec> services = new ArrayList<>();
            for (final String service : new String[] {"ground", "express"})
            {
                final List<ZoneSpec> zoneList = new ArrayList<>();
                for (int z = 0; z < 50; z++)
                {
                    final String location = z < 10 ? null : EngineApplyBenchmark.LOCATIONS[z % 3];
                    final String prefix = z < 10 ? Integer.toString(z) : Integer.toString(z);
                    final int min = service.equals("express") ? 1 : 2 + z % 3;
                    zoneList.add(new ZoneSpec(location, "US", prefix, min, min + 2));
                }
                services.add(new ServiceSpec(service, service, LocationSpec.MON_TO_FRI, zoneList));
            }
            apply(command.clear().defineCarrier(carrier, new CarrierSpec(carrier, services)));
        }
        for (int s = 0; s < EngineApplyBenchmark.SKUS; s++)
        {
            final List<SaleSpec> sales = s % 10 == 0 ?
                List.of(new SaleSpec(new Price(1499, "USD"), NOW - 3_600_000L, NOW + 86_400_000L, List.of("amazon"))) :
                List.of();
            apply(command.clear().definePrices(EngineApplyBenchmark.sku(s),
                new PriceSpec(new Price(1999, "USD"), Map.of("amazon", new Price(2099, "USD")), sales)));
        }
        amazon = engine.channelIndex("amazon");
        quotes = new Quotes(new byte[32]);
    }

    private void apply(final Command filled)
    {
        filled.stamp(++sequence, NOW);
        engine.apply(filled, outcome, events);
        if (!outcome.accepted())
        {
            throw new IllegalStateException("setup command rejected: " + filled + " -> " + outcome);
        }
    }

    private boolean write()
    {
        command.clear();
        if ((step++ & 1) == 0)
        {
            command.reserve("amazon", 600).addLine("sku-0", 1);
            reserves++;
        }
        else
        {
            command.release(reserves);
        }
        command.stamp(++sequence, NOW);
        engine.apply(command, outcome, events);
        return outcome.accepted();
    }

    private long offer(final Reader reader)
    {
        final int sku = reader.next(EngineApplyBenchmark.SKUS);
        engine.readChannel(sku, amazon, reader.channel);
        final Price price = engine.priceAt(sku, amazon, NOW);
        reader.sku = sku;
        reader.price = price;
        final boolean promised = engine.offerPromise(sku, amazon, 1, "US",
            POSTAL_CODES[reader.next(POSTAL_CODES.length)], NOW, reader.promise.reset());
        return reader.channel.available() + price.amountMinor() + (promised ? reader.promise.latestMillis() : 0);
    }

    @Benchmark
    @Group("offer")
    @GroupThreads(1)
    public boolean writerA()
    {
        return write();
    }

    @Benchmark
    @Group("offer")
    @GroupThreads(1)
    public long offerWithoutQuote(final Reader reader)
    {
        return offer(reader);
    }

    @Benchmark
    @Group("offerWithQuote")
    @GroupThreads(1)
    public boolean writerB()
    {
        return write();
    }

    @Benchmark
    @Group("offerWithQuote")
    @GroupThreads(1)
    public int offerWithQuote(final Reader reader)
    {
        final long value = offer(reader);
        return quotes.issue(reader.sku, amazon, reader.price, NOW + 900_000L).length() + (int)value;
    }
}
