package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP endpoint through the real server, as an MCP client speaks to it: JSON-RPC 2.0 by POST on {@code /mcp}
 * with a bearer key (Streamable HTTP, revision 2025-11-25). Each tool answers what its HTTP resource answers; a
 * business refusal is a tool result with {@code isError} and the problem code; malformed messages get the JSON-RPC
 * error codes; and a refused or malformed call changes nothing.
 */
class McpApiTest
{
    /** 2026-03-04T10:00:00Z; the clock stands still unless a test moves it. */
    private static final long NOW = 1_772_618_400_000L;
    private static final String ACCEPT = "application/json, text/event-stream";
    private static final List<String> COMMERCE_TOOLS = List.of("get_offer", "check_availability", "search_catalog",
        "reserve", "confirm", "release", "get_order");

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AtomicLong ids = new AtomicLong();

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config ->
    {
        clock.update(NOW);
        config.clock(clock).mcpAllowedOrigins(List.of("https://console.example.com"));
    });

    // ---- the protocol ----

    @Test
    void initializeNegotiatesTheRevisionAndNotificationsAreAccepted()
    {
        final ApiHarness.Reply reply = post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":" +
            "\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":" +
            "{\"name\":\"test\",\"version\":\"1\"}}}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        final JsonNode response = reply.json();
        assertThat(response.path("id").asInt()).isEqualTo(1);
        final JsonNode result = response.path("result");
        assertThat(result.path("protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(result.path("serverInfo").path("name").asText()).isEqualTo("truestock");
        assertThat(result.path("capabilities").path("tools").isObject()).as(reply.body()).isTrue();
        assertThat(result.path("instructions").asText()).contains("get_offer");

        final ApiHarness.Reply initialized = post(ApiHarness.ADMIN_TOKEN,
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertThat(initialized.status()).isEqualTo(202);
        assertThat(initialized.body()).isEmpty();

        final ApiHarness.Reply ping = post(ApiHarness.ADMIN_TOKEN,
            "{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}");
        assertThat(ping.json().path("id").asText()).isEqualTo("p");
        assertThat(ping.json().path("result").isObject()).as(ping.body()).isTrue();
    }

    @Test
    void anOlderClientIsAnsweredInItsRevisionAndAnUnknownOneInTheLatest()
    {
        assertThat(initialize("2025-06-18").path("result").path("protocolVersion").asText()).isEqualTo("2025-06-18");
        assertThat(initialize("2024-01-01").path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
    }

    @Test
    void toolsListNamesEveryToolWithSchemasAndHints()
    {
        final JsonNode tools = rpc("tools/list", "{}").path("result").path("tools");
        final List<String> names = new ArrayList<>();
        for (final JsonNode tool : tools)
        {
            final String name = tool.path("name").asText();
            names.add(name);
            if (!COMMERCE_TOOLS.contains(name))
            {
                // The checkout protocols' tools answer in their protocols' shapes (CheckoutToolsApiTest).
                continue;
            }
            assertThat(tool.path("description").asText().length()).as(name).isGreaterThan(40);
            assertThat(tool.path("inputSchema").path("type").asText()).as(name).isEqualTo("object");
            assertThat(tool.path("inputSchema").path("properties").isObject()).as(name).isTrue();
            final JsonNode output = tool.path("outputSchema");
            assertThat(output.path("type").asText()).as(name).isEqualTo("object");
            assertThat(output.path("anyOf")).as("%s: its result or a refusal's problem", name).hasSize(2);
            assertThat(output.path("anyOf").get(1).path("$ref").asText()).as(name).isEqualTo("#/$defs/Problem");
            final boolean read = Map.of("get_offer", true, "check_availability", true, "search_catalog", true,
                "get_order", true).containsKey(name);
            assertThat(tool.path("annotations").path("readOnlyHint").asBoolean()).as(name).isEqualTo(read);
        }
        assertThat(names).contains("get_offer", "check_availability", "search_catalog", "reserve", "confirm",
            "release", "get_order");
        final JsonNode offer = tool(tools, "get_offer");
        assertThat(offer.path("inputSchema").path("required")).extracting(JsonNode::asText)
            .containsExactly("sku", "channel");
        final JsonNode defs = offer.path("outputSchema").path("$defs");
        assertThat(defs.path("Offer").path("properties").has("quote")).isTrue();
        assertThat(defs.has("Money")).as("self-contained").isTrue();
    }

    // ---- reads ----

    @Test
    void getOfferAnswersWhatGetOffersAnswers()
    {
        api.standardCatalog(7, "shoe");
        final JsonNode rest = api.expect(200, "GET", "/v1/offers/shoe?channel=shopify&qty=2", null);
        final JsonNode result = call("get_offer", "{\"sku\":\"shoe\",\"channel\":\"shopify\",\"qty\":2}");
        assertThat(result.path("isError").asBoolean()).as("%s", result).isFalse();
        final ObjectNode structured = (ObjectNode)result.path("structuredContent");
        assertThat(structured.path("quote").path("id").asText()).startsWith("q_");
        final ObjectNode same = (ObjectNode)rest.deepCopy();
        same.remove("quote");
        final ObjectNode withoutQuote = structured.deepCopy();
        withoutQuote.remove("quote");
        assertThat(withoutQuote).isEqualTo(same);
        assertThat(withoutQuote.path("available").asLong()).isEqualTo(7);
        assertThat(withoutQuote.path("price").path("amount").asLong()).isEqualTo(8999);
        assertThat(withoutQuote.path("delivery").isNull()).isTrue();
        assertThat(withoutQuote.path("delivery_reason").asText()).isEqualTo("no_destination");
        assertThat(ApiHarness.parse(result.path("content").get(0).path("text").asText())).isEqualTo(structured);
    }

    @Test
    void getOfferRefusalsAreToolErrorsWithTheProblemCode()
    {
        api.standardCatalog(7, "shoe");
        assertRefusal(call("get_offer", "{\"sku\":\"nope\",\"channel\":\"shopify\"}"), "not_found");
        assertRefusal(call("get_offer", "{\"sku\":\"shoe\",\"channel\":\"nope\"}"), "not_found");
        assertThat(assertRefusal(call("get_offer", "{\"sku\":\"shoe\",\"channel\":\"shopify\",\"qty\":0}"),
            "invalid_request").path("param").asText()).isEqualTo("$.qty");
        assertThat(assertRefusal(call("get_offer", "{\"sku\":\"shoe\",\"channel\":\"shopify\",\"color\":\"red\"}"),
            "invalid_request").path("param").asText()).isEqualTo("$.color");
        assertThat(assertRefusal(call("get_offer", "{\"sku\":\"shoe\",\"channel\":\"shopify\",\"postal_code\":\"1\"}"),
            "invalid_request").path("detail").asText()).contains("country");
        assertRefusal(call("get_offer", "{\"channel\":\"shopify\"}"), "invalid_request");
    }

    @Test
    void checkAvailabilityAnswersEachSkuInOrder()
    {
        api.standardCatalog(5, "a", "b");
        api.receive("b", "oak", 3);
        final JsonNode structured = success(call("check_availability",
            "{\"channel\":\"amazon\",\"skus\":[\"b\",\"a\"]}"));
        assertThat(structured.path("channel").asText()).isEqualTo("amazon");
        assertThat(structured.path("items").get(0).path("sku").asText()).isEqualTo("b");
        assertThat(structured.path("items").get(0).path("available").asLong()).isEqualTo(8);
        assertThat(structured.path("items").get(1).path("available").asLong()).isEqualTo(5);
        assertThat(structured.path("version").asLong()).isPositive();

        assertRefusal(call("check_availability", "{\"channel\":\"amazon\",\"skus\":[\"a\",\"zz\"]}"), "not_found");
        assertRefusal(call("check_availability", "{\"channel\":\"amazon\",\"skus\":[]}"), "invalid_request");
        assertThat(assertRefusal(call("check_availability", "{\"channel\":\"amazon\",\"skus\":[\"a,b\"]}"),
            "invalid_request").path("param").asText()).isEqualTo("$.skus[0]");
        final StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 101; i++)
        {
            many.append(i == 0 ? "" : ",").append("\"a\"");
        }
        assertRefusal(call("check_availability", "{\"channel\":\"amazon\",\"skus\":" + many + "]}"),
            "invalid_request");
    }

    @Test
    void searchCatalogFindsSkusByWordsOfTitleAndIdAndFollowsRetitles()
    {
        api.standardCatalog(0);
        title("trail-shoe-black-m", "Trail Running Shoe, Black, M");
        title("trail-shoe-blue-m", "Trail Running Shoe, Blue, M");
        title("sku-7", "Rain Jacket");
        api.receive("trail-shoe-blue-m", "oak", 40);

        final JsonNode items = success(call("search_catalog", "{\"query\":\"trail sho\",\"channel\":\"shopify\"}"))
            .path("items");
        assertThat(skus(items)).containsExactlyInAnyOrder("trail-shoe-black-m", "trail-shoe-blue-m");
        final JsonNode blue = items.get(skus(items).indexOf("trail-shoe-blue-m"));
        assertThat(blue.path("title").asText()).isEqualTo("Trail Running Shoe, Blue, M");
        assertThat(blue.path("available").asLong()).isEqualTo(40);
        assertThat(blue.path("status").asText()).isEqualTo("in_stock");
        assertThat(blue.path("price").path("amount").asLong()).isEqualTo(8999);
        assertThat(items.get(skus(items).indexOf("trail-shoe-black-m")).path("status").asText())
            .isEqualTo("out_of_stock");

        assertThat(skus(success(call("search_catalog", "{\"query\":\"BLUE shoe\",\"channel\":\"shopify\"}"))
            .path("items"))).containsExactly("trail-shoe-blue-m");
        assertThat(skus(success(call("search_catalog", "{\"query\":\"jacket\",\"channel\":\"shopify\"}"))
            .path("items"))).containsExactly("sku-7");
        assertThat(success(call("search_catalog", "{\"query\":\"parka\",\"channel\":\"shopify\"}"))
            .path("items")).isEmpty();
        assertThat(success(call("search_catalog", "{\"query\":\"trail\",\"channel\":\"shopify\",\"limit\":1}"))
            .path("items")).hasSize(1);

        title("sku-7", "Storm Parka");
        assertThat(success(call("search_catalog", "{\"query\":\"jacket\",\"channel\":\"shopify\"}"))
            .path("items")).as("the words a new title dropped").isEmpty();
        assertThat(skus(success(call("search_catalog", "{\"query\":\"parka\",\"channel\":\"shopify\"}"))
            .path("items"))).containsExactly("sku-7");

        assertRefusal(call("search_catalog", "{\"query\":\"shoe\",\"channel\":\"nope\"}"), "not_found");
        assertRefusal(call("search_catalog", "{\"query\":\"!!\",\"channel\":\"shopify\"}"), "invalid_request");
        assertRefusal(call("search_catalog", "{\"query\":\"shoe\",\"channel\":\"shopify\",\"limit\":51}"),
            "invalid_request");
    }

    @Test
    void theIndexIsRebuiltAfterARestart() throws Exception
    {
        api.standardCatalog(0);
        title("rain-jacket", "Rain Jacket");
        api.restart();
        assertThat(skus(success(call("search_catalog", "{\"query\":\"rain\",\"channel\":\"shopify\"}"))
            .path("items"))).containsExactly("rain-jacket");
    }

    // ---- commands ----

    @Test
    void anAgentReservesAndConfirmsAtTheQuotedPriceThenReadsItsOrder()
    {
        api.standardCatalog(10, "shoe");
        final String agent = api.createKey("agent");
        final String quote = success(callAs(agent, "get_offer", "{\"sku\":\"shoe\",\"channel\":\"shopify\",\"qty\":2}"))
            .path("quote").path("id").asText();
        api.expect(200, "PUT", "/v1/skus/shoe/prices", "{\"base\":{\"amount\":9999,\"currency\":\"USD\"}}");

        final JsonNode reservation = success(callAs(agent, "reserve",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":2}],\"ttl_seconds\":600}"));
        assertThat(reservation.path("status").asText()).isEqualTo("held");
        final String id = reservation.path("id").asText();
        assertThat(api.available("shoe", "shopify")).isEqualTo(8);

        final JsonNode order = success(callAs(agent, "confirm", "{\"reservation_id\":\"" + id +
            "\",\"order_id\":\"o-1\",\"quote_ids\":[\"" + quote + "\"],\"destination\":{\"country\":\"US\"}}"));
        assertThat(order.path("status").asText()).isEqualTo("confirmed");
        assertThat(order.path("lines").get(0).path("price").path("amount").asLong()).as("the quoted price")
            .isEqualTo(8999);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(2);

        final JsonNode read = success(callAs(agent, "get_order", "{\"channel\":\"shopify\",\"order_id\":\"o-1\"}"));
        assertThat(read.path("order_id").asText()).isEqualTo("o-1");
        assertThat(read.path("reservation_id").asText()).isEqualTo(id);
        assertRefusal(callAs(agent, "get_order", "{\"channel\":\"shopify\",\"order_id\":\"o-2\"}"), "not_found");
    }

    @Test
    void outOfStockIsARefusalThatHoldsNothing()
    {
        api.standardCatalog(3, "shoe");
        final JsonNode before = api.stateOf("shoe");
        final JsonNode problem = assertRefusal(call("reserve",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":5}]}"), "out_of_stock");
        assertThat(problem.path("lines").get(0).path("available").asLong()).isEqualTo(3);
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(assertRefusal(call("reserve", "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":0}]}"),
            "invalid_request").path("param").asText()).isEqualTo("$.lines[0].qty");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void anExpiredQuoteIsRefusedAndNothingIsCommitted()
    {
        api.standardCatalog(10, "shoe");
        final String quote = success(call("get_offer", "{\"sku\":\"shoe\",\"channel\":\"shopify\"}"))
            .path("quote").path("id").asText();
        final String id = success(call("reserve",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}],\"ttl_seconds\":3600}"))
            .path("id").asText();
        clock.update(NOW + 901_000);
        final JsonNode before = api.stateOf("shoe");
        assertRefusal(call("confirm", "{\"reservation_id\":\"" + id + "\",\"order_id\":\"o-1\",\"quote_ids\":[\"" +
            quote + "\"]}"), "quote_expired");
        assertRefusal(call("confirm", "{\"reservation_id\":\"" + id + "\",\"order_id\":\"o-1\",\"quote_ids\":[\"" +
            "q_forged\"]}"), "invalid_request");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.reservationStatus(id)).isEqualTo("held");
    }

    @Test
    void releaseGivesTheUnitsBackOnce()
    {
        api.standardCatalog(4, "shoe");
        final String id = success(call("reserve", "{\"channel\":\"amazon\",\"lines\":[{\"sku\":\"shoe\",\"qty\":4}]}"))
            .path("id").asText();
        assertThat(api.available("shoe", "amazon")).isZero();
        final JsonNode released = success(call("release", "{\"reservation_id\":\"" + id + "\"}"));
        assertThat(released.path("status").asText()).isEqualTo("released");
        assertThat(api.available("shoe", "amazon")).isEqualTo(4);
        assertRefusal(call("release", "{\"reservation_id\":\"" + id + "\"}"), "conflict");
        assertRefusal(call("release", "{\"reservation_id\":\"r-999\"}"), "not_found");
        assertRefusal(call("release", "{\"reservation_id\":\"bogus\"}"), "not_found");
        assertRefusal(call("confirm", "{\"reservation_id\":\"" + id + "\",\"order_id\":\"o-1\"}"), "conflict");
    }

    @Test
    void scopesAreTheHttpApisOwn()
    {
        api.standardCatalog(4, "shoe");
        final String amazonKey = api.createKey("channel:amazon");
        final JsonNode before = api.stateOf("shoe");
        assertRefusal(callAs(amazonKey, "reserve",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}"), "forbidden");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        final String id = success(call("reserve", "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}"))
            .path("id").asText();
        assertRefusal(callAs(amazonKey, "release", "{\"reservation_id\":\"" + id + "\"}"), "forbidden");
        assertThat(api.reservationStatus(id)).isEqualTo("held");
    }

    // ---- the transport's refusals ----

    @Test
    void aMissingOrUnknownKeyIs401WithABearerChallenge()
    {
        for (final String token : new String[] {null, "not-a-key"})
        {
            final ApiHarness.Reply reply = post(token, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        }
    }

    @Test
    void aKeyOverItsRateLimitGets429WithAJsonRpcErrorAndRetryAfter()
    {
        final String key = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\",\"rate_limit\":" +
            "{\"reads_per_second\":1,\"read_burst\":1,\"writes_per_second\":100,\"write_burst\":100}}")
            .path("key").asText();
        final String list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        assertThat(post(key, list).status()).isEqualTo(200);
        final ApiHarness.Reply limited = post(key, list);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
            seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        final JsonNode error = ApiHarness.parse(limited.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(-32029);
        assertThat(error.path("message").asText()).startsWith("rate_limited");
        assertThat(post(ApiHarness.ADMIN_TOKEN, list).status()).as("another key is not held back").isEqualTo(200);
    }

    @Test
    void aToolThatWritesSpendsAWriteAndEveryOtherMessageARead()
    {
        api.standardCatalog(10, "shoe");
        final String key = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\",\"rate_limit\":" +
            "{\"reads_per_second\":100,\"read_burst\":100,\"writes_per_second\":1,\"write_burst\":1}}")
            .path("key").asText();
        final String reserve = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":" +
            "\"reserve\",\"arguments\":{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}}}";
        assertThat(post(key, reserve).status()).isEqualTo(200);
        final long availableAfterOne = api.available("shoe", "shopify");
        final ApiHarness.Reply limited = post(key, reserve);
        assertThat(limited.status()).as("the second reserve is the second write").isEqualTo(429);
        assertThat(ApiHarness.parse(limited.body()).path("error").path("message").asText())
            .startsWith("rate_limited").contains("writes");
        assertThat(api.available("shoe", "shopify")).as("the refused call reserved nothing")
            .isEqualTo(availableAfterOne);
        for (int i = 0; i < 5; i++)
        {
            success(callAs(key, "get_offer", "{\"sku\":\"shoe\",\"channel\":\"shopify\"}"));
            assertThat(post(key, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").status())
                .as("reads are counted apart from writes").isEqualTo(200);
        }
    }

    @Test
    void aForeignOriginIs403AndALoopbackOrConfiguredOneIsServed()
    {
        final String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        assertThat(post(ApiHarness.ADMIN_TOKEN, body, "Origin", "http://evil.example").status()).isEqualTo(403);
        assertThat(post(ApiHarness.ADMIN_TOKEN, body, "Origin", "http://localhost.evil.example").status())
            .isEqualTo(403);
        assertThat(post(ApiHarness.ADMIN_TOKEN, body, "Origin", "http://localhost:6274").status()).isEqualTo(200);
        assertThat(post(ApiHarness.ADMIN_TOKEN, body, "Origin", "http://127.0.0.1").status()).isEqualTo(200);
        assertThat(post(ApiHarness.ADMIN_TOKEN, body, "Origin", "https://console.example.com").status())
            .as("configured").isEqualTo(200);
        assertThat(post(ApiHarness.ADMIN_TOKEN, body, "Origin", "https://console.example.com:8443").status())
            .as("another port of a configured origin").isEqualTo(403);
    }

    @Test
    void getAndDeleteAre405()
    {
        for (final String method : new String[] {"GET", "DELETE"})
        {
            final ApiHarness.Reply reply = api.sendAs(ApiHarness.ADMIN_TOKEN, method, "/mcp", null, "Accept", ACCEPT);
            assertThat(reply.status()).as(method).isEqualTo(405);
            assertThat(reply.headers().firstValue("Allow").orElse("")).isEqualTo("POST");
        }
    }

    @Test
    void headersTheTransportNeeds()
    {
        final String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        assertThat(api.sendAs(ApiHarness.ADMIN_TOKEN, "POST", "/mcp", body, "Accept", "application/json").status())
            .isEqualTo(406);
        assertThat(api.sendAs(ApiHarness.ADMIN_TOKEN, "POST", "/mcp", body, "Accept", ACCEPT,
            "MCP-Protocol-Version", "1999-01-01").status()).isEqualTo(400);
        assertThat(api.sendAs(ApiHarness.ADMIN_TOKEN, "POST", "/mcp", body, "Accept", ACCEPT,
            "MCP-Protocol-Version", "2025-06-18").status()).isEqualTo(200);
    }

    @Test
    void malformedMessagesGetJsonRpcErrorsAndChangeNothing()
    {
        api.standardCatalog(5, "shoe");
        final JsonNode before = api.stateOf("shoe");
        final long sequence = api.sequence();

        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"), 400, -32700);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, ""), 400, -32700);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"ping\"}"),
            400, -32700);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"), 400,
            -32600);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}"), 400, -32600);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1}"), 400, -32600);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}"), 400,
            -32600);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}"), 400,
            -32600);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stock/set\"}"), 200,
            -32601);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"," +
            "\"params\":{\"name\":\"reserve\",\"arguments\":\"shoe\"}}"), 400, -32602);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"," +
            "\"params\":[\"reserve\"]}"), 400, -32602);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"," +
            "\"params\":{\"arguments\":{}}}"), 400, -32602);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"," +
            "\"params\":{\"name\":\"set_stock\",\"arguments\":{\"sku\":\"shoe\",\"qty\":0}}}"), 200, -32602);
        assertRpcError(post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"," +
            "\"params\":{}}"), 400, -32602);

        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.sequence()).as("no command reached the writer").isEqualTo(sequence);
    }

    // ---- helpers ----

    private JsonNode initialize(final String version)
    {
        return post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":" +
            "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\"," +
            "\"version\":\"1\"}}}").json();
    }

    private void title(final String sku, final String title)
    {
        api.expect(200, "PUT", "/v1/skus/" + sku,
            "{\"title\":\"" + title + "\",\"price\":{\"amount\":8999,\"currency\":\"USD\"}}");
    }

    private ApiHarness.Reply post(final String token, final String body, final String... headers)
    {
        final String[] all = new String[headers.length + 4];
        all[0] = "Accept";
        all[1] = ACCEPT;
        all[2] = "MCP-Protocol-Version";
        all[3] = "2025-11-25";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return api.sendAs(token, "POST", "/mcp", body, all);
    }

    private JsonNode rpc(final String method, final String params)
    {
        final long id = ids.incrementAndGet();
        final ApiHarness.Reply reply = post(ApiHarness.ADMIN_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":" + id +
            ",\"method\":\"" + method + "\",\"params\":" + params + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("id").asLong()).isEqualTo(id);
        return reply.json();
    }

    private JsonNode call(final String tool, final String arguments)
    {
        return callAs(ApiHarness.ADMIN_TOKEN, tool, arguments);
    }

    private JsonNode callAs(final String token, final String tool, final String arguments)
    {
        final long id = ids.incrementAndGet();
        final ApiHarness.Reply reply = post(token, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\"," +
            "\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        final JsonNode response = reply.json();
        assertThat(response.path("id").asLong()).isEqualTo(id);
        assertThat(response.has("error")).as(reply.body()).isFalse();
        return response.path("result");
    }

    private static JsonNode success(final JsonNode result)
    {
        assertThat(result.path("isError").asBoolean()).as("%s", result).isFalse();
        final JsonNode structured = result.path("structuredContent");
        assertThat(structured.isObject()).as("%s", result).isTrue();
        assertThat(ApiHarness.parse(result.path("content").get(0).path("text").asText())).isEqualTo(structured);
        return structured;
    }

    private static JsonNode assertRefusal(final JsonNode result, final String code)
    {
        assertThat(result.path("isError").asBoolean()).as("%s", result).isTrue();
        final JsonNode problem = result.path("structuredContent");
        assertThat(problem.path("code").asText()).as("%s", result).isEqualTo(code);
        assertThat(problem.path("detail").asText()).as("%s", result).isNotEmpty();
        assertThat(result.path("content").get(0).path("text").asText()).contains(code);
        return problem;
    }

    private static void assertRpcError(final ApiHarness.Reply reply, final int status, final int code)
    {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        final JsonNode response = reply.json();
        assertThat(response.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(response.has("result")).as(reply.body()).isFalse();
        assertThat(response.path("error").path("code").asInt()).as(reply.body()).isEqualTo(code);
        assertThat(response.path("error").path("message").asText()).isNotEmpty();
    }

    private static JsonNode tool(final JsonNode tools, final String name)
    {
        for (final JsonNode tool : tools)
        {
            if (tool.path("name").asText().equals(name))
            {
                return tool;
            }
        }
        throw new AssertionError("no tool " + name + " in " + tools);
    }

    private static List<String> skus(final JsonNode items)
    {
        final List<String> skus = new ArrayList<>();
        items.forEach(item -> skus.add(item.path("sku").asText()));
        return skus;
    }
}
