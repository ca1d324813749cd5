package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.routing.RoutePlan;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * What an agent is promised is what happens: the shipments of an offer (location, carrier, service, earliest,
 * latest, order-by) equal the shipments of a reservation of the same quantity confirmed right after it, at the same
 * instant, to the same destination, from the same state; and the offer's promise is the one of the shipment that
 * arrives last.
 */
class OfferMatchesConfirmationTest
{
    private static final long WEDNESDAY_NOON = Instant.parse("2026-03-04T12:00:00Z").toEpochMilli();
    private static final String[] TIMEZONES = {"UTC", "America/New_York", "America/Los_Angeles", "Europe/Amsterdam"};

    private static EngineConfig config()
    {
        return new EngineConfig().maxSkus(8).maxLocations(8).maxChannels(2);
    }

    private static LocationSpec utc(final String name, final int priority)
    {
        return new LocationSpec(name, "UTC", "US", "", priority, 23 * 60 + 59, 0, LocationSpec.MON_TO_FRI, new int[0]);
    }

    @Test
    void aSplitIsPromisedFromTheLocationsConfirmationShipsFrom()
    {
        final EngineDriver d = new EngineDriver(config(), WEDNESDAY_NOON);
        d.assertAccepted(c -> c.defineLocation("A", utc("A", 1)));
        d.assertAccepted(c -> c.defineLocation("B", utc("B", 2)));
        d.assertAccepted(c -> c.defineLocation("C", utc("C", 3)));
        d.assertAccepted(c -> c.defineChannel("web", ChannelSpec.named("Web")));
        d.assertAccepted(c -> c.defineSku("shoe", SkuSpec.simple("Shoe", 100, "USD")));
        // B is the slowest: a promise computed from A, B and C (first fit in routing order) arrives later than the
        // shipments from C and A that confirmation makes.
        d.assertAccepted(c -> c.defineCarrier("ups", new CarrierSpec("UPS", List.of(new ServiceSpec("ground", "Ground",
            LocationSpec.MON_TO_FRI, List.of(new ZoneSpec("A", "US", "", 1, 2), new ZoneSpec("B", "US", "", 4, 5),
                new ZoneSpec("C", "US", "", 2, 3)))))));
        d.assertAccepted(c -> c.receive("shoe", "A", 1));
        d.assertAccepted(c -> c.receive("shoe", "B", 1));
        d.assertAccepted(c -> c.receive("shoe", "C", 5));

        final Engine engine = d.engine;
        final RoutePlan plan = engine.newRoutePlan();
        final int shoe = engine.skuIndex("shoe");
        final int web = engine.channelIndex("web");
        assertThat(engine.offerPlan(shoe, web, 6, "US", "10001", d.now(), plan)).isTrue();
        final DeliveryPromise promise = new DeliveryPromise();
        assertThat(engine.offerPromise(shoe, web, 6, "US", "10001", d.now(), promise)).isTrue();

        assertThat(plan.shipmentCount()).isEqualTo(2);
        assertThat(engine.locationId(plan.shipmentLocation(0))).isEqualTo("A");
        assertThat(engine.locationId(plan.shipmentLocation(1))).isEqualTo("C");
        assertThat(engine.locationId(promise.locationIndex())).isEqualTo("C");
        assertThat(promise.latestMillis()).isEqualTo(plan.shipment(1).latestMillis());

        final long id = d.assertAccepted(c -> c.reserve("web", 600).addLine("shoe", 6)).reservationId();
        final Outcome order = d.assertAccepted(c -> c.confirm(id, "o1").destination("US", "10001"));
        assertSameShipments(plan, order);
    }

    @Test
    void offersEqualConfirmationsOverRandomLayouts()
    {
        qt().withExamples(300).forAll(integers().between(1, 8), longs().all())
            .checkAssert(OfferMatchesConfirmationTest::offerEqualsConfirmation);
    }

    private static void offerEqualsConfirmation(final int locationCount, final long seed)
    {
        final Random random = new Random(seed);
        final EngineDriver d = new EngineDriver(config(), WEDNESDAY_NOON + random.nextInt(7 * 24) * 3_600_000L);
        final List<String> locations = new ArrayList<>();
        for (int l = 0; l < locationCount; l++)
        {
            final String id = "L" + l;
            locations.add(id);
            final int mask = 1 + random.nextInt(127);
            d.assertAccepted(c -> c.defineLocation(id, new LocationSpec(id, TIMEZONES[random.nextInt(TIMEZONES.length)],
                "US", "", random.nextInt(3), random.nextInt(24 * 60), random.nextInt(3), mask, new int[0])));
        }
        final List<String> drawn = new ArrayList<>(locations);
        Collections.shuffle(drawn, random);
        final List<String> channelLocations = random.nextBoolean() ? List.of() : drawn.subList(0, 1 + random.nextInt(drawn.size()));
        d.assertAccepted(c -> c.defineChannel("web", new ChannelSpec("Web", channelLocations, 100, 0, ChannelSpec.UNLIMITED, 0)));
        for (final String sku : List.of("s0", "s1", "s2"))
        {
            d.assertAccepted(c -> c.defineSku(sku, SkuSpec.simple(sku, 100, "USD")));
        }
        d.assertAccepted(c -> c.defineSku("kit", new SkuSpec("Kit", 300, "USD", new String[]{"s0", "s1"},
            new long[]{1, 1 + random.nextInt(2)})));
        final int carriers = random.nextInt(3);
        for (int k = 0; k < carriers; k++)
        {
            final List<ZoneSpec> zones = new ArrayList<>();
            for (final String location : locations)
            {
                if (random.nextInt(4) > 0)
                {
                    final int min = random.nextInt(3);
                    zones.add(new ZoneSpec(location, "US", random.nextBoolean() ? "" : "9", min, min + random.nextInt(3)));
                }
            }
            final int mask = 1 + random.nextInt(127);
            final String carrier = "c" + k;
            d.assertAccepted(c -> c.defineCarrier(carrier, new CarrierSpec(carrier,
                List.of(new ServiceSpec("std", "Standard", mask, zones)))));
        }
        for (final String sku : List.of("s0", "s1", "s2"))
        {
            for (final String location : locations)
            {
                final int units = random.nextInt(6);
                if (units > 0)
                {
                    d.assertAccepted(c -> c.receive(sku, location, units));
                }
            }
        }

        final String sku = random.nextInt(3) == 0 ? "kit" : "s" + random.nextInt(3);
        final long qty = 1 + random.nextInt(12);
        final String postal = random.nextBoolean() ? "94107" : "10001";
        final Engine engine = d.engine;
        final RoutePlan plan = engine.newRoutePlan();
        final boolean promised = engine.offerPlan(engine.skuIndex(sku), engine.channelIndex("web"), qty, "US", postal,
            d.now(), plan);
        final DeliveryPromise promise = new DeliveryPromise();
        assertThat(engine.offerPromise(engine.skuIndex(sku), engine.channelIndex("web"), qty, "US", postal, d.now(),
            promise)).isEqualTo(promised);

        final Outcome reserved = d.apply(c -> c.reserve("web", 600).addLine(sku, qty));
        if (plan.shipmentCount() == 0)
        {
            assertThat(promised).isFalse();
            assertThat(promise.locationIndex()).isEqualTo(-1);
            assertThat(reserved.reason()).isEqualTo(RejectReason.OUT_OF_STOCK);
            return;
        }
        assertThat(reserved.accepted()).as("the offer routed, so the reservation holds").isTrue();
        final long id = reserved.reservationId();
        final Outcome order = d.assertAccepted(c -> c.confirm(id, "o1").destination("US", postal));
        assertSameShipments(plan, order);
        if (promised)
        {
            final int last = plan.lastArrival();
            assertThat(promise.locationIndex()).isEqualTo(plan.shipmentLocation(last));
            assertThat(promise.earliestMillis()).isEqualTo(order.shipmentEarliestMillis(last));
            assertThat(promise.latestMillis()).isEqualTo(order.shipmentLatestMillis(last));
            for (int i = 0; i < order.shipmentCount(); i++)
            {
                assertThat(order.shipmentLatestMillis(i)).isLessThanOrEqualTo(promise.latestMillis());
            }
        }
        else
        {
            int unpromised = -1;
            for (int i = plan.shipmentCount() - 1; i >= 0; i--)
            {
                unpromised = plan.shipmentPromised(i) ? unpromised : i;
            }
            assertThat(unpromised).isNotNegative();
            assertThat(promise.locationIndex()).isEqualTo(plan.shipmentLocation(unpromised));
            assertThat(order.shipmentHasPromise(unpromised)).isFalse();
        }
    }

    private static void assertSameShipments(final RoutePlan plan, final Outcome order)
    {
        assertThat(order.shipmentCount()).isEqualTo(plan.shipmentCount());
        for (int i = 0; i < plan.shipmentCount(); i++)
        {
            assertThat(order.shipmentLocation(i)).isEqualTo(plan.shipmentLocation(i));
            assertThat(order.shipmentHasPromise(i)).isEqualTo(plan.shipmentPromised(i));
            if (plan.shipmentPromised(i))
            {
                final DeliveryPromise p = plan.shipment(i);
                assertThat(order.shipmentEarliestMillis(i)).isEqualTo(p.earliestMillis());
                assertThat(order.shipmentLatestMillis(i)).isEqualTo(p.latestMillis());
                assertThat(order.shipmentOrderByMillis(i)).isEqualTo(p.orderByMillis());
                assertThat(order.shipmentCarrier(i)).isEqualTo(p.carrierId());
                assertThat(order.shipmentService(i)).isEqualTo(p.serviceId());
            }
        }
    }
}
