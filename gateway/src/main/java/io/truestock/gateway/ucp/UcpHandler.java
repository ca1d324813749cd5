package io.truestock.gateway.ucp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.Engine;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.checkout.AgentJson;
import io.truestock.gateway.checkout.CheckoutFailure;
import io.truestock.gateway.checkout.CheckoutService;
import io.truestock.gateway.checkout.IdempotencyStore;
import io.truestock.gateway.checkout.Session;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.Exchange;
import io.truestock.gateway.http.Responses;
import io.truestock.gateway.mcp.CatalogIndex;
import io.truestock.gateway.rules.Limits;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * UCP 2026-04-08 over REST: the business profile at {@code GET /.well-known/ucp}; under {@code /ucp} the catalog
 * ({@code POST /catalog/search}, {@code /catalog/lookup}, {@code /catalog/product}), checkouts
 * ({@code POST /checkout-sessions}, {@code GET|PUT /checkout-sessions/{id}}, {@code POST .../complete},
 * {@code .../cancel}) on the {@link CheckoutService}, and {@code GET /orders/{id}}.
 * <p>
 * Every {@code /ucp} request needs a bearer key, {@code UCP-Agent: profile="<uri>"} and a {@code Request-Id} (echoed
 * back); the checkout mutations an {@code Idempotency-Key}: the same key with another request is 409
 * {@code idempotency_conflict}, while the first still runs 409 {@code idempotency_in_flight}, a repeat gets the first
 * answer with {@code Idempotent-Replayed: true}; 5xx answers are not kept. Records are the ACP binding's persistent
 * store, scoped by protocol. Business outcomes (out of stock, an undeliverable address, a declined payment, an item
 * not sold) are HTTP 200 with {@code messages[]}; protocol errors are UCP's error response with a 4xx or 5xx.
 * Catalog reads answer on the network thread; checkout operations run on the checkout service's bounded pool.
 */
public final class UcpHandler implements Api.Extension
{
    private static final Logger LOG = LoggerFactory.getLogger(UcpHandler.class);
    /** The checkout core's protocol name of UCP sessions. */
    public static final String PROTOCOL = "ucp";
    private static final String JSON_TYPE = "application/json";
    private static final Pattern AGENT = Pattern.compile(".*\\bprofile\\s*=\\s*\"[^\"]{1,2048}\".*");
    private static final int MAX_HEADER = 2048;
    private static final int MAX_REQUEST_ID = 255;

    /** The operations of the binding. */
    private enum Operation
    {
        SEARCH, LOOKUP, PRODUCT, CREATE, GET, UPDATE, COMPLETE, CANCEL, ORDER;

        boolean mutates()
        {
            return this == CREATE || this == UPDATE || this == COMPLETE || this == CANCEL;
        }

        boolean catalog()
        {
            return this == SEARCH || this == LOOKUP || this == PRODUCT;
        }
    }

    /** A status and a UCP body. */
    private record Answer(int status, ObjectNode body)
    {
    }

    private final CheckoutService checkout;
    private final IdempotencyStore idempotency;
    private final Limits limits;
    private final EpochClock clock;
    private final UcpJson json;
    private final UcpCatalog catalog;

    /**
     * @param idempotency the agent protocols' idempotency records (scoped by protocol).
     * @param readClock   the instant catalog prices are read at.
     */
    public UcpHandler(
        final CheckoutService checkout, final IdempotencyStore idempotency, final Engine engine,
        final CatalogIndex index, final EpochClock clock, final EpochClock readClock)
    {
        this.checkout = checkout;
        this.idempotency = idempotency;
        this.limits = new Limits(engine.config());
        this.clock = clock;
        this.json = new UcpJson(limits.maxLines(), limits.maxQuantity());
        this.catalog = new UcpCatalog(engine, index, checkout, readClock, limits.maxBatchSkus());
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        final FullHttpRequest request = exchange.request();
        final HttpMethod method = request.method();
        final String baseUrl = AgentJson.baseUrl(request);
        if (path.get(0).equals(".well-known"))
        {
            exchange.route("ucp_discovery");
            if (!method.equals(HttpMethod.GET))
            {
                respond(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, UcpJson.error("method_not_allowed",
                    method + " is not allowed on " + uri.path(), null, "unrecoverable"), null, false);
                return;
            }
            respond(exchange, HttpResponseStatus.OK, UcpJson.profile(baseUrl, checkout.payments().all()), null,
                false);
            return;
        }
        final String requestId = request.headers().get("Request-Id");
        final String echo = requestId != null && requestId.length() <= MAX_REQUEST_ID &&
            requestId.chars().allMatch(c -> c > 32 && c < 127) ? requestId : null;
        if (principal == null)
        {
            final FullHttpResponse response = response(HttpResponseStatus.UNAUTHORIZED, UcpJson.error("unauthorized",
                "an 'Authorization: Bearer <key>' header with a known key is required", null, "unrecoverable"));
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            if (echo != null)
            {
                response.headers().set("Request-Id", echo);
            }
            exchange.respond(response);
            return;
        }
        final String agent = request.headers().get("UCP-Agent");
        if (agent == null || agent.length() > MAX_HEADER || !AGENT.matcher(agent).matches())
        {
            badRequest(exchange, agent == null ? "missing_ucp_agent" : "invalid_ucp_agent",
                "a UCP-Agent header naming the platform's profile is required: profile=\"https://.../.well-known/ucp\"",
                echo);
            return;
        }
        if (echo == null)
        {
            badRequest(exchange, requestId == null ? "missing_request_id" : "invalid_request_id",
                "a Request-Id header of 1 to " + MAX_REQUEST_ID + " visible ASCII characters is required", echo);
            return;
        }
        final Operation operation = operation(method, path);
        if (operation == null)
        {
            final boolean known = path.size() >= 2 && (path.get(1).equals("checkout-sessions") ||
                path.get(1).equals("catalog") || path.get(1).equals("orders"));
            respond(exchange, known ? HttpResponseStatus.METHOD_NOT_ALLOWED : HttpResponseStatus.NOT_FOUND,
                UcpJson.error(known ? "method_not_allowed" : "not_found", known ? method + " is not allowed on " +
                uri.path() : "no such resource: " + uri.path(), null, "unrecoverable"), echo, false);
            return;
        }
        exchange.route("ucp_" + operation.name().toLowerCase(Locale.ROOT));
        final String id = path.size() > 2 ? path.get(2) : null;
        final byte[] body = ByteBufUtil.getBytes(request.content());
        if (operation.catalog())
        {
            final Answer answer = guarded(() -> call(operation, principal, null, body, baseUrl));
            respond(exchange, HttpResponseStatus.valueOf(answer.status()), answer.body(), echo, false);
            return;
        }
        if (!operation.mutates())
        {
            dispatch(exchange, null, null, echo, () -> call(operation, principal, id, body, baseUrl));
            return;
        }
        final String key = request.headers().get("Idempotency-Key");
        if (key == null || !limits.isIdempotencyKey(key))
        {
            badRequest(exchange, key == null ? "idempotency_key_required" : "invalid_idempotency_key",
                "an Idempotency-Key header of 1 to " + limits.maxIdempotencyKeyLength() + " characters is required " +
                "on every checkout mutation", echo);
            return;
        }
        final String scope = PROTOCOL + '\n' + principal.id();
        final IdempotencyStore.Begin begin = idempotency.begin(scope, key, AgentJson.fingerprint(method, uri.path(), body),
            clock.time());
        switch (begin.kind())
        {
            case REPLAY ->
            {
                final FullHttpResponse response = Responses.bytes(HttpResponseStatus.valueOf(begin.status()),
                    begin.body().getBytes(StandardCharsets.UTF_8), JSON_TYPE);
                response.headers().set("Idempotent-Replayed", "true").set("Request-Id", echo);
                exchange.respond(response);
            }
            case CONFLICT -> respond(exchange, HttpResponseStatus.CONFLICT, UcpJson.error("idempotency_conflict",
                "this Idempotency-Key was used with a different request", null, "unrecoverable"), echo, false);
            case IN_FLIGHT -> respond(exchange, HttpResponseStatus.CONFLICT, UcpJson.error("idempotency_in_flight",
                "a request with this Idempotency-Key is being processed", null, "recoverable"), echo, false);
            case FULL -> respond(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, UcpJson.error(
                "idempotency_capacity", "the server keeps its maximum of idempotency records; retry later", null,
                "recoverable"), echo, false);
            default -> dispatch(exchange, scope, key, echo, () -> call(operation, principal, id, body, baseUrl));
        }
    }

    private static Operation operation(final HttpMethod method, final List<String> path)
    {
        if (path.size() < 2)
        {
            return null;
        }
        final boolean post = method.equals(HttpMethod.POST);
        switch (path.get(1))
        {
            case "catalog" ->
            {
                if (path.size() != 3 || !post)
                {
                    return null;
                }
                return switch (path.get(2))
                {
                    case "search" -> Operation.SEARCH;
                    case "lookup" -> Operation.LOOKUP;
                    case "product" -> Operation.PRODUCT;
                    default -> null;
                };
            }
            case "orders" ->
            {
                return path.size() == 3 && method.equals(HttpMethod.GET) ? Operation.ORDER : null;
            }
            case "checkout-sessions" ->
            {
                if (path.size() == 2)
                {
                    return post ? Operation.CREATE : null;
                }
                if (path.size() == 3)
                {
                    return method.equals(HttpMethod.GET) ? Operation.GET : method.equals(HttpMethod.PUT) ?
                        Operation.UPDATE : null;
                }
                if (path.size() == 4 && post)
                {
                    return switch (path.get(3))
                    {
                        case "complete" -> Operation.COMPLETE;
                        case "cancel" -> Operation.CANCEL;
                        default -> null;
                    };
                }
                return null;
            }
            default ->
            {
                return null;
            }
        }
    }

    @FunctionalInterface
    private interface Work
    {
        Answer run();
    }

    private void dispatch(
        final Exchange exchange, final String scope, final String key, final String echo, final Work work)
    {
        try
        {
            checkout.executor().execute(() ->
            {
                final Answer answer = guarded(work);
                final byte[] bytes = AgentJson.bytes(answer.body());
                if (key != null)
                {
                    idempotency.finish(scope, key, answer.status(), new String(bytes, StandardCharsets.UTF_8));
                }
                final FullHttpResponse response = Responses.bytes(HttpResponseStatus.valueOf(answer.status()), bytes,
                    JSON_TYPE);
                response.headers().set("Request-Id", echo);
                exchange.respond(response);
            });
        }
        catch (final RejectedExecutionException ex)
        {
            if (key != null)
            {
                idempotency.finish(scope, key, 503, "");
            }
            respond(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, UcpJson.error("overloaded",
                "too many checkout operations are waiting; retry later", null, "recoverable"), echo, false);
        }
    }

    private static Answer guarded(final Work work)
    {
        try
        {
            return work.run();
        }
        catch (final CheckoutFailure ex)
        {
            return failure(ex);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("UCP request failed", ex);
            return new Answer(500, UcpJson.error("internal_error", "the request could not be processed", null,
                "recoverable"));
        }
    }

    private Answer call(
        final Operation operation, final Principal principal, final String id, final byte[] body,
        final String baseUrl)
    {
        final Session session;
        int status = 200;
        switch (operation)
        {
            case SEARCH ->
            {
                return new Answer(200, catalog.search(principal, AgentJson.parseObject(body, false)));
            }
            case LOOKUP ->
            {
                return new Answer(200, catalog.lookup(principal, AgentJson.parseObject(body, false)));
            }
            case PRODUCT ->
            {
                return new Answer(200, catalog.product(principal, AgentJson.parseObject(body, false)));
            }
            case ORDER ->
            {
                final Session placed = id != null && id.startsWith("ord_") && id.length() > 4 ?
                    checkout.get(principal, PROTOCOL, "cs_" + id.substring(4)) : null;
                if (placed == null || placed.orderId() == null)
                {
                    throw new CheckoutFailure(CheckoutFailure.Kind.NOT_FOUND, "not_found", "no order '" + id + "'",
                        null);
                }
                return new Answer(200, UcpJson.order(placed, baseUrl));
            }
            case CREATE ->
            {
                session = checkout.create(principal, PROTOCOL, json.checkout(AgentJson.parseObject(body, false), false));
                status = 201;
            }
            case GET -> session = checkout.get(principal, PROTOCOL, id);
            case UPDATE -> session = checkout.update(principal, PROTOCOL, id,
                json.checkout(AgentJson.parseObject(body, false), true));
            case COMPLETE ->
            {
                final String[] payment = UcpJson.complete(AgentJson.parseObject(body, false));
                session = checkout.complete(principal, PROTOCOL, id, payment[0], payment[1]);
            }
            default ->
            {
                AgentJson.only(AgentJson.parseObject(body, true), Set.of(), "$");
                session = checkout.cancel(principal, PROTOCOL, id);
            }
        }
        return new Answer(status, UcpJson.checkout(session, checkout.payments().all(), baseUrl));
    }

    private static Answer failure(final CheckoutFailure ex)
    {
        if (ex.kind() == CheckoutFailure.Kind.INVALID && ex.code().equals("invalid_item"))
        {
            // An item not sold here is a business outcome: nothing was created or changed.
            return new Answer(200, UcpJson.error("item_unavailable", ex.getMessage(), UcpJson.path(ex.param()),
                "recoverable"));
        }
        final int status = switch (ex.kind())
        {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case CONFLICT -> 409;
            case EXPIRED -> 410;
            case UNAVAILABLE -> 503;
            case PAYMENT_UNKNOWN -> 502;
            case INTERNAL -> 500;
        };
        final String severity = switch (ex.kind())
        {
            case INVALID, UNAVAILABLE, PAYMENT_UNKNOWN -> "recoverable";
            default -> "unrecoverable";
        };
        return new Answer(status, UcpJson.error(ex.code(), ex.getMessage(), UcpJson.path(ex.param()), severity));
    }

    private static void badRequest(final Exchange exchange, final String code, final String message, final String echo)
    {
        respond(exchange, HttpResponseStatus.BAD_REQUEST, UcpJson.error(code, message, null, "unrecoverable"), echo,
            false);
    }

    /** A key over its rate limit: 429 with Retry-After, as UCP's error response (recoverable). */
    @Override
    public void refuse(final Exchange exchange, final ApiException refusal)
    {
        final FullHttpResponse response = response(refusal.status(),
            UcpJson.error(refusal.code(), refusal.getMessage(), null, "recoverable"));
        if (refusal.retryAfterSeconds() > 0)
        {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        final String requestId = exchange.request().headers().get("Request-Id");
        if (requestId != null)
        {
            response.headers().set("Request-Id", requestId);
        }
        exchange.respond(response);
    }

    private static void respond(
        final Exchange exchange, final HttpResponseStatus status, final ObjectNode body, final String echo,
        final boolean replayed)
    {
        final FullHttpResponse response = response(status, body);
        if (echo != null)
        {
            response.headers().set("Request-Id", echo);
        }
        if (replayed)
        {
            response.headers().set("Idempotent-Replayed", "true");
        }
        exchange.respond(response);
    }

    private static FullHttpResponse response(final HttpResponseStatus status, final ObjectNode body)
    {
        return Responses.bytes(status, AgentJson.bytes(body), JSON_TYPE);
    }

}
