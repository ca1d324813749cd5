package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.price.PriceSpec;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.CommandPolicy;
import io.truestock.gateway.rules.Limits;

import java.util.List;
import java.util.Set;

/** {@code GET|PUT /v1/skus/{sku}} and its price list, {@code GET|PUT /v1/skus/{sku}/prices}. */
final class SkusHandler implements Api.Extension
{
    private static final Set<String> SKU_FIELDS = Set.of("title", "price", "components");
    private static final Set<String> MONEY_FIELDS = Set.of("amount", "currency");
    private static final Set<String> COMPONENT_FIELDS = Set.of("sku", "qty");

    private final Api api;
    private final Engine engine;

    SkusHandler(final Api api)
    {
        this.api = api;
        this.engine = api.engine();
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        final int size = path.size();
        final HttpMethod method = exchange.request().method();
        if (size == 3 && method.equals(HttpMethod.GET))
        {
            exchange.route("skus_get");
            final int sku = engine.skuIndex(Api.pathId(path, 2, "SKU"));
            if (sku < 0)
            {
                throw ApiException.notFound("unknown SKU '" + path.get(2) + "'");
            }
            exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(),
                out -> api.render().sku(out, sku, engine.lastSequence())));
            return;
        }
        if (size == 3 && method.equals(HttpMethod.PUT))
        {
            Api.refuse(CommandPolicy.admit(principal, CommandType.DEFINE_SKU));
            putSku(exchange, principal, Api.pathId(path, 2, "SKU"));
            return;
        }
        if (size == 4 && path.get(3).equals("prices"))
        {
            prices(exchange, principal, method, Api.pathId(path, 2, "SKU"), uri);
            return;
        }
        if (size == 3)
        {
            throw Api.methodNotAllowed(method, uri.path());
        }
        throw ApiException.notFound("no such resource: " + uri.path());
    }

    private void putSku(final Exchange exchange, final Principal principal, final String id)
    {
        exchange.route("skus_put");
        final Limits limits = api.limits();
        final JsonBody body = Api.body(exchange).only(SKU_FIELDS);
        final String title = body.optionalString("title", limits.maxTextLength());
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
            partQtys[i] = parts[i].integer("qty", 1, limits.maxQuantity());
        }
        final SkuSpec spec = new SkuSpec(title == null ? id : title, amount, currency, partSkus, partQtys);
        api.submit(exchange, principal, c -> c.defineSku(id, spec), "$.components",
            outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(),
                out -> api.render().sku(out, outcome.sku(), outcome.version())));
    }

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
            exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(),
                out -> Render.prices(out, skuId, spec, engine.lastSequence())));
            return;
        }
        Api.requireMethod(method, HttpMethod.PUT, uri);
        Api.refuse(CommandPolicy.admit(principal, CommandType.DEFINE_PRICES));
        exchange.route("prices_put");
        final PriceSpec spec = CatalogRequests.prices(Api.body(exchange));
        api.submit(exchange, principal, c -> c.definePrices(skuId, spec), null,
            outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(),
                out -> Render.prices(out, skuId, spec, outcome.version())));
    }
}
