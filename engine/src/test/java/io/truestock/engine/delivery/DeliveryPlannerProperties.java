package io.truestock.engine.delivery;

import io.truestock.engine.LocationSpec;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.truestock.engine.Gens.lists;
import static io.truestock.engine.Gens.of;
import static io.truestock.engine.Gens.uniqueLists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;

/**
 * The planner against the plain java.time reference over random calendars, carriers, destinations and instants
 * across several years and many timezones, with the fast window placed at random (so queries start inside it, run
 * off its end, or miss it entirely), and the {@code order_by} contract.
 */
class DeliveryPlannerProperties
{
    private static final List<String> TIMEZONES = List.of(
        "UTC", "America/Los_Angeles", "America/New_York", "America/St_Johns", "America/Sao_Paulo", "Europe/Berlin",
        "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Sydney", "Australia/Lord_Howe",
        "Pacific/Chatham", "Pacific/Auckland", "Asia/Tehran");
    private static final String OTHER = "L1";
    private static final String HERE = "L0";

    record Scenario(
        LocationSpec location,
        Map<String, CarrierSpec> carriers,
        long at,
        String country,
        String postal,
        int windowStart,
        int windowDays)
    {
        DeliveryPlanner planner(final int start, final int days)
        {
            final DeliveryPlanner planner = new DeliveryPlanner(2, start, days);
            planner.defineLocation(1, OTHER, LocationSpec.named("other"));
            planner.defineLocation(0, HERE, location);
            carriers.forEach(planner::defineCarrier);
            return planner;
        }
    }

    private static Gen<Scenario> scenarios()
    {
        final int from = (int)LocalDate.of(2015, 1, 1).toEpochDay();
        final int to = (int)LocalDate.of(2030, 12, 31).toEpochDay();
        final Gen<Integer> baseDay = range(from, to);
        final Gen<Integer> handling = frequency(
            Pair.of(6, range(0, 3)),
            Pair.of(1, range(0, DeliveryPlanner.MAX_HANDLING_DAYS)));
        final Gen<Integer> mask = frequency(
            Pair.of(1, constant(0)),
            Pair.of(3, constant(LocationSpec.MON_TO_FRI)),
            Pair.of(8, range(1, 127)));
        final Gen<List<Integer>> scattered = lists(range(-10, 80), 0, 15);
        final Gen<int[]> holidayRun = range(-5, 30).zip(range(0, 70),
            (start, length) -> IntStream.range(start, start + length).toArray());
        final Gen<Map<String, CarrierSpec>> carriers = lists(carrier(), 1, 3).map(list ->
        {
            final Map<String, CarrierSpec> map = new TreeMap<>();
            for (int i = 0; i < list.size(); i++)
            {
                map.put("c" + (list.size() - i), list.get(i));
            }
            return map;
        });
        final Gen<Long> offsetMillis = longRange(-2 * 86_400_000L, 40 * 86_400_000L);
        final Gen<String> country = frequency(
            Pair.of(5, constant("US")), Pair.of(3, constant("DE")), Pair.of(1, constant("us")),
            Pair.of(1, constant("FR")));
        final Gen<String> postal = of("", "1", "12", "123", "12345", "1 2-3", "2", "21x", "9", "x1", "12a45");
        final Gen<int[]> window = range(0, 60).zip(range(0, 200), (offset, days) -> new int[]{offset, days});

        final Gen<String> timezone = pick(TIMEZONES);
        final Gen<Integer> cutoff = range(0, 24 * 60 - 1);
        final Gen<LocationParts> location = in -> new LocationParts(timezone.generate(in), cutoff.generate(in),
            handling.generate(in), mask.generate(in), scattered.generate(in), holidayRun.generate(in));
        return in ->
        {
            final LocationParts parts = location.generate(in);
            final Map<String, CarrierSpec> c = carriers.generate(in);
            final int base = baseDay.generate(in);
            final long offset = offsetMillis.generate(in);
            final String destCountry = country.generate(in);
            final String destPostal = postal.generate(in);
            final int[] w = window.generate(in);
            final List<Integer> holidays = new ArrayList<>();
            parts.scattered().forEach(h -> holidays.add(base + h));
            for (final int h : parts.run())
            {
                holidays.add(base + h);
            }
            final LocationSpec spec = new LocationSpec("here", parts.timezone(), "US", "", 1, parts.cutoff(),
                parts.handling(), parts.mask(), holidays.stream().mapToInt(Integer::intValue).toArray());
            return new Scenario(spec, c, base * 86_400_000L + offset, destCountry, destPostal, base - w[0], w[1]);
        };
    }

    record LocationParts(
        String timezone, int cutoff, int handling, int mask, List<Integer> scattered, int[] run)
    {
    }

    private static Gen<CarrierSpec> carrier()
    {
        final Gen<ZoneSpec> zone = of(HERE, OTHER, null).zip(of("US", "DE"),
            of("", "", "1", "12", "123", "2", "21", "9", "12A"), range(0, 6), range(0, 6),
            (l, c, p, min, span) -> new ZoneSpec(l, c, p, min, min + span));
        final Gen<List<ZoneSpec>> zones = uniqueLists(zone,
            z -> z.location() + "|" + z.country() + "|" + z.postalPrefix(), 1, 6);
        final Gen<Integer> days = frequency(
            Pair.of(2, constant(LocationSpec.MON_TO_FRI)),
            Pair.of(3, range(1, 127)));
        final Gen<List<Pair<Integer, List<ZoneSpec>>>> services = lists(days.zip(zones, Pair::of), 1, 3);
        return services.map(list ->
        {
            final List<ServiceSpec> specs = new ArrayList<>();
            for (int i = 0; i < list.size(); i++)
            {
                specs.add(new ServiceSpec("s" + (list.size() - i), "S", list.get(i)._1, list.get(i)._2));
            }
            return new CarrierSpec("C", specs);
        });
    }

    @Test
    void theFastPathTheJavaTimePathAndTheReferenceAgree()
    {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger promised = new AtomicInteger();
        final AtomicInteger inside = new AtomicInteger();
        qt().withExamples(1500).forAll(scenarios()).checkAssert(s ->
        {
            runs.incrementAndGet();
            final ReferencePromise.Answer expected = pathsAgree(s);
            if (expected.reason() == PromiseReason.PROMISED)
            {
                promised.incrementAndGet();
            }
            final int day = (int)Math.floorDiv(s.at(), 86_400_000L);
            if (s.windowDays() != 0 && day < s.windowStart() + s.windowDays() - 10)
            {
                inside.incrementAndGet();
            }
        });
        // Enough of the scenarios promise, and start inside the fast window, for the agreement to say something.
        assertThat(100.0 * promised.get() / runs.get()).as("percent promised").isGreaterThan(25);
        assertThat(100.0 * inside.get() / runs.get()).as("percent starting inside the window").isGreaterThan(20);
    }

    private static ReferencePromise.Answer pathsAgree(final Scenario s)
    {
        final ReferencePromise.Answer expected = ReferencePromise.promise(
            HERE, s.location(), s.carriers(), s.country(), s.postal(), s.at());
        final ReferencePromise.Answer fast = ReferencePromise.of(
            s.planner(s.windowStart(), s.windowDays()), 0, s.country(), s.postal(), s.at());
        final ReferencePromise.Answer slow = ReferencePromise.of(s.planner(0, 0), 0, s.country(), s.postal(), s.at());
        assertThat(fast).isEqualTo(expected);
        assertThat(slow).isEqualTo(expected);
        return expected;
    }

    @Test
    void aPromiseHoldsUntilOrderByAndTheReadyDayMovesAtIt()
    {
        // A fraction in [0, 1): 53 random bits scaled, as Random.nextDouble makes it.
        final Gen<Double> fractions = longRange(0, (1L << 53) - 1).map(bits -> bits * 0x1.0p-53);
        qt().withExamples(700).forAll(scenarios(), fractions)
            .checkAssert(DeliveryPlannerProperties::promiseHoldsUntilOrderBy);
    }

    private static void promiseHoldsUntilOrderBy(final Scenario s, final double fraction)
    {
        final DeliveryPlanner planner = s.planner(s.windowStart(), s.windowDays());
        final ReferencePromise.Answer first = ReferencePromise.of(planner, 0, s.country(), s.postal(), s.at());
        if (first.reason() != PromiseReason.PROMISED)
        {
            // Nothing about a missing promise depends on the instant.
            assertThat(ReferencePromise.of(planner, 0, s.country(), s.postal(), s.at() + 86_400_000L).reason())
                .isEqualTo(first.reason());
            return;
        }
        final long orderBy = first.orderBy();
        assertThat(orderBy).isGreaterThan(s.at());
        final long inside = s.at() + (long)(fraction * (orderBy - s.at()));
        assertThat(ReferencePromise.of(planner, 0, s.country(), s.postal(), inside)).isEqualTo(first);
        assertThat(ReferencePromise.of(planner, 0, s.country(), s.postal(), orderBy - 1)).isEqualTo(first);

        final ReferencePromise.Answer next = ReferencePromise.of(planner, 0, s.country(), s.postal(), orderBy);
        assertThat(next.reason()).isEqualTo(PromiseReason.PROMISED);
        assertThat(next.readyDay()).isGreaterThan(first.readyDay());
        assertThat(next.orderBy()).isGreaterThan(orderBy);
        assertThat(next.latest()).isGreaterThanOrEqualTo(first.latest());
    }
}
