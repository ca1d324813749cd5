package io.truestock.gateway.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.truestock.gateway.auth.KeyGuard;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.Exchange;
import io.truestock.gateway.http.JsonOut;
import io.truestock.gateway.http.Responses;
import io.truestock.gateway.metrics.LiveSamples;
import org.agrona.concurrent.EpochClock;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/metrics/stream} ({@code Accept: text/event-stream}, any scope): one {@code event: sample} a second
 * with the server's activity ({@link LiveSamples.Sample}), opened with the samples of the last minutes. The console's
 * Live page draws its charts from it.
 * <p>
 * Bounded: at most {@code maxSubscribers} streams at once (the next one is 503 {@code overloaded}). A sample is
 * rendered once per tick and offered to each stream; a stream whose connection cannot take it now (a slow reader)
 * misses that sample rather than queueing it. A stream lasts as long as its key: a revocation closes it at once, an
 * expiry at the next tick.
 */
public final class MetricsStreamEndpoint implements Api.Extension, AutoCloseable
{
    /** Streams open at once, at most. */
    public static final int DEFAULT_MAX_SUBSCRIBERS = 64;
    private static final long TICK_MILLIS = 1000;

    private final LiveSamples samples;
    private final KeyGuard keys;
    private final EpochClock clock;
    private final int maxSubscribers;
    private final AtomicInteger open = new AtomicInteger();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> ticks;

    private record Subscriber(ChannelHandlerContext ctx, Principal principal)
    {
    }

    /**
     * Starts ticking at once (the history fills whether or not anyone watches).
     *
     * @param ticker the executor the samples are taken on (an I/O event loop: a tick is a few microseconds).
     */
    public MetricsStreamEndpoint(
        final LiveSamples samples, final KeyGuard keys, final EpochClock clock, final EventExecutor ticker,
        final int maxSubscribers)
    {
        this.samples = samples;
        this.keys = keys;
        this.clock = clock;
        this.maxSubscribers = maxSubscribers;
        ticks = ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder query)
    {
        if (path.size() != 3 || !path.get(2).equals("stream"))
        {
            throw ApiException.notFound("no such resource: " + query.path());
        }
        exchange.route("metrics_stream");
        if (!exchange.request().method().equals(HttpMethod.GET))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request",
                "streams are opened with GET", null);
        }
        final String accept = exchange.request().headers().get(HttpHeaderNames.ACCEPT);
        if (accept == null || !accept.contains("text/event-stream"))
        {
            throw new ApiException(HttpResponseStatus.NOT_ACCEPTABLE, "invalid_request",
                "ask for 'Accept: text/event-stream'", null);
        }
        if (open.incrementAndGet() > maxSubscribers)
        {
            open.decrementAndGet();
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
                "at most " + maxSubscribers + " metrics streams are open at once; retry after the Retry-After delay",
                null, Responses.RETRY_AFTER_SECONDS);
        }
        final ChannelHandlerContext ctx = exchange.takeOver();
        final Subscriber subscriber = new Subscriber(ctx, principal);
        final KeyGuard.Watch revocation = keys.watch(principal, ctx::close);
        ctx.channel().closeFuture().addListener(f ->
        {
            revocation.close();
            subscribers.remove(subscriber);
            open.decrementAndGet();
        });
        EventStream.open(ctx);
        for (final LiveSamples.Sample sample : samples.history())
        {
            ctx.write(new DefaultHttpContent(wrap(frame(sample))));
        }
        ctx.flush();
        subscribers.add(subscriber);
    }

    /** Streams open now. */
    public int subscriberCount()
    {
        return open.get();
    }

    private void tick()
    {
        final LiveSamples.Sample sample = samples.tick(clock.time());
        if (subscribers.isEmpty())
        {
            return;
        }
        final byte[] frame = frame(sample);
        for (final Subscriber subscriber : subscribers)
        {
            final ChannelHandlerContext ctx = subscriber.ctx();
            if (!keys.isLive(subscriber.principal()))
            {
                ctx.close();
            }
            else if (ctx.channel().isWritable())
            {
                ctx.executor().execute(() -> ctx.writeAndFlush(new DefaultHttpContent(wrap(frame))));
            }
        }
    }

    private static ByteBuf wrap(final byte[] bytes)
    {
        return io.netty.buffer.Unpooled.wrappedBuffer(bytes);
    }

    /** One sample as an SSE event. */
    static byte[] frame(final LiveSamples.Sample sample)
    {
        final JsonOut json = new JsonOut(UnpooledByteBufAllocator.DEFAULT);
        json.startObject()
            .instantField("at", sample.atMillis())
            .field("reservations_per_second", sample.reservationsPerSecond())
            .field("orders_per_second", sample.ordersPerSecond())
            .field("commands_per_second", sample.commandsPerSecond())
            .field("oversold_events", sample.oversoldEvents())
            .field("ring_occupancy", sample.ringOccupancy())
            .field("ring_size", sample.ringSize())
            .field("requests", sample.requests())
            .startObject("latency_us")
            .field("p50", sample.p50Micros())
            .field("p99", sample.p99Micros())
            .field("p999", sample.p999Micros())
            .field("max", sample.maxMicros())
            .endObject()
            .field("version", sample.version())
            .endObject();
        final ByteBuf body = json.finish();
        try
        {
            final String data = body.toString(StandardCharsets.UTF_8);
            return ("event: sample\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
        finally
        {
            body.release();
        }
    }

    @Override
    public void close()
    {
        ticks.cancel(false);
        for (final Subscriber subscriber : subscribers)
        {
            subscriber.ctx().close();
        }
    }
}
