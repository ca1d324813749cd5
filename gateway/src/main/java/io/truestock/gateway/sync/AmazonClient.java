package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Amazon SP-API Listings Items {@code patchListingsItem}: one request per SKU,
 * {@code PATCH /listings/2021-08-01/items/{sellerId}/{sku}?marketplaceIds=...} replacing
 * {@code /attributes/fulfillment_availability} with {@code [{fulfillment_channel_code: "DEFAULT", quantity: N}]},
 * authorized by an {@code x-amz-access-token} from Login with Amazon ({@code grant_type=refresh_token}), refreshed
 * a minute before it expires or when a request answers 401/403. The engine version travels in
 * {@code X-Truestock-Version}. The seller SKU is the engine SKU unless {@code item_ids} maps it. The default rate
 * is the API's own: 5 requests/s, burst 10. When the price differs from the acknowledged one the same request
 * replaces {@code /attributes/purchasable_offer}: {@code our_price}, and while a sale runs its
 * {@code discounted_price} with the sale's window.
 */
final class AmazonClient extends ChannelClient
{
    static final String PATH = "/listings/2021-08-01/items/";
    private static final long REFRESH_EARLY_MILLIS = 60_000;

    private final String base;
    private final Object tokenLock = new Object();
    private String token;
    private long tokenExpiresAtMillis;
    private CompletableFuture<String> refreshing;

    AmazonClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
        this.base = ShopifyClient.stripSlash(config.baseUrl().toString());
    }

    @Override
    boolean carriesPrices()
    {
        return true;
    }

    @Override
    String itemId(final String skuId)
    {
        final String mapped = config.itemId(skuId);
        return mapped == null ? skuId : mapped;
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        if (batch.size() != 1)
        {
            throw new IllegalArgumentException("patchListingsItem takes one SKU a request");
        }
        final Update update = batch.get(0);
        return accessToken().handle((accessToken, failure) ->
        {
            if (failure != null || accessToken == null)
            {
                return CompletableFuture.completedFuture(
                    Delivery.all(1, Delivery.Status.RETRY, "login with amazon: token refresh failed"));
            }
            return patch(update, accessToken);
        }).thenCompose(f -> f);
    }

    ObjectNode body(final Update update)
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("productType", config.productType());
        final ObjectNode patch = root.putArray("patches").addObject();
        patch.put("op", "replace");
        patch.put("path", "/attributes/fulfillment_availability");
        final ObjectNode value = patch.putArray("value").addObject();
        value.put("fulfillment_channel_code", "DEFAULT");
        value.put("quantity", update.qty());
        final Pricing pricing = update.pricing();
        if (update.priceChanged() && pricing != null)
        {
            // Replacing the whole offer: a sale's discounted price is present while it runs and gone when it ends.
            final ObjectNode price = root.withArray("patches").addObject();
            price.put("op", "replace");
            price.put("path", "/attributes/purchasable_offer");
            final ObjectNode offer = price.putArray("value").addObject();
            offer.put("marketplace_id", config.marketplaceId());
            offer.put("currency", pricing.price().currency());
            offer.put("audience", "ALL");
            offer.putArray("our_price").addObject().putArray("schedule").addObject()
                .put("value_with_tax", new java.math.BigDecimal(decimal(pricing.onSale() ? pricing.regular() : pricing.price())));
            if (pricing.onSale())
            {
                final ObjectNode sale = offer.putArray("discounted_price").addObject().putArray("schedule").addObject();
                if (pricing.saleEndMillis() > pricing.saleStartMillis())
                {
                    sale.put("start_at", java.time.Instant.ofEpochMilli(pricing.saleStartMillis()).toString());
                    sale.put("end_at", java.time.Instant.ofEpochMilli(pricing.saleEndMillis()).toString());
                }
                sale.put("value_with_tax", new java.math.BigDecimal(decimal(pricing.price())));
            }
        }
        return root;
    }

    private CompletableFuture<Delivery> patch(final Update update, final String accessToken)
    {
        final URI uri = URI.create(base + PATH + encode(config.sellerId()) + '/' + encode(update.itemId())
            + "?marketplaceIds=" + encode(config.marketplaceId()) + "&issueLocale=en_US");
        final HttpRequest request = request(uri)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("x-amz-access-token", accessToken)
            .header("X-Truestock-Version", Long.toString(update.version()))
            .method("PATCH", body(json(body(update))))
            .build();
        return exchange(request).handle((response, failure) ->
        {
            if (failure != null)
            {
                return transportFailure(1, failure);
            }
            if (response.statusCode() == 401 || response.statusCode() == 403)
            {
                invalidate(accessToken);
                return Delivery.all(1, Delivery.Status.RETRY, "http " + response.statusCode() + " (token refreshed)");
            }
            final Delivery byStatus = byStatus(1, response, System.currentTimeMillis());
            if (byStatus != null)
            {
                return byStatus;
            }
            try
            {
                final JsonNode root = JSON.readTree(response.body());
                final String status = root.path("status").asText("");
                if (status.equals("ACCEPTED"))
                {
                    return Delivery.all(1, Delivery.Status.ACKED, null);
                }
                final JsonNode issue = root.path("issues").path(0);
                return Delivery.all(1, Delivery.Status.REJECTED, "amazon " + status + ": "
                    + issue.path("code").asText("") + " " + issue.path("message").asText(""));
            }
            catch (final java.io.IOException ex)
            {
                return Delivery.all(1, Delivery.Status.RETRY, "unreadable response");
            }
        });
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A valid access token, refreshing it (once, shared by concurrent callers) when it is missing or expiring. */
    CompletableFuture<String> accessToken()
    {
        synchronized (tokenLock)
        {
            if (token != null && System.currentTimeMillis() < tokenExpiresAtMillis - REFRESH_EARLY_MILLIS)
            {
                return CompletableFuture.completedFuture(token);
            }
            if (refreshing != null)
            {
                return refreshing;
            }
            final String form = "grant_type=refresh_token"
                + "&refresh_token=" + URLEncoder.encode(config.secret("refresh_token").reveal(), StandardCharsets.UTF_8)
                + "&client_id=" + URLEncoder.encode(config.secret("client_id").reveal(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(config.secret("client_secret").reveal(), StandardCharsets.UTF_8);
            final HttpRequest request = request(config.tokenUrl())
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
            final CompletableFuture<String> future = exchange(request).handle(this::tokenFrom);
            refreshing = future;
            future.whenComplete((t, f) ->
            {
                synchronized (tokenLock)
                {
                    refreshing = null;
                }
            });
            return future;
        }
    }

    private String tokenFrom(final HttpResponse<byte[]> response, final Throwable failure)
    {
        if (failure != null || response.statusCode() != 200)
        {
            return null;
        }
        try
        {
            final JsonNode root = JSON.readTree(response.body());
            final String accessToken = root.path("access_token").asText(null);
            if (accessToken == null)
            {
                return null;
            }
            final long expiresIn = root.path("expires_in").asLong(3600);
            synchronized (tokenLock)
            {
                token = accessToken;
                tokenExpiresAtMillis = System.currentTimeMillis() + expiresIn * 1000;
            }
            return accessToken;
        }
        catch (final java.io.IOException ex)
        {
            return null;
        }
    }

    private void invalidate(final String rejected)
    {
        synchronized (tokenLock)
        {
            if (rejected.equals(token))
            {
                token = null;
            }
        }
    }
}
