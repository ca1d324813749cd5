package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an agent is promised is what happens: the shipments an offer lists are the shipments the confirmation made
 * right after it (same stock, same instant, same destination) creates, through the real server.
 */
class OfferKeptByConfirmationApiTest
{
    private static final String WEEKDAYS = "[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"]";
    /** 2026-03-04T10:00:00Z, a Wednesday: the server's clock stands still here, so offer and confirm share it. */
    private static final long NOW = 1_772_618_400_000L;

    private final CachedEpochClock clock = new CachedEpochClock();

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config ->
    {
        clock.update(NOW);
        config.clock(clock);
    });

    /**
     * Available a=1, b=1, c=5, quantity 6: no location ships it alone, so routing splits, greedily by most units: c
     * (5), then a (1, before b on the tie by priority). Each location has its own transit time and b is by far the
     * slowest, so an offer that split first-fit (a, b, c) would promise b's late arrival for a shipment that never
     * leaves b.
     */
    @Test
    void aSplitOfferPromisesTheShipmentsConfirmationMakes()
    {
        location("a", 1);
        location("b", 2);
        location("c", 3);
        api.expect(200, "PUT", "/v1/carriers/ups", "{\"name\":\"UPS\",\"services\":[{\"id\":\"ground\"," +
            "\"working_days\":" + WEEKDAYS + ",\"zones\":[" +
            zone("a", 1, 1) + "," + zone("b", 6, 8) + "," + zone("c", 2, 3) + "]}]}");
        api.defineChannel("shop");
        api.defineSku("shoe", 5000);
        api.receive("shoe", "a", 1);
        api.receive("shoe", "b", 1);
        api.receive("shoe", "c", 5);

        final JsonNode offer = api.expect(200, "GET", "/v1/offers/shoe?channel=shop&qty=6&country=US&postal_code=94103",
            null);
        final JsonNode delivery = offer.path("delivery");
        assertThat(delivery.isObject()).as("%s", offer).isTrue();
        assertThat(locations(delivery.path("shipments"))).containsExactly("a", "c");
        assertThat(delivery.path("location").asText()).as("the shipment that arrives last").isEqualTo("c");

        final String reservation = api.reserve("shop", "shoe", 6);
        final JsonNode order = api.expect(200, "POST", "/v1/reservations/" + reservation + "/confirm",
            "{\"order_id\":\"o-1\",\"destination\":{\"country\":\"US\",\"postal_code\":\"94103\"}}");
        final JsonNode shipments = order.path("shipments");
        assertThat(locations(shipments)).containsExactly("a", "c");
        for (int i = 0; i < shipments.size(); i++)
        {
            final JsonNode promised = delivery.path("shipments").get(i);
            final JsonNode made = shipments.get(i).path("delivery");
            for (final String field : new String[] {"location", "carrier", "service", "earliest", "latest", "order_by"})
            {
                assertThat(made.path(field).asText()).as("shipment %d %s", i, field)
                    .isEqualTo(promised.path(field).asText());
            }
        }
        assertThat(shipments.get(0).path("lines").get(0).path("qty").asLong()).isEqualTo(1);
        assertThat(shipments.get(1).path("lines").get(0).path("qty").asLong()).isEqualTo(5);
        assertThat(api.stockAt("shoe", "b").path("committed").asLong()).as("b ships nothing").isZero();
    }

    /** One location can ship it all: a single shipment, the same in the offer and the order. */
    @Test
    void aSingleLocationOfferListsOneShipment()
    {
        location("a", 1);
        location("c", 2);
        api.expect(200, "PUT", "/v1/carriers/ups", "{\"name\":\"UPS\",\"services\":[{\"id\":\"ground\"," +
            "\"working_days\":" + WEEKDAYS + ",\"zones\":[" + zone("a", 4, 5) + "," + zone("c", 1, 2) + "]}]}");
        api.defineChannel("shop");
        api.defineSku("shoe", 5000);
        api.receive("shoe", "a", 3);
        api.receive("shoe", "c", 3);

        final JsonNode delivery = api.expect(200, "GET",
            "/v1/offers/shoe?channel=shop&qty=2&country=US&postal_code=94103", null).path("delivery");
        assertThat(locations(delivery.path("shipments"))).as("the earliest promise wins").containsExactly("c");

        final String reservation = api.reserve("shop", "shoe", 2);
        final JsonNode order = api.expect(200, "POST", "/v1/reservations/" + reservation + "/confirm",
            "{\"order_id\":\"o-1\",\"destination\":{\"country\":\"US\",\"postal_code\":\"94103\"}}");
        assertThat(locations(order.path("shipments"))).containsExactly("c");
        assertThat(order.path("shipments").get(0).path("delivery").path("latest").asText())
            .isEqualTo(delivery.path("latest").asText());
    }

    private void location(final String id, final int priority)
    {
        api.expect(200, "PUT", "/v1/locations/" + id, "{\"name\":\"" + id + "\",\"timezone\":\"America/Los_Angeles\"," +
            "\"country\":\"US\",\"priority\":" + priority + ",\"cutoff\":\"14:00\",\"handling_days\":0," +
            "\"working_days\":" + WEEKDAYS + "}");
    }

    private static String zone(final String location, final int minDays, final int maxDays)
    {
        return "{\"location\":\"" + location + "\",\"country\":\"US\",\"postal_prefix\":\"9\",\"min_transit_days\":" +
            minDays + ",\"max_transit_days\":" + maxDays + "}";
    }

    private static List<String> locations(final JsonNode shipments)
    {
        final List<String> ids = new ArrayList<>();
        for (final JsonNode shipment : shipments)
        {
            ids.add(shipment.path("location").asText());
        }
        return ids;
    }
}
