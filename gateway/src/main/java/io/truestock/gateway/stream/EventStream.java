package io.truestock.gateway.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Opening a Server-Sent Events response on a connection taken over from the API. */
final class EventStream
{
    private EventStream()
    {
    }

    /**
     * Writes the stream's response head and a first comment, and turns the connection into a stream: no more
     * aggregation of requests, and a handler named {@code sse} that the idle timeout spares.
     */
    static void open(final ChannelHandlerContext ctx)
    {
        final HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ctx.pipeline().remove("aggregator");
        ctx.pipeline().addBefore("api", "sse", new ChannelInboundHandlerAdapter());
        ctx.write(response);
        ctx.writeAndFlush(new DefaultHttpContent(
            ctx.alloc().buffer().writeBytes(": stream open\n\n".getBytes(StandardCharsets.UTF_8))));
    }
}
