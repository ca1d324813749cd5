package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * TikTok Shop Partner API (version 202309) {@code POST /product/202309/products/{product_id}/inventory/update}
 * with {@code {"skus": [{"id": sku_id, "inventory": [{"warehouse_id", "quantity"}]}]}}, one product a request.
 * Every request is signed: query {@code app_key}, {@code timestamp} (Unix seconds), {@code shop_cipher} and
 * {@code sign} = hex(HMAC-SHA256(app_secret, app_secret + path + the other query parameters sorted by name as
 * name+value + body + app_secret)); the access token travels in {@code x-tts-access-token}. The token comes from
 * {@code GET token_url?app_key&app_secret&refresh_token&grant_type=refresh_token} and is refreshed before it
 * expires ({@code access_token_expire_in}, Unix seconds) or when a request answers 401. A 200 answer whose
 * {@code code} is not 0 refuses the update. The item id is {@code product_id/sku_id}; unmapped SKUs are not synced.
 * A price that differs from the acknowledged one goes at the same time to {@code POST /product/202309/products/
 * {product_id}/prices/update} ({@code {"skus": [{"id": sku_id, "price": {"amount": "12.50", "currency"}}]}}, signed
 * the same way); the update is acknowledged when both answered code 0.
 * <p>
 * Orders are polled, signed the same way: {@code POST /order/202309/orders/search?page_size=50&sort_field=
 * create_time&sort_order=ASC} with {@code {"create_time_ge": <since, Unix s>}} and the answer's
 * {@code next_page_token}; each order's {@code id}, {@code create_time}, {@code line_items[]} (one a unit, by
 * {@code seller_sku}) and {@code recipient_address} region code and postal code. TikTok Shop's order push carries
 * only the order id and status, so a verified push makes the poller read at once.
 */
final class TikTokShopClient extends MarketplaceClient implements OrderSource
{
    static final String PATH = "/product/202309/products/%s/inventory/update";
    static final String PRICE_PATH = "/product/202309/products/%s/prices/update";
    static final String ORDERS_PATH = "/order/202309/orders/search";

    private final String base;
    private final OAuthToken token;

    TikTokShopClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
        this.base = ShopifyClient.stripSlash(config.baseUrl().toString());
        this.token = new OAuthToken(this, () -> request(URI.create(config.tokenUrl()
            + "?app_key=" + encode(config.secret("app_key").reveal())
            + "&app_secret=" + encode(config.secret("app_secret").reveal())
            + "&refresh_token=" + encode(config.secret("refresh_token").reveal())
            + "&grant_type=refresh_token")).GET().build(), TikTokShopClient::grant);
    }

    private static OAuthToken.Grant grant(final JsonNode root)
    {
        final JsonNode data = root.path("data");
        if (root.path("code").asInt(-1) != 0 || !data.path("access_token").isTextual())
        {
            return null;
        }
        return new OAuthToken.Grant(data.path("access_token").asText(),
            data.path("access_token_expire_in").asLong(0) * 1000);
    }

    @Override
    String itemId(final String skuId)
    {
        final String mapped = config.itemId(skuId);
        return mapped != null && tail(mapped) != null ? mapped : null;
    }

    /** The signature of a request: the query parameters other than sign and access_token, with path and body. */
    static String sign(final Secret appSecret, final String path, final Map<String, String> query, final byte[] body)
    {
        final StringBuilder text = new StringBuilder(appSecret.reveal()).append(path);
        new TreeMap<>(query).forEach((name, value) ->
        {
            if (!name.equals("sign") && !name.equals("access_token"))
            {
                text.append(name).append(value);
            }
        });
        text.append(new String(body, StandardCharsets.UTF_8)).append(appSecret.reveal());
        return HexFormat.of().formatHex(Signatures.hmac(appSecret, text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** A signed request for {@code path} with these query parameters (app_key, timestamp, shop_cipher added). */
    HttpRequest.Builder signed(final String path, final Map<String, String> params, final byte[] body,
        final String accessToken)
    {
        final Map<String, String> query = new TreeMap<>(params);
        query.put("app_key", config.secret("app_key").reveal());
        query.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
        query.put("shop_cipher", config.option("shop_cipher"));
        final StringBuilder uri = new StringBuilder(base).append(path).append('?');
        query.forEach((name, value) -> uri.append(name).append('=').append(encode(value)).append('&'));
        uri.append("sign=").append(sign(config.secret("app_secret"), path, query, body));
        return request(URI.create(uri.toString())).header("x-tts-access-token", accessToken)
            .header("Content-Type", "application/json");
    }

    ObjectNode body(final Update update)
    {
        final ObjectNode root = JSON.createObjectNode();
        final ObjectNode sku = root.putArray("skus").addObject();
        sku.put("id", tail(update.itemId()));
        final ObjectNode inventory = sku.putArray("inventory").addObject();
        if (config.option("warehouse_id") != null)
        {
            inventory.put("warehouse_id", config.option("warehouse_id"));
        }
        inventory.put("quantity", update.qty());
        return root;
    }

    /**
     * The price update of one SKU: its effective price (the sale's while one runs; TikTok Shop shows discounts as
     * promotions, not as a second price on the SKU) as decimal text with the currency.
     */
    ObjectNode priceBody(final Update update)
    {
        final ObjectNode root = JSON.createObjectNode();
        final io.truestock.engine.price.Price price = update.pricing().price();
        root.putArray("skus").addObject().put("id", tail(update.itemId())).putObject("price")
            .put("amount", decimal(price)).put("currency", price.currency());
        return root;
    }

    @Override
    int extraCalls(final List<Update> batch)
    {
        return onePriceCall(batch);
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        if (batch.size() != 1)
        {
            throw new IllegalArgumentException("the inventory update takes one product a request");
        }
        return alongside(batch, stock -> post(PATH, stock, body(stock.get(0))),
            priced -> post(PRICE_PATH, priced, priceBody(priced.get(0))));
    }

    /** A signed POST of one product's update to {@code pathFormat} (its product id filled in); code 0 acknowledges. */
    private CompletableFuture<Delivery> post(final String pathFormat, final List<Update> one, final ObjectNode payload)
    {
        return token.with(1, accessToken ->
        {
            final byte[] body = json(payload);
            final HttpRequest request = signed(String.format(pathFormat, head(one.get(0).itemId())), Map.of(), body,
                accessToken)
                .header(VERSION_HEADER, Long.toString(asOf(one)))
                .POST(body(body)).build();
            return call(1, request, root ->
            {
                final int code = root.path("code").asInt(-1);
                return code == 0 ? Delivery.all(1, Delivery.Status.ACKED, null) : Delivery.all(1,
                    Delivery.Status.REJECTED, "tiktok " + code + ": " + root.path("message").asText(""));
            });
        });
    }

    @Override
    public CompletableFuture<Page> orders(final long sinceMillis, final String page)
    {
        final Map<String, String> query = new TreeMap<>(Map.of("page_size", "50", "sort_field", "create_time",
            "sort_order", "ASC"));
        if (page != null)
        {
            query.put("page_token", page);
        }
        final byte[] body = json(JSON.createObjectNode().put("create_time_ge", sinceMillis / 1000));
        return token.get().thenCompose(accessToken -> accessToken == null ? CompletableFuture.completedFuture(null) :
            exchange(signed(ORDERS_PATH, query, body, accessToken).POST(body(body)).build()))
            .thenApply(response ->
            {
                if (response == null || response.statusCode() != 200)
                {
                    return null;
                }
                try
                {
                    final JsonNode root = JSON.readTree(response.body());
                    if (root.path("code").asInt(-1) != 0)
                    {
                        return null;
                    }
                    final List<Order> orders = new java.util.ArrayList<>();
                    for (final JsonNode order : root.path("data").path("orders"))
                    {
                        final Map<String, Long> lines = new java.util.LinkedHashMap<>();
                        order.path("line_items").forEach(line -> OrderSource.add(lines, line.path("seller_sku").asText(""), 1));
                        final JsonNode address = order.path("recipient_address");
                        orders.add(new Order(order.path("id").asText(""), lines, order.path("create_time").asLong(0) * 1000,
                            address.path("region_code").asText(null), address.path("postal_code").asText(null)));
                    }
                    final String next = root.path("data").path("next_page_token").asText("");
                    return new Page(orders, next.isEmpty() || orders.isEmpty() ? null : next);
                }
                catch (final java.io.IOException ex)
                {
                    return null;
                }
            });
    }
}
