package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/**
 * A receiver of the generic signed webhook: verifies {@code X-Truestock-Signature} over timestamp + body with the
 * shared secret, checks the body's shape and records each update's value and version. Senders that must be told
 * apart (cluster nodes) post to {@code PATH?sender=<name>}: requests are counted per sender.
 */
public final class FakeWebhookReceiver extends FakeChannel
{
    public static final String SECRET = "whsec_test";
    public static final String PATH = "/truestock/stock";
    private static final String SENDER = PATH + "?sender=";

    /** Requests received per sender ({@code ""} for posts to the bare path). */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> bySender =
        new java.util.concurrent.ConcurrentHashMap<>();

    public FakeWebhookReceiver(final long seed)
    {
        super(seed);
    }

    /** The URL a sender named {@code sender} posts to. */
    public java.net.URI url(final String sender)
    {
        return java.net.URI.create(baseUrl() + SENDER + sender);
    }

    /** Well-formed, signed requests received from the sender so far. */
    public long requestsFrom(final String sender)
    {
        final java.util.concurrent.atomic.AtomicLong count = bySender.get(sender);
        return count == null ? 0 : count.get();
    }

    /** Updates applied with an older version than the one already held. */
    public long regressions()
    {
        return regressions.get();
    }

    /** The quantity held for each SKU (the newest version received). */
    public Map<String, Long> quantities()
    {
        final Map<String, Long> copy = new java.util.TreeMap<>();
        held.forEach((sku, value) -> copy.put(sku, value.qty()));
        return copy;
    }

    /** The last price each SKU was sent with, as "amount currency". */
    final Map<String, String> prices = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    Answer handle(final FullHttpRequest request, final byte[] body)
    {
        final String uri = request.uri();
        if (!request.method().equals(HttpMethod.POST) || !(uri.equals(PATH) || uri.startsWith(SENDER)))
        {
            return shapeError("unexpected " + request.method() + " " + request.uri());
        }
        final String timestamp = request.headers().get(Signatures.TIMESTAMP_HEADER);
        if (timestamp == null || !Signatures.matches(Signatures.sign(Secret.of(SECRET), timestamp, body),
            request.headers().get(Signatures.SIGNATURE_HEADER))
            || Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300)
        {
            return unauthorized();
        }
        final JsonNode root = parse(body);
        final JsonNode updates = root == null ? null : root.path("updates");
        if (updates == null || !updates.isArray() || updates.isEmpty() || !root.path("channel").isTextual())
        {
            return shapeError("a webhook body needs 'channel' and 'updates'");
        }
        for (final JsonNode u : updates)
        {
            if (!u.path("sku").isTextual() || !u.path("available").isIntegralNumber() || !u.path("version").isIntegralNumber())
            {
                return shapeError("bad update " + u);
            }
        }
        bySender.computeIfAbsent(uri.equals(PATH) ? "" : uri.substring(SENDER.length()),
            sender -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
        for (final JsonNode u : updates)
        {
            apply(u.path("sku").asText(), u.path("available").asLong(), u.path("version").asLong());
            if (u.has("price"))
            {
                prices.put(u.path("sku").asText(), u.path("price").path("amount").asLong() + " " +
                    u.path("price").path("currency").asText());
                final long amount = u.path("price").path("amount").asLong();
                applyPrice(u.path("sku").asText(), amount, amount, u.path("version").asLong());
            }
        }
        return Answer.json(HttpResponseStatus.OK, Map.of("received", updates.size()));
    }
}
