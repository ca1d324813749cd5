package io.truestock.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truestock.journal.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditApiTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    private TruestockServer start() throws Exception
    {
        final ServerConfig config = new ServerConfig().dataDir(dir).httpPort(0).binaryPort(-1).adminToken("secret");
        config.engine().maxSkus(64).maxLocations(4).maxChannels(4);
        return TruestockServer.start(config);
    }

    private HttpResponse<String> send(final TruestockServer server, final String method, final String path,
        final String body, final String token) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(final TruestockServer server, final String path) throws Exception
    {
        final HttpResponse<String> response = send(server, "GET", path, null, "secret");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void entriesShowEachChangeWithBeforeAndAfterAndPageInSequenceOrder() throws Exception
    {
        try (TruestockServer server = start())
        {
            send(server, "PUT", "/v1/locations/oak", "{\"name\":\"Oakland\"}", "secret");
            send(server, "PUT", "/v1/channels/shop", "{\"name\":\"Shop\"}", "secret");
            send(server, "PUT", "/v1/skus/shoe", "{\"title\":\"Shoe\"}", "secret");
            send(server, "PUT", "/v1/skus/sock", "{\"title\":\"Sock\"}", "secret");
            for (int i = 0; i < 5; i++)
            {
                send(server, "POST", "/v1/stock/receive",
                    "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":2,\"reason\":\"po-" + i + "\",\"reference\":\"ref\"}", "secret");
                send(server, "POST", "/v1/stock/receive", "{\"sku\":\"sock\",\"location\":\"oak\",\"qty\":1}", "secret");
            }
            final HttpResponse<String> rejected = send(server, "POST", "/v1/reservations",
                "{\"channel\":\"shop\",\"lines\":[{\"sku\":\"shoe\",\"qty\":50}]}", "secret");
            assertThat(rejected.statusCode()).isEqualTo(409);

            final JsonNode all = get(server, "/v1/audit?sku=shoe&limit=100");
            final List<JsonNode> entries = new ArrayList<>();
            all.path("entries").forEach(entries::add);
            assertThat(entries).hasSize(6);
            for (int i = 0; i < 5; i++)
            {
                final JsonNode entry = entries.get(i);
                assertThat(entry.path("sku").asText()).isEqualTo("shoe");
                assertThat(entry.path("location").asText()).isEqualTo("oak");
                assertThat(entry.path("type").asText()).isEqualTo("receive");
                assertThat(entry.path("before").path("on_hand").asLong()).isEqualTo(2L * i);
                assertThat(entry.path("after").path("on_hand").asLong()).isEqualTo(2L * i + 2);
                assertThat(entry.path("reason").asText()).isEqualTo("po-" + i);
                assertThat(entry.path("principal").asText()).isEqualTo("admin");
                if (i > 0)
                {
                    assertThat(entry.path("seq").asLong()).isGreaterThan(entries.get(i - 1).path("seq").asLong());
                }
            }
            assertThat(entries.get(5).path("outcome").asText()).isEqualTo("out_of_stock");
            assertThat(entries.get(5).path("after").isNull()).isTrue();
            assertThat(all.path("next").isNull()).isTrue();

            final JsonNode first = get(server, "/v1/audit?sku=shoe&limit=2");
            assertThat(first.path("entries")).hasSize(2);
            final long next = first.path("next").asLong();
            final JsonNode second = get(server, "/v1/audit?sku=shoe&limit=2&after=" + next);
            assertThat(second.path("entries").get(0).path("after").path("on_hand").asLong()).isEqualTo(6);

            final long thirdSeq = entries.get(2).path("seq").asLong();
            final JsonNode upTo = get(server, "/v1/audit?sku=shoe&to_seq=" + thirdSeq);
            assertThat(upTo.path("entries")).hasSize(3);
            final String thirdAt = entries.get(2).path("at").asText();
            final JsonNode fromThird = get(server, "/v1/audit?sku=shoe&from=" + thirdAt);
            assertThat(fromThird.path("entries").get(0).path("seq").asLong()).isLessThanOrEqualTo(thirdSeq);
            assertThat(get(server, "/v1/audit?sku=shoe&to=" + entries.get(0).path("at").asText()).path("entries"))
                .allSatisfy(e -> assertThat(e.path("at").asText()).isLessThan(entries.get(0).path("at").asText()));
            assertThat(send(server, "GET", "/v1/audit?from=yesterday", null, "secret").statusCode()).isEqualTo(400);
            final HttpResponse<String> badCursor = send(server, "GET", "/v1/audit?after=" + (AuditLog.LETTER_CURSOR + 12345),
                null, "secret");
            assertThat(badCursor.statusCode()).as("a position the trail does not hold").isEqualTo(400);
            assertThat(JSON.readTree(badCursor.body()).toString()).contains("after");

            final JsonNode verify = get(server, "/v1/audit/verify");
            assertThat(verify.path("ok").asBoolean()).isTrue();
            assertThat(verify.path("records").asLong()).isPositive();
            assertThat(verify.path("head").asText()).hasSize(64);

            final String agent = JSON.readTree(send(server, "POST", "/v1/api-keys", "{\"scope\":\"agent\"}", "secret").body())
                .path("key").asText();
            assertThat(send(server, "GET", "/v1/audit?sku=shoe", null, agent).statusCode()).isEqualTo(403);
            assertThat(send(server, "GET", "/v1/audit?limit=0", null, "secret").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void theTrailSurvivesARestartWithoutDuplicates() throws Exception
    {
        try (TruestockServer server = start())
        {
            send(server, "PUT", "/v1/locations/oak", "{\"name\":\"Oakland\"}", "secret");
            send(server, "PUT", "/v1/skus/shoe", "{\"title\":\"Shoe\"}", "secret");
            send(server, "POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":3}", "secret");
        }
        try (TruestockServer server = start())
        {
            send(server, "POST", "/v1/stock/adjust", "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-1}", "secret");
            final JsonNode entries = get(server, "/v1/audit?sku=shoe").path("entries");
            assertThat(entries).hasSize(2);
            assertThat(entries.get(0).path("type").asText()).isEqualTo("receive");
            assertThat(entries.get(1).path("type").asText()).isEqualTo("adjust");
            assertThat(entries.get(1).path("after").path("on_hand").asLong()).isEqualTo(2);
            assertThat(get(server, "/v1/audit/verify").path("ok").asBoolean()).isTrue();
            assertThat(send(server, "GET", "/metrics", null, "secret").body())
                .as("no record reached the audit record bound")
                .contains("truestock_audit_records_truncated_total 0\n");
        }
    }

    @Test
    void priceChangesAndTheRoutingAndPromisesOfAnOrderAreInTheTrail() throws Exception
    {
        try (TruestockServer server = start())
        {
            send(server, "PUT", "/v1/locations/oak", "{\"name\":\"Oakland\",\"timezone\":\"America/Los_Angeles\"}", "secret");
            send(server, "PUT", "/v1/channels/shop", "{\"name\":\"Shop\"}", "secret");
            send(server, "PUT", "/v1/skus/shoe", "{\"title\":\"Shoe\"}", "secret");
            send(server, "PUT", "/v1/carriers/ups", "{\"name\":\"UPS\",\"services\":[{\"id\":\"ground\"," +
                "\"zones\":[{\"country\":\"US\",\"min_transit_days\":1,\"max_transit_days\":2}]}]}", "secret");
            send(server, "POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":3}", "secret");
            assertThat(send(server, "PUT", "/v1/skus/shoe/prices",
                "{\"base\":{\"amount\":4200,\"currency\":\"USD\"}}", "secret").statusCode()).isEqualTo(200);
            final JsonNode held = JSON.readTree(send(server, "POST", "/v1/reservations",
                "{\"channel\":\"shop\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}", "secret").body());
            assertThat(send(server, "POST", "/v1/reservations/" + held.path("id").asText() + "/confirm",
                "{\"order_id\":\"o-1\",\"destination\":{\"country\":\"US\",\"postal_code\":\"94103\"}}",
                "secret").statusCode()).isEqualTo(200);

            final JsonNode entries = get(server, "/v1/audit?sku=shoe&limit=100").path("entries");
            JsonNode prices = null;
            JsonNode confirm = null;
            for (final JsonNode entry : entries)
            {
                prices = entry.path("type").asText().equals("define_prices") ? entry : prices;
                confirm = entry.path("type").asText().equals("confirm") ? entry : confirm;
            }
            assertThat(prices).as(entries.toString()).isNotNull();
            assertThat(prices.path("detail").asText()).isEqualTo("prices: base 4200 USD");
            assertThat(confirm).as(entries.toString()).isNotNull();
            assertThat(confirm.path("location").asText()).isEqualTo("oak");
            assertThat(confirm.path("detail").asText())
                .startsWith("order o-1: lines shoe x1 @ 4200 USD; shipments oak ups/ground ")
                .contains(" order_by ").endsWith("; to US 94103");

            final JsonNode everything = get(server, "/v1/audit?limit=100").path("entries");
            assertThat(everything.toString()).contains("carrier ups (UPS): ground[*>US 1-2d]");
        }
    }
}
