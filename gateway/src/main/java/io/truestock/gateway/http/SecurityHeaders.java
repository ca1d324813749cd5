package io.truestock.gateway.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;

/**
 * Puts the browser security headers on every HTTP response the server writes: API answers, problems, the 413 of
 * the body bound, stream openings and the console's pages. A response that already carries a
 * {@code Content-Security-Policy} (a console page needs scripts and styles of its own origin) keeps it; every other
 * response gets a policy that allows nothing, so a JSON body opened in a browser can never run or load anything.
 * Stateless: one instance serves every connection.
 */
@ChannelHandler.Sharable
public final class SecurityHeaders extends ChannelOutboundHandlerAdapter
{
    /** The policy of a response that is not a console page: it loads nothing and may not be framed. */
    public static final String NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static final SecurityHeaders INSTANCE = new SecurityHeaders();

    // Names and values as AsciiStrings: set on every response, so hashed once and copied to the wire as bytes.
    private static final AsciiString NOTHING_POLICY_VALUE = AsciiString.cached(NOTHING_POLICY);
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("X-Content-Type-Options");
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    private static final AsciiString DENY = AsciiString.cached("DENY");
    private static final AsciiString REFERRER_POLICY = AsciiString.cached("Referrer-Policy");
    private static final AsciiString NO_REFERRER = AsciiString.cached("no-referrer");
    private static final AsciiString CROSS_ORIGIN_OPENER_POLICY = AsciiString.cached("Cross-Origin-Opener-Policy");
    private static final AsciiString SAME_ORIGIN = AsciiString.cached("same-origin");

    private SecurityHeaders()
    {
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) throws Exception
    {
        if (msg instanceof HttpResponse response)
        {
            apply(response.headers());
        }
        super.write(ctx, msg, promise);
    }

    /** Sets the security headers that are not already set. */
    static void apply(final HttpHeaders headers)
    {
        if (!headers.contains(HttpHeaderNames.CONTENT_SECURITY_POLICY))
        {
            headers.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, NOTHING_POLICY_VALUE);
        }
        headers.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        headers.set(HttpHeaderNames.X_FRAME_OPTIONS, DENY);
        headers.set(REFERRER_POLICY, NO_REFERRER);
        headers.set(CROSS_ORIGIN_OPENER_POLICY, SAME_ORIGIN);
    }
}
