package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.UUID;

import static io.truestock.gateway.api.UcpClient.checkoutBody;
import static io.truestock.gateway.api.UcpClient.completeBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * UCP 2026-04-08 through the real server, as an agent key: discovery, the catalog, checkouts from create to order
 * with the sandbox handler, the business outcomes answered as 200 with messages, idempotency and restart, and bad
 * requests that change nothing. Every answer is checked against the published schemas (see {@link UcpClient}).
 */
class UcpCheckoutApiTest
{
    private final CachedEpochClock clock = new CachedEpochClock();

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config ->
    {
        clock.update(AcpCheckoutApiTest.NOW);
        config.clock(clock).quoteTtlSeconds(600);
        config.checkout().sandbox(true).sessionTtlSeconds(900);
    });

    private UcpClient ucp;

    @BeforeEach
    void catalog()
    {
        AcpCheckoutApiTest.catalog(api, 10);
        api.expect(200, "PUT", "/v1/skus/shoe", "{\"title\":\"Trail Shoe Black\",\"price\":{\"amount\":5000," +
            "\"currency\":\"USD\"}}");
        ucp = new UcpClient(api, api.createKey("agent"));
    }

    private JsonNode create(final String body)
    {
        final ApiHarness.Reply reply = ucp.send("POST", "/ucp/checkout-sessions", body);
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(201);
        return reply.json();
    }

    private static long total(final JsonNode checkout, final String type)
    {
        long found = -1;
        int count = 0;
        for (final JsonNode total : checkout.path("totals"))
        {
            if (total.path("type").asText().equals(type))
            {
                found = total.path("amount").asLong();
                count++;
            }
        }
        assertThat(count).as("one %s in %s", type, checkout.path("totals")).isEqualTo(1);
        return found;
    }

    private static JsonNode message(final JsonNode body, final String code)
    {
        for (final JsonNode message : body.path("messages"))
        {
            if (message.path("code").asText().equals(code))
            {
                return message;
            }
        }
        throw new AssertionError("no message " + code + " in " + body);
    }

    @Test
    void theSchemaChecksCanFail()
    {
        Assumptions.assumeTrue(UcpSchemas.present(), "UCP schemas are not beside the repository");
        final JsonNode checkout = create(checkoutBody("shoe", 1, "US", "94607"));
        final ObjectNode broken = checkout.deepCopy();
        broken.put("status", "paid");
        broken.withArray("totals").add(broken.path("totals").get(0).deepCopy());
        assertThat(UcpSchemas.problems(UcpSchemas.CHECKOUT, broken.toString())).hasSizeGreaterThanOrEqualTo(2);
        final ObjectNode profile = ucp.discovery().json().deepCopy();
        ((ObjectNode)profile.path("ucp")).put("version", "April 2026");
        assertThat(UcpSchemas.problems(UcpSchemas.PROFILE, profile.toString())).isNotEmpty();
    }

    @Test
    void discoveryProfileNamesTheServicesCapabilitiesAndTheSandboxHandler()
    {
        final ApiHarness.Reply reply = ucp.discovery();
        assertThat(reply.status()).isEqualTo(200);
        final JsonNode profile = reply.json().path("ucp");
        assertThat(profile.path("version").asText()).isEqualTo("2026-04-08");
        final JsonNode services = profile.path("services").path("dev.ucp.shopping");
        assertThat(services.findValuesAsText("transport")).containsExactly("rest", "mcp");
        assertThat(services.get(0).path("endpoint").asText()).endsWith("/ucp");
        assertThat(services.get(1).path("endpoint").asText()).endsWith("/mcp");
        assertThat(profile.path("capabilities").has("dev.ucp.shopping.checkout")).isTrue();
        assertThat(profile.path("capabilities").path("dev.ucp.shopping.fulfillment").get(0).path("extends").asText())
            .isEqualTo("dev.ucp.shopping.checkout");
        final JsonNode sandbox = profile.path("payment_handlers").path("dev.truestock.sandbox").get(0);
        assertThat(sandbox.path("id").asText()).isEqualTo("sandbox");
        assertThat(sandbox.path("config").path("environment").asText()).isEqualTo("sandbox");
    }

    @Test
    void catalogSearchLookupAndProductAnswerTitlePriceAndAvailability()
    {
        api.defineSku("sock", 900);
        final JsonNode found = ucp.catalog("search", "{\"query\":\"trail bla\"}").json();
        assertThat(found.path("products")).hasSize(1);
        final JsonNode variant = found.path("products").get(0).path("variants").get(0);
        assertThat(variant.path("id").asText()).isEqualTo("shoe");
        assertThat(variant.path("title").asText()).isEqualTo("Trail Shoe Black");
        assertThat(variant.path("price").path("amount").asLong()).isEqualTo(5000);
        assertThat(variant.path("price").path("currency").asText()).isEqualTo("USD");
        assertThat(variant.path("availability").path("status").asText()).isEqualTo("in_stock");
        assertThat(variant.path("metadata").path("available_quantity").asLong()).isEqualTo(10);
        assertThat(ucp.catalog("search", "{\"query\":\"nothing-like-it\"}").json().path("products")).isEmpty();
        assertThat(ucp.catalog("search", "{\"query\":\"s\",\"pagination\":{\"limit\":1}}").json().path("products"))
            .as("bounded by the page size").hasSize(1);

        final JsonNode looked = ucp.catalog("lookup", "{\"ids\":[\"sock\",\"nope\",\"shoe\"]}").json();
        assertThat(looked.path("products").findValuesAsText("handle")).containsExactly("sock", "shoe");
        final JsonNode sock = looked.path("products").get(0).path("variants").get(0);
        assertThat(sock.path("availability").path("status").asText()).isEqualTo("out_of_stock");
        assertThat(sock.path("inputs").get(0).path("id").asText()).isEqualTo("sock");
        assertThat(message(looked, "not_found").path("path").asText()).isEqualTo("$.ids[1]");

        final JsonNode product = ucp.catalog("product", "{\"id\":\"shoe\"}").json();
        assertThat(product.path("product").path("title").asText()).isEqualTo("Trail Shoe Black");
        assertThat(product.path("product").path("price_range").path("min").path("amount").asLong()).isEqualTo(5000);
        final ApiHarness.Reply missing = ucp.catalog("product", "{\"id\":\"nope\"}");
        assertThat(missing.status()).isEqualTo(200);
        assertThat(message(missing.json(), "not_found")).isNotNull();

        final String otherChannel = "{\"query\":\"shoe\",\"context\":{\"channel\":\"elsewhere\"}}";
        assertThat(ucp.catalog("search", otherChannel).status()).isEqualTo(400);
    }

    @Test
    void createUpdateCompleteOrdersAtTheQuotedTerms()
    {
        final JsonNode created = create(checkoutBody("shoe", 1, null, null));
        assertThat(created.path("status").asText()).isEqualTo("incomplete");
        assertThat(api.available("shoe", "shop")).as("held without an address").isEqualTo(9);
        final String id = created.path("id").asText();

        final ApiHarness.Reply updated = ucp.send("PUT", "/ucp/checkout-sessions/" + id,
            checkoutBody("shoe", 2, "US", "94607"));
        assertThat(updated.status()).as("%s", updated.body()).isEqualTo(200);
        final JsonNode checkout = updated.json();
        assertThat(checkout.path("status").asText()).isEqualTo("ready_for_complete");
        assertThat(checkout.path("messages")).isEmpty();
        final JsonNode line = checkout.path("line_items").get(0);
        assertThat(line.path("item").path("id").asText()).isEqualTo("shoe");
        assertThat(line.path("item").path("price").asLong()).isEqualTo(5000);
        assertThat(line.path("quantity").asLong()).isEqualTo(2);
        final JsonNode option = checkout.path("fulfillment").path("methods").get(0).path("groups").get(0)
            .path("options").get(0);
        assertThat(option.path("carrier").asText()).isEqualTo("ups");
        assertThat(Instant.parse(option.path("earliest_fulfillment_time").asText()))
            .isEqualTo(Instant.parse("2026-03-05T08:00:00Z"));
        assertThat(total(checkout, "subtotal")).isEqualTo(10_000);
        assertThat(total(checkout, "total")).isEqualTo(10_000);
        assertThat(api.available("shoe", "shop")).isEqualTo(8);

        // The price list changes after the quote: the order keeps the price shown.
        api.expect(200, "PUT", "/v1/skus/shoe/prices", "{\"base\":{\"amount\":6500,\"currency\":\"USD\"}}");
        final ApiHarness.Reply completed = ucp.send("POST", "/ucp/checkout-sessions/" + id + "/complete",
            completeBody("tok_sandbox_success"));
        assertThat(completed.status()).as("%s", completed.body()).isEqualTo(200);
        assertThat(completed.json().path("status").asText()).isEqualTo("completed");
        final String orderId = completed.json().path("order").path("id").asText();
        final JsonNode order = api.expect(200, "GET", "/v1/orders/" + orderId + "?channel=shop", null);
        assertThat(order.path("lines").get(0).path("price").path("amount").asLong()).isEqualTo(5000);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(2);

        final JsonNode ucpOrder = ucp.get("/ucp/orders/" + orderId).json();
        assertThat(ucpOrder.path("checkout_id").asText()).isEqualTo(id);
        assertThat(ucpOrder.path("line_items").get(0).path("quantity").path("total").asLong()).isEqualTo(2);
        assertThat(total(ucpOrder, "total")).isEqualTo(10_000);
        assertThat(ucp.get("/ucp/checkout-sessions/" + id).json().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void aDeclinedPaymentIsPaymentFailedWithTheUnitsStillHeld()
    {
        final String id = create(checkoutBody("shoe", 3, "US", "94607")).path("id").asText();
        final ApiHarness.Reply declined = ucp.send("POST", "/ucp/checkout-sessions/" + id + "/complete",
            completeBody("tok_sandbox_decline"));
        assertThat(declined.status()).isEqualTo(200);
        assertThat(declined.json().path("status").asText()).isEqualTo("ready_for_complete");
        assertThat(message(declined.json(), "payment_failed").path("severity").asText()).isEqualTo("recoverable");
        assertThat(api.available("shoe", "shop")).isEqualTo(7);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();
        final ApiHarness.Reply paid = ucp.send("POST", "/ucp/checkout-sessions/" + id + "/complete",
            completeBody("tok_sandbox_success"));
        assertThat(paid.json().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void outOfStockAndAnUndeliverableAddressAre200MessagesThatHoldNothing()
    {
        final ApiHarness.Reply tooMany = ucp.send("POST", "/ucp/checkout-sessions",
            checkoutBody("shoe", 11, "US", "94607"));
        assertThat(tooMany.status()).isEqualTo(201);
        assertThat(tooMany.json().path("status").asText()).isEqualTo("incomplete");
        assertThat(message(tooMany.json(), "out_of_stock").path("path").asText()).isEqualTo("$.line_items[0]");
        assertThat(api.available("shoe", "shop")).isEqualTo(10);

        final ApiHarness.Reply abroad = ucp.send("POST", "/ucp/checkout-sessions",
            checkoutBody("shoe", 1, "FR", "75001"));
        assertThat(abroad.status()).isEqualTo(201);
        assertThat(abroad.json().path("status").asText()).isEqualTo("incomplete");
        assertThat(message(abroad.json(), "address_undeliverable")).isNotNull();
        assertThat(api.available("shoe", "shop")).isEqualTo(10);

        final ApiHarness.Reply unknown = ucp.send("POST", "/ucp/checkout-sessions",
            checkoutBody("no-such-sku", 1, "US", "94607"));
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(message(unknown.json(), "item_unavailable").path("path").asText()).isEqualTo("$.line_items[0]");

        final String id = abroad.json().path("id").asText();
        final ApiHarness.Reply notPayable = ucp.send("POST", "/ucp/checkout-sessions/" + id + "/complete",
            completeBody("tok_sandbox_success"));
        assertThat(notPayable.json().path("status").asText()).isEqualTo("incomplete");
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();
    }

    @Test
    void cancelReleasesTheUnitsOnce()
    {
        final String id = create(checkoutBody("shoe", 4, "US", "94607")).path("id").asText();
        assertThat(api.available("shoe", "shop")).isEqualTo(6);
        final ApiHarness.Reply canceled = ucp.send("POST", "/ucp/checkout-sessions/" + id + "/cancel", null);
        assertThat(canceled.status()).as("%s", canceled.body()).isEqualTo(200);
        assertThat(canceled.json().path("status").asText()).isEqualTo("canceled");
        assertThat(api.available("shoe", "shop")).isEqualTo(10);
        assertThat(ucp.send("POST", "/ucp/checkout-sessions/" + id + "/cancel", null).status()).isEqualTo(409);
        assertThat(ucp.send("POST", "/ucp/checkout-sessions/" + id + "/complete",
            completeBody("tok_sandbox_success")).status()).isEqualTo(409);
        assertThat(api.available("shoe", "shop")).isEqualTo(10);
    }

    @Test
    void aRepeatedKeyReplaysTheFirstAnswerAndAnotherBodyIsAConflict()
    {
        final String body = checkoutBody("shoe", 1, "US", "94607");
        final ApiHarness.Reply first = ucp.send("POST", "/ucp/checkout-sessions", body, "key-1");
        final ApiHarness.Reply again = ucp.send("POST", "/ucp/checkout-sessions", body, "key-1");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(api.available("shoe", "shop")).as("one hold").isEqualTo(9);
        final ApiHarness.Reply conflict = ucp.send("POST", "/ucp/checkout-sessions",
            checkoutBody("shoe", 2, "US", "94607"), "key-1");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().path("messages").get(0).path("code").asText()).isEqualTo("idempotency_conflict");
        assertThat(api.available("shoe", "shop")).isEqualTo(9);
    }

    @Test
    void sessionsAndIdempotencyRecordsSurviveARestart() throws Exception
    {
        final String body = checkoutBody("shoe", 2, "US", "94607");
        final JsonNode created = ucp.send("POST", "/ucp/checkout-sessions", body, "restart-key").json();
        final String id = created.path("id").asText();
        api.restart();
        final JsonNode read = ucp.get("/ucp/checkout-sessions/" + id).json();
        assertThat(read.path("status").asText()).isEqualTo("ready_for_complete");
        assertThat(read.path("line_items")).isEqualTo(created.path("line_items"));
        final ApiHarness.Reply replay = ucp.send("POST", "/ucp/checkout-sessions", body, "restart-key");
        assertThat(replay.json().path("id").asText()).isEqualTo(id);
        assertThat(ucp.send("POST", "/ucp/checkout-sessions/" + id + "/complete",
            completeBody("tok_sandbox_success")).json().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void aKeyOverItsWriteLimitGetsAUcpErrorWithRetryAfterAndNothingIsHeld()
    {
        final String key = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\",\"rate_limit\":" +
            "{\"reads_per_second\":100,\"read_burst\":100,\"writes_per_second\":1,\"write_burst\":1}}")
            .path("key").asText();
        final UcpClient limited = new UcpClient(api, key);
        assertThat(limited.send("POST", "/ucp/checkout-sessions", checkoutBody("shoe", 1, "US", "94607")).status())
            .isEqualTo(201);
        final ApiHarness.Reply refused = limited.send("POST", "/ucp/checkout-sessions",
            checkoutBody("shoe", 1, "US", "94607"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
            seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(refused.json().path("ucp").path("status").asText()).isEqualTo("error");
        assertThat(message(refused.json(), "rate_limited")).isNotNull();
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).as("only the first checkout holds")
            .isEqualTo(1);
    }

    @Test
    void anotherKeySeesNoSessionAndNoKeyIs401()
    {
        final String id = create(checkoutBody("shoe", 1, "US", "94607")).path("id").asText();
        final UcpClient other = new UcpClient(api, api.createKey("agent"));
        assertThat(other.get("/ucp/checkout-sessions/" + id).status()).isEqualTo(404);
        final ApiHarness.Reply anonymous = api.sendAs(null, "GET", "/ucp/checkout-sessions/" + id, null,
            "UCP-Agent", UcpClient.AGENT, "Request-Id", "r-1");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        UcpClient.validate("/ucp/checkout-sessions/" + id, anonymous);
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing()
    {
        final String id = create(checkoutBody("shoe", 1, "US", "94607")).path("id").asText();
        final long version = api.sequence();
        final String good = checkoutBody("shoe", 1, "US", "94607");
        final String rid = "Request-Id";
        final String key = "Idempotency-Key";
        final String agent = "UCP-Agent";
        final String[][] cases = {
            {"POST", "/ucp/checkout-sessions", good, rid, "r", key, "k1"},
            {"POST", "/ucp/checkout-sessions", good, agent, UcpClient.AGENT, key, "k2"},
            {"POST", "/ucp/checkout-sessions", good, agent, "somebody", rid, "r", key, "k3"},
            {"POST", "/ucp/checkout-sessions", good, agent, UcpClient.AGENT, rid, "r"},
            {"POST", "/ucp/checkout-sessions", "{\"line_items\":", agent, UcpClient.AGENT, rid, "r", key, "k4"},
            {"POST", "/ucp/checkout-sessions", "[]", agent, UcpClient.AGENT, rid, "r", key, "k5"},
            {"POST", "/ucp/checkout-sessions", "{\"line_items\":[{\"item\":{\"id\":\"shoe\"},\"quantity\":0}]}",
                agent, UcpClient.AGENT, rid, "r", key, "k6"},
            {"POST", "/ucp/checkout-sessions", "{\"line_items\":[{\"item\":{\"id\":\"shoe\"},\"quantity\":1}]," +
                "\"status\":\"completed\"}", agent, UcpClient.AGENT, rid, "r", key, "k7"},
            {"POST", "/ucp/checkout-sessions", "{\"line_items\":[{\"item\":{\"id\":\"shoe\",\"price\":1}," +
                "\"quantity\":1}]}", agent, UcpClient.AGENT, rid, "r", key, "k8"},
            {"POST", "/ucp/checkout-sessions", "{\"line_items\":[{\"item\":{\"id\":\"shoe\"},\"quantity\":1}]," +
                "\"fulfillment\":{\"methods\":[{\"type\":\"pickup\"}]}}", agent, UcpClient.AGENT, rid, "r", key, "k9"},
            {"POST", "/ucp/checkout-sessions/" + id + "/complete", "{\"payment\":{}}", agent, UcpClient.AGENT, rid,
                "r", key, "k10"},
            {"POST", "/ucp/checkout-sessions/" + id + "/complete", "{\"payment\":{\"instruments\":[{\"id\":\"a\"," +
                "\"handler_id\":\"sandbox\",\"type\":\"card\"}]}}", agent, UcpClient.AGENT, rid, "r", key, "k11"},
            {"PUT", "/ucp/checkout-sessions/" + id, "{\"line_items\":\"shoe\"}", agent, UcpClient.AGENT, rid, "r",
                key, "k12"},
            {"DELETE", "/ucp/checkout-sessions/" + id, null, agent, UcpClient.AGENT, rid, "r"},
            {"POST", "/ucp/catalog/search", "{\"query\":\"shoe\",\"filters\":{}}", agent, UcpClient.AGENT, rid, "r"},
            {"POST", "/ucp/catalog/lookup", "{\"ids\":[]}", agent, UcpClient.AGENT, rid, "r"},
        };
        for (final String[] c : cases)
        {
            final String[] headers = java.util.Arrays.copyOfRange(c, 3, c.length);
            final ApiHarness.Reply reply = ucp.raw(c[0], c[1], c[2], headers);
            assertThat(reply.status()).as("%s %s %s -> %s", c[0], c[1], c[2], reply.body()).isIn(400, 405);
            assertThat(reply.json().path("ucp").path("status").asText()).isEqualTo("error");
            assertThat(reply.json().path("messages").get(0).path("content").asText()).isNotEmpty();
        }
        assertThat(api.sequence()).as("no command reached the engine").isEqualTo(version);
        assertThat(api.available("shoe", "shop")).isEqualTo(9);
        final JsonNode session = ucp.get("/ucp/checkout-sessions/" + id).json();
        assertThat(session.path("status").asText()).isEqualTo("ready_for_complete");
        assertThat(session.path("line_items").get(0).path("quantity").asLong()).isEqualTo(1);
    }

    @Test
    void theRequestIdIsEchoed()
    {
        final String requestId = UUID.randomUUID().toString();
        final ApiHarness.Reply reply = ucp.raw("POST", "/ucp/catalog/search", "{\"query\":\"shoe\"}",
            "UCP-Agent", UcpClient.AGENT, "Request-Id", requestId);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Request-Id")).hasValue(requestId);
    }
}
