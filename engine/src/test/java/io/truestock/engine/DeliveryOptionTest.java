package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.routing.RoutePlan;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * A delivery option (one carrier service) chosen from a cart's offer is what the confirmation ships by: the offer of
 * the cart restricted to that service has exactly the shipments (location, carrier, service, earliest, latest,
 * order-by) of a reservation of the same lines confirmed with that option at the same instant; an option the offer
 * does not give is refused at confirmation and changes nothing.
 */
class DeliveryOptionTest
{
    private static final long WEDNESDAY_NOON = Instant.parse("2026-03-04T12:00:00Z").toEpochMilli();
    private static final String[] SKUS = {"s0", "s1", "s2", "kit"};

    private record Option(String carrier, String service)
    {
    }

    private static final AtomicInteger KEPT = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    @Test
    void aChosenServiceShipsEveryShipmentAndASlowerOneIsStillOffered()
    {
        final EngineDriver d = twoServiceWorld();
        final Engine engine = d.engine;
        final RoutePlan plan = engine.newRoutePlan();
        final int[] skus = {engine.skuIndex("shoe")};
        final long[] qtys = {2};
        final int web = engine.channelIndex("web");

        assertThat(engine.offerCart(web, skus, qtys, 1, "US", "10001", d.now(), "ups", "ground", plan)).isTrue();
        final long groundLatest = plan.shipment(plan.lastArrival()).latestMillis();
        assertThat(engine.offerCart(web, skus, qtys, 1, "US", "10001", d.now(), "ups", "air", plan)).isTrue();
        assertThat(plan.shipment(plan.lastArrival()).latestMillis()).isLessThan(groundLatest);
        assertThat(engine.offerCart(web, skus, qtys, 1, "US", "10001", d.now(), "ups", "boat", plan)).isFalse();

        final long id = d.assertAccepted(c -> c.reserve("web", 600).addLine("shoe", 2)).reservationId();
        final Outcome order = d.assertAccepted(c -> c.confirm(id, "o1").destination("US", "10001")
            .carrier("ups").service("ground"));
        assertThat(order.shipmentCount()).isEqualTo(1);
        assertThat(order.shipmentCarrier(0)).isEqualTo("ups");
        assertThat(order.shipmentService(0)).isEqualTo("ground");
        assertThat(order.shipmentLatestMillis(0)).isEqualTo(groundLatest);
    }

    @Test
    void anOptionThatCannotDeliverIsRefusedAndChangesNothing()
    {
        final EngineDriver d = twoServiceWorld();
        final long id = d.assertAccepted(c -> c.reserve("web", 600).addLine("shoe", 2)).reservationId();
        final EngineState before = EngineState.of(d.engine);

        assertThat(d.apply(c -> c.confirm(id, "o1").destination("US", "10001").carrier("ups").service("boat"))
            .reason()).isEqualTo(RejectReason.DELIVERY_OPTION_UNAVAILABLE);
        assertThat(d.apply(c -> c.confirm(id, "o1").destination("CA", "H2X").carrier("ups").service("air"))
            .reason()).isEqualTo(RejectReason.DELIVERY_OPTION_UNAVAILABLE);
        assertThat(d.apply(c -> c.confirm(id, "o1").carrier("ups").service("air"))
            .reason()).as("an option without a destination").isEqualTo(RejectReason.DELIVERY_OPTION_UNAVAILABLE);
        assertThat(d.apply(c -> c.confirm(id, "o1").destination("US", "10001").carrier("ups"))
            .reason()).as("a carrier without its service").isEqualTo(RejectReason.INVALID_ID);
        assertThat(d.apply(c -> c.confirm(id, "o1").destination("US", "10001").carrier("u p s").service("air"))
            .reason()).isEqualTo(RejectReason.INVALID_ID);
        assertThat(EngineState.of(d.engine)).isEqualTo(before);

        d.assertAccepted(c -> c.confirm(id, "o1").destination("US", "10001").carrier("ups").service("air"));
    }

    @Test
    void everyOfferedOptionIsWhatConfirmationShipsOverRandomLayouts()
    {
        qt().withExamples(200).forAll(integers().between(1, 6), longs().all())
            .checkAssert(DeliveryOptionTest::everyOptionKept);
        assertThat(KEPT.get()).as("options offered and kept").isGreaterThan(50);
        assertThat(REFUSED.get()).as("options not offered and refused").isGreaterThan(50);
    }

    private static void everyOptionKept(final int locationCount, final long seed)
    {
        final List<Option> options = new ArrayList<>();
        final EngineDriver probe = randomWorld(locationCount, seed, options);
        final Random cartRandom = new Random(seed ^ 0x5DEECE66DL);
        final int lines = 1 + cartRandom.nextInt(3);
        final String[] cartSkus = new String[lines];
        final long[] qtys = new long[lines];
        for (int i = 0; i < lines; i++)
        {
            cartSkus[i] = SKUS[(i + cartRandom.nextInt(SKUS.length)) % SKUS.length];
            qtys[i] = 1 + cartRandom.nextInt(4);
        }
        final String postal = cartRandom.nextBoolean() ? "94107" : "10001";
        final int[] skus = new int[lines];
        for (int i = 0; i < lines; i++)
        {
            skus[i] = probe.engine.skuIndex(cartSkus[i]);
        }

        for (final Option option : options)
        {
            final EngineDriver d = randomWorld(locationCount, seed, new ArrayList<>());
            final Engine engine = d.engine;
            final RoutePlan plan = engine.newRoutePlan();
            final boolean offered = engine.offerCart(engine.channelIndex("web"), skus, qtys, lines, "US", postal,
                d.now(), option.carrier(), option.service(), plan);
            final Outcome reserved = d.apply(c ->
            {
                c.reserve("web", 600);
                for (int i = 0; i < lines; i++)
                {
                    c.addLine(cartSkus[i], qtys[i]);
                }
            });
            if (!reserved.accepted())
            {
                assertThat(reserved.reason()).isEqualTo(RejectReason.OUT_OF_STOCK);
                assertThat(offered).isFalse();
                continue;
            }
            final long id = reserved.reservationId();
            final EngineState before = EngineState.of(engine);
            final Outcome order = d.apply(c -> c.confirm(id, "o1").destination("US", postal)
                .carrier(option.carrier()).service(option.service()));
            if (!offered)
            {
                assertThat(order.reason()).isEqualTo(RejectReason.DELIVERY_OPTION_UNAVAILABLE);
                assertThat(EngineState.of(engine)).isEqualTo(before);
                REFUSED.incrementAndGet();
                continue;
            }
            assertThat(order.accepted()).as("option %s offered, so confirmation ships by it", option).isTrue();
            KEPT.incrementAndGet();
            assertThat(order.shipmentCount()).isEqualTo(plan.shipmentCount());
            for (int i = 0; i < plan.shipmentCount(); i++)
            {
                final DeliveryPromise p = plan.shipment(i);
                assertThat(order.shipmentLocation(i)).isEqualTo(plan.shipmentLocation(i));
                assertThat(order.shipmentHasPromise(i)).isTrue();
                assertThat(order.shipmentCarrier(i)).isEqualTo(option.carrier()).isEqualTo(p.carrierId());
                assertThat(order.shipmentService(i)).isEqualTo(option.service()).isEqualTo(p.serviceId());
                assertThat(order.shipmentEarliestMillis(i)).isEqualTo(p.earliestMillis());
                assertThat(order.shipmentLatestMillis(i)).isEqualTo(p.latestMillis());
                assertThat(order.shipmentOrderByMillis(i)).isEqualTo(p.orderByMillis());
            }
        }
    }

    private static EngineDriver randomWorld(final int locationCount, final long seed, final List<Option> options)
    {
        final Random random = new Random(seed);
        final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(8).maxLocations(8).maxChannels(2),
            WEDNESDAY_NOON + random.nextInt(7 * 24) * 3_600_000L);
        final List<String> locations = new ArrayList<>();
        for (int l = 0; l < locationCount; l++)
        {
            final String id = "L" + l;
            locations.add(id);
            d.assertAccepted(c -> c.defineLocation(id, new LocationSpec(id, "America/New_York", "US", "",
                random.nextInt(3), random.nextInt(24 * 60), random.nextInt(3), 1 + random.nextInt(127), new int[0])));
        }
        d.assertAccepted(c -> c.defineChannel("web", ChannelSpec.named("Web")));
        for (final String sku : List.of("s0", "s1", "s2"))
        {
            d.assertAccepted(c -> c.defineSku(sku, SkuSpec.simple(sku, 100, "USD")));
        }
        d.assertAccepted(c -> c.defineSku("kit", new SkuSpec("Kit", 300, "USD", new String[]{"s0", "s1"},
            new long[]{1, 1 + random.nextInt(2)})));
        final int carriers = 1 + random.nextInt(3);
        for (int k = 0; k < carriers; k++)
        {
            final String carrier = "c" + k;
            final List<ServiceSpec> services = new ArrayList<>();
            final int serviceCount = 1 + random.nextInt(2);
            for (int v = 0; v < serviceCount; v++)
            {
                final List<ZoneSpec> zones = new ArrayList<>();
                for (final String location : locations)
                {
                    if (random.nextInt(4) > 0)
                    {
                        final int min = random.nextInt(4);
                        zones.add(new ZoneSpec(location, "US", random.nextBoolean() ? "" : "9", min,
                            min + random.nextInt(3)));
                    }
                }
                services.add(new ServiceSpec("v" + v, "Service " + v, 1 + random.nextInt(127), zones));
                options.add(new Option(carrier, "v" + v));
            }
            d.assertAccepted(c -> c.defineCarrier(carrier, new CarrierSpec(carrier, services)));
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
        return d;
    }

    private static EngineDriver twoServiceWorld()
    {
        final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(2),
            WEDNESDAY_NOON);
        d.assertAccepted(c -> c.defineLocation("A", new LocationSpec("A", "UTC", "US", "", 1, 23 * 60 + 59, 0,
            LocationSpec.MON_TO_FRI, new int[0])));
        d.assertAccepted(c -> c.defineChannel("web", ChannelSpec.named("Web")));
        d.assertAccepted(c -> c.defineSku("shoe", SkuSpec.simple("Shoe", 100, "USD")));
        d.assertAccepted(c -> c.defineCarrier("ups", new CarrierSpec("UPS", List.of(
            new ServiceSpec("ground", "Ground", LocationSpec.MON_TO_FRI, List.of(new ZoneSpec(null, "US", "", 3, 5))),
            new ServiceSpec("air", "Air", LocationSpec.MON_TO_FRI, List.of(new ZoneSpec(null, "US", "", 1, 1))),
            new ServiceSpec("boat", "Boat", LocationSpec.MON_TO_FRI, List.of(new ZoneSpec(null, "GB", "", 9, 12)))))));
        d.assertAccepted(c -> c.receive("shoe", "A", 5));
        return d;
    }
}
