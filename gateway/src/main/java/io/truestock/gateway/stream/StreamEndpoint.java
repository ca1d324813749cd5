package io.truestock.gateway.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.truestock.engine.Engine;
import io.truestock.gateway.auth.KeyGuard;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.Exchange;
import io.truestock.gateway.http.JsonOut;
import io.truestock.gateway.http.Responses;
import io.truestock.gateway.offer.StockLevel;
import org.agrona.concurrent.EpochClock;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/channels/{id}/updates}: Server-Sent Events ({@code Accept: text/event-stream}) or a WebSocket
 * (an upgrade request on the same path). Resume with {@code Last-Event-ID} (updates from that version on, so an
 * update sharing the last seen version is never lost) or {@code ?since=<version>} (newer than it).
 * <p>
 * {@code GET /v1/updates?channels=a,b} (every channel when the parameter is absent) is the same stream for several
 * channels on one connection (a browser holds only a few connections to one server); its events carry no
 * {@code id} (its channels may be drained unevenly, so one version cannot resume them all): resume it with
 * {@code ?since=} the lowest version last seen on any of its channels.
 * <p>
 * A stream lasts only as long as the key that opened it: revoking the key closes its open streams at once, and a
 * stream whose key has expired is closed at its next heartbeat check (every {@value #HEARTBEAT_SECONDS} s).
 */
public final class StreamEndpoint implements Api.Extension
{
    /** Updates taken from a subscriber per poll: a catch-up round's worth, then the socket's writability decides. */
    private static final int BATCH = ChannelStreams.CATCH_UP_ROUND;
    private static final long HEARTBEAT_SECONDS = 15;

    private final Engine engine;
    private final ChannelStreams streams;
    private final EpochClock clock;
    private final KeyGuard keys;

    /**
     * @param clock the instant a price is read at for an update that carries none.
     * @param keys  whose revocations close streams, and whose liveness each stream checks at its heartbeat.
     */
    public StreamEndpoint(final Engine engine, final ChannelStreams streams, final EpochClock clock, final KeyGuard keys)
    {
        this.engine = engine;
        this.streams = streams;
        this.clock = clock;
        this.keys = keys;
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder query)
    {
        exchange.route("channel_updates");
        final FullHttpRequest request = exchange.request();
        if (!request.method().equals(HttpMethod.GET))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request",
                "streams are opened with GET", null);
        }
        // /v1/channels/{id}/updates, or /v1/updates?channels=a,b (every channel when absent): one connection for
        // many channels, as a browser holds only a few connections to one server.
        final boolean multiplexed = path.get(1).equals("updates");
        if (multiplexed && path.size() != 2)
        {
            throw ApiException.notFound("no such resource: " + query.path());
        }
        final int[] channels = multiplexed ? channelsParam(query) : new int[] {channelIndex(path.get(2))};
        long since = -1;
        final String lastEventId = request.headers().get("Last-Event-ID");
        final List<String> sinceParam = query.parameters().get("since");
        if (sinceParam != null && !sinceParam.isEmpty())
        {
            since = parseVersion(sinceParam.get(0), "since");
        }
        else if (lastEventId != null)
        {
            since = Math.max(0, parseVersion(lastEventId, "Last-Event-ID") - 1);
        }
        final boolean websocket = "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
        final String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        if (!websocket && (accept == null || !accept.contains("text/event-stream")))
        {
            throw new ApiException(HttpResponseStatus.NOT_ACCEPTABLE, "invalid_request",
                "ask for 'Accept: text/event-stream' or upgrade to a WebSocket", null);
        }
        final ChannelHandlerContext ctx = exchange.takeOver();
        final StreamSink sink = new StreamSink(ctx, channels.length, !multiplexed, websocket, principal);
        for (int i = 0; i < channels.length; i++)
        {
            final ChannelStreams.Subscriber subscriber = streams.subscribe(channels[i], since, sink);
            if (subscriber == null)
            {
                sink.close();
                ctx.writeAndFlush(Responses.overloaded(ctx.alloc()));
                ctx.close();
                return;
            }
            sink.add(i, subscriber, engine.channelId(channels[i]), engine.channelSpec(channels[i]).lowStockThreshold());
        }
        final KeyGuard.Watch revocation = keys.watch(principal, ctx::close);
        ctx.channel().closeFuture().addListener(f ->
        {
            revocation.close();
            sink.close();
        });
        if (websocket)
        {
            final WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri(), null, false, 64 * 1024)
                .newHandshaker(request);
            if (handshaker == null)
            {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                sink.close();
                return;
            }
            final ChannelPipeline pipeline = ctx.pipeline();
            handshaker.handshake(ctx.channel(), request.retainedDuplicate()).addListener(f ->
            {
                if (!f.isSuccess())
                {
                    ctx.close();
                    return;
                }
                pipeline.addLast("sse", new WebSocketControl(handshaker));
                if (pipeline.get("api") != null)
                {
                    pipeline.remove("api");
                }
                sink.start();
            });
        }
        else
        {
            EventStream.open(ctx);
            sink.start();
        }
    }

    private int channelIndex(final String id)
    {
        final int channel = engine.channelIndex(id);
        if (channel < 0)
        {
            throw ApiException.notFound("unknown channel '" + id + "'");
        }
        return channel;
    }

    /** The {@code channels} query parameter (comma-separated, each once), or every channel when absent. */
    private int[] channelsParam(final QueryStringDecoder query)
    {
        final List<String> values = query.parameters().get("channels");
        if (values == null || values.isEmpty())
        {
            final int[] all = new int[engine.channelCount()];
            for (int c = 0; c < all.length; c++)
            {
                all[c] = c;
            }
            return all;
        }
        if (values.size() > 1)
        {
            throw ApiException.invalid("query parameter 'channels' is repeated", "channels");
        }
        final String[] ids = values.get(0).split(",", -1);
        if (ids.length > engine.config().maxChannels())
        {
            throw ApiException.invalid("at most " + engine.config().maxChannels() + " channels", "channels");
        }
        final int[] channels = new int[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            channels[i] = channelIndex(ids[i]);
            for (int j = 0; j < i; j++)
            {
                if (channels[j] == channels[i])
                {
                    throw ApiException.invalid("channel '" + ids[i] + "' is named twice", "channels");
                }
            }
        }
        return channels;
    }

    private static long parseVersion(final String text, final String name)
    {
        try
        {
            final long version = Long.parseLong(text.trim());
            if (version < 0)
            {
                throw new NumberFormatException();
            }
            return version;
        }
        catch (final NumberFormatException ex)
        {
            throw ApiException.invalid(name + " must be a non-negative version", name);
        }
    }

    /** Answers pings and closes on a close frame; data frames from the client are ignored. */
    private static final class WebSocketControl extends ChannelInboundHandlerAdapter
    {
        private final WebSocketServerHandshaker handshaker;

        WebSocketControl(final WebSocketServerHandshaker handshaker)
        {
            this.handshaker = handshaker;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof CloseWebSocketFrame close)
            {
                handshaker.close(ctx.channel(), close.retain());
                return;
            }
            if (msg instanceof PingWebSocketFrame ping)
            {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                ping.release();
                return;
            }
            if (msg instanceof WebSocketFrame frame)
            {
                frame.release();
                return;
            }
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Drains a connection's subscribers (one per channel) onto it, on that connection's event loop, while it is
     * writable.
     */
    private final class StreamSink implements ChannelStreams.Sink
    {
        private final ChannelHandlerContext ctx;
        private final ChannelStreams.Subscriber[] subscribers;
        private final String[] channelIds;
        private final long[] lowStockThresholds;
        private final boolean eventIds;
        private final boolean websocket;
        private final Principal principal;
        private volatile boolean started;
        private ScheduledFuture<?> heartbeat;

        /**
         * @param eventIds whether SSE events carry their version as {@code id}: only on a one-channel stream, where
         *                 a Last-Event-ID resumes exactly; channels of a multiplexed stream may be drained unevenly.
         */
        StreamSink(final ChannelHandlerContext ctx, final int channels, final boolean eventIds,
            final boolean websocket, final Principal principal)
        {
            this.ctx = ctx;
            this.subscribers = new ChannelStreams.Subscriber[channels];
            this.channelIds = new String[channels];
            this.lowStockThresholds = new long[channels];
            this.eventIds = eventIds;
            this.websocket = websocket;
            this.principal = principal;
        }

        /** Sets a channel's subscriber, before {@link #start}. */
        void add(final int i, final ChannelStreams.Subscriber subscriber, final String channelId,
            final long lowStockThreshold)
        {
            subscribers[i] = subscriber;
            channelIds[i] = channelId;
            lowStockThresholds[i] = lowStockThreshold;
        }

        void start()
        {
            started = true;
            ctx.pipeline().addLast("stream-writability", new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelWritabilityChanged(final ChannelHandlerContext context)
                {
                    if (context.channel().isWritable())
                    {
                        drain();
                    }
                    context.fireChannelWritabilityChanged();
                }
            });
            heartbeat = ctx.executor().scheduleAtFixedRate(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS,
                TimeUnit.SECONDS);
            wake();
        }

        /** Closes the stream once its key no longer holds; else keeps an SSE connection alive through proxies. */
        private void heartbeat()
        {
            if (!keys.isLive(principal))
            {
                ctx.close();
            }
            else if (!websocket)
            {
                ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
                    ctx.alloc().buffer().writeBytes(": keepalive\n\n".getBytes(StandardCharsets.UTF_8))));
            }
        }

        @Override
        public void wake()
        {
            if (started)
            {
                ctx.executor().execute(this::drain);
            }
        }

        private void drain()
        {
            if (!started || !ctx.channel().isActive())
            {
                return;
            }
            boolean wrote = false;
            boolean more = true;
            while (more && ctx.channel().isWritable())
            {
                more = false;
                for (int i = 0; i < subscribers.length; i++)
                {
                    final List<ChannelStreams.Update> updates = subscribers[i].poll(BATCH);
                    for (final ChannelStreams.Update update : updates)
                    {
                        write(i, update);
                    }
                    more |= !updates.isEmpty();
                    wrote |= !updates.isEmpty();
                }
            }
            if (wrote)
            {
                ctx.flush();
            }
        }

        private void write(final int i, final ChannelStreams.Update update)
        {
            final String channelId = channelIds[i];
            final JsonOut json = new JsonOut(ctx.alloc());
            json.startObject()
                .field("sku", engine.skuId(update.sku()))
                .field("channel", channelId)
                .field("available", update.available())
                .field("status", StockLevel.of(update.available(), lowStockThresholds[i]).text());
            // The price the channel should show beside the stock, as of the update: a price list change or a sale
            // starting or ending arrives as an update of its own.
            final io.truestock.engine.price.Price price = engine.priceAt(update.sku(), engine.channelIndex(channelId),
                update.atMillis() > 0 ? update.atMillis() : clock.time());
            if (price != null)
            {
                json.money("price", price.amountMinor(), price.currency());
            }
            json.field("version", update.version());
            if (update.atMillis() > 0)
            {
                json.instantField("at", update.atMillis());
            }
            else
            {
                json.nullField("at");
            }
            json.endObject();
            final ByteBuf body = json.finish();
            if (websocket)
            {
                ctx.write(new TextWebSocketFrame(body));
            }
            else
            {
                final ByteBuf frame = ctx.alloc().buffer(body.readableBytes() + 48);
                ByteBufUtil.writeUtf8(frame, eventIds ? "event: stock\nid: " + update.version() + "\ndata: " :
                    "event: stock\ndata: ");
                frame.writeBytes(body);
                ByteBufUtil.writeUtf8(frame, "\n\n");
                body.release();
                ctx.write(new io.netty.handler.codec.http.DefaultHttpContent(frame));
            }
        }

        void close()
        {
            if (heartbeat != null)
            {
                heartbeat.cancel(false);
            }
            for (final ChannelStreams.Subscriber subscriber : subscribers)
            {
                if (subscriber != null)
                {
                    subscriber.close();
                }
            }
        }
    }
}
