package io.truestock.engine.delivery;

import io.truestock.engine.LocationSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.truestock.engine.delivery.DeliveryFixtures.EVERY_DAY;
import static io.truestock.engine.delivery.DeliveryFixtures.MON_FRI;
import static io.truestock.engine.delivery.DeliveryFixtures.MON_SAT;
import static io.truestock.engine.delivery.DeliveryFixtures.at;
import static io.truestock.engine.delivery.DeliveryFixtures.carrier;
import static io.truestock.engine.delivery.DeliveryFixtures.day;
import static io.truestock.engine.delivery.DeliveryFixtures.local;
import static io.truestock.engine.delivery.DeliveryFixtures.location;
import static io.truestock.engine.delivery.DeliveryFixtures.run;
import static io.truestock.engine.delivery.DeliveryFixtures.service;
import static io.truestock.engine.delivery.DeliveryFixtures.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryPlannerTest
{
    private static final String LA = "America/Los_Angeles";
    private static final int OAK = 0;

    private DeliveryPlanner planner;
    private final DeliveryPromise promise = new DeliveryPromise();

    @BeforeEach
    void setUp()
    {
        planner = DeliveryFixtures.planner();
        planner.defineCarrier("ups", carrier("UPS", service("ground", MON_FRI, zone(null, "US", "9", 1, 2))));
    }

    private void oak(final LocationSpec spec)
    {
        planner.defineLocation(OAK, "oak", spec);
    }

    private DeliveryPromise promise(final long at)
    {
        promise.fail(-1, PromiseReason.UNKNOWN_LOCATION);
        assertThat(planner.promise(OAK, "US", "94103", at, promise)).as("promised").isTrue();
        return promise;
    }

    private static void assertArrival(final String tz, final DeliveryPromise p, final LocalDate first, final LocalDate last)
    {
        assertThat(local(tz, p.earliestMillis())).isEqualTo(first.atStartOfDay());
        assertThat(local(tz, p.latestMillis())).isEqualTo(last.atTime(LocalTime.of(23, 59, 59, 999_000_000)));
        assertThat(day(p.earliestEpochDay())).isEqualTo(first);
        assertThat(day(p.latestEpochDay())).isEqualTo(last);
    }

    @Test
    void anOrderOneMillisecondBeforeTheCutoffShipsTodayAndOneAtTheCutoffRolls()
    {
        oak(location(LA, "14:00", 0, MON_FRI));
        final LocalDate wednesday = LocalDate.of(2026, 6, 10);
        assertThat(wednesday.getDayOfWeek()).isEqualTo(DayOfWeek.WEDNESDAY);
        final long cutoff = at(LA, "2026-06-10T14:00:00");

        final DeliveryPromise before = promise(cutoff - 1);
        assertThat(day(before.readyEpochDay())).isEqualTo(wednesday);
        assertThat(day(before.shipEpochDay())).isEqualTo(wednesday);
        assertThat(before.orderByMillis()).isEqualTo(cutoff);
        assertArrival(LA, before, wednesday.plusDays(1), wednesday.plusDays(2));
        assertThat(before.carrierId()).isEqualTo("ups");
        assertThat(before.serviceId()).isEqualTo("ground");
        assertThat(before.locationIndex()).isEqualTo(OAK);

        final DeliveryPromise atCutoff = promise(cutoff);
        assertThat(day(atCutoff.readyEpochDay())).isEqualTo(wednesday.plusDays(1));
        assertThat(atCutoff.orderByMillis()).isEqualTo(at(LA, "2026-06-11T14:00:00"));
        // Thursday ship: Friday earliest, Monday latest (the carrier does not work the weekend).
        assertArrival(LA, atCutoff, LocalDate.of(2026, 6, 12), LocalDate.of(2026, 6, 15));
    }

    @Test
    void anOrderAtMidnightBeforeACutoffOfMidnightRollsAndOneAtCutoff2359StillShips()
    {
        oak(location(LA, "00:00", 0, MON_FRI));
        assertThat(day(promise(at(LA, "2026-06-10T00:00:00")).readyEpochDay())).isEqualTo(LocalDate.of(2026, 6, 11));
        oak(location(LA, "23:59", 0, MON_FRI));
        assertThat(day(promise(at(LA, "2026-06-10T23:58:59.999")).readyEpochDay())).isEqualTo(LocalDate.of(2026, 6, 10));
        assertThat(day(promise(at(LA, "2026-06-10T23:59:00")).readyEpochDay())).isEqualTo(LocalDate.of(2026, 6, 11));
    }

    @Test
    void fridayAfterTheCutoffAndTheWeekendRollToMonday()
    {
        oak(location(LA, "14:00", 0, MON_FRI));
        final LocalDate monday = LocalDate.of(2026, 6, 15);
        for (final String t : List.of("2026-06-12T14:00:00", "2026-06-13T09:00:00", "2026-06-14T23:59:59.999"))
        {
            final DeliveryPromise p = promise(at(LA, t));
            assertThat(day(p.readyEpochDay())).as(t).isEqualTo(monday);
            assertThat(p.orderByMillis()).isEqualTo(at(LA, "2026-06-15T14:00:00"));
            assertArrival(LA, p, monday.plusDays(1), monday.plusDays(2));
        }
    }

    @Test
    void christmasIsSkippedByTheLocationButNotByTheCarrier()
    {
        final LocalDate christmas = LocalDate.of(2026, 12, 25);
        assertThat(christmas.getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
        oak(location(LA, "14:00", 0, MON_FRI, christmas));

        final DeliveryPromise late = promise(at(LA, "2026-12-24T15:00:00"));
        assertThat(day(late.readyEpochDay())).isEqualTo(LocalDate.of(2026, 12, 28));

        // Carriers have no holidays: a Thursday ship arrives on Friday the 25th at the earliest.
        final DeliveryPromise early = promise(at(LA, "2026-12-24T10:00:00"));
        assertThat(day(early.shipEpochDay())).isEqualTo(LocalDate.of(2026, 12, 24));
        assertArrival(LA, early, christmas, LocalDate.of(2026, 12, 28));
    }

    @Test
    void aHolidayOnTheShipDayPushesTheShipDay()
    {
        final LocalDate tuesday = LocalDate.of(2026, 6, 16);
        oak(location(LA, "14:00", 1, MON_FRI, tuesday));
        final DeliveryPromise p = promise(at(LA, "2026-06-15T09:00:00"));
        assertThat(day(p.readyEpochDay())).isEqualTo(LocalDate.of(2026, 6, 15));
        assertThat(day(p.shipEpochDay())).isEqualTo(LocalDate.of(2026, 6, 17));
    }

    @Test
    void handlingDaysSpanTheWeekend()
    {
        oak(location(LA, "14:00", 2, MON_FRI));
        final DeliveryPromise p = promise(at(LA, "2026-06-11T09:00:00"));
        assertThat(day(p.readyEpochDay())).isEqualTo(LocalDate.of(2026, 6, 11));
        assertThat(day(p.shipEpochDay())).isEqualTo(LocalDate.of(2026, 6, 15));
        assertThat(p.orderByMillis()).isEqualTo(at(LA, "2026-06-11T14:00:00"));
        assertArrival(LA, p, LocalDate.of(2026, 6, 16), LocalDate.of(2026, 6, 17));
    }

    @ParameterizedTest
    @CsvSource({"14", "60"})
    void aLongRunOfHolidaysShipsOnTheFirstWorkingDayAfterIt(final int days)
    {
        final LocalDate first = LocalDate.of(2026, 6, 10);
        oak(location(LA, "14:00", 1, MON_FRI, run(first, days)));
        final LocalDate after = first.plusDays(days);
        final LocalDate expectedReady = after.getDayOfWeek().getValue() >= 6 ?
            after.plusDays(8 - after.getDayOfWeek().getValue()) : after;

        final long t = at(LA, "2026-06-10T09:00:00");
        final DeliveryPromise p = promise(t);
        assertThat(day(p.readyEpochDay())).isEqualTo(expectedReady);

        // The same answer with the calendar window ending inside the run (the java.time path takes over).
        final DeliveryPlanner narrow = new DeliveryPlanner(1, (int)first.toEpochDay() - 3, 10);
        narrow.defineCarrier("ups", carrier("UPS", service("ground", MON_FRI, zone(null, "US", "9", 1, 2))));
        narrow.defineLocation(OAK, "oak", location(LA, "14:00", 1, MON_FRI, run(first, days)));
        assertThat(ReferencePromise.of(narrow, OAK, "US", "94103", t)).isEqualTo(ReferencePromise.Answer.of(p));
    }

    @Test
    void theCarriersWorkingDaysDecideArrival()
    {
        oak(location(LA, "14:00", 0, MON_SAT));
        planner.defineCarrier("ups", carrier("UPS",
            service("ground", MON_FRI, zone(null, "US", "9", 1, 1)),
            service("saturday", MON_SAT, zone(null, "US", "8", 1, 1)),
            service("sameday", MON_FRI, zone(null, "US", "7", 0, 0))));
        final long friday = at(LA, "2026-06-12T09:00:00");

        assertThat(planner.promise(OAK, "US", "94103", friday, promise)).isTrue();
        assertArrival(LA, promise, LocalDate.of(2026, 6, 15), LocalDate.of(2026, 6, 15));

        assertThat(planner.promise(OAK, "US", "84103", friday, promise)).isTrue();
        assertArrival(LA, promise, LocalDate.of(2026, 6, 13), LocalDate.of(2026, 6, 13));

        // The location ships on Saturday, a same-day carrier that does not work Saturdays delivers on Monday.
        assertThat(planner.promise(OAK, "US", "74103", at(LA, "2026-06-13T09:00:00"), promise)).isTrue();
        assertThat(day(promise.shipEpochDay())).isEqualTo(LocalDate.of(2026, 6, 13));
        assertArrival(LA, promise, LocalDate.of(2026, 6, 15), LocalDate.of(2026, 6, 15));
        assertThat(planner.promise(OAK, "US", "74103", friday, promise)).isTrue();
        assertArrival(LA, promise, LocalDate.of(2026, 6, 12), LocalDate.of(2026, 6, 12));
    }

    /** An arrival on a DST-change day starts at local 00:00 and ends at local 23:59:59.999 of that day. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "America/Los_Angeles, 2026-03-08, 23",
        "America/Los_Angeles, 2026-11-01, 25",
        "Europe/Berlin,       2026-03-29, 23",
        "Europe/Berlin,       2026-10-25, 25",
        "Australia/Sydney,    2026-04-05, 25",
        "Australia/Sydney,    2026-10-04, 23",
        "Asia/Kolkata,        2026-03-08, 24",
        "Pacific/Chatham,     2026-09-27, 23",
        "Pacific/Chatham,     2026-04-05, 25",
        "Australia/Lord_Howe, 2026-10-04, 23.5",
        "America/St_Johns,    2026-03-08, 23",
        "Asia/Kathmandu,      2026-06-10, 24",
    })
    void arrivalOnADstChangeDayIsTheWholeLocalDay(final String tz, final LocalDate arrival, final double hours)
    {
        oak(location(tz, "14:00", 0, EVERY_DAY));
        planner.defineCarrier("ups", carrier("UPS", service("ground", EVERY_DAY, zone(null, "US", "", 2, 2))));
        final LocalDate ship = arrival.minusDays(2);
        final DeliveryPromise p = promise(at(tz, ship + "T09:00:00"));
        assertThat(day(p.shipEpochDay())).isEqualTo(ship);
        assertArrival(tz, p, arrival, arrival);
        assertThat(Duration.ofMillis(p.latestMillis() + 1 - p.earliestMillis()).toMinutes())
            .isEqualTo((long)(hours * 60));
    }

    @Test
    void aCutoffInsideTheSpringForwardGapMovesLaterByTheGap()
    {
        oak(location(LA, "02:30", 0, EVERY_DAY));
        // 02:30 does not exist on 2026-03-08 in Los Angeles: the cutoff is 03:30 PDT (10:30Z).
        final long cutoff = java.time.Instant.parse("2026-03-08T10:30:00Z").toEpochMilli();
        final DeliveryPromise before = promise(cutoff - 1);
        assertThat(day(before.readyEpochDay())).isEqualTo(LocalDate.of(2026, 3, 8));
        assertThat(before.orderByMillis()).isEqualTo(cutoff);
        assertThat(local(LA, cutoff)).isEqualTo(LocalDateTime.parse("2026-03-08T03:30:00"));
        assertThat(day(promise(cutoff).readyEpochDay())).isEqualTo(LocalDate.of(2026, 3, 9));
    }

    @Test
    void aCutoffInsideTheFallBackOverlapIsTheFirstOfTheTwoInstants()
    {
        oak(location(LA, "01:30", 0, EVERY_DAY));
        final long firstPass = java.time.Instant.parse("2026-11-01T08:30:00Z").toEpochMilli();
        assertThat(promise(firstPass - 1).orderByMillis()).isEqualTo(firstPass);
        // 01:15 on the second pass (PST) is after the cutoff.
        final long secondPass = java.time.Instant.parse("2026-11-01T09:15:00Z").toEpochMilli();
        assertThat(local(LA, secondPass)).isEqualTo(LocalDateTime.parse("2026-11-01T01:15:00"));
        assertThat(day(promise(secondPass).readyEpochDay())).isEqualTo(LocalDate.of(2026, 11, 2));
    }

    @Test
    void theLongestPrefixWinsAndALocationSpecificZoneBeatsAnAnyLocationOne()
    {
        oak(location(LA, "14:00", 0, MON_FRI));
        planner.defineLocation(1, "nj", location("America/New_York", "14:00", 0, MON_FRI));
        planner.defineCarrier("ups", carrier("UPS", service("ground", EVERY_DAY,
            zone(null, "US", "", 5, 6),
            zone(null, "US", "9", 3, 4),
            zone(null, "US", "94", 2, 3),
            zone("oak", "US", "94", 1, 1),
            zone("nj", "US", "941", 7, 7),
            zone(null, "GB", "SW1A", 1, 2))));
        final long t = at(LA, "2026-06-10T09:00:00");
        final LocalDate wednesday = LocalDate.of(2026, 6, 10);

        assertThat(planner.promise(OAK, "US", "94103", t, promise)).isTrue();
        assertThat(day(promise.latestEpochDay())).isEqualTo(wednesday.plusDays(1));
        assertThat(planner.promise(OAK, "us", "95000", t, promise)).isTrue();
        assertThat(day(promise.latestEpochDay())).isEqualTo(wednesday.plusDays(4));
        assertThat(planner.promise(OAK, "US", "10001", t, promise)).isTrue();
        assertThat(day(promise.latestEpochDay())).isEqualTo(wednesday.plusDays(6));
        assertThat(planner.promise(OAK, "US", null, t, promise)).isTrue();
        assertThat(day(promise.latestEpochDay())).isEqualTo(wednesday.plusDays(6));

        assertThat(planner.promise(1, "US", "94003", t, promise)).isTrue();
        assertThat(day(promise.latestEpochDay())).isEqualTo(wednesday.plusDays(3));
        assertThat(planner.promise(1, "US", "94103", t, promise)).isTrue();
        assertThat(day(promise.latestEpochDay())).isEqualTo(wednesday.plusDays(7));

        // Letters and digits only, either case: spaces and dashes are ignored.
        assertThat(planner.promise(OAK, "GB", "sw1a 1aa", t, promise)).isTrue();
        assertThat(day(promise.latestEpochDay())).isEqualTo(wednesday.plusDays(2));
        assertThat(planner.promise(OAK, "GB", "S-W 1A", t, promise)).isTrue();
        assertThat(planner.promise(OAK, "GB", "SW1", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_ZONE);
    }

    @Test
    void everyWayOfNotPromisingHasItsReason()
    {
        final long t = at(LA, "2026-06-10T09:00:00");
        assertThat(planner.promise(OAK, "US", "94103", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.UNKNOWN_LOCATION);
        assertThat(planner.promise(-1, "US", "94103", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.UNKNOWN_LOCATION);
        assertThat(planner.promise(99, "US", "94103", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.UNKNOWN_LOCATION);

        oak(location(LA, "14:00", 0, MON_FRI));
        assertThat(planner.promise(OAK, "US", "10001", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_ZONE);
        assertThat(promise.carrierId()).isNull();
        assertThat(planner.promise(OAK, "FR", "75001", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_ZONE);
        assertThat(planner.promise(OAK, "USA", "94103", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.INVALID_DESTINATION);
        assertThat(planner.promise(OAK, null, "94103", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.INVALID_DESTINATION);
        assertThat(planner.promise(OAK, "US", "94103", Long.MAX_VALUE, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.INVALID_INSTANT);

        planner.defineCarrier("ups", carrier("UPS", service("ground", MON_FRI, zone("nj", "US", "9", 1, 2))));
        assertThat(planner.promise(OAK, "US", "94103", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_CARRIER);
        assertThat(planner.removeCarrier("ups")).isTrue();
        assertThat(planner.promise(OAK, "US", "94103", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_CARRIER);

        planner.defineCarrier("ups", carrier("UPS", service("ground", MON_FRI, zone(null, "US", "9", 1, 2))));
        oak(location(LA, "14:00", 0, 0));
        assertThat(planner.promise(OAK, "US", "94103", t, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_WORKING_DAYS);
    }

    @Test
    void theServiceWithTheEarliestLatestWinsThenTheEarliestEarliestThenTheIds()
    {
        oak(location(LA, "14:00", 0, MON_FRI));
        final long monday = at(LA, "2026-06-15T09:00:00");
        planner.defineCarrier("fedex", carrier("FedEx", service("express", MON_FRI, zone(null, "US", "9", 1, 3))));
        planner.defineCarrier("ups", carrier("UPS", service("ground", MON_FRI, zone(null, "US", "9", 2, 2))));
        assertThat(planner.promise(OAK, "US", "94103", monday, promise)).isTrue();
        assertThat(promise.carrierId()).isEqualTo("ups");

        planner.defineCarrier("fedex", carrier("FedEx", service("express", MON_FRI, zone(null, "US", "9", 1, 2))));
        assertThat(planner.promise(OAK, "US", "94103", monday, promise)).isTrue();
        assertThat(promise.carrierId()).isEqualTo("fedex");

        planner.defineCarrier("fedex", carrier("FedEx",
            service("zz", MON_FRI, zone(null, "US", "9", 2, 2)),
            service("aa", MON_FRI, zone(null, "US", "9", 2, 2))));
        planner.defineCarrier("dhl", carrier("DHL", service("std", MON_FRI, zone(null, "US", "", 2, 2))));
        assertThat(planner.promise(OAK, "US", "94103", monday, promise)).isTrue();
        assertThat(promise.carrierId()).isEqualTo("dhl");
        planner.removeCarrier("dhl");
        assertThat(planner.promise(OAK, "US", "94103", monday, promise)).isTrue();
        assertThat(promise.carrierId()).isEqualTo("fedex");
        assertThat(promise.serviceId()).isEqualTo("aa");

        final Map<String, CarrierSpec> carriers = new TreeMap<>();
        carriers.put("fedex", carrier("FedEx",
            service("zz", MON_FRI, zone(null, "US", "9", 2, 2)),
            service("aa", MON_FRI, zone(null, "US", "9", 2, 2))));
        carriers.put("ups", carrier("UPS", service("ground", MON_FRI, zone(null, "US", "9", 2, 2))));
        assertThat(ReferencePromise.Answer.of(promise)).isEqualTo(ReferencePromise.promise(
            "oak", location(LA, "14:00", 0, MON_FRI), carriers, "US", "94103", monday));
    }

    @Test
    void theCarrierIdsInTheAnswerAreTheConfiguredStrings()
    {
        oak(location(LA, "14:00", 0, MON_FRI));
        final String id = new String("ups-2".toCharArray());
        planner.removeCarrier("ups");
        planner.defineCarrier(id, carrier("UPS", service("ground", MON_FRI, zone(null, "US", "9", 1, 2))));
        assertThat(planner.promise(OAK, "US", "94103", at(LA, "2026-06-15T09:00:00"), promise)).isTrue();
        assertThat(promise.carrierId()).isSameAs(id);
    }

    @Test
    void instantsFarOutsideTheWindowAgreeWithTheReference()
    {
        final LocationSpec spec = location("Europe/Berlin", "16:30", 3, MON_FRI, LocalDate.of(2040, 12, 25));
        oak(spec);
        final Map<String, CarrierSpec> carriers = new TreeMap<>();
        carriers.put("ups", carrier("UPS", service("ground", MON_FRI, zone(null, "US", "9", 1, 2))));
        for (final String t : List.of("1990-03-25T01:00:00", "2040-12-21T17:00:00", "2099-10-25T02:30:00"))
        {
            final long at = at("Europe/Berlin", t);
            assertThat(ReferencePromise.of(planner, OAK, "US", "94103", at))
                .isEqualTo(ReferencePromise.promise("oak", spec, carriers, "US", "94103", at));
        }
    }

    @Test
    void movingTheWindowChangesNoAnswer()
    {
        oak(location(LA, "14:00", 1, MON_FRI, LocalDate.of(2026, 7, 3)));
        final List<ReferencePromise.Answer> before = new ArrayList<>();
        final List<Long> instants = new ArrayList<>();
        for (long t = at(LA, "2026-06-01T00:00:00"); t < at(LA, "2026-08-01T00:00:00"); t += 7 * 3_600_000L + 13)
        {
            instants.add(t);
            before.add(ReferencePromise.of(planner, OAK, "US", "94103", t));
        }
        planner.moveWindow((int)LocalDate.of(2026, 6, 20).toEpochDay());
        for (int i = 0; i < instants.size(); i++)
        {
            assertThat(ReferencePromise.of(planner, OAK, "US", "94103", instants.get(i))).isEqualTo(before.get(i));
        }
    }

    @Test
    void configurationOutOfBoundsIsRejectedWithAReason()
    {
        assertThatThrownBy(() -> planner.defineLocation(OAK, "oak", location(LA, "14:00", 31, MON_FRI)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handling days");
        assertThatThrownBy(() -> planner.defineLocation(OAK, "oak", location("Mars/Olympus", "14:00", 0, MON_FRI)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timezone");
        assertThatThrownBy(() -> planner.defineLocation(OAK, "oak",
            new LocationSpec("x", LA, "", "", 1, 1440, 0, MON_FRI, new int[0])))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cutoff");
        assertThatThrownBy(() -> planner.defineLocation(8, "oak", location(LA, "14:00", 0, MON_FRI)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> planner.defineLocation(0, "o k", location(LA, "14:00", 0, MON_FRI)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> planner.defineLocation(0, "oak", new LocationSpec("x", LA, "", "", 1, 600, 0,
            MON_FRI, new int[LocationSpec.MAX_HOLIDAYS + 1])))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holidays");

        assertThatThrownBy(() -> zone(null, "US", "9", 3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zone(null, "US", "9", 0, 61)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zone(null, "US", "9", -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zone(null, "us", "9", 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zone(null, "USA", "9", 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zone(null, "US", "94 1", 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zone(null, "US", "12345678901234567", 1, 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zone("bad id", "US", "9", 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(zone(null, "GB", "sw1a", 1, 1).postalPrefix()).isEqualTo("SW1A");

        assertThatThrownBy(() -> service("s", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> service("s", 128)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> service("s", MON_FRI, zone(null, "US", "9", 1, 1), zone(null, "US", "9", 2, 2)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two zones");
        final List<ZoneSpec> many = new ArrayList<>();
        for (int i = 0; i <= ServiceSpec.MAX_ZONES; i++)
        {
            many.add(zone(null, "US", Integer.toString(i), 1, 1));
        }
        assertThatThrownBy(() -> new ServiceSpec("s", "S", MON_FRI, many)).isInstanceOf(IllegalArgumentException.class);
        final List<ServiceSpec> services = new ArrayList<>();
        for (int i = 0; i <= CarrierSpec.MAX_SERVICES; i++)
        {
            services.add(service("s" + i, MON_FRI));
        }
        assertThatThrownBy(() -> new CarrierSpec("c", services)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> carrier("c", service("s", MON_FRI), service("s", MON_SAT)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void atMostMaxCarriersAndReplacingOneAtTheBoundStillWorks()
    {
        final CarrierSpec spec = carrier("C", service("s", MON_FRI, zone(null, "US", "9", 1, 2)));
        for (int i = planner.carrierCount(); i < DeliveryPlanner.MAX_CARRIERS; i++)
        {
            assertThat(planner.defineCarrier("c" + i, spec)).isTrue();
        }
        assertThat(planner.carrierCount()).isEqualTo(DeliveryPlanner.MAX_CARRIERS);
        assertThat(planner.defineCarrier("one-too-many", spec)).isFalse();
        assertThat(planner.carrierCount()).isEqualTo(DeliveryPlanner.MAX_CARRIERS);
        assertThat(planner.defineCarrier("c7", spec)).isTrue();
        assertThat(planner.removeCarrier("c7")).isTrue();
        assertThat(planner.defineCarrier("one-too-many", spec)).isTrue();
        assertThat(planner.removeCarrier("never-defined")).isFalse();
    }

    @Test
    void theSpecsAreImmutableCopies()
    {
        final List<ZoneSpec> zones = new ArrayList<>(List.of(zone(null, "US", "9", 1, 2)));
        final ServiceSpec s = new ServiceSpec("ground", "Ground", MON_FRI, zones);
        zones.clear();
        assertThat(s.zones()).hasSize(1);
        assertThatThrownBy(() -> s.zones().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aQueryInsideTheWindowAllocatesNothing()
    {
        final java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        oak(location(LA, "14:00", 1, MON_FRI, LocalDate.of(2026, 7, 3)));
        planner.defineCarrier("fedex", carrier("FedEx", service("express", MON_FRI, zone(null, "US", "9", 1, 3))));
        final long start = at(LA, "2026-06-01T00:00:00");
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            planner.promise(OAK, "US", "94103", start + i * 60_000L, promise);
            sum += promise.latestMillis();
        }
        final long id = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 20_000; i++)
        {
            planner.promise(OAK, "US", "94103", start + i * 60_000L, promise);
            sum += promise.latestMillis();
        }
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(sum).isNotZero();
        // 20 000 queries: any per-query allocation would be at least 320 000 bytes.
        assertThat(allocated).isLessThan(4_096);
    }

    @Test
    void theHolderComparesArrivals()
    {
        oak(location(LA, "14:00", 0, MON_FRI));
        final DeliveryPromise a = new DeliveryPromise();
        final DeliveryPromise b = new DeliveryPromise();
        planner.promise(OAK, "US", "94103", at(LA, "2026-06-10T09:00:00"), a);
        planner.promise(OAK, "US", "94103", at(LA, "2026-06-10T15:00:00"), b);
        assertThat(a.compareArrival(b)).isNegative();
        assertThat(b.compareArrival(a)).isPositive();
        final DeliveryPromise c = new DeliveryPromise();
        c.copyFrom(a);
        assertThat(a.compareArrival(c)).isZero();
        assertThat(c.toString()).isEqualTo(a.toString());
        planner.promise(OAK, "FR", "1", 0, c);
        assertThat(a.compareArrival(c)).isNegative();
        assertThat(c.compareArrival(a)).isPositive();
    }
}
