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
 * it. Changed prices go at the same time to Walmart's price API: item by item {@code PUT /v3/price} with
 * {@code {"sku", "pricing": [{"currentPriceType": "BASE", "currentPrice": {"currency", "amount"}}]}} (while a sale
 * runs: {@code REDUCED} with the regular price as the {@code BASE} {@code comparisonPrice}), or beside a bulk
 * inventory feed a {@code feedType=price} feed ({@code {"PriceHeader": {"version": "1.7"}, "Price": [...]}}) polled
 * the same way; a SKU is acknowledged when both its stock and its price were.
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

    /** A feed with prices costs one more call; single updates one more per changed price. */
    @Override
    int extraCalls(final List<Update> batch)
    {
        return batch.size() >= feedThreshold ? onePriceCall(batch) : priced(batch).size();
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        return token.with(batch.size(), accessToken -> batch.size() >= feedThreshold ?
            alongside(batch, stock -> feed(stock, "inventory", inventoryFile(stock), accessToken),
                priced -> feed(priced, "price", priceFile(priced), accessToken)) :
            alongside(batch, stock -> each(stock, u -> single(u, stock, accessToken)),
                priced -> each(priced, u -> singlePrice(u, priced, accessToken))));
    }

    /** One request per update, their answers gathered in order (a 401 to any makes the whole batch one). */
    private static CompletableFuture<Delivery> each(final List<Update> updates,
        final java.util.function.Function<Update, CompletableFuture<Delivery>> send)
    {
        final List<CompletableFuture<Delivery>> singles = new ArrayList<>();
        for (final Update u : updates)
        {
            singles.add(send.apply(u));
        }
        return CompletableFuture.allOf(singles.toArray(new CompletableFuture<?>[0])).thenApply(done ->
        {
            final Delivery delivery = new Delivery(updates.size());
            for (int i = 0; i < updates.size(); i++)
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
    }

    /**
     * A SKU's price as Walmart's {@code pricing} entry: the effective price as the BASE price, or while a sale runs
     * the sale's price as a REDUCED price with the regular one as its BASE comparison (the strike-through price).
     */
    static ObjectNode price(final Update u)
    {
        final Pricing pricing = u.pricing();
        final ObjectNode item = JSON.createObjectNode();
        item.put("sku", u.itemId());
        final ObjectNode entry = item.putArray("pricing").addObject();
        entry.put("currentPriceType", pricing.onSale() ? "REDUCED" : "BASE");
        money(entry.putObject("currentPrice"), pricing.price());
        if (pricing.onSale())
        {
            entry.put("comparisonPriceType", "BASE");
            money(entry.putObject("comparisonPrice"), pricing.regular());
        }
        return item;
    }

    private static void money(final ObjectNode node, final io.truestock.engine.price.Price price)
    {
        node.put("currency", price.currency()).put("amount", new java.math.BigDecimal(decimal(price)));
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

    /** {@code PUT /v3/price} of one SKU; a 2xx without errors acknowledges it. */
    private CompletableFuture<Delivery> singlePrice(final Update u, final List<Update> batch, final String accessToken)
    {
        final HttpRequest request = authorized(URI.create(base + "/v3/price"), batch, accessToken)
            .header("Content-Type", "application/json")
            .PUT(body(json(price(u)))).build();
        return call(1, request, root ->
        {
            final JsonNode error = root.path("errors").path(0);
            return error.isMissingNode() ? Delivery.all(1, Delivery.Status.ACKED, null) : Delivery.all(1,
                Delivery.Status.REJECTED, "walmart price " + error.path("code").asText("") + ": "
                + error.path("description").asText(""));
        });
    }

    static ObjectNode inventoryFile(final List<Update> batch)
    {
        return file("Inventory", "1.4", batch, WalmartClient::item);
    }

    static ObjectNode priceFile(final List<Update> priced)
    {
        return file("Price", "1.7", priced, WalmartClient::price);
    }

    /** A feed file: {@code <kind>Header.version} and one entry per update under {@code kind}. */
    private static ObjectNode file(final String kind, final String version, final List<Update> updates,
        final java.util.function.Function<Update, ObjectNode> entry)
    {
        final ObjectNode file = JSON.createObjectNode();
        file.putObject(kind + "Header").put("version", version);
        final ArrayNode entries = file.putArray(kind);
        updates.forEach(u -> entries.add(entry.apply(u)));
        return file;
    }

    /** A bulk feed of {@code feedType} carrying {@code file}, then its status polled until processed. */
    private CompletableFuture<Delivery> feed(final List<Update> batch, final String feedType, final ObjectNode file,
        final String accessToken)
    {
        final String boundary = "truestock-" + UUID.randomUUID();
        final byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + feedType
            + ".json\"\r\nContent-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        final byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        final HttpRequest request = authorized(URI.create(base + "/v3/feeds?feedType=" + feedType), batch, accessToken)
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
