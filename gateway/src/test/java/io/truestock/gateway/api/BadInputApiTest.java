package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.api.ApiHarness.RawResponse;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static io.truestock.gateway.api.ApiHarness.reserveBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every malformed, mistyped, out-of-range or oversized request is answered with a 4xx problem+json that names the
 * offending field, and a following read shows that nothing changed: no stock, no reservation, no engine sequence.
 * One server serves every case, so each case also proves that the ones before it left no trace.
 */
class BadInputApiTest
{
    private static final String LONG_ID = "x".repeat(65);
    private static final int BODY_BYTES_1_MIB = 1024 * 1024;

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();
    private static String heldReservation;

    private JsonNode shoeBefore;
    private JsonNode reservationBefore;
    private long sequenceBefore;

    @BeforeAll
    static void start() throws Exception
    {
        api.standardCatalog(10, "shoe");
        heldReservation = api.reserve("shopify", "shoe", 2);
        api.expect(201, "POST", "/v1/orders", ApiHarness.orderBody("amazon", "114-1", "shoe", 1));
    }

    @BeforeEach
    void snapshot()
    {
        shoeBefore = api.stateOf("shoe");
        reservationBefore = api.expect(200, "GET", "/v1/reservations/" + heldReservation, null);
        sequenceBefore = api.sequence();
    }

    @AfterEach
    void nothingChanged()
    {
        assertThat(api.stateOf("shoe")).as("GET /v1/skus/shoe").isEqualTo(shoeBefore);
        assertThat(api.expect(200, "GET", "/v1/reservations/" + heldReservation, null)).isEqualTo(reservationBefore);
        assertThat(api.sequence()).as("engine sequence").isEqualTo(sequenceBefore);
        assertThat(api.expect(200, "GET", "/v1/orders/114-1?channel=amazon", null).path("status").asText())
            .isEqualTo("confirmed");
    }

    static Stream<Arguments> refusedBodies()
    {
        final String r = "/v1/reservations/";
        return Stream.of(
            // reservations
            arguments("malformed JSON", "POST", "/v1/reservations", "{\"channel\":\"shopify\",\"lines\":[", "$"),
            arguments("empty body", "POST", "/v1/reservations", "", "$"),
            arguments("array instead of object", "POST", "/v1/reservations", "[]", "$"),
            arguments("duplicate key", "POST", "/v1/reservations",
                "{\"channel\":\"shopify\",\"channel\":\"amazon\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}", "$"),
            arguments("nesting too deep", "POST", "/v1/reservations",
                "{\"channel\":\"shopify\",\"lines\":" + "[".repeat(40) + "]".repeat(40) + "}", "$"),
            arguments("qty as a string", "POST", "/v1/reservations", reserveLine("\"qty\":\"5\""), "$.lines[0].qty"),
            arguments("qty as a fraction", "POST", "/v1/reservations", reserveLine("\"qty\":1.5"), "$.lines[0].qty"),
            arguments("qty 1e30", "POST", "/v1/reservations", reserveLine("\"qty\":1e30"), "$.lines[0].qty"),
            arguments("qty beyond a long", "POST", "/v1/reservations", reserveLine("\"qty\":99999999999999999999"),
                "$.lines[0].qty"),
            arguments("negative qty", "POST", "/v1/reservations", reserveLine("\"qty\":-1"), "$.lines[0].qty"),
            arguments("zero qty", "POST", "/v1/reservations", reserveLine("\"qty\":0"), "$.lines[0].qty"),
            arguments("qty above 1,000,000", "POST", "/v1/reservations", reserveLine("\"qty\":1000001"),
                "$.lines[0].qty"),
            arguments("qty as a boolean", "POST", "/v1/reservations", reserveLine("\"qty\":true"), "$.lines[0].qty"),
            arguments("qty null", "POST", "/v1/reservations", reserveLine("\"qty\":null"), "$.lines[0].qty"),
            arguments("unknown top-level field", "POST", "/v1/reservations",
                "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}],\"coupon\":\"FREE\"}", "$.coupon"),
            arguments("unknown line field", "POST", "/v1/reservations",
                "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1,\"colour\":\"red\"}]}",
                "$.lines[0].colour"),
            arguments("sku with a space", "POST", "/v1/reservations", reserveBody("shopify", "sh oe", 1),
                "$.lines[0].sku"),
            arguments("sku with a slash", "POST", "/v1/reservations", reserveBody("shopify", "shoe/1", 1),
                "$.lines[0].sku"),
            arguments("sku of 65 characters", "POST", "/v1/reservations", reserveBody("shopify", LONG_ID, 1),
                "$.lines[0].sku"),
            arguments("channel with a bad character", "POST", "/v1/reservations", reserveBody("shop$ify", "shoe", 1),
                "$.channel"),
            arguments("channel of 65 characters", "POST", "/v1/reservations", reserveBody(LONG_ID, "shoe", 1),
                "$.channel"),
            arguments("no lines", "POST", "/v1/reservations", "{\"channel\":\"shopify\",\"lines\":[]}", "$.lines"),
            arguments("lines not an array", "POST", "/v1/reservations", "{\"channel\":\"shopify\",\"lines\":\"shoe\"}",
                "$.lines"),
            arguments("101 lines", "POST", "/v1/reservations", ApiHarness.reserveLinesBody("shopify", "shoe", 101),
                "$.lines"),
            arguments("ttl 0", "POST", "/v1/reservations", reserveTtl("0"), "$.ttl_seconds"),
            arguments("ttl above a day", "POST", "/v1/reservations", reserveTtl("86401"), "$.ttl_seconds"),
            arguments("negative ttl", "POST", "/v1/reservations", reserveTtl("-5"), "$.ttl_seconds"),
            arguments("ttl as a string", "POST", "/v1/reservations", reserveTtl("\"900\""), "$.ttl_seconds"),
            arguments("ttl as a fraction", "POST", "/v1/reservations", reserveTtl("1.5"), "$.ttl_seconds"),
            // extend and confirm of a held reservation
            arguments("extend ttl 0", "POST", r + "{held}/extend", "{\"ttl_seconds\":0}", "$.ttl_seconds"),
            arguments("extend ttl above a day", "POST", r + "{held}/extend", "{\"ttl_seconds\":86401}",
                "$.ttl_seconds"),
            arguments("extend ttl as a string", "POST", r + "{held}/extend", "{\"ttl_seconds\":\"60\"}",
                "$.ttl_seconds"),
            arguments("extend unknown field", "POST", r + "{held}/extend", "{\"ttl_seconds\":60,\"why\":\"x\"}",
                "$.why"),
            arguments("confirm order id of 65 characters", "POST", r + "{held}/confirm",
                "{\"order_id\":\"" + LONG_ID + "\"}", "$.order_id"),
            arguments("confirm order id with a space", "POST", r + "{held}/confirm", "{\"order_id\":\"o 1\"}",
                "$.order_id"),
            arguments("confirm unknown field", "POST", r + "{held}/confirm",
                "{\"order_id\":\"o-1\",\"coupon\":\"FREE\"}", "$.coupon"),
            arguments("confirm destination country not ISO", "POST", r + "{held}/confirm",
                "{\"order_id\":\"o-1\",\"destination\":{\"country\":\"usa\"}}", "$.destination.country"),
            arguments("confirm malformed JSON", "POST", r + "{held}/confirm", "{\"order_id\":", "$"),
            // stock
            arguments("receive qty as a string", "POST", "/v1/stock/receive", receive("\"5\""), "$.qty"),
            arguments("receive qty as a fraction", "POST", "/v1/stock/receive", receive("1.5"), "$.qty"),
            arguments("receive qty 1e30", "POST", "/v1/stock/receive", receive("1e30"), "$.qty"),
            arguments("receive qty beyond a long", "POST", "/v1/stock/receive", receive("99999999999999999999"),
                "$.qty"),
            arguments("receive negative qty", "POST", "/v1/stock/receive", receive("-3"), "$.qty"),
            arguments("receive zero qty", "POST", "/v1/stock/receive", receive("0"), "$.qty"),
            arguments("receive unknown field", "POST", "/v1/stock/receive",
                "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":1,\"note\":\"x\"}", "$.note"),
            arguments("receive location with a bad character", "POST", "/v1/stock/receive",
                "{\"sku\":\"shoe\",\"location\":\"o#k\",\"qty\":1}", "$.location"),
            arguments("receive sku of 65 characters", "POST", "/v1/stock/receive",
                "{\"sku\":\"" + LONG_ID + "\",\"location\":\"oak\",\"qty\":1}", "$.sku"),
            arguments("receive without qty", "POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\"}",
                "$.qty"),
            arguments("adjust delta 0", "POST", "/v1/stock/adjust",
                "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":0}", "$.delta"),
            arguments("adjust delta as a fraction", "POST", "/v1/stock/adjust",
                "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-1.5}", "$.delta"),
            arguments("adjust delta 1e30", "POST", "/v1/stock/adjust",
                "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":1e30}", "$.delta"),
            arguments("set negative on_hand", "POST", "/v1/stock/set",
                "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":-1}", "$.on_hand"),
            arguments("set expected_on_hand as a string", "POST", "/v1/stock/set",
                "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":3,\"expected_on_hand\":\"10\"}",
                "$.expected_on_hand"),
            // orders
            arguments("order qty as a fraction", "POST", "/v1/orders",
                "{\"channel\":\"amazon\",\"order_id\":\"114-2\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1.5}]}",
                "$.lines[0].qty"),
            arguments("order qty beyond a long", "POST", "/v1/orders",
                "{\"channel\":\"amazon\",\"order_id\":\"114-2\",\"lines\":[{\"sku\":\"shoe\"," +
                "\"qty\":99999999999999999999}]}",
                "$.lines[0].qty"),
            arguments("order id with a bad character", "POST", "/v1/orders",
                "{\"channel\":\"amazon\",\"order_id\":\"114/2\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}",
                "$.order_id"),
            arguments("order id of 65 characters", "POST", "/v1/orders",
                "{\"channel\":\"amazon\",\"order_id\":\"" + LONG_ID + "\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}",
                "$.order_id"),
            arguments("order with 101 lines", "POST", "/v1/orders", orderOf101Lines(), "$.lines"),
            // catalog
            arguments("sku price as a fraction", "PUT", "/v1/skus/shoe",
                "{\"title\":\"Shoe\",\"price\":{\"amount\":89.99,\"currency\":\"USD\"}}", "$.price.amount"),
            arguments("sku price as a string", "PUT", "/v1/skus/shoe",
                "{\"title\":\"Shoe\",\"price\":{\"amount\":\"8999\",\"currency\":\"USD\"}}", "$.price.amount"),
            arguments("sku currency not ISO", "PUT", "/v1/skus/shoe",
                "{\"title\":\"Shoe\",\"price\":{\"amount\":1,\"currency\":\"usd\"}}", "$.price.currency"),
            arguments("sku unknown field", "PUT", "/v1/skus/shoe", "{\"title\":\"Shoe\",\"colour\":\"red\"}",
                "$.colour"),
            arguments("component qty 0", "PUT", "/v1/skus/shoe",
                "{\"title\":\"Shoe\",\"components\":[{\"sku\":\"lace\",\"qty\":0}]}", "$.components[0].qty"),
            arguments("channel percent above 100", "PUT", "/v1/channels/shopify", "{\"name\":\"S\",\"percent\":101}",
                "$.percent"),
            arguments("channel buffer as a fraction", "PUT", "/v1/channels/shopify", "{\"name\":\"S\",\"buffer\":0.5}",
                "$.buffer"),
            arguments("channel without a name", "PUT", "/v1/channels/shopify", "{\"percent\":50}", "$.name"),
            arguments("location cutoff 25:00", "PUT", "/v1/locations/oak", "{\"name\":\"Oak\",\"cutoff\":\"25:00\"}",
                "$.cutoff"),
            arguments("location unknown timezone", "PUT", "/v1/locations/oak",
                "{\"name\":\"Oak\",\"timezone\":\"Mars/Base\"}", "$.timezone"),
            arguments("location working day not a day", "PUT", "/v1/locations/oak",
                "{\"name\":\"Oak\",\"working_days\":[\"MON\",\"FUNDAY\"]}", "$.working_days[1]"),
            arguments("location holiday not a date", "PUT", "/v1/locations/oak",
                "{\"name\":\"Oak\",\"holidays\":[\"25/12/2026\"]}", "$.holidays[0]"),
            arguments("api key without scope", "POST", "/v1/api-keys", "{\"name\":\"x\"}", "$.scope"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBodies")
    void refusedBodyIsABadRequestNamingTheFieldAndChangesNothing(
        final String description, final String method, final String path, final String body, final String param)
    {
        final Reply refused = api.send(method, path.replace("{held}", heldReservation), body);

        assertProblem(refused, 400, "invalid_request", param);
        assertThat(refused.json().path("detail").asText()).isNotEmpty();
    }

    static Stream<Arguments> refusedPathIds()
    {
        return Stream.of(
            arguments("PUT", "/v1/skus/" + LONG_ID, "{\"title\":\"Too long\"}"),
            arguments("PUT", "/v1/skus/bad%24id", "{\"title\":\"Dollar\"}"),
            arguments("PUT", "/v1/skus/bad%20id", "{\"title\":\"Space\"}"),
            arguments("PUT", "/v1/locations/" + LONG_ID, "{\"name\":\"Too long\"}"),
            arguments("PUT", "/v1/channels/sh%3Bop", "{\"name\":\"Semicolon\"}"),
            arguments("GET", "/v1/availability/" + LONG_ID + "?channel=shopify", null),
            arguments("GET", "/v1/offers/bad%21id?channel=shopify", null),
            arguments("GET", "/v1/orders/" + LONG_ID + "?channel=amazon", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusedPathIds")
    void badIdInThePathIsABadRequestAndChangesNothing(final String method, final String path, final String body)
    {
        assertProblem(api.send(method, path, body), 400, "invalid_request");
    }

    @Test
    void oneMebibyteBodyIsPayloadTooLarge() throws Exception
    {
        final byte[] padding = new byte[BODY_BYTES_1_MIB];
        Arrays.fill(padding, (byte)' ');
        final byte[] head = ("POST /v1/reservations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
            ApiHarness.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY_BYTES_1_MIB +
            "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final byte[] json = reserveBody("shopify", "shoe", 1).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(json, 0, padding, 0, json.length);

        final RawResponse response;
        final ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            socket.setSoTimeout((int)ApiHarness.REQUEST_TIMEOUT.toMillis());
            final OutputStream out = socket.getOutputStream();
            // The server may answer and close before it has read the whole body; writing runs apart from reading
            // so that a reset on the write side cannot hide the answer.
            writer.submit(() -> writeQuietly(out, head, padding));
            final InputStream in = socket.getInputStream();
            response = ApiHarness.readResponse(in);
        }
        finally
        {
            writer.shutdownNow();
            writer.awaitTermination(10, TimeUnit.SECONDS);
        }

        assertThat(response.status()).as(response.body()).isEqualTo(413);
        assertThat(response.headers().get("content-type")).startsWith(ApiHarness.PROBLEM_JSON);
        assertThat(ApiHarness.parse(response.body()).path("code").asText()).isEqualTo("payload_too_large");
        assertThat(ApiHarness.parse(response.body()).path("status").asInt()).isEqualTo(413);
    }

    @Test
    void oversizedBodyAnnouncedWithExpectContinueIsPayloadTooLarge() throws Exception
    {
        final byte[] head = ("POST /v1/reservations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
            ApiHarness.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n" +
            "Content-Length: " + BODY_BYTES_1_MIB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        final RawResponse response;
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            socket.setSoTimeout((int)ApiHarness.REQUEST_TIMEOUT.toMillis());
            socket.getOutputStream().write(head);
            socket.getOutputStream().flush();
            response = ApiHarness.readResponse(socket.getInputStream());
        }

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers().getOrDefault("content-type", "")).startsWith(ApiHarness.PROBLEM_JSON);
        assertThat(ApiHarness.parse(response.body()).path("code").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void bodyJustOverTheLimitIsPayloadTooLargeThroughAnOrdinaryClient()
    {
        final String body = "{\"name\":\"" + "x".repeat(64 * 1024) + "\"}";

        final Reply refused = api.send("PUT", "/v1/locations/big", body);

        assertProblem(refused, 413, "payload_too_large");
    }

    private static void writeQuietly(final OutputStream out, final byte[] head, final byte[] body)
    {
        try
        {
            out.write(head);
            out.write(body);
            out.flush();
        }
        catch (final IOException ex)
        {
            // Expected when the server has already answered 413 and closed the connection.
        }
    }

    // ---- bodies ----

    private static String reserveLine(final String qtyField)
    {
        return "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\"," + qtyField + "}]}";
    }

    private static String reserveTtl(final String ttl)
    {
        return "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}],\"ttl_seconds\":" + ttl + "}";
    }

    private static String orderOf101Lines()
    {
        return ApiHarness.reserveLinesBody("amazon", "shoe", 101)
            .replace("{\"channel\":\"amazon\",", "{\"channel\":\"amazon\",\"order_id\":\"x-1\",");
    }

    private static String receive(final String qty)
    {
        return "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":" + qty + "}";
    }
}
