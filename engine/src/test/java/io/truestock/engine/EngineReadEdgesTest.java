package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import io.truestock.engine.routing.RoutePlan;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's readers and offers at the edges of their arguments (the first index past the last, a quantity of 0
 * and of 1, a plan reused after another answer), and the writer's answers at the edges not covered elsewhere.
 */
class EngineReadEdgesTest
{
    private static final long WEDNESDAY_NOON = Instant.parse("2026-03-04T12:00:00Z").toEpochMilli();

    private final StockView stockView = new StockView();
    private final ChannelView channelView = new ChannelView();

    private static LocationSpec utc(final String name, final int priority)
    {
        return new LocationSpec(name, "UTC", "US", "", priority, 23 * 60 + 59, 0, LocationSpec.MON_TO_FRI, new int[0]);
    }

    /** {@code locations} locations A, B, ... with {@code unitsEach} shoes and socks each, one web channel, one carrier. */
    private static EngineDriver stocked(final int maxLocations, final int locations, final long unitsEach)
    {
        final EngineDriver d = new EngineDriver(
            new EngineConfig().maxSkus(4).maxLocations(maxLocations).maxChannels(2), WEDNESDAY_NOON);
        final ZoneSpec[] zones = new ZoneSpec[locations];
        for (int i = 0; i < locations; i++)
        {
            final String id = String.valueOf((char)('A' + i));
            final int priority = i + 1;
            d.assertAccepted(c -> c.defineLocation(id, utc(id, priority)));
            zones[i] = new ZoneSpec(id, "US", "", 1, 2);
        }
        d.assertAccepted(c -> c.defineChannel("web", ChannelSpec.named("Web")));
        d.assertAccepted(c -> c.defineSku("shoe", SkuSpec.simple("Shoe", 100, "USD")));
        d.assertAccepted(c -> c.defineSku("sock", SkuSpec.simple("Sock", 10, "USD")));
        d.assertAccepted(c -> c.defineCarrier("ups", new CarrierSpec("UPS", List.of(new ServiceSpec("ground", "Ground",
            LocationSpec.MON_TO_FRI, List.of(zones))))));
        for (int i = 0; i < locations; i++)
        {
            final String id = String.valueOf((char)('A' + i));
            d.assertAccepted(c -> c.receive("shoe", id, unitsEach));
            d.assertAccepted(c -> c.receive("sock", id, unitsEach));
        }
        return d;
    }

    @Test
    void readersAnswerFalseForUnknownIds()
    {
        final EngineDriver d = stocked(2, 1, 5);

        assertThat(d.engine.readStock("shoe", "A", stockView)).isTrue();
        assertThat(stockView.onHand()).isEqualTo(5);
        assertThat(d.engine.readStock("boot", "A", stockView)).isFalse();
        assertThat(d.engine.readStock("shoe", "Z", stockView)).isFalse();
        assertThat(d.engine.readChannel("shoe", "web", channelView)).isTrue();
        assertThat(d.engine.readChannel("boot", "web", channelView)).isFalse();
        assertThat(d.engine.readChannel("shoe", "mall", channelView)).isFalse();
    }

    @Test
    void offerPlanAtTheEdgesOfItsArguments()
    {
        final EngineDriver d = stocked(2, 1, 5);
        final Engine e = d.engine;
        final RoutePlan plan = e.newRoutePlan();
        final int shoe = e.skuIndex("shoe");
        final int web = e.channelIndex("web");
        final long now = d.now();

        assertThat(e.offerPlan(shoe, web, 1, "US", "1", now, plan)).as("a quantity of 1").isTrue();
        assertThat(plan.shipmentCount()).isEqualTo(1);
        assertThat(e.offerPlan(shoe, web, 0, "US", "1", now, plan)).as("a quantity of 0").isFalse();
        assertThat(plan.shipmentCount()).as("the plan is reset by a refusal").isZero();
        assertThat(e.offerPlan(e.skuCount(), web, 1, "US", "1", now, plan)).isFalse();
        assertThat(e.offerPlan(-1, web, 1, "US", "1", now, plan)).isFalse();
        assertThat(e.offerPlan(shoe, e.channelCount(), 1, "US", "1", now, plan)).isFalse();
        assertThat(e.offerPlan(shoe, -1, 1, "US", "1", now, plan)).isFalse();
        assertThat(e.offerPlan(shoe, web, 1, null, "1", now, plan)).isFalse();
        assertThat(plan.shipmentCount()).isZero();
    }

    @Test
    void offerCartAtTheEdgesOfItsArguments()
    {
        final EngineDriver d = stocked(2, 1, 8);
        final Engine e = d.engine;
        final RoutePlan plan = e.newRoutePlan();
        final int shoe = e.skuIndex("shoe");
        final int sock = e.skuIndex("sock");
        final int web = e.channelIndex("web");
        final long now = d.now();
        final int[] skus = {shoe, sock};

        assertThat(e.offerCart(web, skus, new long[]{1, 1}, 2, "US", "1", now, null, null, plan)).isTrue();
        assertThat(e.offerCart(web, skus, new long[]{5, 5}, 2, "US", "1", now, null, null, plan))
            .as("the demand of the previous cart is not added to this one").isTrue();
        assertThat(plan.shipmentCount()).isEqualTo(1);
        assertThat(e.offerCart(web, skus, new long[]{5, 0}, 2, "US", "1", now, null, null, plan)).isFalse();
        assertThat(plan.shipmentCount()).as("the plan is reset by a refusal").isZero();
        assertThat(e.offerCart(web, skus, new long[]{1, 1}, 2, "US", "1", now, null, null, plan)).isTrue();
        assertThat(e.offerCart(e.channelCount(), skus, new long[]{1, 1}, 2, "US", "1", now, null, null, plan))
            .isFalse();
        assertThat(plan.shipmentCount()).as("the plan is reset by a refusal").isZero();
        assertThat(e.offerCart(-1, skus, new long[]{1, 1}, 2, "US", "1", now, null, null, plan)).isFalse();
        assertThat(e.offerCart(web, skus, new long[]{1, 1}, 0, "US", "1", now, null, null, plan)).isFalse();
        assertThat(e.offerCart(web, skus, new long[]{1, 1}, 2, null, "1", now, null, null, plan)).isFalse();
        assertThat(e.offerCart(web, new int[]{shoe, e.skuCount()}, new long[]{1, 1}, 2, "US", "1", now, null, null,
            plan)).isFalse();
        assertThat(e.offerCart(web, new int[]{-1, shoe}, new long[]{1, 1}, 2, "US", "1", now, null, null, plan))
            .isFalse();
        assertThat(e.offerCart(web, skus, new long[]{1, 1}, 1, "US", "1", now, null, null, plan))
            .as("one line of two").isTrue();
    }

    /** The reading thread's plan is replaced when an engine with more locations than it holds is asked. */
    @Test
    void offerPromiseOfASplitAfterAnOfferOfAnEngineWithFewerLocations()
    {
        final EngineDriver small = stocked(1, 1, 5);
        final DeliveryPromise promise = new DeliveryPromise();
        assertThat(small.engine.offerPromise(small.engine.skuIndex("shoe"), small.engine.channelIndex("web"), 1,
            "US", "1", small.now(), promise)).isTrue();

        final EngineDriver large = stocked(4, 3, 1);
        final DeliveryPromise split = new DeliveryPromise();
        assertThat(large.engine.offerPromise(large.engine.skuIndex("shoe"), large.engine.channelIndex("web"), 3,
            "US", "1", large.now(), split)).isTrue();
        assertThat(split.isPromised()).isTrue();
    }

    @Test
    void carriersAreReadBack()
    {
        final EngineDriver d = stocked(2, 1, 1);

        assertThat(d.engine.carriers()).containsOnlyKeys("ups");
        assertThat(d.engine.carriers().get("ups").name()).isEqualTo("UPS");
    }

    @Test
    void definePricesAnswersWithTheSkuIndex()
    {
        final EngineDriver d = stocked(2, 1, 1);

        final Outcome out = d.assertAccepted(c -> c.definePrices("sock", PriceSpec.baseOnly(new Price(12, "USD"))));
        assertThat(out.sku()).isEqualTo(d.engine.skuIndex("sock")).isEqualTo(1);
        assertThat(out.location()).isEqualTo(-1);
    }

    @Test
    void adjustAndSafetyReachMaxOnHandExactly()
    {
        final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(2).maxLocations(2).maxChannels(2)
            .maxLineQuantity(100).maxOnHand(250));
        d.location("east", 1);
        d.sku("shoe");
        d.receive("shoe", "east", 100);
        d.receive("shoe", "east", 100);

        assertThat(d.adjust("shoe", "east", 50).onHand()).isEqualTo(250);
        assertThat(d.setSafety("shoe", "east", 250).accepted()).isTrue();
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.set("shoe", "east", Command.ABSENT, 251, Command.ABSENT));
    }

    /**
     * A sale that started before the snapshot is not announced again by the restored engine (its definitions are
     * replayed at instant 0, which would schedule the start once more); its end is.
     */
    @Test
    void aRestoredEngineAnnouncesOnlyThePriceChangesStillToCome()
    {
        final EngineDriver d = stocked(2, 1, 1);
        final long start = d.now() + 3_600_000;
        final long end = start + 3_600_000;
        d.assertAccepted(c -> c.definePrices("shoe", new PriceSpec(new Price(100, "USD"), Map.of(),
            List.of(new SaleSpec(new Price(80, "USD"), start, end, List.of())))));
        d.advanceMillis(5_400_000);
        d.tick();
        assertThat(d.events.pricedCount()).as("the start, before the snapshot").isEqualTo(1);

        final Engine restored = EngineSnapshot.restore(d.engine.config(), EngineSnapshot.capture(d.engine),
            InternedDefinitionCodec.INSTANCE);
        final EngineDriver resumed = EngineDriver.resume(restored, d);
        resumed.advanceMillis(1_000);
        resumed.tick();
        assertThat(resumed.events.pricedCount()).isZero();

        resumed.advanceMillis(3_600_000);
        resumed.tick();
        assertThat(resumed.events.pricedCount()).as("the end").isEqualTo(1);
        assertThat(resumed.events.pricedSku(0)).isEqualTo(restored.skuIndex("shoe"));
    }
}
