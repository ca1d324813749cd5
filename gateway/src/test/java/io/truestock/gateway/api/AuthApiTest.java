package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;

import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static io.truestock.gateway.api.ApiHarness.orderBody;
import static io.truestock.gateway.api.ApiHarness.reserveBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer tokens and scopes of API.md: 401 without a known token, admin-only endpoints, agent keys, channel keys
 * confined to their channel's reservations and orders, and keys that outlive a restart.
 */
class AuthApiTest
{
    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @BeforeEach
    void catalog()
    {
        api.standardCatalog(10, "shoe");
    }

    @Test
    void missingTokenIsUnauthorized() throws Exception
    {

        assertProblem(api.sendAs(null, "GET", "/v1/skus/shoe", null), 401, "unauthorized");
        assertProblem(api.sendAs(null, "GET", "/v1/availability/shoe?channel=shopify", null), 401, "unauthorized");
        final JsonNode before = api.stateOf("shoe");
        assertProblem(api.sendAs(null, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 1)),
            401, "unauthorized");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void unknownTokenIsUnauthorized() throws Exception
    {
        final JsonNode before = api.stateOf("shoe");

        assertProblem(api.sendAs("not-a-key", "GET", "/v1/skus/shoe", null), 401, "unauthorized");
        assertProblem(api.sendAs("secret2", "POST", "/v1/stock/receive",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":5}"), 401, "unauthorized");
        final Reply basic = ApiHarness.send(api.client(), HttpRequest.newBuilder(api.uri("/v1/skus/shoe"))
            .header("Authorization", "Basic c2VjcmV0OnNlY3JldA==").build());
        assertProblem(basic, 401, "unauthorized");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void adminCreatesAgentAndChannelKeys() throws Exception
    {

        final JsonNode agent = api.expect(201, "POST", "/v1/api-keys",
            "{\"scope\":\"agent\",\"name\":\"shopping bot\"}");
        final JsonNode channel = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"channel:shopify\"}");

        assertThat(agent.path("scope").asText()).isEqualTo("agent");
        assertThat(agent.path("id").asText()).isNotEmpty();
        assertThat(agent.path("key").asText()).isNotEmpty().isNotEqualTo(ApiHarness.ADMIN_TOKEN);
        assertThat(channel.path("scope").asText()).isEqualTo("channel:shopify");
        assertThat(channel.path("key").asText()).isNotEqualTo(agent.path("key").asText());
        assertThat(channel.path("id").asText()).isNotEqualTo(agent.path("id").asText());
        api.expectAs(agent.path("key").asText(), 200, "GET", "/v1/availability/shoe?channel=shopify", null);
        api.expectAs(channel.path("key").asText(), 200, "GET", "/v1/availability/shoe?channel=amazon", null);
    }

    @Test
    void keyWithAnUnknownScopeIsRefused() throws Exception
    {

        assertProblem(api.send("POST", "/v1/api-keys", "{\"scope\":\"root\"}"), 400, "invalid_request", "$.scope");
        assertProblem(api.send("POST", "/v1/api-keys", "{\"scope\":\"channel:bad id\"}"),
            400, "invalid_request", "$.scope");
    }

    @Test
    void agentKeyReadsReservesAndConfirms() throws Exception
    {
        final String agent = api.createKey("agent");

        api.expectAs(agent, 200, "GET", "/v1/skus/shoe", null);
        api.expectAs(agent, 200, "GET", "/v1/offers/shoe?channel=shopify", null);
        final String id = api.expectAs(agent, 201, "POST", "/v1/reservations", reserveBody("amazon", "shoe", 2))
            .path("id").asText();
        api.expectAs(agent, 200, "POST", "/v1/reservations/" + id + "/extend", "{\"ttl_seconds\":600}");
        final JsonNode order = api.expectAs(agent, 200, "POST", "/v1/reservations/" + id + "/confirm",
            "{\"order_id\":\"agent-1\"}");

        assertThat(order.path("status").asText()).isEqualTo("confirmed");
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(2);
    }

    @Test
    void agentKeyCannotUseAdminEndpoints() throws Exception
    {
        final String agent = api.createKey("agent");
        final JsonNode before = api.stateOf("shoe");

        assertProblem(api.sendAs(agent, "PUT", "/v1/locations/nj", "{\"name\":\"NJ\"}"), 403, "forbidden");
        assertProblem(api.sendAs(agent, "PUT", "/v1/channels/ebay", "{\"name\":\"eBay\"}"), 403, "forbidden");
        assertProblem(api.sendAs(agent, "PUT", "/v1/skus/shoe", "{\"title\":\"Free shoe\",\"price\":{\"amount\":0," +
            "\"currency\":\"USD\"}}"), 403, "forbidden");
        assertProblem(api.sendAs(agent, "POST", "/v1/stock/receive",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":5}"), 403, "forbidden");
        assertProblem(api.sendAs(agent, "POST", "/v1/stock/adjust",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-5}"), 403, "forbidden");
        assertProblem(api.sendAs(agent, "POST", "/v1/stock/set",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":0}"), 403, "forbidden");
        assertProblem(api.sendAs(agent, "POST", "/v1/api-keys", "{\"scope\":\"admin\"}"), 403, "forbidden");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.sku("shoe").path("price").path("amount").asLong()).isEqualTo(8999);
        assertProblem(api.send("GET", "/v1/availability/shoe?channel=ebay", null), 404, "not_found");
    }

    @Test
    void agentKeyCannotRecordCancelOrShipChannelOrders() throws Exception
    {
        final String agent = api.createKey("agent");
        api.expect(201, "POST", "/v1/orders", orderBody("amazon", "114-1", "shoe", 2));
        final JsonNode before = api.stateOf("shoe");

        assertProblem(api.sendAs(agent, "POST", "/v1/orders", orderBody("amazon", "114-2", "shoe", 1)),
            403, "forbidden");
        assertProblem(api.sendAs(agent, "POST", "/v1/orders/114-1/cancel?channel=amazon", null), 403, "forbidden");
        assertProblem(api.sendAs(agent, "POST", "/v1/orders/114-1/ship?channel=amazon", null), 403, "forbidden");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void channelKeyReservesOnlyForItsChannel() throws Exception
    {
        final String shopify = api.createKey("channel:shopify");

        api.expectAs(shopify, 201, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 1));
        final JsonNode before = api.stateOf("shoe");
        assertProblem(api.sendAs(shopify, "POST", "/v1/reservations", reserveBody("amazon", "shoe", 1)),
            403, "forbidden");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(1);
    }

    @Test
    void channelKeyCannotTouchAnotherChannelsReservation() throws Exception
    {
        final String shopify = api.createKey("channel:shopify");
        final String id = api.reserve("amazon", "shoe", 3);
        final JsonNode before = api.stateOf("shoe");
        final JsonNode reservationBefore = api.expect(200, "GET", "/v1/reservations/" + id, null);

        assertProblem(api.sendAs(shopify, "GET", "/v1/reservations/" + id, null), 403, "forbidden");
        assertProblem(api.sendAs(shopify, "POST", "/v1/reservations/" + id + "/extend", "{\"ttl_seconds\":86400}"),
            403, "forbidden");
        assertProblem(api.sendAs(shopify, "POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"stolen\"}"),
            403, "forbidden");
        assertProblem(api.sendAs(shopify, "DELETE", "/v1/reservations/" + id, null), 403, "forbidden");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
        final JsonNode reservationAfter = api.expect(200, "GET", "/v1/reservations/" + id, null);
        assertThat(reservationAfter.path("status").asText()).isEqualTo("held");
        assertThat(reservationAfter.path("expires_at")).isEqualTo(reservationBefore.path("expires_at"));
        assertProblem(api.send("GET", "/v1/orders/stolen?channel=amazon", null), 404, "not_found");
        assertProblem(api.send("GET", "/v1/orders/stolen?channel=shopify", null), 404, "not_found");
    }

    @Test
    void channelKeyManagesItsOwnReservation() throws Exception
    {
        final String shopify = api.createKey("channel:shopify");
        final String id = api.expectAs(shopify, 201, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 2))
            .path("id").asText();

        assertThat(api.expectAs(shopify, 200, "GET", "/v1/reservations/" + id, null).path("status").asText())
            .isEqualTo("held");
        api.expectAs(shopify, 200, "POST", "/v1/reservations/" + id + "/extend", "{\"ttl_seconds\":600}");
        final JsonNode order = api.expectAs(shopify, 200, "POST", "/v1/reservations/" + id + "/confirm",
            "{\"order_id\":\"web-1\"}");

        assertThat(order.path("status").asText()).isEqualTo("confirmed");
        assertThat(api.expectAs(shopify, 200, "GET", "/v1/orders/web-1", null).path("channel").asText())
            .isEqualTo("shopify");
    }

    @Test
    void channelKeyRecordsOrdersOnlyForItsChannel() throws Exception
    {
        final String shopify = api.createKey("channel:shopify");
        api.expect(201, "POST", "/v1/orders", orderBody("amazon", "114-1", "shoe", 1));

        api.expectAs(shopify, 201, "POST", "/v1/orders", orderBody("shopify", "1001", "shoe", 2));
        final JsonNode before = api.stateOf("shoe");
        assertProblem(api.sendAs(shopify, "POST", "/v1/orders", orderBody("amazon", "114-2", "shoe", 1)),
            403, "forbidden");
        assertProblem(api.sendAs(shopify, "GET", "/v1/orders/114-1?channel=amazon", null), 403, "forbidden");
        assertProblem(api.sendAs(shopify, "POST", "/v1/orders/114-1/cancel?channel=amazon", null), 403, "forbidden");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertProblem(api.send("GET", "/v1/orders/114-2?channel=amazon", null), 404, "not_found");
        assertThat(api.expect(200, "GET", "/v1/orders/114-1?channel=amazon", null).path("status").asText())
            .isEqualTo("confirmed");
    }

    @Test
    void channelKeyCannotUseAdminEndpoints() throws Exception
    {
        final String shopify = api.createKey("channel:shopify");
        final JsonNode before = api.stateOf("shoe");

        assertProblem(api.sendAs(shopify, "POST", "/v1/stock/receive",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":5}"), 403, "forbidden");
        assertProblem(api.sendAs(shopify, "PUT", "/v1/channels/shopify", "{\"name\":\"Mine\",\"percent\":100}"),
            403, "forbidden");
        assertProblem(api.sendAs(shopify, "POST", "/v1/api-keys", "{\"scope\":\"agent\"}"), 403, "forbidden");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void keysSurviveARestartOnTheSameDataDir() throws Exception
    {
        final String agent = api.createKey("agent");
        final String shopify = api.createKey("channel:shopify");
        api.restart();
        api.standardCatalog(5, "boot");

        assertThat(api.expectAs(agent, 200, "GET", "/v1/availability/boot?channel=amazon", null).path("available")
            .asLong()).isEqualTo(5);
        api.expectAs(agent, 201, "POST", "/v1/reservations", reserveBody("amazon", "boot", 1));
        api.expectAs(shopify, 201, "POST", "/v1/reservations", reserveBody("shopify", "boot", 1));
        assertProblem(api.sendAs(shopify, "POST", "/v1/reservations", reserveBody("amazon", "boot", 1)),
            403, "forbidden");
        assertProblem(api.sendAs(agent, "POST", "/v1/stock/receive",
            "{\"sku\":\"boot\",\"location\":\"oak\",\"qty\":1}"), 403, "forbidden");
        assertProblem(api.sendAs("not-a-key", "GET", "/v1/skus/boot", null), 401, "unauthorized");
    }
}
