package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.Ids;
import io.truestock.engine.price.Quotes;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.offer.QuoteVerifier;
import io.truestock.gateway.rules.CommandPolicy;
import io.truestock.gateway.rules.Limits;

import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/reservations}, {@code GET|DELETE /v1/reservations/{id}} and its {@code extend} and {@code confirm};
 * a confirmation's cited quote ids are checked by the {@link QuoteVerifier}.
 */
final class ReservationsHandler implements Api.Extension
{
    private static final Set<String> EXTEND_FIELDS = Set.of("ttl_seconds");
    private static final Set<String> CONFIRM_FIELDS = Set.of("order_id", "destination", "quote_ids");

    private final Api api;
    private final QuoteVerifier quoteVerifier;

    ReservationsHandler(final Api api, final QuoteVerifier quoteVerifier)
    {
        this.api = api;
        this.quoteVerifier = quoteVerifier;
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
            reserve(exchange, principal);
            return;
        }
        final long id = Render.parseReservationId(path.get(2));
        if (id <= 0)
        {
            throw ApiException.notFound("unknown reservation '" + path.get(2) + "'");
        }
        final String scope = CommandPolicy.boundChannel(principal);
        if (size == 3)
        {
            if (method.equals(HttpMethod.GET))
            {
                exchange.route("reservations_get");
                api.submit(exchange, principal, c -> c.queryReservation(id).channel(scope), null,
                    outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(),
                        out -> api.render().reservation(out, outcome)));
            }
            else if (method.equals(HttpMethod.DELETE))
            {
                exchange.route("reservations_release");
                api.submit(exchange, principal, c -> c.release(id).channel(scope), null,
                    outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> out.startObject()
                        .field("id", Render.reservationId(id)).field("status", "released")
                        .field("version", outcome.version()).endObject()));
            }
            else
            {
                throw Api.methodNotAllowed(method, uri.path());
            }
            return;
        }
        if (size == 4 && method.equals(HttpMethod.POST) && path.get(3).equals("extend"))
        {
            exchange.route("reservations_extend");
            final JsonBody body = Api.body(exchange).only(EXTEND_FIELDS);
            final int ttl = (int)body.integer("ttl_seconds", 1, api.limits().maxTtlSeconds());
            api.submit(exchange, principal, c -> c.extend(id, ttl).channel(scope), null,
                outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(),
                    out -> api.render().reservation(out, outcome)));
            return;
        }
        if (size == 4 && method.equals(HttpMethod.POST) && path.get(3).equals("confirm"))
        {
            confirm(exchange, principal, id, scope);
            return;
        }
        if (size == 4)
        {
            throw Api.methodNotAllowed(method, uri.path());
        }
        throw ApiException.notFound("no such resource: " + uri.path());
    }

    private void confirm(final Exchange exchange, final Principal principal, final long id, final String scope)
    {
        exchange.route("reservations_confirm");
        final JsonBody body = Api.body(exchange).only(CONFIRM_FIELDS);
        final String orderId = body.id("order_id");
        final JsonBody destination = api.destination(body);
        final String[] quoteIds = body.strings("quote_ids", api.limits().maxLines(), Ids.MAX_LENGTH);
        final Quotes.Quote[] cited = new Quotes.Quote[quoteIds == null ? 0 : quoteIds.length];
        for (int i = 0; i < cited.length; i++)
        {
            cited[i] = quoteVerifier.verify(quoteIds[i]);
            if (cited[i] == null)
            {
                Api.refuse(QuoteVerifier.notIssued(quoteIds[i], body.path("quote_ids") + '[' + i + ']'));
            }
        }
        final String country = Api.country(destination);
        final String postal = api.postalCode(destination);
        api.submit(exchange, principal, c ->
            {
                c.confirm(id, orderId).channel(scope).destination(country, postal);
                for (final Quotes.Quote quote : cited)
                {
                    quoteVerifier.cite(quote, c);
                }
            }, "$.quote_ids",
            outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> api.render().order(out, outcome)));
    }

    /**
     * The body is read by the one-pass reader when it has the shape clients send, else by the strict tree reader,
     * which makes every refusal (see {@link ReserveRequest}); either way the command is filled from the same holder.
     */
    private void reserve(final Exchange exchange, final Principal principal)
    {
        exchange.route("reservations_create");
        final Limits limits = api.limits();
        final ReserveRequest request = ReserveRequest.forThread();
        if (request.read(exchange.request().content(), limits))
        {
            Api.refuse(CommandPolicy.actFor(principal, request.channel()));
        }
        else
        {
            request.readTree(Api.body(exchange), limits, principal);
        }
        api.submit(exchange, principal, request.sealed(), "$.lines",
            outcome -> Api.json(HttpResponseStatus.CREATED, exchange.allocator(),
                out -> api.render().reservation(out, outcome)));
    }
}
