package io.truestock.benchmarks.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Channel APIs on loopback that accept every well-formed stock update at once: Shopify GraphQL (with a cost
 * bucket that never runs dry), the Login-with-Amazon token endpoint and Listings patches, WooCommerce batches
 * (echoing each product's new stock), a webhook receiver, and the marketplace APIs (TikTok Shop inventory and
 * prices, Flipkart inventory and prices, Meta items_batch, eBay bulk_update_price_quantity, Walmart inventory,
 * prices and feeds) with their token endpoints and empty
 * order lists for the order pollers. One server per channel, all on one Netty event loop,
 * so the measurement is the connectors' own path, not a slow fake.
 */
final class LoopbackChannels implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SHOPIFY_OK = ("{\"data\":{\"inventorySetQuantities\":{\"inventoryAdjustmentGroup\":"
        + "{\"id\":\"gid://shopify/InventoryAdjustmentGroup/1\"},\"userErrors\":[]}},\"extensions\":{\"cost\":"
        + "{\"requestedQueryCost\":10,\"actualQueryCost\":10,\"throttleStatus\":{\"maximumAvailable\":2000.0,"
        + "\"currentlyAvailable\":1990,\"restoreRate\":100.0}}}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOKEN = "{\"access_token\":\"Atza|bench\",\"token_type\":\"bearer\",\"expires_in\":3600}"
        .getBytes(StandardCharsets.UTF_8);
    private static final byte[] AMAZON_OK = "{\"sku\":\"hot\",\"status\":\"ACCEPTED\",\"submissionId\":\"1\",\"issues\":[]}"
        .getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY_OK = "{}".getBytes(StandardCharsets.UTF_8);

    /** An order on the loopback Walmart order API: its id and creation instant, one unit of one SKU. */
    record PlacedOrder(String id, long createdMillis, String sku)
    {
    }

    /** The orders {@code GET /v3/orders} lists (oldest first): empty unless a measurement places some. */
    final List<PlacedOrder> walmartOrders = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final List<Channel> servers = new ArrayList<>();

    URI start()
    {
        final Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpRequest>()
                        {
                            @Override
                            protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
                            {
                                ctx.writeAndFlush(answer(request));
                            }
                        });
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress)server.localAddress()).getPort());
    }

    private FullHttpResponse answer(final FullHttpRequest request)
    {
        final String uri = request.uri();
        byte[] body = EMPTY_OK;
        if (uri.endsWith("/graphql.json"))
        {
            body = SHOPIFY_OK;
        }
        else if (uri.equals("/auth/o2/token"))
        {
            body = TOKEN;
        }
        else if (uri.startsWith("/listings/2021-08-01/"))
        {
            body = AMAZON_OK;
        }
        else if (uri.equals("/wp-json/wc/v3/products/batch"))
        {
            body = wooEcho(request);
        }
        else if (uri.startsWith("/v3/orders?"))
        {
            body = walmartOrders(uri);
        }
        else
        {
            body = marketplace(uri, request);
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    private static final byte[] TIKTOK_OK = "{\"code\":0,\"message\":\"Success\",\"data\":{\"orders\":[],\"next_page_token\":\"\"}}"
        .getBytes(StandardCharsets.UTF_8);
    private static final byte[] META_OK = "{\"handles\":[\"AczL\"],\"validation_status\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO_ORDERS = ("{\"orders\":[],\"shipments\":[],\"hasMore\":false,"
        + "\"list\":{\"meta\":{},\"elements\":{\"order\":[]}}}").getBytes(StandardCharsets.UTF_8);

    /** The marketplace APIs' answers: tokens, acceptance of every item, no orders. */
    private static byte[] marketplace(final String uri, final FullHttpRequest request)
    {
        if (uri.startsWith("/api/v2/token/refresh"))
        {
            return ("{\"code\":0,\"data\":{\"access_token\":\"tts\",\"access_token_expire_in\":"
                + (System.currentTimeMillis() / 1000 + 86_400) + "}}").getBytes(StandardCharsets.UTF_8);
        }
        if (uri.startsWith("/oauth-service/oauth/token") || uri.equals("/identity/v1/oauth2/token") || uri.equals("/v3/token"))
        {
            return TOKEN;
        }
        if (uri.startsWith("/product/") || uri.startsWith("/order/"))
        {
            return TIKTOK_OK;
        }
        if (uri.endsWith("/items_batch"))
        {
            return META_OK;
        }
        final JsonNode root = read(request);
        final ObjectNode out = JSON.createObjectNode();
        if (uri.equals("/listings/v3/update/inventory") || uri.equals("/listings/v3/update/price"))
        {
            root.fieldNames().forEachRemaining(sku -> out.putObject(sku).put("status", "SUCCESS"));
        }
        else if (uri.equals("/sell/inventory/v1/bulk_update_price_quantity"))
        {
            final ArrayNode responses = out.putArray("responses");
            root.path("requests").forEach(r -> responses.addObject().put("sku", r.path("sku").asText()).put("statusCode", 200));
        }
        else if (uri.equals("/v3/price"))
        {
            return ("{\"ItemPriceResponse\":{\"mart\":\"WALMART_US\",\"sku\":\"" + root.path("sku").asText()
                + "\",\"message\":\"Thank you. Your price has been updated.\"}}").getBytes(StandardCharsets.UTF_8);
        }
        else if (uri.startsWith("/v3/inventory"))
        {
            return root.isMissingNode() ? EMPTY_OK : root.toString().getBytes(StandardCharsets.UTF_8);
        }
        else
        {
            return NO_ORDERS;
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Walmart's order list: the placed orders created at or after {@code createdStartDate}, one page. */
    private byte[] walmartOrders(final String uri)
    {
        final List<String> start = new io.netty.handler.codec.http.QueryStringDecoder(uri).parameters().get("createdStartDate");
        final long since = start == null ? 0 : java.time.Instant.parse(start.get(0)).toEpochMilli();
        final ObjectNode out = JSON.createObjectNode();
        final ObjectNode list = out.putObject("list");
        list.putObject("meta");
        final ArrayNode orders = list.putObject("elements").putArray("order");
        for (final PlacedOrder order : walmartOrders)
        {
            if (order.createdMillis() >= since)
            {
                final ObjectNode o = orders.addObject().put("purchaseOrderId", order.id())
                    .put("orderDate", order.createdMillis());
                o.putObject("shippingInfo").putObject("postalAddress").put("postalCode", "72716").put("country", "USA");
                final ObjectNode line = o.putObject("orderLines").putArray("orderLine").addObject();
                line.putObject("item").put("sku", order.sku());
                line.putObject("orderLineQuantity").put("unitOfMeasurement", "EACH").put("amount", "1");
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode read(final FullHttpRequest request)
    {
        try
        {
            final byte[] in = new byte[request.content().readableBytes()];
            request.content().readBytes(in);
            final JsonNode root = JSON.readTree(in);
            return root == null ? JSON.missingNode() : root;
        }
        catch (final Exception ex)
        {
            return JSON.missingNode();
        }
    }

    private static byte[] wooEcho(final FullHttpRequest request)
    {
        try
        {
            final byte[] in = new byte[request.content().readableBytes()];
            request.content().readBytes(in);
            final JsonNode root = JSON.readTree(in);
            final ObjectNode out = JSON.createObjectNode();
            final ArrayNode update = out.putArray("update");
            for (final JsonNode item : root.path("update"))
            {
                update.addObject().put("id", item.path("id").asLong()).put("manage_stock", true)
                    .put("stock_quantity", item.path("stock_quantity").asLong());
            }
            return JSON.writeValueAsBytes(out);
        }
        catch (final Exception ex)
        {
            return EMPTY_OK;
        }
    }

    @Override
    public void close()
    {
        servers.forEach(server -> server.close().syncUninterruptibly());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
