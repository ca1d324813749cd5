package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static io.truestock.gateway.api.ApiHarness.orderBody;
import static io.truestock.gateway.api.ApiHarness.reserveBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JSON body followed by anything but whitespace ({@code {...} xx}, a second value, a stray bracket) is malformed
 * JSON on every endpoint that reads one: {@code 400 invalid_request} on {@code /v1}, ACP's and UCP's
 * {@code invalid_json}, JSON-RPC {@code -32700} on MCP; and nothing changes: no command reaches the writer, no
 * stock moves, no session or key is made or changed. Each body is then sent without the trailer and accepted, so
 * that the refusals are the trailer's doing.
 */
class TrailingContentApiTest
{
    private static final String[] TRAILERS = {" xx", "}", "]", " {}", "\n{\"qty\":5}", ",", " 1", " null", "\u0000"};
    private static final String MCP_ACCEPT = "application/json, text/event-stream";

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config -> config.checkout().sandbox(true));

    /** Who reads the sessions a snapshot includes: their owner. */
    private String sessionOwner = ApiHarness.ADMIN_TOKEN;

    /** One endpoint that reads a JSON body, with a body it accepts. */
    private record Endpoint(String token, String method, String path, String body, String... headers)
    {
        String name()
        {
            return method + " " + path;
        }
    }

    @Test
    void everyV1JsonEndpointRefusesTrailingContentAndChangesNothing()
    {
        AcpCheckoutApiTest.catalog(api, 10);
        final String held = api.reserve("shop", "shoe", 1);
        final List<Endpoint> endpoints = List.of(
            admin("PUT", "/v1/locations/oak", "{\"name\":\"Oakland 2\"}"),
            admin("PUT", "/v1/channels/shop", "{\"name\":\"Shop 2\"}"),
            admin("PUT", "/v1/skus/shoe", "{\"title\":\"Shoe 2\",\"price\":{\"amount\":5100,\"currency\":\"USD\"}}"),
            admin("PUT", "/v1/skus/shoe/prices", "{\"base\":{\"amount\":5200,\"currency\":\"USD\"}}"),
            admin("PUT", "/v1/carriers/ups", "{\"name\":\"UPS 2\",\"services\":[{\"id\":\"ground\",\"name\":" +
                "\"Ground\",\"zones\":[{\"location\":\"oak\",\"country\":\"US\",\"min_transit_days\":1," +
                "\"max_transit_days\":2}]}]}"),
            admin("POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":1}"),
            admin("POST", "/v1/stock/adjust", "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-1}"),
            admin("POST", "/v1/stock/set", "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":12}"),
            admin("POST", "/v1/reservations", reserveBody("shop", "shoe", 1)),
            admin("POST", "/v1/reservations/" + held + "/extend", "{\"ttl_seconds\":600}"),
            admin("POST", "/v1/reservations/" + held + "/confirm", "{\"order_id\":\"o-confirmed\"}"),
            admin("POST", "/v1/orders", orderBody("shop", "o-placed", "shoe", 1)),
            admin("POST", "/v1/api-keys", "{\"scope\":\"agent\"}"));

        refuseTrailersThenAccept(endpoints, reply -> assertProblem(reply, 400, "invalid_request", "$"), held);
    }

    @Test
    void acpAndUcpRefuseTrailingContentAsInvalidJsonAndChangeNothing()
    {
        AcpCheckoutApiTest.catalog(api, 10);
        final String key = api.createKey("agent");
        sessionOwner = key;
        final String acpSession = new AcpClient(api, key).create(AcpClient.createBody("shoe", 1, "US", "94607"))
            .path("id").asText();
        final UcpClient ucp = new UcpClient(api, key);
        final Reply created = ucp.send("POST", "/ucp/checkout-sessions", UcpClient.checkoutBody("shoe", 1, "US",
            "94607"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        final String ucpSession = created.json().path("id").asText();
        final String[] acp = {"API-Version", AcpClient.VERSION};
        final List<Endpoint> endpoints = List.of(
            new Endpoint(key, "POST", "/acp/checkout_sessions", AcpClient.createBody("shoe", 1, "US", "94607"), acp),
            new Endpoint(key, "POST", "/acp/checkout_sessions/" + acpSession,
                "{\"line_items\":[{\"id\":\"shoe\",\"quantity\":2}]}", acp),
            new Endpoint(key, "POST", "/ucp/checkout-sessions", UcpClient.checkoutBody("shoe", 1, "US", "94607"),
                "UCP-Agent", UcpClient.AGENT),
            new Endpoint(key, "PUT", "/ucp/checkout-sessions/" + ucpSession,
                UcpClient.checkoutBody("shoe", 2, "US", "94607"), "UCP-Agent", UcpClient.AGENT),
            new Endpoint(key, "POST", "/ucp/catalog/search", "{\"query\":\"shoe\"}", "UCP-Agent", UcpClient.AGENT),
            new Endpoint(key, "POST", "/acp/checkout_sessions/" + acpSession + "/cancel", "{}", acp),
            new Endpoint(key, "POST", "/ucp/checkout-sessions/" + ucpSession + "/cancel", "{}",
                "UCP-Agent", UcpClient.AGENT));

        refuseTrailersThenAccept(endpoints, reply ->
        {
            assertThat(reply.status()).as(reply.body()).isEqualTo(400);
            assertThat(reply.body()).as("names the body as invalid JSON").contains("invalid_json");
        }, null, "/acp/checkout_sessions/" + acpSession, "/ucp/checkout-sessions/" + ucpSession);
    }

    @Test
    void mcpRefusesTrailingContentAsAParseErrorAndChangesNothing()
    {
        api.standardCatalog(5, "shoe");
        final String[] headers = {"Accept", MCP_ACCEPT, "MCP-Protocol-Version", "2025-11-25"};
        final List<Endpoint> endpoints = List.of(
            new Endpoint(ApiHarness.ADMIN_TOKEN, "POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":" +
                "\"tools/call\",\"params\":{\"name\":\"reserve\",\"arguments\":{\"channel\":\"shopify\",\"lines\":" +
                "[{\"sku\":\"shoe\",\"qty\":1}]}}}", headers));

        refuseTrailersThenAccept(endpoints, reply ->
        {
            assertThat(reply.status()).as(reply.body()).isEqualTo(400);
            final JsonNode response = reply.json();
            assertThat(response.path("error").path("code").asInt()).as(reply.body()).isEqualTo(-32700);
            assertThat(response.has("result")).as(reply.body()).isFalse();
        }, null);
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).as("the accepted call reserved")
            .isEqualTo(1);
    }

    /**
     * Sends each endpoint's body with each trailer and checks the refusal and that nothing changed; then sends each
     * body alone, which must be accepted (2xx, and for MCP a result rather than an error).
     */
    private void refuseTrailersThenAccept(
        final List<Endpoint> endpoints, final java.util.function.Consumer<Reply> refusal, final String reservation,
        final String... sessions)
    {
        for (final Endpoint endpoint : endpoints)
        {
            for (final String trailer : TRAILERS)
            {
                final String before = snapshot(reservation, sessions);
                final Reply reply = send(endpoint, endpoint.body() + trailer);
                refusal.accept(reply);
                assertThat(snapshot(reservation, sessions)).as("%s with %s after the body changed nothing",
                    endpoint.name(), printable(trailer)).isEqualTo(before);
            }
        }
        for (final Endpoint endpoint : endpoints)
        {
            final Reply accepted = send(endpoint, endpoint.body() + " \r\n\t");
            assertThat(accepted.status()).as("%s without a trailer -> %s", endpoint.name(), accepted.body())
                .isBetween(200, 299);
            assertThat(accepted.body()).as(endpoint.name()).doesNotContain("\"error\"");
        }
    }

    private Reply send(final Endpoint endpoint, final String body)
    {
        final List<String> headers = new ArrayList<>(List.of(endpoint.headers()));
        if (endpoint.method().equals("POST") || endpoint.path().startsWith("/ucp/checkout-sessions/"))
        {
            headers.add("Idempotency-Key");
            headers.add(java.util.UUID.randomUUID().toString());
        }
        headers.add("Request-Id");
        headers.add(java.util.UUID.randomUUID().toString());
        return api.sendAs(endpoint.token(), endpoint.method(), endpoint.path(), body, headers.toArray(String[]::new));
    }

    /** What a refused request must leave alone: the writer's sequence, the SKU, keys, and any session named. */
    private String snapshot(final String reservation, final String... sessions)
    {
        final StringBuilder state = new StringBuilder()
            .append(api.sequence()).append('\n')
            .append(api.stateOf("shoe")).append('\n')
            .append(keys()).append('\n')
            .append(api.expect(200, "GET", "/v1/skus/shoe/prices", null)).append('\n');
        if (reservation != null)
        {
            state.append(api.expect(200, "GET", "/v1/reservations/" + reservation, null)).append('\n');
        }
        for (final String session : sessions)
        {
            final String[] headers = session.startsWith("/acp") ? new String[]{"API-Version", AcpClient.VERSION} :
                new String[]{"UCP-Agent", UcpClient.AGENT, "Request-Id", "r-snapshot"};
            state.append(api.sendAs(sessionOwner, "GET", session, null, headers).body()).append('\n');
        }
        return state.toString();
    }

    /** The API keys as listed, less when each was last used (the requests under test use them). */
    private String keys()
    {
        final JsonNode keys = api.expect(200, "GET", "/v1/api-keys", null);
        for (final JsonNode key : keys.path("items"))
        {
            ((com.fasterxml.jackson.databind.node.ObjectNode)key).remove("last_used_at");
        }
        return keys.toString();
    }

    private static Endpoint admin(final String method, final String path, final String body)
    {
        return new Endpoint(ApiHarness.ADMIN_TOKEN, method, path, body);
    }

    private static String printable(final String trailer)
    {
        return "'" + trailer.replace("\n", "\\n").replace("\u0000", "\\0") + "'";
    }
}
