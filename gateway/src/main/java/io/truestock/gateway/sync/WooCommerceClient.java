package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * WooCommerce REST v3 {@code POST /wp-json/wc/v3/products/batch} with {@code {"update": [{"id", "manage_stock":
 * true, "stock_quantity"}]}} (at most 100 items a batch), authenticated with the consumer key and secret (HTTP
 * Basic; use HTTPS). Each item also carries the engine version as product meta data
 * ({@code _truestock_version}), so the shop (and the tests' fake) can tell an older value from a newer one, and the
 * SKU's price on the channel: {@code regular_price} (the channel override, else the base) and {@code sale_price}
 * (the active sale's price, or empty), as decimal text; a price change is sent as an update of its own.
 * Products are addressed by numeric id: a SKU is synced only when {@code item_ids} maps it, or when the SKU
 * itself is a number.
 */
final class WooCommerceClient extends ChannelClient
{
    static final String PATH = "/wp-json/wc/v3/products/batch";
    static final String VERSION_META = "_truestock_version";

    private final URI endpoint;

    WooCommerceClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
        this.endpoint = URI.create(ShopifyClient.stripSlash(config.baseUrl().toString()) + PATH);
    }

    @Override
    String itemId(final String skuId)
    {
        final String mapped = config.itemId(skuId);
        if (mapped != null)
        {
            return mapped;
        }
        return skuId.matches("[0-9]{1,18}") ? skuId : null;
    }

    @Override
    boolean carriesPrices()
    {
        return true;
    }

    ObjectNode body(final List<Update> batch)
    {
        final ObjectNode root = JSON.createObjectNode();
        final ArrayNode update = root.putArray("update");
        for (final Update u : batch)
        {
            final ObjectNode item = update.addObject();
            item.put("id", Long.parseLong(u.itemId()));
            item.put("manage_stock", true);
            item.put("stock_quantity", u.qty());
            final io.truestock.engine.price.Price effective = u.pricing() != null ? u.pricing().price() : prices.apply(u.sku());
            final io.truestock.engine.price.Price regular = u.pricing() != null ? u.pricing().regular() :
                regularPrices.apply(u.sku());
            if (effective != null && regular != null)
            {
                // The shop shows a sale as a sale price beside the regular one; an empty sale price ends it.
                item.put("regular_price", decimal(regular));
                item.put("sale_price", effective.amountMinor() < regular.amountMinor() ? decimal(effective) : "");
            }
            final ObjectNode meta = item.putArray("meta_data").addObject();
            meta.put("key", VERSION_META);
            meta.put("value", Long.toString(u.version()));
        }
        return root;
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        final String basic = Base64.getEncoder().encodeToString((config.secret("consumer_key").reveal() + ':'
            + config.secret("consumer_secret").reveal()).getBytes(StandardCharsets.UTF_8));
        final HttpRequest request = request(endpoint)
            .header("Content-Type", "application/json")
            .header("Authorization", "Basic " + basic)
            .POST(body(json(body(batch))))
            .build();
        return exchange(request).handle((response, failure) ->
        {
            if (failure != null)
            {
                return transportFailure(batch.size(), failure);
            }
            final Delivery byStatus = byStatus(batch.size(), response, System.currentTimeMillis());
            if (byStatus != null)
            {
                return byStatus;
            }
            try
            {
                final JsonNode root = JSON.readTree(response.body());
                final Map<Long, JsonNode> byId = new HashMap<>();
                for (final JsonNode item : root.path("update"))
                {
                    byId.put(item.path("id").asLong(-1), item);
                }
                final Delivery delivery = new Delivery(batch.size());
                for (int i = 0; i < batch.size(); i++)
                {
                    final Update u = batch.get(i);
                    final JsonNode item = byId.get(Long.parseLong(u.itemId()));
                    if (item == null)
                    {
                        delivery.set(i, Delivery.Status.RETRY, "item missing from batch response");
                    }
                    else if (item.has("error"))
                    {
                        final JsonNode error = item.path("error");
                        final int status = error.path("data").path("status").asInt(400);
                        delivery.set(i, status >= 500 ? Delivery.Status.RETRY : Delivery.Status.REJECTED,
                            "woocommerce " + error.path("code").asText("") + ": " + error.path("message").asText(""));
                    }
                    else if (item.path("stock_quantity").asLong(Long.MIN_VALUE) != u.qty())
                    {
                        delivery.set(i, Delivery.Status.RETRY, "stock_quantity not applied");
                    }
                    else
                    {
                        delivery.set(i, Delivery.Status.ACKED, null);
                    }
                }
                return delivery;
            }
            catch (final java.io.IOException ex)
            {
                return Delivery.all(batch.size(), Delivery.Status.RETRY, "unreadable response");
            }
        });
    }
}
