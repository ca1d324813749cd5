package io.truestock.gateway.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.engine.Outcome;
import io.truestock.engine.price.Quotes;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.OutcomeHandler;
import io.truestock.engine.runtime.Sequencer;
import io.truestock.gateway.auth.ApiKeys;
import io.truestock.gateway.auth.KeyGuard;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.auth.RateLimit;
import io.truestock.gateway.metrics.Metrics;
import io.truestock.gateway.net.PassPublisher;
import io.truestock.gateway.offer.OfferQuery;
import io.truestock.gateway.offer.QuoteVerifier;
import io.truestock.gateway.rules.Limits;
import io.truestock.gateway.rules.ReadClock;
import io.truestock.gateway.rules.Refusal;
import org.agrona.concurrent.EpochClock;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The HTTP/JSON API of API.md. Runs on Netty I/O threads: it routes a request to the handler of its resource after
 * authenticating it; handlers decode and validate; queries of stock and prices read the engine's off-heap state
 * directly; everything else becomes a command in the ring ({@link #submit}), and the response is rendered on the
 * output stage when the outcome is known.
 */
public final class Api
{
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final Engine engine;
    private final Sequencer runtime;
    private final PassPublisher publisher;
    private final MinVersion minVersion;
    private volatile java.util.function.Supplier<String> clusterRole;
    private volatile java.util.function.IntSupplier clusterLeader;
    private final ApiKeys keys;
    private final Metrics metrics;
    private final Render render;
    private final Limits limits;
    private final OfferQuery offers;
    private final Map<String, Extension> extensions;
    private final Map<String, Extension> resources = new HashMap<>();

    /**
     * An endpoint group served by a handler of its own (a resource of this API, audit, streams, OpenAPI), looked up
     * by its first path segments; it receives the authenticated request. An agent protocol's handler (registered as
     * {@code acp}, or {@code .well-known/<name>}) is called before authentication is enforced, with a null principal
     * when the bearer key is missing or unknown, so it answers that in its protocol's own error format.
     */
    public interface Extension
    {
        void handle(Exchange exchange, Principal principal, List<String> path, QueryStringDecoder query);

        /**
         * Answers a refusal made before {@link #handle} ran (a key over its rate limit), in the extension's own
         * format; problem+json unless an agent protocol says otherwise. Must keep the status and any Retry-After.
         */
        default void refuse(final Exchange exchange, final ApiException refusal)
        {
            exchange.respond(Responses.problem(exchange.allocator(), refusal));
        }
    }

    /** What to answer once the outcome of a command is known; runs on the output stage. */
    @FunctionalInterface
    interface OnOutcome
    {
        FullHttpResponse render(Outcome outcome);
    }

    /**
     * @param clock          the gateway's clock, the one the runtime stamps commands with.
     * @param quotes         signs the quotes offers hand out and verifies the ones confirmations cite.
     * @param quoteTtlMillis how long a quote holds its price.
     */
    public Api(
        final Engine engine, final Sequencer runtime, final ApiKeys keys, final Metrics metrics,
        final Map<String, Extension> extensions, final EpochClock clock, final Quotes quotes,
        final long quoteTtlMillis)
    {
        this.engine = engine;
        minVersion = new MinVersion(engine::lastSequence);
        this.runtime = runtime;
        this.publisher = new PassPublisher(runtime);
        this.keys = keys;
        this.metrics = metrics;
        this.extensions = extensions;
        final ReadClock readClock = new ReadClock(clock, engine);
        this.render = new Render(engine, readClock);
        this.limits = new Limits(engine.config());
        this.offers = new OfferQuery(engine, limits, readClock, quotes, quoteTtlMillis);
        final QuoteVerifier quoteVerifier = new QuoteVerifier(engine, quotes);
        resources.put("locations", new LocationsHandler(this));
        resources.put("channels", new ChannelsHandler(this));
        resources.put("skus", new SkusHandler(this));
        resources.put("stock", new StockHandler(this));
        resources.put("availability", new AvailabilityHandler(this));
        resources.put("offers", new OffersHandler(offers, render));
        resources.put("reservations", new ReservationsHandler(this, quoteVerifier));
        resources.put("orders", new OrdersHandler(this));
        resources.put("carriers", new CarriersHandler(this));
        resources.put("api-keys", new ApiKeysHandler(this, keys));
        final InventoryEndpoint inventory = new InventoryEndpoint(this);
        resources.put("import", inventory);
        resources.put("export", inventory);
    }

    public Render render()
    {
        return render;
    }

    public Engine engine()
    {
        return engine;
    }

    public Limits limits()
    {
        return limits;
    }

    /** The one offer query, the one {@code GET /v1/offers} answers with. */
    public OfferQuery offers()
    {
        return offers;
    }

    /** An extension registered under {@code name}, or null. */
    Extension extension(final String name)
    {
        return extensions.get(name);
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
            if ((path.isEmpty() || path.get(0).equals("console") || path.get(0).equals("docs")) &&
                extensions.containsKey("console"))
            {
                // The console's pages and files hold no data and need no token; the data they show comes from
                // the API, called by the page with the key its user typed in.
                extensions.get("console").handle(exchange, null, path, uri);
                return;
            }
            final Extension agentProtocol = agentProtocol(path);
            if (agentProtocol != null)
            {
                // Agent protocols answer a missing or unknown key in their own error format (null principal); a
                // known key spends its rate limit here as on /v1.
                final Principal agent = principalOrNull(request);
                if (agent != null)
                {
                    try
                    {
                        admit(exchange, agent, method);
                    }
                    catch (final ApiException refusal)
                    {
                        agentProtocol.refuse(exchange, refusal);
                        return;
                    }
                }
                agentProtocol.handle(exchange, agent, path, uri);
                return;
            }
            if (path.size() == 1 && path.get(0).equals("mcp") && extensions.containsKey("mcp"))
            {
                // The MCP endpoint (Streamable HTTP) takes the same bearer keys as the API.
                exchange.route("mcp");
                // The endpoint spends the key's rate limit itself once it has read which tool a call names: a tool
                // that writes spends a write, anything else a read.
                final Principal caller = authenticate(request);
                extensions.get("mcp").handle(exchange, caller, path, uri);
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
            admit(exchange, principal, method);
            if (method.equals(HttpMethod.GET))
            {
                minVersion.await(exchange, uri, () -> route(exchange, principal, path, uri));
                return;
            }
            route(exchange, principal, path, uri);
        }
        catch (final ApiException ex)
        {
            exchange.respond(problem(exchange, ex));
        }
    }

    /**
     * Serves a request made inside the server on behalf of an authenticated caller (an agent protocol's tool
     * calling a resource of this API, see {@link Exchange#internal}) exactly as if it had come over HTTP with that
     * caller's key: the same handlers, validation, scopes and submission. Answers exactly once through the exchange.
     *
     * @param exchange a request under {@code /v1}.
     */
    public void dispatch(final Exchange exchange, final Principal principal)
    {
        try
        {
            final QueryStringDecoder uri = new QueryStringDecoder(exchange.request().uri());
            final List<String> path = segments(uri.path());
            if (path.size() < 2 || !path.get(0).equals("v1"))
            {
                throw ApiException.notFound("no such resource: " + uri.path());
            }
            route(exchange, principal, path, uri);
        }
        catch (final ApiException ex)
        {
            exchange.respond(problem(exchange, ex));
        }
    }

    private static FullHttpResponse problem(final Exchange exchange, final ApiException ex)
    {
        final FullHttpResponse response = Responses.problem(exchange.allocator(), ex);
        if (ex.status().code() == HttpResponseStatus.UNAUTHORIZED.code())
        {
            // RFC 9110: a 401 names the scheme it wants; MCP clients read it to know a bearer token is expected.
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        return response;
    }

    /** In cluster mode: {@code GET /health} adds this node's role and the leader's id. */
    public void clusterStatus(final java.util.function.Supplier<String> role, final java.util.function.IntSupplier leader)
    {
        clusterRole = role;
        clusterLeader = leader;
    }

    private void health(final Exchange exchange)
    {
        exchange.route("health");
        final boolean halted = runtime.halted() != null;
        final JsonOut out = new JsonOut(exchange.allocator());
        out.startObject().field("status", halted ? "halted" : "ok").field("sequence", engine.lastSequence());
        if (clusterRole != null)
        {
            out.field("role", clusterRole.get()).field("leader", clusterLeader.getAsInt());
        }
        out.endObject();
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

    /**
     * Spends one request from the key's rate limit before anything else is read: a GET is a read, any other method
     * a write. Over the limit it is 429 {@code rate_limited} with {@code Retry-After}, and nothing else is done.
     */
    private void admit(final Exchange exchange, final Principal principal, final HttpMethod method)
    {
        final RateLimit.Kind kind = method.equals(HttpMethod.GET) ? RateLimit.Kind.READ : RateLimit.Kind.WRITE;
        final long waitNanos = keys.acquire(principal, kind);
        if (waitNanos > 0)
        {
            exchange.route("rate_limited");
            throw rateLimited(kind, waitNanos);
        }
    }

    /** The refusal of a request over its key's rate limit: 429 {@code rate_limited} with {@code Retry-After}. */
    public static ApiException rateLimited(final RateLimit.Kind kind, final long waitNanos)
    {
        return new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited",
            "this key's " + (kind == RateLimit.Kind.READ ? "reads" : "writes") +
            " are over their rate limit; retry after the Retry-After delay", null,
            KeyGuard.retryAfterSeconds(waitNanos));
    }

    /**
     * The handler of an agent protocol path ({@code /acp/...}, {@code /ucp/...}, {@code /.well-known/<name>}), or
     * null.
     */
    private Extension agentProtocol(final List<String> path)
    {
        if (path.isEmpty())
        {
            return null;
        }
        if (path.get(0).equals("acp") || path.get(0).equals("ucp"))
        {
            return extensions.get(path.get(0));
        }
        if (path.size() == 2 && path.get(0).equals(".well-known"))
        {
            return extensions.get(".well-known/" + path.get(1));
        }
        return null;
    }

    /** The caller a bearer key names, or null when the header is missing or the key unknown. */
    private Principal principalOrNull(final FullHttpRequest request)
    {
        final String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            return null;
        }
        return keys.authenticate(header.substring(7).strip());
    }

    /** The non-empty segments between slashes, read-only; one pass, no regex, no stream (runs per request). */
    static List<String> segments(final String path)
    {
        int count = 0;
        for (int i = 0, n = path.length(); i < n; i++)
        {
            if (path.charAt(i) != '/' && (i == 0 || path.charAt(i - 1) == '/'))
            {
                count++;
            }
        }
        final String[] parts = new String[count];
        int found = 0;
        int start = -1;
        for (int i = 0, n = path.length(); i <= n; i++)
        {
            final boolean slash = i == n || path.charAt(i) == '/';
            if (slash && start >= 0)
            {
                parts[found++] = path.substring(start, i);
                start = -1;
            }
            else if (!slash && start < 0)
            {
                start = i;
            }
        }
        return Collections.unmodifiableList(Arrays.asList(parts));
    }

    private void route(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        final String resource = path.get(1);
        if (path.size() == 4 && resource.equals("channels") && extensions.containsKey("channels/" + path.get(3)))
        {
            extensions.get("channels/" + path.get(3)).handle(exchange, principal, path, uri);
            return;
        }
        Extension handler = resources.get(resource);
        if (handler == null)
        {
            handler = extensions.get(resource);
        }
        if (handler == null)
        {
            throw ApiException.notFound("no such resource: " + uri.path());
        }
        handler.handle(exchange, principal, path, uri);
    }

    // ---- submission: idempotency and the ring ----

    /** The request's JSON body. */
    static JsonBody body(final Exchange exchange)
    {
        final byte[] bytes = ByteBufUtil.getBytes(exchange.request().content());
        return JsonBody.parse(bytes);
    }

    /** The request's Idempotency-Key, or null; refused when it breaks the bound. */
    String idempotencyKey(final Exchange exchange)
    {
        final String key = exchange.request().headers().get("Idempotency-Key");
        if (!limits.isIdempotencyKey(key))
        {
            throw ApiException.invalid("Idempotency-Key must be 1 to " + limits.maxIdempotencyKeyLength() +
                " characters", null);
        }
        return key;
    }

    /**
     * Sends a command into the ring, stamped with the caller's principal and (for a POST) its Idempotency-Key, and
     * answers the exchange when its outcome is known: {@code onAccepted}'s response, or the rejection as a problem
     * ({@code linesPath} names the request's lines for a rejection about one). A full ring answers 503 at once.
     */
    void submit(
        final Exchange exchange, final Principal principal, final CommandFiller filler, final String linesPath,
        final OnOutcome onAccepted)
    {
        final String key = exchange.request().method().equals(HttpMethod.POST) ? idempotencyKey(exchange) : null;
        submit(exchange, principal, filler, linesPath, onAccepted, key, null);
    }

    /**
     * As {@link #submit(Exchange, Principal, CommandFiller, String, OnOutcome)} under the given key (or none), with
     * {@code onRejected} (when not null) answering a rejection instead of the standard problem; it may return null
     * to keep the standard one.
     */
    void submit(
        final Exchange exchange, final Principal principal, final CommandFiller filler, final String linesPath,
        final OnOutcome onAccepted, final String key, final OnOutcome onRejected)
    {
        final ByteBufAllocator allocator = exchange.allocator();
        final OutcomeHandler answer =
            (command, outcome) ->
            {
                FullHttpResponse response;
                try
                {
                    final FullHttpResponse special = outcome.accepted() || onRejected == null ? null :
                        onRejected.render(outcome);
                    response = outcome.accepted() ? onAccepted.render(outcome) :
                        special != null ? special : render.rejection(allocator, outcome, linesPath);
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
            };
        final CommandFiller stamped = command ->
        {
            filler.fill(command);
            command.principal(principal.id()).idempotencyKey(key);
        };
        // On an event loop the writer is woken once after the loop's pass, for every request of it.
        final boolean published = publisher.tryPublish(stamped, answer);
        if (!published)
        {
            exchange.respond(Responses.overloaded(allocator));
        }
    }

    static FullHttpResponse json(
        final HttpResponseStatus status, final ByteBufAllocator allocator, final Consumer<JsonOut> writer)
    {
        final JsonOut out = new JsonOut(allocator);
        try
        {
            writer.accept(out);
            return Responses.json(status, out.finish());
        }
        finally
        {
            // Nothing after finish; a writer that failed half-way gives its buffer (and the thread's generator) back.
            out.close();
        }
    }

    // ---- what every handler checks ----

    /** Throws the refusal, if any, as the problem HTTP answers it with. */
    static void refuse(final Refusal refusal)
    {
        if (refusal != null)
        {
            throw problem(refusal);
        }
    }

    /** The problem HTTP answers a refusal with. */
    public static ApiException problem(final Refusal refusal)
    {
        return switch (refusal.kind())
        {
            case INVALID -> ApiException.invalid(refusal.detail(), refusal.field());
            case NOT_FOUND -> ApiException.notFound(refusal.detail());
            case FORBIDDEN -> new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", refusal.detail(), null);
        };
    }

    static ApiException methodNotAllowed(final HttpMethod method, final String resource)
    {
        return new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request",
            method + " is not allowed on " + resource, null);
    }

    static void requireSize(final int size, final int expected, final QueryStringDecoder uri)
    {
        if (size != expected)
        {
            throw ApiException.notFound("no such resource: " + uri.path());
        }
    }

    static void requireMethod(final HttpMethod method, final HttpMethod expected, final QueryStringDecoder uri)
    {
        if (!method.equals(expected))
        {
            throw methodNotAllowed(method, uri.path());
        }
    }

    static String pathId(final List<String> path, final int index, final String what)
    {
        final String id = path.get(index);
        if (!Ids.isValid(id))
        {
            throw ApiException.invalid(what + " id must match [A-Za-z0-9._:-]{1,64}", null);
        }
        return id;
    }

    /** A query parameter given at most once; null when absent. */
    static String single(final QueryStringDecoder uri, final String name)
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

    /** The required {@code channel} query parameter, as a channel index. */
    int channelParam(final QueryStringDecoder uri)
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

    /** One line of a reservation or order request. */
    record Line(String sku, long qty)
    {
    }

    private static final Set<String> LINE_FIELDS = Set.of("sku", "qty");
    private static final Set<String> DESTINATION_FIELDS = Set.of("country", "postal_code");

    /** The request's {@code lines}: 1 to the engine's bound, each a SKU and a quantity within the bound. */
    Line[] lines(final JsonBody body)
    {
        return lines(body, limits);
    }

    /** {@link #lines(JsonBody)} within the given limits. */
    static Line[] lines(final JsonBody body, final Limits limits)
    {
        final int maxLines = limits.maxLines();
        final JsonBody[] items = body.objects("lines", maxLines);
        if (items == null || items.length == 0)
        {
            throw ApiException.invalid("'lines' needs 1 to " + maxLines + " lines", body.path("lines"));
        }
        final Line[] lines = new Line[items.length];
        for (int i = 0; i < items.length; i++)
        {
            items[i].only(LINE_FIELDS);
            lines[i] = new Line(items[i].id("sku"), items[i].integer("qty", 1, limits.maxQuantity()));
        }
        return lines;
    }

    /** The request's optional {@code destination}; read its fields with {@link #country} and {@link #postalCode}. */
    JsonBody destination(final JsonBody body)
    {
        final JsonBody destination = body.object("destination");
        if (destination != null)
        {
            destination.only(DESTINATION_FIELDS);
            final String country = destination.optionalString("country", 2);
            if (!Limits.isCountry(country))
            {
                throw ApiException.invalid("country must be an ISO 3166-1 alpha-2 code", destination.path("country"));
            }
        }
        return destination;
    }

    static String country(final JsonBody destination)
    {
        return destination == null ? null : destination.optionalString("country", 2);
    }

    String postalCode(final JsonBody destination)
    {
        return destination == null ? null : destination.optionalString("postal_code", limits.maxPostalCodeLength());
    }
}
