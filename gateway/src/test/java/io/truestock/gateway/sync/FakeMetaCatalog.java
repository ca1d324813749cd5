package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/**
 * Graph API catalog {@code items_batch}: the system user token as a bearer token, {@code item_type: PRODUCT_ITEM},
 * 1 to 5 000 UPDATE requests each with a retailer id, an integer inventory and, when given, prices as
 * {@code "12.34 USD"} text; retailer ids starting with {@code missing} are reported in {@code validation_status}.
 */
final class FakeMetaCatalog extends FakeMarketplace
{
    static final String TOKEN = "EAAG-system-user";
    static final String CATALOG = "1234567890";

    FakeMetaCatalog(final long seed)
    {
        super(seed);
    }

    @Override
    Answer handle(final FullHttpRequest request, final byte[] body)
    {
        if (!request.method().equals(HttpMethod.POST)
            || !request.uri().equals("/" + ChannelOptions.DEFAULT_GRAPH_VERSION + "/" + CATALOG + "/items_batch"))
        {
            return shapeError("unexpected " + request.method() + " " + request.uri());
        }
        if (!("Bearer " + TOKEN).equals(request.headers().get("Authorization")))
        {
            authFailures.incrementAndGet();
            return Answer.json(HttpResponseStatus.UNAUTHORIZED, Map.of("error", Map.of("code", 190,
                "message", "Invalid OAuth access token", "type", "OAuthException")));
        }
        final JsonNode root = parse(body);
        final JsonNode requests = root == null ? null : root.path("requests");
        if (requests == null || !"PRODUCT_ITEM".equals(root.path("item_type").asText()) || !requests.isArray()
            || requests.isEmpty() || requests.size() > 5000 || version(request) < 0)
        {
            return shapeError("items_batch needs item_type PRODUCT_ITEM and 1 to 5000 requests");
        }
        final ObjectNode answer = JSON.createObjectNode();
        answer.putArray("handles").add("AczL" + System.nanoTime());
        final com.fasterxml.jackson.databind.node.ArrayNode statuses = answer.putArray("validation_status");
        for (final JsonNode r : requests)
        {
            final JsonNode data = r.path("data");
            final String price = data.path("price").asText("");
            if (!"UPDATE".equals(r.path("method").asText()) || !data.path("id").isTextual()
                || !data.path("inventory").isIntegralNumber()
                || (data.has("price") && !price.matches("[0-9]+\\.[0-9]{2} [A-Z]{3}")))
            {
                return shapeError("bad item request " + r);
            }
        }
        for (final JsonNode r : requests)
        {
            final JsonNode data = r.path("data");
            final String id = data.path("id").asText();
            if (id.startsWith("missing"))
            {
                statuses.addObject().put("retailer_id", id).putArray("errors").addObject()
                    .put("message", "Item does not exist");
                continue;
            }
            apply(id, data.path("inventory").asLong(), version(request));
            if (data.has("price"))
            {
                prices.put(id, data.path("price").asText() + "/" + data.path("sale_price").asText());
                final long regular = minor(new com.fasterxml.jackson.databind.node.TextNode(
                    data.path("price").asText().split(" ")[0]));
                final String sale = data.path("sale_price").asText("");
                applyPrice(id, sale.isEmpty() ? regular : minor(new com.fasterxml.jackson.databind.node.TextNode(
                    sale.split(" ")[0])), regular, version(request));
            }
        }
        return Answer.json(HttpResponseStatus.OK, answer);
    }
}
