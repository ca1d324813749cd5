package io.truestock.gateway.http;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Receives the body of {@code POST /v1/import/inventory}, which may be larger than the API's 64 KiB bound, chunk by
 * chunk up to {@link InventoryEndpoint#MAX_IMPORT_BYTES}, then passes it on as one request (the aggregator lets an
 * already whole request through). Anything larger is answered {@code 413 payload_too_large} as soon as the
 * Content-Length or the bytes received say so. At most {@link #MAX_RECEIVING} such bodies are held at once across
 * the server; another import meanwhile is {@code 503 overloaded}. Every other request passes through untouched.
 */
final class ImportBodies extends ChannelInboundHandlerAdapter
{
    static final String PATH = "/v1/import/inventory";
    static final int MAX_RECEIVING = 2;
    private static final long LINGER_MILLIS = 1000;

    private final AtomicInteger receiving;
    private HttpRequest request;
    private CompositeByteBuf body;
    private boolean discarding;

    ImportBodies(final AtomicInteger receiving)
    {
        this.receiving = receiving;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof HttpRequest start && !(msg instanceof FullHttpRequest) && isImport(start))
        {
            begin(ctx, start);
            if (msg instanceof HttpContent content)
            {
                chunk(ctx, content);
            }
            else
            {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof HttpContent content && (body != null || discarding))
        {
            chunk(ctx, content);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isImport(final HttpRequest start)
    {
        final String uri = start.uri();
        return start.method().equals(HttpMethod.POST) && uri.startsWith(PATH) &&
            (uri.length() == PATH.length() || uri.charAt(PATH.length()) == '?');
    }

    private void begin(final ChannelHandlerContext ctx, final HttpRequest start)
    {
        final long declared = HttpUtil.getContentLength(start, -1L);
        if (declared > InventoryEndpoint.MAX_IMPORT_BYTES)
        {
            refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large", tooLarge());
            return;
        }
        if (receiving.incrementAndGet() > MAX_RECEIVING)
        {
            receiving.decrementAndGet();
            refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
                "other inventory imports are being received; retry after the Retry-After delay");
            return;
        }
        if (HttpUtil.is100ContinueExpected(start))
        {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            start.headers().remove(HttpHeaderNames.EXPECT);
        }
        request = start;
        body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    }

    private void chunk(final ChannelHandlerContext ctx, final HttpContent content)
    {
        try
        {
            if (discarding)
            {
                if (content instanceof LastHttpContent)
                {
                    discarding = false;
                }
                return;
            }
            if (body.readableBytes() + (long)content.content().readableBytes() > InventoryEndpoint.MAX_IMPORT_BYTES)
            {
                finish();
                refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large", tooLarge());
                return;
            }
            body.addComponent(true, content.content().retain());
            if (content instanceof LastHttpContent)
            {
                final FullHttpRequest whole = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                    request.uri(), body, request.headers(), ((LastHttpContent)content).trailingHeaders());
                HttpUtil.setContentLength(whole, body.readableBytes());
                body = null;
                request = null;
                receiving.decrementAndGet();
                ctx.fireChannelRead(whole);
            }
        }
        finally
        {
            content.release();
        }
    }

    private static String tooLarge()
    {
        return "inventory files are limited to " + InventoryEndpoint.MAX_IMPORT_BYTES + " bytes (and " +
            InventoryEndpoint.MAX_ROWS + " rows); split the file: each file is applied all or nothing";
    }

    /** Answers at once, discards whatever of the body still arrives, and closes a moment later. */
    private void refuse(
        final ChannelHandlerContext ctx, final HttpResponseStatus status, final String code, final String detail)
    {
        discarding = true;
        final FullHttpResponse response = Responses.problem(ctx.alloc(), status, code, detail, null);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(written ->
            ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS));
    }

    private void finish()
    {
        if (body != null)
        {
            body.release();
            body = null;
            request = null;
            receiving.decrementAndGet();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        finish();
        super.channelInactive(ctx);
    }
}
