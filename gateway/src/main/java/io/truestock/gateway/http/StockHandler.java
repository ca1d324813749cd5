package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.CommandPolicy;
import io.truestock.gateway.rules.Limits;

import java.util.List;
import java.util.Set;

/** {@code POST /v1/stock/receive|adjust|set}. */
final class StockHandler implements Api.Extension
{
    private static final Set<String> RECEIVE_FIELDS = Set.of("sku", "location", "qty", "reason", "reference");
    private static final Set<String> ADJUST_FIELDS = Set.of("sku", "location", "delta", "reason", "reference");
    private static final Set<String> SET_FIELDS =
        Set.of("sku", "location", "on_hand", "safety", "expected_on_hand", "reason", "reference");

    private final Api api;
    private final Engine engine;

    StockHandler(final Api api)
    {
        this.api = api;
        this.engine = api.engine();
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        Api.requireSize(path.size(), 3, uri);
        Api.requireMethod(exchange.request().method(), HttpMethod.POST, uri);
        final String action = path.get(2);
        final CommandType type = switch (action)
        {
            case "receive" -> CommandType.RECEIVE;
            case "adjust" -> CommandType.ADJUST;
            case "set" -> CommandType.SET;
            default -> null;
        };
        Api.refuse(type == null ? CommandPolicy.requireAdmin(principal) : CommandPolicy.admit(principal, type));
        if (type == null)
        {
            throw ApiException.notFound("no such resource: " + uri.path());
        }
        final Limits limits = api.limits();
        final JsonBody body;
        final CommandFiller filler;
        switch (type)
        {
            case RECEIVE ->
            {
                exchange.route("stock_receive");
                body = Api.body(exchange).only(RECEIVE_FIELDS);
                final String sku = body.id("sku");
                final String location = body.id("location");
                final long qty = body.integer("qty", 1, limits.maxQuantity());
                filler = c -> c.receive(sku, location, qty);
            }
            case ADJUST ->
            {
                exchange.route("stock_adjust");
                body = Api.body(exchange).only(ADJUST_FIELDS);
                final String sku = body.id("sku");
                final String location = body.id("location");
                final long delta = body.integer("delta", -limits.maxOnHand(), limits.maxQuantity());
                if (delta == 0)
                {
                    throw ApiException.invalid("'delta' must not be zero", body.path("delta"));
                }
                filler = c -> c.adjust(sku, location, delta);
            }
            default ->
            {
                exchange.route("stock_set");
                body = Api.body(exchange).only(SET_FIELDS);
                final String sku = body.id("sku");
                final String location = body.id("location");
                final long onHand = body.optionalInteger("on_hand", 0, limits.maxOnHand(), Command.ABSENT);
                final long safety = body.optionalInteger("safety", 0, limits.maxOnHand(), Command.ABSENT);
                final long expected = body.optionalInteger("expected_on_hand", 0, limits.maxOnHand(), Command.ABSENT);
                if (onHand == Command.ABSENT && safety == Command.ABSENT)
                {
                    throw ApiException.invalid("give 'on_hand', 'safety' or both", "$");
                }
                filler = c -> c.set(sku, location, onHand, safety, expected);
            }
        }
        final String reason = body.optionalString("reason", limits.maxTextLength());
        final String reference = body.optionalString("reference", limits.maxTextLength());
        api.submit(exchange, principal, c ->
            {
                filler.fill(c);
                c.reason(reason).reference(reference);
            }, null,
            outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> api.render().stockRecord(out,
                engine.skuId(outcome.sku()), engine.locationId(outcome.location()), outcome)));
    }
}
