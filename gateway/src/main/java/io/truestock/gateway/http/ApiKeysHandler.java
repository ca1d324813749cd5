package io.truestock.gateway.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.gateway.auth.ApiKeys;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.CommandPolicy;

import java.util.List;
import java.util.Set;

/** {@code POST /v1/api-keys}: key administration, outside the engine, idempotent by its own replay store. */
final class ApiKeysHandler implements Api.Extension
{
    private static final Set<String> KEY_FIELDS = Set.of("scope", "name");

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
        Api.requireSize(path.size(), 2, uri);
        Api.requireMethod(exchange.request().method(), HttpMethod.POST, uri);
        Api.refuse(CommandPolicy.requireAdmin(principal));
        exchange.route("api_keys_create");
        final String idempotencyKey = api.idempotencyKey(exchange);
        final JsonBody body = Api.body(exchange).only(KEY_FIELDS);
        final String scope = body.string("scope", 80);
        body.optionalString("name", api.limits().maxTextLength());
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
                final FullHttpResponse replayed = created(exchange, first);
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
        exchange.respond(created(exchange, created));
    }

    private static FullHttpResponse created(final Exchange exchange, final ApiKeys.CreatedKey created)
    {
        return Api.json(HttpResponseStatus.CREATED, exchange.allocator(), out -> out.startObject()
            .field("id", created.id())
            .field("key", created.token())
            .field("scope", created.principal().scopeText())
            .endObject());
    }
}
