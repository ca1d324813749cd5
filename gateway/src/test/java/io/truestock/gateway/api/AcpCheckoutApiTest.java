package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;

import static io.truestock.gateway.api.AcpClient.createBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ACP 2026-04-17 checkouts through the real server, as an agent key: create, read, complete with the sandbox, and
 * what the protocol answers when stock, address, payment, quote or session do not allow it. Every answer is checked
 * against the published schema (see {@link AcpClient}).
 */
class AcpCheckoutApiTest
{
    /** 2026-03-04T10:00:00Z, a Wednesday; the server's clock moves only when a test moves it. */
    static final long NOW = 1_772_618_400_000L;
    static final String WEEKDAYS = "[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"]";

    private final CachedEpochClock clock = new CachedEpochClock();

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config ->
    {
        clock.update(NOW);
        config.clock(clock).quoteTtlSeconds(600);
        config.checkout().sandbox(true).sessionTtlSeconds(900);
    });

    private AcpClient acp;

    @BeforeEach
    void catalog()
    {
        catalog(api, 10);
        acp = new AcpClient(api, api.createKey("agent"));
    }

    /** Oakland (Los Angeles time, cutoff 14:00, weekdays), UPS ground to the US, channel shop, shoe at 50.00. */
    static void catalog(final ApiHarness api, final long units)
    {
        api.expect(200, "PUT", "/v1/locations/oak", "{\"name\":\"Oakland\",\"timezone\":\"America/Los_Angeles\"," +
            "\"country\":\"US\",\"priority\":1,\"cutoff\":\"14:00\",\"handling_days\":0,\"working_days\":" + WEEKDAYS +
            "}");
        api.expect(200, "PUT", "/v1/carriers/ups", "{\"name\":\"UPS\",\"services\":[{\"id\":\"ground\"," +
            "\"name\":\"Ground\",\"working_days\":" + WEEKDAYS + ",\"zones\":[{\"location\":\"oak\"," +
            "\"country\":\"US\"," +
            "\"min_transit_days\":1,\"max_transit_days\":2}]}]}");
        api.defineChannel("shop");
        api.defineSku("shoe", 5000);
        if (units > 0)
        {
            api.receive("shoe", "oak", units);
        }
    }

    /** The schema checks every test relies on can fail: a session missing its required fields does. */
    @Test
    void theSchemaCheckRefusesAnIncompleteSession()
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(AcpSchemas.present(),
            "ACP schemas are not beside the repository");
        final JsonNode session = acp.create(createBody("shoe", 1, "US", "94607"));
        final com.fasterxml.jackson.databind.node.ObjectNode broken =
            (com.fasterxml.jackson.databind.node.ObjectNode)session.deepCopy();
        broken.remove("totals");
        broken.put("status", "paid");
        assertThat(AcpSchemas.problems("CheckoutSession", broken.toString())).hasSizeGreaterThanOrEqualTo(2);
        assertThat(AcpSchemas.problems("CheckoutSession", session.toString())).isEmpty();
    }

    @Test
    void discoveryNamesTheVersionAndTheRestBase()
    {
        final JsonNode discovery = acp.discovery().json();
        assertThat(discovery.path("protocol").path("version").asText()).isEqualTo("2026-04-17");
        assertThat(discovery.path("api_base_url").asText()).endsWith("/acp");
        assertThat(discovery.path("capabilities").path("services").toString()).contains("checkout");
    }

    @Test
    void createQuotesReservesAndPromisesThenCompleteOrdersAtThoseTerms()
    {
        final JsonNode session = acp.create(createBody("shoe", 2, "US", "94607"));
        assertThat(session.path("status").asText()).isEqualTo("ready_for_payment");
        final JsonNode line = session.path("line_items").get(0);
        assertThat(line.path("item").path("id").asText()).isEqualTo("shoe");
        assertThat(line.path("quantity").asLong()).isEqualTo(2);
        assertThat(line.path("unit_amount").asLong()).isEqualTo(5000);
        assertThat(line.path("availability_status").asText()).isEqualTo("in_stock");
        assertThat(line.path("available_quantity").asLong()).isEqualTo(10);
        final JsonNode option = session.path("fulfillment_options").get(0);
        assertThat(option.path("carrier").asText()).isEqualTo("ups");
        // Ordered Wednesday 02:00 in Oakland, before the cutoff: ships today, 1 to 2 transit days.
        assertThat(Instant.parse(option.path("earliest_delivery_time").asText()))
            .isEqualTo(Instant.parse("2026-03-05T08:00:00Z"));
        assertThat(Instant.parse(option.path("latest_delivery_time").asText()))
            .isEqualTo(Instant.parse("2026-03-07T07:59:59.999Z"));
        assertThat(total(session, "subtotal")).isEqualTo(10_000);
        assertThat(total(session, "fulfillment")).isZero();
        assertThat(total(session, "total")).isEqualTo(10_000);
        assertThat(api.available("shoe", "shop")).as("the session holds its units").isEqualTo(8);

        final String id = session.path("id").asText();
        assertThat(acp.get("/acp/checkout_sessions/" + id).json().path("status").asText())
            .isEqualTo("ready_for_payment");

        final ApiHarness.Reply completed = acp.complete(id, "tok_sandbox_success");
        assertThat(completed.status()).as("%s", completed.body()).isEqualTo(200);
        final JsonNode done = completed.json();
        assertThat(done.path("status").asText()).isEqualTo("completed");
        final String orderId = done.path("order").path("id").asText();
        final JsonNode order = api.expect(200, "GET", "/v1/orders/" + orderId + "?channel=shop", null);
        assertThat(order.path("lines").get(0).path("qty").asLong()).isEqualTo(2);
        assertThat(order.path("lines").get(0).path("price").path("amount").asLong()).isEqualTo(5000);
        final JsonNode shipment = order.path("shipments").get(0).path("delivery");
        assertThat(shipment.path("carrier").asText()).isEqualTo("ups");
        assertThat(Instant.parse(shipment.path("latest").asText()))
            .isEqualTo(Instant.parse(option.path("latest_delivery_time").asText()));
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(2);
        assertThat(acp.complete(id, "tok_sandbox_success").json().path("order").path("id").asText())
            .as("completing again charges nothing more and answers the order").isEqualTo(orderId);
    }

    @Test
    void everyCarrierServiceIsAnOptionAndTheChosenOneIsWhatTheOrderShipsBy()
    {
        api.expect(200, "PUT", "/v1/carriers/fedex", "{\"name\":\"FedEx\",\"services\":[" +
            "{\"id\":\"express\",\"name\":\"Express\",\"working_days\":" + WEEKDAYS + ",\"zones\":[" +
            "{\"location\":\"oak\",\"country\":\"US\",\"min_transit_days\":0,\"max_transit_days\":0}]}," +
            "{\"id\":\"economy\",\"name\":\"Economy\",\"working_days\":" + WEEKDAYS + ",\"zones\":[" +
            "{\"location\":\"oak\",\"country\":\"US\",\"min_transit_days\":4,\"max_transit_days\":6}]}," +
            "{\"id\":\"uk\",\"name\":\"UK only\",\"working_days\":" + WEEKDAYS + ",\"zones\":[" +
            "{\"location\":\"oak\",\"country\":\"GB\",\"min_transit_days\":1,\"max_transit_days\":2}]}]}");
        final JsonNode session = acp.create(createBody("shoe", 2, "US", "94607"));
        final JsonNode options = session.path("fulfillment_options");
        assertThat(options).as("every service that reaches the US, fastest first; none that does not").hasSize(3);
        assertThat(options.get(0).path("id").asText()).isEqualTo("ship_fedex_express");
        assertThat(options.get(1).path("id").asText()).isEqualTo("ship_ups_ground");
        assertThat(options.get(2).path("id").asText()).isEqualTo("ship_fedex_economy");
        assertThat(session.path("selected_fulfillment_options").get(0).path("option_id").asText())
            .as("the fastest is selected until the buyer chooses").isEqualTo("ship_fedex_express");
        final JsonNode economy = options.get(2);
        final String id = session.path("id").asText();

        final ApiHarness.Reply chosen = acp.post("/acp/checkout_sessions/" + id, "{\"selected_fulfillment_options\":" +
            "[{\"type\":\"shipping\",\"shipping\":{\"option_id\":\"ship_fedex_economy\",\"item_ids\":" +
            "[\"li_1\"]}}]}");
        assertThat(chosen.status()).as("%s", chosen.body()).isEqualTo(200);
        assertThat(chosen.json().path("selected_fulfillment_options").get(0).path("option_id").asText())
            .isEqualTo("ship_fedex_economy");
        final ApiHarness.Reply unknown = acp.post("/acp/checkout_sessions/" + id, "{\"selected_fulfillment_options\":" +
            "[{\"type\":\"shipping\",\"option_id\":\"ship_fedex_uk\",\"item_ids\":[\"li_1\"]}]}");
        assertThat(unknown.status()).as("an option this session was not offered").isEqualTo(400);

        final JsonNode done = acp.complete(id, "tok_sandbox_success").json();
        assertThat(done.path("status").asText()).isEqualTo("completed");
        final JsonNode order = api.expect(200, "GET", "/v1/orders/" + done.path("order").path("id").asText() +
            "?channel=shop", null);
        final JsonNode delivery = order.path("shipments").get(0).path("delivery");
        assertThat(delivery.path("carrier").asText()).isEqualTo("fedex");
        assertThat(delivery.path("service").asText()).isEqualTo("economy");
        assertThat(Instant.parse(delivery.path("earliest").asText()))
            .isEqualTo(Instant.parse(economy.path("earliest_delivery_time").asText()));
        assertThat(Instant.parse(delivery.path("latest").asText()))
            .isEqualTo(Instant.parse(economy.path("latest_delivery_time").asText()));
    }

    @Test
    void aCartNoOneServiceReachesShipsByEachLocationsFastestService()
    {
        api.expect(200, "PUT", "/v1/locations/nyc", "{\"name\":\"New York\",\"timezone\":\"America/New_York\"," +
            "\"country\":\"US\",\"priority\":2,\"cutoff\":\"14:00\",\"handling_days\":0,\"working_days\":" +
            WEEKDAYS + "}");
        api.expect(200, "PUT", "/v1/carriers/usps", "{\"name\":\"USPS\",\"services\":[{\"id\":\"priority\"," +
            "\"name\":\"Priority\",\"working_days\":" + WEEKDAYS + ",\"zones\":[{\"location\":\"nyc\"," +
            "\"country\":\"US\",\"min_transit_days\":2,\"max_transit_days\":3}]}]}");
        api.defineSku("lace", 300);
        api.receive("lace", "nyc", 5);
        final JsonNode session = acp.create("{\"currency\":\"usd\",\"capabilities\":{}," +
            "\"line_items\":[{\"id\":\"shoe\"},{\"id\":\"lace\"}]," +
            "\"fulfillment_details\":{\"address\":{\"name\":\"Ada\",\"line_one\":\"1 Main St\"," +
            "\"city\":\"Oakland\",\"state\":\"CA\",\"country\":\"US\",\"postal_code\":\"94607\"}}}");
        assertThat(session.path("status").asText()).as("%s", session).isEqualTo("ready_for_payment");
        final JsonNode options = session.path("fulfillment_options");
        assertThat(options).as("UPS reaches only oak, USPS only nyc: one option, each shipment by its own").hasSize(1);
        assertThat(options.get(0).path("id").asText()).isEqualTo("ship_mixed");

        final JsonNode done = acp.complete(session.path("id").asText(), "tok_sandbox_success").json();
        assertThat(done.path("status").asText()).isEqualTo("completed");
        final JsonNode shipments = api.expect(200, "GET", "/v1/orders/" + done.path("order").path("id").asText() +
            "?channel=shop", null).path("shipments");
        assertThat(shipments).hasSize(2);
        final java.util.Set<String> carriers = new java.util.HashSet<>();
        shipments.forEach(shipment -> carriers.add(shipment.path("delivery").path("carrier").asText()));
        assertThat(carriers).containsExactlyInAnyOrder("ups", "usps");
        assertThat(Instant.parse(shipments.get(1).path("delivery").path("latest").asText()).toEpochMilli())
            .isLessThanOrEqualTo(Instant.parse(options.get(0).path("latest_delivery_time").asText()).toEpochMilli());
    }

    @Test
    void aPriceChangeAfterTheCheckoutDoesNotChangeWhatIsCharged()
    {
        final JsonNode offer = api.expect(200, "GET", "/v1/offers/shoe?channel=shop&qty=1", null);
        final String quoteId = offer.path("quote").path("id").asText();
        assertThat(quoteId).isNotEmpty();
        api.expect(200, "PUT", "/v1/skus/shoe/prices", "{\"base\":{\"amount\":6500,\"currency\":\"USD\"}}");
        final JsonNode fromQuote = acp.create("{\"currency\":\"usd\",\"capabilities\":{},\"quote_id\":\"" + quoteId +
            "\",\"line_items\":[{\"id\":\"shoe\"}],\"fulfillment_details\":{\"address\":{\"name\":\"Ada\"," +
            "\"line_one\":\"1 Main St\",\"city\":\"Oakland\",\"state\":\"CA\",\"country\":\"US\"," +
            "\"postal_code\":\"94607\"}}}");
        assertThat(fromQuote.path("line_items").get(0).path("unit_amount").asLong())
            .as("the offer's quote holds its price").isEqualTo(5000);
        final JsonNode current = acp.create(createBody("shoe", 1, "US", "94607"));
        assertThat(current.path("line_items").get(0).path("unit_amount").asLong()).isEqualTo(6500);

        api.expect(200, "PUT", "/v1/skus/shoe/prices", "{\"base\":{\"amount\":9900,\"currency\":\"USD\"}}");
        for (final JsonNode session : new JsonNode[] {fromQuote, current})
        {
            final JsonNode done = acp.complete(session.path("id").asText(), "tok_sandbox_success").json();
            assertThat(done.path("status").asText()).isEqualTo("completed");
            final long shown = session.path("line_items").get(0).path("unit_amount").asLong();
            assertThat(total(done, "total")).isEqualTo(shown);
            final JsonNode order = api.expect(200, "GET", "/v1/orders/" + done.path("order").path("id").asText() +
                "?channel=shop", null);
            assertThat(order.path("lines").get(0).path("price").path("amount").asLong())
                .as("the order's price is the one the checkout showed").isEqualTo(shown);
        }
    }

    @Test
    void aDeclinedPaymentKeepsTheHoldAndTheSessionPayable()
    {
        final JsonNode session = acp.create(createBody("shoe", 3, "US", "94607"));
        final String id = session.path("id").asText();
        final ApiHarness.Reply declined = acp.complete(id, "tok_sandbox_decline");
        assertThat(declined.status()).isEqualTo(200);
        assertThat(declined.json().path("status").asText()).isEqualTo("ready_for_payment");
        assertThat(declined.json().path("messages").get(0).path("code").asText()).isEqualTo("payment_declined");
        assertThat(declined.json().has("order")).isFalse();
        assertThat(api.available("shoe", "shop")).as("still held").isEqualTo(7);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();

        final ApiHarness.Reply paid = acp.complete(id, "tok_sandbox_success");
        assertThat(paid.json().path("status").asText()).isEqualTo("completed");
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(3);
    }

    @Test
    void outOfStockAndUndeliverableAreMessagesWithNothingHeld()
    {
        final long before = api.available("shoe", "shop");
        final JsonNode tooMany = acp.create(createBody("shoe", 11, "US", "94607"));
        assertThat(tooMany.path("status").asText()).isEqualTo("not_ready_for_payment");
        assertThat(tooMany.path("messages").get(0).path("code").asText()).isEqualTo("out_of_stock");
        assertThat(tooMany.path("line_items").get(0).path("availability_status").asText()).isEqualTo("out_of_stock");
        final JsonNode abroad = acp.create(createBody("shoe", 1, "FR", "75001"));
        assertThat(abroad.path("status").asText()).isEqualTo("not_ready_for_payment");
        assertThat(abroad.path("messages").toString()).contains("region_restricted");
        assertThat(abroad.path("fulfillment_options")).isEmpty();
        assertThat(api.available("shoe", "shop")).as("neither session holds anything").isEqualTo(before);

        final JsonNode notPaid = acp.complete(tooMany.path("id").asText(), "tok_sandbox_success").json();
        assertThat(notPaid.path("status").asText()).isEqualTo("not_ready_for_payment");
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();

        final JsonNode cancelled = acp.post("/acp/checkout_sessions/" + abroad.path("id").asText() + "/cancel", null)
            .json();
        assertThat(cancelled.path("status").asText()).isEqualTo("canceled");
        assertThat(api.available("shoe", "shop")).isEqualTo(before);
    }

    @Test
    void anUpdateWithAnAddressMakesASessionPayable()
    {
        final JsonNode session = acp.create("{\"currency\":\"usd\",\"capabilities\":{}," +
            "\"line_items\":[{\"id\":\"shoe\"},{\"id\":\"shoe\"}]}");
        assertThat(session.path("status").asText()).isEqualTo("not_ready_for_payment");
        assertThat(session.path("line_items").get(0).path("quantity").asLong()).as("an item twice is two units")
            .isEqualTo(2);
        assertThat(session.path("messages").get(0).path("code").asText()).isEqualTo("missing");
        final String id = session.path("id").asText();
        clock.update(NOW + 600_000);
        final JsonNode updated = acp.post("/acp/checkout_sessions/" + id, "{\"fulfillment_details\":{\"address\":" +
            "{\"name\":\"Ada\",\"line_one\":\"1 Main St\",\"city\":\"Oakland\",\"state\":\"CA\",\"country\":\"US\"," +
            "\"postal_code\":\"94607\"}}}").json();
        assertThat(updated.path("status").asText()).isEqualTo("ready_for_payment");
        assertThat(Instant.parse(updated.path("expires_at").asText()).toEpochMilli())
            .as("the hold is extended by the update").isEqualTo(NOW + 600_000 + 900_000);
        assertThat(api.available("shoe", "shop")).isEqualTo(8);
    }

    @Test
    void anExpiredSessionAnswersExpiredAndReleasesItsUnits()
    {
        final JsonNode session = acp.create(createBody("shoe", 4, "US", "94607"));
        final String id = session.path("id").asText();
        assertThat(api.available("shoe", "shop")).isEqualTo(6);
        clock.update(NOW + 900_000);
        final JsonNode expired = acp.get("/acp/checkout_sessions/" + id).json();
        assertThat(expired.path("status").asText()).isEqualTo("expired");
        final ApiHarness.Reply complete = acp.complete(id, "tok_sandbox_success");
        assertThat(complete.status()).isEqualTo(410);
        assertThat(complete.json().path("code").asText()).isEqualTo("session_expired");
        ApiHarness.pollUntil(() -> api.send("GET", "/v1/availability/shoe?channel=shop", null),
            reply -> reply.json().path("available").asLong() == 10, "the expired hold to be released");
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();
    }

    @Test
    void anExpiredQuoteIsNotChargedAndAnUpdateRequotes()
    {
        final JsonNode session = acp.create(createBody("shoe", 1, "US", "94607"));
        final String id = session.path("id").asText();
        clock.update(NOW + 600_000);
        final JsonNode stale = acp.complete(id, "tok_sandbox_success").json();
        assertThat(stale.path("status").asText()).isEqualTo("not_ready_for_payment");
        assertThat(stale.path("messages").get(0).path("code").asText()).isEqualTo("expired");
        assertThat(stale.has("order")).isFalse();
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();

        assertThat(acp.post("/acp/checkout_sessions/" + id, "{}").json().path("status").asText())
            .isEqualTo("ready_for_payment");
        assertThat(acp.complete(id, "tok_sandbox_success").json().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void anExpiredOfferQuoteIsRefused()
    {
        final String quoteId = api.expect(200, "GET", "/v1/offers/shoe?channel=shop&qty=1", null).path("quote")
            .path("id").asText();
        clock.update(NOW + 600_000);
        final long sequence = api.sequence();
        final ApiHarness.Reply reply = acp.post("/acp/checkout_sessions", "{\"currency\":\"usd\"," +
            "\"capabilities\":{},\"quote_id\":\"" + quoteId + "\",\"line_items\":[{\"id\":\"shoe\"}]}");
        assertThat(reply.status()).isEqualTo(410);
        assertThat(reply.json().path("code").asText()).isEqualTo("quote_expired");
        assertThat(api.sequence()).isEqualTo(sequence);
    }

    @Test
    void idempotencyReplaysConflictsAndRequiresKeys()
    {
        final String body = createBody("shoe", 1, "US", "94607");
        final ApiHarness.Reply first = acp.post("/acp/checkout_sessions", body, "key-1");
        assertThat(first.status()).isEqualTo(201);
        final ApiHarness.Reply again = acp.post("/acp/checkout_sessions", body, "key-1");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.replayed()).isTrue();
        assertThat(again.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertThat(api.available("shoe", "shop")).as("one hold, not two").isEqualTo(9);

        final ApiHarness.Reply conflict = acp.post("/acp/checkout_sessions", createBody("shoe", 2, "US", "94607"),
            "key-1");
        assertThat(conflict.status()).isEqualTo(422);
        assertThat(conflict.json().path("code").asText()).isEqualTo("idempotency_conflict");

        final ApiHarness.Reply missing = acp.post("/acp/checkout_sessions", body, null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("code").asText()).isEqualTo("idempotency_key_required");

        final ApiHarness.Reply noVersion = acp.raw("POST", "/acp/checkout_sessions", body, "Idempotency-Key", "k2");
        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.json().path("supported_versions").get(0).asText()).isEqualTo("2026-04-17");
        final ApiHarness.Reply oldVersion = acp.raw("POST", "/acp/checkout_sessions", body, "Idempotency-Key", "k3",
            "API-Version", "2025-09-29");
        assertThat(oldVersion.status()).isEqualTo(400);
        assertThat(oldVersion.json().path("code").asText()).isEqualTo("unsupported_api_version");
        assertThat(api.available("shoe", "shop")).isEqualTo(9);
    }

    @Test
    void sessionsAndIdempotencySurviveARestart() throws Exception
    {
        final String body = createBody("shoe", 2, "US", "94607");
        final ApiHarness.Reply created = acp.post("/acp/checkout_sessions", body, "restart-key");
        final String id = created.json().path("id").asText();
        final ApiHarness.Reply declined = acp.post("/acp/checkout_sessions/" + id + "/complete",
            AcpClient.completeBody("tok_sandbox_decline"), "pay-1");
        assertThat(declined.json().path("messages").get(0).path("code").asText()).isEqualTo("payment_declined");

        api.restart();

        final ApiHarness.Reply replay = acp.post("/acp/checkout_sessions", body, "restart-key");
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.json().path("id").asText()).isEqualTo(id);
        assertThat(acp.get("/acp/checkout_sessions/" + id).json().path("status").asText())
            .isEqualTo("ready_for_payment");
        assertThat(api.available("shoe", "shop")).as("the hold survived too").isEqualTo(8);
        final ApiHarness.Reply paid = acp.post("/acp/checkout_sessions/" + id + "/complete",
            AcpClient.completeBody("tok_sandbox_success"), "pay-2");
        assertThat(paid.json().path("status").asText()).isEqualTo("completed");
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(2);
    }

    @Test
    void anotherKeyCannotSeeTheSession()
    {
        final String id = acp.create(createBody("shoe", 1, "US", "94607")).path("id").asText();
        final AcpClient other = acp.as(api.createKey("agent"));
        assertThat(other.get("/acp/checkout_sessions/" + id).status()).isEqualTo(404);
        assertThat(other.complete(id, "tok_sandbox_success").status()).isEqualTo(404);
        assertThat(acp.as(null).get("/acp/checkout_sessions/" + id).status()).isEqualTo(401);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();
    }

    @Test
    void aKeyOverItsWriteLimitGetsACheckoutErrorWithRetryAfterAndNothingIsHeld()
    {
        final String key = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\",\"rate_limit\":" +
            "{\"reads_per_second\":100,\"read_burst\":100,\"writes_per_second\":1,\"write_burst\":1}}")
            .path("key").asText();
        final AcpClient limited = acp.as(key);
        assertThat(limited.post("/acp/checkout_sessions", createBody("shoe", 1, "US", "94607")).status())
            .isEqualTo(201);
        final ApiHarness.Reply refused = limited.post("/acp/checkout_sessions", createBody("shoe", 1, "US", "94607"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("code").asText()).isEqualTo("rate_limited");
        assertThat(refused.json().path("type").asText()).isEqualTo("invalid_request");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
            seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).as("only the first checkout holds")
            .isEqualTo(1);
        assertThat(limited.get("/acp/checkout_sessions/none").status()).as("reads are counted apart").isEqualTo(404);
    }

    static long total(final JsonNode session, final String type)
    {
        for (final JsonNode total : session.path("totals"))
        {
            if (total.path("type").asText().equals(type))
            {
                return total.path("amount").asLong();
            }
        }
        throw new AssertionError("no total " + type + " in " + session);
    }
}
