package io.truestock.gateway.sync;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the marketplace fakes share: access tokens they issued (revocable, to force a refresh), form and Basic
 * checks of token requests, the engine version from {@code X-Truestock-Version}, and the prices last sent per item.
 */
abstract class FakeMarketplace extends FakeChannel
{
    static final String CLIENT_ID = "client-id";
    static final String CLIENT_SECRET = "client-secret";
    static final String REFRESH_TOKEN = "refresh-token";

    /** An order the channel holds: its id, creation instant and lines by channel SKU. */
    record FakeOrder(String id, long createdMillis, Map<String, Long> lines)
    {
    }

    /** The channel's orders, served by its order API (oldest first), {@link #pageSize} a page. */
    final List<FakeOrder> orders = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile int pageSize = 2;
    final AtomicLong orderReads = new AtomicLong();

    private final Set<String> liveTokens = ConcurrentHashMap.newKeySet();
    final AtomicLong tokensIssued = new AtomicLong();
    /** The last price text each item was sent with. */
    final Map<String, String> prices = new ConcurrentHashMap<>();

    FakeMarketplace(final long seed)
    {
        super(seed);
    }

    /** The orders created at or after {@code sinceMillis}, from {@code offset}, one page. */
    List<FakeOrder> page(final long sinceMillis, final int offset)
    {
        orderReads.incrementAndGet();
        final List<FakeOrder> since = orders.stream().filter(o -> o.createdMillis() >= sinceMillis).toList();
        return since.subList(Math.min(offset, since.size()), Math.min(offset + pageSize, since.size()));
    }

    /** Whether more orders follow the page at {@code offset}. */
    boolean more(final long sinceMillis, final int offset)
    {
        return orders.stream().filter(o -> o.createdMillis() >= sinceMillis).count() > offset + pageSize;
    }

    void revokeTokens()
    {
        liveTokens.clear();
    }

    String issue()
    {
        final String token = "tok-" + tokensIssued.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
        liveTokens.add(token);
        return token;
    }

    boolean live(final String token)
    {
        return token != null && liveTokens.contains(token);
    }

    /** The bearer token of an Authorization header when it is live. */
    boolean bearer(final FullHttpRequest request)
    {
        final String header = request.headers().get("Authorization");
        return header != null && header.startsWith("Bearer ") && live(header.substring(7));
    }

    static boolean basic(final FullHttpRequest request)
    {
        return ("Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
            .getBytes(StandardCharsets.UTF_8))).equals(request.headers().get("Authorization"));
    }

    static Map<String, String> form(final byte[] body)
    {
        final Map<String, String> form = new HashMap<>();
        for (final String pair : new String(body, StandardCharsets.UTF_8).split("&"))
        {
            final int eq = pair.indexOf('=');
            if (eq > 0)
            {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    static String query(final FullHttpRequest request, final String name)
    {
        final List<String> values = new QueryStringDecoder(request.uri()).parameters().get(name);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    /** The engine version a request carries, or -1 when it has none. */
    static long version(final FullHttpRequest request)
    {
        final String header = request.headers().get(MarketplaceClient.VERSION_HEADER);
        return header == null || !header.matches("[0-9]{1,19}") ? -1 : Long.parseLong(header);
    }

    /** The standard OAuth token answer with a fresh token. */
    Answer tokenAnswer()
    {
        return Answer.json(HttpResponseStatus.OK, Map.of("access_token", issue(), "token_type", "Bearer",
            "expires_in", 7200));
    }

    Answer tokenRefused()
    {
        authFailures.incrementAndGet();
        return Answer.json(HttpResponseStatus.UNAUTHORIZED, Map.of("error", "invalid_client"));
    }
}
