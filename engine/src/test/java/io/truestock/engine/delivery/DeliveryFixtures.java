package io.truestock.engine.delivery;

import io.truestock.engine.LocationSpec;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;

/** Small builders for delivery configurations. */
final class DeliveryFixtures
{
    static final int MON_FRI = LocationSpec.MON_TO_FRI;
    static final int MON_SAT = 0b0111111;
    static final int EVERY_DAY = 0b1111111;
    static final int WINDOW_START = (int)LocalDate.of(2026, 1, 1).toEpochDay() - 30;
    static final int WINDOW_DAYS = 800;

    private DeliveryFixtures()
    {
    }

    static DeliveryPlanner planner()
    {
        return new DeliveryPlanner(8, WINDOW_START, WINDOW_DAYS);
    }

    static LocationSpec location(
        final String timezone, final String cutoff, final int handlingDays, final int mask, final LocalDate... holidays)
    {
        final LocalTime time = LocalTime.parse(cutoff);
        return new LocationSpec("loc", timezone, "US", "94607", 1, time.getHour() * 60 + time.getMinute(),
            handlingDays, mask, Arrays.stream(holidays).mapToInt(d -> (int)d.toEpochDay()).toArray());
    }

    static ZoneSpec zone(final String location, final String country, final String prefix, final int min, final int max)
    {
        return new ZoneSpec(location, country, prefix, min, max);
    }

    static ServiceSpec service(final String id, final int mask, final ZoneSpec... zones)
    {
        return new ServiceSpec(id, id.toUpperCase(), mask, List.of(zones));
    }

    static CarrierSpec carrier(final String name, final ServiceSpec... services)
    {
        return new CarrierSpec(name, List.of(services));
    }

    /** The instant of a local date-time; in an overlap the earlier offset, in a gap shifted later (java.time rules). */
    static long at(final String timezone, final String localDateTime)
    {
        return ZonedDateTime.of(LocalDateTime.parse(localDateTime), ZoneId.of(timezone)).toInstant().toEpochMilli();
    }

    static LocalDateTime local(final String timezone, final long epochMillis)
    {
        return ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), ZoneId.of(timezone))
            .toLocalDateTime();
    }

    static LocalDate day(final long epochDay)
    {
        return LocalDate.ofEpochDay(epochDay);
    }

    static LocalDate[] run(final LocalDate first, final int days)
    {
        final LocalDate[] result = new LocalDate[days];
        for (int i = 0; i < days; i++)
        {
            result[i] = first.plusDays(i);
        }
        return result;
    }
}
