package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truestock.engine.StockView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inbound order webhooks (Shopify {@code orders/create}, WooCommerce {@code order.created}, the generic signed
 * webhook) against a real server: a valid signature records the channel order once; a redelivery answers the
 * first outcome and changes nothing; a missing, wrong or replayed (moved to another body, or too old) signature is
 * 401 problem+json and changes nothing.
 */
class OrderWebhookTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHOPIFY_SECRET = "shpss_webhook";
    private static final String WOO_SECRET = "woo_webhook";
    private static final String PATH = "/v1/channels/%s/webhooks/orders";

    @TempDir
    Path dir;

    private FakeShopify shopify;
    private FakeWooCommerce woo;
    private FakeWebhookReceiver partner;
    private FakeAmazon amazon;
    private SyncHarness harness;

    @BeforeEach
    void start() throws Exception
    {
        shopify = new FakeShopify(1, "2026-04", 1000, 1000);
        woo = new FakeWooCommerce(2);
        partner = new FakeWebhookReceiver(3);
        amazon = new FakeAmazon(4);
        final ConnectorConfig shopifyConfig = SyncHarness.shopify(shopify).secret("webhook_secret", Secret.of(SHOPIFY_SECRET));
        SyncHarness.mapItems(shopifyConfig, 3);
        final ConnectorConfig wooConfig = SyncHarness.woo(woo).secret("webhook_secret", Secret.of(WOO_SECRET));
        SyncHarness.mapItems(wooConfig, 3);
        harness = SyncHarness.start(dir, List.of(shopifyConfig, wooConfig, SyncHarness.webhook(partner),
            SyncHarness.amazon(amazon)));
        harness.catalog(3, "shopify", "woo", "partner", "amazon");
        for (int n = 0; n < 3; n++)
        {
            final String sku = SyncHarness.sku(n);
            harness.submit(c -> c.receive(sku, SyncHarness.LOCATION, 100));
        }
    }

    @AfterEach
    void stop()
    {
        harness.close();
        shopify.close();
        woo.close();
        partner.close();
        amazon.close();
    }

    private long committed(final int n)
    {
        final StockView view = new StockView();
        harness.server.engine().readStock(SyncHarness.sku(n), SyncHarness.LOCATION, view);
        return view.committed();
    }

    private HttpResponse<String> post(final String channel, final String body, final String... headers) throws Exception
    {
        return harness.http("POST", String.format(PATH, channel), null, body, headers);
    }

    private static void assertUnauthorized(final HttpResponse<String> response) throws Exception
    {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(response.body()).path("code").asText()).isEqualTo("unauthorized");
    }

    private int orderStatus(final String channel, final String orderId) throws Exception
    {
        return harness.http("GET", "/v1/orders/" + orderId + "?channel=" + channel, SyncHarness.ADMIN, null).statusCode();
    }

    @Test
    void shopifyOrdersCreate() throws Exception
    {
        final String body = "{\"id\":820982911946154508,\"name\":\"#1001\",\"line_items\":[{\"sku\":\"sku-0\",\"quantity\":2},"
            + "{\"sku\":\"sku-1\",\"quantity\":1},{\"sku\":\"\",\"quantity\":1,\"title\":\"Gift card\"}],"
            + "\"shipping_address\":{\"country_code\":\"US\",\"zip\":\"94103\"}}";
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final String signature = Signatures.base64(Secret.of(SHOPIFY_SECRET), bytes);

        assertUnauthorized(post("shopify", body, "X-Shopify-Topic", "orders/create"));
        assertUnauthorized(post("shopify", body, "X-Shopify-Topic", "orders/create", "X-Shopify-Hmac-Sha256",
            Signatures.base64(Secret.of("wrong secret"), bytes)));
        final String otherBody = body.replace("\"quantity\":2", "\"quantity\":20");
        assertUnauthorized(post("shopify", otherBody, "X-Shopify-Topic", "orders/create", "X-Shopify-Hmac-Sha256", signature));
        assertThat(committed(0)).isZero();
        assertThat(orderStatus("shopify", "820982911946154508")).isEqualTo(404);

        final HttpResponse<String> created = post("shopify", body, "X-Shopify-Topic", "orders/create",
            "X-Shopify-Hmac-Sha256", signature, "X-Shopify-Webhook-Id", "b54557e4");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        final JsonNode order = JSON.readTree(created.body());
        assertThat(order.path("order_id").asText()).isEqualTo("820982911946154508");
        assertThat(order.path("channel").asText()).isEqualTo("shopify");
        assertThat(committed(0)).isEqualTo(2);
        assertThat(committed(1)).isEqualTo(1);

        final HttpResponse<String> redelivered = post("shopify", body, "X-Shopify-Topic", "orders/create",
            "X-Shopify-Hmac-Sha256", signature, "X-Shopify-Webhook-Id", "b54557e4");
        assertThat(redelivered.statusCode()).isEqualTo(200);
        assertThat(redelivered.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(JSON.readTree(redelivered.body()).path("version").asLong()).isEqualTo(order.path("version").asLong());
        assertThat(committed(0)).isEqualTo(2);
        assertThat(orderStatus("shopify", "820982911946154508")).isEqualTo(200);
    }

    @Test
    void wooCommerceOrderCreated() throws Exception
    {
        final String body = "{\"id\":727,\"status\":\"processing\",\"line_items\":[{\"product_id\":5002,\"sku\":\"\","
            + "\"quantity\":3}],\"shipping\":{\"country\":\"US\",\"postcode\":\"10001\"}}";
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final String signature = Signatures.base64(Secret.of(WOO_SECRET), bytes);
        assertUnauthorized(post("woo", body, "X-WC-Webhook-Topic", "order.created"));
        assertUnauthorized(post("woo", body, "X-WC-Webhook-Topic", "order.created", "X-WC-Webhook-Signature",
            Signatures.base64(Secret.of(SHOPIFY_SECRET), bytes)));
        assertThat(committed(2)).isZero();

        final HttpResponse<String> created = post("woo", body, "X-WC-Webhook-Topic", "order.created",
            "X-WC-Webhook-Signature", signature);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(committed(2)).as("product 5002 maps back to sku-2").isEqualTo(3);
        final HttpResponse<String> again = post("woo", body, "X-WC-Webhook-Topic", "order.created",
            "X-WC-Webhook-Signature", signature);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(committed(2)).isEqualTo(3);

        final String ping = "webhook_id=12";
        final HttpResponse<String> pinged = post("woo", ping, "X-WC-Webhook-Signature",
            Signatures.base64(Secret.of(WOO_SECRET), ping.getBytes(StandardCharsets.UTF_8)));
        assertThat(pinged.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(pinged.body()).path("ignored").asBoolean()).isTrue();
    }

    @Test
    void genericSignedWebhook() throws Exception
    {
        final String body = "{\"order_id\":\"P-77\",\"lines\":[{\"sku\":\"sku-1\",\"qty\":4}],"
            + "\"destination\":{\"country\":\"US\",\"postal_code\":\"94607\"}}";
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final String now = Long.toString(System.currentTimeMillis() / 1000);
        final String signature = Signatures.sign(Secret.of(FakeWebhookReceiver.SECRET), now, bytes);

        assertUnauthorized(post("partner", body, Signatures.SIGNATURE_HEADER, signature));
        assertUnauthorized(post("partner", body, Signatures.TIMESTAMP_HEADER, Long.toString(Long.parseLong(now) + 1),
            Signatures.SIGNATURE_HEADER, signature));
        final String old = Long.toString(System.currentTimeMillis() / 1000 - 3600);
        assertUnauthorized(post("partner", body, Signatures.TIMESTAMP_HEADER, old, Signatures.SIGNATURE_HEADER,
            Signatures.sign(Secret.of(FakeWebhookReceiver.SECRET), old, bytes)));
        assertUnauthorized(post("partner", body, Signatures.TIMESTAMP_HEADER, now, Signatures.SIGNATURE_HEADER,
            Signatures.sign(Secret.of("not the secret"), now, bytes)));
        assertThat(committed(1)).isZero();

        final HttpResponse<String> created = post("partner", body, Signatures.TIMESTAMP_HEADER, now,
            Signatures.SIGNATURE_HEADER, signature);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(committed(1)).isEqualTo(4);
        final HttpResponse<String> duplicate = post("partner", body, Signatures.TIMESTAMP_HEADER, now,
            Signatures.SIGNATURE_HEADER, signature);
        assertThat(duplicate.statusCode()).isEqualTo(200);
        assertThat(duplicate.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(committed(1)).isEqualTo(4);

        final String unknown = "{\"order_id\":\"P-78\",\"lines\":[{\"sku\":\"nope\",\"qty\":1}]}";
        final HttpResponse<String> rejected = post("partner", unknown, Signatures.TIMESTAMP_HEADER, now,
            Signatures.SIGNATURE_HEADER, Signatures.sign(Secret.of(FakeWebhookReceiver.SECRET), now,
                unknown.getBytes(StandardCharsets.UTF_8)));
        assertThat(rejected.statusCode()).isEqualTo(404);
        assertThat(rejected.body()).doesNotContain(FakeWebhookReceiver.SECRET);
    }

    @Test
    void channelsWithoutAnOrderWebhookAreNotFound() throws Exception
    {
        assertThat(post("amazon", "{}").statusCode()).isEqualTo(404);
        assertThat(post("nope", "{}").statusCode()).isEqualTo(404);
        assertThat(harness.http("GET", String.format(PATH, "partner"), null, null).statusCode()).isEqualTo(405);
    }
}
