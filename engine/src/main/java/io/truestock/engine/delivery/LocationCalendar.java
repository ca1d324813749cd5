package io.truestock.engine.delivery;

import io.truestock.engine.LocationSpec;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;

/**
 * One location's calendar, immutable. Inside the window {@code [windowStart, windowStart + windowDays)} every answer is
 * a table read; outside it the same quantities are computed with java.time (allocating), so an answer never depends
 * on where the window is. Working days are decided arithmetically everywhere (day of week from the epoch day, a
 * binary search in the holidays), so they never allocate.
 */
final class LocationCalendar
{
    static final long NO_DAY = Long.MIN_VALUE;

    final ZoneId zone;
    final int cutoffMinute;
    final int handlingDays;
    final int workingDaysMask;
    private final int[] holidays;
    private final int windowStart;
    private final int windowDays;
    private final long[] dayStartMillis;
    private final long[] cutoffMillis;
    private final int[] workingRank;
    private final int[] workingDays;
    private final int workingCount;
    private final int maxIdleRun;

    LocationCalendar(final LocationSpec spec, final ZoneId zone, final int windowStart, final int windowDays)
    {
        this.zone = zone;
        this.cutoffMinute = spec.cutoffMinute();
        this.handlingDays = spec.handlingDays();
        this.workingDaysMask = spec.workingDaysMask();
        this.holidays = spec.holidays();
        this.windowStart = windowStart;
        this.windowDays = windowDays;
        // With finitely many holidays and at least one working weekday, a run of non-working days holds at most one
        // holiday per working weekday it covers: it is shorter than 7 * (holidays + 1) days.
        this.maxIdleRun = 7 * (holidays.length + 1);

        dayStartMillis = new long[windowDays + 1];
        cutoffMillis = new long[windowDays];
        workingRank = new int[windowDays + 1];
        workingDays = new int[windowDays];
        int count = 0;
        for (int i = 0; i <= windowDays; i++)
        {
            dayStartMillis[i] = computeDayStart(zone, windowStart + i);
        }
        for (int i = 0; i < windowDays; i++)
        {
            cutoffMillis[i] = clampCutoff(
                computeCutoff(zone, windowStart + i, cutoffMinute), dayStartMillis[i], dayStartMillis[i + 1]);
            workingRank[i] = count;
            if (isWorking(windowStart + i))
            {
                workingDays[count++] = i;
            }
        }
        workingRank[windowDays] = count;
        workingCount = count;
    }

    static long computeDayStart(final ZoneId zone, final int epochDay)
    {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    static long computeCutoff(final ZoneId zone, final int epochDay, final int cutoffMinute)
    {
        return ZonedDateTime.of(LocalDate.ofEpochDay(epochDay), LocalTime.ofSecondOfDay(cutoffMinute * 60L), zone)
            .toInstant().toEpochMilli();
    }

    /** Keeps a cutoff that a DST gap pushed past midnight inside its own day. */
    static long clampCutoff(final long cutoff, final long dayStart, final long nextDayStart)
    {
        return Math.max(dayStart, Math.min(cutoff, nextDayStart - 1));
    }

    static int dayOfWeekIndex(final int epochDay)
    {
        // 1970-01-01 was a Thursday (index 3 when Monday is 0).
        return Math.floorMod(epochDay + 3, 7);
    }

    boolean isWorking(final int epochDay)
    {
        return (workingDaysMask & (1 << dayOfWeekIndex(epochDay))) != 0 && Arrays.binarySearch(holidays, epochDay) < 0;
    }

    boolean inWindow(final int epochDay)
    {
        return epochDay >= windowStart && epochDay - windowStart < windowDays;
    }

    /** The local date (epoch day) that contains the instant. */
    int localDay(final long epochMillis)
    {
        if (windowDays > 0 && epochMillis >= dayStartMillis[0] && epochMillis < dayStartMillis[windowDays])
        {
            // The last day whose start is <= the instant (a day of zero length, skipped by a zone, is never chosen).
            int lo = 0;
            int hi = windowDays - 1;
            while (lo < hi)
            {
                final int mid = (lo + hi + 1) >>> 1;
                if (dayStartMillis[mid] <= epochMillis)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }
            return windowStart + lo;
        }
        return (int)Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate().toEpochDay();
    }

    /** The first instant of the local day (local 00:00, or the end of a DST gap that starts at midnight). */
    long dayStartMillis(final int epochDay)
    {
        final long i = (long)epochDay - windowStart;
        if (i >= 0 && i <= windowDays)
        {
            return dayStartMillis[(int)i];
        }
        return computeDayStart(zone, epochDay);
    }

    /** The cutoff instant of the local day; see {@link DeliveryPlanner} for gaps and overlaps. */
    long cutoffMillis(final int epochDay)
    {
        if (inWindow(epochDay))
        {
            return cutoffMillis[epochDay - windowStart];
        }
        return clampCutoff(
            computeCutoff(zone, epochDay, cutoffMinute), dayStartMillis(epochDay), dayStartMillis(epochDay + 1));
    }

    /** @return the first working day on or after {@code epochDay}, or {@link #NO_DAY} when the mask is empty. */
    long firstWorkingOnOrAfter(final int epochDay)
    {
        if (inWindow(epochDay))
        {
            final int rank = workingRank[epochDay - windowStart];
            if (rank < workingCount)
            {
                return windowStart + workingDays[rank];
            }
        }
        if (workingDaysMask == 0)
        {
            return NO_DAY;
        }
        for (int d = epochDay, steps = 0; steps <= maxIdleRun; d++, steps++)
        {
            if (isWorking(d))
            {
                return d;
            }
        }
        throw new IllegalStateException("no working day within " + maxIdleRun + " days of " + epochDay);
    }

    /** @return the {@code n}-th working day after the working day {@code epochDay} ({@code epochDay} itself for 0). */
    long advanceWorking(final int epochDay, final int n)
    {
        if (inWindow(epochDay))
        {
            final int rank = workingRank[epochDay - windowStart] + n;
            if (rank < workingCount)
            {
                return windowStart + workingDays[rank];
            }
        }
        long d = epochDay;
        for (int k = 0; k < n; k++)
        {
            d = firstWorkingOnOrAfter((int)d + 1);
            if (d == NO_DAY)
            {
                return NO_DAY;
            }
        }
        return d;
    }
}
