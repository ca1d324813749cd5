package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.truestock.gateway.api.UcpClient.checkoutBody;
import static io.truestock.gateway.api.UcpClient.completeBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UCP and ACP checkout tools on the MCP endpoint, over JSON-RPC as an MCP client calls them: listed with their
 * schemas, a checkout created and completed, business refusals as {@code isError} results that hold nothing, and
 * the protocol's idempotency through {@code meta}. UCP results are checked against the published UCP schemas, ACP
 * results against ACP's.
 */
class CheckoutToolsApiTest
{
    private static final String UCP_META = "{\"ucp-agent\":{\"profile\":\"https://agent.example/.well-known/ucp\"}}";
    private static final String[] UCP_TOOLS = {"create_checkout", "get_checkout", "update_checkout",
        "complete_checkout", "cancel_checkout", "lookup_catalog", "get_product"};
    private static final String[] ACP_TOOLS = {"create_checkout_session", "get_checkout_session",
        "update_checkout_session", "complete_checkout_session", "cancel_checkout_session"};

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AtomicLong ids = new AtomicLong();

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config ->
    {
        clock.update(AcpCheckoutApiTest.NOW);
        config.clock(clock).quoteTtlSeconds(600);
        config.checkout().sandbox(true).sessionTtlSeconds(900);
    });

    private String token;

    @BeforeEach
    void catalog()
    {
        AcpCheckoutApiTest.catalog(api, 10);
        token = api.createKey("agent");
    }

    private JsonNode rpc(final String method, final String params)
    {
        final long id = ids.incrementAndGet();
        final ApiHarness.Reply reply = api.sendAs(token, "POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":" + id +
            ",\"method\":\"" + method + "\",\"params\":" + params + "}", "Accept", "application/json, text/event-stream",
            "MCP-Protocol-Version", "2025-11-25");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().has("error")).as(reply.body()).isFalse();
        return reply.json().path("result");
    }

    private JsonNode call(final String tool, final String arguments)
    {
        final JsonNode result = rpc("tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
        assertThat(ApiHarness.parse(result.path("content").get(0).path("text").asText()))
            .isEqualTo(result.path("structuredContent"));
        return result;
    }

    private JsonNode ucp(final String tool, final String arguments, final boolean refused)
    {
        final JsonNode result = call(tool, arguments);
        assertThat(result.path("isError").asBoolean()).as("%s", result).isEqualTo(refused);
        final JsonNode content = result.path("structuredContent");
        final String schema = "error".equals(content.path("ucp").path("status").asText()) ? UcpSchemas.ERROR :
            tool.endsWith("_catalog") ? UcpSchemas.LOOKUP : tool.equals("get_product") ? UcpSchemas.PRODUCT :
            UcpSchemas.CHECKOUT;
        UcpSchemas.check(schema, content.toString());
        return content;
    }

    @Test
    void toolsListNamesTheUcpAndAcpToolsWithSchemas()
    {
        final JsonNode tools = rpc("tools/list", "{}").path("tools");
        final List<String> names = new ArrayList<>();
        for (final JsonNode tool : tools)
        {
            names.add(tool.path("name").asText());
            if (List.of(UCP_TOOLS).contains(tool.path("name").asText()) ||
                List.of(ACP_TOOLS).contains(tool.path("name").asText()))
            {
                assertThat(tool.path("inputSchema").path("properties").has("meta")).as("%s", tool).isTrue();
                assertThat(tool.path("outputSchema").path("type").asText()).as("%s", tool).isEqualTo("object");
                assertThat(tool.path("description").asText().length()).as("%s", tool).isGreaterThan(30);
                final boolean read = tool.path("name").asText().startsWith("get_") ||
                    tool.path("name").asText().equals("lookup_catalog");
                assertThat(tool.path("annotations").path("readOnlyHint").asBoolean()).as("%s", tool).isEqualTo(read);
            }
        }
        assertThat(names).contains(UCP_TOOLS).contains(ACP_TOOLS).contains("search_catalog", "get_offer");
    }

    @Test
    void aUcpCheckoutIsCreatedAndCompletedOverJsonRpc()
    {
        final JsonNode product = ucp("get_product", "{\"meta\":" + UCP_META + ",\"catalog\":{\"id\":\"shoe\"}}", false);
        assertThat(product.path("product").path("variants").get(0).path("price").path("amount").asLong())
            .isEqualTo(5000);
        final JsonNode created = ucp("create_checkout", "{\"meta\":" + UCP_META + ",\"checkout\":" +
            checkoutBody("shoe", 2, "US", "94607") + "}", false);
        assertThat(created.path("status").asText()).isEqualTo("ready_for_complete");
        assertThat(api.available("shoe", "shop")).isEqualTo(8);
        final String id = created.path("id").asText();
        final String meta = "{\"ucp-agent\":{\"profile\":\"https://agent.example/.well-known/ucp\"}," +
            "\"idempotency-key\":\"pay-1\"}";
        final String complete = "{\"meta\":" + meta + ",\"id\":\"" + id + "\",\"checkout\":" +
            completeBody("tok_sandbox_success") + "}";
        final JsonNode done = ucp("complete_checkout", complete, false);
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("order").path("permalink_url").asText()).contains("/v1/orders/");
        assertThat(ucp("complete_checkout", complete, false)).as("replayed under the same key").isEqualTo(done);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(2);
        assertThat(ucp("get_checkout", "{\"meta\":" + UCP_META + ",\"id\":\"" + id + "\"}", false)
            .path("status").asText()).isEqualTo("completed");
    }

    @Test
    void businessRefusalsAreToolErrorsThatHoldNothing()
    {
        final JsonNode tooMany = ucp("create_checkout", "{\"meta\":" + UCP_META + ",\"checkout\":" +
            checkoutBody("shoe", 11, "US", "94607") + "}", true);
        assertThat(tooMany.path("messages").findValuesAsText("code")).contains("out_of_stock");
        assertThat(api.available("shoe", "shop")).isEqualTo(10);
        final JsonNode unknown = ucp("create_checkout", "{\"meta\":" + UCP_META + ",\"checkout\":" +
            checkoutBody("nope", 1, "US", "94607") + "}", true);
        assertThat(unknown.path("messages").get(0).path("code").asText()).isEqualTo("item_unavailable");
        final String id = ucp("create_checkout", "{\"meta\":" + UCP_META + ",\"checkout\":" +
            checkoutBody("shoe", 1, "US", "94607") + "}", false).path("id").asText();
        final JsonNode declined = ucp("complete_checkout", "{\"meta\":" + UCP_META + ",\"id\":\"" + id +
            "\",\"checkout\":" + completeBody("tok_sandbox_decline") + "}", true);
        assertThat(declined.path("messages").findValuesAsText("code")).contains("payment_failed");
        assertThat(api.available("shoe", "shop")).as("still held").isEqualTo(9);
        final JsonNode canceled = ucp("cancel_checkout", "{\"meta\":" + UCP_META + ",\"id\":\"" + id + "\"}", false);
        assertThat(canceled.path("status").asText()).isEqualTo("canceled");
        assertThat(api.available("shoe", "shop")).isEqualTo(10);
        ucp("get_checkout", "{\"meta\":" + UCP_META + ",\"id\":\"../v1\"}", true);
        final JsonNode badArgs = ucp("get_checkout", "{\"meta\":" + UCP_META + ",\"id\":\"x\",\"extra\":1}", true);
        assertThat(badArgs.path("messages").get(0).path("content").asText()).isNotEmpty();
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();
    }

    @Test
    void anAcpSessionIsCreatedAndCompletedOverJsonRpc()
    {
        final String meta = "{\"api_version\":\"2026-04-17\",\"idempotency_key\":\"acp-create-1\"}";
        final JsonNode created = call("create_checkout_session", "{\"meta\":" + meta + ",\"payload\":" +
            AcpClient.createBody("shoe", 1, "US", "94607") + "}");
        assertThat(created.path("isError").asBoolean()).as("%s", created).isFalse();
        final JsonNode session = created.path("structuredContent");
        AcpSchemas.check("CheckoutSession", session.toString());
        assertThat(session.path("status").asText()).isEqualTo("ready_for_payment");
        final String id = session.path("id").asText();
        final JsonNode declined = call("complete_checkout_session", "{\"meta\":{\"api_version\":\"2026-04-17\"}," +
            "\"id\":\"" + id + "\",\"payload\":" + AcpClient.completeBody("tok_sandbox_decline") + "}");
        assertThat(declined.path("isError").asBoolean()).as("%s", declined).isTrue();
        final JsonNode done = call("complete_checkout_session", "{\"meta\":{\"api_version\":\"2026-04-17\"}," +
            "\"id\":\"" + id + "\",\"payload\":" + AcpClient.completeBody("tok_sandbox_success") + "}");
        assertThat(done.path("isError").asBoolean()).as("%s", done).isFalse();
        AcpSchemas.check("CheckoutSessionWithOrder", done.path("structuredContent").toString());
        assertThat(call("get_checkout_session", "{\"meta\":{\"api_version\":\"2026-04-17\"},\"id\":\"" + id + "\"}")
            .path("structuredContent").path("status").asText()).isEqualTo("completed");
        final JsonNode wrongVersion = call("get_checkout_session", "{\"meta\":{\"api_version\":\"2025-01-01\"}," +
            "\"id\":\"" + id + "\"}");
        assertThat(wrongVersion.path("isError").asBoolean()).isTrue();
        AcpSchemas.check("Error", wrongVersion.path("structuredContent").toString());
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(1);
    }

    /** The MCP examples ACP publishes, where they name what this server sells: create, get and cancel as sent. */
    @Test
    void theAcpMcpExamplesRoundTrip()
    {
        Assumptions.assumeTrue(AcpSchemas.present(), "ACP protocol files are not beside the repository");
        final JsonNode examples = ApiHarness.parse(AcpSchemas.read("examples.mcp.agentic_checkout.json"));
        api.defineSku("item_123", 2500);
        api.receive("item_123", "oak", 5);
        final JsonNode create = examples.path("create_checkout_session_request").path("params");
        final JsonNode created = call(create.path("name").asText(), create.path("arguments").toString());
        assertThat(created.path("isError").asBoolean()).as("%s", created).isFalse();
        AcpSchemas.check("CheckoutSession", created.path("structuredContent").toString());
        assertThat(created.path("structuredContent").path("status").asText()).isEqualTo("ready_for_payment");
        assertThat(api.available("item_123", "shop")).isEqualTo(4);
        final String id = created.path("structuredContent").path("id").asText();
        for (final String name : new String[] {"get_checkout_session_request", "cancel_checkout_session_request"})
        {
            final JsonNode params = examples.path(name).path("params");
            final ObjectNode arguments = params.path("arguments").deepCopy();
            arguments.put("id", id);
            final JsonNode result = call(params.path("name").asText(), arguments.toString());
            assertThat(result.path("isError").asBoolean()).as("%s", result).isFalse();
            AcpSchemas.check("CheckoutSession", result.path("structuredContent").toString());
        }
        assertThat(api.available("item_123", "shop")).as("the cancel released the hold").isEqualTo(5);
    }

    /** The business outcome codes UCP messages carry are the protocol's standard ones, as its schema lists them. */
    @Test
    void theOutcomeCodesAreUcpsStandardErrorCodes()
    {
        Assumptions.assumeTrue(UcpSchemas.present(), "UCP protocol files are not beside the repository");
        final JsonNode codes;
        try
        {
            codes = ApiHarness.parse(java.nio.file.Files.readString(
                UcpSchemas.DIR.resolve("schemas/shopping/types/error_code.json"))).path("examples");
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        final List<String> standard = new ArrayList<>();
        codes.forEach(code -> standard.add(code.asText()));
        final List<String> emitted = new ArrayList<>();
        emitted.addAll(ucp("create_checkout", "{\"meta\":" + UCP_META + ",\"checkout\":" +
            checkoutBody("shoe", 11, "US", "94607") + "}", true).path("messages").findValuesAsText("code"));
        emitted.addAll(ucp("create_checkout", "{\"meta\":" + UCP_META + ",\"checkout\":" +
            checkoutBody("nope", 1, "US", "94607") + "}", true).path("messages").findValuesAsText("code"));
        emitted.addAll(ucp("create_checkout", "{\"meta\":" + UCP_META + ",\"checkout\":" +
            checkoutBody("shoe", 1, "FR", "75001") + "}", true).path("messages").findValuesAsText("code"));
        final String id = ucp("create_checkout", "{\"meta\":" + UCP_META + ",\"checkout\":" +
            checkoutBody("shoe", 1, "US", "94607") + "}", false).path("id").asText();
        emitted.addAll(ucp("complete_checkout", "{\"meta\":" + UCP_META + ",\"id\":\"" + id + "\",\"checkout\":" +
            completeBody("tok_sandbox_decline") + "}", true).path("messages").findValuesAsText("code"));
        emitted.addAll(ucp("get_product", "{\"meta\":" + UCP_META + ",\"catalog\":{\"id\":\"nope\"}}", true)
            .path("messages").findValuesAsText("code"));
        assertThat(emitted).containsExactly("out_of_stock", "item_unavailable", "address_undeliverable",
            "payment_failed", "not_found");
        assertThat(standard).containsAll(emitted);
    }
}
