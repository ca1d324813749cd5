package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import static io.truestock.gateway.api.ApiHarness.ADMIN_TOKEN;
import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static io.truestock.gateway.api.ApiHarness.orderBody;
import static io.truestock.gateway.api.ApiHarness.reserveBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Idempotency-Key header of API.md on POST: a repeat from the same principal replays the first response with
 * {@code Idempotent-Replayed: true} and changes nothing; the same key with a different body is 422; a key longer
 * than 255 characters is refused.
 */
class IdempotencyApiTest
{
    private static final String KEY = "Idempotency-Key";

    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @Test
    void repeatedReservationReplaysTheFirstResponseAndHoldsOnce()
    {
        api.standardCatalog(10, "shoe");
        final Reply first = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 3),
            KEY, "cart-1");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.replayed()).isFalse();
        final JsonNode before = api.stateOf("shoe");

        final Reply repeat = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 3),
            KEY, "cart-1");

        assertThat(repeat.status()).as(repeat.body()).isEqualTo(201);
        assertThat(repeat.replayed()).as("Idempotent-Replayed header").isTrue();
        assertThat(repeat.json()).isEqualTo(first.json());
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(3);
    }

    @Test
    void repeatedReceiveReplaysTheFirstResponseAndReceivesOnce()
    {
        api.standardCatalog(0, "shoe");
        final String body = "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":5}";
        final Reply first = api.sendAs(ADMIN_TOKEN, "POST", "/v1/stock/receive", body, KEY, "asn-77");
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        final Reply repeat = api.sendAs(ADMIN_TOKEN, "POST", "/v1/stock/receive", body, KEY, "asn-77");

        assertThat(repeat.status()).as(repeat.body()).isEqualTo(200);
        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.json()).isEqualTo(first.json());
        assertThat(api.stockAt("shoe", "oak").path("on_hand").asLong()).isEqualTo(5);
    }

    @Test
    void repeatedConfirmReplaysTheFirstResponse()
    {
        api.standardCatalog(10, "shoe");
        final String id = api.reserve("shopify", "shoe", 2);
        final Reply first = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations/" + id + "/confirm",
            "{\"order_id\":\"o-1\"}", KEY, "checkout-1");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        final JsonNode before = api.stateOf("shoe");

        final Reply repeat = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations/" + id + "/confirm",
            "{\"order_id\":\"o-1\"}", KEY, "checkout-1");

        assertThat(repeat.status()).as(repeat.body()).isEqualTo(200);
        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.json()).isEqualTo(first.json());
        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void repeatedRejectionReplaysTheFirstRejectionEvenWhenStockArrivedSince()
    {
        api.standardCatalog(1, "shoe");
        final Reply first = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 3),
            KEY, "cart-2");
        assertProblem(first, 409, "out_of_stock");
        api.receive("shoe", "oak", 10);
        final JsonNode before = api.stateOf("shoe");

        final Reply repeat = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 3),
            KEY, "cart-2");

        assertProblem(repeat, 409, "out_of_stock");
        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.json()).isEqualTo(first.json());
        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void sameKeyWithADifferentBodyIsAnIdempotencyConflictAndChangesNothing()
    {
        api.standardCatalog(10, "shoe");
        api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 3), KEY, "cart-3");
        final JsonNode before = api.stateOf("shoe");

        final Reply conflict = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 4),
            KEY, "cart-3");

        assertProblem(conflict, 422, "idempotency_conflict");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(3);
    }

    @Test
    void sameKeyOnAnotherEndpointIsAnIdempotencyConflictAndChangesNothing()
    {
        api.standardCatalog(10, "shoe");
        api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 3), KEY, "k-1");
        final JsonNode before = api.stateOf("shoe");

        final Reply conflict = api.sendAs(ADMIN_TOKEN, "POST", "/v1/stock/receive",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":5}", KEY, "k-1");

        assertProblem(conflict, 422, "idempotency_conflict");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void sameKeyFromAnotherPrincipalIsAnotherRequest()
    {
        api.standardCatalog(10, "shoe");
        final String agent = api.createKey("agent");
        final Reply byAdmin = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 2),
            KEY, "shared-key");

        final Reply byAgent = api.sendAs(agent, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 2),
            KEY, "shared-key");

        assertThat(byAgent.status()).as(byAgent.body()).isEqualTo(201);
        assertThat(byAgent.replayed()).isFalse();
        assertThat(byAgent.json().path("id").asText()).isNotEqualTo(byAdmin.json().path("id").asText());
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(4);
    }

    @Test
    void keyOf255CharactersIsAccepted()
    {
        api.standardCatalog(10, "shoe");

        final Reply accepted = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 1),
            KEY, "k".repeat(255));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
    }

    @Test
    void keyLongerThan255CharactersIsRefusedAndChangesNothing()
    {
        api.standardCatalog(10, "shoe");
        final JsonNode before = api.stateOf("shoe");
        final long sequence = api.sequence();

        final Reply refused = api.sendAs(ADMIN_TOKEN, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 1),
            KEY, "k".repeat(256));

        assertProblem(refused, 400, "invalid_request");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.sequence()).isEqualTo(sequence);
    }

    @Test
    void repeatedChannelOrderWithTheSameKeyReplaysTheFirstResponse()
    {
        api.standardCatalog(10, "shoe");
        final Reply first = api.sendAs(ADMIN_TOKEN, "POST", "/v1/orders", orderBody("amazon", "A-1", "shoe", 2),
            KEY, "order-A-1");
        assertThat(first.status()).as(first.body()).isEqualTo(201);

        final Reply repeat = api.sendAs(ADMIN_TOKEN, "POST", "/v1/orders", orderBody("amazon", "A-1", "shoe", 2),
            KEY, "order-A-1");

        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.json()).isEqualTo(first.json());
        assertThat(repeat.status()).as("the first response's status").isEqualTo(first.status());
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(2);
    }

    @Test
    void repeatedApiKeyCreationWithTheSameKeyReplaysTheFirstKey()
    {
        final Reply first = api.sendAs(ADMIN_TOKEN, "POST", "/v1/api-keys", "{\"scope\":\"agent\"}", KEY, "new-agent");
        assertThat(first.status()).as(first.body()).isEqualTo(201);

        final Reply repeat = api.sendAs(ADMIN_TOKEN, "POST", "/v1/api-keys", "{\"scope\":\"agent\"}", KEY, "new-agent");

        assertThat(repeat.status()).as(repeat.body()).isEqualTo(201);
        assertThat(repeat.replayed()).as("Idempotent-Replayed header").isTrue();
        assertThat(repeat.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertThat(repeat.json().path("key").asText()).isEqualTo(first.json().path("key").asText());
    }

    @Test
    void apiKeyCreationWithAKeyLongerThan255CharactersIsRefused()
    {
        final Reply refused = api.sendAs(ADMIN_TOKEN, "POST", "/v1/api-keys", "{\"scope\":\"agent\"}",
            KEY, "k".repeat(256));

        assertProblem(refused, 400, "invalid_request");
    }
}
