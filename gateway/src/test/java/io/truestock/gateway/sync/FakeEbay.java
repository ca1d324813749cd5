package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.Map;

/**
 * eBay's OAuth refresh-token grant and Sell Inventory {@code bulk_update_price_quantity}: Basic client credentials
 * with {@code grant_type=refresh_token}, the refresh token and a scope including sell.inventory; a live bearer
 * token; 1 to 25 requests, each a SKU whose {@code shipToLocationAvailability.quantity} equals its one offer's
 * {@code availableQuantity}, the offer id mapped for that SKU ({@code off-<n>} for {@code sku-<n>}), and a price
 * as decimal text with a currency. An offer id ending in {@code -gone} answers 404 for its SKU (207 overall).
 */
final class FakeEbay extends FakeMarketplace
{
    static final String TOKEN_PATH = "/identity/v1/oauth2/token";

    FakeEbay(final long seed)
    {
        super(seed);
    }

    static String offer(final int n)
    {
        return "off-" + n;
    }

    @Override
    boolean control(final FullHttpRequest request)
    {
        return request.uri().equals(TOKEN_PATH);
    }

    @Override
    Answer handle(final FullHttpRequest request, final byte[] body)
    {
        final String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals(TOKEN_PATH))
        {
            final Map<String, String> form = form(body);
            if (!request.method().equals(HttpMethod.POST) || !basic(request)
                || !"refresh_token".equals(form.get("grant_type")) || !REFRESH_TOKEN.equals(form.get("refresh_token"))
                || !String.valueOf(form.get("scope")).contains("sell.inventory"))
            {
                return tokenRefused();
            }
            return tokenAnswer();
        }
        if (!bearer(request))
        {
            return unauthorized();
        }
        return extra(path, request, body);
    }

    Answer extra(final String path, final FullHttpRequest request, final byte[] body)
    {
        if (path.equals(EbayClient.ORDERS_PATH) && request.method().equals(HttpMethod.GET))
        {
            final java.util.regex.Matcher filter = java.util.regex.Pattern.compile("creationdate:\\[(.+)\\.\\.\\]")
                .matcher(String.valueOf(query(request, "filter")));
            if (!filter.matches() || !"100".equals(query(request, "limit")))
            {
                return shapeError("getOrders needs filter=creationdate:[<from>..] and limit: " + request.uri());
            }
            final long since = java.time.Instant.parse(filter.group(1)).toEpochMilli();
            final int offset = Integer.parseInt(String.valueOf(query(request, "offset")));
            final ObjectNode answer = JSON.createObjectNode();
            final ArrayNode list = answer.putArray("orders");
            for (final FakeOrder order : page(since, offset))
            {
                final ObjectNode o = list.addObject().put("orderId", order.id())
                    .put("creationDate", java.time.Instant.ofEpochMilli(order.createdMillis()).toString());
                final ArrayNode items = o.putArray("lineItems");
                order.lines().forEach((sku, qty) -> items.addObject().put("sku", sku).put("quantity", qty));
                o.putArray("fulfillmentStartInstructions").addObject().putObject("shippingStep").putObject("shipTo")
                    .putObject("contactAddress").put("countryCode", "US").put("postalCode", "95125");
            }
            if (more(since, offset))
            {
                answer.put("next", "https://api.ebay.com" + EbayClient.ORDERS_PATH + "?offset=" + (offset + pageSize));
            }
            return Answer.json(HttpResponseStatus.OK, answer);
        }
        if (!request.method().equals(HttpMethod.POST) || !path.equals(EbayClient.PATH))
        {
            return shapeError("unexpected " + request.method() + " " + path);
        }
        final JsonNode root = parse(body);
        final JsonNode requests = root == null ? null : root.path("requests");
        if (requests == null || !requests.isArray() || requests.isEmpty() || requests.size() > 25 || version(request) < 0)
        {
            return shapeError("bulk_update_price_quantity takes 1 to 25 requests");
        }
        for (final JsonNode r : requests)
        {
            final JsonNode offer = r.path("offers").path(0);
            final String sku = r.path("sku").asText("");
            final long qty = r.path("shipToLocationAvailability").path("quantity").asLong(-1);
            if (r.path("offers").size() != 1 || qty < 0 || offer.path("availableQuantity").asLong(-2) != qty
                || !offer.path("offerId").asText("").startsWith("off-" + sku.substring(sku.indexOf('-') + 1))
                || (offer.has("price") && (!offer.path("price").path("value").asText("").matches("[0-9]+\\.[0-9]{2}")
                || !offer.path("price").path("currency").asText("").matches("[A-Z]{3}"))))
            {
                return shapeError("bad price-quantity request " + r);
            }
        }
        final ObjectNode answer = JSON.createObjectNode();
        final ArrayNode responses = answer.putArray("responses");
        boolean partial = false;
        for (final JsonNode r : requests)
        {
            final JsonNode offer = r.path("offers").path(0);
            final ObjectNode entry = responses.addObject().put("sku", r.path("sku").asText())
                .put("offerId", offer.path("offerId").asText());
            if (offer.path("offerId").asText().endsWith("-gone"))
            {
                partial = true;
                entry.put("statusCode", 404).putArray("errors").addObject().put("errorId", 25713)
                    .put("message", "This Offer is not available.");
                continue;
            }
            apply(r.path("sku").asText(), r.path("shipToLocationAvailability").path("quantity").asLong(), version(request));
            if (offer.has("price"))
            {
                prices.put(r.path("sku").asText(), offer.path("price").path("value").asText() + " "
                    + offer.path("price").path("currency").asText());
                final long amount = minor(offer.path("price").path("value"));
                applyPrice(r.path("sku").asText(), amount, amount, version(request));
            }
            entry.put("statusCode", 200);
        }
        return Answer.json(partial ? HttpResponseStatus.MULTI_STATUS : HttpResponseStatus.OK, answer);
    }
}
