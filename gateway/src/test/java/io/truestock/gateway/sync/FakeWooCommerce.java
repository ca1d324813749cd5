package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * WooCommerce REST v3 {@code POST /wp-json/wc/v3/products/batch}: HTTP Basic with the consumer key and secret,
 * at most 100 updates, each {@code {id, manage_stock: true, stock_quantity, meta_data: [_truestock_version]}}.
 * Unknown product ids (above {@link #MAX_PRODUCT}) answer a per-item error like WooCommerce does.
 */
final class FakeWooCommerce extends FakeChannel
{
    /** The last prices each product was sent with, as "regular/sale" (sale empty when none). */
    final java.util.Map<String, String> prices = new java.util.concurrent.ConcurrentHashMap<>();

    static final String KEY = "ck_test";
    static final String SECRET = "cs_test";
    static final long MAX_PRODUCT = 1_000_000;

    FakeWooCommerce(final long seed)
    {
        super(seed);
    }

    @Override
    Answer handle(final FullHttpRequest request, final byte[] body)
    {
        if (!request.method().equals(HttpMethod.POST) || !request.uri().equals("/wp-json/wc/v3/products/batch"))
        {
            return shapeError("unexpected " + request.method() + " " + request.uri());
        }
        final String expected = "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET)
            .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(request.headers().get("Authorization")))
        {
            return unauthorized();
        }
        final JsonNode root = parse(body);
        final JsonNode updates = root == null ? null : root.path("update");
        if (updates == null || !updates.isArray() || updates.isEmpty() || updates.size() > 100)
        {
            return shapeError("'update' must hold 1 to 100 products");
        }
        final ObjectNode response = JSON.createObjectNode();
        final ArrayNode out = response.putArray("update");
        for (final JsonNode u : updates)
        {
            final JsonNode meta = u.path("meta_data").path(0);
            if (!u.path("id").isIntegralNumber() || !u.path("manage_stock").asBoolean(false)
                || !u.path("stock_quantity").isIntegralNumber() || !meta.path("key").asText().equals("_truestock_version"))
            {
                return shapeError("bad product update " + u);
            }
            final long id = u.path("id").asLong();
            if (id > MAX_PRODUCT)
            {
                final ObjectNode item = out.addObject();
                item.put("id", id);
                final ObjectNode error = item.putObject("error");
                error.put("code", "woocommerce_rest_product_invalid_id");
                error.put("message", "Invalid ID.");
                error.putObject("data").put("status", 400);
                continue;
            }
            apply(Long.toString(id), u.path("stock_quantity").asLong(), Long.parseLong(meta.path("value").asText()));
            if (u.has("regular_price"))
            {
                prices.put(Long.toString(id), u.path("regular_price").asText() + "/" + u.path("sale_price").asText());
                final long regular = minor(u.path("regular_price"));
                final String sale = u.path("sale_price").asText();
                applyPrice(Long.toString(id), sale.isEmpty() ? regular : minor(u.path("sale_price")), regular,
                    Long.parseLong(meta.path("value").asText()));
            }
            out.addObject().put("id", id).put("manage_stock", true).put("stock_quantity", u.path("stock_quantity").asLong());
        }
        return Answer.json(HttpResponseStatus.OK, response);
    }
}
