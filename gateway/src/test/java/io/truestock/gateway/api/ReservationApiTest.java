package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static io.truestock.gateway.api.ApiHarness.reserveBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reservations of API.md: create (all lines or none), get, extend, release, confirm, and expiry by the ticker.
 */
class ReservationApiTest
{
    private static final String RFC3339_MILLIS_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @Test
    void createHoldsTheUnitsAndAnswers201WithTheReservation()
    {
        api.standardCatalog(10, "shoe");

        final Reply created = api.send("POST", "/v1/reservations", reserveBody("shopify", "shoe", 3));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/json");
        final JsonNode reservation = created.json();
        assertThat(reservation.path("id").asText()).matches("r-[0-9]+");
        assertThat(reservation.path("status").asText()).isEqualTo("held");
        assertThat(reservation.path("channel").asText()).isEqualTo("shopify");
        assertThat(reservation.path("lines")).hasSize(1);
        assertThat(reservation.path("lines").get(0).path("sku").asText()).isEqualTo("shoe");
        assertThat(reservation.path("lines").get(0).path("qty").asLong()).isEqualTo(3);
        assertThat(reservation.path("expires_at").asText()).matches(RFC3339_MILLIS_UTC);
        assertThat(reservation.path("version").asLong()).isPositive();

        final JsonNode stock = api.stockAt("shoe", "oak");
        assertThat(stock.path("on_hand").asLong()).isEqualTo(10);
        assertThat(stock.path("reserved").asLong()).isEqualTo(3);
        assertThat(stock.path("available").asLong()).isEqualTo(7);
        assertThat(api.available("shoe", "shopify")).isEqualTo(7);
        assertThat(api.available("shoe", "amazon")).isEqualTo(7);
    }

    @Test
    void reservationsGetDistinctIds()
    {
        api.standardCatalog(10, "shoe");

        final String first = api.reserve("shopify", "shoe", 1);
        final String second = api.reserve("amazon", "shoe", 1);

        assertThat(second).isNotEqualTo(first);
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(2);
    }

    @Test
    void getAnswersTheHeldReservation()
    {
        api.standardCatalog(10, "shoe");
        final JsonNode created = api.expect(201, "POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":2}],\"ttl_seconds\":120," +
            "\"reference\":\"cart-7\"}");
        final String id = created.path("id").asText();

        final JsonNode read = api.expect(200, "GET", "/v1/reservations/" + id, null);

        assertThat(read.path("id").asText()).isEqualTo(id);
        assertThat(read.path("status").asText()).isEqualTo("held");
        assertThat(read.path("channel").asText()).isEqualTo("shopify");
        assertThat(read.path("lines")).isEqualTo(created.path("lines"));
        assertThat(read.path("expires_at").asText()).isEqualTo(created.path("expires_at").asText());
    }

    @Test
    void unknownReservationIsNotFound()
    {
        api.standardCatalog(1, "shoe");

        assertProblem(api.send("GET", "/v1/reservations/r-999", null), 404, "not_found");
        assertProblem(api.send("GET", "/v1/reservations/cart-1", null), 404, "not_found");
        assertProblem(api.send("POST", "/v1/reservations/r-999/confirm", "{\"order_id\":\"o-1\"}"), 404, "not_found");
        assertProblem(api.send("DELETE", "/v1/reservations/r-999", null), 404, "not_found");
    }

    @Test
    void shortLineIsOutOfStockWithRequestedAndAvailable()
    {
        api.standardCatalog(2, "shoe");
        final JsonNode before = api.stateOf("shoe");

        final Reply refused = api.send("POST", "/v1/reservations", reserveBody("shopify", "shoe", 3));

        final JsonNode problem = assertProblem(refused, 409, "out_of_stock");
        assertThat(problem.path("lines")).hasSize(1);
        assertThat(problem.path("lines").get(0).path("sku").asText()).isEqualTo("shoe");
        assertThat(problem.path("lines").get(0).path("requested").asLong()).isEqualTo(3);
        assertThat(problem.path("lines").get(0).path("available").asLong()).isEqualTo(2);
        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void reservationHoldsAllLinesOrNone()
    {
        api.standardCatalog(0, "cap", "shoe");
        api.receive("cap", "oak", 5);
        api.receive("shoe", "oak", 1);
        final JsonNode capBefore = api.stateOf("cap");
        final JsonNode shoeBefore = api.stateOf("shoe");

        final Reply refused = api.send("POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"cap\",\"qty\":2},{\"sku\":\"shoe\",\"qty\":3}]}");

        final JsonNode problem = assertProblem(refused, 409, "out_of_stock", "$.lines[1]");
        assertThat(problem.path("lines")).hasSize(2);
        assertLine(problem.path("lines").get(0), "cap", 2, 5);
        assertLine(problem.path("lines").get(1), "shoe", 3, 1);
        assertThat(api.stateOf("cap")).isEqualTo(capBefore);
        assertThat(api.stateOf("shoe")).isEqualTo(shoeBefore);
        assertThat(api.available("cap", "shopify")).isEqualTo(5);

        final JsonNode held = api.expect(201, "POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"cap\",\"qty\":2},{\"sku\":\"shoe\",\"qty\":1}]}");
        assertThat(held.path("lines")).hasSize(2);
        assertThat(api.stockAt("cap", "oak").path("reserved").asLong()).isEqualTo(2);
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(1);
    }

    @Test
    void reservationOfAnUnknownSkuOrChannelIsNotFoundAndHoldsNothing()
    {
        api.standardCatalog(5, "shoe");
        final JsonNode before = api.stateOf("shoe");

        assertProblem(api.send("POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1},{\"sku\":\"ghost\",\"qty\":1}]}"),
            404, "not_found");
        assertProblem(api.send("POST", "/v1/reservations", reserveBody("ebay", "shoe", 1)), 404, "not_found");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void reservingABundleHoldsItsComponents()
    {
        api.standardCatalog(0, "lace", "shoe");
        api.receive("lace", "oak", 7);
        api.receive("shoe", "oak", 5);
        api.expect(200, "PUT", "/v1/skus/kit",
            "{\"title\":\"Kit\",\"components\":[{\"sku\":\"lace\",\"qty\":2},{\"sku\":\"shoe\",\"qty\":1}]}");

        final JsonNode held = api.expect(201, "POST", "/v1/reservations", reserveBody("shopify", "kit", 2));

        assertThat(held.path("lines").get(0).path("sku").asText()).isEqualTo("kit");
        assertThat(held.path("lines").get(0).path("qty").asLong()).isEqualTo(2);
        assertThat(api.stockAt("lace", "oak").path("reserved").asLong()).isEqualTo(4);
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(2);
        assertThat(api.available("kit", "shopify")).isEqualTo(1);

        final JsonNode problem = assertProblem(api.send("POST", "/v1/reservations", reserveBody("shopify", "kit", 2)),
            409, "out_of_stock");
        assertLine(problem.path("lines").get(0), "kit", 2, 1);
    }

    @Test
    void linesSharingAComponentAreCheckedTogether()
    {
        api.standardCatalog(0, "lace");
        api.receive("lace", "oak", 4);
        api.expect(200, "PUT", "/v1/skus/pair", "{\"title\":\"Pair\",\"components\":[{\"sku\":\"lace\",\"qty\":2}]}");
        final JsonNode before = api.stateOf("lace");

        final Reply refused = api.send("POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"pair\",\"qty\":1},{\"sku\":\"lace\",\"qty\":3}]}");

        assertProblem(refused, 409, "out_of_stock");
        assertThat(api.stateOf("lace")).isEqualTo(before);
    }

    @Test
    void exactly100LinesAreWithinTheBound()
    {
        api.standardCatalog(100, "shoe");

        final JsonNode held = api.expect(201, "POST", "/v1/reservations",
            ApiHarness.reserveLinesBody("shopify", "shoe", 100));

        assertThat(held.path("lines")).hasSize(100);
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(100);
        assertThat(api.available("shoe", "shopify")).isZero();
    }

    @Test
    void extendMovesTheExpiryLater()
    {
        api.standardCatalog(10, "shoe");
        final JsonNode created = api.expect(201, "POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}],\"ttl_seconds\":60}");
        final String id = created.path("id").asText();

        final JsonNode extended =
            api.expect(200, "POST", "/v1/reservations/" + id + "/extend", "{\"ttl_seconds\":3600}");

        assertThat(extended.path("id").asText()).isEqualTo(id);
        assertThat(extended.path("status").asText()).isEqualTo("held");
        final Instant before = Instant.parse(created.path("expires_at").asText());
        final Instant after = Instant.parse(extended.path("expires_at").asText());
        assertThat(Duration.between(before, after)).isGreaterThan(Duration.ofSeconds(3000));
        assertThat(api.expect(200, "GET", "/v1/reservations/" + id, null).path("expires_at").asText())
            .isEqualTo(extended.path("expires_at").asText());
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(1);
    }

    @Test
    void releaseGivesTheUnitsBackAndCannotBeRepeated()
    {
        api.standardCatalog(10, "shoe");
        final String id = api.reserve("shopify", "shoe", 4);

        final JsonNode released = api.expect(200, "DELETE", "/v1/reservations/" + id, null);

        assertThat(released.path("id").asText()).isEqualTo(id);
        assertThat(released.path("status").asText()).isEqualTo("released");
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isZero();
        assertThat(api.available("shoe", "shopify")).isEqualTo(10);
        assertThat(api.reservationStatus(id)).isEqualTo("released");

        final JsonNode before = api.stateOf("shoe");
        assertProblem(api.send("DELETE", "/v1/reservations/" + id, null), 409, "conflict");
        assertProblem(api.send("POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"o-1\"}"),
            409, "conflict");
        assertProblem(api.send("POST", "/v1/reservations/" + id + "/extend", "{\"ttl_seconds\":60}"), 409, "conflict");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertProblem(api.send("GET", "/v1/orders/o-1?channel=shopify", null), 404, "not_found");
    }

    @Test
    void confirmCommitsTheUnitsAndAnswersTheOrderWithPricesAndShipments()
    {
        api.standardCatalog(10, "shoe");
        final String id = api.reserve("shopify", "shoe", 2);

        final Reply confirmed = api.send("POST", "/v1/reservations/" + id + "/confirm",
            "{\"order_id\":\"o-1\",\"destination\":{\"country\":\"US\",\"postal_code\":\"94103\"}}");

        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        final JsonNode order = confirmed.json();
        assertThat(order.path("order_id").asText()).isEqualTo("o-1");
        assertThat(order.path("status").asText()).isEqualTo("confirmed");
        assertThat(order.path("lines")).hasSize(1);
        final JsonNode line = order.path("lines").get(0);
        assertThat(line.path("sku").asText()).isEqualTo("shoe");
        assertThat(line.path("qty").asLong()).isEqualTo(2);
        assertThat(line.path("price").path("amount").asLong()).isEqualTo(8999);
        assertThat(line.path("price").path("currency").asText()).isEqualTo("USD");
        assertThat(order.path("shipments")).hasSize(1);
        final JsonNode shipment = order.path("shipments").get(0);
        assertThat(shipment.path("location").asText()).isEqualTo("oak");
        assertThat(shipment.path("lines")).hasSize(1);
        assertThat(shipment.path("lines").get(0).path("sku").asText()).isEqualTo("shoe");
        assertThat(shipment.path("lines").get(0).path("qty").asLong()).isEqualTo(2);
        assertThat(shipment.has("delivery")).as(shipment.toString()).isTrue();
        assertThat(order.path("version").asLong()).isPositive();

        final JsonNode stock = api.stockAt("shoe", "oak");
        assertThat(stock.path("on_hand").asLong()).isEqualTo(10);
        assertThat(stock.path("reserved").asLong()).isZero();
        assertThat(stock.path("committed").asLong()).isEqualTo(2);
        assertThat(stock.path("available").asLong()).isEqualTo(8);
        assertThat(api.reservationStatus(id)).isEqualTo("confirmed");
        final JsonNode stored = api.expect(200, "GET", "/v1/orders/o-1?channel=shopify", null);
        assertThat(stored.path("status").asText()).isEqualTo("confirmed");
        assertThat(stored.path("lines")).isEqualTo(order.path("lines"));
    }

    @Test
    void confirmOfABundleCommitsItsComponents()
    {
        api.standardCatalog(0, "lace", "shoe");
        api.receive("lace", "oak", 10);
        api.receive("shoe", "oak", 10);
        api.expect(200, "PUT", "/v1/skus/kit", "{\"title\":\"Kit\",\"price\":{\"amount\":9999,\"currency\":\"USD\"}," +
            "\"components\":[{\"sku\":\"lace\",\"qty\":2},{\"sku\":\"shoe\",\"qty\":1}]}");
        final String id = api.reserve("shopify", "kit", 3);

        final JsonNode order = api.expect(200, "POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"k-1\"}");

        assertThat(order.path("lines").get(0).path("sku").asText()).isEqualTo("kit");
        assertThat(order.path("lines").get(0).path("qty").asLong()).isEqualTo(3);
        assertThat(order.path("lines").get(0).path("price").path("amount").asLong()).isEqualTo(9999);
        assertThat(api.stockAt("lace", "oak").path("committed").asLong()).isEqualTo(6);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(3);
        assertThat(api.stockAt("lace", "oak").path("reserved").asLong()).isZero();
    }

    @Test
    void confirmAcrossLocationsShipsEveryUnitExactlyOnce()
    {
        api.defineLocation("oak");
        api.defineLocation("nj");
        api.defineChannel("shopify");
        api.defineSku("shoe", 8999);
        api.receive("shoe", "oak", 2);
        api.receive("shoe", "nj", 2);
        final String id = api.reserve("shopify", "shoe", 3);

        final JsonNode order = api.expect(200, "POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"o-9\"}");

        long shipped = 0;
        for (final JsonNode shipment : order.path("shipments"))
        {
            assertThat(shipment.path("location").asText()).isIn("oak", "nj");
            for (final JsonNode line : shipment.path("lines"))
            {
                assertThat(line.path("sku").asText()).isEqualTo("shoe");
                shipped += line.path("qty").asLong();
            }
        }
        assertThat(shipped).isEqualTo(3);
        final JsonNode oak = api.stockAt("shoe", "oak");
        final JsonNode nj = api.stockAt("shoe", "nj");
        assertThat(oak.path("committed").asLong() + nj.path("committed").asLong()).isEqualTo(3);
        assertThat(oak.path("reserved").asLong() + nj.path("reserved").asLong()).isZero();
        assertThat(api.available("shoe", "shopify")).isEqualTo(1);
    }

    @Test
    void confirmOfAReservationAlreadyConfirmedIntoAnotherOrderIsAConflict()
    {
        api.standardCatalog(10, "shoe");
        final String id = api.reserve("shopify", "shoe", 2);
        api.expect(200, "POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"o-1\"}");
        final JsonNode before = api.stateOf("shoe");

        assertProblem(api.send("POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"o-2\"}"),
            409, "conflict");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertProblem(api.send("GET", "/v1/orders/o-2?channel=shopify", null), 404, "not_found");
    }

    @Test
    void confirmingAgainIntoTheSameOrderAnswersThatOrderAndChangesNothing()
    {
        api.standardCatalog(10, "shoe");
        final String id = api.reserve("shopify", "shoe", 2);
        final JsonNode first = api.expect(200, "POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"o-1\"}");
        final JsonNode before = api.stateOf("shoe");

        final Reply again = api.send("POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"o-1\"}");

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("order_id").asText()).isEqualTo("o-1");
        assertThat(again.json().path("status").asText()).isEqualTo("confirmed");
        assertThat(again.json().path("lines")).isEqualTo(first.path("lines"));
        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    @Test
    void expiredReservationGivesItsUnitsBackAndAnswers410()
    {
        api.standardCatalog(10, "shoe");
        final String id = api.expect(201, "POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":4}],\"ttl_seconds\":1}").path("id").asText();
        final String longLived = api.reserve("shopify", "shoe", 1);

        ApiHarness.pollUntil(() -> api.send("GET", "/v1/reservations/" + id, null),
            reply -> reply.status() == 200 && reply.json().path("status").asText().equals("expired"),
            "reservation " + id + " to expire");

        final JsonNode stock = api.stockAt("shoe", "oak");
        assertThat(stock.path("reserved").asLong()).isEqualTo(1);
        assertThat(stock.path("available").asLong()).isEqualTo(9);
        assertThat(api.available("shoe", "shopify")).isEqualTo(9);
        assertThat(api.reservationStatus(longLived)).isEqualTo("held");

        final JsonNode before = api.stateOf("shoe");
        assertProblem(api.send("POST", "/v1/reservations/" + id + "/confirm", "{\"order_id\":\"late-1\"}"),
            410, "reservation_expired");
        assertProblem(api.send("POST", "/v1/reservations/" + id + "/extend", "{\"ttl_seconds\":60}"),
            410, "reservation_expired");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertProblem(api.send("GET", "/v1/orders/late-1?channel=shopify", null), 404, "not_found");
    }

    private static void assertLine(final JsonNode line, final String sku, final long requested, final long available)
    {
        assertThat(line.path("sku").asText()).as(line.toString()).isEqualTo(sku);
        assertThat(line.path("requested").asLong()).as(line.toString()).isEqualTo(requested);
        assertThat(line.path("available").asLong()).as(line.toString()).isEqualTo(available);
    }
}
