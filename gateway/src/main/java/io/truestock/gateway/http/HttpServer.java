package io.truestock.gateway.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.timeout.IdleStateHandler;
import io.truestock.gateway.metrics.Metrics;
import io.truestock.gateway.net.Transport;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Netty HTTP/1.1 server: codec, the browser security headers on every response ({@link SecurityHeaders}), a
 * 64 KiB body bound answered with {@code 413 payload_too_large} (inventory imports excepted: {@link ImportBodies}),
 * an idle timeout, then {@link HttpConnection} per connection. A request the codec cannot frame (request line,
 * headers, chunked encoding, body length) is answered with {@code Connection: close} and ends the connection.
 */
public final class HttpServer implements AutoCloseable
{
    private static final int IDLE_SECONDS = 300;
    /**
     * Requests a client may pipeline on one connection without reading answers. The first 64 are served at
     * once, the rest wait (see {@link HttpConnection}); past this bound the codec closes the connection.
     */
    public static final int MAX_PIPELINE_DEPTH = 256;

    private final Channel channel;
    private final java.util.concurrent.atomic.AtomicInteger importsReceiving =
        new java.util.concurrent.atomic.AtomicInteger();

    public HttpServer(
        final Transport transport, final EventLoopGroup boss, final EventLoopGroup workers, final String host,
        final int port, final Api api, final Metrics metrics, final Consumer<io.netty.channel.ChannelPipeline> extra)
        throws InterruptedException
    {
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline()
                        .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS)
                        {
                            @Override
                            protected void channelIdle(
                                final ChannelHandlerContext ctx, final io.netty.handler.timeout.IdleStateEvent evt)
                            {
                                if (ctx.pipeline().get("sse") == null)
                                {
                                    ctx.close();
                                }
                            }
                        })
                        .addLast("codec", new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(4096)
                            .setMaxHeaderSize(8192).setMaxChunkSize(8192), MAX_PIPELINE_DEPTH))
                        .addLast("security-headers", SecurityHeaders.INSTANCE)
                        .addLast("import", new ImportBodies(importsReceiving))
                        .addLast("aggregator", new BoundedAggregator(Api.MAX_BODY_BYTES));
                    if (extra != null)
                    {
                        extra.accept(ch.pipeline());
                    }
                    ch.pipeline().addLast("api", new HttpConnection(api, metrics));
                }
            });
        channel = bootstrap.bind(host, port).sync().channel();
    }

    public int port()
    {
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
    }

    /**
     * Aggregates bodies up to the API's bound. A body over it (announced, sent, or announced with
     * {@code Expect: 100-continue}) goes on to {@link HttpConnection} as a request that failed to decode, with a
     * {@link TooLongHttpContentException}: the connection answers it in order with {@code 413 payload_too_large}
     * and closes, like every other request it cannot frame, so nothing sent after it is served.
     */
    private static final class BoundedAggregator extends HttpObjectAggregator
    {
        BoundedAggregator(final int maxContentLength)
        {
            super(maxContentLength);
        }

        @Override
        protected Object newContinueResponse(
            final HttpMessage start, final int maxContentLength, final io.netty.channel.ChannelPipeline pipeline)
        {
            final Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
            if (answer instanceof FullHttpResponse response &&
                response.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code())
            {
                // No interim answer: the aggregator then finds the announced length over the bound and hands the
                // request to handleOversizedMessage, which answers it the one way.
                response.release();
                return null;
            }
            return answer;
        }

        @Override
        protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
        {
            // A server's codec decodes requests only. The oversized message is released after this returns.
            final HttpRequest request = (HttpRequest)oversized;
            final DefaultFullHttpRequest refused = new DefaultFullHttpRequest(request.protocolVersion(),
                request.method(), request.uri(), Unpooled.EMPTY_BUFFER);
            refused.setDecoderResult(DecoderResult.failure(new TooLongHttpContentException(
                "request bodies are limited to " + Api.MAX_BODY_BYTES + " bytes")));
            ctx.fireChannelRead(refused);
        }
    }
}
