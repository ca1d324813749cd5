package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.truestock.gateway.api.AcpClient.createBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad ACP requests, headers and bodies: each gets a clear error in ACP's flat shape (checked against the schema)
 * and changes nothing: no command reaches the engine, no session is created or changed, no unit moves.
 */
class AcpBadInputApiTest
{
    private static final String V = AcpClient.VERSION;

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config -> config.checkout().sandbox(true));

    /** One bad request and the status and code it must get. */
    private record Bad(String what, String token, String method, String path, String body, int status, String code,
        String... headers)
    {
    }

    @Test
    void everyBadRequestIsRefusedAndChangesNothing() throws IOException
    {
        AcpCheckoutApiTest.catalog(api, 10);
        final String key = api.createKey("agent");
        final AcpClient acp = new AcpClient(api, key);
        final JsonNode session = acp.create(createBody("shoe", 1, "US", "94607"));
        final String id = session.path("id").asText();
        final String sessions = "/acp/checkout_sessions";
        final String one = sessions + "/" + id;
        final String good = createBody("shoe", 1, "US", "94607");
        final String address = "\"fulfillment_details\":{\"address\":{\"name\":\"A\",\"line_one\":\"1\",\"city\":" +
            "\"O\",\"state\":\"CA\",";
        final List<Bad> cases = new ArrayList<>(List.of(
            new Bad("no key", null, "POST", sessions, good, 401, "unauthorized", "API-Version", V,
                "Idempotency-Key", "a1"),
            new Bad("unknown key", "nope", "POST", sessions, good, 401, "unauthorized", "API-Version", V,
                "Idempotency-Key", "a2"),
            new Bad("no API-Version", key, "POST", sessions, good, 400, "missing_api_version",
                "Idempotency-Key", "a3"),
            new Bad("old API-Version", key, "GET", one, null, 400, "unsupported_api_version", "API-Version",
                "2025-09-29"),
            new Bad("no Idempotency-Key", key, "POST", sessions, good, 400, "idempotency_key_required",
                "API-Version", V),
            new Bad("oversized Idempotency-Key", key, "POST", sessions, good, 400, "invalid_idempotency_key",
                "API-Version", V, "Idempotency-Key", "k".repeat(300)),
            new Bad("not JSON", key, "POST", sessions, "{\"currency\":", 400, "invalid_json"),
            new Bad("an array", key, "POST", sessions, "[1,2]", 400, "invalid_json"),
            new Bad("no body", key, "POST", sessions, "", 400, "invalid_json"),
            new Bad("duplicate field", key, "POST", sessions, "{\"currency\":\"usd\",\"currency\":\"usd\"," +
                "\"line_items\":[{\"id\":\"shoe\"}]}", 400, "invalid_json"),
            new Bad("too deep", key, "POST", sessions, "{\"metadata\":" + "[".repeat(100) + "]".repeat(100) + "}",
                400, "invalid_json"),
            new Bad("unknown field", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":[{\"id\":" +
                "\"shoe\"}],\"price_override\":1}", 400, "invalid"),
            new Bad("no line_items", key, "POST", sessions, "{\"currency\":\"usd\"}", 400, "missing"),
            new Bad("no currency", key, "POST", sessions, "{\"line_items\":[{\"id\":\"shoe\"}]}", 400, "missing"),
            new Bad("empty line_items", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":[]}", 400,
                "invalid"),
            new Bad("line_items an object", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":{}}", 400,
                "invalid"),
            new Bad("item a string", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":[\"shoe\"]}", 400,
                "invalid"),
            new Bad("item without id", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":[{\"name\":" +
                "\"x\"}]}", 400, "missing"),
            new Bad("unknown item", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":[{\"id\":" +
                "\"boot\"}]}", 400, "invalid_item"),
            new Bad("item id not an id", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":[{\"id\":" +
                "\"sh oe/..\"}]}", 400, "invalid_item"),
            new Bad("quantity 0", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":[{\"id\":\"shoe\"," +
                "\"quantity\":0}]}", 400, "invalid"),
            new Bad("quantity a string", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":[{\"id\":" +
                "\"shoe\",\"quantity\":\"2\"}]}", 400, "invalid"),
            new Bad("quantity huge", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":[{\"id\":" +
                "\"shoe\",\"quantity\":1e30}]}", 400, "invalid"),
            new Bad("other currency", key, "POST", sessions, "{\"currency\":\"eur\",\"line_items\":[{\"id\":" +
                "\"shoe\"}]}", 400, "currency_mismatch"),
            new Bad("address without country", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":" +
                "[{\"id\":\"shoe\"}]," + address + "\"postal_code\":\"94607\"}}}", 400, "missing"),
            new Bad("country not a code", key, "POST", sessions, "{\"currency\":\"usd\",\"line_items\":" +
                "[{\"id\":\"shoe\"}]," + address + "\"country\":\"USA\",\"postal_code\":\"94607\"}}}", 400,
                "invalid_address"),
            new Bad("forged quote", key, "POST", sessions, "{\"currency\":\"usd\",\"quote_id\":\"q-forged\"," +
                "\"line_items\":[{\"id\":\"shoe\"}]}", 400, "invalid_quote"),
            new Bad("unknown session", key, "GET", sessions + "/cs_nope", null, 404, "not_found"),
            new Bad("update of an unknown session", key, "POST", sessions + "/cs_nope", "{}", 404, "not_found"),
            new Bad("update with an unknown option", key, "POST", one, "{\"selected_fulfillment_options\":[{\"type\":" +
                "\"shipping\",\"option_id\":\"teleport\",\"item_ids\":[]}]}", 400, "invalid_fulfillment_option"),
            new Bad("update with a bad line", key, "POST", one, "{\"line_items\":[{\"id\":\"boot\"}]}", 400,
                "invalid_item"),
            new Bad("complete without payment_data", key, "POST", one + "/complete", "{}", 400, "missing"),
            new Bad("complete with an empty token", key, "POST", one + "/complete", "{\"payment_data\":" +
                "{\"instrument\":{\"type\":\"card\",\"credential\":{\"type\":\"spt\",\"token\":\"\"}}}}", 400,
                "missing"),
            new Bad("complete with an unknown handler", key, "POST", one + "/complete", "{\"payment_data\":" +
                "{\"handler_id\":\"paypal\",\"instrument\":{\"type\":\"card\",\"credential\":{\"type\":\"spt\"," +
                "\"token\":\"t\"}}}}", 400, "invalid_payment_handler"),
            new Bad("unknown path", key, "POST", "/acp/carts", "{}", 404, "not_found"),
            new Bad("DELETE a session", key, "DELETE", one, null, 405, "method_not_allowed"),
            new Bad("unknown action", key, "POST", one + "/refund", "{}", 405, "method_not_allowed"),
            new Bad("cancel with an unknown field", key, "POST", one + "/cancel", "{\"reason\":\"x\"}", 400,
                "invalid")));

        final long sequence = api.sequence();
        final long available = api.available("shoe", "shop");
        final List<Path> files = sessionFiles();
        final String before = acp.get(one).json().deepCopy().toString();
        int n = 0;
        for (final Bad bad : cases)
        {
            final String[] headers = bad.headers().length > 0 ? bad.headers() :
                new String[] {"API-Version", V, "Idempotency-Key", "bad-" + n};
            final ApiHarness.Reply reply = acp.as(bad.token()).raw(bad.method(), bad.path(), bad.body(), headers);
            assertThat(reply.status()).as("%s: %s", bad.what(), reply.body()).isEqualTo(bad.status());
            assertThat(reply.json().path("code").asText()).as("%s: %s", bad.what(), reply.body()).isEqualTo(bad.code());
            assertThat(reply.json().path("message").asText()).as(bad.what()).isNotEmpty();
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(25);
        assertThat(api.sequence()).as("no command reached the engine").isEqualTo(sequence);
        assertThat(api.available("shoe", "shop")).isEqualTo(available);
        assertThat(sessionFiles()).as("no session was created").isEqualTo(files);
        final JsonNode after = acp.get(one).json();
        assertThat(after.toString()).as("the session did not change").isEqualTo(before);
    }

    private List<Path> sessionFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(api.dataDir().resolve("checkout").resolve("sessions")))
        {
            return files.sorted().toList();
        }
    }
}
