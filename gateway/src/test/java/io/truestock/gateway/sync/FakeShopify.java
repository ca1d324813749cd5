package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shopify Admin GraphQL as far as {@code inventorySetQuantities} and the inventory level read go: access-token
 * auth, the input's shape (name "available", a reason, a {@code referenceDocumentUri} with the engine version,
 * item and location gids), {@code changeFromQuantity} compare-and-swap, {@code @idempotent} keys (a repeated key
 * answers the first result), and a cost bucket reported in {@code extensions.cost.throttleStatus} that answers
 * {@code THROTTLED} when empty. The engine version of a write is the one in its {@code referenceDocumentUri}.
 */
final class FakeShopify extends FakeChannel
{
    static final String TOKEN = "shpat_test_token";
    static final String LOCATION = "gid://shopify/Location/77";
    private static final Pattern REFERENCE = Pattern.compile("gid://truestock/EngineVersion/([0-9]+)");
    static final double COST = 10;

    private final String path;
    private final Map<String, ObjectNode> idempotent = new ConcurrentHashMap<>();
    private final double maximum;
    private final double restorePerSecond;
    private double available;
    private long lastMillis = System.currentTimeMillis();
    final java.util.concurrent.atomic.AtomicLong costThrottled = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong stale = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong levelReads = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong replays = new java.util.concurrent.atomic.AtomicLong();

    FakeShopify(final long seed, final String apiVersion, final double maximum, final double restorePerSecond)
    {
        super(seed);
        this.path = "/admin/api/" + apiVersion + "/graphql.json";
        this.maximum = maximum;
        this.restorePerSecond = restorePerSecond;
        this.available = maximum;
    }

    static String item(final int n)
    {
        return "gid://shopify/InventoryItem/" + (1000 + n);
    }

    /** Two variants a product, so that price updates of one request group variants by product. */
    static String product(final int n)
    {
        return "gid://shopify/Product/" + (2000 + n / 2);
    }

    static String variant(final int n)
    {
        return "gid://shopify/ProductVariant/" + (3000 + n);
    }

    private synchronized boolean pay(final ObjectNode extensions)
    {
        final long now = System.currentTimeMillis();
        available = Math.min(maximum, available + (now - lastMillis) * restorePerSecond / 1000.0);
        lastMillis = now;
        final boolean paid = available >= COST;
        if (paid)
        {
            available -= COST;
        }
        final ObjectNode cost = extensions.putObject("cost");
        cost.put("requestedQueryCost", COST);
        cost.put("actualQueryCost", paid ? COST : 0);
        final ObjectNode status = cost.putObject("throttleStatus");
        status.put("maximumAvailable", maximum);
        status.put("currentlyAvailable", Math.floor(available));
        status.put("restoreRate", restorePerSecond);
        return paid;
    }

    @Override
    Answer handle(final FullHttpRequest request, final byte[] body)
    {
        if (!request.method().equals(HttpMethod.POST) || !request.uri().equals(path))
        {
            return shapeError("unexpected " + request.method() + " " + request.uri());
        }
        if (!TOKEN.equals(request.headers().get("X-Shopify-Access-Token")))
        {
            return unauthorized();
        }
        final JsonNode root = parse(body);
        if (root == null || !root.path("query").isTextual() || !root.path("variables").isObject())
        {
            return shapeError("a GraphQL body needs 'query' and 'variables'");
        }
        final String query = root.path("query").asText();
        final ObjectNode response = JSON.createObjectNode();
        if (!pay(response.putObject("extensions")))
        {
            costThrottled.incrementAndGet();
            final ObjectNode error = response.putArray("errors").addObject();
            error.put("message", "Throttled");
            error.putObject("extensions").put("code", "THROTTLED");
            return Answer.json(HttpResponseStatus.OK, response);
        }
        if (query.contains("nodes(ids:"))
        {
            return levels(root.path("variables"), response);
        }
        if (!query.contains("inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey)"))
        {
            return shapeError("expected inventorySetQuantities with an @idempotent key: " + query);
        }
        final JsonNode variables = root.path("variables");
        final String key = variables.path("idempotencyKey").asText("");
        if (key.isEmpty())
        {
            return shapeError("missing idempotencyKey");
        }
        final JsonNode input = variables.path("input");
        final Matcher reference = REFERENCE.matcher(input.path("referenceDocumentUri").asText(""));
        if (!input.path("name").asText().equals("available") || input.path("reason").asText("").isEmpty()
            || !reference.matches())
        {
            return shapeError("input needs name 'available', a reason and a referenceDocumentUri: " + input);
        }
        final JsonNode quantities = input.path("quantities");
        if (!quantities.isArray() || quantities.isEmpty() || quantities.size() > 250)
        {
            return shapeError("quantities must hold 1 to 250 items");
        }
        synchronized (this)
        {
            final ObjectNode first = idempotent.get(key);
            if (first != null)
            {
                replays.incrementAndGet();
                return Answer.json(HttpResponseStatus.OK, first.deepCopy().set("extensions", response.get("extensions")));
            }
            final long version = Long.parseLong(reference.group(1));
            final ObjectNode payload = response.putObject("data").putObject("inventorySetQuantities");
            final ArrayNode userErrors = payload.putArray("userErrors");
            for (int i = 0; i < quantities.size(); i++)
            {
                final JsonNode q = quantities.get(i);
                if (!q.path("inventoryItemId").asText().startsWith("gid://shopify/InventoryItem/")
                    || !q.path("locationId").asText().equals(LOCATION) || !q.path("quantity").isIntegralNumber()
                    || q.path("quantity").asLong() < 0 || !q.has("changeFromQuantity"))
                {
                    return shapeError("bad quantities item " + q);
                }
                final JsonNode from = q.path("changeFromQuantity");
                final Held current = held.get(q.path("inventoryItemId").asText());
                final long currentQty = current == null ? 0 : current.qty();
                if (!from.isNull() && from.asLong() != currentQty)
                {
                    final ObjectNode error = userErrors.addObject();
                    error.putArray("field").add("input").add("quantities").add(Integer.toString(i)).add("changeFromQuantity");
                    error.put("message", "The changeFromQuantity does not match the persisted value.");
                    error.put("code", "CHANGE_FROM_QUANTITY_STALE");
                }
            }
            if (!userErrors.isEmpty())
            {
                stale.incrementAndGet();
                payload.putNull("inventoryAdjustmentGroup");
                return Answer.json(HttpResponseStatus.OK, response);
            }
            final java.util.List<Runnable> priceUpdates = new java.util.ArrayList<>();
            final String priceError = prices(query, variables, version, response.with("data"), priceUpdates);
            if (priceError != null)
            {
                return shapeError(priceError);
            }
            for (final JsonNode q : quantities)
            {
                apply(q.path("inventoryItemId").asText(), q.path("quantity").asLong(), version);
            }
            priceUpdates.forEach(Runnable::run);
            payload.putObject("inventoryAdjustmentGroup").put("id", "gid://shopify/InventoryAdjustmentGroup/" + key.hashCode());
            idempotent.put(key, response.deepCopy());
            return Answer.json(HttpResponseStatus.OK, response);
        }
    }

    private static final Pattern PRICE_MUTATION = Pattern.compile(
        "prices([0-9]+): productVariantsBulkUpdate\\(productId: \\$product\\1, variants: \\$variants\\1\\) \\{ "
        + "productVariants \\{ id price compareAtPrice \\} userErrors \\{ field message code \\} \\}");

    /**
     * Checks the aliased {@code productVariantsBulkUpdate} mutations of a request (declared variables, product and
     * variant gids, each variant of its product, decimal prices, a compare-at price or null) and queues their
     * application; answers each alias's payload. Returns a shape error, or null.
     */
    private String prices(final String query, final JsonNode variables, final long version, final ObjectNode data,
        final java.util.List<Runnable> updates)
    {
        final Matcher m = PRICE_MUTATION.matcher(query);
        int count = 0;
        while (m.find())
        {
            count++;
            final String g = m.group(1);
            if (!query.contains("$product" + g + ": ID!") || !query.contains("$variants" + g + ": [ProductVariantsBulkInput!]!"))
            {
                return "price mutation " + g + " lacks its variable declarations";
            }
            final String product = variables.path("product" + g).asText("");
            final JsonNode variants = variables.path("variants" + g);
            if (!product.startsWith("gid://shopify/Product/") || !variants.isArray() || variants.isEmpty())
            {
                return "productVariantsBulkUpdate needs a product gid and variants: " + variables;
            }
            final ObjectNode payload = data.putObject("prices" + g);
            final ArrayNode out = payload.putArray("productVariants");
            payload.putArray("userErrors");
            for (final JsonNode v : variants)
            {
                final String id = v.path("id").asText("");
                final long price = minor(v.path("price"));
                final JsonNode compareAt = v.path("compareAtPrice");
                final long regular = compareAt.isNull() ? price : minor(compareAt);
                if (!id.startsWith("gid://shopify/ProductVariant/") || !v.path("price").isTextual() || price < 0
                    || !(compareAt.isNull() || compareAt.isTextual()) || regular < 0 || v.size() != 3)
                {
                    return "bad variant " + v;
                }
                final int n = Integer.parseInt(id.substring("gid://shopify/ProductVariant/".length())) - 3000;
                if (!product(n).equals(product))
                {
                    return "variant " + id + " is not a variant of " + product;
                }
                out.addObject().put("id", id).put("price", v.path("price").asText()).set("compareAtPrice", compareAt);
                updates.add(() -> applyPrice(id, price, regular, version));
            }
        }
        if (count != (query.length() - query.replace("productVariantsBulkUpdate", "").length()) / 25)
        {
            return "unexpected productVariantsBulkUpdate selection: " + query;
        }
        return null;
    }

    private Answer levels(final JsonNode variables, final ObjectNode response)
    {
        levelReads.incrementAndGet();
        if (!variables.path("locationId").asText().equals(LOCATION) || !variables.path("ids").isArray())
        {
            return shapeError("level read needs ids and the location");
        }
        final ArrayNode nodes = response.putObject("data").putArray("nodes");
        for (final JsonNode id : variables.path("ids"))
        {
            final Held current = held.get(id.asText());
            final ObjectNode node = nodes.addObject();
            node.put("id", id.asText());
            node.putObject("inventoryLevel").putArray("quantities").addObject().put("name", "available")
                .put("quantity", current == null ? 0 : current.qty());
        }
        return Answer.json(HttpResponseStatus.OK, response);
    }

    /** Someone changes the level in the Shopify admin (drift the connector must detect by compare-and-swap). */
    void setExternally(final String item, final long qty)
    {
        held.compute(item, (k, old) -> new Held(qty, old == null ? 0 : old.version()));
    }
}
