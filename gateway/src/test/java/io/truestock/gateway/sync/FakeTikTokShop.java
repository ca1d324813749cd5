package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * TikTok Shop Partner API as far as the 202309 inventory update and the token refresh go: every API request must
 * carry the app key, the shop cipher, a timestamp within five minutes and a {@code sign} this fake computes itself
 * (app secret + path + sorted parameters + body + app secret, HMAC-SHA256 hex), a live {@code x-tts-access-token},
 * and a body of one SKU with its inventory at the configured warehouse, or (the price update) its price as
 * decimal text and a currency. Items are recorded as {@code product_id/sku_id}.
 */
final class FakeTikTokShop extends FakeMarketplace
{
    static final String APP_KEY = "6abc123";
    static final String APP_SECRET = "tts-app-secret";
    static final String SHOP_CIPHER = "ROW_cipher";
    static final String WAREHOUSE = "7068517275539719942";
    static final String TOKEN_PATH = "/api/v2/token/refresh";
    private static final String PREFIX = "/product/202309/products/";

    FakeTikTokShop(final long seed)
    {
        super(seed);
    }

    static String item(final int n)
    {
        return "17295" + n + "/" + "99" + n;
    }

    @Override
    boolean control(final FullHttpRequest request)
    {
        return request.uri().startsWith(TOKEN_PATH);
    }

    /** TikTok's signature of a request, computed independently of the client. */
    static String sign(final String path, final Map<String, String> query, final byte[] body)
    {
        final StringBuilder text = new StringBuilder(APP_SECRET).append(path);
        new TreeMap<>(query).forEach((k, v) ->
        {
            if (!k.equals("sign") && !k.equals("access_token"))
            {
                text.append(k).append(v);
            }
        });
        text.append(new String(body, StandardCharsets.UTF_8)).append(APP_SECRET);
        return HexFormat.of().formatHex(Signatures.hmac(Secret.of(APP_SECRET), text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** True when the request is signed for this app and shop, recently, with a live token. */
    boolean signed(final FullHttpRequest request, final byte[] body)
    {
        final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        final Map<String, String> query = new TreeMap<>();
        uri.parameters().forEach((k, v) -> query.put(k, v.get(0)));
        final String timestamp = query.get("timestamp");
        return APP_KEY.equals(query.get("app_key")) && SHOP_CIPHER.equals(query.get("shop_cipher"))
            && timestamp != null && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) <= 300
            && Signatures.matches(sign(uri.path(), query, body), query.get("sign"))
            && live(request.headers().get("x-tts-access-token"));
    }

    static Answer ok(final Object data)
    {
        return Answer.json(HttpResponseStatus.OK, Map.of("code", 0, "message", "Success", "data", data,
            "request_id", "2024" + System.nanoTime()));
    }

    @Override
    Answer handle(final FullHttpRequest request, final byte[] body)
    {
        final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (uri.path().equals(TOKEN_PATH))
        {
            if (!request.method().equals(HttpMethod.GET) || !APP_KEY.equals(query(request, "app_key"))
                || !APP_SECRET.equals(query(request, "app_secret")) || !REFRESH_TOKEN.equals(query(request, "refresh_token"))
                || !"refresh_token".equals(query(request, "grant_type")))
            {
                return tokenRefused();
            }
            return ok(Map.of("access_token", issue(), "access_token_expire_in", System.currentTimeMillis() / 1000 + 7200,
                "refresh_token", REFRESH_TOKEN, "refresh_token_expire_in", System.currentTimeMillis() / 1000 + 86400));
        }
        if (!signed(request, body))
        {
            authFailures.incrementAndGet();
            return Answer.json(HttpResponseStatus.UNAUTHORIZED, Map.of("code", 106001, "message", "signature is invalid"));
        }
        return extra(uri.path(), request, body);
    }

    /** The inventory update; subclasses of the test (orders) add other paths. */
    Answer extra(final String path, final FullHttpRequest request, final byte[] body)
    {
        if (path.equals(TikTokShopClient.ORDERS_PATH) && request.method().equals(HttpMethod.POST))
        {
            final JsonNode root = parse(body);
            if (root == null || !root.path("create_time_ge").isIntegralNumber() || !"ASC".equals(query(request, "sort_order")))
            {
                return shapeError("order search needs create_time_ge and ascending order");
            }
            final long since = root.path("create_time_ge").asLong() * 1000;
            final int offset = query(request, "page_token") == null ? 0 : Integer.parseInt(query(request, "page_token"));
            final java.util.List<Map<String, Object>> list = new java.util.ArrayList<>();
            for (final FakeOrder order : page(since, offset))
            {
                final java.util.List<Map<String, Object>> items = new java.util.ArrayList<>();
                // TikTok lists one line item per unit.
                order.lines().forEach((sku, qty) ->
                {
                    for (int i = 0; i < qty; i++)
                    {
                        items.add(Map.of("id", order.id() + "-" + items.size(), "seller_sku", sku));
                    }
                });
                list.add(Map.of("id", order.id(), "create_time", order.createdMillis() / 1000, "line_items", items,
                    "recipient_address", Map.of("region_code", "GB", "postal_code", "SW1A 1AA")));
            }
            return ok(Map.of("orders", list, "next_page_token", more(since, offset) ? Integer.toString(offset + pageSize) : ""));
        }
        if (request.method().equals(HttpMethod.POST) && path.startsWith(PREFIX) && path.endsWith("/prices/update"))
        {
            return price(path.substring(PREFIX.length(), path.length() - "/prices/update".length()), request, body);
        }
        if (!request.method().equals(HttpMethod.POST) || !path.startsWith(PREFIX) || !path.endsWith("/inventory/update"))
        {
            return shapeError("unexpected " + request.method() + " " + path);
        }
        final String product = path.substring(PREFIX.length(), path.length() - "/inventory/update".length());
        final JsonNode root = parse(body);
        final JsonNode skus = root == null ? null : root.path("skus");
        final JsonNode sku = skus == null ? null : skus.path(0);
        final JsonNode inventory = sku == null ? null : sku.path("inventory").path(0);
        if (skus == null || skus.size() != 1 || !sku.path("id").isTextual() || sku.path("inventory").size() != 1
            || !WAREHOUSE.equals(inventory.path("warehouse_id").asText()) || !inventory.path("quantity").isIntegralNumber()
            || inventory.path("quantity").asLong() < 0 || version(request) < 0)
        {
            return shapeError("bad inventory update " + root);
        }
        apply(product + "/" + sku.path("id").asText(), inventory.path("quantity").asLong(), version(request));
        return ok(Map.of());
    }

    /**
     * The 202309 price update: one SKU with {@code price.amount} as decimal text and a currency. The product is
     * shown at that price (TikTok Shop has no second, regular price on a SKU).
     */
    private Answer price(final String product, final FullHttpRequest request, final byte[] body)
    {
        final JsonNode root = parse(body);
        final JsonNode skus = root == null ? null : root.path("skus");
        final JsonNode price = skus == null ? null : skus.path(0).path("price");
        if (skus == null || skus.size() != 1 || !skus.path(0).path("id").isTextual() || !price.path("amount").isTextual()
            || minor(price.path("amount")) <= 0 || !price.path("currency").asText("").matches("[A-Z]{3}")
            || version(request) < 0)
        {
            return shapeError("bad price update " + root);
        }
        final String item = product + "/" + skus.path(0).path("id").asText();
        prices.put(item, price.path("amount").asText() + " " + price.path("currency").asText());
        applyPrice(item, minor(price.path("amount")), minor(price.path("amount")), version(request));
        return ok(Map.of());
    }
}
