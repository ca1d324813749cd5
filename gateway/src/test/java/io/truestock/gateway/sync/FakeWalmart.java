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
 * reads INPROGRESS once, then PROCESSED with each SKU's ingestion status. SKUs starting with {@code bad} are
 * unknown: DATA_ERROR in a feed, 404 to a single update.
 */
final class FakeWalmart extends FakeMarketplace
{
    private final Map<String, ArrayNode> feeds = new ConcurrentHashMap<>();
    private final Map<String, Boolean> polledOnce = new ConcurrentHashMap<>();
    final AtomicLong feedsReceived = new AtomicLong();
    final AtomicLong singles = new AtomicLong();

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
        if (!"inventory".equals(query(request, "feedType")) || !type.startsWith("multipart/form-data; boundary=")
            || !text.contains("name=\"file\"") || start < 0 || end < start || version(request) < 0)
        {
            return shapeError("a feed is a multipart file of feedType=inventory");
        }
        final JsonNode file = parse(text.substring(start + 4, end + 1).getBytes(StandardCharsets.UTF_8));
        final JsonNode items = file == null ? null : file.path("Inventory");
        if (file == null || !"1.4".equals(file.path("InventoryHeader").path("version").asText()) || !items.isArray()
            || items.isEmpty() || items.size() > 10_000)
        {
            return shapeError("bad feed file");
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
            apply(sku, item.path("quantity").path("amount").asLong(), version(request));
            statuses.addObject().put("sku", sku).put("ingestionStatus", "SUCCESS");
        }
        final String id = "FEED" + feedsReceived.incrementAndGet();
        feeds.put(id, statuses);
        return Answer.json(HttpResponseStatus.OK, Map.of("feedId", id));
    }
}
