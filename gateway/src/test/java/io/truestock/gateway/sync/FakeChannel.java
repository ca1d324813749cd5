package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake channel API on loopback (Netty): checks each request's authentication and shape like the real API would,
 * injects faults (429 with Retry-After, 5xx, requests that never get an answer, slow answers after applying), and
 * records the value and version it holds per item, counting every time an older version was applied over a newer
 * one. Subclasses speak one channel's protocol.
 */
abstract class FakeChannel implements AutoCloseable
{
    static final ObjectMapper JSON = new ObjectMapper();

    /** Fault probabilities (per request) and timings. */
    static final class Faults
    {
        double throttle;
        String retryAfter = "0";
        double serverError;
        double blackHole;
        long blackHoleMillis = 500;
        double slow;
        long slowMillis = 100;
        boolean forceEachKind;

        static Faults none()
        {
            return new Faults();
        }

        static Faults storm()
        {
            final Faults faults = new Faults();
            faults.throttle = 0.05;
            faults.serverError = 0.05;
            faults.blackHole = 0.02;
            faults.slow = 0.05;
            faults.forceEachKind = true;
            return faults;
        }
    }

    /** What the channel holds for one item. */
    record Held(long qty, long version)
    {
    }

    /**
     * The price a channel shows for one item (minor units): {@code shown} is what a buyer pays, {@code regular} the
     * price without the sale (equal to {@code shown} when no sale runs).
     */
    record HeldPrice(long shown, long regular, long version)
    {
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;
    private final Random random;
    volatile Faults faults = Faults.none();
    final Map<String, Held> held = new ConcurrentHashMap<>();
    final Map<String, HeldPrice> heldPrices = new ConcurrentHashMap<>();
    final AtomicLong priceRegressions = new AtomicLong();
    final AtomicLong pricesApplied = new AtomicLong();
    final List<String> shapeErrors = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong requests = new AtomicLong();
    final AtomicLong authFailures = new AtomicLong();
    final AtomicLong regressions = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong serverErrors = new AtomicLong();
    final AtomicLong blackHoled = new AtomicLong();
    final AtomicLong slowed = new AtomicLong();
    final AtomicLong applied = new AtomicLong();
    private final AtomicLong forcedFaults = new AtomicLong();

    /** An answer, or null to never answer (the connection is closed after the black-hole time). */
    record Answer(HttpResponseStatus status, byte[] body, Map<String, String> headers)
    {
        static Answer json(final HttpResponseStatus status, final Object body)
        {
            try
            {
                return new Answer(status, JSON.writeValueAsBytes(body), Map.of("Content-Type", "application/json"));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    }

    FakeChannel(final long seed)
    {
        this.random = new Random(seed);
        final FakeChannel fake = this;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(4 << 20),
                        new SimpleChannelInboundHandler<FullHttpRequest>()
                        {
                            @Override
                            protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
                            {
                                fake.serve(ctx, request);
                            }
                        });
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    URI baseUrl()
    {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress)server.localAddress()).getPort());
    }

    private synchronized double roll()
    {
        return random.nextDouble();
    }

    private void serve(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        requests.incrementAndGet();
        final Faults f = faults;
        final byte[] body = new byte[request.content().readableBytes()];
        request.content().readBytes(body);
        if (!control(request) && f != null)
        {
            // The first faultable requests get one fault of each kind, so every run exercises all of them.
            final long forced = f.forceEachKind ? forcedFaults.getAndIncrement() : 4;
            final double[] widths = {f.throttle, f.serverError, f.blackHole, f.slow};
            double roll = roll();
            if (forced < 4)
            {
                double start = 0;
                for (int k = 0; k < forced; k++)
                {
                    start += widths[k];
                }
                roll = start + widths[(int)forced] / 2;
            }
            double edge = f.throttle;
            if (roll < edge)
            {
                throttled.incrementAndGet();
                write(ctx, new Answer(HttpResponseStatus.TOO_MANY_REQUESTS, "{\"errors\":[{\"code\":\"QuotaExceeded\"}]}"
                    .getBytes(StandardCharsets.UTF_8), f.retryAfter == null ? Map.of() : Map.of("Retry-After", f.retryAfter)), 0);
                return;
            }
            edge += f.serverError;
            if (roll < edge)
            {
                serverErrors.incrementAndGet();
                write(ctx, new Answer(roll < edge - f.serverError / 2 ? HttpResponseStatus.SERVICE_UNAVAILABLE :
                    HttpResponseStatus.INTERNAL_SERVER_ERROR, new byte[0], Map.of()), 0);
                return;
            }
            edge += f.blackHole;
            if (roll < edge)
            {
                blackHoled.incrementAndGet();
                ctx.executor().schedule(() -> ctx.close(), f.blackHoleMillis, TimeUnit.MILLISECONDS);
                return;
            }
            edge += f.slow;
            if (roll < edge)
            {
                slowed.incrementAndGet();
                write(ctx, handle(request, body), f.slowMillis);
                return;
            }
        }
        write(ctx, handle(request, body), 0);
    }

    /** Requests that are never faulted (token endpoints). */
    boolean control(final FullHttpRequest request)
    {
        return false;
    }

    private static void write(final ChannelHandlerContext ctx, final Answer answer, final long delayMillis)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
            Unpooled.wrappedBuffer(answer.body()));
        answer.headers().forEach((k, v) -> response.headers().set(k, v));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        if (delayMillis > 0)
        {
            ctx.executor().schedule(() -> ctx.writeAndFlush(response), delayMillis, TimeUnit.MILLISECONDS);
        }
        else
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    /** Handles a request that passed fault injection: check auth and shape, apply, answer. */
    abstract Answer handle(FullHttpRequest request, byte[] body);

    /** Applies a value at a version, counting a regression when the version is older than the one held. */
    void apply(final String item, final long qty, final long version)
    {
        applied.incrementAndGet();
        held.compute(item, (k, old) ->
        {
            if (old != null && version < old.version())
            {
                regressions.incrementAndGet();
            }
            return new Held(qty, version);
        });
    }

    /** Applies a price at a version, counting a regression when the version is older than the one held. */
    void applyPrice(final String item, final long shown, final long regular, final long version)
    {
        pricesApplied.incrementAndGet();
        heldPrices.compute(item, (k, old) ->
        {
            if (old != null && version < old.version())
            {
                priceRegressions.incrementAndGet();
            }
            return new HeldPrice(shown, regular, version);
        });
    }

    /** A decimal price text ("12.50") as minor units of a two-decimal currency; -1 when it is not one. */
    static long minor(final JsonNode value)
    {
        try
        {
            return new java.math.BigDecimal(value.asText()).movePointRight(2).longValueExact();
        }
        catch (final ArithmeticException | NumberFormatException ex)
        {
            return -1;
        }
    }

    Answer shapeError(final String error)
    {
        shapeErrors.add(error);
        return Answer.json(HttpResponseStatus.BAD_REQUEST, Map.of("error", error));
    }

    Answer unauthorized()
    {
        authFailures.incrementAndGet();
        return Answer.json(HttpResponseStatus.UNAUTHORIZED, Map.of("error", "unauthorized"));
    }

    static JsonNode parse(final byte[] body)
    {
        try
        {
            return JSON.readTree(body);
        }
        catch (final Exception ex)
        {
            return null;
        }
    }

    long faultsInjected()
    {
        return throttled.get() + serverErrors.get() + blackHoled.get() + slowed.get();
    }

    @Override
    public void close()
    {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
