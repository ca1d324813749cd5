package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static io.truestock.gateway.api.ApiHarness.orderBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channel orders of API.md: never refused for stock (short lines are backordered), idempotent by
 * (channel, order_id), and read, cancelled and shipped as a whole.
 */
class OrderApiTest
{
    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @Test
    void orderWithEnoughStockIsCreatedAndCommitsItsUnits()
    {
        api.standardCatalog(10, "shoe");

        final Reply created = api.send("POST", "/v1/orders", orderBody("amazon", "114-1", "shoe", 3));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.replayed()).isFalse();
        final JsonNode order = created.json();
        assertThat(order.path("order_id").asText()).isEqualTo("114-1");
        assertThat(order.path("channel").asText()).isEqualTo("amazon");
        assertThat(order.path("status").asText()).isEqualTo("confirmed");
        assertThat(order.path("lines")).hasSize(1);
        assertThat(order.path("lines").get(0).path("sku").asText()).isEqualTo("shoe");
        assertThat(order.path("lines").get(0).path("qty").asLong()).isEqualTo(3);
        assertThat(order.path("backordered").isArray()).as(order.toString()).isTrue();
        assertThat(order.path("backordered")).isEmpty();
        assertThat(order.path("shipments")).hasSize(1);
        assertThat(order.path("shipments").get(0).path("location").asText()).isEqualTo("oak");
        assertThat(order.path("shipments").get(0).path("lines").get(0).path("qty").asLong()).isEqualTo(3);
        assertThat(order.path("version").asLong()).isPositive();

        final JsonNode stock = api.stockAt("shoe", "oak");
        assertThat(stock.path("committed").asLong()).isEqualTo(3);
        assertThat(stock.path("available").asLong()).isEqualTo(7);
        assertThat(api.available("shoe", "shopify")).isEqualTo(7);
    }

    @Test
    void shortOrderIsNeverRefusedAndBackordersWhatIsMissing()
    {
        api.standardCatalog(3, "shoe");

        final Reply created = api.send("POST", "/v1/orders", orderBody("amazon", "114-2", "shoe", 5));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        final JsonNode order = created.json();
        assertThat(order.path("status").asText()).isEqualTo("confirmed");
        assertThat(order.path("lines").get(0).path("qty").asLong()).isEqualTo(5);
        assertThat(order.path("backordered")).hasSize(1);
        assertThat(order.path("backordered").get(0).path("sku").asText()).isEqualTo("shoe");
        assertThat(order.path("backordered").get(0).path("qty").asLong()).isEqualTo(2);
        assertThat(order.path("shipments").get(0).path("lines").get(0).path("qty").asLong()).isEqualTo(3);
        final JsonNode stock = api.stockAt("shoe", "oak");
        assertThat(stock.path("committed").asLong()).isEqualTo(3);
        assertThat(stock.path("available").asLong()).isZero();
        assertThat(api.available("shoe", "amazon")).isZero();
        final String metrics = api.sendAs(null, "GET", "/metrics", null).body();
        assertThat(metrics).contains("truestock_oversold_events_total 1");
    }

    @Test
    void orderWithNoStockAtAllIsBackorderedWhole()
    {
        api.standardCatalog(0, "shoe");

        final JsonNode order = api.expect(201, "POST", "/v1/orders", orderBody("amazon", "114-3", "shoe", 2));

        assertThat(order.path("backordered")).hasSize(1);
        assertThat(order.path("backordered").get(0).path("qty").asLong()).isEqualTo(2);
        assertThat(order.path("shipments")).isEmpty();
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();
    }

    @Test
    void repeatOfTheSameChannelOrderIsReplayedWithTheFirstOrderAndChangesNothing()
    {
        api.standardCatalog(10, "shoe");
        final JsonNode first = api.expect(201, "POST", "/v1/orders", orderBody("amazon", "114-4", "shoe", 3));
        final JsonNode before = api.stateOf("shoe");

        final Reply repeat = api.send("POST", "/v1/orders", orderBody("amazon", "114-4", "shoe", 3));

        assertThat(repeat.status()).as(repeat.body()).isEqualTo(200);
        assertThat(repeat.replayed()).as("Idempotent-Replayed header").isTrue();
        assertThat(withoutVersion(repeat.json())).isEqualTo(withoutVersion(first));
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(3);
    }

    @Test
    void repeatOfTheSameChannelOrderAnswersTheFirstBodyExactly()
    {
        api.standardCatalog(10, "shoe");
        final Reply first = api.send("POST", "/v1/orders", orderBody("amazon", "114-5", "shoe", 3));
        api.receive("shoe", "oak", 1);

        final Reply repeat = api.send("POST", "/v1/orders", orderBody("amazon", "114-5", "shoe", 3));

        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json()).isEqualTo(first.json());
    }

    @Test
    void sameOrderIdInAnotherChannelIsAnotherOrder()
    {
        api.standardCatalog(10, "shoe");
        api.expect(201, "POST", "/v1/orders", orderBody("amazon", "1001", "shoe", 1));

        final Reply other = api.send("POST", "/v1/orders", orderBody("shopify", "1001", "shoe", 2));

        assertThat(other.status()).as(other.body()).isEqualTo(201);
        assertThat(other.replayed()).isFalse();
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(3);
        assertThat(api.expect(200, "GET", "/v1/orders/1001?channel=amazon", null).path("lines").get(0).path("qty")
            .asLong()).isEqualTo(1);
        assertThat(api.expect(200, "GET", "/v1/orders/1001?channel=shopify", null).path("lines").get(0).path("qty")
            .asLong()).isEqualTo(2);
    }

    @Test
    void reusedOrderIdWithDifferentLinesIsRefusedAndChangesNothing()
    {
        api.standardCatalog(10, "shoe");
        api.expect(201, "POST", "/v1/orders", orderBody("amazon", "114-6", "shoe", 3));
        final JsonNode before = api.stateOf("shoe");

        final Reply reused = api.send("POST", "/v1/orders", orderBody("amazon", "114-6", "shoe", 4));

        assertThat(reused.status()).as(reused.body()).isBetween(400, 499);
        assertThat(reused.contentType()).startsWith(ApiHarness.PROBLEM_JSON);
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.expect(200, "GET", "/v1/orders/114-6?channel=amazon", null).path("lines").get(0).path("qty")
            .asLong()).isEqualTo(3);
    }

    @Test
    void getAnswersTheOrder()
    {
        api.standardCatalog(10, "shoe");
        final JsonNode created = api.expect(201, "POST", "/v1/orders",
            "{\"channel\":\"amazon\",\"order_id\":\"114-7\",\"lines\":[{\"sku\":\"shoe\",\"qty\":2}]," +
            "\"destination\":{\"country\":\"US\",\"postal_code\":\"10001\"}}");

        final JsonNode read = api.expect(200, "GET", "/v1/orders/114-7?channel=amazon", null);

        assertThat(read.path("order_id").asText()).isEqualTo("114-7");
        assertThat(read.path("channel").asText()).isEqualTo("amazon");
        assertThat(read.path("status").asText()).isEqualTo("confirmed");
        assertThat(read.path("lines")).isEqualTo(created.path("lines"));
        assertThat(read.path("shipments")).isEqualTo(created.path("shipments"));
        assertProblem(api.send("GET", "/v1/orders/114-7?channel=shopify", null), 404, "not_found");
        assertProblem(api.send("GET", "/v1/orders/nothing?channel=amazon", null), 404, "not_found");
    }

    @Test
    void cancelGivesTheCommittedUnitsBack()
    {
        api.standardCatalog(10, "shoe");
        api.expect(201, "POST", "/v1/orders", orderBody("amazon", "114-8", "shoe", 4));

        final JsonNode cancelled = api.expect(200, "POST", "/v1/orders/114-8/cancel?channel=amazon", null);

        assertThat(cancelled.path("order_id").asText()).isEqualTo("114-8");
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        final JsonNode stock = api.stockAt("shoe", "oak");
        assertThat(stock.path("on_hand").asLong()).isEqualTo(10);
        assertThat(stock.path("committed").asLong()).isZero();
        assertThat(stock.path("available").asLong()).isEqualTo(10);
        assertThat(api.expect(200, "GET", "/v1/orders/114-8?channel=amazon", null).path("status").asText())
            .isEqualTo("cancelled");

        final JsonNode before = api.stateOf("shoe");
        assertProblem(api.send("POST", "/v1/orders/114-8/cancel?channel=amazon", null), 409, "conflict");
        assertProblem(api.send("POST", "/v1/orders/114-8/ship?channel=amazon", null), 409, "conflict");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void shipTakesTheUnitsOffTheShelf()
    {
        api.standardCatalog(10, "shoe");
        api.expect(201, "POST", "/v1/orders", orderBody("amazon", "114-9", "shoe", 4));

        final JsonNode shipped = api.expect(200, "POST", "/v1/orders/114-9/ship?channel=amazon", null);

        assertThat(shipped.path("order_id").asText()).isEqualTo("114-9");
        assertThat(shipped.path("status").asText()).isEqualTo("shipped");
        final JsonNode stock = api.stockAt("shoe", "oak");
        assertThat(stock.path("on_hand").asLong()).isEqualTo(6);
        assertThat(stock.path("committed").asLong()).isZero();
        assertThat(stock.path("available").asLong()).isEqualTo(6);
        assertThat(api.expect(200, "GET", "/v1/orders/114-9?channel=amazon", null).path("status").asText())
            .isEqualTo("shipped");

        final JsonNode before = api.stateOf("shoe");
        assertProblem(api.send("POST", "/v1/orders/114-9/cancel?channel=amazon", null), 409, "conflict");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void orderConfirmedFromAReservationCanBeShipped()
    {
        api.standardCatalog(10, "shoe");
        final String id = api.reserve("shopify", "shoe", 2);
        api.expect(200, "POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"web-1\"}");

        final JsonNode shipped = api.expect(200, "POST", "/v1/orders/web-1/ship?channel=shopify", null);

        assertThat(shipped.path("status").asText()).isEqualTo("shipped");
        assertThat(api.stockAt("shoe", "oak").path("on_hand").asLong()).isEqualTo(8);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();
    }

    @Test
    void cancelOrShipOfAnUnknownOrderIsNotFound()
    {
        api.standardCatalog(1, "shoe");

        assertProblem(api.send("POST", "/v1/orders/ghost/cancel?channel=amazon", null), 404, "not_found");
        assertProblem(api.send("POST", "/v1/orders/ghost/ship?channel=amazon", null), 404, "not_found");
    }

    private static JsonNode withoutVersion(final JsonNode order)
    {
        final ObjectNode copy = (ObjectNode)order.deepCopy();
        copy.remove("version");
        return copy;
    }
}
