package io.truestock.gateway.sync.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.Ids;
import io.truestock.engine.runtime.Sequencer;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.Exchange;
import io.truestock.gateway.http.JsonOut;
import io.truestock.gateway.http.Responses;
import io.truestock.gateway.sync.ConnectorConfig;
import io.truestock.gateway.sync.OrderPoller;
import io.truestock.gateway.sync.Secret;
import io.truestock.gateway.sync.Signatures;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The order pushes of the marketplace channels on {@code /v1/channels/{id}/webhooks/orders}:
 * <ul>
 * <li>Meta (WhatsApp Business order messages): {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app_secret, raw
 * body)>}; each {@code type: "order"} message of the {@code messages} webhook becomes a channel order (its id is the
 * message id, or {@code wa:} and a SHA-256 prefix of it when it does not fit an order id; lines are
 * {@code product_items[].product_retailer_id} and {@code quantity}); other messages are ignored. The subscription
 * handshake ({@code GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...}) answers the challenge when
 * the token is the connector's {@code verify_token} (any other is 401).</li>
 * <li>TikTok Shop: {@code Authorization: <hex HMAC-SHA256(app_secret, app_key + raw body)>}; the push carries
 * only an order id and status, so it makes the order poller read the channel at once.</li>
 * </ul>
 * A missing or wrong signature is 401 and changes nothing. Flipkart, eBay and Walmart orders are polled only.
 */
final class MarketplaceWebhooks
{
    private final OrderWebhookEndpoint endpoint;
    private final Sequencer runtime;
    private final OrderPoller poller;

    MarketplaceWebhooks(final OrderWebhookEndpoint endpoint, final Sequencer runtime, final OrderPoller poller)
    {
        this.endpoint = endpoint;
        this.runtime = runtime;
        this.poller = poller;
    }

    /** True for the marketplace types, whose pushes (or their absence) this class answers. */
    static boolean handles(final ConnectorConfig.Type type)
    {
        return switch (type)
        {
            case TIKTOK, FLIPKART, META, EBAY, WALMART -> true;
            default -> false;
        };
    }

    void handle(final Exchange exchange, final ConnectorConfig config, final QueryStringDecoder query)
    {
        final HttpMethod method = exchange.request().method();
        switch (config.type())
        {
            case META ->
            {
                if (method.equals(HttpMethod.GET))
                {
                    handshake(exchange, config, query);
                    return;
                }
                post(exchange);
                meta(exchange, config);
            }
            case TIKTOK ->
            {
                post(exchange);
                tiktok(exchange, config);
            }
            default -> throw ApiException.notFound("channel '" + config.channel() + "' has no order webhook: its "
                + "orders are polled");
        }
    }

    private static void post(final Exchange exchange)
    {
        if (!exchange.request().method().equals(HttpMethod.POST))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request", "use POST", null);
        }
    }

    private static ApiException unauthorized()
    {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
            "the webhook signature is missing or does not verify", null);
    }

    private static void handshake(final Exchange exchange, final ConnectorConfig config, final QueryStringDecoder query)
    {
        final Secret verifyToken = config.secret("verify_token");
        final List<String> mode = query.parameters().get("hub.mode");
        final List<String> token = query.parameters().get("hub.verify_token");
        final List<String> challenge = query.parameters().get("hub.challenge");
        if (verifyToken == null || mode == null || !mode.get(0).equals("subscribe") || token == null
            || challenge == null || !Signatures.matches(verifyToken.reveal(), token.get(0)))
        {
            throw new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "the verify token does not match",
                null);
        }
        exchange.respond(Responses.text(HttpResponseStatus.OK, challenge.get(0), "text/plain; charset=utf-8"));
    }

    private void tiktok(final Exchange exchange, final ConnectorConfig config)
    {
        final byte[] body = ByteBufUtil.getBytes(exchange.request().content());
        final Secret appSecret = config.secret("app_secret");
        final byte[] appKey = config.secret("app_key").reveal().getBytes(StandardCharsets.UTF_8);
        final String expected = HexFormat.of().formatHex(Signatures.hmac(appSecret, appKey, body));
        if (!Signatures.matches(expected, exchange.request().headers().get("Authorization")))
        {
            throw unauthorized();
        }
        if (poller != null)
        {
            poller.wake(config.channel());
        }
        final JsonOut out = new JsonOut(exchange.allocator());
        out.startObject().field("accepted", true).field("detail", "the channel's orders are read now").endObject();
        exchange.respond(Responses.json(HttpResponseStatus.OK, out.finish()));
    }

    private void meta(final Exchange exchange, final ConnectorConfig config)
    {
        final byte[] body = ByteBufUtil.getBytes(exchange.request().content());
        final Secret appSecret = config.secret("app_secret");
        final HttpHeaders headers = exchange.request().headers();
        if (appSecret == null || !Signatures.matches("sha256=" + HexFormat.of().formatHex(Signatures.hmac(appSecret, body)),
            headers.get("X-Hub-Signature-256")))
        {
            throw unauthorized();
        }
        final JsonNode root = endpoint.parse(body);
        final List<OrderWebhookEndpoint.ChannelOrder> orders = new ArrayList<>();
        for (final JsonNode entry : root.path("entry"))
        {
            for (final JsonNode change : entry.path("changes"))
            {
                for (final JsonNode message : change.path("value").path("messages"))
                {
                    if (message.path("type").asText().equals("order"))
                    {
                        orders.add(metaOrder(config, message, orders.size()));
                    }
                }
            }
        }
        orders.removeIf(order -> order.lines().isEmpty());
        if (orders.isEmpty())
        {
            endpoint.ignored(exchange, "no order messages with stocked lines");
        }
        else if (orders.size() == 1)
        {
            endpoint.submit(exchange, config.channel(), orders.get(0));
        }
        else
        {
            submitAll(exchange, config.channel(), orders);
        }
    }

    private OrderWebhookEndpoint.ChannelOrder metaOrder(final ConnectorConfig config, final JsonNode message,
        final int index)
    {
        final String id = message.path("id").asText("");
        if (id.isEmpty())
        {
            throw ApiException.invalid("an order message needs its 'id'", "$.entry[].changes[].value.messages[" + index + "]");
        }
        final Map<String, Long> lines = new LinkedHashMap<>();
        final JsonNode items = message.path("order").path("product_items");
        for (int i = 0; i < items.size(); i++)
        {
            final JsonNode item = items.get(i);
            endpoint.addLine(lines, endpoint.sku(config, item.path("product_retailer_id").asText(""), null),
                item.path("quantity"), "$..messages[" + index + "].order.product_items[" + i + "]");
        }
        return new OrderWebhookEndpoint.ChannelOrder(Ids.isValid(id) ? id : "wa:" + sha256(id).substring(0, 40), lines,
            null, null);
    }

    static String sha256(final String text)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Several orders in one delivery: each recorded (idempotently), one summary answer when all are. */
    private void submitAll(final Exchange exchange, final String channel, final List<OrderWebhookEndpoint.ChannelOrder> orders)
    {
        final List<CompletableFuture<io.truestock.engine.Outcome>> outcomes = new ArrayList<>();
        for (final OrderWebhookEndpoint.ChannelOrder order : orders)
        {
            outcomes.add(runtime.submit(command ->
            {
                command.order(channel, order.orderId()).destination(order.country(), order.postalCode());
                order.lines().forEach(command::addLine);
                command.principal("webhook:" + channel);
            }));
        }
        CompletableFuture.allOf(outcomes.toArray(new CompletableFuture<?>[0])).whenComplete((done, failure) ->
        {
            if (failure != null)
            {
                exchange.respond(Responses.overloaded(exchange.allocator()));
                return;
            }
            final JsonOut out = new JsonOut(exchange.allocator());
            out.startObject().startArray("orders");
            for (int i = 0; i < orders.size(); i++)
            {
                final io.truestock.engine.Outcome outcome = outcomes.get(i).join();
                out.startObject().field("order_id", orders.get(i).orderId())
                    .field("status", !outcome.accepted() ? "rejected" : outcome.duplicate() ? "duplicate" : "recorded")
                    .endObject();
            }
            out.endArray().endObject();
            exchange.respond(Responses.json(HttpResponseStatus.OK, out.finish()));
        });
    }
}
