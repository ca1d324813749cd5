package io.truestock.engine.delivery;

import io.truestock.engine.LocationSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.statistics.Statistics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Provide
    Arbitrary<Scenario> scenarios()
    {
        final int from = (int)LocalDate.of(2015, 1, 1).toEpochDay();
        final int to = (int)LocalDate.of(2030, 12, 31).toEpochDay();
        final Arbitrary<Integer> baseDay = Arbitraries.integers().between(from, to);
        final Arbitrary<Integer> handling = Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(0, 3)),
            Tuple.of(1, Arbitraries.integers().between(0, DeliveryPlanner.MAX_HANDLING_DAYS)));
        final Arbitrary<Integer> mask = Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(0)),
            Tuple.of(3, Arbitraries.just(LocationSpec.MON_TO_FRI)),
            Tuple.of(8, Arbitraries.integers().between(1, 127)));
        final Arbitrary<List<Integer>> scattered = Arbitraries.integers().between(-10, 80).list().ofMaxSize(15);
        final Arbitrary<int[]> holidayRun = Combinators.combine(
            Arbitraries.integers().between(-5, 30), Arbitraries.integers().between(0, 70))
            .as((start, length) -> IntStream.range(start, start + length).toArray());
        final Arbitrary<Map<String, CarrierSpec>> carriers = carrier().list().ofMinSize(1).ofMaxSize(3).map(list ->
        {
            final Map<String, CarrierSpec> map = new TreeMap<>();
            for (int i = 0; i < list.size(); i++)
            {
                map.put("c" + (list.size() - i), list.get(i));
            }
            return map;
        });
        final Arbitrary<Long> offsetMillis = Arbitraries.longs().between(-2 * 86_400_000L, 40 * 86_400_000L);
        final Arbitrary<String> country = Arbitraries.frequency(
            Tuple.of(5, "US"), Tuple.of(3, "DE"), Tuple.of(1, "us"), Tuple.of(1, "FR"));
        final Arbitrary<String> postal = Arbitraries.of("", "1", "12", "123", "12345", "1 2-3", "2", "21x", "9", "x1",
            "12a45");
        final Arbitrary<int[]> window = Combinators.combine(
            Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, 200))
            .as((offset, days) -> new int[]{offset, days});

        final Arbitrary<LocationParts> location = Combinators.combine(
            Arbitraries.of(TIMEZONES), Arbitraries.integers().between(0, 24 * 60 - 1), handling, mask, scattered,
            holidayRun).as(LocationParts::new);
        return Combinators.combine(location, carriers, baseDay, offsetMillis, country, postal, window)
            .as((parts, c, base, offset, destCountry, destPostal, w) ->
            {
                final List<Integer> holidays = new ArrayList<>();
                parts.scattered().forEach(h -> holidays.add(base + h));
                for (final int h : parts.run())
                {
                    holidays.add(base + h);
                }
                final LocationSpec spec = new LocationSpec("here", parts.timezone(), "US", "", 1, parts.cutoff(),
                    parts.handling(), parts.mask(), holidays.stream().mapToInt(Integer::intValue).toArray());
                return new Scenario(spec, c, base * 86_400_000L + offset, destCountry, destPostal, base - w[0], w[1]);
            });
    }

    record LocationParts(
        String timezone, int cutoff, int handling, int mask, List<Integer> scattered, int[] run)
    {
    }

    private static Arbitrary<CarrierSpec> carrier()
    {
        final Arbitrary<ZoneSpec> zone = Combinators.combine(
            Arbitraries.of(HERE, OTHER, "none").map(l -> "none".equals(l) ? null : l),
            Arbitraries.of("US", "DE"),
            Arbitraries.of("", "", "1", "12", "123", "2", "21", "9", "12A"),
            Arbitraries.integers().between(0, 6),
            Arbitraries.integers().between(0, 6))
            .as((l, c, p, min, span) -> new ZoneSpec(l, c, p, min, min + span));
        final Arbitrary<List<ZoneSpec>> zones = zone.list().ofMinSize(1).ofMaxSize(6)
            .uniqueElements(z -> z.location() + "|" + z.country() + "|" + z.postalPrefix());
        final Arbitrary<List<Tuple.Tuple2<Integer, List<ZoneSpec>>>> services = Combinators.combine(
            Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(LocationSpec.MON_TO_FRI)),
                Tuple.of(3, Arbitraries.integers().between(1, 127))),
            zones).as(Tuple::of).list().ofMinSize(1).ofMaxSize(3);
        return services.map(list ->
        {
            final List<ServiceSpec> specs = new ArrayList<>();
            for (int i = 0; i < list.size(); i++)
            {
                specs.add(new ServiceSpec("s" + (list.size() - i), "S", list.get(i).get1(), list.get(i).get2()));
            }
            return new CarrierSpec("C", specs);
        });
    }

    @Property(tries = 1500)
    void theFastPathTheJavaTimePathAndTheReferenceAgree(@ForAll("scenarios") final Scenario s)
    {
        final ReferencePromise.Answer expected = ReferencePromise.promise(
            HERE, s.location(), s.carriers(), s.country(), s.postal(), s.at());
        final ReferencePromise.Answer fast = ReferencePromise.of(
            s.planner(s.windowStart(), s.windowDays()), 0, s.country(), s.postal(), s.at());
        final ReferencePromise.Answer slow = ReferencePromise.of(s.planner(0, 0), 0, s.country(), s.postal(), s.at());
        assertThat(fast).isEqualTo(expected);
        assertThat(slow).isEqualTo(expected);
        final int day = (int)Math.floorDiv(s.at(), 86_400_000L);
        Statistics.label("reason").collect(expected.reason());
        Statistics.label("window").collect(s.windowDays() == 0 ? "none" :
            day < s.windowStart() + s.windowDays() - 10 ? "inside" : "at or past its end");
        Statistics.label("reason").coverage(c -> c.check(PromiseReason.PROMISED).percentage(p -> p > 25));
        Statistics.label("window").coverage(c -> c.check("inside").percentage(p -> p > 20));
    }

    @Property(tries = 700)
    void aPromiseHoldsUntilOrderByAndTheReadyDayMovesAtIt(
        @ForAll("scenarios") final Scenario s,
        @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) final double fraction)
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
