package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.CommandType;
import io.truestock.engine.LocationSpec;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.CommandPolicy;
import io.truestock.gateway.rules.Limits;

import java.util.List;

/** {@code PUT /v1/locations/{id}}. */
final class LocationsHandler implements Api.Extension
{
    private final Api api;

    LocationsHandler(final Api api)
    {
        this.api = api;
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        Api.requireSize(path.size(), 3, uri);
        Api.requireMethod(exchange.request().method(), HttpMethod.PUT, uri);
        Api.refuse(CommandPolicy.admit(principal, CommandType.DEFINE_LOCATION));
        final String id = Api.pathId(path, 2, "location");
        exchange.route("locations_put");
        final Limits limits = api.limits();
        final LocationSpec spec = CatalogRequests.location(Api.body(exchange), limits.maxTextLength(),
            limits.maxPostalCodeLength());
        api.submit(exchange, principal, c -> c.defineLocation(id, spec), null,
            outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> api.render().location(out, id, spec)));
    }
}
