package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.CommandPolicy;

import java.util.List;
import java.util.Map;

/** {@code GET /v1/carriers}, {@code GET|PUT /v1/carriers/{id}}. */
final class CarriersHandler implements Api.Extension
{
    private final Api api;
    private final Engine engine;

    CarriersHandler(final Api api)
    {
        this.api = api;
        this.engine = api.engine();
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        final HttpMethod method = exchange.request().method();
        if (path.size() == 2)
        {
            Api.requireMethod(method, HttpMethod.GET, uri);
            exchange.route("carriers_list");
            final Map<String, CarrierSpec> carriers = engine.carriers();
            exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(), out ->
            {
                out.startObject().startArray("carriers");
                carriers.forEach((id, spec) -> Render.carrier(out, id, spec));
                out.endArray().endObject();
            }));
            return;
        }
        Api.requireSize(path.size(), 3, uri);
        final String id = Api.pathId(path, 2, "carrier");
        if (method.equals(HttpMethod.GET))
        {
            exchange.route("carriers_get");
            final CarrierSpec spec = engine.carriers().get(id);
            if (spec == null)
            {
                throw ApiException.notFound("unknown carrier '" + id + "'");
            }
            exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> Render.carrier(out, id, spec)));
            return;
        }
        Api.requireMethod(method, HttpMethod.PUT, uri);
        Api.refuse(CommandPolicy.admit(principal, CommandType.DEFINE_CARRIER));
        exchange.route("carriers_put");
        final CarrierSpec spec = CatalogRequests.carrier(Api.body(exchange));
        api.submit(exchange, principal, c -> c.defineCarrier(id, spec), null,
            outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> Render.carrier(out, id, spec)));
    }
}
