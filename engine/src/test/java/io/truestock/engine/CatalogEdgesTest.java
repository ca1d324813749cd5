package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every definition's validation at its edges: the last value accepted and the first refused, for each bound the
 * catalog checks (texts, priorities, cutoffs, percentages, buffers, bundle quantities, holidays, the SKU table).
 */
class CatalogEdgesTest
{
    private static final String LONGEST = "x".repeat(256);
    private static final String TOO_LONG = "x".repeat(257);

    private static EngineDriver driver()
    {
        return new EngineDriver(new EngineConfig().maxSkus(4).maxLocations(2).maxChannels(2)
            .maxLineQuantity(100).maxOnHand(1_000));
    }

    private static LocationSpec location(
        final String name, final String postal, final int priority, final int cutoff, final int handling, final int mask,
        final int holidays)
    {
        final int[] days = new int[holidays];
        for (int i = 0; i < holidays; i++)
        {
            days[i] = 20_000 + i;
        }
        return new LocationSpec(name, "UTC", "US", postal, priority, cutoff, handling, mask, days);
    }

    private static void accepted(final EngineDriver d, final String what, final Consumer<Command> filler)
    {
        assertThat(d.apply(filler).accepted()).as(what + ": " + d.outcome.reason()).isTrue();
    }

    private static void invalid(final EngineDriver d, final String what, final Consumer<Command> filler)
    {
        final Outcome out = d.apply(filler);
        assertThat(out.accepted()).as(what).isFalse();
        assertThat(out.reason()).as(what).isEqualTo(RejectReason.INVALID_CONFIG);
    }

    @Test
    void locationBounds()
    {
        final EngineDriver d = driver();
        accepted(d, "longest name", c -> c.defineLocation("a", location(LONGEST, "", 1, 0, 0, 1, 0)));
        invalid(d, "name too long", c -> c.defineLocation("a", location(TOO_LONG, "", 1, 0, 0, 1, 0)));
        accepted(d, "longest postal code", c -> c.defineLocation("a", location("A", "9".repeat(32), 1, 0, 0, 1, 0)));
        invalid(d, "postal code too long", c -> c.defineLocation("a", location("A", "9".repeat(33), 1, 0, 0, 1, 0)));
        accepted(d, "priority 0", c -> c.defineLocation("a", location("A", "", 0, 0, 0, 1, 0)));
        accepted(d, "priority 1 000 000", c -> c.defineLocation("a", location("A", "", 1_000_000, 0, 0, 1, 0)));
        invalid(d, "priority -1", c -> c.defineLocation("a", location("A", "", -1, 0, 0, 1, 0)));
        invalid(d, "priority 1 000 001", c -> c.defineLocation("a", location("A", "", 1_000_001, 0, 0, 1, 0)));
        accepted(d, "cutoff 23:59", c -> c.defineLocation("a", location("A", "", 1, 1439, 0, 127, 0)));
        invalid(d, "cutoff 24:00", c -> c.defineLocation("a", location("A", "", 1, 1440, 0, 127, 0)));
        accepted(d, "handling 0 days, every day", c -> c.defineLocation("a", location("A", "", 1, 0, 0, 127, 0)));
        invalid(d, "handling -1 days", c -> c.defineLocation("a", location("A", "", 1, 0, -1, 1, 0)));
        invalid(d, "mask 128", c -> c.defineLocation("a", location("A", "", 1, 0, 0, 128, 0)));
        accepted(d, "1 024 holidays", c -> c.defineLocation("a",
            location("A", "", 1, 0, 0, 1, LocationSpec.MAX_HOLIDAYS)));
        invalid(d, "1 025 holidays", c -> c.defineLocation("a",
            location("A", "", 1, 0, 0, 1, LocationSpec.MAX_HOLIDAYS + 1)));
    }

    @Test
    void channelBounds()
    {
        final EngineDriver d = driver();
        d.location("east", 1);
        d.location("west", 2);
        accepted(d, "longest name", c -> c.defineChannel("web", new ChannelSpec(LONGEST, List.of(), 0, 0, -1, 0)));
        invalid(d, "name too long", c -> c.defineChannel("web", new ChannelSpec(TOO_LONG, List.of(), 0, 0, -1, 0)));
        accepted(d, "100 %", c -> c.defineChannel("web", new ChannelSpec("Web", List.of(), 100, 0, -1, 0)));
        invalid(d, "101 %", c -> c.defineChannel("web", new ChannelSpec("Web", List.of(), 101, 0, -1, 0)));
        invalid(d, "-1 %", c -> c.defineChannel("web", new ChannelSpec("Web", List.of(), -1, 0, -1, 0)));
        accepted(d, "buffer of max on hand",
            c -> c.defineChannel("web", new ChannelSpec("Web", List.of(), 0, 1_000, -1, 0)));
        invalid(d, "buffer past max on hand",
            c -> c.defineChannel("web", new ChannelSpec("Web", List.of(), 0, 1_001, -1, 0)));
        invalid(d, "buffer -1", c -> c.defineChannel("web", new ChannelSpec("Web", List.of(), 0, -1, -1, 0)));
        accepted(d, "as many locations as the bound",
            c -> c.defineChannel("web", new ChannelSpec("Web", List.of("east", "west"), 0, 0, -1, 0)));
    }

    @Test
    void skuBounds()
    {
        final EngineDriver d = driver();
        accepted(d, "longest title", c -> c.defineSku("a", SkuSpec.simple(LONGEST, 1, "USD")));
        invalid(d, "title too long", c -> c.defineSku("a", SkuSpec.simple(TOO_LONG, 1, "USD")));
        accepted(d, "price 0", c -> c.defineSku("a", SkuSpec.simple("A", 0, "USD")));
        accepted(d, "a bundle of 1", c -> c.defineSku("kit", new SkuSpec("Kit", 1, "USD", new String[]{"a"},
            new long[]{1})));
        accepted(d, "a bundle of the line bound", c -> c.defineSku("kit", new SkuSpec("Kit", 1, "USD",
            new String[]{"a"}, new long[]{100})));
        invalid(d, "a bundle of 0", c -> c.defineSku("kit", new SkuSpec("Kit", 1, "USD", new String[]{"a"},
            new long[]{0})));
        invalid(d, "a bundle past the line bound", c -> c.defineSku("kit", new SkuSpec("Kit", 1, "USD",
            new String[]{"a"}, new long[]{101})));
    }

    @Test
    void theFirstSkuIsRedefinedInAFullTable()
    {
        final EngineDriver d = driver();
        for (final String sku : new String[]{"a", "b", "c", "d"})
        {
            d.sku(sku);
        }

        d.assertRejected(RejectReason.SKU_LIMIT, c -> c.defineSku("e", SkuSpec.simple("E", 1, "USD")));
        accepted(d, "redefining the first SKU", c -> c.defineSku("a", SkuSpec.simple("A2", 2, "USD")));
    }

    /**
     * Every location is defined, and the SKU after the one becoming a bundle holds stock at the first location: only
     * the SKU's own locations may count as its stock.
     */
    @Test
    void aSkuWithoutStockBecomesABundleWhenItsNeighbourHasStock()
    {
        final EngineDriver d = driver();
        d.location("east", 1);
        d.location("west", 2);
        d.sku("kit");
        d.sku("part");
        d.receive("part", "east", 5);

        accepted(d, "kit becomes a bundle", c -> c.defineSku("kit", new SkuSpec("Kit", 1, "USD",
            new String[]{"part"}, new long[]{1})));
    }

    @Test
    void carrierBounds()
    {
        final EngineDriver d = driver();
        final List<ZoneSpec> zones = List.of(new ZoneSpec(null, "US", "", 1, 2));
        accepted(d, "longest names", c -> c.defineCarrier("ups", new CarrierSpec(LONGEST,
            List.of(new ServiceSpec("ground", LONGEST, LocationSpec.MON_TO_FRI, zones)))));
        invalid(d, "carrier name empty", c -> c.defineCarrier("ups", new CarrierSpec("",
            List.of(new ServiceSpec("ground", "Ground", LocationSpec.MON_TO_FRI, zones)))));
        assertThat(d.engine.carriers().get("ups").name()).isEqualTo(LONGEST);
    }

    /** A SKU defined before its components became a bundle: the snapshot defines it as a bundle after them. */
    @Test
    void aBundleOfSkusDefinedAfterItIsRestored()
    {
        final EngineDriver d = driver();
        d.sku("kit");
        d.sku("part");
        accepted(d, "kit becomes a bundle", c -> c.defineSku("kit", new SkuSpec("Kit", 1, "USD",
            new String[]{"part"}, new long[]{2})));

        final Engine restored = EngineSnapshot.restore(d.engine.config(), EngineSnapshot.capture(d.engine),
            InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(d.engine.digest());
        assertThat(EngineState.of(restored)).isEqualTo(d.state());
    }

    @Test
    void aChannelWithoutLocationsIsDigested()
    {
        final EngineDriver d = driver();
        d.channel("web");

        assertThat(d.engine.digest()).isNotEmpty();
    }
}
