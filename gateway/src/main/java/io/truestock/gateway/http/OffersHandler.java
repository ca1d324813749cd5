package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.Engine;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.routing.RoutePlan;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.offer.Offer;
import io.truestock.gateway.offer.OfferQuery;

import java.util.List;

/** {@code GET /v1/offers/{sku}?channel=&qty=&country=&postal_code=}: the {@link OfferQuery}, rendered as JSON. */
final class OffersHandler implements Api.Extension
{
    private final Engine engine;
    private final OfferQuery offers;

    OffersHandler(final Engine engine, final OfferQuery offers)
    {
        this.engine = engine;
        this.offers = offers;
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
        exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(), out ->
        {
            out.startObject()
                .field("sku", offer.skuId())
                .field("channel", offer.channelId())
                .field("qty", offer.quantity())
                .field("available", offer.available())
                .field("status", offer.status().text())
                .money("price", offer.price().amountMinor(), offer.price().currency());
            if (offer.delivers())
            {
                final DeliveryPromise promise = offer.promise();
                out.startObject("delivery")
                    .instantField("earliest", promise.earliestMillis())
                    .instantField("latest", promise.latestMillis())
                    .instantField("order_by", promise.orderByMillis())
                    .field("location", offer.deliveryLocation())
                    .field("carrier", promise.carrierId())
                    .field("service", promise.serviceId())
                    .startArray("shipments");
                final RoutePlan plan = offer.plan();
                for (int i = 0; i < plan.shipmentCount(); i++)
                {
                    final DeliveryPromise shipment = plan.shipment(i);
                    out.startObject()
                        .field("location", engine.locationId(plan.shipmentLocation(i)))
                        .field("carrier", shipment.carrierId())
                        .field("service", shipment.serviceId())
                        .instantField("earliest", shipment.earliestMillis())
                        .instantField("latest", shipment.latestMillis())
                        .instantField("order_by", shipment.orderByMillis())
                        .endObject();
                }
                out.endArray().endObject();
            }
            else
            {
                out.nullField("delivery");
                out.field("delivery_reason", offer.deliveryReason());
            }
            out.startObject("quote").field("id", offer.quoteId()).instantField("expires_at", offer.quoteExpiresAtMillis())
                .endObject()
                .field("version", offer.version())
                .endObject();
        }));
    }
}
