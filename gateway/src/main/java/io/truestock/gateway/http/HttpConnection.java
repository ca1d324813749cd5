package io.truestock.gateway.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.truestock.gateway.metrics.Metrics;
import io.truestock.gateway.net.LoopMailbox;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection request handling: hands each request to the {@link Api} and writes the answers strictly in
 * request order (HTTP/1.1 pipelining); requests pipelined after one that closes the connection are not served. At most {@link #MAX_IN_FLIGHT} requests are outstanding per connection;
 * at that bound the connection stops reading from the socket, and requests the codec had already decoded from
 * the last read wait (at most one read buffer's worth) until answers drain: nothing is dropped, nothing grows
 * without bound.
 * <p>
 * A request the codec could not frame (a decoder failure: request line or headers too long or malformed, both
 * {@code Content-Length} and {@code Transfer-Encoding}, a broken chunked encoding, a body over the bound) ends the
 * connection: its answer ({@code 400}, {@code 413}, {@code 414} or {@code 431}) says {@code Connection: close},
 * nothing received after it is served, and the connection's output ends right after the answer while its input is
 * drained for a moment before the close (so that a client still sending reads the answer rather than a reset). Where one request ends is unknown after such a
 * failure, so anything that follows could be misread as a request of its own.
 */
final class HttpConnection extends SimpleChannelInboundHandler<FullHttpRequest> implements Exchange.Sink
{
    static final int MAX_IN_FLIGHT = 64;
    /** How long a connection keeps reading (and discarding) after answering a request it could not frame. */
    static final long LINGER_MILLIS = 1000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpConnection.class);
    private static final int MASK = MAX_IN_FLIGHT - 1;

    private final Api api;
    private final Metrics metrics;
    private final FullHttpResponse[] pending = new FullHttpResponse[MAX_IN_FLIGHT];
    private final Exchange[] exchanges = new Exchange[MAX_IN_FLIGHT];
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private LoopMailbox mailbox;
    private long nextSequence;
    private long nextToWrite;
    private boolean closing;
    private long unframedSequence = -1;
    private boolean finalRequestSeen;
    private Exchange streaming;

    HttpConnection(final Api api, final Metrics metrics)
    {
        this.api = api;
        this.metrics = metrics;
    }

    @Override
    public ByteBufAllocator allocator()
    {
        return ctx.alloc();
    }

    @Override
    public Executor executor()
    {
        return ctx.executor();
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext context)
    {
        ctx = context;
        mailbox = LoopMailbox.of(context.executor());
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext context, final FullHttpRequest request)
    {
        if (closing || streaming != null || finalRequestSeen)
        {
            return;
        }
        // RFC 9112 section 9.6: nothing after a request that closes the connection (Connection: close, HTTP/1.0
        // without keep-alive) or that could not be framed is processed.
        finalRequestSeen = request.decoderResult().isFailure() || !HttpUtil.isKeepAlive(request);
        if (nextSequence - nextToWrite >= MAX_IN_FLIGHT || !waiting.isEmpty())
        {
            context.channel().config().setAutoRead(false);
            waiting.addLast(request.retain());
            return;
        }
        serve(context, request);
    }

    private void serve(final ChannelHandlerContext context, final FullHttpRequest request)
    {
        final long start = System.nanoTime();
        final boolean unframed = request.decoderResult().isFailure();
        final Exchange exchange = new Exchange(this, nextSequence++, request, start,
            !unframed && HttpUtil.isKeepAlive(request));
        exchanges[(int)(exchange.sequence() & MASK)] = exchange;
        if (nextSequence - nextToWrite >= MAX_IN_FLIGHT)
        {
            context.channel().config().setAutoRead(false);
        }
        if (unframed)
        {
            unframedSequence = exchange.sequence();
            exchange.route("unframed");
            exchange.respond(unframedProblem(context, request.decoderResult().cause()));
            return;
        }
        api.handle(exchange);
    }

    /** The answer to a request the codec could not frame, by what failed. */
    private static FullHttpResponse unframedProblem(final ChannelHandlerContext context, final Throwable cause)
    {
        if (cause instanceof TooLongHttpContentException)
        {
            return Responses.problem(context.alloc(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "payload_too_large", "request bodies are limited to " + Api.MAX_BODY_BYTES + " bytes", null);
        }
        if (cause instanceof TooLongHttpHeaderException)
        {
            return Responses.problem(context.alloc(), HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                "invalid_request", "the request's header section is too large", null);
        }
        if (cause instanceof TooLongHttpLineException)
        {
            return Responses.problem(context.alloc(), HttpResponseStatus.REQUEST_URI_TOO_LONG, "invalid_request",
                "the request line is too long", null);
        }
        return Responses.problem(context.alloc(), HttpResponseStatus.BAD_REQUEST, "invalid_request",
            "malformed HTTP request", null);
    }

    private void serveWaiting()
    {
        FullHttpRequest next;
        while (!closing && streaming == null && nextSequence - nextToWrite < MAX_IN_FLIGHT &&
            (next = waiting.pollFirst()) != null)
        {
            try
            {
                serve(ctx, next);
            }
            finally
            {
                next.release();
            }
        }
    }

    @Override
    public void complete(final Exchange exchange, final FullHttpResponse response)
    {
        if (ctx.executor().inEventLoop())
        {
            completeInLoop(exchange, response);
        }
        else
        {
            // Answers of one ring batch share the event loop's wake-up (see LoopMailbox).
            exchange.queue(response);
            try
            {
                mailbox.post(exchange);
            }
            catch (final RejectedExecutionException ex)
            {
                // The event loop is gone, and the connection with it.
                ReferenceCountUtil.release(exchange.takeQueued());
            }
        }
    }

    private void completeInLoop(final Exchange exchange, final FullHttpResponse response)
    {
        if (!ctx.channel().isActive())
        {
            ReferenceCountUtil.release(response);
            return;
        }
        pending[(int)(exchange.sequence() & MASK)] = response;
        boolean wrote = false;
        while (nextToWrite < nextSequence && pending[(int)(nextToWrite & MASK)] != null)
        {
            final int slot = (int)(nextToWrite & MASK);
            final FullHttpResponse next = pending[slot];
            final Exchange done = exchanges[slot];
            pending[slot] = null;
            exchanges[slot] = null;
            nextToWrite++;
            final boolean keepAlive = done.keepAlive() && !closing;
            if (keepAlive)
            {
                next.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                // No promise per answer: nothing waits on it, and a failed write reaches exceptionCaught, which
                // closes the connection (what the transport does with a failed write anyway).
                ctx.write(next, ctx.voidPromise());
            }
            else if (done.sequence() == unframedSequence)
            {
                next.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                final ChannelHandlerContext context = ctx;
                context.writeAndFlush(next).addListener(written -> lingeringClose(context));
                closing = true;
            }
            else
            {
                next.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(next).addListener(ChannelFutureListener.CLOSE);
                closing = true;
            }
            metrics.recordLatency(done.route(), System.nanoTime() - done.startNanos());
            wrote = true;
        }
        if (wrote)
        {
            ctx.flush();
        }
        serveWaiting();
        if (!closing && waiting.isEmpty() && !ctx.channel().config().isAutoRead() &&
            nextSequence - nextToWrite < MAX_IN_FLIGHT / 2)
        {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Ends the output at once (the client reads the answer, then the end of the stream) but keeps reading, and
     * discarding, for {@link #LINGER_MILLIS} before closing: a close with unread input would reset the connection,
     * and a reset can destroy the answer before the client has read it.
     */
    private static void lingeringClose(final ChannelHandlerContext context)
    {
        if (context.channel() instanceof DuplexChannel duplex && duplex.isActive())
        {
            duplex.shutdownOutput();
        }
        context.executor().schedule(() -> context.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public ChannelHandlerContext takeOver(final Exchange exchange)
    {
        streaming = exchange;
        return ctx;
    }

    @Override
    public void channelInactive(final ChannelHandlerContext context) throws Exception
    {
        FullHttpRequest request;
        while ((request = waiting.pollFirst()) != null)
        {
            request.release();
        }
        for (int i = 0; i < pending.length; i++)
        {
            if (pending[i] != null)
            {
                ReferenceCountUtil.release(pending[i]);
                pending[i] = null;
            }
        }
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
    {
        if (!(cause instanceof java.io.IOException))
        {
            LOG.warn("closing connection {} after an unexpected error", context.channel().remoteAddress(), cause);
        }
        context.close();
    }
}
