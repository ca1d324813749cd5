package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Amazon SP-API Listings Items {@code patchListingsItem} and the Login-with-Amazon token endpoint on one port:
 * tokens are issued for the right client id, secret and refresh token and can be revoked to force a refresh; a
 * patch needs a live {@code x-amz-access-token}, the seller id and marketplace, and the exact
 * {@code fulfillment_availability} replace patch. The engine version comes from {@code X-Truestock-Version}.
 */
final class FakeAmazon extends FakeChannel
{
    static final String SELLER = "A2SELLER";
    static final String MARKETPLACE = "ATVPDKIKX0DER";
    static final String CLIENT_ID = "amzn1.application-oa2-client.test";
    static final String CLIENT_SECRET = "client-secret";
    static final String REFRESH_TOKEN = "Atzr|refresh";
    static final String TOKEN_PATH = "/auth/o2/token";

    private final Set<String> liveTokens = ConcurrentHashMap.newKeySet();
    final AtomicLong tokensIssued = new AtomicLong();

    FakeAmazon(final long seed)
    {
        super(seed);
    }

    @Override
    boolean control(final FullHttpRequest request)
    {
        return request.uri().equals(TOKEN_PATH);
    }

    void revokeTokens()
    {
        liveTokens.clear();
    }

    @Override
    Answer handle(final FullHttpRequest request, final byte[] body)
    {
        if (request.uri().equals(TOKEN_PATH))
        {
            return token(request, body);
        }
        final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        final String prefix = "/listings/2021-08-01/items/" + SELLER + "/";
        if (!request.method().name().equals("PATCH") || !uri.path().startsWith(prefix))
        {
            return shapeError("unexpected " + request.method() + " " + request.uri());
        }
        final String token = request.headers().get("x-amz-access-token");
        if (token == null || !liveTokens.contains(token))
        {
            authFailures.incrementAndGet();
            return Answer.json(HttpResponseStatus.FORBIDDEN, Map.of("errors", java.util.List.of(Map.of("code", "Unauthorized",
                "message", "Access to requested resource is denied."))));
        }
        if (!java.util.List.of(MARKETPLACE).equals(uri.parameters().get("marketplaceIds")))
        {
            return shapeError("marketplaceIds missing or wrong: " + request.uri());
        }
        final String sku = URLDecoder.decode(uri.path().substring(prefix.length()), StandardCharsets.UTF_8);
        final String versionHeader = request.headers().get("X-Truestock-Version");
        final JsonNode root = parse(body);
        if (root == null || versionHeader == null || !root.path("productType").isTextual())
        {
            return shapeError("a patch needs productType and X-Truestock-Version");
        }
        final JsonNode patches = root.path("patches");
        final JsonNode patch = patches.path(0);
        final JsonNode value = patch.path("value").path(0);
        final JsonNode offerPatch = patches.path(1);
        if (patches.size() == 2 && !offer(offerPatch))
        {
            return shapeError("bad purchasable_offer patch: " + root);
        }
        if (patches.size() < 1 || patches.size() > 2 || !patch.path("op").asText().equals("replace")
            || !patch.path("path").asText().equals("/attributes/fulfillment_availability")
            || patch.path("value").size() != 1
            || !value.path("fulfillment_channel_code").asText().equals("DEFAULT")
            || !value.path("quantity").isIntegralNumber() || value.path("quantity").asLong() < 0)
        {
            return shapeError("bad fulfillment_availability patch: " + root);
        }
        apply(sku, value.path("quantity").asLong(), Long.parseLong(versionHeader));
        if (patches.size() == 2)
        {
            final JsonNode offer = offerPatch.path("value").path(0);
            final long our = minor(offer.path("our_price").path(0).path("schedule").path(0).path("value_with_tax"));
            final JsonNode sale = offer.path("discounted_price").path(0).path("schedule").path(0);
            applyPrice(sku, sale.isMissingNode() ? our : minor(sale.path("value_with_tax")), our,
                Long.parseLong(versionHeader));
        }
        return Answer.json(HttpResponseStatus.OK, Map.of("sku", sku, "status", "ACCEPTED",
            "submissionId", Long.toHexString(applied.get()), "issues", java.util.List.of()));
    }

    /**
     * The shape of a {@code purchasable_offer} replace: one offer for the marketplace with currency and audience,
     * an {@code our_price} schedule with a {@code value_with_tax} number, and optionally a {@code discounted_price}
     * schedule with its value and a window ({@code start_at} before {@code end_at}).
     */
    private static boolean offer(final JsonNode patch)
    {
        final JsonNode offer = patch.path("value").path(0);
        final JsonNode our = offer.path("our_price").path(0).path("schedule").path(0);
        final JsonNode sale = offer.path("discounted_price").path(0).path("schedule").path(0);
        final boolean saleOk = offer.path("discounted_price").isMissingNode() || (sale.path("value_with_tax").isNumber()
            && java.time.Instant.parse(sale.path("start_at").asText("1970-01-01T00:00:00Z"))
            .isBefore(java.time.Instant.parse(sale.path("end_at").asText("1970-01-01T00:00:00Z"))));
        return patch.path("op").asText().equals("replace") && patch.path("path").asText().equals("/attributes/purchasable_offer")
            && patch.path("value").size() == 1 && offer.path("marketplace_id").asText().equals(MARKETPLACE)
            && offer.path("currency").asText().length() == 3 && offer.path("audience").asText().equals("ALL")
            && our.path("value_with_tax").isNumber() && saleOk;
    }

    private Answer token(final FullHttpRequest request, final byte[] body)
    {
        if (!request.method().equals(HttpMethod.POST)
            || !String.valueOf(request.headers().get("Content-Type")).startsWith("application/x-www-form-urlencoded"))
        {
            return shapeError("token request must be a form POST");
        }
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
        if (!"refresh_token".equals(form.get("grant_type")) || !REFRESH_TOKEN.equals(form.get("refresh_token"))
            || !CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret")))
        {
            authFailures.incrementAndGet();
            return Answer.json(HttpResponseStatus.BAD_REQUEST, Map.of("error", "invalid_grant"));
        }
        final String token = "Atza|" + tokensIssued.incrementAndGet();
        liveTokens.add(token);
        return Answer.json(HttpResponseStatus.OK, Map.of("access_token", token, "token_type", "bearer",
            "expires_in", 3600, "refresh_token", REFRESH_TOKEN));
    }
}
