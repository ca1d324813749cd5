package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * eBay Sell Inventory API {@code POST /sell/inventory/v1/bulk_update_price_quantity}: quantity and offer price
 * together, {@code {"requests": [{"sku", "shipToLocationAvailability": {"quantity"}, "offers": [{"offerId",
 * "availableQuantity", "price": {"value", "currency"}}]}]}}, at most 25 a call. The user access token comes from
 * the refresh-token grant ({@code POST token_url} with HTTP Basic client id and secret, {@code grant_type=
 * refresh_token}, the refresh token and the scopes), refreshed before it expires or when a call answers 401. The
 * answer (200, or 207 when some failed) has one {@code responses[]} entry per SKU with its {@code statusCode}. The
 * eBay SKU is the engine SKU; {@code item_ids} maps it to its published offer id, without which it is not synced.
 * The offer price is the SKU's effective price on the channel (eBay shows a sale as a markdown promotion, not a
 * second price), so a price change, a sale starting or ending included, is sent at its engine version.
 * <p>
 * Orders are polled (eBay's order notifications belong to the legacy platform notifications, not to this API):
 * Fulfillment API {@code GET /sell/fulfillment/v1/order?filter=creationdate:[<since>..]&limit=100&offset=N}, each
 * order's {@code lineItems[].sku} and {@code quantity} and its ship-to country and postal code.
 */
final class EbayClient extends MarketplaceClient implements OrderSource
{
    static final String ORDERS_PATH = "/sell/fulfillment/v1/order";
    static final int ORDERS_PAGE = 100;

    static final String PATH = "/sell/inventory/v1/bulk_update_price_quantity";

    private final URI endpoint;
    private final OAuthToken token;

    EbayClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
        this.endpoint = URI.create(ShopifyClient.stripSlash(config.baseUrl().toString()) + PATH);
        final String scope = config.option("scope") == null ? ChannelOptions.DEFAULT_EBAY_SCOPE : config.option("scope");
        this.token = new OAuthToken(this, () -> request(config.tokenUrl())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", basic("client_id", "client_secret"))
            .POST(form("grant_type", "refresh_token", "refresh_token", config.secret("refresh_token").reveal(),
                "scope", scope)).build(), OAuthToken::standard);
    }

    @Override
    String itemId(final String skuId)
    {
        return config.itemId(skuId);
    }

    ObjectNode body(final List<Update> batch)
    {
        final ObjectNode root = JSON.createObjectNode();
        final ArrayNode requests = root.putArray("requests");
        for (final Update u : batch)
        {
            final ObjectNode request = requests.addObject();
            request.put("sku", u.skuId());
            request.putObject("shipToLocationAvailability").put("quantity", u.qty());
            final ObjectNode offer = request.putArray("offers").addObject();
            offer.put("offerId", u.itemId());
            offer.put("availableQuantity", u.qty());
            final Pricing pricing = u.pricing();
            if (pricing != null)
            {
                final io.truestock.engine.price.Price price = pricing.price();
                offer.putObject("price").put("value", decimal(price)).put("currency", price.currency());
            }
        }
        return root;
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        return postWithToken(token, endpoint, batch, "application/json", body(batch), root -> perSku(batch, root));
    }

    private static Delivery perSku(final List<Update> batch, final JsonNode root)
    {
        final Map<String, JsonNode> bySku = new HashMap<>();
        for (final JsonNode entry : root.path("responses"))
        {
            bySku.put(entry.path("sku").asText(), entry);
        }
        final Delivery delivery = new Delivery(batch.size());
        for (int i = 0; i < batch.size(); i++)
        {
            final JsonNode entry = bySku.get(batch.get(i).skuId());
            final int status = entry == null ? 0 : entry.path("statusCode").asInt(0);
            if (status == 200)
            {
                delivery.set(i, Delivery.Status.ACKED, null);
            }
            else if (status == 0 || status == 429 || status >= 500)
            {
                delivery.set(i, Delivery.Status.RETRY, "ebay status " + status);
            }
            else
            {
                final JsonNode error = entry.path("errors").path(0);
                delivery.set(i, Delivery.Status.REJECTED, "ebay " + status + " " + error.path("errorId").asText("")
                    + ": " + error.path("message").asText(""));
            }
        }
        return delivery;
    }

    @Override
    public CompletableFuture<Page> orders(final long sinceMillis, final String page)
    {
        final int offset = page == null ? 0 : Integer.parseInt(page);
        final URI uri = URI.create(ShopifyClient.stripSlash(config.baseUrl().toString()) + ORDERS_PATH + "?filter="
            + encode("creationdate:[" + java.time.Instant.ofEpochMilli(sinceMillis) + "..]") + "&limit=" + ORDERS_PAGE
            + "&offset=" + offset);
        return token.get().thenCompose(accessToken -> accessToken == null ? CompletableFuture.completedFuture(null) :
            exchange(request(uri).header("Authorization", "Bearer " + accessToken).GET().build()))
            .thenApply(response ->
            {
                if (response == null || response.statusCode() != 200)
                {
                    return null;
                }
                try
                {
                    final JsonNode root = JSON.readTree(response.body());
                    final List<Order> orders = new java.util.ArrayList<>();
                    for (final JsonNode order : root.path("orders"))
                    {
                        final Map<String, Long> lines = new java.util.LinkedHashMap<>();
                        order.path("lineItems").forEach(line ->
                            OrderSource.add(lines, line.path("sku").asText(""), line.path("quantity").asLong(0)));
                        final JsonNode address = order.path("fulfillmentStartInstructions").path(0).path("shippingStep")
                            .path("shipTo").path("contactAddress");
                        orders.add(new Order(order.path("orderId").asText(""), lines,
                            java.time.Instant.parse(order.path("creationDate").asText()).toEpochMilli(),
                            address.path("countryCode").asText(null), address.path("postalCode").asText(null)));
                    }
                    final boolean more = root.hasNonNull("next") && !orders.isEmpty();
                    return new Page(orders, more ? Integer.toString(offset + orders.size()) : null);
                }
                catch (final java.io.IOException | java.time.format.DateTimeParseException ex)
                {
                    return null;
                }
            });
    }
}
