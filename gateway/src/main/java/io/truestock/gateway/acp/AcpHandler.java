package io.truestock.gateway.acp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
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
import io.truestock.gateway.rules.Limits;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * ACP 2026-04-17 over REST: {@code GET /.well-known/acp.json}, {@code POST /acp/checkout_sessions},
 * {@code GET|POST /acp/checkout_sessions/{id}}, {@code POST /acp/checkout_sessions/{id}/complete} and
 * {@code .../cancel}, on the {@link CheckoutService}.
 * <p>
 * Every {@code /acp} request needs a bearer key and {@code API-Version: 2026-04-17} (else 400 with
 * {@code supported_versions}); every POST an {@code Idempotency-Key}: missing 400 {@code idempotency_key_required},
 * the same key with another request 422 {@code idempotency_conflict}, while the first still runs 409
 * {@code idempotency_in_flight}, a repeat gets the first answer with {@code Idempotent-Replayed: true}; 5xx answers
 * are not kept. Errors are ACP's flat {@code {type, code, message, param}}. The network thread only checks headers
 * and copies the body; the operation runs on the checkout service's bounded pool (a full pool answers 503).
 */
public final class AcpHandler implements Api.Extension
{
    private static final Logger LOG = LoggerFactory.getLogger(AcpHandler.class);
    private static final String PROTOCOL = "acp";
    private static final String JSON_TYPE = "application/json";

    private final CheckoutService checkout;
    private final IdempotencyStore idempotency;
    private final Limits limits;
    private final EpochClock clock;
    private final AcpJson json;

    /**
     * @param idempotency the protocol's idempotency records (shared with other agent protocols, scoped by protocol).
     */
    public AcpHandler(
        final CheckoutService checkout, final IdempotencyStore idempotency, final Limits limits,
        final EpochClock clock)
    {
        this.checkout = checkout;
        this.idempotency = idempotency;
        this.limits = limits;
        this.clock = clock;
        this.json = new AcpJson(limits.maxLines(), limits.maxQuantity());
    }

    /**
     * @param principal the authenticated caller, or null when the request carried no known bearer key (discovery is
     *                  public; everything else answers 401).
     */
    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        final FullHttpRequest request = exchange.request();
        final HttpMethod method = request.method();
        final String baseUrl = AgentJson.baseUrl(request);
        if (path.get(0).equals(".well-known"))
        {
            exchange.route("acp_discovery");
            if (!method.equals(HttpMethod.GET))
            {
                respond(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, error("method_not_allowed",
                    method + " is not allowed on " + uri.path(), null), false);
                return;
            }
            respond(exchange, HttpResponseStatus.OK, AcpJson.discovery(baseUrl), false);
            return;
        }
        if (principal == null)
        {
            final FullHttpResponse response = response(HttpResponseStatus.UNAUTHORIZED,
                error("unauthorized", "an 'Authorization: Bearer <key>' header with a known key is required", null));
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            exchange.respond(response);
            return;
        }
        final String version = request.headers().get("API-Version");
        if (!AcpJson.VERSION.equals(version))
        {
            final ObjectNode body = error(version == null ? "missing_api_version" : "unsupported_api_version",
                version == null ? "the API-Version header is required" :
                "API-Version '" + version + "' is not supported", null);
            body.putArray("supported_versions").add(AcpJson.VERSION);
            respond(exchange, HttpResponseStatus.BAD_REQUEST, body, false);
            return;
        }
        final Operation operation = operation(method, path);
        if (operation == null)
        {
            final boolean known = path.size() >= 2 && path.size() <= 4 && path.get(1).equals("checkout_sessions");
            respond(exchange, known ? HttpResponseStatus.METHOD_NOT_ALLOWED : HttpResponseStatus.NOT_FOUND,
                error(known ? "method_not_allowed" : "not_found", known ? method + " is not allowed on " +
                uri.path() : "no such resource: " + uri.path(), null), false);
            return;
        }
        exchange.route("acp_" + operation.name().toLowerCase(java.util.Locale.ROOT));
        final String id = path.size() > 2 ? path.get(2) : null;
        final byte[] body = ByteBufUtil.getBytes(request.content());
        if (operation == Operation.GET)
        {
            dispatch(exchange, null, null, () -> answer(operation, principal, id, body, baseUrl));
            return;
        }
        final String key = request.headers().get("Idempotency-Key");
        if (key == null)
        {
            respond(exchange, HttpResponseStatus.BAD_REQUEST, error("idempotency_key_required",
                "an Idempotency-Key header is required on every POST", null), false);
            return;
        }
        if (!limits.isIdempotencyKey(key))
        {
            respond(exchange, HttpResponseStatus.BAD_REQUEST, error("invalid_idempotency_key",
                "Idempotency-Key must be 1 to " + limits.maxIdempotencyKeyLength() + " characters", null), false);
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
                response.headers().set("Idempotent-Replayed", "true");
                exchange.respond(response);
            }
            case CONFLICT -> respond(exchange, HttpResponseStatus.UNPROCESSABLE_ENTITY, error("idempotency_conflict",
                "this Idempotency-Key was used with a different request", null), false);
            case IN_FLIGHT -> respond(exchange, HttpResponseStatus.CONFLICT, error("idempotency_in_flight",
                "a request with this Idempotency-Key is currently being processed", null), false);
            case FULL -> respond(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, unavailable("idempotency_capacity",
                "the server keeps its maximum of idempotency records; retry later"), false);
            default -> dispatch(exchange, scope, key, () -> answer(operation, principal, id, body, baseUrl));
        }
    }

    private enum Operation
    {
        CREATE, GET, UPDATE, COMPLETE, CANCEL
    }

    private static Operation operation(final HttpMethod method, final List<String> path)
    {
        if (path.size() < 2 || !path.get(1).equals("checkout_sessions"))
        {
            return null;
        }
        if (path.size() == 2)
        {
            return method.equals(HttpMethod.POST) ? Operation.CREATE : null;
        }
        if (path.size() == 3)
        {
            return method.equals(HttpMethod.GET) ? Operation.GET : method.equals(HttpMethod.POST) ?
                Operation.UPDATE : null;
        }
        if (path.size() == 4 && method.equals(HttpMethod.POST))
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

    /** A status and a body. */
    private record Answer(HttpResponseStatus status, ObjectNode body)
    {
    }

    @FunctionalInterface
    private interface Work
    {
        Answer run();
    }

    private void dispatch(final Exchange exchange, final String scope, final String key, final Work work)
    {
        try
        {
            checkout.executor().execute(() ->
            {
                Answer answer;
                try
                {
                    answer = work.run();
                }
                catch (final CheckoutFailure ex)
                {
                    answer = failure(ex);
                }
                catch (final RuntimeException ex)
                {
                    LOG.error("ACP request failed", ex);
                    answer = new Answer(HttpResponseStatus.INTERNAL_SERVER_ERROR, AcpJson.error("processing_error",
                        "internal", "the request could not be processed", null));
                }
                final byte[] bytes = AgentJson.bytes(answer.body());
                if (key != null)
                {
                    idempotency.finish(scope, key, answer.status().code(), new String(bytes, StandardCharsets.UTF_8));
                }
                exchange.respond(Responses.bytes(answer.status(), bytes, JSON_TYPE));
            });
        }
        catch (final RejectedExecutionException ex)
        {
            if (key != null)
            {
                idempotency.finish(scope, key, 503, "");
            }
            respond(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, unavailable("overloaded",
                "too many checkout operations are waiting; retry later"), false);
        }
    }

    private Answer answer(
        final Operation operation, final Principal principal, final String id, final byte[] body, final String baseUrl)
    {
        final Session session;
        HttpResponseStatus status = HttpResponseStatus.OK;
        switch (operation)
        {
            case CREATE ->
            {
                session = checkout.create(principal, PROTOCOL, json.create(AgentJson.parseObject(body, false)));
                status = HttpResponseStatus.CREATED;
            }
            case GET -> session = checkout.get(principal, PROTOCOL, id);
            case UPDATE -> session = checkout.update(principal, PROTOCOL, id,
                json.update(AgentJson.parseObject(body, false)));
            case COMPLETE ->
            {
                final String[] payment = AcpJson.complete(AgentJson.parseObject(body, false));
                session = checkout.complete(principal, PROTOCOL, id, payment[0], payment[1]);
            }
            default ->
            {
                AcpJson.cancel(AgentJson.parseObject(body, true));
                try
                {
                    session = checkout.cancel(principal, PROTOCOL, id);
                }
                catch (final CheckoutFailure ex)
                {
                    if (ex.kind() == CheckoutFailure.Kind.CONFLICT || ex.kind() == CheckoutFailure.Kind.EXPIRED)
                    {
                        return new Answer(HttpResponseStatus.METHOD_NOT_ALLOWED,
                            AcpJson.error("invalid_request", ex.code(), ex.getMessage(), ex.param()));
                    }
                    throw ex;
                }
            }
        }
        return new Answer(status, AcpJson.session(session, checkout.payments().all(), baseUrl));
    }

    private static Answer failure(final CheckoutFailure ex)
    {
        final HttpResponseStatus status = switch (ex.kind())
        {
            case INVALID -> HttpResponseStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            case CONFLICT -> HttpResponseStatus.CONFLICT;
            case EXPIRED -> HttpResponseStatus.GONE;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case PAYMENT_UNKNOWN -> HttpResponseStatus.BAD_GATEWAY;
            case INTERNAL -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
        final String type = switch (ex.kind())
        {
            case UNAVAILABLE -> "service_unavailable";
            case PAYMENT_UNKNOWN, INTERNAL -> "processing_error";
            default -> "invalid_request";
        };
        return new Answer(status, AcpJson.error(type, ex.code(), ex.getMessage(), ex.param()));
    }

    /** A key over its rate limit: 429 with Retry-After, as ACP's flat error. */
    @Override
    public void refuse(final Exchange exchange, final ApiException refusal)
    {
        final FullHttpResponse response = response(refusal.status(),
            AcpJson.error("invalid_request", refusal.code(), refusal.getMessage(), refusal.param()));
        if (refusal.retryAfterSeconds() > 0)
        {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        exchange.respond(response);
    }

    private static ObjectNode error(final String code, final String message, final String param)
    {
        return AcpJson.error("invalid_request", code, message, param);
    }

    private static ObjectNode unavailable(final String code, final String message)
    {
        return AcpJson.error("service_unavailable", code, message, null);
    }

    private static void respond(
        final Exchange exchange, final HttpResponseStatus status, final ObjectNode body, final boolean replayed)
    {
        final FullHttpResponse response = response(status, body);
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
