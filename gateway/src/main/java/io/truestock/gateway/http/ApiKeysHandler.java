package io.truestock.gateway.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.gateway.auth.ApiKeys;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.auth.RateLimit;
import io.truestock.gateway.rules.CommandPolicy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * Key administration (admin scope), outside the engine: {@code POST /v1/api-keys} creates a key (idempotent by its
 * own replay store), {@code GET /v1/api-keys} lists them without their secrets, {@code DELETE /v1/api-keys/{id}}
 * revokes one at once on every edge.
 */
final class ApiKeysHandler implements Api.Extension
{
    private static final Set<String> KEY_FIELDS = Set.of("scope", "name", "expires_at", "rate_limit");
    private static final String READS_PER_SECOND = "reads_per_second";
    private static final String READ_BURST = "read_burst";
    private static final String WRITES_PER_SECOND = "writes_per_second";
    private static final String WRITE_BURST = "write_burst";
    private static final Set<String> RATE_FIELDS = Set.of(READS_PER_SECOND, READ_BURST, WRITES_PER_SECOND, WRITE_BURST);
    private static final Instant FIRST_INSTANT = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant AFTER_LAST_INSTANT = Instant.parse("+10000-01-01T00:00:00Z");

    private final Api api;
    private final ApiKeys keys;

    ApiKeysHandler(final Api api, final ApiKeys keys)
    {
        this.api = api;
        this.keys = keys;
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        final HttpMethod method = exchange.request().method();
        if (path.size() == 3)
        {
            Api.requireMethod(method, HttpMethod.DELETE, uri);
            Api.refuse(CommandPolicy.requireAdmin(principal));
            exchange.route("api_keys_revoke");
            revoke(exchange, path.get(2));
            return;
        }
        Api.requireSize(path.size(), 2, uri);
        if (method.equals(HttpMethod.GET))
        {
            Api.refuse(CommandPolicy.requireAdmin(principal));
            exchange.route("api_keys_list");
            list(exchange);
            return;
        }
        Api.requireMethod(method, HttpMethod.POST, uri);
        Api.refuse(CommandPolicy.requireAdmin(principal));
        exchange.route("api_keys_create");
        create(exchange, principal);
    }

    private void create(final Exchange exchange, final Principal principal)
    {
        final String idempotencyKey = api.idempotencyKey(exchange);
        final JsonBody body = Api.body(exchange).only(KEY_FIELDS);
        final String scope = body.string("scope", 80);
        final Principal.Scope scopeKind;
        try
        {
            scopeKind = ApiKeys.principal("new", scope).scope();
        }
        catch (final IllegalArgumentException ex)
        {
            throw ApiException.invalid(ex.getMessage(), body.path("scope"));
        }
        final String name = body.optionalString("name", api.limits().maxTextLength());
        final long expiresAt = expiresAt(body);
        final RateLimit rateLimit = rateLimit(body, keys.defaultLimit(scopeKind));
        final ApiKeys.KeySpec spec = new ApiKeys.KeySpec(scope, name, expiresAt, rateLimit);
        final String replayKey = idempotencyKey == null ? null : principal.id() + '\n' + idempotencyKey;
        if (replayKey != null)
        {
            final ApiKeys.CreatedKey first = keys.replay(replayKey);
            if (first != null)
            {
                if (!first.spec().equals(spec))
                {
                    throw new ApiException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "idempotency_conflict",
                        "this Idempotency-Key was used with a different request", null);
                }
                final FullHttpResponse replayed = created(exchange, first);
                replayed.headers().set("Idempotent-Replayed", "true");
                exchange.respond(replayed);
                return;
            }
        }
        final ApiKeys.CreatedKey created;
        try
        {
            created = keys.create(spec, replayKey);
        }
        catch (final IllegalArgumentException ex)
        {
            throw ApiException.invalid(ex.getMessage(), body.path("expires_at"));
        }
        catch (final IllegalStateException ex)
        {
            throw new ApiException(HttpResponseStatus.CONFLICT, "conflict", ex.getMessage(), null);
        }
        exchange.respond(created(exchange, created));
    }

    /** The optional {@code expires_at}: an RFC 3339 instant of the years 0000 to 9999 (its future-ness is the keys'). */
    private static long expiresAt(final JsonBody body)
    {
        final String text = body.optionalString("expires_at", 40);
        if (text == null)
        {
            return ApiKeys.NONE;
        }
        final Instant instant;
        try
        {
            instant = Instant.parse(text);
        }
        catch (final DateTimeParseException ex)
        {
            throw ApiException.invalid("'expires_at' must be an RFC 3339 instant such as 2026-12-31T23:59:59Z",
                body.path("expires_at"));
        }
        // java.time also parses years beyond RFC 3339's four digits, whose epoch millis may overflow.
        if (instant.isBefore(FIRST_INSTANT) || !instant.isBefore(AFTER_LAST_INSTANT))
        {
            throw ApiException.invalid("'expires_at' must be an instant of the years 0000 to 9999",
                body.path("expires_at"));
        }
        return instant.toEpochMilli();
    }

    /**
     * The optional {@code rate_limit} over the scope's default: null when absent, so that the key follows its scope's
     * configured default, else the limit the key keeps (written into its record).
     */
    private static RateLimit rateLimit(final JsonBody body, final RateLimit base)
    {
        final JsonBody given = body.object("rate_limit");
        if (given == null)
        {
            return null;
        }
        given.only(RATE_FIELDS);
        final Long readsPerSecond = rate(given, READS_PER_SECOND);
        final Long readBurst = rate(given, READ_BURST);
        final Long writesPerSecond = rate(given, WRITES_PER_SECOND);
        final Long writeBurst = rate(given, WRITE_BURST);
        final RateLimit.Rate reads;
        final RateLimit.Rate writes;
        try
        {
            reads = RateLimit.over(base.reads(), readsPerSecond, readBurst, READS_PER_SECOND, READ_BURST);
        }
        catch (final IllegalArgumentException ex)
        {
            throw ApiException.invalid(ex.getMessage(), given.path(READ_BURST));
        }
        try
        {
            writes = RateLimit.over(base.writes(), writesPerSecond, writeBurst, WRITES_PER_SECOND, WRITE_BURST);
        }
        catch (final IllegalArgumentException ex)
        {
            throw ApiException.invalid(ex.getMessage(), given.path(WRITE_BURST));
        }
        return new RateLimit(reads, writes);
    }

    private static Long rate(final JsonBody limit, final String field)
    {
        return limit.has(field) ? limit.integer(field, 1, RateLimit.MAX_RATE) : null;
    }

    private void list(final Exchange exchange)
    {
        final List<ApiKeys.KeyInfo> all = keys.list();
        exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(), out ->
        {
            out.startObject().startArray("items");
            for (final ApiKeys.KeyInfo key : all)
            {
                out.startObject();
                keyFields(out, key);
                out.endObject();
            }
            out.endArray().endObject();
        }));
    }

    private void revoke(final Exchange exchange, final String id)
    {
        if (ApiKeys.BOOTSTRAP_ID.equals(id))
        {
            throw new ApiException(HttpResponseStatus.CONFLICT, "key_not_revocable",
                "the bootstrap admin token cannot be revoked through the API: change TRUESTOCK_ADMIN_TOKEN (or " +
                "admin.token in the data dir) and restart", null);
        }
        final ApiKeys.KeyInfo revoked = keys.revoke(id);
        if (revoked == null)
        {
            throw ApiException.notFound("no API key with id '" + id + "'");
        }
        exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(), out ->
        {
            out.startObject();
            keyFields(out, revoked);
            out.field("revoked", true).endObject();
        }));
    }

    private static FullHttpResponse created(final Exchange exchange, final ApiKeys.CreatedKey created)
    {
        return Api.json(HttpResponseStatus.CREATED, exchange.allocator(), out ->
        {
            out.startObject().field("key", created.token());
            keyFields(out, created.info());
            out.endObject();
        });
    }

    /** A key as listed: never its secret. */
    private static void keyFields(final JsonOut out, final ApiKeys.KeyInfo key)
    {
        out.field("id", key.id()).field("scope", key.scope());
        if (key.name() == null)
        {
            out.nullField("name");
        }
        else
        {
            out.field("name", key.name());
        }
        instant(out, "created_at", key.createdAtMillis());
        instant(out, "last_used_at", key.lastUsedAtMillis());
        instant(out, "expires_at", key.expiresAtMillis());
        out.field("status", key.expired() ? "expired" : "active");
        out.startObject("rate_limit");
        for (final String field : new String[] {READS_PER_SECOND, READ_BURST, WRITES_PER_SECOND, WRITE_BURST})
        {
            final Long value = key.rateLimit().field(field);
            if (value == null)
            {
                out.nullField(field);
            }
            else
            {
                out.field(field, value.longValue());
            }
        }
        out.endObject();
    }

    private static void instant(final JsonOut out, final String field, final long epochMillis)
    {
        if (epochMillis == ApiKeys.NONE)
        {
            out.nullField(field);
        }
        else
        {
            out.instantField(field, epochMillis);
        }
    }
}
