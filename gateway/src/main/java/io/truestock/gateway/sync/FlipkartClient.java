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
 * engine SKU; {@code item_ids} maps it to the Flipkart product id (FSN), without which it is not synced. Prices are
 * not sent (the listing's price is a separate update).
 */
final class FlipkartClient extends MarketplaceClient
{
    static final String PATH = "/listings/v3/update/inventory";

    private final URI endpoint;
    private final OAuthToken token;

    FlipkartClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
        this.endpoint = URI.create(ShopifyClient.stripSlash(config.baseUrl().toString()) + PATH);
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
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        return token.with(batch.size(), accessToken ->
        {
            final HttpRequest request = versioned(endpoint, batch)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", "Bearer " + accessToken)
                .POST(body(json(body(batch)))).build();
            return call(batch.size(), request, root -> perSku(batch, root));
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

    /** The current access token, for the order poller. */
    CompletableFuture<String> accessToken()
    {
        return token.get();
    }
}
