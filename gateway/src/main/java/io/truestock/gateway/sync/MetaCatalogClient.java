package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Meta commerce catalog (the catalog behind WhatsApp Business, Facebook and Instagram shops), Graph API
 * {@code POST /{graph_version}/{catalog_id}/items_batch} with {@code {"item_type": "PRODUCT_ITEM", "allow_upsert":
 * false, "requests": [{"method": "UPDATE", "data": {"id": retailer_id, "inventory", "price", "sale_price"}}]}}, at
 * most 5 000 items a call, authorized by a (system user) access token as a bearer token. Prices are text with the
 * currency ("59.90 EUR"): {@code price} is the channel's regular price and {@code sale_price} the active sale's
 * (empty to end a sale). The answer's {@code validation_status} names the items refused (dead-lettered); every
 * other item is acknowledged when the call returns a handle (the catalog ingests the batch asynchronously).
 * Graph throttling (error codes 4, 17, 32, 613 and the catalog batch limit 80014) pauses the channel. The item id
 * is the retailer id: the engine SKU unless {@code item_ids} maps it.
 */
final class MetaCatalogClient extends MarketplaceClient
{
    private static final Set<Integer> THROTTLED = Set.of(4, 17, 32, 613, 80014);
    private static final long THROTTLE_PAUSE_MILLIS = 60_000;

    private final URI endpoint;

    MetaCatalogClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
        final String version = config.option("graph_version") == null ? ChannelOptions.DEFAULT_GRAPH_VERSION :
            config.option("graph_version");
        this.endpoint = URI.create(ShopifyClient.stripSlash(config.baseUrl().toString()) + '/' + version + '/'
            + config.option("catalog_id") + "/items_batch");
    }

    @Override
    String itemId(final String skuId)
    {
        return mappedOrSku(skuId);
    }

    static String money(final io.truestock.engine.price.Price price)
    {
        return decimal(price) + ' ' + price.currency();
    }

    ObjectNode body(final List<Update> batch)
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("item_type", "PRODUCT_ITEM");
        root.put("allow_upsert", false);
        final ArrayNode requests = root.putArray("requests");
        for (final Update u : batch)
        {
            final ObjectNode request = requests.addObject();
            request.put("method", "UPDATE");
            final ObjectNode data = request.putObject("data");
            data.put("id", u.itemId());
            data.put("inventory", u.qty());
            final Pricing pricing = u.pricing();
            if (pricing != null)
            {
                data.put("price", money(pricing.regular()));
                data.put("sale_price", pricing.onSale() ? money(pricing.price()) : "");
            }
        }
        return root;
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        final HttpRequest request = versioned(endpoint, batch)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + config.secret("access_token").reveal())
            .POST(body(json(body(batch)))).build();
        return exchange(request).handle((response, failure) ->
        {
            if (failure != null)
            {
                return transportFailure(batch.size(), failure);
            }
            final JsonNode root;
            try
            {
                root = JSON.readTree(response.body());
            }
            catch (final java.io.IOException ex)
            {
                final Delivery byStatus = byStatus(batch.size(), response, System.currentTimeMillis());
                return byStatus != null ? byStatus : Delivery.all(batch.size(), Delivery.Status.RETRY, "unreadable response");
            }
            final JsonNode error = root == null ? null : root.path("error");
            if (error != null && error.isObject())
            {
                final int code = error.path("code").asInt(0);
                final String text = "graph " + code + ": " + error.path("message").asText("");
                if (THROTTLED.contains(code))
                {
                    return Delivery.all(batch.size(), Delivery.Status.RETRY, text)
                        .pauseMillis(retryAfterMillis(response, System.currentTimeMillis(), THROTTLE_PAUSE_MILLIS));
                }
                if (error.path("is_transient").asBoolean(false) || response.statusCode() >= 500)
                {
                    return Delivery.all(batch.size(), Delivery.Status.RETRY, text);
                }
                return Delivery.all(batch.size(), Delivery.Status.REJECTED, text);
            }
            final Delivery byStatus = byStatus(batch.size(), response, System.currentTimeMillis());
            if (byStatus != null)
            {
                return byStatus;
            }
            if (root == null || !root.path("handles").isArray() || root.path("handles").isEmpty())
            {
                return Delivery.all(batch.size(), Delivery.Status.RETRY, "no batch handle: nothing ingested");
            }
            final Map<String, String> refused = new HashMap<>();
            for (final JsonNode status : root.path("validation_status"))
            {
                final JsonNode errors = status.path("errors");
                if (errors.isArray() && !errors.isEmpty())
                {
                    refused.put(status.path("retailer_id").asText(), errors.get(0).path("message").asText(""));
                }
            }
            final Delivery delivery = new Delivery(batch.size());
            for (int i = 0; i < batch.size(); i++)
            {
                final String why = refused.get(batch.get(i).itemId());
                delivery.set(i, why == null ? Delivery.Status.ACKED : Delivery.Status.REJECTED,
                    why == null ? null : "meta: " + why);
            }
            return delivery;
        });
    }
}
