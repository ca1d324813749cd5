package io.truestock.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * Building HTTP responses: JSON bodies and {@code application/problem+json} errors.
 */
public final class Responses
{
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final int RETRY_AFTER_SECONDS = 1;

    private Responses()
    {
    }

    /** The content types as header values: encoded once, hashed once. */
    private static final AsciiString JSON_TYPE = AsciiString.cached(JSON);
    private static final AsciiString PROBLEM_JSON_TYPE = AsciiString.cached(PROBLEM_JSON);
    private static final int CACHED_LENGTHS = 4096;
    private static final AsciiString[] LENGTHS = new AsciiString[CACHED_LENGTHS];

    public static FullHttpResponse json(final HttpResponseStatus status, final ByteBuf body)
    {
        return withBody(status, body, JSON_TYPE);
    }

    public static FullHttpResponse text(final HttpResponseStatus status, final String body, final String contentType)
    {
        return withBody(status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), contentType);
    }

    public static FullHttpResponse bytes(final HttpResponseStatus status, final byte[] body, final String contentType)
    {
        return withBody(status, Unpooled.wrappedBuffer(body), contentType);
    }

    /**
     * A response with its body. It has no trailers (a body of known length has nowhere to put them), so it shares
     * the one empty, read-only trailer set instead of making a header map per response for them.
     */
    static FullHttpResponse withBody(final HttpResponseStatus status, final ByteBuf body, final CharSequence type)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body,
            DefaultHttpHeadersFactory.headersFactory().newHeaders(), EmptyHttpHeaders.INSTANCE);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength(body.readableBytes()));
        return response;
    }

    /**
     * A Content-Length value: lengths below {@link #CACHED_LENGTHS} (most answers) are made once and shared, so an
     * answer does not format its length into a new string.
     */
    static CharSequence contentLength(final int length)
    {
        if (length >= CACHED_LENGTHS)
        {
            return Integer.toString(length);
        }
        AsciiString value = LENGTHS[length];
        if (value == null)
        {
            // A benign race: two threads may both make it; either string is the same value.
            value = AsciiString.cached(Integer.toString(length));
            LENGTHS[length] = value;
        }
        return value;
    }

    public static FullHttpResponse problem(final ByteBufAllocator allocator, final ApiException ex)
    {
        final FullHttpResponse response = problem(allocator, ex.status(), ex.code(), ex.getMessage(), ex.param());
        if (ex.retryAfterSeconds() > 0)
        {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, ex.retryAfterSeconds());
        }
        return response;
    }

    public static FullHttpResponse problem(
        final ByteBufAllocator allocator, final HttpResponseStatus status, final String code, final String detail,
        final String param)
    {
        final JsonOut out = new JsonOut(allocator);
        out.startObject();
        problemFields(out, status, code, detail, param);
        out.endObject();
        final FullHttpResponse response = withBody(status, out.finish(), PROBLEM_JSON_TYPE);
        if (status.code() == HttpResponseStatus.SERVICE_UNAVAILABLE.code())
        {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response;
    }

    /** The standard problem members; callers may add members (such as {@code lines}) before closing the object. */
    public static void problemFields(
        final JsonOut out, final HttpResponseStatus status, final String code, final String detail, final String param)
    {
        out.field("type", "urn:truestock:problem:" + code)
            .field("title", status.reasonPhrase())
            .field("status", status.code())
            .field("code", code)
            .field("detail", detail);
        if (param != null)
        {
            out.field("param", param);
        }
    }

    public static FullHttpResponse overloaded(final ByteBufAllocator allocator)
    {
        return problem(allocator, HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
            "the engine's command ring is full; retry after the Retry-After delay", null);
    }
}
