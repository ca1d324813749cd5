package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.Iterator;
import java.util.Map;

/**
 * Flipkart Seller API as far as the client-credentials token and the listings v3 inventory update go: Basic app
 * credentials and {@code scope=Seller_Api} for a token, a live bearer token, at most 10 SKUs, each with a product
 * id of 13 to 16 characters and the configured location; the price update likewise, each SKU with a whole-number
 * MRP and selling price. A product id starting with {@code BAD} answers FAILURE
 * for its SKU like Flipkart does for an unknown listing. Items are recorded by seller SKU.
 */
final class FakeFlipkart extends FakeMarketplace
{
    static final String TOKEN_PATH = "/oauth-service/oauth/token";
    static final String LOCATION = "LOCbba44916f16b474da588ed9b28768c43";

    FakeFlipkart(final long seed)
    {
        super(seed);
    }

    static String product(final int n)
    {
        return String.format("UMBF%012d", n);
    }

    @Override
    boolean control(final FullHttpRequest request)
    {
        return request.uri().startsWith(TOKEN_PATH);
    }

    @Override
    Answer handle(final FullHttpRequest request, final byte[] body)
    {
        final String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals(TOKEN_PATH))
        {
            if (!basic(request) || !"client_credentials".equals(query(request, "grant_type"))
                || !"Seller_Api".equals(query(request, "scope")))
            {
                return tokenRefused();
            }
            return Answer.json(HttpResponseStatus.OK, Map.of("access_token", issue(), "token_type", "bearer",
                "expires_in", 5183999, "scope", "Seller_Api"));
        }
        if (!bearer(request))
        {
            return unauthorized();
        }
        return extra(path, request, body);
    }

    Answer extra(final String path, final FullHttpRequest request, final byte[] body)
    {
        if (path.equals(FlipkartClient.ORDERS_PATH))
        {
            final long since;
            final int offset;
            if (request.method().equals(HttpMethod.POST))
            {
                final JsonNode filter = parse(body);
                final JsonNode f = filter == null ? null : filter.path("filter");
                if (f == null || !"preDispatch".equals(f.path("type").asText()) || !f.path("orderDate").has("from"))
                {
                    return shapeError("shipments filter needs type preDispatch and orderDate");
                }
                since = java.time.Instant.parse(f.path("orderDate").path("from").asText()).toEpochMilli();
                offset = 0;
            }
            else
            {
                since = Long.parseLong(String.valueOf(query(request, "from")));
                offset = Integer.parseInt(String.valueOf(query(request, "offset")));
            }
            final ObjectNode answer = JSON.createObjectNode();
            final com.fasterxml.jackson.databind.node.ArrayNode shipments = answer.putArray("shipments");
            for (final FakeOrder order : page(since, offset))
            {
                final com.fasterxml.jackson.databind.node.ArrayNode items = shipments.addObject()
                    .put("shipmentId", "S" + order.id()).putArray("orderItems");
                order.lines().forEach((sku, qty) -> items.addObject().put("orderItemId", order.id() + sku)
                    .put("orderId", order.id()).put("sku", sku).put("quantity", qty)
                    .put("orderDate", java.time.Instant.ofEpochMilli(order.createdMillis()).toString()));
            }
            final boolean more = more(since, offset);
            answer.put("hasMore", more);
            if (more)
            {
                answer.put("nextPageUrl", FlipkartClient.ORDERS_PATH + "?from=" + since + "&offset=" + (offset + pageSize));
            }
            return Answer.json(HttpResponseStatus.OK, answer);
        }
        final long version = version(request);
        if (request.method().equals(HttpMethod.POST) && path.equals(FlipkartClient.PRICE_PATH))
        {
            // Whole-number MRP and selling price (MRP not below it) and a currency; the listing shows the selling
            // price with the MRP struck through.
            return listings(body, version, listing ->
            {
                final JsonNode price = listing.path("price");
                return price.path("mrp").isIntegralNumber() && price.path("selling_price").isIntegralNumber()
                    && price.path("selling_price").asLong() > 0
                    && price.path("mrp").asLong() >= price.path("selling_price").asLong()
                    && price.path("currency").asText("").matches("[A-Z]{3}");
            }, (sku, listing) ->
            {
                final JsonNode price = listing.path("price");
                prices.put(sku, price.path("selling_price").asText() + "/" + price.path("mrp").asText() + " "
                    + price.path("currency").asText());
                applyPrice(sku, minor(price.path("selling_price")), minor(price.path("mrp")), version);
            });
        }
        if (!request.method().equals(HttpMethod.POST) || !path.equals(FlipkartClient.PATH))
        {
            return shapeError("unexpected " + request.method() + " " + path);
        }
        return listings(body, version, listing ->
        {
            final JsonNode location = listing.path("locations").path(0);
            return listing.path("locations").size() == 1 && LOCATION.equals(location.path("id").asText())
                && location.path("inventory").isIntegralNumber() && location.path("inventory").asLong() >= 0;
        }, (sku, listing) -> apply(sku, listing.path("locations").path(0).path("inventory").asLong(), version));
    }

    /**
     * A listings v3 update (inventory or price): 1 to 10 SKUs, each with a product id of 13 to 16 characters and a
     * body {@code valid} accepts, applied by {@code apply} unless the product id starts with {@code BAD}.
     */
    private Answer listings(final byte[] body, final long version, final java.util.function.Predicate<JsonNode> valid,
        final java.util.function.BiConsumer<String, JsonNode> apply)
    {
        final JsonNode root = parse(body);
        if (root == null || !root.isObject() || root.isEmpty() || root.size() > 10 || version < 0)
        {
            return shapeError("the payload maps 1 to 10 SKUs");
        }
        final ObjectNode answer = JSON.createObjectNode();
        final Iterator<Map.Entry<String, JsonNode>> skus = root.fields();
        while (skus.hasNext())
        {
            final Map.Entry<String, JsonNode> sku = skus.next();
            final String product = sku.getValue().path("product_id").asText("");
            if (product.length() < 13 || product.length() > 16 || !valid.test(sku.getValue()))
            {
                return shapeError("bad listing update " + sku);
            }
            if (product.startsWith("BAD"))
            {
                final ObjectNode failed = answer.putObject(sku.getKey()).put("status", "FAILURE");
                failed.putArray("errors").addObject().put("severity", "ERROR").put("code", "INVALID_PRODUCT")
                    .put("description", "Product id not found");
                continue;
            }
            apply.accept(sku.getKey(), sku.getValue());
            answer.putObject(sku.getKey()).put("status", "SUCCESS").putArray("errors");
        }
        return Answer.json(HttpResponseStatus.OK, answer);
    }
}
