package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Walmart Marketplace inventory. A small batch is sent item by item, {@code PUT /v3/inventory?sku=...} with
 * {@code {"sku", "quantity": {"unit": "EACH", "amount"}}}; a batch of {@code feed_threshold} (50) or more goes as
 * one bulk feed, {@code POST /v3/feeds?feedType=inventory} (multipart, a JSON file {@code {"InventoryHeader":
 * {"version": "1.4"}, "Inventory": [...]}}), whose {@code feedId} is then polled ({@code GET
 * /v3/feeds/{feedId}?includeDetails=true}, every {@code feed_poll_millis}, 30 s by default, at most 120 times)
 * until it is PROCESSED and each SKU's {@code ingestionStatus} is known. Every request carries
 * {@code WM_SEC.ACCESS_TOKEN} (from the client-credentials grant {@code POST /v3/token}, HTTP Basic client id and
 * secret, refreshed before it expires or on a 401), a fresh {@code WM_QOS.CORRELATION_ID}, {@code WM_SVC.NAME}
 * and, when configured, {@code WM_CONSUMER.CHANNEL.TYPE}. The SKU is the engine SKU unless {@code item_ids} maps
 * it. Prices are not sent (Walmart takes them on its price API).
 * <p>
 * Orders are polled: {@code GET /v3/orders?createdStartDate=<since>&limit=100}, then the answer's
 * {@code list.meta.nextCursor} (a query string) for the next page; each purchase order's {@code purchaseOrderId},
 * {@code orderDate}, {@code orderLines.orderLine[].item.sku} and {@code orderLineQuantity.amount}, and its postal
 * code (Walmart's three-letter country is mapped for the US only).
 */
final class WalmartClient extends MarketplaceClient implements OrderSource
{
    static final int MAX_FEED_POLLS = 120;

    private final String base;
    private final OAuthToken token;
    private final int feedThreshold;
    private final long feedPollMillis;

    WalmartClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
        this.base = ShopifyClient.stripSlash(config.baseUrl().toString());
        this.feedThreshold = (int)ChannelOptions.number(config, "feed_threshold", 50);
        this.feedPollMillis = ChannelOptions.number(config, "feed_poll_millis", 30_000);
        final URI tokenUrl = config.tokenUrl() != null ? config.tokenUrl() : URI.create(base + "/v3/token");
        this.token = new OAuthToken(this, () -> walmart(request(tokenUrl))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", basic("client_id", "client_secret"))
            .POST(form("grant_type", "client_credentials")).build(), OAuthToken::standard);
    }

    /** The headers every Walmart request carries besides the token. */
    HttpRequest.Builder walmart(final HttpRequest.Builder builder)
    {
        builder.header("WM_QOS.CORRELATION_ID", UUID.randomUUID().toString())
            .header("WM_SVC.NAME", config.option("service_name") == null ? ChannelOptions.DEFAULT_WALMART_SERVICE :
                config.option("service_name"))
            .header("Accept", "application/json");
        if (config.option("channel_type") != null)
        {
            builder.header("WM_CONSUMER.CHANNEL.TYPE", config.option("channel_type"));
        }
        return builder;
    }

    @Override
    String itemId(final String skuId)
    {
        return mappedOrSku(skuId);
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        return token.with(batch.size(), accessToken ->
        {
            if (batch.size() >= feedThreshold)
            {
                return feed(batch, accessToken);
            }
            final List<CompletableFuture<Delivery>> singles = new ArrayList<>();
            for (final Update u : batch)
            {
                singles.add(single(u, batch, accessToken));
            }
            return CompletableFuture.allOf(singles.toArray(new CompletableFuture<?>[0])).thenApply(done ->
            {
                final Delivery delivery = new Delivery(batch.size());
                for (int i = 0; i < batch.size(); i++)
                {
                    final Delivery one = singles.get(i).join();
                    if (one == OAuthToken.UNAUTHORIZED)
                    {
                        return OAuthToken.UNAUTHORIZED;
                    }
                    delivery.set(i, one.status(0), one.status(0) == Delivery.Status.ACKED ? null : one.error(0));
                    delivery.pauseMillis(one.pauseMillis());
                }
                return delivery;
            });
        });
    }

    static ObjectNode item(final Update u)
    {
        final ObjectNode item = JSON.createObjectNode();
        item.put("sku", u.itemId());
        item.putObject("quantity").put("unit", "EACH").put("amount", u.qty());
        return item;
    }

    private HttpRequest.Builder authorized(final URI uri, final List<Update> batch, final String accessToken)
    {
        return walmart(versioned(uri, batch)).header("WM_SEC.ACCESS_TOKEN", accessToken);
    }

    private CompletableFuture<Delivery> single(final Update u, final List<Update> batch, final String accessToken)
    {
        final String node = config.option("ship_node") == null ? "" : "&shipNode=" + encode(config.option("ship_node"));
        final HttpRequest request = authorized(URI.create(base + "/v3/inventory?sku=" + encode(u.itemId()) + node),
            batch, accessToken)
            .header("Content-Type", "application/json")
            .PUT(body(json(item(u)))).build();
        return call(1, request, root -> root.path("quantity").path("amount").asLong(Long.MIN_VALUE) == u.qty() ?
            Delivery.all(1, Delivery.Status.ACKED, null) : Delivery.all(1, Delivery.Status.RETRY, "quantity not applied"));
    }

    private CompletableFuture<Delivery> feed(final List<Update> batch, final String accessToken)
    {
        final ObjectNode file = JSON.createObjectNode();
        file.putObject("InventoryHeader").put("version", "1.4");
        final ArrayNode inventory = file.putArray("Inventory");
        batch.forEach(u -> inventory.add(item(u)));
        final String boundary = "truestock-" + UUID.randomUUID();
        final byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"inventory.json\""
            + "\r\nContent-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        final byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        final HttpRequest request = authorized(URI.create(base + "/v3/feeds?feedType=inventory"), batch, accessToken)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.concat(body(head), body(json(file)), body(tail))).build();
        return exchange(request).handle((response, failure) ->
        {
            if (failure != null)
            {
                return CompletableFuture.completedFuture(transportFailure(batch.size(), failure));
            }
            if (response.statusCode() == 401)
            {
                return CompletableFuture.completedFuture(OAuthToken.UNAUTHORIZED);
            }
            final Delivery byStatus = byStatus(batch.size(), response, System.currentTimeMillis());
            if (byStatus != null)
            {
                return CompletableFuture.completedFuture(byStatus);
            }
            final String feedId = text(response, "feedId");
            return feedId == null ? CompletableFuture.completedFuture(
                Delivery.all(batch.size(), Delivery.Status.RETRY, "feed accepted without a feedId")) :
                poll(batch, feedId, accessToken, 1);
        }).thenCompose(f -> f);
    }

    private static String text(final HttpResponse<byte[]> response, final String field)
    {
        try
        {
            final JsonNode value = JSON.readTree(response.body()).path(field);
            return value.isTextual() ? value.asText() : null;
        }
        catch (final java.io.IOException ex)
        {
            return null;
        }
    }

    private CompletableFuture<Delivery> poll(final List<Update> batch, final String feedId, final String accessToken,
        final int attempt)
    {
        final HttpRequest request = authorized(URI.create(base + "/v3/feeds/" + encode(feedId) + "?includeDetails=true"),
            batch, accessToken).GET().build();
        return CompletableFuture.supplyAsync(() -> null,
            CompletableFuture.delayedExecutor(feedPollMillis, TimeUnit.MILLISECONDS))
            .thenCompose(ignored -> exchange(request))
            .handle((response, failure) ->
            {
                if (failure == null && response.statusCode() == 200)
                {
                    final Delivery done = feedResult(batch, feedId, response.body());
                    if (done != null)
                    {
                        return CompletableFuture.completedFuture(done);
                    }
                }
                if (attempt >= MAX_FEED_POLLS)
                {
                    return CompletableFuture.completedFuture(Delivery.all(batch.size(), Delivery.Status.RETRY,
                        "feed " + feedId + " not processed after " + attempt + " status reads"));
                }
                // A failed or throttled status read is read again at the next poll: the feed itself was accepted.
                return poll(batch, feedId, accessToken, attempt + 1);
            }).thenCompose(f -> f);
    }

    /** The per-SKU outcome of a processed feed, or null while it is still being processed. */
    private static Delivery feedResult(final List<Update> batch, final String feedId, final byte[] body)
    {
        try
        {
            final JsonNode root = JSON.readTree(body);
            final String status = root.path("feedStatus").asText("");
            if (status.equals("ERROR"))
            {
                return Delivery.all(batch.size(), Delivery.Status.RETRY, "feed " + feedId + " ERROR");
            }
            if (!status.equals("PROCESSED"))
            {
                return null;
            }
            final Map<String, JsonNode> bySku = new HashMap<>();
            for (final JsonNode item : root.path("itemDetails").path("itemIngestionStatus"))
            {
                bySku.put(item.path("sku").asText(), item);
            }
            final Delivery delivery = new Delivery(batch.size());
            for (int i = 0; i < batch.size(); i++)
            {
                final JsonNode item = bySku.get(batch.get(i).itemId());
                final String ingestion = item == null ? "" : item.path("ingestionStatus").asText("");
                if (ingestion.equals("SUCCESS"))
                {
                    delivery.set(i, Delivery.Status.ACKED, null);
                }
                else if (ingestion.equals("DATA_ERROR"))
                {
                    final JsonNode error = item.path("ingestionErrors").path("ingestionError").path(0);
                    delivery.set(i, Delivery.Status.REJECTED, "walmart " + error.path("code").asText("DATA_ERROR")
                        + ": " + error.path("description").asText(""));
                }
                else
                {
                    delivery.set(i, Delivery.Status.RETRY, "walmart ingestion " + (ingestion.isEmpty() ? "missing" : ingestion));
                }
            }
            return delivery;
        }
        catch (final java.io.IOException ex)
        {
            return null;
        }
    }

    @Override
    public CompletableFuture<Page> orders(final long sinceMillis, final String page)
    {
        final URI uri = URI.create(base + "/v3/orders" + (page != null ? page : "?createdStartDate="
            + encode(java.time.Instant.ofEpochMilli(sinceMillis).toString()) + "&limit=100"));
        return token.get().thenCompose(accessToken -> accessToken == null ? CompletableFuture.completedFuture(null) :
            exchange(walmart(request(uri)).header("WM_SEC.ACCESS_TOKEN", accessToken).GET().build()))
            .thenApply(response ->
            {
                if (response == null || response.statusCode() != 200)
                {
                    return null;
                }
                try
                {
                    final JsonNode list = JSON.readTree(response.body()).path("list");
                    final List<Order> orders = new ArrayList<>();
                    for (final JsonNode order : list.path("elements").path("order"))
                    {
                        final Map<String, Long> lines = new java.util.LinkedHashMap<>();
                        order.path("orderLines").path("orderLine").forEach(line -> OrderSource.add(lines,
                            line.path("item").path("sku").asText(""),
                            line.path("orderLineQuantity").path("amount").asLong(0)));
                        final JsonNode address = order.path("shippingInfo").path("postalAddress");
                        orders.add(new Order(order.path("purchaseOrderId").asText(""), lines,
                            order.path("orderDate").asLong(0),
                            "USA".equals(address.path("country").asText()) ? "US" : null,
                            address.path("postalCode").asText(null)));
                    }
                    final String next = list.path("meta").path("nextCursor").asText("");
                    return new Page(orders, next.startsWith("?") && !orders.isEmpty() ? next : null);
                }
                catch (final java.io.IOException ex)
                {
                    return null;
                }
            });
    }
}
