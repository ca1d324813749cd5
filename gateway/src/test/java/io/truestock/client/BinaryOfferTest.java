package io.truestock.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.truestock.client.BinaryHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary offer against the HTTP offer on one real server: for the same query both give the same price,
 * availability, status, delivery promise (or reason for none) and a quote with the same lifetime, and a quote from
 * the binary edge is honoured by an HTTP confirmation.
 */
class BinaryOfferTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEEKDAYS = "[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"]";

    @TempDir
    Path dir;
    private BinaryHarness harness;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception
    {
        harness = BinaryHarness.start(dir);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30))
            .build();
        put("/v1/locations/oak", "{\"name\":\"Oakland DC\",\"timezone\":\"America/Los_Angeles\",\"priority\":1," +
            "\"cutoff\":\"14:00\",\"handling_days\":1,\"working_days\":" + WEEKDAYS + "}");
        put("/v1/locations/nj", "{\"name\":\"Newark\",\"timezone\":\"America/New_York\",\"priority\":2," +
            "\"cutoff\":\"16:30\",\"handling_days\":0,\"working_days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\"]," +
            "\"holidays\":[\"2026-12-25\",\"2027-01-01\"]}");
        put("/v1/channels/shopify", "{\"name\":\"Shopify\",\"low_stock_threshold\":5}");
        put("/v1/channels/amazon", "{\"name\":\"Amazon\",\"locations\":[\"nj\"],\"low_stock_threshold\":5}");
        put("/v1/skus/shoe", "{\"title\":\"Shoe\",\"price\":{\"amount\":8999,\"currency\":\"USD\"}}");
        put("/v1/skus/shoe/prices", "{\"base\":{\"amount\":8999,\"currency\":\"USD\"}," +
            "\"channels\":{\"amazon\":{\"amount\":9499,\"currency\":\"USD\"}}}");
        put("/v1/carriers/ups", "{\"name\":\"UPS\",\"services\":[" +
            "{\"id\":\"ground\",\"working_days\":" + WEEKDAYS + ",\"zones\":[" +
            "{\"location\":\"oak\",\"country\":\"US\",\"postal_prefix\":\"9\",\"min_transit_days\":1,\"max_transit_days\":2}," +
            "{\"country\":\"US\",\"min_transit_days\":3,\"max_transit_days\":5}]}," +
            "{\"id\":\"air\",\"working_days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\"],\"zones\":[" +
            "{\"location\":\"nj\",\"country\":\"US\",\"postal_prefix\":\"0\",\"min_transit_days\":1,\"max_transit_days\":1}]}]}");
        BinaryHarness.accepted(harness.admin().receive("shoe", "oak", 6));
        BinaryHarness.accepted(harness.admin().receive("shoe", "nj", 4));
    }

    @AfterEach
    void stop()
    {
        harness.close();
    }

    private HttpResponse<String> send(final String method, final String path, final String body)
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
                harness.server().httpPort() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + BinaryHarness.ADMIN_TOKEN)
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build();
        try
        {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private JsonNode expect(final int status, final String method, final String path, final String body)
    {
        final HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as("%s %s -> %s", method, path, response.body()).isEqualTo(status);
        try
        {
            return JSON.readTree(response.body());
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not JSON: " + response.body(), ex);
        }
    }

    private void put(final String path, final String body)
    {
        expect(200, "PUT", path, body);
    }

    private static long millis(final JsonNode instant)
    {
        return Instant.parse(instant.asText()).toEpochMilli();
    }

    /** What both edges must agree on, as text: everything but the quote id and the instant the quote was issued. */
    private static String ofHttp(final JsonNode offer)
    {
        final JsonNode delivery = offer.path("delivery");
        return offer.path("sku").asText() + ' ' + offer.path("channel").asText() + " qty=" + offer.path("qty").asLong() +
            " available=" + offer.path("available").asLong() + ' ' + offer.path("status").asText() + " price=" +
            offer.path("price").path("amount").asLong() + ' ' + offer.path("price").path("currency").asText() +
            " delivery=" + (delivery.isNull() ? "null reason=" + offer.path("delivery_reason").asText() :
            millis(delivery.path("earliest")) + ".." + millis(delivery.path("latest")) + " by " +
            millis(delivery.path("order_by")) + ' ' + delivery.path("location").asText() + ' ' +
            delivery.path("carrier").asText() + '/' + delivery.path("service").asText());
    }

    private static String ofBinary(final Offer offer)
    {
        final Offer.Delivery delivery = offer.delivery();
        return offer.sku() + ' ' + offer.channel() + " qty=" + offer.quantity() + " available=" + offer.available() +
            ' ' + offer.status().name().toLowerCase(Locale.ROOT) + " price=" + offer.priceAmountMinor() + ' ' +
            offer.currency() + " delivery=" + (delivery == null ? "null reason=" + offer.deliveryReason() :
            delivery.earliestMillis() + ".." + delivery.latestMillis() + " by " + delivery.orderByMillis() + ' ' +
            delivery.location() + ' ' + delivery.carrier() + '/' + delivery.service());
    }

    @Test
    void theBinaryOfferAnswersWhatTheHttpOfferAnswers()
    {
        final String[][] queries = {
            // sku, channel, qty, country, postal code
            {"shoe", "shopify", "2", "US", "94103"},
            {"shoe", "shopify", "6", "US", "94103"},
            {"shoe", "shopify", "7", "US", "94103"},
            {"shoe", "shopify", "1", "US", "10001"},
            {"shoe", "shopify", "1", "US", null},
            {"shoe", "amazon", "1", "US", "07001"},
            {"shoe", "amazon", "3", "US", "94103"},
            {"shoe", "amazon", "5", "US", "94103"},
            {"shoe", "shopify", "1", "CA", "M5V"},
            {"shoe", "shopify", "1", null, null},
            {"shoe", "amazon", "1", null, null},
        };
        final List<String> seen = new ArrayList<>();
        for (final String[] q : queries)
        {
            final StringBuilder path = new StringBuilder("/v1/offers/").append(q[0]).append("?channel=").append(q[1])
                .append("&qty=").append(q[2]);
            if (q[3] != null)
            {
                path.append("&country=").append(q[3]);
            }
            if (q[4] != null)
            {
                path.append("&postal_code=").append(q[4]);
            }
            String httpView = null;
            String binaryView = null;
            JsonNode httpOffer = null;
            Offer binaryOffer = null;
            // a cutoff passing between the two calls changes the promise; that cannot happen twice in a row
            for (int attempt = 0; attempt < 3 && (httpView == null || !httpView.equals(binaryView)); attempt++)
            {
                httpOffer = expect(200, "GET", path.toString(), null);
                binaryOffer = await(harness.admin().offer(q[0], q[1], Long.parseLong(q[2]), q[3], q[4]));
                httpView = ofHttp(httpOffer);
                binaryView = ofBinary(binaryOffer);
            }
            assertThat(binaryView).as(String.join(",", java.util.Arrays.asList(q))).isEqualTo(httpView);
            assertThat(binaryOffer.version()).isEqualTo(httpOffer.path("version").asLong());
            assertThat(binaryOffer.quoteId()).startsWith("q_");
            assertThat(binaryOffer.quoteExpiresAtMillis() - millis(httpOffer.path("quote").path("expires_at")))
                .as("both quotes live as long").isBetween(0L, 10_000L);
            seen.add(binaryView);
        }
        assertThat(seen).as("the queries cover promises from both locations, each reason, both prices")
            .anyMatch(v -> v.contains(" oak ups/ground"))
            .anyMatch(v -> v.contains(" nj ups/air"))
            .anyMatch(v -> v.contains("reason=no_destination"))
            .anyMatch(v -> v.contains("reason=no_zone"))
            .anyMatch(v -> v.contains("reason=not_enough_stock"))
            .anyMatch(v -> v.contains("price=9499"))
            .anyMatch(v -> v.contains("low_stock"))
            .anyMatch(v -> v.contains("out_of_stock"));
    }

    @Test
    void aQuoteFromTheBinaryEdgeIsHonouredAtConfirmation()
    {
        final Offer offer = await(harness.admin().offer("shoe", "amazon", 1, "US", "07001"));
        assertThat(offer.priceAmountMinor()).isEqualTo(9499);
        final String reservation = expect(201, "POST", "/v1/reservations",
            "{\"channel\":\"amazon\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}").path("id").asText();
        put("/v1/skus/shoe/prices", "{\"base\":{\"amount\":10000,\"currency\":\"USD\"}}");
        final JsonNode order = expect(200, "POST", "/v1/reservations/" + reservation + "/confirm",
            "{\"order_id\":\"b-1\",\"destination\":{\"country\":\"US\",\"postal_code\":\"07001\"},\"quote_ids\":[\"" +
            offer.quoteId() + "\"]}");
        assertThat(order.path("lines").get(0).path("price").path("amount").asLong()).isEqualTo(9499);
        final JsonNode delivery = order.path("shipments").get(0).path("delivery");
        assertThat(delivery.path("location").asText()).isEqualTo("nj");
        assertThat(delivery.path("carrier").asText() + '/' + delivery.path("service").asText()).isEqualTo("ups/air");
    }
}
