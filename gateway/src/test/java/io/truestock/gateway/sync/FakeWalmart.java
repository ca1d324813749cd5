package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Walmart Marketplace as far as the token, the single-item inventory update and the bulk inventory feed go: every
 * request needs {@code WM_SVC.NAME} and a {@code WM_QOS.CORRELATION_ID}; the token needs Basic client credentials
 * and {@code grant_type=client_credentials}; the API calls a live {@code WM_SEC.ACCESS_TOKEN}. A feed is a
 * multipart file of {@code InventoryHeader.version 1.4} and its items; it is applied when received and its status
 * reads INPROGRESS once, then PROCESSED with each SKU's ingestion status. Prices come as {@code PUT /v3/price} of
 * one SKU or a {@code feedType=price} feed ({@code PriceHeader.version 1.7}), each SKU's one pricing entry BASE, or
 * REDUCED with a higher BASE comparison price. SKUs starting with {@code bad} are unknown: DATA_ERROR in a feed,
 * 404 to a single update.
 */
final class FakeWalmart extends FakeMarketplace
{
    private final Map<String, ArrayNode> feeds = new ConcurrentHashMap<>();
    private final Map<String, Boolean> polledOnce = new ConcurrentHashMap<>();
    final AtomicLong feedsReceived = new AtomicLong();
    final AtomicLong singles = new AtomicLong();
    final AtomicLong singlePrices = new AtomicLong();
    final AtomicLong priceFeeds = new AtomicLong();

    FakeWalmart(final long seed)
    {
        super(seed);
    }

    @Override
    boolean control(final FullHttpRequest request)
    {
        return request.uri().equals("/v3/token");
    }

    @Override
    Answer handle(final FullHttpRequest request, final byte[] body)
    {
        if (request.headers().get("WM_SVC.NAME") == null
            || !String.valueOf(request.headers().get("WM_QOS.CORRELATION_ID")).matches("[0-9a-f-]{36}"))
        {
            return shapeError("WM_SVC.NAME and WM_QOS.CORRELATION_ID are required: " + request.uri());
        }
        final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (uri.path().equals("/v3/token"))
        {
            if (!request.method().equals(HttpMethod.POST) || !basic(request)
                || !"client_credentials".equals(form(body).get("grant_type")))
            {
                return tokenRefused();
            }
            return tokenAnswer();
        }
        if (!live(request.headers().get("WM_SEC.ACCESS_TOKEN")))
        {
            return unauthorized();
        }
        return extra(uri.path(), request, body);
    }

    Answer extra(final String path, final FullHttpRequest request, final byte[] body)
    {
        if (path.equals("/v3/orders") && request.method().equals(HttpMethod.GET))
        {
            final String start = query(request, "createdStartDate");
            if (start == null)
            {
                return shapeError("orders need createdStartDate: " + request.uri());
            }
            final long since = java.time.Instant.parse(start).toEpochMilli();
            final int offset = query(request, "cursor") == null ? 0 : Integer.parseInt(query(request, "cursor"));
            final ObjectNode answer = JSON.createObjectNode();
            final ObjectNode list = answer.putObject("list");
            final ArrayNode out = list.putObject("elements").putArray("order");
            for (final FakeOrder order : page(since, offset))
            {
                final ObjectNode o = out.addObject().put("purchaseOrderId", order.id()).put("orderDate", order.createdMillis());
                o.putObject("shippingInfo").putObject("postalAddress").put("postalCode", "72716").put("country", "USA");
                final ArrayNode lines = o.putObject("orderLines").putArray("orderLine");
                order.lines().forEach((sku, qty) ->
                {
                    final ObjectNode line = lines.addObject();
                    line.putObject("item").put("sku", sku);
                    line.putObject("orderLineQuantity").put("unitOfMeasurement", "EACH").put("amount", Long.toString(qty));
                });
            }
            final ObjectNode meta = list.putObject("meta").put("limit", pageSize);
            if (more(since, offset))
            {
                meta.put("nextCursor", "?cursor=" + (offset + pageSize) + "&createdStartDate=" + start);
            }
            return Answer.json(HttpResponseStatus.OK, answer);
        }
        if (path.equals("/v3/inventory") && request.method().equals(HttpMethod.PUT))
        {
            final JsonNode root = parse(body);
            final String sku = query(request, "sku");
            if (root == null || sku == null || !sku.equals(root.path("sku").asText())
                || !"EACH".equals(root.path("quantity").path("unit").asText())
                || !root.path("quantity").path("amount").isIntegralNumber() || version(request) < 0)
            {
                return shapeError("bad inventory update " + root);
            }
            singles.incrementAndGet();
            if (sku.startsWith("bad"))
            {
                return Answer.json(HttpResponseStatus.NOT_FOUND, Map.of("errors", java.util.List.of(Map.of(
                    "code", "CONTENT_NOT_FOUND.GMP_INVENTORY_API", "description", "SKU not found"))));
            }
            apply(sku, root.path("quantity").path("amount").asLong(), version(request));
            return Answer.json(HttpResponseStatus.OK, root);
        }
        if (path.equals("/v3/price") && request.method().equals(HttpMethod.PUT))
        {
            final JsonNode root = parse(body);
            final String sku = root == null ? "" : root.path("sku").asText("");
            if (root == null || sku.isEmpty() || !pricingValid(root) || version(request) < 0)
            {
                return shapeError("bad price update " + root);
            }
            singlePrices.incrementAndGet();
            if (sku.startsWith("bad"))
            {
                return Answer.json(HttpResponseStatus.NOT_FOUND, Map.of("errors", java.util.List.of(Map.of(
                    "code", "CONTENT_NOT_FOUND.GMP_PRICE_API", "description", "SKU not found"))));
            }
            applyPricing(root, version(request));
            return Answer.json(HttpResponseStatus.OK, Map.of("ItemPriceResponse", Map.of("mart", "WALMART_US", "sku", sku,
                "message", "Thank you. Your price has been updated.")));
        }
        if (path.equals("/v3/feeds") && request.method().equals(HttpMethod.POST))
        {
            return feed(request, body);
        }
        if (path.startsWith("/v3/feeds/") && request.method().equals(HttpMethod.GET)
            && "true".equals(query(request, "includeDetails")))
        {
            final String id = path.substring("/v3/feeds/".length());
            final ArrayNode statuses = feeds.get(id);
            if (statuses == null)
            {
                return Answer.json(HttpResponseStatus.NOT_FOUND, Map.of("error", "no such feed"));
            }
            if (polledOnce.putIfAbsent(id, Boolean.TRUE) == null)
            {
                return Answer.json(HttpResponseStatus.OK, Map.of("feedId", id, "feedStatus", "INPROGRESS"));
            }
            final ObjectNode answer = JSON.createObjectNode().put("feedId", id).put("feedStatus", "PROCESSED");
            answer.putObject("itemDetails").set("itemIngestionStatus", statuses);
            return Answer.json(HttpResponseStatus.OK, answer);
        }
        return shapeError("unexpected " + request.method() + " " + request.uri());
    }

    private Answer feed(final FullHttpRequest request, final byte[] body)
    {
        final String type = String.valueOf(request.headers().get("Content-Type"));
        final String text = new String(body, StandardCharsets.UTF_8);
        final int start = text.indexOf("\r\n\r\n{");
        final int end = text.lastIndexOf("}\r\n--");
        final String feedType = query(request, "feedType");
        if (!("inventory".equals(feedType) || "price".equals(feedType)) || !type.startsWith("multipart/form-data; boundary=")
            || !text.contains("name=\"file\"") || start < 0 || end < start || version(request) < 0)
        {
            return shapeError("a feed is a multipart file of feedType=inventory or price");
        }
        final boolean prices = "price".equals(feedType);
        final JsonNode file = parse(text.substring(start + 4, end + 1).getBytes(StandardCharsets.UTF_8));
        final JsonNode items = file == null ? null : file.path(prices ? "Price" : "Inventory");
        if (file == null || !(prices ? "1.7" : "1.4").equals(file.path(prices ? "PriceHeader" : "InventoryHeader")
            .path("version").asText()) || !items.isArray() || items.isEmpty() || items.size() > 10_000)
        {
            return shapeError("bad feed file");
        }
        if (prices)
        {
            for (final JsonNode item : items)
            {
                if (!pricingValid(item))
                {
                    return shapeError("bad price in feed " + item);
                }
            }
            priceFeeds.incrementAndGet();
        }
        final ArrayNode statuses = JSON.createArrayNode();
        for (final JsonNode item : items)
        {
            final String sku = item.path("sku").asText("");
            if (sku.startsWith("bad"))
            {
                statuses.addObject().put("sku", sku).put("ingestionStatus", "DATA_ERROR").putObject("ingestionErrors")
                    .putArray("ingestionError").addObject().put("type", "DATA_ERROR").put("code", "ERR_EXT_DATA_0101")
                    .put("description", "SKU not found");
                continue;
            }
            if (prices)
            {
                applyPricing(item, version(request));
            }
            else
            {
                apply(sku, item.path("quantity").path("amount").asLong(), version(request));
            }
            statuses.addObject().put("sku", sku).put("ingestionStatus", "SUCCESS");
        }
        final String id = "FEED" + feedsReceived.incrementAndGet();
        feeds.put(id, statuses);
        return Answer.json(HttpResponseStatus.OK, Map.of("feedId", id));
    }

    /**
     * One pricing entry: a BASE current price, or a REDUCED one with a BASE comparison price above it, amounts
     * positive numbers with a currency.
     */
    private static boolean pricingValid(final JsonNode item)
    {
        final JsonNode pricing = item.path("pricing");
        final JsonNode entry = pricing.path(0);
        final String current = entry.path("currentPriceType").asText("");
        final boolean reduced = current.equals("REDUCED");
        return pricing.size() == 1 && (current.equals("BASE") || reduced) && money(entry.path("currentPrice"))
            && (!reduced || "BASE".equals(entry.path("comparisonPriceType").asText())
            && money(entry.path("comparisonPrice"))
            && minor(entry.path("comparisonPrice").path("amount")) > minor(entry.path("currentPrice").path("amount")));
    }

    private static boolean money(final JsonNode price)
    {
        return price.path("amount").isNumber() && minor(price.path("amount")) > 0
            && price.path("currency").asText("").matches("[A-Z]{3}");
    }

    /** Shows the item at its current price, with the comparison price struck through while it is reduced. */
    private void applyPricing(final JsonNode item, final long version)
    {
        final JsonNode entry = item.path("pricing").path(0);
        final long shown = minor(entry.path("currentPrice").path("amount"));
        final long regular = entry.has("comparisonPrice") ? minor(entry.path("comparisonPrice").path("amount")) : shown;
        final String sku = item.path("sku").asText();
        prices.put(sku, entry.path("currentPrice").path("amount").asText() + (entry.has("comparisonPrice") ? "/"
            + entry.path("comparisonPrice").path("amount").asText() : "") + " " + entry.path("currentPrice").path("currency").asText());
        applyPrice(sku, shown, regular, version);
    }
}
