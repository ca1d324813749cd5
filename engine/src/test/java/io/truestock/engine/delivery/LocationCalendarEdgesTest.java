package io.truestock.engine.delivery;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;

import static io.truestock.engine.delivery.DeliveryFixtures.EVERY_DAY;
import static io.truestock.engine.delivery.DeliveryFixtures.MON_FRI;
import static io.truestock.engine.delivery.DeliveryFixtures.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The calendar at the last day of its window and just past it, where the table gives way to java.time, and with no
 * working day at all.
 */
class LocationCalendarEdgesTest
{
    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    private static final int START = 20_500;
    private static final int DAYS = 30;

    private static LocationCalendar calendar(final int mask, final int windowDays)
    {
        return new LocationCalendar(location(LA.getId(), "17:00", 1, mask), LA, START, windowDays);
    }

    @Test
    void theDayAfterTheWindowIsAnsweredAsWithoutAWindow()
    {
        final LocationCalendar windowed = calendar(MON_FRI, DAYS);
        final LocationCalendar plain = calendar(MON_FRI, 0);
        for (int day = START - 2; day <= START + DAYS + 2; day++)
        {
            assertThat(windowed.cutoffMillis(day)).as("cutoff of %d", day).isEqualTo(plain.cutoffMillis(day));
            assertThat(windowed.dayStartMillis(day)).as("start of %d", day).isEqualTo(plain.dayStartMillis(day));
            final long start = plain.dayStartMillis(day);
            assertThat(windowed.localDay(start)).as("day of the start of %d", day).isEqualTo(day);
            assertThat(windowed.localDay(start - 1)).as("day of the instant before %d", day).isEqualTo(day - 1);
            assertThat(windowed.firstWorkingOnOrAfter(day)).isEqualTo(plain.firstWorkingOnOrAfter(day));
            assertThat(windowed.advanceWorking((int)plain.firstWorkingOnOrAfter(day), 2))
                .isEqualTo(plain.advanceWorking((int)plain.firstWorkingOnOrAfter(day), 2));
        }
    }

    @Test
    void noWorkingDayOutsideTheWindow()
    {
        final LocationCalendar never = calendar(0, DAYS);

        assertThat(never.firstWorkingOnOrAfter(START + DAYS + 5)).isEqualTo(LocationCalendar.NO_DAY);
        assertThat(never.advanceWorking(START + DAYS + 5, 1)).isEqualTo(LocationCalendar.NO_DAY);
        assertThat(calendar(EVERY_DAY, DAYS).advanceWorking(START + DAYS + 5, 1)).isEqualTo(START + DAYS + 6);
    }

    @Test
    void aCutoffPushedPastMidnightIsClampedToTheLastMillisecondOfItsDay()
    {
        assertThat(LocationCalendar.clampCutoff(1_000 + 86_400_000L + 3_600_000L, 1_000, 1_000 + 86_400_000L))
            .isEqualTo(1_000 + 86_400_000L - 1);
        assertThat(LocationCalendar.clampCutoff(500, 1_000, 1_000 + 86_400_000L)).isEqualTo(1_000);
        assertThat(LocationCalendar.clampCutoff(5_000, 1_000, 1_000 + 86_400_000L)).isEqualTo(5_000);
    }
}
