package io.truestock.engine.delivery;

import io.truestock.engine.Ids;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One service of a carrier (e.g. "ground", "express"): the days it moves parcels and the zones it delivers to.
 * Immutable: the zone list is copied.
 *
 * @param id              service id, unique within its carrier ({@link Ids}).
 * @param name            display name, at most {@value #MAX_NAME_LENGTH} characters.
 * @param workingDaysMask days the carrier moves parcels: bit 0 = Monday ... bit 6 = Sunday; at least one day.
 *                        A carrier service has no holidays.
 * @param zones           at most {@value #MAX_ZONES} zones; no two with the same (location, country, prefix).
 */
public record ServiceSpec(String id, String name, int workingDaysMask, List<ZoneSpec> zones)
{
    public static final int MAX_ZONES = 256;
    public static final int MAX_NAME_LENGTH = 256;

    /**
     * @throws IllegalArgumentException when a field is out of its documented range or two zones collide.
     */
    public ServiceSpec
    {
        if (!Ids.isValid(id))
        {
            throw new IllegalArgumentException("service id is not a valid id: " + id);
        }
        Objects.requireNonNull(name, "name");
        if (name.length() > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("service name longer than " + MAX_NAME_LENGTH);
        }
        if (workingDaysMask <= 0 || workingDaysMask > 0x7F)
        {
            throw new IllegalArgumentException("service " + id + " needs at least one working day (mask 1..127): " +
                workingDaysMask);
        }
        zones = List.copyOf(zones);
        if (zones.size() > MAX_ZONES)
        {
            throw new IllegalArgumentException("service " + id + " has more than " + MAX_ZONES + " zones");
        }
        final Set<String> keys = new HashSet<>();
        for (final ZoneSpec zone : zones)
        {
            if (!keys.add(zone.location() + '|' + zone.country() + '|' + zone.postalPrefix()))
            {
                throw new IllegalArgumentException("service " + id + " has two zones for location " + zone.location() +
                    ", country " + zone.country() + ", prefix '" + zone.postalPrefix() + "'");
            }
        }
    }
}
