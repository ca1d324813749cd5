package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.UUID;

/**
 * UCP calls against an {@link ApiHarness} server with the headers the protocol asks for, each answer checked
 * against the published schema of its operation: the profile, a catalog response, a checkout (with the fulfillment
 * extension), an order, or the error response (every 4xx and 5xx, and a business outcome without a resource).
 */
final class UcpClient
{
    static final String AGENT = "profile=\"https://agent.example/.well-known/ucp\"";

    private final ApiHarness api;
    private final String token;

    UcpClient(final ApiHarness api, final String token)
    {
        this.api = api;
        this.token = token;
    }

    ApiHarness.Reply discovery()
    {
        final ApiHarness.Reply reply = api.sendAs(null, "GET", "/.well-known/ucp", null);
        if (reply.status() == 200)
        {
            UcpSchemas.check(UcpSchemas.PROFILE, reply.body());
        }
        return reply;
    }

    /** A checkout mutation with a fresh Idempotency-Key. */
    ApiHarness.Reply send(final String method, final String path, final String body)
    {
        return send(method, path, body, UUID.randomUUID().toString());
    }

    ApiHarness.Reply send(final String method, final String path, final String body, final String key)
    {
        final ApiHarness.Reply reply = key == null ?
            api.sendAs(token, method, path, body, "UCP-Agent", AGENT, "Request-Id", UUID.randomUUID().toString()) :
            api.sendAs(token, method, path, body, "UCP-Agent", AGENT, "Request-Id", UUID.randomUUID().toString(),
                "Idempotency-Key", key);
        validate(path, reply);
        return reply;
    }

    ApiHarness.Reply get(final String path)
    {
        return send("GET", path, null, null);
    }

    /** A catalog read (no Idempotency-Key). */
    ApiHarness.Reply catalog(final String operation, final String body)
    {
        return send("POST", "/ucp/catalog/" + operation, body, null);
    }

    /** Sends with exactly the headers given; the answer is still validated. */
    ApiHarness.Reply raw(final String method, final String path, final String body, final String... headers)
    {
        final ApiHarness.Reply reply = api.sendAs(token, method, path, body, headers);
        validate(path, reply);
        return reply;
    }

    static void validate(final String path, final ApiHarness.Reply reply)
    {
        if (!reply.contentType().startsWith("application/json"))
        {
            throw new AssertionError("UCP answered " + reply.contentType() + ": " + reply.body());
        }
        final JsonNode json = reply.json();
        if (reply.status() >= 400 || "error".equals(json.path("ucp").path("status").asText()))
        {
            UcpSchemas.check(UcpSchemas.ERROR, reply.body());
            return;
        }
        final String schema;
        if (path.startsWith("/ucp/catalog/search"))
        {
            schema = UcpSchemas.SEARCH;
        }
        else if (path.startsWith("/ucp/catalog/lookup"))
        {
            schema = UcpSchemas.LOOKUP;
        }
        else if (path.startsWith("/ucp/catalog/product"))
        {
            schema = UcpSchemas.PRODUCT;
        }
        else if (path.startsWith("/ucp/orders/"))
        {
            schema = UcpSchemas.ORDER;
        }
        else
        {
            schema = UcpSchemas.CHECKOUT;
        }
        UcpSchemas.check(schema, reply.body());
    }

    static String checkoutBody(final String sku, final long qty, final String country, final String postalCode)
    {
        return "{\"line_items\":[{\"item\":{\"id\":\"" + sku + "\"},\"quantity\":" + qty + "}]," +
            "\"buyer\":{\"first_name\":\"Ada\",\"email\":\"ada@example.com\"}" +
            (country == null ? "" : ",\"fulfillment\":{\"methods\":[{\"type\":\"shipping\",\"destinations\":[{" +
            "\"id\":\"home\",\"first_name\":\"Ada\",\"street_address\":\"1 Main St\",\"address_locality\":\"Oakland\"," +
            "\"address_region\":\"CA\",\"address_country\":\"" + country + "\",\"postal_code\":\"" + postalCode +
            "\"}]}]}") + "}";
    }

    static String completeBody(final String paymentToken)
    {
        return "{\"payment\":{\"instruments\":[{\"id\":\"pi_1\",\"handler_id\":\"sandbox\",\"type\":\"card\"," +
            "\"selected\":true,\"credential\":{\"type\":\"token\",\"token\":\"" + paymentToken + "\"}}]}}";
    }
}
