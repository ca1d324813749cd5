package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Catalog (locations, channels, SKUs, bundles), stock (receive, adjust, set) and the reads (availability, batch
 * availability, offers) of API.md.
 */
class CatalogAndStockApiTest
{
    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    // ---- catalog ----

    @Test
    void locationWithOnlyANameGetsTheDocumentedDefaults()
    {
        final JsonNode stored = api.expect(200, "PUT", "/v1/locations/oak", "{\"name\":\"Oakland DC\"}");

        assertThat(stored.path("name").asText()).isEqualTo("Oakland DC");
        assertThat(stored.path("timezone").asText()).isEqualTo("UTC");
        assertThat(stored.path("priority").asInt()).isEqualTo(100);
        assertThat(stored.path("cutoff").asText()).isEqualTo("23:59");
        assertThat(stored.path("handling_days").asInt()).isZero();
        assertThat(texts(stored.path("working_days"))).containsExactly("MON", "TUE", "WED", "THU", "FRI");
    }

    @Test
    void locationAnswersWithTheStoredObject()
    {
        final JsonNode stored = api.expect(200, "PUT", "/v1/locations/oak",
            "{\"name\":\"Oakland DC\",\"timezone\":\"America/Los_Angeles\",\"country\":\"US\"," +
            "\"postal_code\":\"94607\",\"priority\":1,\"cutoff\":\"14:00\",\"handling_days\":1," +
            "\"working_days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\"],\"holidays\":[\"2026-12-25\"]}");

        assertThat(stored.path("name").asText()).isEqualTo("Oakland DC");
        assertThat(stored.path("timezone").asText()).isEqualTo("America/Los_Angeles");
        assertThat(stored.path("country").asText()).isEqualTo("US");
        assertThat(stored.path("postal_code").asText()).isEqualTo("94607");
        assertThat(stored.path("priority").asInt()).isEqualTo(1);
        assertThat(stored.path("cutoff").asText()).isEqualTo("14:00");
        assertThat(stored.path("handling_days").asInt()).isEqualTo(1);
        assertThat(texts(stored.path("working_days"))).containsExactly("MON", "TUE", "WED", "THU", "FRI", "SAT");
        assertThat(texts(stored.path("holidays"))).containsExactly("2026-12-25");
    }

    @Test
    void redefiningALocationReplacesIt()
    {
        api.expect(200, "PUT", "/v1/locations/oak", "{\"name\":\"Oakland\",\"priority\":1}");
        final JsonNode replaced = api.expect(200, "PUT", "/v1/locations/oak", "{\"name\":\"Oakland 2\"}");

        assertThat(replaced.path("name").asText()).isEqualTo("Oakland 2");
        assertThat(replaced.path("priority").asInt()).isEqualTo(100);
    }

    @Test
    void channelWithOnlyANameDrawsFromEveryLocationWithTheDocumentedDefaults()
    {
        api.defineLocation("oak");
        api.defineLocation("nj");

        final JsonNode stored = api.expect(200, "PUT", "/v1/channels/shopify", "{\"name\":\"Shopify\"}");

        assertThat(stored.path("name").asText()).isEqualTo("Shopify");
        assertThat(texts(stored.path("locations"))).containsExactlyInAnyOrder("oak", "nj");
        assertThat(stored.path("percent").asInt()).isEqualTo(100);
        assertThat(stored.path("buffer").asInt()).isZero();
        assertThat(stored.path("max_listed").isNull()).as(stored.toString()).isTrue();
        assertThat(stored.path("low_stock_threshold").isIntegralNumber()).as(stored.toString()).isTrue();
    }

    @Test
    void channelAnswersWithTheStoredObject()
    {
        api.defineLocation("oak");
        api.defineLocation("nj");

        final JsonNode stored = api.expect(200, "PUT", "/v1/channels/amazon",
            "{\"name\":\"Amazon\",\"locations\":[\"nj\"],\"percent\":80,\"buffer\":2,\"max_listed\":50," +
            "\"low_stock_threshold\":3}");

        assertThat(stored.path("name").asText()).isEqualTo("Amazon");
        assertThat(texts(stored.path("locations"))).containsExactly("nj");
        assertThat(stored.path("percent").asInt()).isEqualTo(80);
        assertThat(stored.path("buffer").asInt()).isEqualTo(2);
        assertThat(stored.path("max_listed").asInt()).isEqualTo(50);
        assertThat(stored.path("low_stock_threshold").asInt()).isEqualTo(3);
    }

    @Test
    void channelWithoutLocationsAlsoDrawsFromALocationDefinedLater()
    {
        api.defineLocation("oak");
        api.defineChannel("shopify");
        api.defineSku("shoe", 8999);
        api.receive("shoe", "oak", 2);

        api.defineLocation("nj");
        api.receive("shoe", "nj", 3);

        assertThat(api.available("shoe", "shopify")).isEqualTo(5);
    }

    @Test
    void channelNamingAnUnknownLocationIsRefusedAndNotStored()
    {
        api.defineLocation("oak");

        final Reply refused = api.send("PUT", "/v1/channels/shopify",
            "{\"name\":\"Shopify\",\"locations\":[\"nowhere\"]}");

        assertThat(refused.status()).as(refused.body()).isBetween(400, 499);
        assertThat(refused.contentType()).startsWith(ApiHarness.PROBLEM_JSON);
        api.defineSku("shoe", 1);
        assertProblem(api.send("GET", "/v1/availability/shoe?channel=shopify", null), 404, "not_found");
    }

    @Test
    void skuAnswersWithTheStoredObjectAndItsQuantitiesAndAvailability()
    {
        api.defineLocation("oak");
        api.defineLocation("nj");
        api.defineChannel("shopify");

        final JsonNode stored = api.expect(200, "PUT", "/v1/skus/shoe",
            "{\"title\":\"Trail shoe 42\",\"price\":{\"amount\":8999,\"currency\":\"USD\"}}");

        assertThat(stored.path("sku").asText()).isEqualTo("shoe");
        assertThat(stored.path("title").asText()).isEqualTo("Trail shoe 42");
        assertThat(stored.path("price").path("amount").asLong()).isEqualTo(8999);
        assertThat(stored.path("price").path("currency").asText()).isEqualTo("USD");
        assertThat(stored.path("components").size()).isZero();

        api.receive("shoe", "oak", 4);
        api.receive("shoe", "nj", 7);
        final JsonNode read = api.sku("shoe");
        assertThat(read.path("title").asText()).isEqualTo("Trail shoe 42");
        assertThat(read.path("price").path("amount").asLong()).isEqualTo(8999);
        assertThat(api.stockAt("shoe", "oak").path("on_hand").asLong()).isEqualTo(4);
        assertThat(api.stockAt("shoe", "oak").path("available").asLong()).isEqualTo(4);
        assertThat(api.stockAt("shoe", "nj").path("on_hand").asLong()).isEqualTo(7);
        assertThat(api.stockAt("shoe", "nj").path("reserved").asLong()).isZero();
        assertThat(api.stockAt("shoe", "nj").path("committed").asLong()).isZero();
        assertThat(read.path("channels")).hasSize(1);
        assertThat(read.path("channels").get(0).path("channel").asText()).isEqualTo("shopify");
        assertThat(read.path("channels").get(0).path("available").asLong()).isEqualTo(11);
        assertThat(read.path("channels").get(0).path("status").asText()).isEqualTo("in_stock");
        assertThat(read.path("version").isIntegralNumber()).isTrue();
    }

    @Test
    void unknownSkuIsNotFound()
    {
        assertProblem(api.send("GET", "/v1/skus/nothing", null), 404, "not_found");
    }

    @Test
    void bundleIsStoredWithItsComponentsAndAvailableAsItsScarcestComponent()
    {
        api.standardCatalog(0, "lace", "shoe");
        api.receive("lace", "oak", 7);
        api.receive("shoe", "oak", 5);

        final JsonNode bundle = api.expect(200, "PUT", "/v1/skus/kit",
            "{\"title\":\"Shoe and laces\",\"price\":{\"amount\":9999,\"currency\":\"USD\"}," +
            "\"components\":[{\"sku\":\"lace\",\"qty\":2},{\"sku\":\"shoe\",\"qty\":1}]}");

        assertThat(bundle.path("title").asText()).isEqualTo("Shoe and laces");
        assertThat(bundle.path("components")).hasSize(2);
        assertThat(bundle.path("components").get(0).path("sku").asText()).isEqualTo("lace");
        assertThat(bundle.path("components").get(0).path("qty").asLong()).isEqualTo(2);
        assertThat(bundle.path("components").get(1).path("sku").asText()).isEqualTo("shoe");
        assertThat(bundle.path("components").get(1).path("qty").asLong()).isEqualTo(1);
        // 7 laces make 3 pairs; 5 shoes would make 5 kits.
        assertThat(api.available("kit", "shopify")).isEqualTo(3);
        assertThat(channelEntry(api.sku("kit"), "shopify").path("available").asLong()).isEqualTo(3);

        api.receive("lace", "oak", 10);
        assertThat(api.available("kit", "shopify")).isEqualTo(5);
    }

    @Test
    void bundleWithAnUnknownComponentIsRefusedAndNotStored()
    {
        api.standardCatalog(0, "lace");

        final Reply refused = api.send("PUT", "/v1/skus/kit",
            "{\"title\":\"Kit\",\"components\":[{\"sku\":\"lace\",\"qty\":2},{\"sku\":\"ghost\",\"qty\":1}]}");

        assertProblem(refused, 404, "not_found");
        assertProblem(api.send("GET", "/v1/skus/kit", null), 404, "not_found");
    }

    // ---- stock ----

    @Test
    void receiveAnswersWithTheStockRecord()
    {
        api.standardCatalog(0, "shoe");

        final JsonNode record = api.receive("shoe", "oak", 5);

        assertThat(record.path("sku").asText()).isEqualTo("shoe");
        assertThat(record.path("location").asText()).isEqualTo("oak");
        assertThat(record.path("on_hand").asLong()).isEqualTo(5);
        assertThat(record.path("reserved").asLong()).isZero();
        assertThat(record.path("committed").asLong()).isZero();
        assertThat(record.path("safety").asLong()).isZero();
        assertThat(record.path("available").asLong()).isEqualTo(5);
        assertThat(record.path("version").asLong()).isPositive();

        final JsonNode again = api.receive("shoe", "oak", 3);
        assertThat(again.path("on_hand").asLong()).isEqualTo(8);
        assertThat(again.path("version").asLong()).isGreaterThan(record.path("version").asLong());
        assertThat(api.stockAt("shoe", "oak").path("on_hand").asLong()).isEqualTo(8);
    }

    @Test
    void receiveOfAnUnknownSkuOrLocationIsNotFound()
    {
        api.standardCatalog(0, "shoe");

        assertProblem(api.send("POST", "/v1/stock/receive", "{\"sku\":\"ghost\",\"location\":\"oak\",\"qty\":1}"),
            404, "not_found");
        assertProblem(api.send("POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"nowhere\",\"qty\":1}"),
            404, "not_found");
        assertThat(api.stockAt("shoe", "oak").path("on_hand").asLong()).isZero();
    }

    @Test
    void adjustMovesOnHandBothWays()
    {
        api.standardCatalog(10, "shoe");

        final JsonNode down = api.expect(200, "POST", "/v1/stock/adjust",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-3,\"reason\":\"damaged\"}");
        assertThat(down.path("on_hand").asLong()).isEqualTo(7);
        assertThat(down.path("available").asLong()).isEqualTo(7);

        final JsonNode up = api.expect(200, "POST", "/v1/stock/adjust",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":2,\"reference\":\"cycle-count-9\"}");
        assertThat(up.path("on_hand").asLong()).isEqualTo(9);
        assertThat(api.available("shoe", "shopify")).isEqualTo(9);
    }

    @Test
    void adjustBelowReservedPlusCommittedIsAConflictAndChangesNothing()
    {
        api.standardCatalog(10, "shoe");
        api.expect(201, "POST", "/v1/reservations", ApiHarness.reserveBody("shopify", "shoe", 4));
        api.expect(201, "POST", "/v1/orders", ApiHarness.orderBody("amazon", "a-1", "shoe", 3));
        final JsonNode before = api.stateOf("shoe");

        final Reply refused = api.send("POST", "/v1/stock/adjust",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-4}");

        assertProblem(refused, 409, "conflict");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        final JsonNode allowed = api.expect(200, "POST", "/v1/stock/adjust",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-3}");
        assertThat(allowed.path("on_hand").asLong()).isEqualTo(7);
        assertThat(allowed.path("reserved").asLong()).isEqualTo(4);
        assertThat(allowed.path("committed").asLong()).isEqualTo(3);
        assertThat(allowed.path("available").asLong()).isZero();
    }

    @Test
    void setReplacesOnHandAndSafety()
    {
        api.standardCatalog(10, "shoe");

        final JsonNode set = api.expect(200, "POST", "/v1/stock/set",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":20,\"safety\":4}");

        assertThat(set.path("on_hand").asLong()).isEqualTo(20);
        assertThat(set.path("safety").asLong()).isEqualTo(4);
        assertThat(set.path("available").asLong()).isEqualTo(16);
        assertThat(api.available("shoe", "shopify")).isEqualTo(16);

        final JsonNode safetyOnly = api.expect(200, "POST", "/v1/stock/set",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"safety\":0}");
        assertThat(safetyOnly.path("on_hand").asLong()).isEqualTo(20);
        assertThat(safetyOnly.path("available").asLong()).isEqualTo(20);
    }

    @Test
    void setWithAMatchingExpectedOnHandApplies()
    {
        api.standardCatalog(10, "shoe");

        final JsonNode set = api.expect(200, "POST", "/v1/stock/set",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":12,\"expected_on_hand\":10}");

        assertThat(set.path("on_hand").asLong()).isEqualTo(12);
    }

    @Test
    void setWithAnExpectedOnHandThatDoesNotMatchIsAnExpectedMismatchAndChangesNothing()
    {
        api.standardCatalog(10, "shoe");
        final JsonNode before = api.stateOf("shoe");

        final Reply refused = api.send("POST", "/v1/stock/set",
            "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":12,\"expected_on_hand\":9}");

        assertProblem(refused, 409, "expected_mismatch");
        assertThat(api.stateOf("shoe")).isEqualTo(before);
        assertThat(api.stockAt("shoe", "oak").path("on_hand").asLong()).isEqualTo(10);
    }

    @Test
    void setBelowReservedIsAConflictAndChangesNothing()
    {
        api.standardCatalog(10, "shoe");
        api.expect(201, "POST", "/v1/reservations", ApiHarness.reserveBody("shopify", "shoe", 6));
        final JsonNode before = api.stateOf("shoe");

        assertProblem(api.send("POST", "/v1/stock/set", "{\"sku\":\"shoe\",\"location\":\"oak\",\"on_hand\":5}"),
            409, "conflict");

        assertThat(api.stateOf("shoe")).isEqualTo(before);
    }

    // ---- reads ----

    @Test
    void availabilityReportsStatusAgainstTheLowStockThreshold()
    {
        api.defineLocation("oak");
        api.expect(200, "PUT", "/v1/channels/shopify", "{\"name\":\"Shopify\",\"low_stock_threshold\":5}");
        api.defineSku("shoe", 8999);

        assertAvailability("shoe", 0, "out_of_stock");
        api.receive("shoe", "oak", 5);
        assertAvailability("shoe", 5, "low_stock");
        api.receive("shoe", "oak", 1);
        assertAvailability("shoe", 6, "in_stock");
    }

    @Test
    void availabilityFollowsReservationsOfOtherChannels()
    {
        api.standardCatalog(10, "shoe");

        api.expect(201, "POST", "/v1/reservations", ApiHarness.reserveBody("amazon", "shoe", 3));

        assertThat(api.available("shoe", "shopify")).isEqualTo(7);
        assertThat(api.available("shoe", "amazon")).isEqualTo(7);
    }

    @Test
    void availabilityNeedsAKnownChannelAndSku()
    {
        api.standardCatalog(1, "shoe");

        assertProblem(api.send("GET", "/v1/availability/shoe", null), 400, "invalid_request", "channel");
        assertProblem(api.send("GET", "/v1/availability/shoe?channel=ebay", null), 404, "not_found");
        assertProblem(api.send("GET", "/v1/availability/ghost?channel=shopify", null), 404, "not_found");
    }

    @Test
    void batchAvailabilityAnswersEverySkuInTheOrderAsked()
    {
        api.standardCatalog(0, "a", "b", "c");
        api.receive("a", "oak", 10);
        api.receive("c", "oak", 2);

        final JsonNode batch = api.expect(200, "GET", "/v1/availability?channel=shopify&skus=c,a,b", null);

        assertThat(batch.path("channel").asText()).isEqualTo("shopify");
        assertThat(batch.path("version").isIntegralNumber()).isTrue();
        final JsonNode items = batch.path("items");
        assertThat(items).hasSize(3);
        assertItem(items.get(0), "c", 2, "low_stock");
        assertItem(items.get(1), "a", 10, "in_stock");
        assertItem(items.get(2), "b", 0, "out_of_stock");
    }

    @Test
    void batchAvailabilityWithAnUnknownSkuIsNotFound()
    {
        api.standardCatalog(1, "a");

        assertProblem(api.send("GET", "/v1/availability?channel=shopify&skus=a,ghost", null), 404, "not_found");
        assertProblem(api.send("GET", "/v1/availability?channel=shopify", null), 400, "invalid_request", "skus");
    }

    @Test
    void offerAnswersTheBasePriceAQuoteAndNoDeliveryWithoutADestination()
    {
        api.standardCatalog(10, "shoe");

        final JsonNode offer = api.expect(200, "GET", "/v1/offers/shoe?channel=shopify&qty=2", null);

        assertThat(offer.path("sku").asText()).isEqualTo("shoe");
        assertThat(offer.path("channel").asText()).isEqualTo("shopify");
        assertThat(offer.path("qty").asLong()).isEqualTo(2);
        assertThat(offer.path("available").asLong()).isEqualTo(10);
        assertThat(offer.path("status").asText()).isEqualTo("in_stock");
        assertThat(offer.path("price").path("amount").asLong()).isEqualTo(8999);
        assertThat(offer.path("price").path("currency").asText()).isEqualTo("USD");
        assertThat(offer.has("delivery")).as(offer.toString()).isTrue();
        assertThat(offer.path("delivery").isNull()).as(offer.toString()).isTrue();
        assertThat(offer.path("delivery_reason").asText()).isEqualTo("no_destination");
        assertThat(offer.path("quote").path("id").asText()).startsWith("q_");
        assertThat(java.time.Instant.parse(offer.path("quote").path("expires_at").asText()))
            .isAfter(java.time.Instant.now());
        assertThat(offer.path("version").isIntegralNumber()).isTrue();
    }

    @Test
    void offerDefaultsToOneUnitAndFollowsPriceChanges()
    {
        api.standardCatalog(1, "shoe");
        api.expect(200, "PUT", "/v1/skus/shoe",
            "{\"title\":\"shoe\",\"price\":{\"amount\":7500,\"currency\":\"EUR\"}}");

        final JsonNode offer = api.expect(200, "GET", "/v1/offers/shoe?channel=amazon", null);

        assertThat(offer.path("qty").asLong()).isEqualTo(1);
        assertThat(offer.path("available").asLong()).isEqualTo(1);
        assertThat(offer.path("price").path("amount").asLong()).isEqualTo(7500);
        assertThat(offer.path("price").path("currency").asText()).isEqualTo("EUR");
    }

    @Test
    void offerWithABadQtyIsRefused()
    {
        api.standardCatalog(1, "shoe");

        assertProblem(api.send("GET", "/v1/offers/shoe?channel=shopify&qty=0", null), 400, "invalid_request", "qty");
        assertProblem(api.send("GET", "/v1/offers/shoe?channel=shopify&qty=1.5", null), 400, "invalid_request", "qty");
        assertProblem(api.send("GET", "/v1/offers/ghost?channel=shopify", null), 404, "not_found");
    }

    // ---- helpers ----

    private void assertAvailability(final String sku, final long available, final String status)
    {
        final JsonNode answer = api.expect(200, "GET", "/v1/availability/" + sku + "?channel=shopify", null);
        assertThat(answer.path("sku").asText()).isEqualTo(sku);
        assertThat(answer.path("channel").asText()).isEqualTo("shopify");
        assertThat(answer.path("available").asLong()).as(answer.toString()).isEqualTo(available);
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.path("version").isIntegralNumber()).isTrue();
    }

    private static void assertItem(final JsonNode item, final String sku, final long available, final String status)
    {
        assertThat(item.path("sku").asText()).isEqualTo(sku);
        assertThat(item.path("channel").asText()).isEqualTo("shopify");
        assertThat(item.path("available").asLong()).as(item.toString()).isEqualTo(available);
        assertThat(item.path("status").asText()).as(item.toString()).isEqualTo(status);
        assertThat(item.path("version").isIntegralNumber()).isTrue();
    }

    private static JsonNode channelEntry(final JsonNode sku, final String channel)
    {
        for (final JsonNode entry : sku.path("channels"))
        {
            if (entry.path("channel").asText().equals(channel))
            {
                return entry;
            }
        }
        return fail("no channel '" + channel + "' in " + sku);
    }

    static List<String> texts(final JsonNode array)
    {
        final List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
