package io.truestock.gateway.http;

import io.truestock.engine.Ids;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.delivery.DeliveryPlanner;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import io.truestock.gateway.rules.Limits;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the bodies of {@code PUT /v1/locations/{id}}, {@code PUT /v1/skus/{sku}/prices} and
 * {@code PUT /v1/carriers/{id}} (and the same objects in the config file) into engine specs, answering every mistake
 * with a problem that names the offending field.
 */
public final class CatalogRequests
{
    private static final Set<String> PRICES_FIELDS = Set.of("base", "channels", "sales");
    private static final Set<String> MONEY_FIELDS = Set.of("amount", "currency");
    private static final Set<String> SALE_FIELDS = Set.of("amount", "currency", "start", "end", "channels");
    private static final Set<String> CARRIER_FIELDS = Set.of("name", "services");
    private static final Set<String> SERVICE_FIELDS = Set.of("id", "name", "working_days", "zones");
    private static final Set<String> ZONE_FIELDS =
        Set.of("location", "country", "postal_prefix", "min_transit_days", "max_transit_days");
    private static final Set<String> LOCATION_FIELDS = Set.of("name", "timezone", "country", "postal_code", "priority",
        "cutoff", "handling_days", "working_days", "holidays");
    private static final Instant FIRST_INSTANT = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant AFTER_LAST_INSTANT = Instant.parse("+10000-01-01T00:00:00Z");

    private CatalogRequests()
    {
    }

    /**
     * Parses a {@code PUT /v1/locations/{id}} body (or the same object in the config file).
     *
     * @param maxText       the longest name.
     * @param maxPostalCode the longest postal code.
     */
    public static LocationSpec location(final JsonBody request, final int maxText, final int maxPostalCode)
    {
        final JsonBody body = request.only(LOCATION_FIELDS);
        final String name = body.string("name", maxText);
        final String timezone = body.optionalString("timezone", 64);
        if (timezone != null)
        {
            try
            {
                ZoneId.of(timezone);
            }
            catch (final DateTimeException ex)
            {
                throw ApiException.invalid("unknown timezone '" + timezone + "'", body.path("timezone"));
            }
        }
        final String country = body.optionalString("country", 2);
        if (country != null && !Limits.isCountry(country))
        {
            throw ApiException.invalid("country must be an ISO 3166-1 alpha-2 code", body.path("country"));
        }
        final String postal = body.optionalString("postal_code", maxPostalCode);
        final int priority = (int)body.optionalInteger("priority", 0, 1_000_000, 100);
        final String cutoffText = body.optionalString("cutoff", 5);
        int cutoff = 23 * 60 + 59;
        if (cutoffText != null)
        {
            if (!cutoffText.matches("([01][0-9]|2[0-3]):[0-5][0-9]"))
            {
                throw ApiException.invalid("cutoff must be HH:MM (24-hour)", body.path("cutoff"));
            }
            cutoff = Integer.parseInt(cutoffText.substring(0, 2)) * 60 + Integer.parseInt(cutoffText.substring(3));
        }
        final int handling = (int)body.optionalInteger("handling_days", 0, DeliveryPlanner.MAX_HANDLING_DAYS, 0);
        final int mask = workingDays(body);
        final String[] holidayTexts = body.strings("holidays", LocationSpec.MAX_HOLIDAYS, 10);
        final int[] holidays = new int[holidayTexts == null ? 0 : holidayTexts.length];
        for (int i = 0; i < holidays.length; i++)
        {
            try
            {
                holidays[i] = (int)LocalDate.parse(holidayTexts[i]).toEpochDay();
            }
            catch (final DateTimeParseException ex)
            {
                throw ApiException.invalid("holidays must be YYYY-MM-DD dates", body.path("holidays") + '[' + i + ']');
            }
        }
        return new LocationSpec(name, timezone == null ? "UTC" : timezone,
            country == null ? "" : country, postal == null ? "" : postal, priority, cutoff, handling, mask, holidays);
    }

    public static Price price(final JsonBody money)
    {
        money.only(MONEY_FIELDS);
        return money(money);
    }

    /** Reads amount and currency from an object that may carry other fields too (a sale). */
    private static Price money(final JsonBody money)
    {
        final long amount = money.integer("amount", 0, Price.MAX_AMOUNT_MINOR);
        final String currency = money.string("currency", 3);
        if (!Price.isCurrencyCode(currency))
        {
            throw ApiException.invalid("currency must be an ISO 4217 code (three upper-case letters)",
                money.path("currency"));
        }
        return new Price(amount, currency);
    }

    public static PriceSpec prices(final JsonBody body)
    {
        body.only(PRICES_FIELDS);
        final JsonBody baseBody = body.object("base");
        if (baseBody == null)
        {
            throw ApiException.invalid("'base' is required", body.path("base"));
        }
        final Price base = price(baseBody);
        final Map<String, Price> channels = new LinkedHashMap<>();
        final JsonBody channelBody = body.object("channels");
        if (channelBody != null)
        {
            for (final String channel : channelBody.fieldNames(PriceSpec.MAX_CHANNEL_PRICES))
            {
                if (!Ids.isValid(channel))
                {
                    throw ApiException.invalid("channel ids must match [A-Za-z0-9._:-]{1,64}", channelBody.path(channel));
                }
                final JsonBody money = channelBody.object(channel);
                if (money == null)
                {
                    throw ApiException.invalid("'" + channel + "' must be an object with amount and currency",
                        channelBody.path(channel));
                }
                final Price price = price(money);
                requireCurrency(base, price, channelBody.path(channel));
                channels.put(channel, price);
            }
        }
        final List<SaleSpec> sales = new ArrayList<>();
        final JsonBody[] saleBodies = body.objects("sales", PriceSpec.MAX_SALES);
        if (saleBodies != null)
        {
            for (final JsonBody sale : saleBodies)
            {
                sale.only(SALE_FIELDS);
                final Price price = money(sale);
                requireCurrency(base, price, sale.path("currency"));
                final long start = instant(sale, "start");
                final long end = instant(sale, "end");
                if (end <= start)
                {
                    throw ApiException.invalid("a sale must end after it starts", sale.path("end"));
                }
                final String[] saleChannels = sale.strings("channels", PriceSpec.MAX_CHANNEL_PRICES, Ids.MAX_LENGTH);
                final List<String> list = new ArrayList<>();
                if (saleChannels != null)
                {
                    for (int i = 0; i < saleChannels.length; i++)
                    {
                        if (!Ids.isValid(saleChannels[i]))
                        {
                            throw ApiException.invalid("channel ids must match [A-Za-z0-9._:-]{1,64}",
                                sale.path("channels") + '[' + i + ']');
                        }
                        list.add(saleChannels[i]);
                    }
                }
                sales.add(new SaleSpec(price, start, end, list));
            }
        }
        return new PriceSpec(base, channels, sales);
    }

    public static CarrierSpec carrier(final JsonBody body)
    {
        body.only(CARRIER_FIELDS);
        final String name = body.string("name", ServiceSpec.MAX_NAME_LENGTH);
        final JsonBody[] serviceBodies = body.objects("services", CarrierSpec.MAX_SERVICES);
        final List<ServiceSpec> services = new ArrayList<>();
        final Set<String> ids = new java.util.HashSet<>();
        if (serviceBodies != null)
        {
            for (final JsonBody service : serviceBodies)
            {
                service.only(SERVICE_FIELDS);
                final String id = service.id("id");
                if (!ids.add(id))
                {
                    throw ApiException.invalid("two services have the id '" + id + "'", service.path("id"));
                }
                final String serviceName = service.optionalString("name", ServiceSpec.MAX_NAME_LENGTH);
                final int mask = workingDays(service);
                final JsonBody[] zoneBodies = service.objects("zones", ServiceSpec.MAX_ZONES);
                final List<ZoneSpec> zones = new ArrayList<>();
                final Set<String> zoneKeys = new java.util.HashSet<>();
                if (zoneBodies != null)
                {
                    for (final JsonBody zone : zoneBodies)
                    {
                        final ZoneSpec spec = zone(zone);
                        if (!zoneKeys.add(spec.location() + "|" + spec.country() + "|" + spec.postalPrefix()))
                        {
                            throw ApiException.invalid("two zones of service '" + id + "' have the same location, " +
                                "country and postal prefix", zone.path("postal_prefix"));
                        }
                        zones.add(spec);
                    }
                }
                services.add(new ServiceSpec(id, serviceName == null ? id : serviceName, mask, zones));
            }
        }
        return new CarrierSpec(name, services);
    }

    private static ZoneSpec zone(final JsonBody zone)
    {
        zone.only(ZONE_FIELDS);
        final String location = zone.has("location") ? zone.id("location") : null;
        final String country = zone.string("country", 2);
        if (!country.matches("[A-Z]{2}"))
        {
            throw ApiException.invalid("country must be an ISO 3166-1 alpha-2 code", zone.path("country"));
        }
        final String prefix = zone.optionalString("postal_prefix", ZoneSpec.MAX_PREFIX_LENGTH);
        if (prefix != null && !prefix.matches("[A-Za-z0-9]*"))
        {
            throw ApiException.invalid("postal_prefix must be letters and digits", zone.path("postal_prefix"));
        }
        final int min = (int)zone.integer("min_transit_days", 0, ZoneSpec.MAX_TRANSIT_DAYS);
        final int max = (int)zone.integer("max_transit_days", min, ZoneSpec.MAX_TRANSIT_DAYS);
        return new ZoneSpec(location, country, prefix == null ? "" : prefix, min, max);
    }

    private static int workingDays(final JsonBody body)
    {
        final String[] days = body.strings("working_days", 7, 3);
        if (days == null)
        {
            return LocationSpec.MON_TO_FRI;
        }
        int mask = 0;
        for (int i = 0; i < days.length; i++)
        {
            final int bit = dayBit(days[i]);
            if (bit < 0)
            {
                throw ApiException.invalid("working_days must be MON..SUN", body.path("working_days") + '[' + i + ']');
            }
            mask |= bit;
        }
        if (mask == 0)
        {
            throw ApiException.invalid("working_days needs at least one day", body.path("working_days"));
        }
        return mask;
    }

    private static int dayBit(final String day)
    {
        for (final DayOfWeek value : DayOfWeek.values())
        {
            if (value.name().substring(0, 3).equals(day))
            {
                return 1 << (value.getValue() - 1);
            }
        }
        return -1;
    }

    private static void requireCurrency(final Price base, final Price other, final String path)
    {
        if (!base.currency().equals(other.currency()))
        {
            throw ApiException.invalid("every price of a SKU must be in the base currency " + base.currency(), path);
        }
    }

    private static long instant(final JsonBody body, final String field)
    {
        final String text = body.string(field, 40);
        final Instant instant;
        try
        {
            instant = Instant.parse(text);
        }
        catch (final DateTimeParseException ex)
        {
            throw ApiException.invalid("'" + field + "' must be an RFC 3339 instant such as 2026-11-27T08:00:00Z",
                body.path(field));
        }
        // RFC 3339 has four-digit years; java.time also parses "+1000000000-..." (whose epoch millis overflow)
        // and "+10000-...", which the API could not write back as RFC 3339.
        if (instant.isBefore(FIRST_INSTANT) || !instant.isBefore(AFTER_LAST_INSTANT))
        {
            throw ApiException.invalid("'" + field + "' must be an instant of the years 0000 to 9999",
                body.path(field));
        }
        return instant.toEpochMilli();
    }
}
