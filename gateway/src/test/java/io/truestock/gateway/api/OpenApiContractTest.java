package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.truestock.gateway.api.ApiHarness.RawResponse;
import io.truestock.gateway.api.ApiHarness.Reply;
import io.truestock.gateway.sync.ConnectorConfig;
import io.truestock.gateway.sync.Secret;
import io.truestock.gateway.sync.Signatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.truestock.gateway.api.ApiHarness.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the real server to the OpenAPI document it serves at {@code GET /v1/openapi.json}: every operation of the
 * document is called, with successes and errors, and each answer's status, media type and body are checked against
 * what the document declares for that operation and status ({@link OpenApiContract}). Each body is also held to
 * the document with its object schemas closed, so a field the server sends and the document does not name fails
 * too. A server that answers what the document does not say, or a document that no longer describes what the
 * server answers, fails here.
 */
class OpenApiContractTest
{
    private static final String WEBHOOK_SECRET = "whsec_contract";
    private static final String WEEKDAYS = "[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"]";
    private static final Set<String> PUBLIC_OPERATIONS = Set.of("GET /health", "GET /metrics",
        "GET /v1/openapi.json");

    /** The generic webhook connector's receiving end: takes every update. */
    private static final HttpServer PARTNER_RECEIVER = partnerReceiver();

    @RegisterExtension
    static final ApiHarness api = new ApiHarness(config -> config.connectors().addAll(List.of(
        new ConnectorConfig("partner", ConnectorConfig.Type.WEBHOOK)
            .baseUrl(URI.create("http://127.0.0.1:" + PARTNER_RECEIVER.getAddress().getPort() + "/stock"))
            .secret("secret", Secret.of(WEBHOOK_SECRET)),
        new ConnectorConfig("whatsapp", ConnectorConfig.Type.META)
            .baseUrl(URI.create("http://127.0.0.1:" + PARTNER_RECEIVER.getAddress().getPort()))
            .secret("access_token", Secret.of("EAAG")).secret("app_secret", Secret.of(WEBHOOK_SECRET))
            .secret("verify_token", Secret.of("verify")).option("catalog_id", "1"),
        new ConnectorConfig("tiktok", ConnectorConfig.Type.TIKTOK)
            .baseUrl(URI.create("http://127.0.0.1:" + PARTNER_RECEIVER.getAddress().getPort()))
            .secret("app_key", Secret.of("key")).secret("app_secret", Secret.of(WEBHOOK_SECRET))
            .secret("refresh_token", Secret.of("refresh")).option("shop_cipher", "c")
            .option("orders_poll_seconds", "86400"))));
    private static OpenApiContract contract;
    private static OpenApiContract closedContract;

    @BeforeAll
    static void loadTheServedDocument()
    {
        final Reply served = api.sendAs(null, "GET", "/v1/openapi.json", null);
        assertThat(served.status()).isEqualTo(200);
        contract = new OpenApiContract(served.body());
        closedContract = contract.closed();
    }

    @AfterAll
    static void stopTheReceiver()
    {
        PARTNER_RECEIVER.stop(0);
    }

    private static HttpServer partnerReceiver()
    {
        try
        {
            final HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            receiver.createContext("/", exchange ->
            {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            receiver.start();
            return receiver;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Test
    void everyOperationAnswersAsTheServedDocumentSays() throws Exception
    {
        final String agent = call("POST /v1/api-keys", 201, ADMIN_TOKEN, "{\"scope\":\"agent\"}").json()
            .path("key").asText();
        call("POST /v1/api-keys", 400, ADMIN_TOKEN, "{\"scope\":\"root\"}");
        call("POST /v1/api-keys", 403, agent, "{\"scope\":\"agent\"}");
        call("POST /v1/api-keys", 400, ADMIN_TOKEN, "{\"scope\":\"agent\",\"expires_at\":\"soon\"}");
        final String doomed = call("POST /v1/api-keys", 201, ADMIN_TOKEN, "{\"scope\":\"channel:shopify\"," +
            "\"name\":\"doomed\",\"expires_at\":\"2099-01-01T00:00:00Z\",\"rate_limit\":{\"reads_per_second\":10}}")
            .json().path("id").asText();
        call("GET /v1/api-keys", 200, ADMIN_TOKEN, null);
        call("GET /v1/api-keys", 401, null, null);
        call("GET /v1/api-keys", 403, agent, null);
        call("DELETE /v1/api-keys/{id}", "/v1/api-keys/" + doomed, 200, ADMIN_TOKEN, null);
        call("DELETE /v1/api-keys/{id}", "/v1/api-keys/" + doomed, 404, ADMIN_TOKEN, null);
        call("DELETE /v1/api-keys/{id}", "/v1/api-keys/admin", 409, ADMIN_TOKEN, null);
        call("DELETE /v1/api-keys/{id}", "/v1/api-keys/admin", 403, agent, null);

        operations(agent);
        catalog(agent);
        stock();
        inventory(agent);
        reads();
        reservations(agent);
        orders();
        audit(agent);
        channels(agent);
        payloadTooLarge();

        final Set<String> withoutSuccess = new TreeSet<>();
        final Set<String> withoutClientError = new TreeSet<>();
        for (final String operation : contract.operations())
        {
            final Set<Integer> statuses = contract.checked().getOrDefault(operation, Set.of());
            if (statuses.stream().noneMatch(status -> status >= 200 && status < 300))
            {
                withoutSuccess.add(operation);
            }
            if (!PUBLIC_OPERATIONS.contains(operation) && statuses.stream().noneMatch(status -> status >= 400 &&
                status < 500))
            {
                withoutClientError.add(operation);
            }
        }
        assertThat(withoutSuccess).as("operations never answered with a success").isEmpty();
        assertThat(withoutClientError).as("operations never answered with a client error").isEmpty();
    }

    @Test
    void oneOfOverlappingProblemsRejectsARealOutOfStockBody()
    {
        api.defineLocation("elm");
        api.defineChannel("web");
        api.defineSku("rare", 100);
        api.receive("rare", "elm", 1);
        final Reply outOfStock = api.send("POST", "/v1/reservations", ApiHarness.reserveBody("web", "rare", 5));
        assertThat(outOfStock.status()).isEqualTo(409);
        assertThat(outOfStock.json().path("code").asText()).isEqualTo("out_of_stock");
        contract.check("POST /v1/reservations", 409, outOfStock.contentType(), outOfStock.body());

        // The same body against a 409 declared as oneOf [OutOfStockProblem, Problem]: it matches both, so oneOf fails.
        final ObjectNode document = contract.document().deepCopy();
        final ObjectNode conflict = (ObjectNode)document.at(
            "/paths/~1v1~1reservations/post/responses/409/content/application~1problem+json");
        conflict.putObject("schema").putArray("oneOf")
            .add(ref("#/components/schemas/OutOfStockProblem"))
            .add(ref("#/components/schemas/Problem"));
        final OpenApiContract overlapping = new OpenApiContract(document.toString());
        assertThat(overlapping.problems("POST /v1/reservations", 409, outOfStock.contentType(), outOfStock.body()))
            .isNotEmpty();
    }

    @Test
    void aResponseThatDriftsFromItsSchemaFails()
    {
        api.defineLocation("ash");
        api.defineChannel("mail");
        final Reply location = api.send("PUT", "/v1/locations/ash", "{\"name\":\"Ash\"}");
        assertThat(contract.problems("PUT /v1/locations/{id}", 200, location.contentType(), location.body()))
            .isEmpty();
        assertThat(contract.problems("PUT /v1/locations/{id}", 418, location.contentType(), location.body()))
            .as("an undeclared status").isNotEmpty();
        assertThat(contract.problems("PUT /v1/locations/{id}", 200, "text/html", location.body()))
            .as("an undeclared media type").isNotEmpty();

        final ObjectNode renamed = (ObjectNode)location.json();
        renamed.set("title", renamed.remove("name"));
        assertThat(contract.problems("PUT /v1/locations/{id}", 200, location.contentType(), renamed.toString()))
            .as("a required field renamed").isNotEmpty();
        final ObjectNode retyped = (ObjectNode)location.json();
        retyped.put("priority", "7");
        assertThat(contract.problems("PUT /v1/locations/{id}", 200, location.contentType(), retyped.toString()))
            .as("a field of another type").isNotEmpty();
        final ObjectNode extended = (ObjectNode)location.json();
        extended.put("colour", "green");
        assertThat(contract.problems("PUT /v1/locations/{id}", 200, location.contentType(), extended.toString()))
            .as("the served document leaves response objects open").isEmpty();
        assertThat(closedContract.problems("PUT /v1/locations/{id}", 200, location.contentType(),
            extended.toString())).as("a field the schema does not name").isNotEmpty();
    }

    // ---- the scenario, by area ----

    private static void operations(final String agent)
    {
        call("GET /health", 200, null, null);
        call("GET /metrics", 200, null, null);
        call("GET /v1/openapi.json", 200, null, null);
        call("GET /v1/carriers", 401, null, null);
        call("GET /v1/carriers", 200, agent, null);
        call("GET /v1/carriers", "/v1/carriers?min_version=0", 200, agent, null);
        call("GET /v1/carriers", "/v1/carriers?min_version=soon", 400, agent, null);
        call("POST /v1/admin/snapshot", 200, ADMIN_TOKEN, null);
        call("POST /v1/admin/snapshot", 403, agent, null);
        call("POST /v1/admin/snapshot", 401, null, null);
    }

    private static void catalog(final String agent)
    {
        call("PUT /v1/locations/{id}", "/v1/locations/oak", 200, ADMIN_TOKEN,
            "{\"name\":\"Oakland DC\",\"timezone\":\"America/Los_Angeles\",\"country\":\"US\",\"postal_code\":" +
            "\"94607\",\"priority\":1,\"cutoff\":\"14:00\",\"handling_days\":1,\"working_days\":" + WEEKDAYS +
            ",\"holidays\":[\"2026-12-25\"]}");
        call("PUT /v1/locations/{id}", "/v1/locations/nj", 200, ADMIN_TOKEN, "{\"name\":\"Newark\"}");
        call("PUT /v1/locations/{id}", "/v1/locations/oak", 400, ADMIN_TOKEN, "{\"name\":\"x\",\"size\":1}");
        call("PUT /v1/locations/{id}", "/v1/locations/oak", 401, null, "{\"name\":\"x\"}");
        call("PUT /v1/locations/{id}", "/v1/locations/oak", 403, agent, "{\"name\":\"x\"}");

        for (final String channel : new String[] {"shopify", "amazon", "partner", "whatsapp"})
        {
            call("PUT /v1/channels/{id}", "/v1/channels/" + channel, 200, ADMIN_TOKEN,
                "{\"name\":\"" + channel + "\",\"locations\":[\"oak\",\"nj\"],\"percent\":100,\"buffer\":0," +
                "\"low_stock_threshold\":5}");
        }
        call("PUT /v1/channels/{id}", "/v1/channels/ebay", 404, ADMIN_TOKEN,
            "{\"name\":\"eBay\",\"locations\":[\"nowhere\"]}");
        call("PUT /v1/channels/{id}", "/v1/channels/ebay", 400, ADMIN_TOKEN, "{\"name\":7}");

        call("PUT /v1/skus/{sku}", "/v1/skus/shoe", 200, ADMIN_TOKEN,
            "{\"title\":\"Trail shoe 42\",\"price\":{\"amount\":8999,\"currency\":\"USD\"}}");
        call("PUT /v1/skus/{sku}", "/v1/skus/lace", 200, ADMIN_TOKEN, "{\"title\":\"Lace\"}");
        call("PUT /v1/skus/{sku}", "/v1/skus/kit", 200, ADMIN_TOKEN,
            "{\"title\":\"Shoe and laces\",\"components\":[{\"sku\":\"shoe\",\"qty\":1},{\"sku\":\"lace\",\"qty\":2}]}");
        call("PUT /v1/skus/{sku}", "/v1/skus/odd", 404, ADMIN_TOKEN,
            "{\"title\":\"Odd\",\"components\":[{\"sku\":\"nothing\",\"qty\":1}]}");
        call("PUT /v1/skus/{sku}", "/v1/skus/shoe", 403, agent, "{\"title\":\"x\"}");
        call("GET /v1/skus/{sku}", "/v1/skus/shoe", 200, agent, null);
        call("GET /v1/skus/{sku}", "/v1/skus/kit", 200, agent, null);
        call("GET /v1/skus/{sku}", "/v1/skus/boot", 404, agent, null);

        call("PUT /v1/skus/{sku}/prices", "/v1/skus/shoe/prices", 200, ADMIN_TOKEN,
            "{\"base\":{\"amount\":8999,\"currency\":\"USD\"},\"channels\":{\"amazon\":{\"amount\":9499," +
            "\"currency\":\"USD\"}},\"sales\":[{\"amount\":6999,\"currency\":\"USD\",\"start\":" +
            "\"2026-11-27T08:00:00.000Z\",\"end\":\"2026-11-28T08:00:00.000Z\",\"channels\":[\"shopify\"]}]}");
        call("PUT /v1/skus/{sku}/prices", "/v1/skus/boot/prices", 404, ADMIN_TOKEN,
            "{\"base\":{\"amount\":1,\"currency\":\"USD\"}}");
        call("GET /v1/skus/{sku}/prices", "/v1/skus/shoe/prices", 200, agent, null);
        call("GET /v1/skus/{sku}/prices", "/v1/skus/boot/prices", 404, agent, null);

        call("PUT /v1/carriers/{id}", "/v1/carriers/ups", 200, ADMIN_TOKEN,
            "{\"name\":\"UPS\",\"services\":[{\"id\":\"ground\",\"name\":\"Ground\",\"working_days\":" + WEEKDAYS +
            ",\"zones\":[{\"location\":\"oak\",\"country\":\"US\",\"postal_prefix\":\"9\",\"min_transit_days\":1," +
            "\"max_transit_days\":2}]}]}");
        call("PUT /v1/carriers/{id}", "/v1/carriers/ups", 400, ADMIN_TOKEN, "{\"name\":\"UPS\",\"services\":7}");
        call("GET /v1/carriers/{id}", "/v1/carriers/ups", 200, agent, null);
        call("GET /v1/carriers/{id}", "/v1/carriers/fedex", 404, agent, null);
    }

    private static void stock()
    {
        call("POST /v1/stock/receive", 200, ADMIN_TOKEN,
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":10,\"reason\":\"po-1\",\"reference\":\"PO-1\"}");
        call("POST /v1/stock/receive", 200, ADMIN_TOKEN, "{\"sku\":\"lace\",\"location\":\"oak\",\"qty\":40}");
        call("POST /v1/stock/receive", 404, ADMIN_TOKEN, "{\"sku\":\"shoe\",\"location\":\"attic\",\"qty\":1}");
        call("POST /v1/stock/receive", 400, ADMIN_TOKEN, "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":0}");
        call("POST /v1/stock/adjust", 200, ADMIN_TOKEN, "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-1}");
        call("POST /v1/stock/adjust", 409, ADMIN_TOKEN, "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-100}");
        call("POST /v1/stock/set", 200, ADMIN_TOKEN,
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":12,\"safety\":1,\"expected_on_hand\":9}");
        call("POST /v1/stock/set", 409, ADMIN_TOKEN,
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":5,\"expected_on_hand\":1}");
        call("POST /v1/stock/set", 400, ADMIN_TOKEN, "{\"sku\":\"shoe\",\"location\":\"oak\"}");
    }

    private static void inventory(final String agent)
    {
        call("GET /v1/channels", 200, agent, null);
        call("GET /v1/channels", 401, null, null);
        final String unchanged = "sku,location,on_hand\nshoe,oak,12\n";
        call("POST /v1/import/inventory", "/v1/import/inventory?format=plain&dry_run=true", 200, ADMIN_TOKEN,
            "sku,location,on_hand\nshoe,oak,13\n", "Content-Type", "text/csv");
        call("POST /v1/import/inventory", "/v1/import/inventory?format=plain", 200, ADMIN_TOKEN, unchanged,
            "Content-Type", "text/csv");
        call("POST /v1/import/inventory", "/v1/import/inventory?format=plain", 400, ADMIN_TOKEN,
            "sku,location,on_hand\nshoe,attic,1\n", "Content-Type", "text/csv");
        call("POST /v1/import/inventory", "/v1/import/inventory?format=xlsx", 400, ADMIN_TOKEN, unchanged);
        call("POST /v1/import/inventory", "/v1/import/inventory", 403, agent, unchanged);
        call("GET /v1/export/inventory", "/v1/export/inventory?format=shopify", 200, ADMIN_TOKEN, null);
        call("GET /v1/export/inventory", "/v1/export/inventory?location=oak", 200, ADMIN_TOKEN, null);
        call("GET /v1/export/inventory", "/v1/export/inventory?format=xlsx", 400, ADMIN_TOKEN, null);
        call("GET /v1/export/inventory", "/v1/export/inventory?location=attic", 404, ADMIN_TOKEN, null);
        call("GET /v1/export/inventory", "/v1/export/inventory", 403, agent, null);
    }

    private static void reads()
    {
        call("GET /v1/availability/{sku}", "/v1/availability/shoe?channel=shopify", 200, ADMIN_TOKEN, null);
        call("GET /v1/availability/{sku}", "/v1/availability/shoe", 400, ADMIN_TOKEN, null);
        call("GET /v1/availability/{sku}", "/v1/availability/boot?channel=shopify", 404, ADMIN_TOKEN, null);
        call("GET /v1/availability", "/v1/availability?channel=shopify&skus=shoe,lace,kit", 200, ADMIN_TOKEN, null);
        call("GET /v1/availability", "/v1/availability?channel=shopify", 400, ADMIN_TOKEN, null);
        call("GET /v1/availability", "/v1/availability?channel=nowhere&skus=shoe", 404, ADMIN_TOKEN, null);
        call("GET /v1/offers/{sku}", "/v1/offers/shoe?channel=shopify&qty=1", 200, ADMIN_TOKEN, null);
        call("GET /v1/offers/{sku}", "/v1/offers/shoe?channel=shopify&qty=2&country=US&postal_code=94103", 200,
            ADMIN_TOKEN, null);
        call("GET /v1/offers/{sku}", "/v1/offers/shoe?channel=shopify&qty=0", 400, ADMIN_TOKEN, null);
        call("GET /v1/offers/{sku}", "/v1/offers/boot?channel=shopify", 404, ADMIN_TOKEN, null);
    }

    private static void reservations(final String agent)
    {
        final String held = call("POST /v1/reservations", 201, agent,
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1},{\"sku\":\"kit\",\"qty\":1}]," +
            "\"ttl_seconds\":900,\"reference\":\"cart-1\"}").json().path("id").asText();
        final String keyed = ApiHarness.reserveBody("shopify", "lace", 1);
        call("POST /v1/reservations", "/v1/reservations", 201, agent, keyed, "Idempotency-Key", "cart-2");
        final Reply replayed = call("POST /v1/reservations", "/v1/reservations", 201, agent, keyed,
            "Idempotency-Key", "cart-2");
        assertThat(replayed.replayed()).isTrue();
        call("POST /v1/reservations", "/v1/reservations", 422, agent, ApiHarness.reserveBody("shopify", "lace", 2),
            "Idempotency-Key", "cart-2");
        final JsonNode outOfStock = call("POST /v1/reservations", 409, agent,
            ApiHarness.reserveBody("shopify", "shoe", 1000)).json();
        assertThat(outOfStock.path("code").asText()).isEqualTo("out_of_stock");
        assertThat(outOfStock.path("lines").isArray()).isTrue();
        call("POST /v1/reservations", 404, agent, ApiHarness.reserveBody("shopify", "boot", 1));
        call("POST /v1/reservations", 400, agent, "{\"channel\":\"shopify\",\"lines\":[]}");

        call("GET /v1/reservations/{id}", "/v1/reservations/" + held, 200, agent, null);
        call("GET /v1/reservations/{id}", "/v1/reservations/999999", 404, agent, null);
        call("POST /v1/reservations/{id}/extend", "/v1/reservations/" + held + "/extend", 200, agent,
            "{\"ttl_seconds\":1200}");
        call("POST /v1/reservations/{id}/extend", "/v1/reservations/999999/extend", 404, agent,
            "{\"ttl_seconds\":1200}");
        call("POST /v1/reservations/{id}/extend", "/v1/reservations/" + held + "/extend", 400, agent,
            "{\"ttl_seconds\":0}");

        final JsonNode offer = call("GET /v1/offers/{sku}",
            "/v1/offers/shoe?channel=shopify&qty=1&country=US&postal_code=94103", 200, agent, null).json();
        call("POST /v1/reservations/{id}/confirm", "/v1/reservations/" + held + "/confirm", 200, agent,
            "{\"order_id\":\"W-1\",\"destination\":{\"country\":\"US\",\"postal_code\":\"94103\"},\"quote_ids\":[\"" +
            offer.path("quote").path("id").asText() + "\"]}");
        call("POST /v1/reservations/{id}/confirm", "/v1/reservations/" + held + "/confirm", 409, agent,
            "{\"order_id\":\"W-2\"}");
        call("POST /v1/reservations/{id}/confirm", "/v1/reservations/999999/confirm", 404, agent,
            "{\"order_id\":\"W-3\"}");

        final String released = api.reserve("shopify", "lace", 1);
        call("DELETE /v1/reservations/{id}", "/v1/reservations/" + released, 200, agent, null);
        call("DELETE /v1/reservations/{id}", "/v1/reservations/" + released, 409, agent, null);
        call("DELETE /v1/reservations/{id}", "/v1/reservations/999999", 404, agent, null);

        final String brief = call("POST /v1/reservations", 201, agent,
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"lace\",\"qty\":1}],\"ttl_seconds\":1}").json()
            .path("id").asText();
        ApiHarness.pollUntil(() -> api.sendAs(agent, "GET", "/v1/reservations/" + brief, null),
            reply -> reply.json().path("status").asText().equals("expired"), "the reservation to expire");
        call("POST /v1/reservations/{id}/confirm", "/v1/reservations/" + brief + "/confirm", 410, agent,
            "{\"order_id\":\"W-4\"}");
        call("POST /v1/reservations/{id}/extend", "/v1/reservations/" + brief + "/extend", 410, agent,
            "{\"ttl_seconds\":60}");
    }

    private static void orders()
    {
        final String shipped = ApiHarness.orderBody("amazon", "A-1", "shoe", 2);
        call("POST /v1/orders", 201, ADMIN_TOKEN, shipped);
        final Reply repeat = call("POST /v1/orders", 200, ADMIN_TOKEN, shipped);
        assertThat(repeat.replayed()).isTrue();
        call("POST /v1/orders", 201, ADMIN_TOKEN, "{\"channel\":\"amazon\",\"order_id\":\"A-2\",\"lines\":[{\"sku\":" +
            "\"lace\",\"qty\":1000}],\"destination\":{\"country\":\"US\",\"postal_code\":\"94103\"}}");
        call("POST /v1/orders", 400, ADMIN_TOKEN, "{\"channel\":\"amazon\",\"lines\":[]}");
        call("POST /v1/orders", 404, ADMIN_TOKEN, ApiHarness.orderBody("nowhere", "A-3", "shoe", 1));

        call("GET /v1/orders/{order_id}", "/v1/orders/A-1?channel=amazon", 200, ADMIN_TOKEN, null);
        call("GET /v1/orders/{order_id}", "/v1/orders/A-9?channel=amazon", 404, ADMIN_TOKEN, null);
        call("POST /v1/orders/{order_id}/ship", "/v1/orders/A-1/ship", 200, ADMIN_TOKEN, "{\"channel\":\"amazon\"}");
        call("POST /v1/orders/{order_id}/cancel", "/v1/orders/A-1/cancel", 409, ADMIN_TOKEN,
            "{\"channel\":\"amazon\"}");
        call("POST /v1/orders/{order_id}/cancel", "/v1/orders/A-2/cancel", 200, ADMIN_TOKEN,
            "{\"channel\":\"amazon\"}");
        call("POST /v1/orders/{order_id}/ship", "/v1/orders/A-9/ship", 404, ADMIN_TOKEN, "{\"channel\":\"amazon\"}");
    }

    private static void audit(final String agent)
    {
        call("GET /v1/audit", "/v1/audit?sku=shoe&limit=5", 200, ADMIN_TOKEN, null);
        call("GET /v1/audit", "/v1/audit?limit=0", 400, ADMIN_TOKEN, null);
        call("GET /v1/audit", "/v1/audit", 403, agent, null);
        call("GET /v1/audit/verify", 200, ADMIN_TOKEN, null);
        call("GET /v1/audit/verify", 403, agent, null);
    }

    private static void channels(final String agent) throws Exception
    {
        call("GET /v1/channels/{id}/sync", "/v1/channels/partner/sync", 200, ADMIN_TOKEN, null);
        call("GET /v1/channels/{id}/sync", "/v1/channels/shopify/sync", 404, ADMIN_TOKEN, null);
        call("POST /v1/channels/{id}/reconcile", "/v1/channels/partner/reconcile", 202, ADMIN_TOKEN, null);
        call("POST /v1/channels/{id}/reconcile", "/v1/channels/partner/reconcile", 403, agent, null);

        final String order = "{\"order_id\":\"P-1\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]," +
            "\"destination\":{\"country\":\"US\",\"postal_code\":\"94607\"}}";
        final String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        final String signature = Signatures.sign(Secret.of(WEBHOOK_SECRET), timestamp,
            order.getBytes(StandardCharsets.UTF_8));
        final String webhook = "POST /v1/channels/{id}/webhooks/orders";
        final String partnerHook = "/v1/channels/partner/webhooks/orders";
        call(webhook, partnerHook, 201, null, order, Signatures.TIMESTAMP_HEADER, timestamp,
            Signatures.SIGNATURE_HEADER, signature);
        call(webhook, partnerHook, 200, null, order, Signatures.TIMESTAMP_HEADER, timestamp,
            Signatures.SIGNATURE_HEADER, signature);
        call(webhook, partnerHook, 401, null, order, Signatures.TIMESTAMP_HEADER, timestamp,
            Signatures.SIGNATURE_HEADER, "v1=00");
        call(webhook, "/v1/channels/amazon/webhooks/orders", 404, null, order);

        final String handshake = "GET /v1/channels/{id}/webhooks/orders";
        call(handshake, "/v1/channels/whatsapp/webhooks/orders?hub.mode=subscribe&hub.verify_token=verify&hub.challenge=42",
            200, null, null);
        call(handshake, "/v1/channels/whatsapp/webhooks/orders?hub.mode=subscribe&hub.verify_token=no&hub.challenge=42",
            401, null, null);
        call(handshake, partnerHook, 405, null, null);
        final String message = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
            + "\"value\":{\"messages\":[{\"id\":\"wamid.C1\",\"type\":\"order\",\"order\":{\"product_items\":["
            + "{\"product_retailer_id\":\"shoe\",\"quantity\":1}]}}]},\"field\":\"messages\"}]}]}";
        final String hub = "sha256=" + java.util.HexFormat.of().formatHex(Signatures.hmac(Secret.of(WEBHOOK_SECRET),
            message.getBytes(StandardCharsets.UTF_8)));
        call(webhook, "/v1/channels/whatsapp/webhooks/orders", 201, null, message, "X-Hub-Signature-256", hub);
        call(webhook, "/v1/channels/whatsapp/webhooks/orders", 401, null, message, "X-Hub-Signature-256", "sha256=00");
        final String push = "{\"type\":1,\"shop_id\":\"7494\",\"data\":{\"order_id\":\"576461413038785752\"}}";
        final String pushSignature = java.util.HexFormat.of().formatHex(Signatures.hmac(Secret.of(WEBHOOK_SECRET),
            "key".getBytes(StandardCharsets.UTF_8), push.getBytes(StandardCharsets.UTF_8)));
        call(webhook, "/v1/channels/tiktok/webhooks/orders", 200, null, push, "Authorization", pushSignature);

        final String updates = "GET /v1/channels/{id}/updates";
        call(updates, "/v1/channels/shopify/updates", 406, agent, null);
        call(updates, "/v1/channels/nowhere/updates", 404, agent, null, "Accept", "text/event-stream");
        call(updates, "/v1/channels/shopify/updates", 401, null, null, "Accept", "text/event-stream");
        firstStreamItem(agent, updates, "/v1/channels/shopify/updates?since=0", "StreamUpdate");

        call("GET /v1/channels", 200, agent, null);
        call("GET /v1/channels", 401, null, null);
        final String multiplexed = "GET /v1/updates";
        call(multiplexed, "/v1/updates", 406, agent, null);
        call(multiplexed, "/v1/updates?channels=shopify,nowhere", 404, agent, null, "Accept", "text/event-stream");
        call(multiplexed, "/v1/updates?channels=shopify,shopify", 400, agent, null, "Accept", "text/event-stream");
        call(multiplexed, "/v1/updates", 401, null, null, "Accept", "text/event-stream");
        firstStreamItem(agent, multiplexed, "/v1/updates?channels=amazon,shopify&since=0", "StreamUpdate");
        final String live = "GET /v1/metrics/stream";
        call(live, "/v1/metrics/stream", 406, agent, null);
        call(live, "/v1/metrics/stream", 401, null, null, "Accept", "text/event-stream");
        firstStreamItem(agent, live, "/v1/metrics/stream", "LiveSample");
    }

    /** Opens an SSE stream, checks the response head and validates its first item against the schema named. */
    private static void firstStreamItem(final String agent, final String operation, final String path,
        final String schema) throws Exception
    {
        final HttpRequest request = api.request(agent, "GET", path, null, "Accept", "text/event-stream");
        final HttpResponse<InputStream> response = api.client().send(request,
            HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)))
        {
            final String contentType = response.headers().firstValue("Content-Type").orElse("");
            contract.check(operation, response.statusCode(), contentType, "");
            String line = lines.readLine();
            while (line != null && !line.startsWith("data: "))
            {
                line = lines.readLine();
            }
            assertThat(line).as("a first stream item of " + path).isNotNull();
            final JsonNode item = contract.document().at("/paths/" +
                operation.substring("GET ".length()).replace("~", "~0").replace("/", "~1") +
                "/get/responses/200/content/text~1event-stream/x-stream-item");
            assertThat(item.path("$ref").asText()).isEqualTo("#/components/schemas/" + schema);
            assertThat(contract.validate("/components/schemas/" + schema, line.substring("data: ".length())))
                .isEmpty();
        }
    }

    /** A body over the 64 KiB bound, sent on a raw socket because the server closes the connection after it. */
    private static void payloadTooLarge() throws Exception
    {
        final String body = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            final OutputStream out = socket.getOutputStream();
            out.write(("PUT /v1/locations/big HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADMIN_TOKEN +
                "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final RawResponse response = ApiHarness.readResponse(socket.getInputStream());
            contract.check("PUT /v1/locations/{id}", response.status(),
                response.headers().getOrDefault("content-type", ""), response.body());
            assertThat(response.status()).isEqualTo(413);
        }
    }

    // ---- calls ----

    private static Reply call(final String operation, final int status, final String token, final String body)
    {
        return call(operation, operation.substring(operation.indexOf(' ') + 1), status, token, body);
    }

    /** Sends the request, requires {@code status} and holds the answer to the served document. */
    private static Reply call(final String operation, final String path, final int status, final String token,
        final String body, final String... headers)
    {
        final String method = operation.substring(0, operation.indexOf(' '));
        final Reply reply = api.sendAs(token, method, path, body, headers);
        assertThat(reply.status()).as("%s %s -> %s", method, path, reply.body()).isEqualTo(status);
        contract.check(operation, reply.status(), reply.contentType(), reply.body());
        assertThat(closedContract.problems(operation, reply.status(), reply.contentType(), reply.body()))
            .as("fields of %s %s -> %s that its schema does not name", method, path, reply.body()).isEmpty();
        return reply;
    }

    private static ObjectNode ref(final String target)
    {
        return JsonNodeFactory.instance.objectNode().put("$ref", target);
    }
}
