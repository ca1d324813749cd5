package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Flipkart Marketplace Seller API {@code POST /listings/v3/update/inventory}: a map of seller SKU to
 * {@code {"product_id", "locations": [{"id": location_id, "inventory": N}]}}, at most 10 SKUs a request, with a
 * bearer token from the client-credentials grant ({@code GET token_url?grant_type=client_credentials&scope=Seller_Api}
 * with HTTP Basic app id and secret), refreshed before it expires or when a request answers 401. The answer maps
 * each SKU to a {@code status}: SUCCESS and WARNING acknowledge it, FAILURE refuses it. The seller SKU is the
 * engine SKU; {@code item_ids} maps it to the Flipkart product id (FSN), without which it is not synced. Changed
 * prices go at the same time to {@code POST /listings/v3/update/price} ({@code {"<seller sku>": {"product_id",
 * "price": {"mrp", "selling_price", "currency"}}}}, whole units, the same per-SKU answer); a SKU is acknowledged
 * when both its stock and its price were.
 * <p>
 * Orders are polled (the Seller API has no order push): {@code POST /v3/shipments/filter} with
 * {@code {"filter": {"type": "preDispatch", "states": ["APPROVED"], "orderDate": {"from", "to"}}}}, then the
 * answer's {@code nextPageUrl} while {@code hasMore}; the order items ({@code orderId}, {@code sku},
 * {@code quantity}, {@code orderDate}) are grouped into orders.
 */
final class FlipkartClient extends MarketplaceClient implements OrderSource
{
    static final String PATH = "/listings/v3/update/inventory";
    static final String PRICE_PATH = "/listings/v3/update/price";
    private static final String JSON_UTF8 = "application/json; charset=utf-8";
    static final String ORDERS_PATH = "/v3/shipments/filter";

    private final URI endpoint;
    private final URI priceEndpoint;
    private final OAuthToken token;

    FlipkartClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
        this.endpoint = URI.create(ShopifyClient.stripSlash(config.baseUrl().toString()) + PATH);
        this.priceEndpoint = URI.create(ShopifyClient.stripSlash(config.baseUrl().toString()) + PRICE_PATH);
        this.token = new OAuthToken(this, () -> request(URI.create(config.tokenUrl()
            + "?grant_type=client_credentials&scope=Seller_Api"))
            .header("Authorization", basic("client_id", "client_secret")).GET().build(), OAuthToken::standard);
    }

    @Override
    String itemId(final String skuId)
    {
        return config.itemId(skuId);
    }

    ObjectNode body(final List<Update> batch)
    {
        final ObjectNode root = JSON.createObjectNode();
        for (final Update u : batch)
        {
            final ObjectNode listing = root.putObject(u.skuId());
            listing.put("product_id", u.itemId());
            listing.putArray("locations").addObject().put("id", config.locationId()).put("inventory", u.qty());
        }
        return root;
    }

    @Override
    int extraCalls(final List<Update> batch)
    {
        return onePriceCall(batch);
    }

    /** A price in whole units of its currency, or null when it has a fractional part (Flipkart takes integers). */
    static Long whole(final io.truestock.engine.price.Price price)
    {
        try
        {
            return new java.math.BigDecimal(decimal(price)).longValueExact();
        }
        catch (final ArithmeticException ex)
        {
            return null;
        }
    }

    /**
     * The price update of the batch's priced SKUs: {@code mrp} is the regular price (never below the selling
     * price), {@code selling_price} the effective one, both whole units of the currency.
     */
    ObjectNode priceBody(final List<Update> priced)
    {
        final ObjectNode root = JSON.createObjectNode();
        for (final Update u : priced)
        {
            final Pricing pricing = u.pricing();
            final ObjectNode price = root.putObject(u.skuId()).put("product_id", u.itemId()).putObject("price");
            price.put("mrp", Math.max(whole(pricing.regular()), whole(pricing.price())));
            price.put("selling_price", whole(pricing.price()));
            price.put("currency", pricing.price().currency());
        }
        return root;
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        return alongside(batch, stock -> postWithToken(token, endpoint, stock, JSON_UTF8, body(stock),
            root -> perSku(stock, root)), this::prices);
    }

    /**
     * Sends the changed prices; a price with a fractional part is refused here (Flipkart's prices are integers, and
     * rounding would show a price Truestock does not quote) and dead-lettered with its reason.
     */
    private CompletableFuture<Delivery> prices(final List<Update> priced)
    {
        final List<Update> sendable = new java.util.ArrayList<>();
        for (final Update u : priced)
        {
            if (whole(u.pricing().price()) != null && whole(u.pricing().regular()) != null)
            {
                sendable.add(u);
            }
        }
        final CompletableFuture<Delivery> sent = sendable.isEmpty() ? CompletableFuture.completedFuture(new Delivery(0)) :
            postWithToken(token, priceEndpoint, sendable, JSON_UTF8, priceBody(sendable), root -> perSku(sendable, root));
        return sent.thenApply(answer ->
        {
            final Delivery delivery = new Delivery(priced.size());
            int j = 0;
            for (int i = 0; i < priced.size(); i++)
            {
                if (j < sendable.size() && sendable.get(j) == priced.get(i))
                {
                    delivery.set(i, answer.status(j), answer.status(j) == Delivery.Status.ACKED ? null : answer.error(j));
                    j++;
                }
                else
                {
                    delivery.set(i, Delivery.Status.REJECTED, "flipkart takes whole units: "
                        + decimal(priced.get(i).pricing().price()) + ' ' + priced.get(i).pricing().price().currency());
                }
            }
            return delivery.pauseMillis(answer.pauseMillis());
        });
    }

    private static Delivery perSku(final List<Update> batch, final JsonNode root)
    {
        final Delivery delivery = new Delivery(batch.size());
        for (int i = 0; i < batch.size(); i++)
        {
            final JsonNode result = root.path(batch.get(i).skuId());
            final String status = result.path("status").asText("");
            if (status.equals("SUCCESS") || status.equals("WARNING"))
            {
                delivery.set(i, Delivery.Status.ACKED, null);
            }
            else if (status.equals("FAILURE"))
            {
                final JsonNode error = result.path("errors").path(0);
                delivery.set(i, Delivery.Status.REJECTED, "flipkart " + error.path("code").asText("")
                    + ": " + error.path("description").asText(error.path("message").asText("")));
            }
            else
            {
                delivery.set(i, Delivery.Status.RETRY, "sku missing from response");
            }
        }
        return delivery;
    }

    @Override
    public CompletableFuture<Page> orders(final long sinceMillis, final String page)
    {
        final String base = ShopifyClient.stripSlash(config.baseUrl().toString());
        final ObjectNode filter = JSON.createObjectNode();
        final ObjectNode criteria = filter.putObject("filter").put("type", "preDispatch");
        criteria.putArray("states").add("APPROVED");
        criteria.putObject("orderDate").put("from", java.time.Instant.ofEpochMilli(sinceMillis).toString())
            .put("to", java.time.Instant.now().toString());
        return token.get().thenCompose(accessToken ->
        {
            if (accessToken == null)
            {
                return CompletableFuture.completedFuture(null);
            }
            final HttpRequest.Builder request = request(URI.create(base + (page == null ? ORDERS_PATH : page)))
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json");
            return exchange(page == null ? request.POST(body(json(filter))).build() : request.GET().build());
        }).thenApply(response ->
        {
            if (response == null || response.statusCode() != 200)
            {
                return null;
            }
            try
            {
                final JsonNode root = JSON.readTree(response.body());
                final java.util.Map<String, Order> byId = new java.util.LinkedHashMap<>();
                for (final JsonNode shipment : root.path("shipments"))
                {
                    for (final JsonNode item : shipment.path("orderItems"))
                    {
                        final String orderId = item.path("orderId").asText("");
                        final Order order = byId.computeIfAbsent(orderId, id -> new Order(id,
                            new java.util.LinkedHashMap<>(), java.time.Instant.parse(item.path("orderDate").asText())
                            .toEpochMilli(), null, null));
                        OrderSource.add(order.lines(), item.path("sku").asText(""), item.path("quantity").asLong(0));
                    }
                }
                final String next = root.path("nextPageUrl").asText("");
                return new Page(new java.util.ArrayList<>(byId.values()),
                    root.path("hasMore").asBoolean(false) && next.startsWith("/") ? next : null);
            }
            catch (final java.io.IOException | java.time.format.DateTimeParseException ex)
            {
                return null;
            }
        });
    }
}
