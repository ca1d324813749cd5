package io.truestock.engine.delivery;

import io.truestock.engine.Ids;

import java.util.Objects;

/**
 * One destination zone of a carrier service: where it applies and how many carrier working days it takes.
 *
 * @param location       id of the shipping location this zone applies to, or {@code null} for every location.
 *                       A zone naming a location beats a zone without one that has the same postal prefix.
 * @param country        ISO 3166-1 alpha-2 destination country: exactly two letters {@code A-Z}.
 * @param postalPrefix   destination postal-code prefix, 0 to {@value #MAX_PREFIX_LENGTH} characters of
 *                       {@code [A-Za-z0-9]}, stored upper case; empty matches every postal code of the country.
 *                       The longest matching prefix wins.
 * @param minTransitDays carrier working days from the ship day to the earliest arrival day, 0 to
 *                       {@value #MAX_TRANSIT_DAYS}.
 * @param maxTransitDays carrier working days from the ship day to the latest arrival day, {@code minTransitDays} to
 *                       {@value #MAX_TRANSIT_DAYS}.
 */
public record ZoneSpec(String location, String country, String postalPrefix, int minTransitDays, int maxTransitDays)
{
    public static final int MAX_PREFIX_LENGTH = 16;
    public static final int MAX_TRANSIT_DAYS = 60;

    /**
     * @throws IllegalArgumentException when a field is out of its documented range.
     */
    public ZoneSpec
    {
        if (location != null && !Ids.isValid(location))
        {
            throw new IllegalArgumentException("zone location is not a valid id: " + location);
        }
        Objects.requireNonNull(country, "country");
        Objects.requireNonNull(postalPrefix, "postalPrefix");
        if (country.length() != 2 || !isUpperLetter(country.charAt(0)) || !isUpperLetter(country.charAt(1)))
        {
            throw new IllegalArgumentException("zone country must be two letters A-Z: " + country);
        }
        if (postalPrefix.length() > MAX_PREFIX_LENGTH)
        {
            throw new IllegalArgumentException("zone postal prefix longer than " + MAX_PREFIX_LENGTH + ": " + postalPrefix);
        }
        for (int i = 0; i < postalPrefix.length(); i++)
        {
            if (PostalChars.code(postalPrefix.charAt(i)) < 0)
            {
                throw new IllegalArgumentException("zone postal prefix must be letters and digits: " + postalPrefix);
            }
        }
        postalPrefix = postalPrefix.toUpperCase(java.util.Locale.ROOT);
        if (minTransitDays < 0 || minTransitDays > maxTransitDays || maxTransitDays > MAX_TRANSIT_DAYS)
        {
            throw new IllegalArgumentException("zone transit days must satisfy 0 <= min <= max <= " + MAX_TRANSIT_DAYS +
                ": " + minTransitDays + ".." + maxTransitDays);
        }
    }

    private static boolean isUpperLetter(final char c)
    {
        return c >= 'A' && c <= 'Z';
    }
}
