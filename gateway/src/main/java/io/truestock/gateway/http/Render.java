package io.truestock.gateway.http;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.routing.RoutePlan;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.truestock.engine.ChannelSpec;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Engine;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.OrderStatus;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.StockView;
import io.truestock.gateway.offer.Offer;
import io.truestock.gateway.offer.StockLevel;
import org.agrona.concurrent.EpochClock;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Turns engine state and outcomes into the JSON shapes of API.md.
 */
public final class Render
{
    /** Status names as API.md spells them, by ordinal: rendered once, not per answer. */
    private static final String[] RESERVATION_STATUS = lowerCaseNames(ReservationStatus.values());
    private static final String[] ORDER_STATUS = lowerCaseNames(OrderStatus.values());

    private final Engine engine;
    private final EpochClock clock;
    private volatile ChannelDetail channelDetail;

    /** Adds fields to a channel's entry in {@code GET /v1/skus/{sku}} (the channel sync ledger). */
    @FunctionalInterface
    public interface ChannelDetail
    {
        void write(JsonOut out, int skuIndex, int channelIndex);
    }

    /** @param clock the instant prices are read at (a {@link io.truestock.gateway.rules.ReadClock}). */
    public Render(final Engine engine, final EpochClock clock)
    {
        this.engine = engine;
        this.clock = clock;
    }

    public void channelDetail(final ChannelDetail value)
    {
        channelDetail = value;
    }

    public static String reservationId(final long id)
    {
        return "r-" + id;
    }

    /** @return the engine id, or -1 when the text is not a reservation id. */
    public static long parseReservationId(final String text)
    {
        if (text == null || !text.startsWith("r-") || text.length() > 21 || text.length() < 3)
        {
            return -1;
        }
        long id = 0;
        for (int i = 2; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            id = id * 10 + (c - '0');
            if (id < 0)
            {
                return -1;
            }
        }
        return id;
    }

    public void stockRecord(final JsonOut out, final String sku, final String location, final Outcome outcome)
    {
        out.startObject()
            .field("sku", sku)
            .field("location", location)
            .field("on_hand", outcome.onHand())
            .field("reserved", outcome.reserved())
            .field("committed", outcome.committed())
            .field("safety", outcome.safety())
            .field("available", outcome.available())
            .field("version", outcome.version())
            .endObject();
    }

    public void location(final JsonOut out, final String id, final LocationSpec spec)
    {
        out.startObject()
            .field("id", id)
            .field("name", spec.name())
            .field("timezone", spec.timezone())
            .field("country", spec.country().isEmpty() ? null : spec.country())
            .field("postal_code", spec.postalCode().isEmpty() ? null : spec.postalCode())
            .field("priority", spec.priority())
            .field("cutoff", String.format(Locale.ROOT, "%02d:%02d", spec.cutoffMinute() / 60, spec.cutoffMinute() % 60))
            .field("handling_days", spec.handlingDays());
        out.startArray("working_days");
        for (final DayOfWeek day : DayOfWeek.values())
        {
            if ((spec.workingDaysMask() & (1 << (day.getValue() - 1))) != 0)
            {
                out.value(day.name().substring(0, 3));
            }
        }
        out.endArray();
        out.startArray("holidays");
        for (final int day : spec.holidays())
        {
            out.value(LocalDate.ofEpochDay(day).toString());
        }
        out.endArray();
        out.endObject();
    }

    public void channel(final JsonOut out, final String id, final ChannelSpec spec, final int channelIndex)
    {
        out.startObject().field("id", id).field("name", spec.name());
        out.startArray("locations");
        for (final int location : engine.channelLocations(channelIndex))
        {
            out.value(engine.locationId(location));
        }
        out.endArray();
        out.field("percent", spec.percent()).field("buffer", spec.buffer());
        if (spec.maxListed() == ChannelSpec.UNLIMITED)
        {
            out.nullField("max_listed");
        }
        else
        {
            out.field("max_listed", spec.maxListed());
        }
        out.field("low_stock_threshold", spec.lowStockThreshold());
        out.endObject();
    }

    /** GET /v1/skus/{sku}: the SKU, its quantities per location and its availability per channel. */
    public void sku(final JsonOut out, final int skuIndex, final long version)
    {
        final SkuSpec spec = engine.skuSpec(skuIndex);
        final long now = clock.time();
        out.startObject()
            .field("sku", engine.skuId(skuIndex))
            .field("title", spec.title())
            .money("price", spec.priceAmountMinor(), spec.currency());
        out.field("bundle", spec.isBundle());
        out.startArray("components");
        for (int i = 0; i < spec.componentCount(); i++)
        {
            out.startObject().field("sku", spec.componentSku(i)).field("qty", spec.componentQty(i)).endObject();
        }
        out.endArray();
        out.startArray("locations");
        if (!spec.isBundle())
        {
            final StockView view = new StockView();
            for (int l = 0; l < engine.locationCount(); l++)
            {
                engine.readStock(skuIndex, l, view);
                out.startObject()
                    .field("location", engine.locationId(l))
                    .field("on_hand", view.onHand())
                    .field("reserved", view.reserved())
                    .field("committed", view.committed())
                    .field("safety", view.safety())
                    .field("available", view.available())
                    .field("version", view.version())
                    .endObject();
            }
        }
        out.endArray();
        out.startArray("channels");
        final ChannelView channel = new ChannelView();
        for (int c = 0; c < engine.channelCount(); c++)
        {
            engine.readChannel(skuIndex, c, channel);
            out.startObject()
                .field("channel", engine.channelId(c))
                .field("available", channel.available())
                .field("status", StockLevel.of(channel.available(), engine.channelSpec(c).lowStockThreshold()).text());
            final Price price = engine.priceAt(skuIndex, c, now);
            out.money("price", price.amountMinor(), price.currency())
                .field("version", channel.version());
            final ChannelDetail detail = channelDetail;
            if (detail != null)
            {
                detail.write(out, skuIndex, c);
            }
            out.endObject();
        }
        out.endArray();
        out.field("version", version);
        out.endObject();
    }

    /** An offer, in the shape of {@code GET /v1/offers/{sku}}. */
    public void offer(final JsonOut out, final Offer offer)
    {
        out.startObject()
            .field("sku", offer.skuId())
            .field("channel", offer.channelId())
            .field("qty", offer.quantity())
            .field("available", offer.available())
            .field("status", offer.status().text())
            .money("price", offer.price().amountMinor(), offer.price().currency());
        if (offer.delivers())
        {
            final DeliveryPromise promise = offer.promise();
            out.startObject("delivery")
                .instantField("earliest", promise.earliestMillis())
                .instantField("latest", promise.latestMillis())
                .instantField("order_by", promise.orderByMillis())
                .field("location", offer.deliveryLocation())
                .field("carrier", promise.carrierId())
                .field("service", promise.serviceId())
                .startArray("shipments");
            final RoutePlan plan = offer.plan();
            for (int i = 0; i < plan.shipmentCount(); i++)
            {
                final DeliveryPromise shipment = plan.shipment(i);
                out.startObject()
                    .field("location", engine.locationId(plan.shipmentLocation(i)))
                    .field("carrier", shipment.carrierId())
                    .field("service", shipment.serviceId())
                    .instantField("earliest", shipment.earliestMillis())
                    .instantField("latest", shipment.latestMillis())
                    .instantField("order_by", shipment.orderByMillis())
                    .endObject();
            }
            out.endArray().endObject();
        }
        else
        {
            out.nullField("delivery");
            out.field("delivery_reason", offer.deliveryReason());
        }
        out.startObject("quote").field("id", offer.quoteId()).instantField("expires_at", offer.quoteExpiresAtMillis())
            .endObject()
            .field("version", offer.version())
            .endObject();
    }

    public void lines(final JsonOut out, final Outcome outcome)
    {
        out.startArray("lines");
        for (int i = 0; i < outcome.lineCount(); i++)
        {
            out.startObject().field("sku", engine.skuId(outcome.lineSku(i))).field("qty", outcome.lineQty(i)).endObject();
        }
        out.endArray();
    }

    public void reservation(final JsonOut out, final Outcome outcome)
    {
        out.startObject()
            .field("id", reservationId(outcome.reservationId()))
            .field("status", RESERVATION_STATUS[outcome.reservationStatus().ordinal()])
            .field("channel", engine.channelId(outcome.channel()));
        lines(out, outcome);
        out.instantField("expires_at", outcome.expiresAtMillis());
        if (outcome.reservationStatus() == ReservationStatus.CONFIRMED && outcome.orderId() != null)
        {
            out.field("order_id", outcome.orderId());
        }
        out.field("version", outcome.version());
        out.endObject();
    }

    private void shipmentDelivery(final JsonOut out, final Outcome outcome, final int location)
    {
        for (int s = 0; s < outcome.shipmentCount(); s++)
        {
            if (outcome.shipmentLocation(s) == location && outcome.shipmentHasPromise(s))
            {
                delivery(out, outcome.shipmentEarliestMillis(s), outcome.shipmentLatestMillis(s),
                    outcome.shipmentOrderByMillis(s), engine.locationId(location), outcome.shipmentCarrier(s),
                    outcome.shipmentService(s));
                return;
            }
        }
        out.nullField("delivery");
    }

    /** A SKU's price list, in the shape {@code PUT /v1/skus/{sku}/prices} takes. */
    public static void prices(final JsonOut out, final String sku, final PriceSpec spec, final long version)
    {
        out.startObject().field("sku", sku)
            .money("base", spec.base().amountMinor(), spec.base().currency());
        out.startObject("channels");
        spec.channels().forEach((channel, price) -> out.money(channel, price.amountMinor(), price.currency()));
        out.endObject();
        out.startArray("sales");
        for (final SaleSpec sale : spec.sales())
        {
            out.startObject()
                .field("amount", sale.price().amountMinor())
                .field("currency", sale.price().currency())
                .instantField("start", sale.startMillis())
                .instantField("end", sale.endMillis());
            out.startArray("channels");
            sale.channels().forEach(out::value);
            out.endArray().endObject();
        }
        out.endArray();
        out.field("version", version).endObject();
    }

    /** A carrier, in the shape {@code PUT /v1/carriers/{id}} takes. */
    public static void carrier(final JsonOut out, final String id, final CarrierSpec spec)
    {
        out.startObject().field("id", id).field("name", spec.name());
        out.startArray("services");
        for (final ServiceSpec service : spec.services())
        {
            out.startObject().field("id", service.id()).field("name", service.name());
            out.startArray("working_days");
            for (final DayOfWeek day : DayOfWeek.values())
            {
                if ((service.workingDaysMask() & (1 << (day.getValue() - 1))) != 0)
                {
                    out.value(day.name().substring(0, 3));
                }
            }
            out.endArray();
            out.startArray("zones");
            for (final ZoneSpec zone : service.zones())
            {
                out.startObject();
                if (zone.location() != null)
                {
                    out.field("location", zone.location());
                }
                out.field("country", zone.country())
                    .field("postal_prefix", zone.postalPrefix())
                    .field("min_transit_days", zone.minTransitDays())
                    .field("max_transit_days", zone.maxTransitDays())
                    .endObject();
            }
            out.endArray().endObject();
        }
        out.endArray().endObject();
    }

    /** A delivery promise: exact UTC instants, the location it ships from, the carrier and service. */
    public static void delivery(
        final JsonOut out, final long earliest, final long latest, final long orderBy, final String location,
        final String carrier, final String service)
    {
        out.startObject("delivery")
            .instantField("earliest", earliest)
            .instantField("latest", latest)
            .instantField("order_by", orderBy)
            .field("location", location)
            .field("carrier", carrier)
            .field("service", service)
            .endObject();
    }

    /**
     * An order: lines with the unit price charged (the quoted price where the confirmation cited a live quote, else
     * the effective price at confirmation), backordered lines, and shipments grouped by location, each with its
     * delivery promise to the order's destination (null without a destination or a carrier serving it).
     */
    public void order(final JsonOut out, final Outcome outcome)
    {
        out.startObject()
            .field("order_id", outcome.orderId())
            .field("channel", engine.channelId(outcome.channel()))
            .field("status", ORDER_STATUS[outcome.orderStatus().ordinal()]);
        if (outcome.reservationId() != 0)
        {
            out.field("reservation_id", reservationId(outcome.reservationId()));
        }
        out.startArray("lines");
        for (int i = 0; i < outcome.lineCount(); i++)
        {
            out.startObject()
                .field("sku", engine.skuId(outcome.lineSku(i)))
                .field("qty", outcome.lineQty(i));
            if (outcome.lineCurrency(i) != null)
            {
                out.money("price", outcome.linePriceMinor(i), outcome.lineCurrency(i));
            }
            else
            {
                out.nullField("price");
            }
            out.endObject();
        }
        out.endArray();
        out.startArray("backordered");
        for (int i = 0; i < outcome.lineCount(); i++)
        {
            if (outcome.lineBackordered(i) > 0)
            {
                out.startObject()
                    .field("sku", engine.skuId(outcome.lineSku(i)))
                    .field("qty", outcome.lineBackordered(i))
                    .endObject();
            }
        }
        out.endArray();
        out.startArray("shipments");
        final int allocations = outcome.allocationCount();
        for (int l = 0; l < engine.locationCount(); l++)
        {
            boolean started = false;
            for (int i = 0; i < allocations; i++)
            {
                if (outcome.allocationLocation(i) != l)
                {
                    continue;
                }
                if (!started)
                {
                    out.startObject().field("location", engine.locationId(l));
                    out.startArray("lines");
                    started = true;
                }
                out.startObject()
                    .field("sku", engine.skuId(outcome.allocationSku(i)))
                    .field("qty", outcome.allocationQty(i))
                    .endObject();
            }
            if (started)
            {
                out.endArray();
                shipmentDelivery(out, outcome, l);
                out.endObject();
            }
        }
        out.endArray();
        out.field("version", outcome.version());
        out.endObject();
    }

    /** The problem+json for a rejected command, with per-line availability for out-of-stock. */
    public FullHttpResponse rejection(final ByteBufAllocator allocator, final Outcome outcome, final String linesPath)
    {
        final RejectReason reason = outcome.reason();
        final HttpResponseStatus status = statusOf(reason);
        final String code = codeOf(reason);
        final String param = outcome.rejectedLine() >= 0 && linesPath != null ?
            linesPath + '[' + outcome.rejectedLine() + ']' : null;
        final JsonOut out = new JsonOut(allocator);
        out.startObject();
        Responses.problemFields(out, status, code, detailOf(reason), param);
        out.field("reason", reason.code());
        if (reason == RejectReason.OUT_OF_STOCK)
        {
            out.startArray("lines");
            for (int i = 0; i < outcome.lineCount(); i++)
            {
                out.startObject()
                    .field("sku", engine.skuId(outcome.lineSku(i)))
                    .field("requested", outcome.lineQty(i))
                    .field("available", outcome.lineAvailable(i))
                    .endObject();
            }
            out.endArray();
        }
        if (reason == RejectReason.EXPECTED_MISMATCH)
        {
            out.field("on_hand", outcome.onHand());
        }
        out.field("version", outcome.version());
        out.endObject();
        final FullHttpResponse response = Responses.json(status, out.finish());
        response.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, Responses.PROBLEM_JSON);
        if (status.code() == 503)
        {
            response.headers().setInt(io.netty.handler.codec.http.HttpHeaderNames.RETRY_AFTER,
                Responses.RETRY_AFTER_SECONDS);
        }
        return response;
    }

    public static HttpResponseStatus statusOf(final RejectReason reason)
    {
        return switch (reason.category())
        {
            case NONE -> HttpResponseStatus.OK;
            case INVALID -> HttpResponseStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case OUT_OF_STOCK, EXPECTED_MISMATCH, CONFLICT -> HttpResponseStatus.CONFLICT;
            case GONE -> HttpResponseStatus.GONE;
            case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            case IDEMPOTENCY_CONFLICT -> HttpResponseStatus.UNPROCESSABLE_ENTITY;
            case CAPACITY -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case QUOTE_EXPIRED -> HttpResponseStatus.CONFLICT;
        };
    }

    public static String codeOf(final RejectReason reason)
    {
        return switch (reason.category())
        {
            case NONE -> "ok";
            case INVALID -> "invalid_request";
            case NOT_FOUND -> "not_found";
            case OUT_OF_STOCK -> "out_of_stock";
            case EXPECTED_MISMATCH -> "expected_mismatch";
            case CONFLICT -> "conflict";
            case GONE -> "reservation_expired";
            case FORBIDDEN -> "forbidden";
            case IDEMPOTENCY_CONFLICT -> "idempotency_conflict";
            case CAPACITY -> "overloaded";
            case QUOTE_EXPIRED -> "quote_expired";
        };
    }

    public static String detailOf(final RejectReason reason)
    {
        return switch (reason)
        {
            case NONE -> "accepted";
            case INVALID_ID -> "an id does not match [A-Za-z0-9._:-]{1,64}";
            case INVALID_QUANTITY -> "a quantity is out of range";
            case INVALID_TTL -> "ttl_seconds is out of range";
            case INVALID_LINES -> "at least one line is required";
            case TOO_MANY_LINES -> "too many lines in one request";
            case INVALID_CONFIG -> "the configuration is not valid";
            case INVALID_TEXT -> "a text field is too long";
            case COMMAND_TOO_LARGE -> "the request does not fit in one journal record";
            case BUNDLE_HAS_NO_STOCK -> "a bundle holds no stock of its own; change its components' stock";
            case UNKNOWN_SKU -> "unknown SKU";
            case UNKNOWN_LOCATION -> "unknown location";
            case UNKNOWN_CHANNEL -> "unknown channel";
            case RESERVATION_NOT_FOUND -> "unknown reservation";
            case ORDER_NOT_FOUND -> "unknown order";
            case OUT_OF_STOCK -> "not enough stock for every line; nothing was reserved";
            case EXPECTED_MISMATCH -> "on_hand does not match expected_on_hand";
            case BELOW_ALLOCATED -> "on_hand would fall below reserved + committed";
            case QUANTITY_LIMIT -> "on_hand would exceed its bound";
            case RESERVATION_NOT_HELD -> "the reservation is no longer held (released or confirmed)";
            case RESERVATION_EXPIRED -> "the reservation has expired";
            case ORDER_EXISTS -> "an order with this id already exists for the channel";
            case ORDER_NOT_OPEN -> "the order is already cancelled or shipped";
            case ORDER_AMBIGUOUS -> "several channels have an order with this id; name the channel";
            case SKU_IN_USE -> "the SKU holds stock and cannot become a bundle";
            case CHANNEL_MISMATCH -> "this key may not act on another channel's reservations or orders";
            case IDEMPOTENCY_CONFLICT -> "this Idempotency-Key was used with a different request";
            case SKU_LIMIT -> "the SKU limit is reached";
            case LOCATION_LIMIT -> "the location limit is reached";
            case CHANNEL_LIMIT -> "the channel limit is reached";
            case RESERVATION_LIMIT -> "too many open reservations";
            case ORDER_LIMIT -> "too many open orders";
            case IDEMPOTENCY_LIMIT -> "too many remembered idempotency keys";
            case ENGINE_HALTED -> "the writer has halted; an operator must restart the server";
            case QUOTE_EXPIRED -> "a cited quote has expired; ask for a new offer";
            case QUOTE_MISMATCH ->
                "a cited quote is not for a SKU of this reservation on its channel, or cites a SKU twice";
            case CARRIER_LIMIT -> "the carrier limit is reached";
            case DELIVERY_OPTION_UNAVAILABLE ->
                "the chosen carrier service cannot deliver every shipment to this destination; choose another option";
        };
    }

    private static String[] lowerCaseNames(final Enum<?>[] values)
    {
        final String[] names = new String[values.length];
        for (final Enum<?> value : values)
        {
            names[value.ordinal()] = value.name().toLowerCase(Locale.ROOT);
        }
        return names;
    }
}
