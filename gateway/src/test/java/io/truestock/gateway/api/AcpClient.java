package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ACP calls against an {@link ApiHarness} server, each answer checked against the published schema: a session
 * ({@code CheckoutSession}, or {@code CheckoutSessionWithOrder} once it carries its order), an {@code Error} for
 * every 4xx and 5xx, {@code DiscoveryResponse} for discovery.
 */
final class AcpClient
{
    static final String VERSION = "2026-04-17";

    private final ApiHarness api;
    private final String token;

    AcpClient(final ApiHarness api, final String token)
    {
        this.api = api;
        this.token = token;
    }

    AcpClient as(final String otherToken)
    {
        return new AcpClient(api, otherToken);
    }

    ApiHarness.Reply discovery()
    {
        final ApiHarness.Reply reply = api.sendAs(null, "GET", "/.well-known/acp.json", null);
        validate(reply);
        if (reply.status() == 200)
        {
            AcpSchemas.check("DiscoveryResponse", reply.body());
        }
        return reply;
    }

    /** POST with a fresh Idempotency-Key. */
    ApiHarness.Reply post(final String path, final String body)
    {
        return post(path, body, UUID.randomUUID().toString());
    }

    ApiHarness.Reply post(final String path, final String body, final String key)
    {
        final ApiHarness.Reply reply = key == null ?
            api.sendAs(token, "POST", path, body, "API-Version", VERSION) :
            api.sendAs(token, "POST", path, body, "API-Version", VERSION, "Idempotency-Key", key);
        validate(reply);
        return reply;
    }

    ApiHarness.Reply get(final String path)
    {
        final ApiHarness.Reply reply = api.sendAs(token, "GET", path, null, "API-Version", VERSION);
        validate(reply);
        return reply;
    }

    /** Sends with the headers given (name, value, ...) and nothing else added; the answer is still validated. */
    ApiHarness.Reply raw(final String method, final String path, final String body, final String... headers)
    {
        final ApiHarness.Reply reply = api.sendAs(token, method, path, body, headers);
        validate(reply);
        return reply;
    }

    /** Creates a session and requires 201. */
    JsonNode create(final String body)
    {
        final ApiHarness.Reply reply = post("/acp/checkout_sessions", body);
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(201);
        return reply.json();
    }

    ApiHarness.Reply complete(final String id, final String paymentToken)
    {
        return post("/acp/checkout_sessions/" + id + "/complete", completeBody(paymentToken));
    }

    static String completeBody(final String paymentToken)
    {
        return "{\"payment_data\":{\"instrument\":{\"type\":\"card\",\"credential\":{\"type\":\"spt\",\"token\":\"" +
            paymentToken + "\"}}}}";
    }

    static String createBody(final String sku, final long qty, final String country, final String postalCode)
    {
        return "{\"currency\":\"usd\",\"line_items\":[{\"id\":\"" + sku + "\",\"quantity\":" + qty + "}]," +
            "\"capabilities\":{}," +
            "\"fulfillment_details\":{\"name\":\"Ada\",\"address\":{\"name\":\"Ada\",\"line_one\":\"1 Main St\"," +
            "\"city\":\"Oakland\",\"state\":\"CA\",\"country\":\"" + country + "\",\"postal_code\":\"" + postalCode +
            "\"}}}";
    }

    private static void validate(final ApiHarness.Reply reply)
    {
        if (reply.status() >= 400)
        {
            AcpSchemas.check("Error", reply.body());
            return;
        }
        if (!reply.contentType().startsWith("application/json") || reply.body().contains("\"api_base_url\""))
        {
            return;
        }
        final JsonNode json = reply.json();
        AcpSchemas.check(json.has("order") ? "CheckoutSessionWithOrder" : "CheckoutSession", reply.body());
    }
}
