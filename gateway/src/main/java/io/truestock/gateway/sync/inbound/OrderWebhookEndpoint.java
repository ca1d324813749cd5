package io.truestock.gateway.sync.inbound;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.engine.runtime.Sequencer;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.Exchange;
import io.truestock.gateway.http.JsonBody;
import io.truestock.gateway.http.JsonOut;
import io.truestock.gateway.http.Render;
import io.truestock.gateway.rules.Limits;
import io.truestock.gateway.rules.ReadClock;
import io.truestock.gateway.http.Responses;
import io.truestock.gateway.sync.ChannelSync;
import io.truestock.gateway.sync.Connector;
import io.truestock.gateway.sync.ConnectorConfig;
import io.truestock.gateway.sync.OrderPoller;
import io.truestock.gateway.sync.Secret;
import io.truestock.gateway.sync.Signatures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@code POST /v1/channels/{id}/webhooks/orders}: a channel's order webhook, authenticated by its HMAC signature
 * instead of a bearer token, turned into the engine's idempotent channel order (API.md {@code POST /v1/orders}
 * semantics: idempotent by (channel, order id), never refused for stock). The connector configured for the channel
 * decides the scheme:
 * <ul>
 * <li>Shopify {@code orders/create}: {@code X-Shopify-Hmac-Sha256} = base64(HMAC-SHA256(webhook secret, raw body));</li>
 * <li>WooCommerce {@code order.created}: {@code X-WC-Webhook-Signature}, the same scheme;</li>
 * <li>the generic webhook: {@code X-Truestock-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))}
 * with {@code X-Truestock-Timestamp} within the connector's tolerance (a replay of an old signed request is
 * refused).</li>
 * </ul>
 * A missing or wrong signature is 401 and changes nothing; a redelivered order answers 200 with the first outcome
 * and {@code Idempotent-Replayed: true}, and changes nothing. The marketplace channels' pushes (Meta, TikTok Shop)
 * are answered by {@link MarketplaceWebhooks}.
 */
public final class OrderWebhookEndpoint implements Api.Extension
{
    private static final ObjectMapper JSON = JsonBody.strictMapper(StreamReadConstraints.defaults());

    private final Engine engine;
    private final Sequencer runtime;
    private final ChannelSync sync;
    private final Render render;
    private final LongSupplier clockMillis;
    private final Limits limits;
    private final Map<String, Map<String, String>> reverseItemIds = new ConcurrentHashMap<>();
    private final MarketplaceWebhooks marketplaces;

    public OrderWebhookEndpoint(final Engine engine, final Sequencer runtime, final ChannelSync sync,
        final LongSupplier clockMillis)
    {
        this(engine, runtime, sync, clockMillis, null);
    }

    /** With the order poller that a TikTok Shop push wakes (null when no channel's orders are polled). */
    public OrderWebhookEndpoint(final Engine engine, final Sequencer runtime, final ChannelSync sync,
        final LongSupplier clockMillis, final OrderPoller poller)
    {
        this.marketplaces = new MarketplaceWebhooks(this, runtime, poller);
        this.engine = engine;
        this.runtime = runtime;
        this.sync = sync;
        this.render = new Render(engine, new ReadClock(clockMillis::getAsLong, engine));
        this.clockMillis = clockMillis;
        this.limits = new Limits(engine.config());
    }

    /** An order as the engine will record it. */
    record ChannelOrder(String orderId, Map<String, Long> lines, String country, String postalCode)
    {
    }

    @Override
    public void handle(final Exchange exchange, final Principal unauthenticated, final List<String> path,
        final QueryStringDecoder query)
    {
        exchange.route("channels_webhooks");
        if (path.size() != 5 || !path.get(4).equals("orders"))
        {
            throw ApiException.notFound("no such resource: " + query.path());
        }
        final String channel = path.get(2);
        final Connector connector = Ids.isValid(channel) ? sync.connector(channel) : null;
        if (connector == null || connector.config().type() == ConnectorConfig.Type.AMAZON)
        {
            throw ApiException.notFound("channel '" + channel + "' has no order webhook");
        }
        if (MarketplaceWebhooks.handles(connector.config().type()))
        {
            marketplaces.handle(exchange, connector.config(), query);
            return;
        }
        if (!exchange.request().method().equals(HttpMethod.POST))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request", "use POST", null);
        }
        final ConnectorConfig config = connector.config();
        final byte[] body = ByteBufUtil.getBytes(exchange.request().content());
        final HttpHeaders headers = exchange.request().headers();
        if (!verified(config, headers, body))
        {
            throw new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                "the webhook signature is missing, does not verify, or is outside the accepted time window", null);
        }
        final String topic = topic(config.type(), headers);
        if (topic != null && !topic.equals("orders/create") && !topic.equals("order.created"))
        {
            ignored(exchange, "topic " + topic + " is not an order creation");
            return;
        }
        final JsonNode root;
        try
        {
            root = JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            if (config.type() == ConnectorConfig.Type.WOOCOMMERCE
                && new String(body, StandardCharsets.UTF_8).startsWith("webhook_id="))
            {
                ignored(exchange, "woocommerce ping");
                return;
            }
            throw ApiException.invalid("the body is not valid JSON", "$");
        }
        if (root == null || !root.isObject())
        {
            throw ApiException.invalid("the body must be a JSON object", "$");
        }
        final ChannelOrder order = switch (config.type())
        {
            case SHOPIFY -> shopify(root, config);
            case WOOCOMMERCE -> woocommerce(root, config);
            default -> generic(root, config);
        };
        if (order.lines().isEmpty())
        {
            ignored(exchange, "the order has no stocked lines");
            return;
        }
        submit(exchange, channel, order);
    }

    private static String topic(final ConnectorConfig.Type type, final HttpHeaders headers)
    {
        return switch (type)
        {
            case SHOPIFY -> headers.get("X-Shopify-Topic");
            case WOOCOMMERCE -> headers.get("X-WC-Webhook-Topic");
            default -> null;
        };
    }

    boolean verified(final ConnectorConfig config, final HttpHeaders headers, final byte[] body)
    {
        switch (config.type())
        {
            case SHOPIFY, WOOCOMMERCE ->
            {
                final Secret secret = config.secret("webhook_secret");
                final String header = config.type() == ConnectorConfig.Type.SHOPIFY ?
                    headers.get("X-Shopify-Hmac-Sha256") : headers.get("X-WC-Webhook-Signature");
                return secret != null && Signatures.matches(Signatures.base64(secret, body), header);
            }
            case WEBHOOK ->
            {
                final String timestamp = headers.get(Signatures.TIMESTAMP_HEADER);
                if (timestamp == null || !timestamp.matches("[0-9]{1,12}"))
                {
                    return false;
                }
                final long skewSeconds = Math.abs(clockMillis.getAsLong() / 1000 - Long.parseLong(timestamp));
                return skewSeconds <= config.signatureToleranceSeconds() && Signatures.matches(
                    Signatures.sign(config.secret("secret"), timestamp, body), headers.get(Signatures.SIGNATURE_HEADER));
            }
            default ->
            {
                return false;
            }
        }
    }

    /** The body as a JSON object, or a 400 naming the problem. */
    JsonNode parse(final byte[] body)
    {
        final JsonNode root;
        try
        {
            root = JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            throw ApiException.invalid("the body is not valid JSON", "$");
        }
        if (root == null || !root.isObject())
        {
            throw ApiException.invalid("the body must be a JSON object", "$");
        }
        return root;
    }

    private ChannelOrder shopify(final JsonNode root, final ConnectorConfig config)
    {
        final String orderId = orderId(root.path("id"), "$.id");
        final Map<String, Long> lines = new LinkedHashMap<>();
        final JsonNode items = root.path("line_items");
        for (int i = 0; i < items.size(); i++)
        {
            final JsonNode item = items.get(i);
            addLine(lines, sku(config, item.path("sku").asText(""), null), item.path("quantity"),
                "$.line_items[" + i + "]");
        }
        final JsonNode address = root.path("shipping_address");
        return new ChannelOrder(orderId, lines, country(address.path("country_code")), postal(address.path("zip")));
    }

    private ChannelOrder woocommerce(final JsonNode root, final ConnectorConfig config)
    {
        final String orderId = orderId(root.path("id"), "$.id");
        final Map<String, Long> lines = new LinkedHashMap<>();
        final JsonNode items = root.path("line_items");
        for (int i = 0; i < items.size(); i++)
        {
            final JsonNode item = items.get(i);
            final String productId = item.path("variation_id").asLong(0) > 0 ? item.path("variation_id").asText() :
                item.path("product_id").asText("");
            addLine(lines, sku(config, item.path("sku").asText(""), productId), item.path("quantity"),
                "$.line_items[" + i + "]");
        }
        final JsonNode shipping = root.path("shipping");
        return new ChannelOrder(orderId, lines, country(shipping.path("country")), postal(shipping.path("postcode")));
    }

    private ChannelOrder generic(final JsonNode root, final ConnectorConfig config)
    {
        final String orderId = orderId(root.path("order_id"), "$.order_id");
        final Map<String, Long> lines = new LinkedHashMap<>();
        final JsonNode items = root.path("lines");
        if (!items.isArray() || items.isEmpty())
        {
            throw ApiException.invalid("'lines' needs 1 to " + limits.maxLines() + " lines", "$.lines");
        }
        for (int i = 0; i < items.size(); i++)
        {
            final JsonNode item = items.get(i);
            final String sku = item.path("sku").asText("");
            if (sku.isEmpty())
            {
                throw ApiException.invalid("a line needs a 'sku'", "$.lines[" + i + "].sku");
            }
            addLine(lines, sku(config, sku, null), item.path("qty"), "$.lines[" + i + "]");
        }
        final JsonNode destination = root.path("destination");
        return new ChannelOrder(orderId, lines, country(destination.path("country")),
            postal(destination.path("postal_code")));
    }

    private static String orderId(final JsonNode node, final String param)
    {
        final String id = node.isIntegralNumber() ? node.asText() : node.isTextual() ? node.textValue() : null;
        if (id == null || !Ids.isValid(id))
        {
            throw ApiException.invalid("the order id must be a number or match [A-Za-z0-9._:-]{1,64}", param);
        }
        return id;
    }

    /** Lines without a SKU (gift cards, custom items) are not stock and are skipped; duplicates are summed. */
    void addLine(final Map<String, Long> lines, final String sku, final JsonNode quantity,
        final String param)
    {
        if (sku == null)
        {
            return;
        }
        if (!Ids.isValid(sku))
        {
            throw ApiException.invalid("SKU '" + sku + "' does not match [A-Za-z0-9._:-]{1,64}", param + ".sku");
        }
        if (!quantity.isIntegralNumber() || !limits.isQuantity(quantity.asLong()) ||
            !limits.isQuantity(lines.getOrDefault(sku, 0L) + quantity.asLong()))
        {
            throw ApiException.invalid("quantity must be an integer in [1, " + limits.maxQuantity() + "]", param);
        }
        lines.put(sku, lines.getOrDefault(sku, 0L) + quantity.asLong());
        if (lines.size() > limits.maxLines())
        {
            throw ApiException.invalid("at most " + limits.maxLines() + " lines", param);
        }
    }

    /** The engine SKU of a line: its SKU text (or the SKU whose item id it is), else its product id mapped back. */
    String sku(final ConnectorConfig config, final String lineSku, final String productId)
    {
        final Map<String, String> reverse = reverseItemIds.computeIfAbsent(config.channel(), c ->
        {
            final Map<String, String> map = new HashMap<>();
            config.itemIds().forEach((sku, item) -> map.put(item, sku));
            return map;
        });
        if (!lineSku.isEmpty())
        {
            return engine.skuIndex(lineSku) < 0 && reverse.containsKey(lineSku) ? reverse.get(lineSku) : lineSku;
        }
        if (productId != null && !productId.isEmpty())
        {
            final String mapped = reverse.get(productId);
            return mapped != null ? mapped : engine.skuIndex(productId) >= 0 ? productId : null;
        }
        return null;
    }

    private static String country(final JsonNode node)
    {
        final String text = node.asText("");
        return text.matches("[A-Z]{2}") ? text : null;
    }

    private static String postal(final JsonNode node)
    {
        final String text = node.asText("");
        return text.isEmpty() || text.length() > 32 ? null : text;
    }

    static void ignored(final Exchange exchange, final String why)
    {
        final JsonOut out = new JsonOut(exchange.allocator());
        out.startObject().field("ignored", true).field("detail", why).endObject();
        exchange.respond(Responses.json(HttpResponseStatus.OK, out.finish()));
    }

    void submit(final Exchange exchange, final String channel, final ChannelOrder order)
    {
        final String key = exchange.request().headers().get("Idempotency-Key");
        if (key != null && (key.isEmpty() || key.length() > 255))
        {
            throw ApiException.invalid("Idempotency-Key must be 1 to 255 characters", null);
        }
        final ByteBufAllocator allocator = exchange.allocator();
        final boolean published = runtime.tryPublish(
            command ->
            {
                command.order(channel, order.orderId()).destination(order.country(), order.postalCode());
                order.lines().forEach(command::addLine);
                command.principal("webhook:" + channel).idempotencyKey(key);
            },
            (command, outcome) ->
            {
                FullHttpResponse response;
                try
                {
                    if (outcome.accepted())
                    {
                        final JsonOut out = new JsonOut(allocator);
                        render.order(out, outcome);
                        response = Responses.json(outcome.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED,
                            out.finish());
                        if (outcome.duplicate() || outcome.replayed())
                        {
                            response.headers().set("Idempotent-Replayed", "true");
                        }
                    }
                    else
                    {
                        response = render.rejection(allocator, outcome, "$.lines");
                    }
                }
                catch (final RuntimeException ex)
                {
                    response = Responses.problem(allocator, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                        "the response could not be rendered", null);
                }
                exchange.respond(response);
            });
        if (!published)
        {
            exchange.respond(Responses.overloaded(allocator));
        }
    }
}
