package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Shopify Admin GraphQL {@code inventorySetQuantities}: sets the "available" quantity of each mapped inventory
 * item at the configured location, with reason "correction", a {@code referenceDocumentUri} carrying the engine
 * version of the batch ({@code gid://truestock/EngineVersion/<v>}: every value in the batch is the engine's latest
 * as of version v, and a later batch never carries a lower v), an idempotency key
 * derived from the batch's content (so a retry of the same values is deduplicated by Shopify), and
 * compare-and-swap from the last acknowledged quantity.
 * <p>
 * From API version 2026-01 the compare value is {@code changeFromQuantity} (null when nothing was acknowledged yet)
 * and the key travels in the {@code @idempotent} directive; older versions use {@code compareQuantity} and
 * {@code ignoreCompareQuantity}. A stale compare value ({@code CHANGE_FROM_QUANTITY_STALE},
 * {@code COMPARE_QUANTITY_STALE}) makes the client read the items' current levels and write again with them.
 * Cost throttling follows {@code extensions.cost.throttleStatus}: before a request the client waits until the
 * bucket holds the last request's cost; a {@code THROTTLED} error pauses the channel until it refills.
 * <p>
 * Prices: for SKUs whose item mapping carries the product and variant, an update whose price differs from the
 * acknowledged one adds an aliased {@code productVariantsBulkUpdate} per product to the same document (variant
 * {@code price}, and {@code compareAtPrice} while a sale runs, null otherwise), at most
 * {@value #MAX_PRICE_CHANGES} a request.
 */
final class ShopifyClient extends ChannelClient
{
    static final String REASON = "correction";
    private static final String SELECTION = "{ inventoryAdjustmentGroup { id } userErrors { field message code } }";
    static final String MUTATION_IDEMPOTENT = "mutation TruestockSetAvailable($input: InventorySetQuantitiesInput!, "
        + "$idempotencyKey: String!) { inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) "
        + SELECTION + " }";
    static final String MUTATION_LEGACY = "mutation TruestockSetAvailable($input: InventorySetQuantitiesInput!) "
        + "{ inventorySetQuantities(input: $input) " + SELECTION + " }";
    static final String LEVELS_QUERY = "query TruestockAvailable($ids: [ID!]!, $locationId: ID!) { nodes(ids: $ids) "
        + "{ ... on InventoryItem { id inventoryLevel(locationId: $locationId) { quantities(names: [\"available\"]) "
        + "{ name quantity } } } } }";
    private static final double DEFAULT_COST = 10;
    static final int MAX_PRICE_CHANGES = 25;
    static final String PRICE_SELECTION = "{ productVariants { id price compareAtPrice } userErrors { field message code } }";

    private final URI endpoint;
    private final boolean changeFrom;
    private final Object costLock = new Object();
    private double costAvailable = -1;
    private double restoreRate;
    private long costAtMillis;
    private double lastCost = DEFAULT_COST;

    ShopifyClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
        this.endpoint = URI.create(stripSlash(config.baseUrl().toString()) + "/admin/api/" + config.apiVersion()
            + "/graphql.json");
        this.changeFrom = config.apiVersion().equals("unstable") || config.apiVersion().compareTo("2026-01") >= 0;
    }

    static String stripSlash(final String url)
    {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    String itemId(final String skuId)
    {
        return config.itemId(skuId);
    }

    @Override
    boolean carriesPrices()
    {
        return config.hasVariants();
    }

    @Override
    boolean carriesPrice(final String skuId)
    {
        return config.variant(skuId) != null;
    }

    /** Each price change is a {@code productVariantsBulkUpdate} of its own (10 cost points): keep requests cheap. */
    @Override
    int maxPriceChanges()
    {
        return Math.min(MAX_PRICE_CHANGES, config.batchSize());
    }

    @Override
    long readyAtMillis(final long nowMillis)
    {
        synchronized (costLock)
        {
            if (costAvailable < 0 || restoreRate <= 0)
            {
                return nowMillis;
            }
            final double available = costAvailable + (nowMillis - costAtMillis) * restoreRate / 1000.0;
            if (available >= lastCost)
            {
                return nowMillis;
            }
            return nowMillis + (long)Math.ceil((lastCost - available) * 1000.0 / restoreRate);
        }
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        final long[] compare = new long[batch.size()];
        for (int i = 0; i < compare.length; i++)
        {
            compare[i] = batch.get(i).ackedQty();
        }
        return write(batch, compare, true);
    }

    private CompletableFuture<Delivery> write(final List<Update> batch, final long[] compare, final boolean mayRead)
    {
        final byte[] body = json(mutation(batch, compare));
        return post(body).handle((response, failure) ->
        {
            if (failure != null)
            {
                return CompletableFuture.completedFuture(transportFailure(batch.size(), failure));
            }
            final long now = System.currentTimeMillis();
            final Delivery byStatus = byStatus(batch.size(), response, now);
            if (byStatus != null)
            {
                return CompletableFuture.completedFuture(byStatus);
            }
            final JsonNode root;
            try
            {
                root = JSON.readTree(response.body());
            }
            catch (final java.io.IOException ex)
            {
                return CompletableFuture.completedFuture(
                    Delivery.all(batch.size(), Delivery.Status.RETRY, "unreadable response"));
            }
            final long pause = noteCost(root, now);
            final Delivery topLevel = topLevelErrors(root, batch.size(), pause);
            if (topLevel != null)
            {
                return CompletableFuture.completedFuture(topLevel);
            }
            final JsonNode errors = root.path("data").path("inventorySetQuantities").path("userErrors");
            if (!errors.isArray() || errors.isEmpty())
            {
                if (root.path("data").path("inventorySetQuantities").isMissingNode())
                {
                    return CompletableFuture.completedFuture(
                        Delivery.all(batch.size(), Delivery.Status.RETRY, "response without data"));
                }
                return CompletableFuture.completedFuture(prices(batch, root.path("data")));
            }
            boolean stale = false;
            final Delivery delivery = new Delivery(batch.size());
            final Set<Integer> bad = new HashSet<>();
            for (final JsonNode error : errors)
            {
                final String code = error.path("code").asText("");
                if (code.equals("CHANGE_FROM_QUANTITY_STALE") || code.equals("COMPARE_QUANTITY_STALE"))
                {
                    stale = true;
                    continue;
                }
                final int index = itemIndex(error.path("field"));
                if (index >= 0 && index < batch.size())
                {
                    bad.add(index);
                    delivery.set(index, Delivery.Status.REJECTED, "shopify " + code + ": " + error.path("message").asText(""));
                }
            }
            if (stale && bad.isEmpty() && mayRead)
            {
                return readLevels(batch).thenCompose(levels -> levels == null ?
                    CompletableFuture.completedFuture(Delivery.all(batch.size(), Delivery.Status.RETRY,
                        "compare quantity stale; level read failed")) :
                    write(batch, levels, false));
            }
            // The mutation is all-or-nothing: items without an error of their own were not applied either.
            for (int i = 0; i < batch.size(); i++)
            {
                if (!bad.contains(i))
                {
                    delivery.set(i, Delivery.Status.RETRY, stale ? "compare quantity stale" : "batch had rejected items");
                }
            }
            return CompletableFuture.completedFuture(delivery);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<HttpResponse<byte[]>> post(final byte[] body)
    {
        final HttpRequest request = request(endpoint)
            .header("Content-Type", "application/json")
            .header("X-Shopify-Access-Token", config.secret("access_token").reveal())
            .POST(body(body))
            .build();
        return exchange(request);
    }

    ObjectNode mutation(final List<Update> batch, final long[] compare)
    {
        long version = 0;
        boolean anyUnknown = false;
        for (int i = 0; i < batch.size(); i++)
        {
            version = Math.max(version, Math.max(batch.get(i).version(), batch.get(i).asOfVersion()));
            anyUnknown |= compare[i] == Update.UNKNOWN;
        }
        final ObjectNode root = JSON.createObjectNode();
        final ObjectNode variables = root.putObject("variables");
        final ObjectNode input = variables.putObject("input");
        input.put("name", "available");
        input.put("reason", REASON);
        input.put("referenceDocumentUri", "gid://truestock/EngineVersion/" + version);
        if (!changeFrom)
        {
            input.put("ignoreCompareQuantity", anyUnknown);
        }
        final ArrayNode quantities = input.putArray("quantities");
        final StringBuilder keySource = new StringBuilder(config.channel());
        for (int i = 0; i < batch.size(); i++)
        {
            final Update update = batch.get(i);
            final ObjectNode item = quantities.addObject();
            item.put("inventoryItemId", update.itemId());
            item.put("locationId", config.locationId());
            item.put("quantity", update.qty());
            if (changeFrom)
            {
                if (compare[i] == Update.UNKNOWN)
                {
                    item.putNull("changeFromQuantity");
                }
                else
                {
                    item.put("changeFromQuantity", compare[i]);
                }
            }
            else if (!anyUnknown)
            {
                item.put("compareQuantity", compare[i]);
            }
            keySource.append('|').append(update.itemId()).append(':').append(update.qty()).append(':')
                .append(update.version()).append(':').append(compare[i]);
        }
        final List<List<Integer>> groups = priceGroups(batch);
        final StringBuilder declarations = new StringBuilder();
        final StringBuilder selections = new StringBuilder();
        for (int g = 0; g < groups.size(); g++)
        {
            final List<Integer> group = groups.get(g);
            variables.put("product" + g, config.variant(batch.get(group.get(0)).skuId())[0]);
            final ArrayNode variants = variables.putArray("variants" + g);
            for (final int i : group)
            {
                final Update update = batch.get(i);
                final Pricing pricing = update.pricing();
                final ObjectNode variant = variants.addObject();
                variant.put("id", config.variant(update.skuId())[1]);
                variant.put("price", decimal(pricing.price()));
                // The compare-at price shows the sale as a reduction; null removes it when the sale ends.
                if (pricing.onSale())
                {
                    variant.put("compareAtPrice", decimal(pricing.regular()));
                }
                else
                {
                    variant.putNull("compareAtPrice");
                }
                keySource.append("|p:").append(variant.path("id").asText()).append(':').append(pricing.digest());
            }
            declarations.append(", $product").append(g).append(": ID!, $variants").append(g)
                .append(": [ProductVariantsBulkInput!]!");
            selections.append(" prices").append(g).append(": productVariantsBulkUpdate(productId: $product").append(g)
                .append(", variants: $variants").append(g).append(") ").append(PRICE_SELECTION);
        }
        final String query = changeFrom ? MUTATION_IDEMPOTENT : MUTATION_LEGACY;
        if (changeFrom)
        {
            variables.put("idempotencyKey", idempotencyKey(keySource.toString()));
        }
        if (groups.isEmpty())
        {
            root.put("query", query);
        }
        else
        {
            // The same document with the price mutations beside the quantities: one request, one cost bucket charge.
            final int open = query.indexOf(')');
            root.put("query", query.substring(0, open) + declarations + query.substring(open, query.length() - 1)
                + selections + " }");
        }
        return root;
    }

    /**
     * The updates whose price changed since the channel acknowledged it and whose variant is mapped, grouped by
     * product (productVariantsBulkUpdate addresses the variants of one product), in batch order.
     */
    private List<List<Integer>> priceGroups(final List<Update> batch)
    {
        final Map<String, List<Integer>> byProduct = new java.util.LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++)
        {
            final Update update = batch.get(i);
            final String[] ids = update.priceChanged() && update.pricing() != null ? config.variant(update.skuId()) : null;
            if (ids != null)
            {
                byProduct.computeIfAbsent(ids[0], k -> new java.util.ArrayList<>()).add(i);
            }
        }
        return new java.util.ArrayList<>(byProduct.values());
    }

    /**
     * The quantities were set: each update is acknowledged unless its product's price mutation reported a user
     * error (refused for good) or did not answer (retried).
     */
    private Delivery prices(final List<Update> batch, final JsonNode data)
    {
        final Delivery delivery = Delivery.all(batch.size(), Delivery.Status.ACKED, null);
        final List<List<Integer>> groups = priceGroups(batch);
        for (int g = 0; g < groups.size(); g++)
        {
            final JsonNode payload = data.path("prices" + g);
            final JsonNode errors = payload.path("userErrors");
            for (final int i : groups.get(g))
            {
                if (!payload.isObject())
                {
                    delivery.set(i, Delivery.Status.RETRY, "price update without an answer");
                }
                else if (errors.isArray() && !errors.isEmpty())
                {
                    delivery.set(i, Delivery.Status.REJECTED, "shopify price " + errors.get(0).path("code").asText("")
                        + ": " + errors.get(0).path("message").asText(""));
                }
            }
        }
        return delivery;
    }

    /** A UUID-shaped key from the batch content: the same values retried give the same key. */
    static String idempotencyKey(final String content)
    {
        try
        {
            final byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            final String hex = HexFormat.of().formatHex(hash, 0, 16);
            return hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-'
                + hex.substring(16, 20) + '-' + hex.substring(20, 32);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int itemIndex(final JsonNode field)
    {
        // e.g. ["input", "quantities", "3", "quantity"]
        if (field.isArray() && field.size() >= 3 && field.get(1).asText().equals("quantities"))
        {
            try
            {
                return Integer.parseInt(field.get(2).asText());
            }
            catch (final NumberFormatException ex)
            {
                return -1;
            }
        }
        return -1;
    }

    /** Reads the current "available" of every item of the batch; null when the read fails. */
    private CompletableFuture<long[]> readLevels(final List<Update> batch)
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("query", LEVELS_QUERY);
        final ObjectNode variables = root.putObject("variables");
        final ArrayNode ids = variables.putArray("ids");
        batch.forEach(u -> ids.add(u.itemId()));
        variables.put("locationId", config.locationId());
        return post(json(root)).handle((response, failure) ->
        {
            if (failure != null || response.statusCode() != 200)
            {
                return null;
            }
            try
            {
                final JsonNode tree = JSON.readTree(response.body());
                noteCost(tree, System.currentTimeMillis());
                final Map<String, Long> levels = new HashMap<>();
                for (final JsonNode node : tree.path("data").path("nodes"))
                {
                    for (final JsonNode quantity : node.path("inventoryLevel").path("quantities"))
                    {
                        if (quantity.path("name").asText().equals("available"))
                        {
                            levels.put(node.path("id").asText(), quantity.path("quantity").asLong());
                        }
                    }
                }
                final long[] compare = new long[batch.size()];
                for (int i = 0; i < compare.length; i++)
                {
                    final Long level = levels.get(batch.get(i).itemId());
                    if (level == null)
                    {
                        return null;
                    }
                    compare[i] = level;
                }
                return compare;
            }
            catch (final java.io.IOException ex)
            {
                return null;
            }
        });
    }

    /** Records the cost bucket's state; returns how long to pause when it cannot pay for the last request. */
    private long noteCost(final JsonNode root, final long nowMillis)
    {
        final JsonNode cost = root.path("extensions").path("cost");
        final JsonNode throttle = cost.path("throttleStatus");
        if (!throttle.isObject())
        {
            return 0;
        }
        synchronized (costLock)
        {
            costAvailable = throttle.path("currentlyAvailable").asDouble(0);
            restoreRate = throttle.path("restoreRate").asDouble(0);
            costAtMillis = nowMillis;
            if (cost.has("requestedQueryCost"))
            {
                lastCost = Math.max(1, cost.path("requestedQueryCost").asDouble(DEFAULT_COST));
            }
            if (costAvailable >= lastCost || restoreRate <= 0)
            {
                return 0;
            }
            return (long)Math.ceil((lastCost - costAvailable) * 1000.0 / restoreRate);
        }
    }

    private static Delivery topLevelErrors(final JsonNode root, final int size, final long pause)
    {
        final JsonNode errors = root.path("errors");
        if (!errors.isArray() || errors.isEmpty())
        {
            return null;
        }
        for (final JsonNode error : errors)
        {
            if (error.path("extensions").path("code").asText("").equals("THROTTLED"))
            {
                return Delivery.all(size, Delivery.Status.RETRY, "shopify THROTTLED")
                    .pauseMillis(Math.max(pause, 100));
            }
        }
        return Delivery.all(size, Delivery.Status.REJECTED, "shopify error: " + errors.get(0).path("message").asText(""));
    }
}
