package io.truestock.gateway.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.ChannelSpec;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPlanner;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.Quotes;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.EngineRuntime;
import io.truestock.gateway.auth.ApiKeys;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.metrics.Metrics;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The HTTP/JSON API of API.md. Runs on Netty I/O threads: it decodes, authenticates and validates a request;
 * queries of stock and prices read the engine's off-heap state directly; everything else becomes a command in
 * the ring, and the response is rendered on the output stage when the outcome is known.
 */
public final class Api
{
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_LINES = 100;
    public static final long MAX_QTY = 1_000_000;
    public static final int MAX_TTL_SECONDS = 86_400;
    public static final int DEFAULT_TTL_SECONDS = 900;
    public static final int MAX_BATCH_SKUS = 100;
    private static final int MAX_TEXT = 256;
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final Engine engine;
    private final EngineRuntime runtime;
    private final ApiKeys keys;
    private final Metrics metrics;
    private final Render render;
    private final Map<String, Extension> extensions;
    private final Quotes quotes;
    private final long quoteTtlMillis;

    /**
     * An endpoint group served by another component (audit, streams, OpenAPI), looked up by its first path
     * segments; it receives the authenticated request.
     */
    public interface Extension
    {
        void handle(Exchange exchange, Principal principal, List<String> path, QueryStringDecoder query);
    }

    public Api(
        final Engine engine, final EngineRuntime runtime, final ApiKeys keys, final Metrics metrics,
        final Map<String, Extension> extensions)
    {
        this(engine, runtime, keys, metrics, extensions, new Quotes(randomKey()), DEFAULT_QUOTE_TTL_SECONDS * 1000L);
    }

    /**
     * @param quotes         signs the quotes offers hand out and verifies the ones confirmations cite.
     * @param quoteTtlMillis how long a quote holds its price.
     */
    public Api(
        final Engine engine, final EngineRuntime runtime, final ApiKeys keys, final Metrics metrics,
        final Map<String, Extension> extensions, final Quotes quotes, final long quoteTtlMillis)
    {
        this.quotes = quotes;
        this.quoteTtlMillis = quoteTtlMillis;
        this.engine = engine;
        this.runtime = runtime;
        this.keys = keys;
        this.metrics = metrics;
        this.render = new Render(engine);
        this.extensions = extensions;
    }

    public static final int DEFAULT_QUOTE_TTL_SECONDS = 900;

    private static byte[] randomKey()
    {
        final byte[] key = new byte[Quotes.KEY_LENGTH];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    /** The engine's notion of now: the wall clock, never behind the last command's timestamp. */
    private long now()
    {
        return Math.max(System.currentTimeMillis(), engine.lastTimestampMillis());
    }

    public Render render()
    {
        return render;
    }

    public Engine engine()
    {
        return engine;
    }

    /** Entry point for one decoded request; answers exactly once through the exchange. */
    public void handle(final Exchange exchange)
    {
        final FullHttpRequest request = exchange.request();
        try
        {
            final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            final List<String> path = segments(uri.path());
            final HttpMethod method = request.method();
            if (path.size() == 1 && path.get(0).equals("health") && method.equals(HttpMethod.GET))
            {
                health(exchange);
                return;
            }
            if (path.size() == 1 && path.get(0).equals("metrics") && method.equals(HttpMethod.GET))
            {
                exchange.route("metrics");
                exchange.respond(Responses.text(HttpResponseStatus.OK, metrics.render(),
                    "text/plain; version=0.0.4; charset=utf-8"));
                return;
            }
            if (path.size() < 2 || !path.get(0).equals("v1"))
            {
                throw ApiException.notFound("no such resource: " + uri.path());
            }
            if (path.size() == 2 && path.get(1).equals("openapi.json") && extensions.containsKey("openapi.json"))
            {
                extensions.get("openapi.json").handle(exchange, null, path, uri);
                return;
            }
            if (path.size() == 5 && path.get(1).equals("channels") && path.get(3).equals("webhooks") &&
                extensions.containsKey("channels/webhooks"))
            {
                // Channel webhooks authenticate by their HMAC signature, not a bearer token.
                extensions.get("channels/webhooks").handle(exchange, null, path, uri);
                return;
            }
            final Principal principal = authenticate(request);
            route(exchange, principal, method, path, uri);
        }
        catch (final ApiException ex)
        {
            exchange.respond(Responses.problem(exchange.allocator(), ex));
        }
    }

    private void health(final Exchange exchange)
    {
        exchange.route("health");
        final boolean halted = runtime.halted() != null;
        final JsonOut out = new JsonOut(exchange.allocator());
        out.startObject().field("status", halted ? "halted" : "ok").field("sequence", engine.lastSequence()).endObject();
        exchange.respond(Responses.json(halted ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK,
            out.finish()));
    }

    private Principal authenticate(final FullHttpRequest request)
    {
        final String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            throw new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                "an 'Authorization: Bearer <token>' header is required", null);
        }
        final Principal principal = keys.authenticate(header.substring(7).strip());
        if (principal == null)
        {
            throw new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "unknown token", null);
        }
        return principal;
    }

    private static List<String> segments(final String path)
    {
        final String[] parts = path.split("/");
        return Arrays.stream(parts).filter(s -> !s.isEmpty()).toList();
    }

    private static ApiException methodNotAllowed(final HttpMethod method, final String resource)
    {
        return new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request",
            method + " is not allowed on " + resource, null);
    }

    private static void requireAdmin(final Principal principal)
    {
        if (!principal.isAdmin())
        {
            throw forbidden("this endpoint needs the admin scope");
        }
    }

    private static ApiException forbidden(final String detail)
    {
        return new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", detail, null);
    }

    private static String pathId(final List<String> path, final int index, final String what)
    {
        final String id = path.get(index);
        if (!Ids.isValid(id))
        {
            throw ApiException.invalid(what + " id must match [A-Za-z0-9._:-]{1,64}", null);
        }
        return id;
    }

    private void route(
        final Exchange exchange, final Principal principal, final HttpMethod method, final List<String> path,
        final QueryStringDecoder uri)
    {
        final String resource = path.get(1);
        final int size = path.size();
        switch (resource)
        {
            case "locations" ->
            {
                requireSize(size, 3, uri);
                requireMethod(method, HttpMethod.PUT, uri);
                requireAdmin(principal);
                putLocation(exchange, principal, pathId(path, 2, "location"));
            }
            case "channels" ->
            {
                if (size == 4 && extensions.containsKey("channels/" + path.get(3)))
                {
                    extensions.get("channels/" + path.get(3)).handle(exchange, principal, path, uri);
                    return;
                }
                requireSize(size, 3, uri);
                requireMethod(method, HttpMethod.PUT, uri);
                requireAdmin(principal);
                putChannel(exchange, principal, pathId(path, 2, "channel"));
            }
            case "skus" -> skus(exchange, principal, method, path, uri);
            case "stock" ->
            {
                requireSize(size, 3, uri);
                requireMethod(method, HttpMethod.POST, uri);
                requireAdmin(principal);
                stock(exchange, principal, path.get(2), uri);
            }
            case "availability" ->
            {
                requireMethod(method, HttpMethod.GET, uri);
                if (size == 3)
                {
                    availability(exchange, pathId(path, 2, "SKU"), uri);
                }
                else if (size == 2)
                {
                    availabilityBatch(exchange, uri);
                }
                else
                {
                    throw ApiException.notFound("no such resource: " + uri.path());
                }
            }
            case "offers" ->
            {
                requireSize(size, 3, uri);
                requireMethod(method, HttpMethod.GET, uri);
                offer(exchange, pathId(path, 2, "SKU"), uri);
            }
            case "reservations" -> reservations(exchange, principal, method, path, uri);
            case "orders" -> orders(exchange, principal, method, path, uri);
            case "carriers" -> carriers(exchange, principal, method, path, uri);
            case "api-keys" ->
            {
                requireSize(size, 2, uri);
                requireMethod(method, HttpMethod.POST, uri);
                requireAdmin(principal);
                createKey(exchange, principal);
            }
            default ->
            {
                final Extension extension = extensions.get(resource);
                if (extension == null)
                {
                    throw ApiException.notFound("no such resource: " + uri.path());
                }
                extension.handle(exchange, principal, path, uri);
            }
        }
    }

    private static void requireSize(final int size, final int expected, final QueryStringDecoder uri)
    {
        if (size != expected)
        {
            throw ApiException.notFound("no such resource: " + uri.path());
        }
    }

    private static void requireMethod(final HttpMethod method, final HttpMethod expected, final QueryStringDecoder uri)
    {
        if (!method.equals(expected))
        {
            throw methodNotAllowed(method, uri.path());
        }
    }

    // ---- plumbing: body, idempotency, ring ----

    private static JsonBody body(final Exchange exchange)
    {
        final byte[] bytes = ByteBufUtil.getBytes(exchange.request().content());
        return JsonBody.parse(bytes);
    }

    private static String idempotencyKey(final Exchange exchange)
    {
        final String key = exchange.request().headers().get("Idempotency-Key");
        if (key == null)
        {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY)
        {
            throw ApiException.invalid("Idempotency-Key must be 1 to 255 characters", null);
        }
        return key;
    }

    /** What to answer once the outcome of a command is known; runs on the output stage. */
    @FunctionalInterface
    private interface OnOutcome
    {
        FullHttpResponse render(Outcome outcome);
    }

    private void submit(
        final Exchange exchange, final Principal principal, final CommandFiller filler, final String linesPath,
        final OnOutcome onAccepted)
    {
        final String key = exchange.request().method().equals(HttpMethod.POST) ? idempotencyKey(exchange) : null;
        final ByteBufAllocator allocator = exchange.allocator();
        final boolean published = runtime.tryPublish(
            command ->
            {
                filler.fill(command);
                command.principal(principal.id()).idempotencyKey(key);
            },
            (command, outcome) ->
            {
                FullHttpResponse response;
                try
                {
                    response = outcome.accepted() ? onAccepted.render(outcome) :
                        render.rejection(allocator, outcome, linesPath);
                }
                catch (final RuntimeException ex)
                {
                    response = Responses.problem(allocator, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                        "the response could not be rendered", null);
                }
                if (outcome.replayed())
                {
                    response.headers().set("Idempotent-Replayed", "true");
                }
                exchange.respond(response);
            });
        if (!published)
        {
            exchange.respond(Responses.overloaded(allocator));
        }
    }

    private FullHttpResponse json(final HttpResponseStatus status, final ByteBufAllocator allocator,
        final Consumer<JsonOut> writer)
    {
        final JsonOut out = new JsonOut(allocator);
        writer.accept(out);
        return Responses.json(status, out.finish());
    }

    // ---- catalog ----

    private static final Set<String> LOCATION_FIELDS = Set.of("name", "timezone", "country", "postal_code", "priority",
        "cutoff", "handling_days", "working_days", "holidays");

    private void putLocation(final Exchange exchange, final Principal principal, final String id)
    {
        exchange.route("locations_put");
        final LocationSpec spec = locationSpec(body(exchange));
        submit(exchange, principal, c -> c.defineLocation(id, spec), null,
            outcome -> json(HttpResponseStatus.OK, exchange.allocator(), out -> render.location(out, id, spec)));
    }

    /** Parses a {@code PUT /v1/locations/{id}} body (or the same object in the config file). */
    public static LocationSpec locationSpec(final JsonBody request)
    {
        final JsonBody body = request.only(LOCATION_FIELDS);
        final String name = body.string("name", MAX_TEXT);
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
        if (country != null && !country.matches("[A-Z]{2}"))
        {
            throw ApiException.invalid("country must be an ISO 3166-1 alpha-2 code", body.path("country"));
        }
        final String postal = body.optionalString("postal_code", 32);
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
        final String[] days = body.strings("working_days", 7, 3);
        int mask = LocationSpec.MON_TO_FRI;
        if (days != null)
        {
            mask = 0;
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
        }
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

    static int dayBit(final String day)
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

    private static final Set<String> CHANNEL_FIELDS =
        Set.of("name", "locations", "percent", "buffer", "max_listed", "low_stock_threshold");

    private void putChannel(final Exchange exchange, final Principal principal, final String id)
    {
        exchange.route("channels_put");
        final JsonBody body = body(exchange).only(CHANNEL_FIELDS);
        final String name = body.string("name", MAX_TEXT);
        final String[] locations = body.strings("locations", 1024, Ids.MAX_LENGTH);
        if (locations != null)
        {
            for (int i = 0; i < locations.length; i++)
            {
                if (!Ids.isValid(locations[i]))
                {
                    throw ApiException.invalid("location ids must match [A-Za-z0-9._:-]{1,64}",
                        body.path("locations") + '[' + i + ']');
                }
            }
        }
        final int percent = (int)body.optionalInteger("percent", 0, 100, 100);
        final long buffer = body.optionalInteger("buffer", 0, 1_000_000_000L, 0);
        final long maxListed = body.optionalInteger("max_listed", 0, 1_000_000_000_000L, ChannelSpec.UNLIMITED);
        final long lowStock = body.optionalInteger("low_stock_threshold", 0, 1_000_000_000L, 5);
        final ChannelSpec spec = new ChannelSpec(name, locations == null ? List.of() : List.of(locations),
            percent, buffer, maxListed, lowStock);
        submit(exchange, principal, c -> c.defineChannel(id, spec), null,
            outcome -> json(HttpResponseStatus.OK, exchange.allocator(),
                out -> render.channel(out, id, spec, outcome.channel())));
    }

    private void skus(
        final Exchange exchange, final Principal principal, final HttpMethod method, final List<String> path,
        final QueryStringDecoder uri)
    {
        final int size = path.size();
        if (size == 3 && method.equals(HttpMethod.GET))
        {
            exchange.route("skus_get");
            final int sku = engine.skuIndex(pathId(path, 2, "SKU"));
            if (sku < 0)
            {
                throw ApiException.notFound("unknown SKU '" + path.get(2) + "'");
            }
            exchange.respond(json(HttpResponseStatus.OK, exchange.allocator(),
                out -> render.sku(out, sku, engine.lastSequence())));
            return;
        }
        if (size == 3 && method.equals(HttpMethod.PUT))
        {
            requireAdmin(principal);
            putSku(exchange, principal, pathId(path, 2, "SKU"));
            return;
        }
        if (size == 4 && path.get(3).equals("prices"))
        {
            prices(exchange, principal, method, pathId(path, 2, "SKU"), uri);
            return;
        }
        if (size == 3)
        {
            throw methodNotAllowed(method, uri.path());
        }
        throw ApiException.notFound("no such resource: " + uri.path());
    }

    private static final Set<String> SKU_FIELDS = Set.of("title", "price", "components");
    private static final Set<String> MONEY_FIELDS = Set.of("amount", "currency");
    private static final Set<String> COMPONENT_FIELDS = Set.of("sku", "qty");

    private void putSku(final Exchange exchange, final Principal principal, final String id)
    {
        exchange.route("skus_put");
        final JsonBody body = body(exchange).only(SKU_FIELDS);
        final String title = body.optionalString("title", MAX_TEXT);
        final JsonBody price = body.object("price");
        long amount = 0;
        String currency = "USD";
        if (price != null)
        {
            price.only(MONEY_FIELDS);
            amount = price.integer("amount", 0, 1_000_000_000_000L);
            currency = price.string("currency", 3);
            if (!currency.matches("[A-Z]{3}"))
            {
                throw ApiException.invalid("currency must be an ISO 4217 code", price.path("currency"));
            }
        }
        final JsonBody[] parts = body.objects("components", engine.config().maxComponentsPerBundle());
        final String[] partSkus = new String[parts == null ? 0 : parts.length];
        final long[] partQtys = new long[partSkus.length];
        for (int i = 0; i < partSkus.length; i++)
        {
            parts[i].only(COMPONENT_FIELDS);
            partSkus[i] = parts[i].id("sku");
            partQtys[i] = parts[i].integer("qty", 1, MAX_QTY);
        }
        final SkuSpec spec = new SkuSpec(title == null ? id : title, amount, currency, partSkus, partQtys);
        submit(exchange, principal, c -> c.defineSku(id, spec), "$.components",
            outcome -> json(HttpResponseStatus.OK, exchange.allocator(),
                out -> render.sku(out, outcome.sku(), outcome.version())));
    }

    // ---- stock ----

    private static final Set<String> RECEIVE_FIELDS = Set.of("sku", "location", "qty", "reason", "reference");
    private static final Set<String> ADJUST_FIELDS = Set.of("sku", "location", "delta", "reason", "reference");
    private static final Set<String> SET_FIELDS =
        Set.of("sku", "location", "on_hand", "safety", "expected_on_hand", "reason", "reference");
    private static final long MAX_ON_HAND = 1_000_000_000_000L;

    private void stock(final Exchange exchange, final Principal principal, final String action, final QueryStringDecoder uri)
    {
        final JsonBody body;
        final CommandFiller filler;
        switch (action)
        {
            case "receive" ->
            {
                exchange.route("stock_receive");
                body = body(exchange).only(RECEIVE_FIELDS);
                final String sku = body.id("sku");
                final String location = body.id("location");
                final long qty = body.integer("qty", 1, MAX_QTY);
                filler = c -> c.receive(sku, location, qty);
            }
            case "adjust" ->
            {
                exchange.route("stock_adjust");
                body = body(exchange).only(ADJUST_FIELDS);
                final String sku = body.id("sku");
                final String location = body.id("location");
                final long delta = body.integer("delta", -MAX_ON_HAND, MAX_QTY);
                if (delta == 0)
                {
                    throw ApiException.invalid("'delta' must not be zero", body.path("delta"));
                }
                filler = c -> c.adjust(sku, location, delta);
            }
            case "set" ->
            {
                exchange.route("stock_set");
                body = body(exchange).only(SET_FIELDS);
                final String sku = body.id("sku");
                final String location = body.id("location");
                final long onHand = body.optionalInteger("on_hand", 0, MAX_ON_HAND, Command.ABSENT);
                final long safety = body.optionalInteger("safety", 0, MAX_ON_HAND, Command.ABSENT);
                final long expected = body.optionalInteger("expected_on_hand", 0, MAX_ON_HAND, Command.ABSENT);
                if (onHand == Command.ABSENT && safety == Command.ABSENT)
                {
                    throw ApiException.invalid("give 'on_hand', 'safety' or both", "$");
                }
                filler = c -> c.set(sku, location, onHand, safety, expected);
            }
            default -> throw ApiException.notFound("no such resource: " + uri.path());
        }
        final String reason = body.optionalString("reason", MAX_TEXT);
        final String reference = body.optionalString("reference", MAX_TEXT);
        submit(exchange, principal, c ->
            {
                filler.fill(c);
                c.reason(reason).reference(reference);
            }, null,
            outcome -> json(HttpResponseStatus.OK, exchange.allocator(), out -> render.stockRecord(out,
                engine.skuId(outcome.sku()), engine.locationId(outcome.location()), outcome)));
    }

    // ---- reads ----

    private int channelParam(final QueryStringDecoder uri)
    {
        final String channel = single(uri, "channel");
        if (channel == null)
        {
            throw ApiException.invalid("query parameter 'channel' is required", "channel");
        }
        final int index = engine.channelIndex(channel);
        if (index < 0)
        {
            throw ApiException.notFound("unknown channel '" + channel + "'");
        }
        return index;
    }

    private static String single(final QueryStringDecoder uri, final String name)
    {
        final List<String> values = uri.parameters().get(name);
        if (values == null || values.isEmpty())
        {
            return null;
        }
        if (values.size() > 1)
        {
            throw ApiException.invalid("query parameter '" + name + "' is repeated", name);
        }
        return values.get(0);
    }

    private void availability(final Exchange exchange, final String skuId, final QueryStringDecoder uri)
    {
        exchange.route("availability");
        final int channel = channelParam(uri);
        final int sku = engine.skuIndex(skuId);
        if (sku < 0)
        {
            throw ApiException.notFound("unknown SKU '" + skuId + "'");
        }
        final ChannelView view = new ChannelView();
        engine.readChannel(sku, channel, view);
        final long threshold = engine.channelSpec(channel).lowStockThreshold();
        exchange.respond(json(HttpResponseStatus.OK, exchange.allocator(), out -> out.startObject()
            .field("sku", skuId)
            .field("channel", engine.channelId(channel))
            .field("available", view.available())
            .field("status", Render.status(view.available(), threshold))
            .field("version", view.version())
            .endObject()));
    }

    private void availabilityBatch(final Exchange exchange, final QueryStringDecoder uri)
    {
        exchange.route("availability_batch");
        final int channel = channelParam(uri);
        final String list = single(uri, "skus");
        if (list == null || list.isEmpty())
        {
            throw ApiException.invalid("query parameter 'skus' is required (comma-separated)", "skus");
        }
        final String[] ids = list.split(",", -1);
        if (ids.length > MAX_BATCH_SKUS)
        {
            throw ApiException.invalid("at most " + MAX_BATCH_SKUS + " SKUs a request", "skus");
        }
        final int[] skus = new int[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            skus[i] = engine.skuIndex(ids[i]);
            if (skus[i] < 0)
            {
                throw ApiException.notFound("unknown SKU '" + ids[i] + "'");
            }
        }
        final long version = engine.lastSequence();
        final long threshold = engine.channelSpec(channel).lowStockThreshold();
        final ChannelView view = new ChannelView();
        exchange.respond(json(HttpResponseStatus.OK, exchange.allocator(), out ->
        {
            out.startObject().field("channel", engine.channelId(channel)).field("version", version);
            out.startArray("items");
            for (int i = 0; i < skus.length; i++)
            {
                engine.readChannel(skus[i], channel, view);
                out.startObject()
                    .field("sku", ids[i])
                    .field("channel", engine.channelId(channel))
                    .field("available", view.available())
                    .field("status", Render.status(view.available(), threshold))
                    .field("version", view.version())
                    .endObject();
            }
            out.endArray().endObject();
        }));
    }

    private void offer(final Exchange exchange, final String skuId, final QueryStringDecoder uri)
    {
        exchange.route("offers");
        final int channel = channelParam(uri);
        final int sku = engine.skuIndex(skuId);
        if (sku < 0)
        {
            throw ApiException.notFound("unknown SKU '" + skuId + "'");
        }
        final String qtyText = single(uri, "qty");
        long qty = 1;
        if (qtyText != null)
        {
            try
            {
                qty = Long.parseLong(qtyText);
            }
            catch (final NumberFormatException ex)
            {
                qty = -1;
            }
            if (qty < 1 || qty > MAX_QTY)
            {
                throw ApiException.invalid("qty must be an integer in [1, 1000000]", "qty");
            }
        }
        final long requested = qty;
        final String country = countryParam(uri);
        final String postal = single(uri, "postal_code");
        if (postal != null && (postal.length() > 32 || !postal.matches("[A-Za-z0-9 ./-]*")))
        {
            throw ApiException.invalid("postal_code must be at most 32 letters, digits, spaces or -./", "postal_code");
        }
        if (postal != null && country == null)
        {
            throw ApiException.invalid("postal_code needs country", "country");
        }
        final long now = now();
        final ChannelView view = new ChannelView();
        engine.readChannel(sku, channel, view);
        final Price price = engine.priceAt(sku, channel, now);
        final DeliveryPromise promise = new DeliveryPromise();
        final boolean delivers = country != null &&
            engine.offerPromise(sku, channel, requested, country, postal, now, promise);
        final long expiresAt = now + quoteTtlMillis;
        final String quoteId = quotes.issue(sku, channel, price, expiresAt);
        final long threshold = engine.channelSpec(channel).lowStockThreshold();
        exchange.respond(json(HttpResponseStatus.OK, exchange.allocator(), out ->
        {
            out.startObject()
                .field("sku", skuId)
                .field("channel", engine.channelId(channel))
                .field("qty", requested)
                .field("available", view.available())
                .field("status", view.available() < requested ? "out_of_stock" :
                    Render.status(view.available(), threshold))
                .money("price", price.amountMinor(), price.currency());
            if (delivers)
            {
                Render.delivery(out, promise.earliestMillis(), promise.latestMillis(), promise.orderByMillis(),
                    engine.locationId(promise.locationIndex()), promise.carrierId(), promise.serviceId());
            }
            else
            {
                out.nullField("delivery");
                out.field("delivery_reason", country == null ? "no_destination" :
                    promise.locationIndex() < 0 ? "not_enough_stock" :
                    promise.reason().name().toLowerCase(Locale.ROOT));
            }
            out.startObject("quote").field("id", quoteId).instantField("expires_at", expiresAt).endObject()
                .field("version", view.version())
                .endObject();
        }));
    }

    private static String countryParam(final QueryStringDecoder uri)
    {
        final String country = single(uri, "country");
        if (country != null && !country.matches("[A-Za-z]{2}"))
        {
            throw ApiException.invalid("country must be an ISO 3166-1 alpha-2 code", "country");
        }
        return country == null ? null : country.toUpperCase(Locale.ROOT);
    }

    // ---- prices and carriers ----

    private void prices(
        final Exchange exchange, final Principal principal, final HttpMethod method, final String skuId,
        final QueryStringDecoder uri)
    {
        if (method.equals(HttpMethod.GET))
        {
            exchange.route("prices_get");
            final int sku = engine.skuIndex(skuId);
            if (sku < 0)
            {
                throw ApiException.notFound("unknown SKU '" + skuId + "'");
            }
            final PriceSpec spec = engine.priceSpec(sku);
            exchange.respond(json(HttpResponseStatus.OK, exchange.allocator(),
                out -> Render.prices(out, skuId, spec, engine.lastSequence())));
            return;
        }
        requireMethod(method, HttpMethod.PUT, uri);
        requireAdmin(principal);
        exchange.route("prices_put");
        final PriceSpec spec = CatalogRequests.prices(body(exchange));
        submit(exchange, principal, c -> c.definePrices(skuId, spec), null,
            outcome -> json(HttpResponseStatus.OK, exchange.allocator(),
                out -> Render.prices(out, skuId, spec, outcome.version())));
    }

    private void carriers(
        final Exchange exchange, final Principal principal, final HttpMethod method, final List<String> path,
        final QueryStringDecoder uri)
    {
        if (path.size() == 2)
        {
            requireMethod(method, HttpMethod.GET, uri);
            exchange.route("carriers_list");
            final Map<String, CarrierSpec> carriers = engine.carriers();
            exchange.respond(json(HttpResponseStatus.OK, exchange.allocator(), out ->
            {
                out.startObject().startArray("carriers");
                carriers.forEach((id, spec) -> Render.carrier(out, id, spec));
                out.endArray().endObject();
            }));
            return;
        }
        requireSize(path.size(), 3, uri);
        final String id = pathId(path, 2, "carrier");
        if (method.equals(HttpMethod.GET))
        {
            exchange.route("carriers_get");
            final CarrierSpec spec = engine.carriers().get(id);
            if (spec == null)
            {
                throw ApiException.notFound("unknown carrier '" + id + "'");
            }
            exchange.respond(json(HttpResponseStatus.OK, exchange.allocator(), out -> Render.carrier(out, id, spec)));
            return;
        }
        requireMethod(method, HttpMethod.PUT, uri);
        requireAdmin(principal);
        exchange.route("carriers_put");
        final CarrierSpec spec = CatalogRequests.carrier(body(exchange));
        submit(exchange, principal, c -> c.defineCarrier(id, spec), null,
            outcome -> json(HttpResponseStatus.OK, exchange.allocator(), out -> Render.carrier(out, id, spec)));
    }

    // ---- reservations ----

    private static final Set<String> RESERVE_FIELDS = Set.of("channel", "lines", "ttl_seconds", "reference");
    private static final Set<String> LINE_FIELDS = Set.of("sku", "qty");
    private static final Set<String> EXTEND_FIELDS = Set.of("ttl_seconds");
    private static final Set<String> CONFIRM_FIELDS = Set.of("order_id", "destination", "quote_ids");
    private static final Set<String> DESTINATION_FIELDS = Set.of("country", "postal_code");

    private record Line(String sku, long qty)
    {
    }

    private static Line[] lines(final JsonBody body)
    {
        final JsonBody[] items = body.objects("lines", MAX_LINES);
        if (items == null || items.length == 0)
        {
            throw ApiException.invalid("'lines' needs 1 to " + MAX_LINES + " lines", body.path("lines"));
        }
        final Line[] lines = new Line[items.length];
        for (int i = 0; i < items.length; i++)
        {
            items[i].only(LINE_FIELDS);
            lines[i] = new Line(items[i].id("sku"), items[i].integer("qty", 1, MAX_QTY));
        }
        return lines;
    }

    private static void requireChannelAccess(final Principal principal, final String channel)
    {
        if (principal.scope() == Principal.Scope.CHANNEL && !principal.channel().equals(channel))
        {
            throw forbidden("a channel:" + principal.channel() + " key may not act for channel '" + channel + "'");
        }
    }

    /** The channel a channel-scoped key is bound to, passed to the engine so it refuses other channels' ids. */
    private static String scopeChannel(final Principal principal)
    {
        return principal.scope() == Principal.Scope.CHANNEL ? principal.channel() : null;
    }

    private void reservations(
        final Exchange exchange, final Principal principal, final HttpMethod method, final List<String> path,
        final QueryStringDecoder uri)
    {
        final int size = path.size();
        if (size == 2)
        {
            requireMethod(method, HttpMethod.POST, uri);
            reserve(exchange, principal);
            return;
        }
        final long id = Render.parseReservationId(path.get(2));
        if (id <= 0)
        {
            throw ApiException.notFound("unknown reservation '" + path.get(2) + "'");
        }
        final String scope = scopeChannel(principal);
        if (size == 3)
        {
            if (method.equals(HttpMethod.GET))
            {
                exchange.route("reservations_get");
                submit(exchange, principal, c -> c.queryReservation(id).channel(scope), null,
                    outcome -> json(HttpResponseStatus.OK, exchange.allocator(), out -> render.reservation(out, outcome)));
            }
            else if (method.equals(HttpMethod.DELETE))
            {
                exchange.route("reservations_release");
                submit(exchange, principal, c -> c.release(id).channel(scope), null,
                    outcome -> json(HttpResponseStatus.OK, exchange.allocator(), out -> out.startObject()
                        .field("id", Render.reservationId(id)).field("status", "released")
                        .field("version", outcome.version()).endObject()));
            }
            else
            {
                throw methodNotAllowed(method, uri.path());
            }
            return;
        }
        if (size == 4 && method.equals(HttpMethod.POST) && path.get(3).equals("extend"))
        {
            exchange.route("reservations_extend");
            final JsonBody body = body(exchange).only(EXTEND_FIELDS);
            final int ttl = (int)body.integer("ttl_seconds", 1, MAX_TTL_SECONDS);
            submit(exchange, principal, c -> c.extend(id, ttl).channel(scope), null,
                outcome -> json(HttpResponseStatus.OK, exchange.allocator(), out -> render.reservation(out, outcome)));
            return;
        }
        if (size == 4 && method.equals(HttpMethod.POST) && path.get(3).equals("confirm"))
        {
            exchange.route("reservations_confirm");
            final JsonBody body = body(exchange).only(CONFIRM_FIELDS);
            final String orderId = body.id("order_id");
            final JsonBody destination = destination(body);
            final String[] quoteIds = body.strings("quote_ids", MAX_LINES, Ids.MAX_LENGTH);
            final Quotes.Quote[] cited = new Quotes.Quote[quoteIds == null ? 0 : quoteIds.length];
            for (int i = 0; i < cited.length; i++)
            {
                cited[i] = quotes.verify(quoteIds[i]);
                if (cited[i] == null || cited[i].skuIndex() >= engine.skuCount() ||
                    cited[i].channelIndex() >= engine.channelCount())
                {
                    throw ApiException.invalid("'" + quoteIds[i] + "' is not a quote this server issued",
                        body.path("quote_ids") + '[' + i + ']');
                }
            }
            final String country = destination == null ? null : destination.optionalString("country", 2);
            final String postal = destination == null ? null : destination.optionalString("postal_code", 32);
            submit(exchange, principal, c ->
                {
                    c.confirm(id, orderId).channel(scope).destination(country, postal);
                    for (final Quotes.Quote q : cited)
                    {
                        c.addQuote(engine.skuId(q.skuIndex()), engine.channelId(q.channelIndex()), q.amountMinor(),
                            q.currency(), q.expiresAtMillis());
                    }
                }, "$.quote_ids",
                outcome -> json(HttpResponseStatus.OK, exchange.allocator(), out -> render.order(out, outcome)));
            return;
        }
        if (size == 4)
        {
            throw methodNotAllowed(method, uri.path());
        }
        throw ApiException.notFound("no such resource: " + uri.path());
    }

    private static JsonBody destination(final JsonBody body)
    {
        final JsonBody destination = body.object("destination");
        if (destination != null)
        {
            destination.only(DESTINATION_FIELDS);
            final String country = destination.optionalString("country", 2);
            if (country != null && !country.matches("[A-Z]{2}"))
            {
                throw ApiException.invalid("country must be an ISO 3166-1 alpha-2 code", destination.path("country"));
            }
        }
        return destination;
    }

    private void reserve(final Exchange exchange, final Principal principal)
    {
        exchange.route("reservations_create");
        final JsonBody body = body(exchange).only(RESERVE_FIELDS);
        final String channel = body.id("channel");
        requireChannelAccess(principal, channel);
        final Line[] lines = lines(body);
        final int ttl = (int)body.optionalInteger("ttl_seconds", 1, MAX_TTL_SECONDS, DEFAULT_TTL_SECONDS);
        final String reference = body.optionalString("reference", MAX_TEXT);
        submit(exchange, principal, c ->
            {
                c.reserve(channel, ttl).reference(reference);
                for (final Line line : lines)
                {
                    c.addLine(line.sku(), line.qty());
                }
            }, "$.lines",
            outcome -> json(HttpResponseStatus.CREATED, exchange.allocator(), out -> render.reservation(out, outcome)));
    }

    // ---- orders ----

    private static final Set<String> ORDER_FIELDS = Set.of("channel", "order_id", "lines", "destination");

    private void orders(
        final Exchange exchange, final Principal principal, final HttpMethod method, final List<String> path,
        final QueryStringDecoder uri)
    {
        final int size = path.size();
        if (size == 2)
        {
            requireMethod(method, HttpMethod.POST, uri);
            createOrder(exchange, principal);
            return;
        }
        final String orderId = pathId(path, 2, "order");
        String channel = single(uri, "channel");
        if (channel != null && !Ids.isValid(channel))
        {
            throw ApiException.invalid("channel must match [A-Za-z0-9._:-]{1,64}", "channel");
        }
        if (principal.scope() == Principal.Scope.CHANNEL)
        {
            if (channel != null)
            {
                requireChannelAccess(principal, channel);
            }
            channel = principal.channel();
        }
        final String lookup = channel;
        if (size == 3 && method.equals(HttpMethod.GET))
        {
            exchange.route("orders_get");
            submit(exchange, principal, c -> c.queryOrder(lookup, orderId), null,
                outcome -> json(HttpResponseStatus.OK, exchange.allocator(), out -> render.order(out, outcome)));
            return;
        }
        if (size == 4 && method.equals(HttpMethod.POST) &&
            (path.get(3).equals("cancel") || path.get(3).equals("ship")))
        {
            if (principal.scope() == Principal.Scope.AGENT)
            {
                throw forbidden("agent keys may not cancel or ship orders");
            }
            final boolean cancel = path.get(3).equals("cancel");
            exchange.route(cancel ? "orders_cancel" : "orders_ship");
            submit(exchange, principal, c ->
                {
                    if (cancel)
                    {
                        c.cancel(lookup, orderId);
                    }
                    else
                    {
                        c.ship(lookup, orderId);
                    }
                }, null,
                outcome -> json(HttpResponseStatus.OK, exchange.allocator(), out -> render.order(out, outcome)));
            return;
        }
        if (size == 3 || size == 4)
        {
            throw methodNotAllowed(method, uri.path());
        }
        throw ApiException.notFound("no such resource: " + uri.path());
    }

    private void createOrder(final Exchange exchange, final Principal principal)
    {
        exchange.route("orders_create");
        if (principal.scope() == Principal.Scope.AGENT)
        {
            throw forbidden("agent keys may not record channel orders");
        }
        final JsonBody body = body(exchange).only(ORDER_FIELDS);
        final String channel = body.id("channel");
        requireChannelAccess(principal, channel);
        final String orderId = body.id("order_id");
        final Line[] lines = lines(body);
        final JsonBody destination = destination(body);
        final String country = destination == null ? null : destination.optionalString("country", 2);
        final String postal = destination == null ? null : destination.optionalString("postal_code", 32);
        submit(exchange, principal, c ->
            {
                c.order(channel, orderId).destination(country, postal);
                for (final Line line : lines)
                {
                    c.addLine(line.sku(), line.qty());
                }
            }, "$.lines",
            outcome -> json(outcome.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED,
                exchange.allocator(), out -> render.order(out, outcome)));
    }

    // ---- keys ----

    private static final Set<String> KEY_FIELDS = Set.of("scope", "name");

    private void createKey(final Exchange exchange, final Principal principal)
    {
        exchange.route("api_keys_create");
        final String idempotencyKey = idempotencyKey(exchange);
        final JsonBody body = body(exchange).only(KEY_FIELDS);
        final String scope = body.string("scope", 80);
        body.optionalString("name", MAX_TEXT);
        final String replayKey = idempotencyKey == null ? null : principal.id() + '\n' + idempotencyKey;
        if (replayKey != null)
        {
            final ApiKeys.CreatedKey first = keys.replay(replayKey);
            if (first != null)
            {
                if (!first.principal().scopeText().equals(scope))
                {
                    throw new ApiException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "idempotency_conflict",
                        "this Idempotency-Key was used with a different request", null);
                }
                final FullHttpResponse replayed = keyCreated(exchange, first);
                replayed.headers().set("Idempotent-Replayed", "true");
                exchange.respond(replayed);
                return;
            }
        }
        final ApiKeys.CreatedKey created;
        try
        {
            created = keys.create(scope, replayKey);
        }
        catch (final IllegalArgumentException ex)
        {
            throw ApiException.invalid(ex.getMessage(), body.path("scope"));
        }
        catch (final IllegalStateException ex)
        {
            throw new ApiException(HttpResponseStatus.CONFLICT, "conflict", ex.getMessage(), null);
        }
        exchange.respond(keyCreated(exchange, created));
    }

    private FullHttpResponse keyCreated(final Exchange exchange, final ApiKeys.CreatedKey created)
    {
        return json(HttpResponseStatus.CREATED, exchange.allocator(), out -> out.startObject()
            .field("id", created.id())
            .field("key", created.token())
            .field("scope", created.principal().scopeText())
            .endObject());
    }
}
