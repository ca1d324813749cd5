package io.truestock.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.engine.price.Price;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.JsonBody;
import io.truestock.gateway.http.JsonOut;
import io.truestock.gateway.http.Render;
import io.truestock.gateway.offer.Offer;
import io.truestock.gateway.offer.OfferQuery;
import io.truestock.gateway.offer.StockLevel;
import io.truestock.gateway.rules.Limits;
import io.truestock.gateway.rules.Refusal;
import org.agrona.concurrent.EpochClock;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The commerce tools of API.md on the MCP endpoint: {@code get_offer}, {@code check_availability} and
 * {@code search_catalog} answer from the engine's published state on the caller's I/O thread, as the HTTP reads do;
 * {@code reserve}, {@code confirm}, {@code release} and {@code get_order} are the HTTP API's own resources called on
 * the caller's behalf ({@link ToolCalls#rest}), so scopes, validation, quotes and the ring are exactly the HTTP
 * ones. Each result is the JSON object the HTTP response carries; each output schema is that response's schema in
 * the OpenAPI document, or the problem a refusal carries.
 */
public final class CommerceTools
{
    /** The most SKUs {@code search_catalog} returns. */
    public static final int MAX_SEARCH_RESULTS = 50;
    static final int DEFAULT_SEARCH_RESULTS = 10;

    private static final String ID = "\"type\": \"string\", \"pattern\": \"^[A-Za-z0-9._:-]{1,64}$\"";
    private static final String RESERVATION_ID = "\"type\": \"string\", \"pattern\": \"^r-[0-9]{1,19}$\"";
    private static final Set<String> OFFER_FIELDS = Set.of("sku", "channel", "qty", "country", "postal_code");
    private static final Set<String> AVAILABILITY_FIELDS = Set.of("channel", "skus");
    private static final Set<String> SEARCH_FIELDS = Set.of("query", "channel", "limit");
    private static final Set<String> RELEASE_FIELDS = Set.of("reservation_id");
    private static final Set<String> ORDER_FIELDS = Set.of("channel", "order_id");
    private static final ThreadLocal<Offer> OFFERS = ThreadLocal.withInitial(Offer::new);
    private static final ThreadLocal<ChannelView> VIEWS = ThreadLocal.withInitial(ChannelView::new);

    private final ToolCalls calls;
    private final ToolSchemas schemas;
    private final Engine engine;
    private final Limits limits;
    private final OfferQuery offers;
    private final Render render;
    private final CatalogIndex catalog;
    private final EpochClock clock;

    /**
     * @param clock the instant reads are answered at (a {@link io.truestock.gateway.rules.ReadClock}).
     */
    public CommerceTools(
        final ToolCalls calls, final ToolSchemas schemas, final Api api, final CatalogIndex catalog,
        final EpochClock clock)
    {
        this.calls = calls;
        this.schemas = schemas;
        this.engine = api.engine();
        this.limits = api.limits();
        this.offers = api.offers();
        this.render = api.render();
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Adds the tools to {@code registry}. */
    public void register(final McpToolRegistry registry)
    {
        registry.add(tool("get_offer", "Get an offer",
            "What a sales channel offers for a SKU right now: units available, stock status for the quantity " +
                "asked, the unit price in minor units, the delivery promise (earliest and latest delivery instants, " +
                "carrier, shipments) to a destination, and a signed quote that holds the price until " +
                "quote.expires_at. Cite quote.id in confirm's quote_ids to be charged that price. delivery is null " +
                "without country, or when nothing can ship; delivery_reason then says why.",
            schema("""
                {"type": "object", "additionalProperties": false, "required": ["sku", "channel"], "properties": {
                  "sku": {%ID%, "description": "SKU id, e.g. trail-shoe-black-m."},
                  "channel": {%ID%, "description": "Sales channel whose stock and price apply, e.g. shopify."},
                  "qty": {"type": "integer", "minimum": 1, "maximum": %MAX_QTY%, "default": 1,
                    "description": "Units wanted; status and the delivery promise are for this many."},
                  "country": {"type": "string", "pattern": "^[A-Za-z]{2}$",
                    "description": "Destination country, ISO 3166-1 alpha-2 (e.g. US); without it, no promise."},
                  "postal_code": {"type": "string", "maxLength": %MAX_POSTAL%,
                    "description": "Destination postal code (with country), for a promise to its carrier zone."}}}
                """),
            resultOrProblem("{\"$ref\": \"#/$defs/Offer\"}"), true, this::getOffer));
        registry.add(tool("check_availability", "Check availability",
            "Units a sales channel shows as available for up to " + limits.maxBatchSkus() + " SKUs at once, each " +
                "with its stock status (in_stock, low_stock, out_of_stock), read at one engine version. Unknown " +
                "SKUs are refused (code not_found): use search_catalog to find SKU ids.",
            schema("""
                {"type": "object", "additionalProperties": false, "required": ["channel", "skus"], "properties": {
                  "channel": {%ID%, "description": "Sales channel, e.g. shopify."},
                  "skus": {"type": "array", "minItems": 1, "maxItems": %MAX_BATCH%, "items": {%ID%},
                    "description": "SKU ids, answered in this order."}}}
                """),
            resultOrProblem("{\"$ref\": \"#/$defs/AvailabilityBatch\"}"), true, this::checkAvailability));
        registry.add(tool("search_catalog", "Search the catalog",
            "Find SKUs by words of their title or id (each word matches words starting with it, all words must " +
                "match), with the channel's available units, stock status and current unit price. Returns at most " +
                "limit SKUs (default " + DEFAULT_SEARCH_RESULTS + ", at most " + MAX_SEARCH_RESULTS + "), unranked. " +
                "Then call get_offer for delivery promises and a quote.",
            schema("""
                {"type": "object", "additionalProperties": false, "required": ["query", "channel"], "properties": {
                  "query": {"type": "string", "minLength": 1, "maxLength": %MAX_QUERY%,
                    "description": "Words to look for, e.g. trail shoe black."},
                  "channel": {%ID%, "description": "Sales channel whose stock and prices apply."},
                  "limit": {"type": "integer", "minimum": 1, "maximum": %MAX_RESULTS%, "default": %DEFAULT_RESULTS%,
                    "description": "Most SKUs to return."}}}
                """),
            resultOrProblem("""
                {"type": "object", "additionalProperties": false, "required": ["items"], "properties": {
                  "items": {"type": "array", "maxItems": %MAX_RESULTS%, "items": {
                    "type": "object", "additionalProperties": false,
                    "required": ["sku", "title", "available", "status", "price"], "properties": {
                      "sku": {%ID%},
                      "title": {"type": "string"},
                      "available": {"type": "integer"},
                      "status": {"type": "string", "enum": ["in_stock", "low_stock", "out_of_stock"]},
                      "price": {"$ref": "#/$defs/Money"}}}}}}
                """),
            true, this::searchCatalog));
        registry.add(tool("reserve", "Reserve stock",
            "Hold units of one or more SKUs on a sales channel so they cannot be sold elsewhere, for ttl_seconds " +
                "(default 900). All lines or none: when a line lacks stock nothing is held and the refusal " +
                "(code out_of_stock) lists what each line has available. Returns the reservation; pass its id to " +
                "confirm to buy, or to release to give the units back.",
            schemas.component("ReservationInput"), resultOrProblem("{\"$ref\": \"#/$defs/Reservation\"}"), false,
            this::reserve));
        registry.add(tool("confirm", "Confirm a reservation into an order",
            "Turn a held reservation into an order with the given order_id: the units are committed and shipments " +
                "routed to the destination. Cite the quote ids from get_offer in quote_ids to be charged the " +
                "quoted unit prices; an expired quote is refused (code quote_expired) and nothing is committed, " +
                "so ask for a new offer. An expired or released reservation is refused (reservation_expired, " +
                "conflict).",
            schema("""
                {"type": "object", "additionalProperties": false, "required": ["reservation_id", "order_id"],
                 "properties": {
                  "reservation_id": {%RESERVATION_ID%, "description": "From reserve, e.g. r-42."},
                  "order_id": {%ID%, "description": "Your id for the order; unique on the channel."},
                  "destination": {"$ref": "#/$defs/Destination"},
                  "quote_ids": {"type": "array", "maxItems": %MAX_LINES%, "items": {%ID%},
                    "description": "quote.id values from get_offer, at most one per SKU of the reservation."}}}
                """),
            resultOrProblem("{\"$ref\": \"#/$defs/Order\"}"), false, this::confirm));
        registry.add(tool("release", "Release a reservation",
            "Give back the units a reservation holds, before it expires on its own.",
            schema("""
                {"type": "object", "additionalProperties": false, "required": ["reservation_id"], "properties": {
                  "reservation_id": {%RESERVATION_ID%, "description": "From reserve, e.g. r-42."}}}
                """),
            resultOrProblem("{\"$ref\": \"#/$defs/ReleasedReservation\"}"), false, this::release));
        registry.add(tool("get_order", "Get an order",
            "An order by its id on a channel: status (confirmed, cancelled, shipped), lines with the unit prices " +
                "charged, backordered quantities, and shipments with their delivery promises.",
            schema("""
                {"type": "object", "additionalProperties": false, "required": ["channel", "order_id"], "properties": {
                  "channel": {%ID%, "description": "Sales channel of the order."},
                  "order_id": {%ID%, "description": "The order_id given to confirm."}}}
                """),
            resultOrProblem("{\"$ref\": \"#/$defs/Order\"}"), true, this::getOrder));
    }

    private AsyncToolSpecification tool(
        final String name, final String title, final String description, final Map<String, Object> input,
        final Map<String, Object> output, final boolean readOnly,
        final BiFunction<McpTransportContext, CallToolRequest, Mono<CallToolResult>> handler)
    {
        final ToolAnnotations annotations = ToolAnnotations.builder()
            .title(title)
            .readOnlyHint(readOnly)
            .destructiveHint(!readOnly && name.equals("release"))
            .idempotentHint(readOnly)
            .openWorldHint(false)
            .build();
        final Tool tool = Tool.builder(name, input).title(title).description(description).outputSchema(output)
            .annotations(annotations).build();
        return AsyncToolSpecification.builder().tool(tool).callHandler(handler).build();
    }

    // ---- reads, answered on the caller's thread ----

    private Mono<CallToolResult> getOffer(final McpTransportContext context, final CallToolRequest request)
    {
        return answer(() ->
        {
            final JsonBody args = calls.arguments(request.arguments()).only(OFFER_FIELDS);
            final String sku = args.string("sku", Ids.MAX_LENGTH);
            final String channel = args.string("channel", Ids.MAX_LENGTH);
            final long qty = args.optionalInteger("qty", 1, limits.maxQuantity(), 1);
            final String country = args.optionalString("country", 2);
            final String postal = args.optionalString("postal_code", limits.maxPostalCodeLength());
            final Offer offer = OFFERS.get();
            refuse(offers.find(sku, channel, offer));
            refuse(offers.answer(qty, country, postal, offer));
            return ToolCalls.success(json(out -> render.offer(out, offer)));
        });
    }

    private Mono<CallToolResult> checkAvailability(final McpTransportContext context, final CallToolRequest request)
    {
        return Mono.defer(() ->
        {
            try
            {
                final JsonBody args = calls.arguments(request.arguments()).only(AVAILABILITY_FIELDS);
                final String channel = args.id("channel");
                final String[] skus = args.strings("skus", limits.maxBatchSkus(), Ids.MAX_LENGTH);
                if (skus == null || skus.length == 0)
                {
                    throw ApiException.invalid("'skus' needs 1 to " + limits.maxBatchSkus() + " SKU ids",
                        args.path("skus"));
                }
                for (int i = 0; i < skus.length; i++)
                {
                    if (!Ids.isValid(skus[i]))
                    {
                        throw ApiException.invalid("'skus[" + i + "]' must match [A-Za-z0-9._:-]{1,64}",
                            args.path("skus") + '[' + i + ']');
                    }
                }
                return calls.rest(context, HttpMethod.GET,
                    "/v1/availability?channel=" + channel + "&skus=" + String.join(",", skus), null);
            }
            catch (final ApiException ex)
            {
                return Mono.just(calls.refusal(ex));
            }
        });
    }

    private Mono<CallToolResult> searchCatalog(final McpTransportContext context, final CallToolRequest request)
    {
        return answer(() ->
        {
            final JsonBody args = calls.arguments(request.arguments()).only(SEARCH_FIELDS);
            final String query = args.string("query", CatalogIndex.MAX_QUERY_LENGTH);
            final String channelId = args.id("channel");
            final int limit = (int)args.optionalInteger("limit", 1, MAX_SEARCH_RESULTS, DEFAULT_SEARCH_RESULTS);
            if (CatalogIndex.words(query, 1).isEmpty())
            {
                throw ApiException.invalid("'query' needs at least one letter or digit", args.path("query"));
            }
            final int channel = engine.channelIndex(channelId);
            if (channel < 0)
            {
                throw ApiException.notFound("unknown channel '" + channelId + "'");
            }
            if (!catalog.ready())
            {
                throw catalog.notReady();
            }
            final int[] skus = catalog.search(query, limit);
            final long threshold = engine.channelSpec(channel).lowStockThreshold();
            final long now = clock.time();
            final ChannelView view = VIEWS.get();
            return ToolCalls.success(json(out ->
            {
                out.startObject().startArray("items");
                for (final int sku : skus)
                {
                    engine.readChannel(sku, channel, view);
                    final Price price = engine.priceAt(sku, channel, now);
                    out.startObject()
                        .field("sku", engine.skuId(sku))
                        .field("title", engine.skuSpec(sku).title())
                        .field("available", view.available())
                        .field("status", StockLevel.of(view.available(), threshold).text())
                        .money("price", price.amountMinor(), price.currency())
                        .endObject();
                }
                out.endArray().endObject();
            }));
        });
    }

    // ---- commands, through the HTTP API's resources ----

    private Mono<CallToolResult> reserve(final McpTransportContext context, final CallToolRequest request)
    {
        return Mono.defer(() -> calls.rest(context, HttpMethod.POST, "/v1/reservations",
            calls.arguments(request.arguments()).node()));
    }

    private Mono<CallToolResult> confirm(final McpTransportContext context, final CallToolRequest request)
    {
        return Mono.defer(() ->
        {
            try
            {
                final ObjectNode body = calls.arguments(request.arguments()).node().deepCopy();
                final JsonNode reservation = body.remove("reservation_id");
                final String id = reservationId(reservation);
                return calls.rest(context, HttpMethod.POST, "/v1/reservations/" + id + "/confirm", body);
            }
            catch (final ApiException ex)
            {
                return Mono.just(calls.refusal(ex));
            }
        });
    }

    private Mono<CallToolResult> release(final McpTransportContext context, final CallToolRequest request)
    {
        return Mono.defer(() ->
        {
            try
            {
                final JsonBody args = calls.arguments(request.arguments()).only(RELEASE_FIELDS);
                final String id = reservationId(args.node().get("reservation_id"));
                return calls.rest(context, HttpMethod.DELETE, "/v1/reservations/" + id, null);
            }
            catch (final ApiException ex)
            {
                return Mono.just(calls.refusal(ex));
            }
        });
    }

    private Mono<CallToolResult> getOrder(final McpTransportContext context, final CallToolRequest request)
    {
        return Mono.defer(() ->
        {
            try
            {
                final JsonBody args = calls.arguments(request.arguments()).only(ORDER_FIELDS);
                final String channel = args.id("channel");
                final String orderId = args.id("order_id");
                return calls.rest(context, HttpMethod.GET, "/v1/orders/" + orderId + "?channel=" + channel, null);
            }
            catch (final ApiException ex)
            {
                return Mono.just(calls.refusal(ex));
            }
        });
    }

    /** A reservation id as the path needs it; what is not one is refused as the HTTP API refuses it in a path. */
    private static String reservationId(final JsonNode value)
    {
        if (value == null || value.isNull())
        {
            throw ApiException.invalid("'reservation_id' is required", "$.reservation_id");
        }
        if (!value.isTextual())
        {
            throw ApiException.invalid("'reservation_id' must be a string", "$.reservation_id");
        }
        final long id = Render.parseReservationId(value.textValue());
        if (id <= 0)
        {
            throw ApiException.notFound("unknown reservation '" + value.textValue() + "'");
        }
        return Render.reservationId(id);
    }

    // ---- helpers ----

    /**
     * A tool's output schema: its result, or the problem of a refusal ({@code isError: true}). Clients validate
     * {@code structuredContent} against the output schema whether the call succeeded or not, so both shapes are in
     * it; the problem's {@code code} says which refusal it is.
     */
    private Map<String, Object> resultOrProblem(final String result)
    {
        return schema("{\"type\": \"object\", \"anyOf\": [" + result + ", {\"$ref\": \"#/$defs/Problem\"}]}");
    }

    /** A schema written in this class, its placeholders replaced by the id patterns and the configured bounds. */
    private Map<String, Object> schema(final String text)
    {
        return schemas.parse(text
            .replace("%ID%", ID)
            .replace("%RESERVATION_ID%", RESERVATION_ID)
            .replace("%MAX_QTY%", Long.toString(limits.maxQuantity()))
            .replace("%MAX_POSTAL%", Integer.toString(limits.maxPostalCodeLength()))
            .replace("%MAX_BATCH%", Integer.toString(limits.maxBatchSkus()))
            .replace("%MAX_LINES%", Integer.toString(limits.maxLines()))
            .replace("%MAX_QUERY%", Integer.toString(CatalogIndex.MAX_QUERY_LENGTH))
            .replace("%MAX_RESULTS%", Integer.toString(MAX_SEARCH_RESULTS))
            .replace("%DEFAULT_RESULTS%", Integer.toString(DEFAULT_SEARCH_RESULTS)));
    }

    private Mono<CallToolResult> answer(final Supplier<CallToolResult> read)
    {
        return Mono.fromSupplier(() ->
        {
            try
            {
                return read.get();
            }
            catch (final ApiException ex)
            {
                return calls.refusal(ex);
            }
        });
    }

    /** A refusal of the offer query, its field named as a JSON path of the arguments. */
    private static void refuse(final Refusal refusal)
    {
        if (refusal != null)
        {
            final String field = refusal.field();
            throw Api.problem(field == null || field.startsWith("$") ? refusal :
                new Refusal(refusal.kind(), refusal.detail(), "$." + field));
        }
    }

    /** Plain heap buffers for text that becomes a String at once (the default unpooled allocator's are direct). */
    private static final ByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);

    /** The JSON {@code writer} renders, as text. */
    private static String json(final Consumer<JsonOut> writer)
    {
        final JsonOut out = new JsonOut(HEAP);
        writer.accept(out);
        final ByteBuf buffer = out.finish();
        try
        {
            return buffer.toString(StandardCharsets.UTF_8);
        }
        finally
        {
            buffer.release();
        }
    }
}
