package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.offer.Offer;
import io.truestock.gateway.offer.OfferQuery;

import java.util.List;

/** {@code GET /v1/offers/{sku}?channel=&qty=&country=&postal_code=}: the {@link OfferQuery}, rendered as JSON. */
final class OffersHandler implements Api.Extension
{
    private final OfferQuery offers;
    private final Render render;

    OffersHandler(final OfferQuery offers, final Render render)
    {
        this.offers = offers;
        this.render = render;
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        Api.requireSize(path.size(), 3, uri);
        Api.requireMethod(exchange.request().method(), HttpMethod.GET, uri);
        final String skuId = Api.pathId(path, 2, "SKU");
        exchange.route("offers");
        final String channel = Api.single(uri, "channel");
        if (channel == null)
        {
            throw ApiException.invalid("query parameter 'channel' is required", "channel");
        }
        final Offer offer = new Offer();
        Api.refuse(offers.find(skuId, channel, offer));
        final String qtyText = Api.single(uri, "qty");
        long qty = 1;
        if (qtyText != null)
        {
            try
            {
                qty = Long.parseLong(qtyText);
            }
            catch (final NumberFormatException ex)
            {
                qty = -1;
            }
        }
        final String country = Api.single(uri, "country");
        final String postal = Api.single(uri, "postal_code");
        Api.refuse(offers.answer(qty, country, postal, offer));
        exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> render.offer(out, offer)));
    }
}
