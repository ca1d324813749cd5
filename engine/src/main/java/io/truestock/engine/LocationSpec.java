package io.truestock.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable configuration of one location. Delivery-calendar fields are carried and journaled here so that
 * promises can be computed from the same ordered history.
 *
 * @param name            display name, required.
 * @param timezone        IANA zone id.
 * @param country         ISO 3166-1 alpha-2 country, or empty.
 * @param postalCode      postal code, or empty.
 * @param priority        routing priority, lower ships first.
 * @param cutoffMinute    minute of the local day after which an order rolls to the next working day.
 * @param handlingDays    working days of handling before an order is ready to ship.
 * @param workingDaysMask bit 0 = Monday ... bit 6 = Sunday.
 * @param holidays        sorted epoch days (local dates) on which the location does not ship.
 */
public record LocationSpec(
    String name,
    String timezone,
    String country,
    String postalCode,
    int priority,
    int cutoffMinute,
    int handlingDays,
    int workingDaysMask,
    int[] holidays)
{
    public static final int MON_TO_FRI = 0b0011111;
    public static final int MAX_HOLIDAYS = 1024;

    public LocationSpec
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(country, "country");
        Objects.requireNonNull(postalCode, "postalCode");
        holidays = holidays.clone();
        Arrays.sort(holidays);
    }

    /** A location with the documented defaults: UTC, priority 100, cutoff 23:59, no handling days, MON-FRI. */
    public static LocationSpec named(final String name)
    {
        return new LocationSpec(name, "UTC", "", "", 100, 23 * 60 + 59, 0, MON_TO_FRI, new int[0]);
    }

    public LocationSpec withPriority(final int newPriority)
    {
        return new LocationSpec(
            name, timezone, country, postalCode, newPriority, cutoffMinute, handlingDays, workingDaysMask, holidays);
    }

    @Override
    public int[] holidays()
    {
        return holidays.clone();
    }

    public int holidayCount()
    {
        return holidays.length;
    }

    public int holiday(final int i)
    {
        return holidays[i];
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof LocationSpec that && name.equals(that.name) && timezone.equals(that.timezone) &&
            country.equals(that.country) && postalCode.equals(that.postalCode) && priority == that.priority &&
            cutoffMinute == that.cutoffMinute && handlingDays == that.handlingDays &&
            workingDaysMask == that.workingDaysMask && Arrays.equals(holidays, that.holidays);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(name, timezone, country, postalCode, priority, cutoffMinute, handlingDays, workingDaysMask) * 31 +
            Arrays.hashCode(holidays);
    }

    @Override
    public String toString()
    {
        return "LocationSpec{name=" + name + ", timezone=" + timezone + ", priority=" + priority + '}';
    }
}
