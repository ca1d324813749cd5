package io.truestock.engine.delivery;

import io.truestock.engine.LocationSpec;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * The delivery semantics written the plain way with java.time, day by day, as the oracle for the planner. It shares
 * no code with the planner.
 */
final class ReferencePromise
{
    /** Everything an answer says, comparable with equals. */
    record Answer(
        PromiseReason reason,
        String carrier,
        String service,
        long earliest,
        long latest,
        long orderBy,
        long readyDay,
        long shipDay)
    {
        static Answer failed(final PromiseReason reason)
        {
            return new Answer(reason, null, null, 0, 0, 0, 0, 0);
        }

        static Answer of(final DeliveryPromise p)
        {
            if (!p.isPromised())
            {
                return failed(p.reason());
            }
            return new Answer(PromiseReason.PROMISED, p.carrierId(), p.serviceId(), p.earliestMillis(),
                p.latestMillis(), p.orderByMillis(), p.readyEpochDay(), p.shipEpochDay());
        }
    }

    private ReferencePromise()
    {
    }

    static Answer of(final DeliveryPlanner planner, final int location, final String country, final String postal,
        final long at)
    {
        final DeliveryPromise p = new DeliveryPromise();
        final boolean ok = planner.promise(location, country, postal, at, p);
        if (ok != p.isPromised())
        {
            throw new AssertionError("return value disagrees with the holder: " + p);
        }
        return Answer.of(p);
    }

    private record Candidate(String carrier, String service, long earliest, long latest)
    {
    }

    static Answer promise(
        final String locationId,
        final LocationSpec spec,
        final Map<String, CarrierSpec> carriers,
        final String country,
        final String postal,
        final long at)
    {
        if (spec.workingDaysMask() == 0)
        {
            return Answer.failed(PromiseReason.NO_WORKING_DAYS);
        }
        final boolean anyZone = carriers.values().stream()
            .flatMap(c -> c.services().stream())
            .flatMap(s -> s.zones().stream())
            .anyMatch(z -> z.location() == null || z.location().equals(locationId));
        if (!anyZone)
        {
            return Answer.failed(PromiseReason.NO_CARRIER);
        }
        if (country == null || !country.matches("[A-Za-z]{2}"))
        {
            return Answer.failed(PromiseReason.INVALID_DESTINATION);
        }
        final String normalized = normalize(postal);
        final ZoneId zone = ZoneId.of(spec.timezone());
        final int[] holidays = spec.holidays();

        LocalDate day = Instant.ofEpochMilli(at).atZone(zone).toLocalDate();
        while (!(working(spec.workingDaysMask(), holidays, day) && at < cutoff(zone, day, spec.cutoffMinute())))
        {
            day = day.plusDays(1);
        }
        final LocalDate ready = day;
        LocalDate ship = ready;
        for (int i = 0; i < spec.handlingDays(); i++)
        {
            do
            {
                ship = ship.plusDays(1);
            }
            while (!working(spec.workingDaysMask(), holidays, ship));
        }

        Candidate best = null;
        final Comparator<Candidate> order = Comparator.comparingLong(Candidate::latest)
            .thenComparingLong(Candidate::earliest)
            .thenComparing(Candidate::carrier)
            .thenComparing(Candidate::service);
        for (final Map.Entry<String, CarrierSpec> carrier : carriers.entrySet())
        {
            for (final ServiceSpec service : carrier.getValue().services())
            {
                ZoneSpec match = null;
                for (final ZoneSpec z : service.zones())
                {
                    final boolean applies = (z.location() == null || z.location().equals(locationId)) &&
                        z.country().equalsIgnoreCase(country) && normalized.startsWith(z.postalPrefix());
                    if (!applies)
                    {
                        continue;
                    }
                    if (match == null || z.postalPrefix().length() > match.postalPrefix().length() ||
                        (z.postalPrefix().length() == match.postalPrefix().length() && z.location() != null))
                    {
                        match = z;
                    }
                }
                if (match == null)
                {
                    continue;
                }
                final LocalDate first = arrive(service.workingDaysMask(), ship, match.minTransitDays());
                final LocalDate last = arrive(service.workingDaysMask(), ship, match.maxTransitDays());
                final Candidate c = new Candidate(carrier.getKey(), service.id(),
                    first.atStartOfDay(zone).toInstant().toEpochMilli(),
                    last.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli() - 1);
                if (best == null || order.compare(c, best) < 0)
                {
                    best = c;
                }
            }
        }
        if (best == null)
        {
            return Answer.failed(PromiseReason.NO_ZONE);
        }
        return new Answer(PromiseReason.PROMISED, best.carrier(), best.service(), best.earliest(), best.latest(),
            cutoff(zone, ready, spec.cutoffMinute()), ready.toEpochDay(), ship.toEpochDay());
    }

    static String normalize(final String postal)
    {
        final StringBuilder sb = new StringBuilder();
        if (postal == null)
        {
            return "";
        }
        for (final char c : postal.toCharArray())
        {
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            {
                sb.append(Character.toUpperCase(c));
            }
            else if (c != ' ' && c != '-' && c != '.' && c != '/')
            {
                break;
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    private static LocalDate arrive(final int mask, final LocalDate ship, final int transitDays)
    {
        LocalDate day = ship;
        if (transitDays == 0)
        {
            while (!weekday(mask, day.getDayOfWeek()))
            {
                day = day.plusDays(1);
            }
            return day;
        }
        for (int i = 0; i < transitDays; i++)
        {
            do
            {
                day = day.plusDays(1);
            }
            while (!weekday(mask, day.getDayOfWeek()));
        }
        return day;
    }

    static long cutoff(final ZoneId zone, final LocalDate day, final int cutoffMinute)
    {
        return ZonedDateTime.of(day, LocalTime.of(cutoffMinute / 60, cutoffMinute % 60), zone).toInstant().toEpochMilli();
    }

    private static boolean working(final int mask, final int[] holidays, final LocalDate day)
    {
        return weekday(mask, day.getDayOfWeek()) && Arrays.stream(holidays).noneMatch(h -> h == day.toEpochDay());
    }

    private static boolean weekday(final int mask, final DayOfWeek dow)
    {
        return (mask & (1 << (dow.getValue() - 1))) != 0;
    }
}
