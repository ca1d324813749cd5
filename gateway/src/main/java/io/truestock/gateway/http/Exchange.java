package io.truestock.gateway.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * One request on one connection and the single answer it gets. {@link #respond} may be called from any thread
 * (the output stage answers ring commands); the connection writes answers in request order, so pipelined
 * requests are answered in the order they arrived. The request (and its body) is valid only while the API's
 * {@code handle} runs.
 */
public final class Exchange
{
    private final HttpConnection connection;
    private final long sequence;
    private final FullHttpRequest request;
    private final long startNanos;
    private final boolean keepAlive;
    private String route = "other";

    Exchange(
        final HttpConnection connection, final long sequence, final FullHttpRequest request, final long startNanos,
        final boolean keepAlive)
    {
        this.connection = connection;
        this.sequence = sequence;
        this.request = request;
        this.startNanos = startNanos;
        this.keepAlive = keepAlive;
    }

    public FullHttpRequest request()
    {
        return request;
    }

    public ByteBufAllocator allocator()
    {
        return connection.allocator();
    }

    /** Names the route for latency metrics (from a fixed set). */
    public void route(final String name)
    {
        route = name;
    }

    public String route()
    {
        return route;
    }

    long sequence()
    {
        return sequence;
    }

    long startNanos()
    {
        return startNanos;
    }

    boolean keepAlive()
    {
        return keepAlive;
    }

    public void respond(final FullHttpResponse response)
    {
        connection.complete(this, response);
    }

    /** Hands the connection over to a long-lived stream (SSE); no further pipelined requests are served on it. */
    public io.netty.channel.ChannelHandlerContext takeOver()
    {
        return connection.takeOver(this);
    }
}
