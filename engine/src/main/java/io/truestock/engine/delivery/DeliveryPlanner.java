package io.truestock.engine.delivery;

import io.truestock.engine.Ids;
import io.truestock.engine.LocationSpec;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Delivery promises: when a parcel ordered now reaches a destination, as exact instants.
 *
 * <h2>Semantics</h2>
 * For an order placed at instant {@code t}, shipping from location {@code L} to (country, postal code):
 * <ol>
 *   <li><b>Local days.</b> Every day below is a local date in {@code L}'s timezone. A day is a <em>working day of
 *   L</em> when its weekday is in {@code L}'s working-day mask (bit 0 = Monday ... bit 6 = Sunday) and it is not one
 *   of {@code L}'s holidays.</li>
 *   <li><b>Cutoff.</b> The cutoff of a day is the instant of local time {@code cutoffMinute} on it. An order placed
 *   <em>strictly before</em> the cutoff of a working day can be handled that day; an order placed at or after it
 *   cannot (cutoff 14:00: 13:59:59.999 ships today, 14:00:00.000 rolls to the next working day). A cutoff that falls
 *   in a DST gap moves later by the length of the gap (02:30 on a spring-forward day is 03:30); in a DST overlap the
 *   earlier of the two instants counts. (A cutoff is always kept inside its own day.)</li>
 *   <li><b>Ready day.</b> The first working day of L, starting with the local day of {@code t}, whose cutoff is after
 *   {@code t}. {@code order_by} is the cutoff of the ready day: every order placed in {@code [t, order_by)} gets the
 *   same promise, and one placed at {@code order_by} gets a later ready day.</li>
 *   <li><b>Ship day.</b> The ready day advanced by {@code handlingDays} working days of L (0: the ready day).</li>
 *   <li><b>Zone.</b> For every carrier service, among its zones whose location is {@code L}'s id or absent and whose
 *   country is the destination's, the one with the longest postal prefix that starts the destination postal code
 *   (compared on letters and digits only, ignoring case, spaces and {@code -./}); at equal length a zone naming
 *   {@code L} beats a zone for every location. A service without such a zone does not compete.</li>
 *   <li><b>Arrival.</b> With the zone's transit days {@code n}, the arrival day is the {@code n}-th working day of the
 *   carrier service after the ship day; for {@code n = 0} the first service working day on or after the ship day
 *   (so a parcel always arrives on a day the carrier works). A service has a weekly working-day mask and no
 *   holidays; its days are counted on L's local calendar. {@code min_transit_days} gives the earliest arrival day,
 *   {@code max_transit_days} the latest.</li>
 *   <li><b>Instants.</b> {@code earliest} is the first instant of the earliest arrival day (local 00:00; where a DST
 *   gap starts at midnight, the end of the gap) and {@code latest} is one millisecond before the first instant of the
 *   day after the latest arrival day (local 23:59:59.999), both in L's timezone, as UTC epoch milliseconds.</li>
 *   <li><b>Choice.</b> Among all competing services of all carriers the one with the earliest {@code latest} wins;
 *   ties go to the earliest {@code earliest}, then the smallest carrier id, then the smallest service id
 *   (lexicographic), so the answer is unique.</li>
 * </ol>
 * No promise ({@code false}, with a {@link PromiseReason}) when the location is unknown, has no working weekday, no
 * carrier zone applies to it at all, the destination country is invalid, no zone matches the destination, or the
 * instant is outside {@link #MIN_INSTANT_MILLIS}..{@link #MAX_INSTANT_MILLIS}.
 *
 * <h2>Determinism and cost</h2>
 * An answer is a pure function of the configuration and the instant (plus the JVM's timezone rules), which is what
 * lets the engine compute it in the single writer and get the same result on replay. Each location keeps a calendar
 * table over a window of local days ({@code windowStartEpochDay}, {@code windowDays} at construction, movable with
 * {@link #moveWindow}): day starts, cutoffs and a working-day rank, so a query inside the window is a binary search
 * and array reads, allocation-free. A query that needs a day outside the window computes it with java.time instead
 * (it allocates, and gives the same answer); the window only changes speed, never results.
 *
 * <h2>Threads</h2>
 * One writer thread configures ({@link #defineLocation}, {@link #defineCarrier}, {@link #removeCarrier},
 * {@link #moveWindow}); each change builds a new immutable model and publishes it through a volatile field. Any
 * number of threads call {@link #promise} concurrently: each reads the model once, so it answers from exactly one
 * configuration, never a mix, and never blocks the writer.
 */
public final class DeliveryPlanner
{
    /** Handling days beyond this are rejected at definition. */
    public static final int MAX_HANDLING_DAYS = 30;
    /** At most this many carriers; {@link #defineCarrier} refuses a new one beyond it. */
    public static final int MAX_CARRIERS = 256;
    public static final int MAX_WINDOW_DAYS = 4 * 366;
    /** 1900-01-01T00:00:00Z: earlier instants get {@link PromiseReason#INVALID_INSTANT}. */
    public static final long MIN_INSTANT_MILLIS = -2_208_988_800_000L;
    /** 9000-01-01T00:00:00Z: this and later instants get {@link PromiseReason#INVALID_INSTANT}. */
    public static final long MAX_INSTANT_MILLIS = 221_845_392_000_000L;

    private static final int COUNTRIES = 26 * 26;

    private static final class Model
    {
        final LocationCalendar[] calendars;
        final CountryRoutes[][] routes;

        Model(final LocationCalendar[] calendars, final CountryRoutes[][] routes)
        {
            this.calendars = calendars;
            this.routes = routes;
        }
    }

    private final int maxLocations;
    private int windowStartEpochDay;
    private final int windowDays;
    private final String[] locationIds;
    private final LocationSpec[] locationSpecs;
    private final LocationCalendar[] calendars;
    private final CountryRoutes[][] routes;
    private final TreeMap<String, CarrierSpec> carriers = new TreeMap<>();
    private List<ServiceRoute> services = List.of();
    private List<ServiceSpec> serviceSpecs = List.of();
    private volatile Model model;

    /**
     * @param maxLocations        location indexes are {@code 0 .. maxLocations - 1} (1 to 1024).
     * @param windowStartEpochDay first local date of the fast calendar window, e.g. today minus 30 days.
     * @param windowDays          length of the window, 0 to {@value #MAX_WINDOW_DAYS} (0: always the java.time path).
     */
    public DeliveryPlanner(final int maxLocations, final int windowStartEpochDay, final int windowDays)
    {
        if (maxLocations < 1 || maxLocations > 1024)
        {
            throw new IllegalArgumentException("maxLocations must be 1..1024: " + maxLocations);
        }
        if (windowDays < 0 || windowDays > MAX_WINDOW_DAYS)
        {
            throw new IllegalArgumentException("windowDays must be 0.." + MAX_WINDOW_DAYS + ": " + windowDays);
        }
        checkWindowStart(windowStartEpochDay);
        this.maxLocations = maxLocations;
        this.windowStartEpochDay = windowStartEpochDay;
        this.windowDays = windowDays;
        this.locationIds = new String[maxLocations];
        this.locationSpecs = new LocationSpec[maxLocations];
        this.calendars = new LocationCalendar[maxLocations];
        this.routes = new CountryRoutes[maxLocations][];
        publish();
    }

    private static void checkWindowStart(final int epochDay)
    {
        // Keeps every table day within LocalDate's range with room for the longest search.
        if (Math.abs(epochDay) > 3_000_000)
        {
            throw new IllegalArgumentException("window start epoch day out of range: " + epochDay);
        }
    }

    /**
     * Why {@code spec} cannot be a delivery location, or {@code null} when it can. A mask of 0 is accepted (the
     * location then never promises, {@link PromiseReason#NO_WORKING_DAYS}).
     */
    public static String problemWith(final LocationSpec spec)
    {
        if (spec == null)
        {
            return "location spec is missing";
        }
        try
        {
            ZoneId.of(spec.timezone());
        }
        catch (final DateTimeException ex)
        {
            return "unknown timezone: " + spec.timezone();
        }
        if (spec.cutoffMinute() < 0 || spec.cutoffMinute() >= 24 * 60)
        {
            return "cutoff minute must be 0..1439: " + spec.cutoffMinute();
        }
        if (spec.handlingDays() < 0 || spec.handlingDays() > MAX_HANDLING_DAYS)
        {
            return "handling days must be 0.." + MAX_HANDLING_DAYS + ": " + spec.handlingDays();
        }
        if (spec.workingDaysMask() < 0 || spec.workingDaysMask() > 0x7F)
        {
            return "working-day mask must be 0..127: " + spec.workingDaysMask();
        }
        if (spec.holidays().length > LocationSpec.MAX_HOLIDAYS)
        {
            return "more than " + LocationSpec.MAX_HOLIDAYS + " holidays";
        }
        return null;
    }

    /**
     * Writer thread: defines or replaces the location at {@code locationIndex}.
     *
     * @throws IllegalArgumentException when the index, id or spec is invalid ({@link #problemWith}).
     */
    public synchronized void defineLocation(final int locationIndex, final String locationId, final LocationSpec spec)
    {
        if (locationIndex < 0 || locationIndex >= maxLocations)
        {
            throw new IllegalArgumentException("location index must be 0.." + (maxLocations - 1) + ": " + locationIndex);
        }
        if (!Ids.isValid(locationId))
        {
            throw new IllegalArgumentException("location id is not a valid id: " + locationId);
        }
        final String problem = problemWith(spec);
        if (problem != null)
        {
            throw new IllegalArgumentException("location " + locationId + ": " + problem);
        }
        locationIds[locationIndex] = locationId;
        locationSpecs[locationIndex] = spec;
        calendars[locationIndex] = new LocationCalendar(
            spec, ZoneId.of(spec.timezone()), windowStartEpochDay, windowDays);
        routes[locationIndex] = buildRoutes(locationId);
        publish();
    }

    /**
     * Writer thread: defines or replaces a carrier.
     *
     * @return false (and nothing changes) when {@code carrierId} is new and {@value #MAX_CARRIERS} carriers exist.
     * @throws IllegalArgumentException when the id is not a valid id.
     */
    public synchronized boolean defineCarrier(final String carrierId, final CarrierSpec spec)
    {
        if (!Ids.isValid(carrierId))
        {
            throw new IllegalArgumentException("carrier id is not a valid id: " + carrierId);
        }
        Objects.requireNonNull(spec, "spec");
        if (!carriers.containsKey(carrierId) && carriers.size() >= MAX_CARRIERS)
        {
            return false;
        }
        carriers.put(carrierId, spec);
        rebuildAllRoutes();
        return true;
    }

    /** Writer thread: removes a carrier. @return false when there was none with that id. */
    public synchronized boolean removeCarrier(final String carrierId)
    {
        if (carriers.remove(carrierId) == null)
        {
            return false;
        }
        rebuildAllRoutes();
        return true;
    }

    /** Writer thread: moves the fast window (rebuilds every calendar). Answers do not change, only their cost. */
    public synchronized void moveWindow(final int newWindowStartEpochDay)
    {
        checkWindowStart(newWindowStartEpochDay);
        windowStartEpochDay = newWindowStartEpochDay;
        for (int i = 0; i < maxLocations; i++)
        {
            if (locationSpecs[i] != null)
            {
                calendars[i] = new LocationCalendar(
                    locationSpecs[i], calendars[i].zone, windowStartEpochDay, windowDays);
            }
        }
        publish();
    }

    public synchronized int carrierCount()
    {
        return carriers.size();
    }

    private void rebuildAllRoutes()
    {
        final List<ServiceRoute> newServices = new ArrayList<>();
        final List<ServiceSpec> newSpecs = new ArrayList<>();
        for (final Map.Entry<String, CarrierSpec> carrier : carriers.entrySet())
        {
            final List<ServiceSpec> byId = new ArrayList<>(carrier.getValue().services());
            byId.sort((a, b) -> a.id().compareTo(b.id()));
            for (final ServiceSpec service : byId)
            {
                newServices.add(new ServiceRoute(carrier.getKey(), service));
                newSpecs.add(service);
            }
        }
        services = newServices;
        serviceSpecs = newSpecs;
        for (int i = 0; i < maxLocations; i++)
        {
            if (locationIds[i] != null)
            {
                routes[i] = buildRoutes(locationIds[i]);
            }
        }
        publish();
    }

    /** @return per country key, the routes from this location; all null when no zone applies to it. */
    private CountryRoutes[] buildRoutes(final String locationId)
    {
        final Map<Integer, List<CountryRoutes.Candidate>> byCountry = new HashMap<>();
        for (int s = 0; s < services.size(); s++)
        {
            for (final ZoneSpec zone : serviceSpecs.get(s).zones())
            {
                if (zone.location() == null || zone.location().equals(locationId))
                {
                    byCountry.computeIfAbsent(countryKey(zone.country()), k -> new ArrayList<>())
                        .add(new CountryRoutes.Candidate(s, services.get(s), zone));
                }
            }
        }
        final CountryRoutes[] result = new CountryRoutes[COUNTRIES];
        for (final Map.Entry<Integer, List<CountryRoutes.Candidate>> e : byCountry.entrySet())
        {
            result[e.getKey()] = new CountryRoutes(e.getValue(), services.size());
        }
        return byCountry.isEmpty() ? null : result;
    }

    private void publish()
    {
        model = new Model(calendars.clone(), routes.clone());
    }

    private static int countryKey(final CharSequence country)
    {
        if (country == null || country.length() != 2)
        {
            return -1;
        }
        final int a = letter(country.charAt(0));
        final int b = letter(country.charAt(1));
        return a < 0 || b < 0 ? -1 : a * 26 + b;
    }

    private static int letter(final char c)
    {
        if (c >= 'A' && c <= 'Z')
        {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z')
        {
            return c - 'a';
        }
        return -1;
    }

    /**
     * Any thread: the promise for an order placed at {@code atEpochMillis} shipping from {@code locationIndex} to
     * ({@code country}, {@code postalCode}); see the class documentation. Allocation-free when every day it needs is
     * inside the calendar window.
     *
     * @param country    ISO 3166-1 alpha-2, either case.
     * @param postalCode destination postal code, or {@code null}/empty (then only zones with an empty prefix match).
     * @param into       receives the answer, or the reason when there is none.
     * @return true when a promise was written into {@code into}.
     */
    public boolean promise(
        final int locationIndex,
        final CharSequence country,
        final CharSequence postalCode,
        final long atEpochMillis,
        final DeliveryPromise into)
    {
        return promise(locationIndex, country, postalCode, atEpochMillis, null, null, into);
    }

    /**
     * Any thread: as {@link #promise(int, CharSequence, CharSequence, long, DeliveryPromise)}, with only one carrier
     * service competing when {@code carrierId} is given: the promise that service alone makes, or none
     * ({@link PromiseReason#NO_ZONE}) when it has no zone for this location and destination.
     *
     * @param carrierId the one carrier whose service competes, or {@code null} for every service.
     * @param serviceId the service of that carrier; ignored when {@code carrierId} is {@code null}.
     */
    public boolean promise(
        final int locationIndex,
        final CharSequence country,
        final CharSequence postalCode,
        final long atEpochMillis,
        final String carrierId,
        final String serviceId,
        final DeliveryPromise into)
    {
        final Model m = model;
        if (locationIndex < 0 || locationIndex >= m.calendars.length || m.calendars[locationIndex] == null)
        {
            into.fail(locationIndex, PromiseReason.UNKNOWN_LOCATION);
            return false;
        }
        final LocationCalendar calendar = m.calendars[locationIndex];
        if (calendar.workingDaysMask == 0)
        {
            into.fail(locationIndex, PromiseReason.NO_WORKING_DAYS);
            return false;
        }
        final CountryRoutes[] locationRoutes = m.routes[locationIndex];
        if (locationRoutes == null)
        {
            into.fail(locationIndex, PromiseReason.NO_CARRIER);
            return false;
        }
        if (atEpochMillis < MIN_INSTANT_MILLIS || atEpochMillis >= MAX_INSTANT_MILLIS)
        {
            into.fail(locationIndex, PromiseReason.INVALID_INSTANT);
            return false;
        }
        final int key = countryKey(country);
        if (key < 0)
        {
            into.fail(locationIndex, PromiseReason.INVALID_DESTINATION);
            return false;
        }
        final CountryRoutes countryRoutes = locationRoutes[key];
        if (countryRoutes == null)
        {
            into.fail(locationIndex, PromiseReason.NO_ZONE);
            return false;
        }
        final int node = countryRoutes.deepestNode(postalCode);
        final int start = countryRoutes.entryStart(node);
        final int end = countryRoutes.entryEnd(node);
        if (start == end)
        {
            into.fail(locationIndex, PromiseReason.NO_ZONE);
            return false;
        }

        final int today = calendar.localDay(atEpochMillis);
        final int readyDay;
        if (calendar.isWorking(today) && atEpochMillis < calendar.cutoffMillis(today))
        {
            readyDay = today;
        }
        else
        {
            readyDay = (int)calendar.firstWorkingOnOrAfter(today + 1);
        }
        final int shipDay = (int)calendar.advanceWorking(readyDay, calendar.handlingDays);
        final int shipDayOfWeek = LocationCalendar.dayOfWeekIndex(shipDay);

        int best = -1;
        long bestEarliest = Long.MAX_VALUE;
        long bestLatest = Long.MAX_VALUE;
        int bestEarliestDay = 0;
        int bestLatestDay = 0;
        for (int e = start; e < end; e++)
        {
            final ServiceRoute service = countryRoutes.service(e);
            if (carrierId != null && !(carrierId.equals(service.carrierId) && service.serviceId.equals(serviceId)))
            {
                continue;
            }
            final int earliestDay = shipDay + service.arrivalOffsetDays(shipDayOfWeek, countryRoutes.minTransitDays(e));
            final int latestDay = shipDay + service.arrivalOffsetDays(shipDayOfWeek, countryRoutes.maxTransitDays(e));
            final long latest = calendar.dayStartMillis(latestDay + 1) - 1;
            final long earliest = calendar.dayStartMillis(earliestDay);
            // Entries are in (carrier id, service id) order, so a strict comparison keeps the first of equals.
            if (latest < bestLatest || (latest == bestLatest && earliest < bestEarliest))
            {
                best = e;
                bestLatest = latest;
                bestEarliest = earliest;
                bestEarliestDay = earliestDay;
                bestLatestDay = latestDay;
            }
        }
        if (best < 0)
        {
            into.fail(locationIndex, PromiseReason.NO_ZONE);
            return false;
        }
        final ServiceRoute winner = countryRoutes.service(best);
        into.set(
            locationIndex,
            winner.carrierId,
            winner.serviceId,
            bestEarliest,
            bestLatest,
            calendar.cutoffMillis(readyDay),
            readyDay,
            shipDay,
            bestEarliestDay,
            bestLatestDay);
        return true;
    }

    /** Allocates; for logs. */
    @Override
    public String toString()
    {
        return "DeliveryPlanner{carriers=" + carrierCount() + ", window=" +
            java.time.LocalDate.ofEpochDay(windowStartEpochDay) + "+" + windowDays + "d}";
    }
}
