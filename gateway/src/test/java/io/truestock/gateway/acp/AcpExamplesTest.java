package io.truestock.gateway.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.gateway.checkout.AgentJson;
import io.truestock.gateway.checkout.CheckoutRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The published ACP 2026-04-17 request examples parse into the checkout core's terms, and what they carry (items,
 * address, payment token, the selected option) comes out as sent. Read in place from the protocol files beside the
 * repository; skipped with a message when they are absent.
 */
class AcpExamplesTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode examples;

    @BeforeAll
    static void read() throws IOException
    {
        Path file = null;
        for (final String candidate : new String[] {"../../shared/protocols/acp-2026-04-17",
            "../shared/protocols/acp-2026-04-17"})
        {
            final Path dir = Path.of(candidate).resolve("examples.agentic_checkout.json");
            if (Files.isRegularFile(dir))
            {
                file = dir;
            }
        }
        assumeTrue(file != null, "ACP examples skipped: ../shared/protocols/acp-2026-04-17 is not beside the " +
            "repository");
        examples = JSON.readTree(Files.readString(file));
    }

    private static ObjectNode example(final String name)
    {
        final JsonNode node = examples.get(name);
        assertThat(node).as(name).isNotNull();
        return (ObjectNode)AgentJson.parseObject(node.toString().getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void everyCreateExampleParses()
    {
        final AcpJson json = new AcpJson(100, 1_000_000);
        final CheckoutRequest request = json.create(example("create_checkout_session_request"));
        assertThat(request.lines()).containsExactly(new CheckoutRequest.Line("item_123", 1));
        assertThat(request.currency()).isEqualTo("usd");
        assertThat(request.address().country()).isEqualTo("US");
        assertThat(request.address().postalCode()).isEqualTo("94131");
        assertThat(request.address().city()).isEqualTo("San Francisco");
        final CheckoutRequest attributed = json.create(
            example("create_checkout_session_request_with_first_touch_attribution"));
        assertThat(attributed.lines()).containsExactly(new CheckoutRequest.Line("item_123", 1));
        assertThat(attributed.address()).isNull();
    }

    @Test
    void theUpdateExampleSelectsItsOption()
    {
        final CheckoutRequest request = new AcpJson(100, 1_000_000).update(example("update_checkout_session_request"));
        assertThat(request.selectedOption()).isEqualTo("fulfillment_option_456");
        assertThat(request.lines()).isNull();
    }

    @Test
    void everyCompleteExampleNamesItsHandlerAndToken()
    {
        int parsed = 0;
        final Iterator<Map.Entry<String, JsonNode>> fields = examples.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> entry = fields.next();
            if (entry.getKey().startsWith("complete_") && entry.getKey().endsWith("_request"))
            {
                final String[] payment = AcpJson.complete(example(entry.getKey()));
                final JsonNode data = entry.getValue().path("payment_data");
                assertThat(payment[0]).as(entry.getKey()).isEqualTo(data.path("handler_id").asText());
                assertThat(payment[1]).as(entry.getKey())
                    .isEqualTo(data.path("instrument").path("credential").path("token").asText());
                parsed++;
            }
        }
        assertThat(parsed).isGreaterThanOrEqualTo(3);
    }

    @Test
    void everyCancelExampleParses()
    {
        AcpJson.cancel(example("cancel_checkout_session_request"));
        AcpJson.cancel(example("cancel_checkout_session_request_timing_deferred"));
    }

    @Test
    void theProtocolsOwnErrorsHaveOurErrorShape()
    {
        for (final String name : new String[] {"error_400_idempotency_key_required", "error_422_idempotency_conflict",
            "error_409_idempotency_in_flight"})
        {
            final JsonNode published = examples.get(name);
            final ObjectNode ours = AcpJson.error(published.path("type").asText(), published.path("code").asText(),
                published.path("message").asText(), published.has("param") ? published.path("param").asText() : null);
            assertThat(ours).as(name).isEqualTo(published);
        }
    }

    @Test
    void theMinimalDiscoveryExampleHasOurDiscoveryFields()
    {
        final JsonNode published = examples.get("discovery_response_minimal");
        final ObjectNode ours = AcpJson.discovery("https://merchant.example.com/api");
        final Iterator<String> names = published.fieldNames();
        while (names.hasNext())
        {
            assertThat(ours.has(names.next())).isTrue();
        }
        assertThat(ours.path("protocol").path("name")).isEqualTo(published.path("protocol").path("name"));
    }
}
