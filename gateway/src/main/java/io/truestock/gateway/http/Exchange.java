package io.truestock.gateway.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One request on one connection and the single answer it gets. {@link #respond} may be called from any thread
 * (the output stage answers ring commands); the connection writes answers in request order, so pipelined
 * requests are answered in the order they arrived. The request (and its body) is valid only while the API's
 * {@code handle} runs.
 * <p>
 * An exchange made with {@link #internal} carries a request made inside the server (an agent protocol's tool
 * calling a resource of the API) and hands its one answer to the caller instead of a connection.
 */
public final class Exchange implements Runnable
{
    /** Where the answer of an exchange goes: a connection, or a caller inside the server. */
    interface Sink
    {
        ByteBufAllocator allocator();

        Executor executor();

        void complete(Exchange exchange, FullHttpResponse response);

        ChannelHandlerContext takeOver(Exchange exchange);
    }

    private final Sink connection;
    private final long sequence;
    private final FullHttpRequest request;
    private final long startNanos;
    private final boolean keepAlive;
    private String route = "other";
    private FullHttpResponse queued;

    Exchange(
        final Sink connection, final long sequence, final FullHttpRequest request, final long startNanos,
        final boolean keepAlive)
    {
        this.connection = connection;
        this.sequence = sequence;
        this.request = request;
        this.startNanos = startNanos;
        this.keepAlive = keepAlive;
    }

    /**
     * An exchange for a request made inside the server: {@code answer} receives its one response, from whichever
     * thread answers it (the caller's, or the output stage's for a command), and owns (releases) it. Such an exchange
     * cannot be taken over by a stream.
     *
     * @param executor the thread the caller's work continues on ({@link #executor()}).
     */
    public static Exchange internal(
        final FullHttpRequest request, final ByteBufAllocator allocator, final Executor executor,
        final Consumer<FullHttpResponse> answer)
    {
        final Sink sink = new Sink()
        {
            @Override
            public ByteBufAllocator allocator()
            {
                return allocator;
            }

            @Override
            public Executor executor()
            {
                return executor;
            }

            @Override
            public void complete(final Exchange exchange, final FullHttpResponse response)
            {
                answer.accept(response);
            }

            @Override
            public ChannelHandlerContext takeOver(final Exchange exchange)
            {
                throw new UnsupportedOperationException("a request made inside the server has no connection");
            }
        };
        return new Exchange(sink, 0, request, System.nanoTime(), true);
    }

    public FullHttpRequest request()
    {
        return request;
    }

    public ByteBufAllocator allocator()
    {
        return connection.allocator();
    }

    /** The event loop of the exchange's connection: work that continues the exchange without blocking runs there. */
    public Executor executor()
    {
        return connection.executor();
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

    /** Keeps the answer while it waits for the connection's event loop ({@link #run}). */
    void queue(final FullHttpResponse response)
    {
        queued = response;
    }

    FullHttpResponse takeQueued()
    {
        final FullHttpResponse response = queued;
        queued = null;
        return response;
    }

    /** Delivers an answer kept by {@link #queue}; on the connection's event loop only. */
    @Override
    public void run()
    {
        connection.complete(this, takeQueued());
    }

    public void respond(final FullHttpResponse response)
    {
        connection.complete(this, response);
    }

    /** Hands the connection over to a long-lived stream (SSE); no further pipelined requests are served on it. */
    public ChannelHandlerContext takeOver()
    {
        return connection.takeOver(this);
    }
}
