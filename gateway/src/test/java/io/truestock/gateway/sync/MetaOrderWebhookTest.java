package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truestock.engine.StockView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WhatsApp Business order messages on a Meta catalog connector: the subscription handshake, a signed order message
 * recorded once (a redelivery replays it), a missing or wrong {@code X-Hub-Signature-256} is 401 and changes
 * nothing, several orders in one delivery are each recorded, and messages that are not orders are ignored.
 */
class MetaOrderWebhookTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_SECRET = "meta-app-secret";
    private static final String VERIFY = "verify-me";
    private static final String PATH = "/v1/channels/meta/webhooks/orders";

    @TempDir
    Path dir;

    private static String message(final String id, final String retailerId, final int quantity)
    {
        return "{\"from\":\"16315551181\",\"id\":\"" + id + "\",\"timestamp\":\"1700000000\",\"type\":\"order\","
            + "\"order\":{\"catalog_id\":\"" + FakeMetaCatalog.CATALOG + "\",\"text\":\"\",\"product_items\":[{"
            + "\"product_retailer_id\":\"" + retailerId + "\",\"quantity\":" + quantity
            + ",\"item_price\":10,\"currency\":\"USD\"}]}}";
    }

    private static String delivery(final String... messages)
    {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":{"
            + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\","
            + "\"phone_number_id\":\"106540352242922\"},\"messages\":[" + String.join(",", messages)
            + "]},\"field\":\"messages\"}]}]}";
    }

    private static String sign(final String secret, final String body)
    {
        return "sha256=" + HexFormat.of().formatHex(Signatures.hmac(Secret.of(secret), body.getBytes(StandardCharsets.UTF_8)));
    }

    private static long committed(final SyncHarness harness, final int n)
    {
        final StockView view = new StockView();
        harness.server.engine().readStock(SyncHarness.sku(n), SyncHarness.LOCATION, view);
        return view.committed();
    }

    @Test
    void orderMessagesBecomeChannelOrdersOnceAndOnlyWhenSigned() throws Exception
    {
        try (FakeMetaCatalog meta = new FakeMetaCatalog(90))
        {
            final ConnectorConfig config = Marketplaces.meta(meta).secret("app_secret", Secret.of(APP_SECRET))
                .secret("verify_token", Secret.of(VERIFY)).itemId("sku-2", "shirt-red-m");
            try (SyncHarness harness = SyncHarness.start(dir, List.of(config)))
            {
                harness.catalog(3, "meta");
                for (int n = 0; n < 3; n++)
                {
                    final String sku = SyncHarness.sku(n);
                    harness.submit(c -> c.receive(sku, SyncHarness.LOCATION, 50));
                }
                final HttpResponse<String> challenge = harness.http("GET", PATH
                    + "?hub.mode=subscribe&hub.verify_token=" + VERIFY + "&hub.challenge=1158201444", null, null);
                assertThat(challenge.statusCode()).isEqualTo(200);
                assertThat(challenge.body()).isEqualTo("1158201444");
                assertThat(harness.http("GET", PATH + "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", null, null)
                    .statusCode()).isEqualTo(401);

                final String wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEyNDgyN0M3OTc5NwA=";
                final String body = delivery(message(wamid, "sku-0", 2));
                assertThat(harness.http("POST", PATH, null, body).statusCode()).isEqualTo(401);
                assertThat(harness.http("POST", PATH, null, body, "X-Hub-Signature-256", sign("wrong", body)).statusCode())
                    .isEqualTo(401);
                assertThat(harness.http("POST", PATH, null, body.replace("\"quantity\":2", "\"quantity\":20"),
                    "X-Hub-Signature-256", sign(APP_SECRET, body)).statusCode()).isEqualTo(401);
                assertThat(committed(harness, 0)).isZero();

                final HttpResponse<String> created = harness.http("POST", PATH, null, body, "X-Hub-Signature-256",
                    sign(APP_SECRET, body));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                final JsonNode order = JSON.readTree(created.body());
                assertThat(order.path("order_id").asText()).startsWith("wa:").hasSize(43);
                assertThat(committed(harness, 0)).isEqualTo(2);
                final HttpResponse<String> again = harness.http("POST", PATH, null, body, "X-Hub-Signature-256",
                    sign(APP_SECRET, body));
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
                assertThat(committed(harness, 0)).isEqualTo(2);

                final String two = delivery(message("wamid.A1", "sku-1", 1), message("wamid.B2", "shirt-red-m", 3));
                final HttpResponse<String> both = harness.http("POST", PATH, null, two, "X-Hub-Signature-256",
                    sign(APP_SECRET, two));
                assertThat(both.statusCode()).as(both.body()).isEqualTo(200);
                assertThat(JSON.readTree(both.body()).path("orders").size()).isEqualTo(2);
                assertThat(committed(harness, 1)).isEqualTo(1);
                assertThat(committed(harness, 2)).as("the retailer id maps back to sku-2").isEqualTo(3);

                final String text = delivery("{\"from\":\"16315551181\",\"id\":\"wamid.T\",\"type\":\"text\","
                    + "\"text\":{\"body\":\"hello\"}}");
                final HttpResponse<String> ignored = harness.http("POST", PATH, null, text, "X-Hub-Signature-256",
                    sign(APP_SECRET, text));
                assertThat(ignored.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(ignored.body()).path("ignored").asBoolean()).isTrue();
            }
        }
    }
}
