package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static io.truestock.gateway.api.ApiHarness.parse;
import static io.truestock.gateway.api.ApiHarness.reserveBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Black-box tests of prices, carriers, offers with quotes and delivery promises, and confirmations citing quotes,
 * against API.md on a real server.
 */
class PricesAndDeliveryApiTest
{
    private static final String PRICES = "{\"base\":{\"amount\":8999,\"currency\":\"USD\"}," +
        "\"channels\":{\"amazon\":{\"amount\":9499,\"currency\":\"USD\"}}," +
        "\"sales\":[{\"amount\":6999,\"currency\":\"USD\",\"start\":\"2026-11-27T08:00:00.000Z\"," +
        "\"end\":\"2026-11-28T08:00:00.000Z\",\"channels\":[\"shopify\"]}]}";
    private static final String WEEKDAYS = "[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"]";
    private static final String UPS = "{\"name\":\"UPS\",\"services\":[{\"id\":\"ground\",\"name\":\"Ground\"," +
        "\"working_days\":" + WEEKDAYS + ",\"zones\":[{\"location\":\"oak\",\"country\":\"US\"," +
        "\"postal_prefix\":\"9\",\"min_transit_days\":1,\"max_transit_days\":2}]}]}";
    private static final DateTimeFormatter RFC3339 =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final long DEFAULT_QUOTE_TTL_MILLIS = 900_000;

    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    // ---- helpers ----

    private JsonNode prices(final String sku)
    {
        return api.expect(200, "GET", "/v1/skus/" + sku + "/prices", null);
    }

    /** The stored price list without its version, which moves with every command. */
    private JsonNode priceList(final String sku)
    {
        final ObjectNode copy = (ObjectNode)prices(sku).deepCopy();
        copy.remove("version");
        return copy;
    }

    private JsonNode carriers()
    {
        return api.expect(200, "GET", "/v1/carriers", null);
    }

    private JsonNode offer(final String sku, final String query)
    {
        return api.expect(200, "GET", "/v1/offers/" + sku + "?" + query, null);
    }

    /** The Oakland DC of API.md: Los Angeles time, cutoff 14:00, one handling day, weekdays. */
    private void oakland()
    {
        api.expect(200, "PUT", "/v1/locations/oak", "{\"name\":\"Oakland DC\",\"timezone\":\"America/Los_Angeles\"," +
            "\"country\":\"US\",\"postal_code\":\"94607\",\"priority\":1,\"cutoff\":\"14:00\",\"handling_days\":1," +
            "\"working_days\":" + WEEKDAYS + "}");
        api.defineChannel("shopify");
        api.defineChannel("amazon");
        api.defineSku("shoe", 8999);
        api.receive("shoe", "oak", 10);
    }

    private static String confirmBody(final String orderId, final String destination, final String... quoteIds)
    {
        final StringBuilder body = new StringBuilder("{\"order_id\":\"").append(orderId).append('"');
        if (destination != null)
        {
            body.append(",\"destination\":").append(destination);
        }
        if (quoteIds.length > 0)
        {
            body.append(",\"quote_ids\":[");
            for (int i = 0; i < quoteIds.length; i++)
            {
                body.append(i == 0 ? "" : ",").append('"').append(quoteIds[i]).append('"');
            }
            body.append(']');
        }
        return body.append('}').toString();
    }

    /**
     * The promise API.md's delivery semantics give, computed here with java.time day by day: ready day = first
     * weekday whose 14:00 cutoff (Los Angeles) is after the order instant; ship day = one weekday later; arrival
     * 1 to 2 carrier weekdays after shipping; earliest = start of the first arrival day, latest = its last
     * millisecond of the last arrival day, order_by = the ready day's cutoff.
     *
     * @return {earliest, latest, order_by} as RFC 3339 text.
     */
    private static String[] expectedOaklandPromise(final long orderedAt)
    {
        final ZoneId la = ZoneId.of("America/Los_Angeles");
        LocalDate day = Instant.ofEpochMilli(orderedAt).atZone(la).toLocalDate();
        while (!weekday(day) || day.atTime(LocalTime.of(14, 0)).atZone(la).toInstant().toEpochMilli() <= orderedAt)
        {
            day = day.plusDays(1);
        }
        final long orderBy = day.atTime(LocalTime.of(14, 0)).atZone(la).toInstant().toEpochMilli();
        final LocalDate ship = nextWeekday(day, 1);
        final LocalDate first = nextWeekday(ship, 1);
        final LocalDate last = nextWeekday(ship, 2);
        final long earliest = first.atStartOfDay(la).toInstant().toEpochMilli();
        final long latest = last.plusDays(1).atStartOfDay(la).toInstant().toEpochMilli() - 1;
        return new String[] {RFC3339.format(Instant.ofEpochMilli(earliest)), RFC3339.format(Instant.ofEpochMilli(latest)),
            RFC3339.format(Instant.ofEpochMilli(orderBy))};
    }

    private static boolean weekday(final LocalDate day)
    {
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    private static LocalDate nextWeekday(final LocalDate from, final int count)
    {
        LocalDate day = from;
        for (int i = 0; i < count; )
        {
            day = day.plusDays(1);
            if (weekday(day))
            {
                i++;
            }
        }
        return day;
    }

    private static long millis(final JsonNode instant)
    {
        return Instant.parse(instant.asText()).toEpochMilli();
    }

    // ---- prices ----

    @Test
    void putPricesAnswersTheStoredObjectAndGetReturnsIt()
    {
        api.standardCatalog(0, "shoe");
        final JsonNode put = api.expect(200, "PUT", "/v1/skus/shoe/prices", PRICES);
        final JsonNode sent = parse(PRICES);
        assertThat(put.path("sku").asText()).isEqualTo("shoe");
        assertThat(put.path("base")).isEqualTo(sent.path("base"));
        assertThat(put.path("channels")).isEqualTo(sent.path("channels"));
        assertThat(put.path("sales")).isEqualTo(sent.path("sales"));
        assertThat(put.path("version").asLong()).isPositive();
        final JsonNode got = prices("shoe");
        assertThat(got.path("base")).isEqualTo(sent.path("base"));
        assertThat(got.path("channels")).isEqualTo(sent.path("channels"));
        assertThat(got.path("sales")).isEqualTo(sent.path("sales"));
        assertThat(api.sku("shoe").path("price")).as("the SKU's price is the base").isEqualTo(sent.path("base"));

        // a sale without channels applies to every channel and is stored with an empty list; offsets become UTC
        final JsonNode every = api.expect(200, "PUT", "/v1/skus/shoe/prices", "{\"base\":{\"amount\":100," +
            "\"currency\":\"EUR\"},\"sales\":[{\"amount\":50,\"currency\":\"EUR\",\"start\":\"2026-01-01T01:00:00+01:00\"," +
            "\"end\":\"2026-01-02T00:00:00Z\"}]}");
        assertThat(every.path("channels").size()).isZero();
        assertThat(every.path("sales").get(0).path("start").asText()).isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(every.path("sales").get(0).path("channels").isArray()).isTrue();
        assertThat(every.path("sales").get(0).path("channels")).isEmpty();
        assertThat(priceList("shoe").path("base").path("currency").asText()).isEqualTo("EUR");
    }

    @Test
    void getPricesOfAnUnknownSkuIsNotFound()
    {
        api.standardCatalog(0, "shoe");
        assertProblem(api.send("GET", "/v1/skus/boot/prices", null), 404, "not_found");
        assertProblem(api.send("PUT", "/v1/skus/boot/prices", PRICES), 404, "not_found");
        final JsonNode base = prices("shoe");
        assertThat(base.path("base").path("amount").asLong()).isEqualTo(8999);
        assertThat(base.path("sales")).isEmpty();
    }

    @Test
    void badPriceListsAreRejectedAndChangeNothing()
    {
        api.standardCatalog(0, "shoe");
        api.expect(200, "PUT", "/v1/skus/shoe/prices", PRICES);
        final JsonNode before = priceList("shoe");
        final String sale = "\"amount\":1,\"currency\":\"USD\",\"start\":\"2026-01-01T00:00:00Z\"";
        final String[][] bad = {
            // body, status, code
            {"{}", "400"},
            {"{\"channels\":{}}", "400"},
            {"{\"base\":null}", "400"},
            {"{\"base\":{\"amount\":1}}", "400"},
            {"{\"base\":{\"currency\":\"USD\"}}", "400"},
            {"{\"base\":{\"amount\":-1,\"currency\":\"USD\"}}", "400"},
            {"{\"base\":{\"amount\":1.5,\"currency\":\"USD\"}}", "400"},
            {"{\"base\":{\"amount\":\"100\",\"currency\":\"USD\"}}", "400"},
            {"{\"base\":{\"amount\":10000000000001,\"currency\":\"USD\"}}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"usd\"}}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"US\"}}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USDX\"}}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\",\"tax\":0}}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"discounts\":[]}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"channels\":{\"amazon\":{\"amount\":1,\"currency\":\"EUR\"}}}",
                "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"channels\":{\"amazon\":5}}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"channels\":{\"bad id\":{\"amount\":1,\"currency\":\"USD\"}}}",
                "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{\"amount\":1,\"currency\":\"EUR\"," +
                "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-02T00:00:00Z\"}]}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale + ",\"end\":\"2025-12-31T23:59:59.999Z\"}]}",
                "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale + ",\"end\":\"2026-01-01T00:00:00Z\"}]}",
                "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale + "}]}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale + ",\"end\":\"tomorrow\"}]}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale + ",\"end\":\"2026-02-30T00:00:00Z\"}]}",
                "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale + ",\"end\":\"2026-01-02\"}]}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale + ",\"end\":1767312000000}]}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale +
                ",\"end\":\"+1000000000-12-31T23:59:59Z\"}]}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale + ",\"end\":\"+10000-01-01T00:00:00Z\"}]}",
                "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale +
                ",\"end\":\"2026-01-02T00:00:00Z\",\"percent\":10}]}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale +
                ",\"end\":\"2026-01-02T00:00:00Z\",\"channels\":\"shopify\"}]}", "400"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":{}}", "400"},
            {"[]", "400"},
            {"{\"base\":", "400"},
            // unknown channels: not found, and nothing changes
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"channels\":{\"ebay\":{\"amount\":1,\"currency\":\"USD\"}}}",
                "404"},
            {"{\"base\":{\"amount\":1,\"currency\":\"USD\"},\"sales\":[{" + sale +
                ",\"end\":\"2026-01-02T00:00:00Z\",\"channels\":[\"shopify\",\"ebay\"]}]}", "404"},
        };
        for (final String[] row : bad)
        {
            final long sequence = api.sequence();
            final Reply reply = api.send("PUT", "/v1/skus/shoe/prices", row[0]);
            final int status = Integer.parseInt(row[1]);
            assertProblem(reply, status, status == 400 ? "invalid_request" : "not_found");
            assertThat(priceList("shoe")).as("after %s", row[0]).isEqualTo(before);
            if (status == 400)
            {
                assertThat(api.sequence()).as("%s never reaches the writer", row[0]).isEqualTo(sequence);
            }
        }
        assertThat(api.sku("shoe").path("price").path("amount").asLong()).isEqualTo(8999);
    }

    @Test
    void pricesNeedTheAdminScope()
    {
        api.standardCatalog(0, "shoe");
        final String agent = api.createKey("agent");
        final Reply reply = api.sendAs(agent, "PUT", "/v1/skus/shoe/prices", PRICES);
        assertProblem(reply, 403, "forbidden");
        assertThat(prices("shoe").path("channels").size()).isZero();
        assertThat(api.sendAs(agent, "GET", "/v1/skus/shoe/prices", null).status()).isEqualTo(200);
    }

    // ---- carriers ----

    @Test
    void putCarrierAnswersTheStoredObjectAndGetReturnsIt()
    {
        api.standardCatalog(0, "shoe");
        final JsonNode put = api.expect(200, "PUT", "/v1/carriers/ups", UPS);
        final ObjectNode expected = (ObjectNode)parse(UPS);
        expected.put("id", "ups");
        assertThat(put).isEqualTo(expected);
        assertThat(api.expect(200, "GET", "/v1/carriers/ups", null)).isEqualTo(expected);
        assertThat(carriers().path("carriers")).containsExactly(expected);
        assertProblem(api.send("GET", "/v1/carriers/fedex", null), 404, "not_found");

        // defaults: service name is its id, working days MON-FRI, a zone without location or prefix
        final JsonNode minimal = api.expect(200, "PUT", "/v1/carriers/dhl", "{\"name\":\"DHL\",\"services\":[{" +
            "\"id\":\"express\",\"zones\":[{\"country\":\"DE\",\"min_transit_days\":0,\"max_transit_days\":0}]}]}");
        final JsonNode service = minimal.path("services").get(0);
        assertThat(service.path("name").asText()).isEqualTo("express");
        assertThat(service.path("working_days")).isEqualTo(parse(WEEKDAYS));
        assertThat(service.path("zones").get(0).has("location")).isFalse();
        assertThat(service.path("zones").get(0).path("postal_prefix").asText()).isEmpty();
        assertThat(carriers().path("carriers")).hasSize(2);
    }

    @Test
    void badCarriersAreRejectedAndChangeNothing()
    {
        api.standardCatalog(0, "shoe");
        api.expect(200, "PUT", "/v1/carriers/ups", UPS);
        final JsonNode before = carriers();
        final String zone = "\"country\":\"US\",\"min_transit_days\":1,\"max_transit_days\":2";
        final String[][] bad = {
            {"{}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"zones\":[{" + zone + "}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"bad id\",\"zones\":[{" + zone + "}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{\"country\":\"us\",\"min_transit_days\":1," +
                "\"max_transit_days\":2}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{\"country\":\"USA\",\"min_transit_days\":1," +
                "\"max_transit_days\":2}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{\"country\":\"US\",\"min_transit_days\":3," +
                "\"max_transit_days\":2}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{\"country\":\"US\",\"min_transit_days\":-1," +
                "\"max_transit_days\":2}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{\"country\":\"US\",\"min_transit_days\":1," +
                "\"max_transit_days\":61}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{" + zone + "}]},{\"id\":\"g\",\"zones\":[]}]}",
                "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{" + zone + "},{" + zone + "}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{" + zone + ",\"postal_prefix\":\"9-4\"}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"working_days\":[\"MON\",\"FUN\"],\"zones\":[{" + zone +
                "}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"working_days\":[],\"zones\":[{" + zone + "}]}]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{" + zone + ",\"days\":3}]}]}", "400"},
            {"{\"name\":\"X\",\"depot\":\"y\",\"services\":[]}", "400"},
            {"{\"name\":\"X\",\"services\":[{\"id\":\"g\",\"zones\":[{\"location\":\"nowhere\"," + zone + "}]}]}",
                "404"},
        };
        for (final String[] row : bad)
        {
            final Reply reply = api.send("PUT", "/v1/carriers/ups", row[0]);
            final int status = Integer.parseInt(row[1]);
            assertProblem(reply, status, status == 400 ? "invalid_request" : "not_found");
            assertThat(carriers()).as("after %s", row[0]).isEqualTo(before);
            final Reply fresh = api.send("PUT", "/v1/carriers/new", row[0]);
            assertThat(fresh.status()).as(fresh.body()).isEqualTo(status);
            assertThat(carriers()).as("after %s for a new carrier", row[0]).isEqualTo(before);
        }
        assertProblem(api.send("PUT", "/v1/carriers/bad%20id", UPS), 400, "invalid_request");
        assertThat(carriers()).isEqualTo(before);
    }

    // ---- offers ----

    @Test
    void anOfferQuotesTheEffectivePriceOfTheChannel()
    {
        api.standardCatalog(20, "shoe");
        final long now = System.currentTimeMillis();
        final String saleNow = "{\"base\":{\"amount\":8999,\"currency\":\"USD\"}," +
            "\"channels\":{\"amazon\":{\"amount\":9499,\"currency\":\"USD\"}}," +
            "\"sales\":[{\"amount\":6999,\"currency\":\"USD\",\"start\":\"" + RFC3339.format(Instant.ofEpochMilli(now -
            3_600_000)) + "\",\"end\":\"" + RFC3339.format(Instant.ofEpochMilli(now + 3_600_000)) +
            "\",\"channels\":[\"shopify\"]}]}";
        api.expect(200, "PUT", "/v1/skus/shoe/prices", saleNow);

        final JsonNode shopify = offer("shoe", "channel=shopify&qty=2");
        assertThat(shopify.path("price")).isEqualTo(parse("{\"amount\":6999,\"currency\":\"USD\"}"));
        assertThat(shopify.path("sku").asText()).isEqualTo("shoe");
        assertThat(shopify.path("channel").asText()).isEqualTo("shopify");
        assertThat(shopify.path("qty").asLong()).isEqualTo(2);
        assertThat(shopify.path("available").asLong()).isEqualTo(20);
        assertThat(shopify.path("status").asText()).isEqualTo("in_stock");
        assertThat(shopify.path("quote").path("id").asText()).startsWith("q_");
        final long expires = millis(shopify.path("quote").path("expires_at"));
        assertThat(expires).isBetween(now + DEFAULT_QUOTE_TTL_MILLIS - 60_000, now + DEFAULT_QUOTE_TTL_MILLIS + 60_000);
        assertThat(shopify.path("quote").path("expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(shopify.has("delivery")).isTrue();
        assertThat(shopify.path("delivery").isNull()).isTrue();
        assertThat(shopify.path("delivery_reason").asText()).isEqualTo("no_destination");
        assertThat(shopify.path("version").asLong()).isPositive();

        assertThat(offer("shoe", "channel=amazon").path("price").path("amount").asLong()).isEqualTo(9499);
        assertThat(offer("shoe", "channel=amazon").path("qty").asLong()).isEqualTo(1);
        final JsonNode tooMany = offer("shoe", "channel=shopify&qty=21");
        assertThat(tooMany.path("status").asText()).isEqualTo("out_of_stock");
        assertThat(tooMany.path("price").path("amount").asLong()).isEqualTo(6999);

        assertProblem(api.send("GET", "/v1/offers/boot?channel=shopify", null), 404, "not_found");
        assertProblem(api.send("GET", "/v1/offers/shoe?channel=ebay", null), 404, "not_found");
        assertProblem(api.send("GET", "/v1/offers/shoe?channel=shopify&qty=0", null), 400, "invalid_request");
        assertProblem(api.send("GET", "/v1/offers/shoe?channel=shopify&country=USA", null), 400, "invalid_request");
        assertProblem(api.send("GET", "/v1/offers/shoe?channel=shopify&postal_code=94103", null), 400,
            "invalid_request");
    }

    @Test
    void anOfferPromisesDeliveryWithExactInstants()
    {
        oakland();
        api.expect(200, "PUT", "/v1/carriers/ups", UPS);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            final JsonNode offer = offer("shoe", "channel=shopify&qty=2&country=US&postal_code=94103");
            final long orderedAt = millis(offer.path("quote").path("expires_at")) - DEFAULT_QUOTE_TTL_MILLIS;
            final String[] expected = expectedOaklandPromise(orderedAt);
            final JsonNode delivery = offer.path("delivery");
            assertThat(delivery.path("earliest").asText()).as("%s ordered at %s", offer, Instant.ofEpochMilli(orderedAt))
                .isEqualTo(expected[0]);
            assertThat(delivery.path("latest").asText()).isEqualTo(expected[1]);
            assertThat(delivery.path("order_by").asText()).isEqualTo(expected[2]);
            assertThat(delivery.path("location").asText()).isEqualTo("oak");
            assertThat(delivery.path("carrier").asText()).isEqualTo("ups");
            assertThat(delivery.path("service").asText()).isEqualTo("ground");
            assertThat(offer.has("delivery_reason")).isFalse();
            // lower-case country is accepted; spaces in a postal code are ignored
            assertThat(offer("shoe", "channel=shopify&country=us&postal_code=9%204103").path("delivery").path("latest")
                .asText()).isIn(expected[1], expectedOaklandPromise(System.currentTimeMillis())[1]);
        }
    }

    @Test
    void theFasterServiceWins()
    {
        oakland();
        api.expect(200, "PUT", "/v1/carriers/ups", UPS);
        // a service that reaches 94 in 0..0 days (arrival on the ship day) beats ground's 1..2
        api.expect(200, "PUT", "/v1/carriers/courier", "{\"name\":\"Courier\",\"services\":[" +
            "{\"id\":\"same\",\"working_days\":" + WEEKDAYS + ",\"zones\":[{\"country\":\"US\",\"postal_prefix\":\"94\"," +
            "\"min_transit_days\":0,\"max_transit_days\":0}]}," +
            "{\"id\":\"slow\",\"zones\":[{\"country\":\"US\",\"postal_prefix\":\"941\",\"min_transit_days\":5," +
            "\"max_transit_days\":9}]}]}");
        final JsonNode near = offer("shoe", "channel=shopify&country=US&postal_code=94103");
        assertThat(near.path("delivery").path("carrier").asText()).isEqualTo("courier");
        assertThat(near.path("delivery").path("service").asText()).isEqualTo("same");
        final long earliest = millis(near.path("delivery").path("earliest"));
        final long latest = millis(near.path("delivery").path("latest"));
        assertThat(latest - earliest).as("one arrival day").isEqualTo(86_400_000L - 1);
        final JsonNode far = offer("shoe", "channel=shopify&country=US&postal_code=90210");
        assertThat(far.path("delivery").path("carrier").asText()).isEqualTo("ups");
    }

    @Test
    void anOfferWithoutAPromiseSaysWhy()
    {
        oakland();
        api.expect(200, "PUT", "/v1/carriers/ups", UPS);
        final String[][] cases = {
            {"channel=shopify", "no_destination"},
            {"channel=shopify&country=US&postal_code=10001", "no_zone"},
            {"channel=shopify&country=CA&postal_code=94103", "no_zone"},
            {"channel=shopify&country=US", "no_zone"},
            {"channel=shopify&qty=11&country=US&postal_code=94103", "not_enough_stock"},
        };
        for (final String[] row : cases)
        {
            final JsonNode offer = offer("shoe", row[0]);
            assertThat(offer.has("delivery")).as(row[0]).isTrue();
            assertThat(offer.path("delivery").isNull()).as("%s: %s", row[0], offer).isTrue();
            assertThat(offer.path("delivery_reason").asText()).as(row[0]).isEqualTo(row[1]);
            assertThat(offer.path("quote").path("id").asText()).startsWith("q_");
        }
    }

    // ---- confirmations ----

    @Test
    void aConfirmationCitingAQuoteIsChargedTheQuotedPriceAndCarriesItsShipmentsPromise()
    {
        oakland();
        api.expect(200, "PUT", "/v1/carriers/ups", UPS);
        final JsonNode offer = offer("shoe", "channel=shopify&qty=2&country=US&postal_code=94103");
        final String quote = offer.path("quote").path("id").asText();
        final String reservation = api.reserve("shopify", "shoe", 2);
        api.expect(200, "PUT", "/v1/skus/shoe/prices", "{\"base\":{\"amount\":12000,\"currency\":\"USD\"}}");
        assertThat(offer("shoe", "channel=shopify").path("price").path("amount").asLong()).isEqualTo(12000);

        final JsonNode order = api.expect(200, "POST", "/v1/reservations/" + reservation + "/confirm",
            confirmBody("o-1", "{\"country\":\"US\",\"postal_code\":\"94103\"}", quote));
        assertThat(order.path("status").asText()).isEqualTo("confirmed");
        assertThat(order.path("lines")).hasSize(1);
        assertThat(order.path("lines").get(0).path("price")).isEqualTo(parse("{\"amount\":8999,\"currency\":\"USD\"}"));
        assertThat(order.path("shipments")).hasSize(1);
        final JsonNode shipment = order.path("shipments").get(0);
        assertThat(shipment.path("location").asText()).isEqualTo("oak");
        assertThat(shipment.path("lines").get(0).path("qty").asLong()).isEqualTo(2);
        final JsonNode delivery = shipment.path("delivery");
        assertThat(delivery.path("carrier").asText()).isEqualTo("ups");
        assertThat(delivery.path("service").asText()).isEqualTo("ground");
        assertThat(delivery.path("location").asText()).isEqualTo("oak");
        final long confirmedAt = System.currentTimeMillis();
        assertThat(delivery.path("latest").asText()).as("the promise at the confirm instant")
            .isIn(expectedOaklandPromise(confirmedAt)[1], expectedOaklandPromise(confirmedAt - 30_000)[1]);

        // without a quote: the effective price now; without a destination: a null delivery
        final String second = api.reserve("shopify", "shoe", 1);
        final JsonNode plain = api.expect(200, "POST", "/v1/reservations/" + second + "/confirm",
            confirmBody("o-2", null));
        assertThat(plain.path("lines").get(0).path("price").path("amount").asLong()).isEqualTo(12000);
        assertThat(plain.path("shipments").get(0).has("delivery")).isTrue();
        assertThat(plain.path("shipments").get(0).path("delivery").isNull()).isTrue();
        final JsonNode read = api.expect(200, "GET", "/v1/orders/o-1?channel=shopify", null);
        assertThat(read.path("lines").get(0).path("price").path("amount").asLong()).isEqualTo(8999);
        assertThat(read.path("shipments").get(0).path("delivery")).isEqualTo(delivery);
    }

    @Test
    void aForgedOrMismatchedQuoteIsRejectedAndTheReservationStaysHeld()
    {
        api.standardCatalog(5, "shoe", "sock");
        final String quote = offer("shoe", "channel=shopify").path("quote").path("id").asText();
        final String amazonQuote = offer("shoe", "channel=amazon").path("quote").path("id").asText();
        final String sockQuote = offer("sock", "channel=shopify").path("quote").path("id").asText();
        final String reservation = api.reserve("shopify", "shoe", 1);
        final JsonNode before = api.stateOf("shoe");
        final char last = quote.charAt(quote.length() - 1);
        final String tampered = quote.substring(0, quote.length() - 1) + (last == 'A' ? 'B' : 'A');
        final char mid = quote.charAt(10);
        final String tamperedPayload = quote.substring(0, 10) + (mid == 'A' ? 'B' : 'A') + quote.substring(11);
        final String path = "/v1/reservations/" + reservation + "/confirm";

        for (final String forged : new String[] {tampered, tamperedPayload, "q_nothing", quote.substring(2), ""})
        {
            final long sequence = api.sequence();
            final Reply reply = api.send("POST", path, confirmBody("o-1", null, forged));
            assertProblem(reply, 400, "invalid_request", "$.quote_ids[0]");
            assertThat(api.sequence()).as("a forged quote never reaches the writer").isEqualTo(sequence);
        }
        assertProblem(api.send("POST", path, confirmBody("o-1", null, quote, tampered)), 400, "invalid_request",
            "$.quote_ids[1]");

        final JsonNode other = assertProblem(api.send("POST", path, confirmBody("o-1", null, amazonQuote)), 400,
            "invalid_request", "$.quote_ids[0]");
        assertThat(other.path("reason").asText()).isEqualTo("quote_mismatch");
        final JsonNode notInReservation = assertProblem(api.send("POST", path, confirmBody("o-1", null, quote,
            sockQuote)), 400, "invalid_request", "$.quote_ids[1]");
        assertThat(notInReservation.path("reason").asText()).isEqualTo("quote_mismatch");
        final JsonNode twice = assertProblem(api.send("POST", path, confirmBody("o-1", null, quote, quote)), 400,
            "invalid_request", "$.quote_ids[1]");
        assertThat(twice.path("reason").asText()).isEqualTo("quote_mismatch");

        assertThat(api.reservationStatus(reservation)).isEqualTo("held");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertProblem(api.send("GET", "/v1/orders/o-1?channel=shopify", null), 404, "not_found");
        final JsonNode order = api.expect(200, "POST", path, confirmBody("o-1", null, quote));
        assertThat(order.path("lines").get(0).path("price").path("amount").asLong()).isEqualTo(8999);
    }

    @Test
    void quotesStayValidAcrossARestart() throws Exception
    {
        api.standardCatalog(5, "shoe");
        final String quote = offer("shoe", "channel=shopify").path("quote").path("id").asText();
        final String reservation = api.reserve("shopify", "shoe", 1);
        api.expect(200, "PUT", "/v1/skus/shoe/prices", "{\"base\":{\"amount\":100,\"currency\":\"USD\"}}");
        api.stop();
        assertThat(Files.exists(api.dataDir().resolve("quote.key"))).as("the quote key is kept in the data dir")
            .isTrue();
        api.start();
        final JsonNode order = api.expect(200, "POST", "/v1/reservations/" + reservation + "/confirm",
            confirmBody("o-1", null, quote));
        assertThat(order.path("lines").get(0).path("price").path("amount").asLong()).isEqualTo(8999);
        assertThat(prices("shoe").path("base").path("amount").asLong()).as("prices survive too").isEqualTo(100);
    }

    @Test
    void anExpiredQuoteIsRejectedWithQuoteExpired() throws Exception
    {
        api.stop();
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(System.currentTimeMillis());
        final ServerConfig config = new ServerConfig().dataDir(api.dataDir().resolve("short")).httpPort(0).binaryPort(-1)
            .adminToken(ApiHarness.ADMIN_TOKEN).ioThreads(2).quoteTtlSeconds(1).clock(clock);
        config.engine().maxSkus(64).maxLocations(4).maxChannels(4);
        config.runtime().tickIntervalMillis(20);
        try (TruestockServer server = TruestockServer.start(config))
        {
            final HttpClient client = ApiHarness.newClient();
            final String base = "http://127.0.0.1:" + server.httpPort();
            call(client, base, "PUT", "/v1/locations/oak", "{\"name\":\"Oak\"}", 200);
            call(client, base, "PUT", "/v1/channels/shopify", "{\"name\":\"Shopify\"}", 200);
            call(client, base, "PUT", "/v1/skus/shoe", "{\"title\":\"Shoe\",\"price\":{\"amount\":500,\"currency\":\"USD\"}}",
                200);
            call(client, base, "POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":3}", 200);
            final JsonNode offer = parse(call(client, base, "GET", "/v1/offers/shoe?channel=shopify", null, 200).body());
            final long expires = millis(offer.path("quote").path("expires_at"));
            final String quote = offer.path("quote").path("id").asText();
            final String reservation = parse(call(client, base, "POST", "/v1/reservations",
                reserveBody("shopify", "shoe", 1), 201).body()).path("id").asText();
            final String path = "/v1/reservations/" + reservation + "/confirm";
            assertThat(expires).isEqualTo(clock.time() + 1000);
            clock.update(expires);
            final Reply expired = ApiHarness.send(client, request(base, "POST", path, confirmBody("o-1", null, quote)));
            final JsonNode problem = assertProblem(expired, 409, "quote_expired", "$.quote_ids[0]");
            assertThat(problem.path("detail").asText()).isNotEmpty();
            final JsonNode status = parse(call(client, base, "GET", "/v1/reservations/" + reservation, null, 200).body());
            assertThat(status.path("status").asText()).isEqualTo("held");
            final JsonNode order = parse(call(client, base, "POST", path, confirmBody("o-1", null), 200).body());
            assertThat(order.path("lines").get(0).path("price").path("amount").asLong()).isEqualTo(500);
        }
    }

    private static HttpRequest request(final String base, final String method, final String path, final String body)
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(ApiHarness.REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + ApiHarness.ADMIN_TOKEN)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body));
        if (body != null)
        {
            builder.header("Content-Type", "application/json");
        }
        return builder.build();
    }

    private static Reply call(
        final HttpClient client, final String base, final String method, final String path, final String body,
        final int status)
    {
        final Reply reply = ApiHarness.send(client, request(base, method, path, body));
        assertThat(reply.status()).as("%s %s -> %s", method, path, reply.body()).isEqualTo(status);
        return reply;
    }
}
