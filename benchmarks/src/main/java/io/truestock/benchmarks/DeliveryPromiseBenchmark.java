package io.truestock.benchmarks;

import io.truestock.engine.LocationSpec;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPlanner;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One delivery promise ({@link DeliveryPlanner#promise}) for a realistic configuration: 3 locations in 3 timezones
 * with holidays and handling days, 2 carriers x 2 services x 50 zones each (a catch-all, 39 three-digit prefixes,
 * 10 zones specific to one location). Each call takes the next (location, destination, instant) from 1024
 * precomputed ones, instants spread over two months inside the calendar window.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DeliveryPromiseBenchmark
{
    private static final int QUERIES = 1024;
    private static final String[] LOCATIONS = {"oak", "nj", "ams"};

    private DeliveryPlanner planner;
    private final DeliveryPromise promise = new DeliveryPromise();
    private final int[] location = new int[QUERIES];
    private final String[] postal = new String[QUERIES];
    private final long[] instant = new long[QUERIES];
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final LocalDate today = LocalDate.of(2026, 11, 2);
        planner = new DeliveryPlanner(LOCATIONS.length, (int)today.toEpochDay() - 30, 760);
        final int[] holidays = {
            (int)LocalDate.of(2026, 11, 26).toEpochDay(),
            (int)LocalDate.of(2026, 12, 25).toEpochDay(),
            (int)LocalDate.of(2027, 1, 1).toEpochDay()};
        planner.defineLocation(0, "oak", new LocationSpec(
            "Oakland DC", "America/Los_Angeles", "US", "94607", 1, 14 * 60, 1, LocationSpec.MON_TO_FRI, holidays));
        planner.defineLocation(1, "nj", new LocationSpec(
            "Newark DC", "America/New_York", "US", "07102", 2, 16 * 60 + 30, 0, LocationSpec.MON_TO_FRI, holidays));
        planner.defineLocation(2, "ams", new LocationSpec(
            "Amsterdam", "Europe/Amsterdam", "NL", "1011", 3, 12 * 60, 2, 0b0111111, holidays));
        planner.defineCarrier("ups", new CarrierSpec("UPS", List.of(
            service("ground", LocationSpec.MON_TO_FRI, 2, 5), service("air", LocationSpec.MON_TO_FRI, 1, 2))));
        planner.defineCarrier("fedex", new CarrierSpec("FedEx", List.of(
            service("home", 0b0111111, 2, 6), service("express", LocationSpec.MON_TO_FRI, 1, 1))));

        long seed = 42;
        final long start = today.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        for (int i = 0; i < QUERIES; i++)
        {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            final int r = (int)(seed >>> 33);
            location[i] = r % LOCATIONS.length;
            postal[i] = String.format("9%02d%02d", (r >>> 4) % 60, (r >>> 12) % 100);
            instant[i] = start + (seed >>> 20) % (60L * 86_400_000L);
        }
        for (int i = 0; i < QUERIES; i++)
        {
            if (!planner.promise(location[i], "US", postal[i], instant[i], promise))
            {
                throw new IllegalStateException("no promise for query " + i + ": " + promise);
            }
        }
    }

    private static ServiceSpec service(final String id, final int mask, final int minTransit, final int spread)
    {
        final List<ZoneSpec> zones = new ArrayList<>();
        zones.add(new ZoneSpec(null, "US", "", minTransit + 3, minTransit + 3 + spread));
        for (int i = 0; i < 39; i++)
        {
            final int min = minTransit + i % 3;
            zones.add(new ZoneSpec(null, "US", String.format("9%02d", i), min, min + spread - 1));
        }
        for (int i = 0; i < 10; i++)
        {
            zones.add(new ZoneSpec("oak", "US", "94" + i, minTransit, minTransit + 1));
        }
        return new ServiceSpec(id, id, mask, zones);
    }

    @Benchmark
    public long promise()
    {
        final int i = next++ & (QUERIES - 1);
        planner.promise(location[i], "US", postal[i], instant[i], promise);
        return promise.latestMillis();
    }
}
