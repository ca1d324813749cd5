package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.CommandType;
import io.truestock.engine.Ids;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.CommandPolicy;

import java.util.List;
import java.util.Set;

/** {@code POST /v1/orders} (a channel's order), {@code GET /v1/orders/{id}} and its {@code cancel} and {@code ship}. */
final class OrdersHandler implements Api.Extension
{
    private static final Set<String> ORDER_FIELDS = Set.of("channel", "order_id", "lines", "destination");

    private final Api api;

    OrdersHandler(final Api api)
    {
        this.api = api;
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        final HttpMethod method = exchange.request().method();
        final int size = path.size();
        if (size == 2)
        {
            Api.requireMethod(method, HttpMethod.POST, uri);
            createOrder(exchange, principal);
            return;
        }
        final String orderId = Api.pathId(path, 2, "order");
        final String channel = Api.single(uri, "channel");
        if (channel != null && !Ids.isValid(channel))
        {
            throw ApiException.invalid("channel must match [A-Za-z0-9._:-]{1,64}", "channel");
        }
        Api.refuse(CommandPolicy.lookUpOrder(principal, channel));
        final String lookup = CommandPolicy.orderChannel(principal, channel);
        if (size == 3 && method.equals(HttpMethod.GET))
        {
            exchange.route("orders_get");
            api.submit(exchange, principal, c -> c.queryOrder(lookup, orderId), null,
                outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> api.render().order(out, outcome)));
            return;
        }
        if (size == 4 && method.equals(HttpMethod.POST) &&
            (path.get(3).equals("cancel") || path.get(3).equals("ship")))
        {
            final boolean cancel = path.get(3).equals("cancel");
            Api.refuse(CommandPolicy.admit(principal, cancel ? CommandType.CANCEL : CommandType.SHIP));
            exchange.route(cancel ? "orders_cancel" : "orders_ship");
            api.submit(exchange, principal, c ->
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
                outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> api.render().order(out, outcome)));
            return;
        }
        if (size == 3 || size == 4)
        {
            throw Api.methodNotAllowed(method, uri.path());
        }
        throw ApiException.notFound("no such resource: " + uri.path());
    }

    private void createOrder(final Exchange exchange, final Principal principal)
    {
        exchange.route("orders_create");
        Api.refuse(CommandPolicy.admit(principal, CommandType.ORDER));
        final JsonBody body = Api.body(exchange).only(ORDER_FIELDS);
        final String channel = body.id("channel");
        Api.refuse(CommandPolicy.actFor(principal, channel));
        final String orderId = body.id("order_id");
        final Api.Line[] lines = api.lines(body);
        final JsonBody destination = api.destination(body);
        final String country = Api.country(destination);
        final String postal = api.postalCode(destination);
        api.submit(exchange, principal, c ->
            {
                c.order(channel, orderId).destination(country, postal);
                for (final Api.Line line : lines)
                {
                    c.addLine(line.sku(), line.qty());
                }
            }, "$.lines",
            outcome -> Api.json(outcome.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED,
                exchange.allocator(), out -> api.render().order(out, outcome)));
    }
}
