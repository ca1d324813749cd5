package io.truestock.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationCommandsTest
{
    private final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(4));

    // ---- DEFINE_LOCATION ----

    @Test
    void locationsGetDenseIndicesInDefinitionOrderAndARedefinitionKeepsTheIndex()
    {
        assertThat(d.location("east", 1).accepted()).isTrue();
        assertThat(d.location("west", 2).accepted()).isTrue();
        final Outcome redefined = d.location("east", 7);

        assertThat(redefined.accepted()).isTrue();
        assertThat(redefined.location()).isEqualTo(0);
        assertThat(d.engine.locationCount()).isEqualTo(2);
        assertThat(d.engine.locationIndex("east")).isEqualTo(0);
        assertThat(d.engine.locationIndex("west")).isEqualTo(1);
        assertThat(d.engine.locationSpec(0).priority()).isEqualTo(7);
        assertThat(redefined.version()).isEqualTo(d.sequence());
    }

    @Test
    void aLocationIdMustBeAValidId()
    {
        d.assertRejected(RejectReason.INVALID_ID, c -> c.defineLocation("east side", LocationSpec.named("x")));
        d.assertRejected(RejectReason.INVALID_ID, c -> c.defineLocation("", LocationSpec.named("x")));
        d.assertRejected(RejectReason.INVALID_ID, c -> c.defineLocation("x".repeat(65), LocationSpec.named("x")));
        assertThat(d.location("x".repeat(64), 1).accepted()).isTrue();
    }

    @Test
    void aLocationSpecOutsideItsRangesIsInvalidConfig()
    {
        final LocationSpec good = LocationSpec.named("East");
        final List<LocationSpec> bad = List.of(
            new LocationSpec("", "UTC", "", "", 1, 0, 0, LocationSpec.MON_TO_FRI, new int[0]),
            new LocationSpec("East", "Mars/Olympus", "", "", 1, 0, 0, LocationSpec.MON_TO_FRI, new int[0]),
            new LocationSpec("East", "UTC", "USA", "", 1, 0, 0, LocationSpec.MON_TO_FRI, new int[0]),
            new LocationSpec("East", "UTC", "", "", -1, 0, 0, LocationSpec.MON_TO_FRI, new int[0]),
            new LocationSpec("East", "UTC", "", "", 1, 24 * 60, 0, LocationSpec.MON_TO_FRI, new int[0]),
            new LocationSpec("East", "UTC", "", "", 1, 0, -1, LocationSpec.MON_TO_FRI, new int[0]),
            new LocationSpec("East", "UTC", "", "", 1, 0, 0, 0, new int[0]),
            new LocationSpec("East", "UTC", "", "", 1, 0, 0, 128, new int[0]));
        for (final LocationSpec spec : bad)
        {
            d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineLocation("east", spec));
        }
        d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineLocation("east", null));
        assertThat(d.apply(c -> c.defineLocation("east", good)).accepted()).isTrue();
    }

    @Test
    void aNewLocationJoinsChannelsThatDrawFromEveryLocationButNotChannelsWithAList()
    {
        d.location("east", 1);
        d.channel("everywhere");
        d.channel("east-only", "east");
        d.sku("shoe");

        d.location("west", 2);
        d.receive("shoe", "west", 4);

        assertThat(d.engine.channelLocations(d.engine.channelIndex("everywhere"))).containsExactly(0, 1);
        assertThat(d.engine.channelLocations(d.engine.channelIndex("east-only"))).containsExactly(0);
        assertThat(d.published("shoe", "everywhere")).isEqualTo(4);
        assertThat(d.published("shoe", "east-only")).isZero();
    }

    // ---- DEFINE_CHANNEL ----

    @Test
    void aChannelDrawsFromItsLocationsInTheGivenOrder()
    {
        d.location("east", 1);
        d.location("west", 2);
        d.location("north", 3);

        final Outcome out = d.channel("web", "north", "east");

        assertThat(out.accepted()).isTrue();
        assertThat(out.channel()).isEqualTo(0);
        assertThat(d.engine.channelLocations(0)).containsExactly(2, 0);
        assertThat(d.engine.channelSpec(0).locations()).containsExactly("north", "east");
    }

    @Test
    void aChannelDefinitionPublishesEveryKnownSku()
    {
        d.location("east", 1);
        d.sku("shoe");
        d.sku("sock");
        d.receive("shoe", "east", 3);

        final Outcome out = d.channel("web");

        assertThat(out.accepted()).isTrue();
        assertThat(d.publishedEvents()).containsExactly(
            entry("shoe@web", 3L), entry("sock@web", 0L));
        assertThat(d.publishedVersion("shoe", "web")).isEqualTo(out.version());
        assertThat(d.publishedVersion("sock", "web")).isEqualTo(out.version());
    }

    @Test
    void aChannelRedefinitionRepublishesWithTheNewLocationsAndFormula()
    {
        d.location("east", 1);
        d.location("west", 2);
        d.sku("shoe");
        d.channel("web", "east");
        d.receive("shoe", "east", 10);
        d.receive("shoe", "west", 20);
        assertThat(d.published("shoe", "web")).isEqualTo(10);

        final Outcome out = d.channel("web", new ChannelSpec("web", List.of("east", "west"), 50, 2, 100, 5));

        assertThat(out.accepted()).isTrue();
        assertThat(d.engine.channelCount()).isEqualTo(1);
        // floor(30 * 50 / 100) - 2
        assertThat(d.published("shoe", "web")).isEqualTo(13);
        assertThat(d.publishedEvents()).containsExactly(entry("shoe@web", 13L));
    }

    @Test
    void aChannelSpecOutsideItsRangesIsInvalidConfig()
    {
        d.location("east", 1);
        final List<ChannelSpec> bad = List.of(
            new ChannelSpec("", List.of(), 100, 0, ChannelSpec.UNLIMITED, 5),
            new ChannelSpec("web", List.of(), 101, 0, ChannelSpec.UNLIMITED, 5),
            new ChannelSpec("web", List.of(), -1, 0, ChannelSpec.UNLIMITED, 5),
            new ChannelSpec("web", List.of(), 100, -1, ChannelSpec.UNLIMITED, 5),
            new ChannelSpec("web", List.of(), 100, 0, -2, 5),
            new ChannelSpec("web", List.of(), 100, 0, ChannelSpec.UNLIMITED, -1),
            new ChannelSpec("web", List.of("east", "east"), 100, 0, ChannelSpec.UNLIMITED, 5),
            new ChannelSpec("web", List.of("east", "east", "east", "east", "east"), 100, 0, ChannelSpec.UNLIMITED, 5));
        for (final ChannelSpec spec : bad)
        {
            d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineChannel("web", spec));
        }
        d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineChannel("web", null));
        d.assertRejected(RejectReason.INVALID_ID, c -> c.defineChannel("web/1", ChannelSpec.named("web")));
        d.assertRejected(RejectReason.UNKNOWN_LOCATION, c -> c.defineChannel("web", ChannelSpec.named("web", "east", "nowhere")));
        assertThat(d.engine.channelCount()).isZero();
    }

    // ---- DEFINE_SKU ----

    @Test
    void aSimpleSkuHoldsStockAndARedefinitionKeepsItsStock()
    {
        d.location("east", 1);
        d.sku("shoe");
        d.receive("shoe", "east", 5);

        final Outcome out = d.apply(c -> c.defineSku("shoe", SkuSpec.simple("Trail shoe", 8999, "EUR")));

        assertThat(out.accepted()).isTrue();
        assertThat(out.sku()).isEqualTo(0);
        assertThat(d.engine.skuSpec(0).title()).isEqualTo("Trail shoe");
        assertThat(d.stock("shoe", "east").onHand()).isEqualTo(5);
    }

    @Test
    void aBundleIsPublishedAsTheMinimumOverComponentsOfAvailableOverQuantity()
    {
        d.location("east", 1);
        d.channel("web");
        d.sku("shoe");
        d.sku("lace");
        d.receive("shoe", "east", 7);
        d.receive("lace", "east", 9);

        final Outcome out = d.bundle("kit", new String[]{"shoe", "lace"}, new long[]{2, 4});

        assertThat(out.accepted()).isTrue();
        // min(floor(7 / 2), floor(9 / 4)) = min(3, 2)
        assertThat(d.published("kit", "web")).isEqualTo(2);
        assertThat(d.publishedEvents()).containsEntry("kit@web", 2L);
        assertThat(d.engine.skuSpec(d.engine.skuIndex("kit")).isBundle()).isTrue();
    }

    @Test
    void aBundleRedefinitionWithOtherComponentsRepublishesIt()
    {
        d.location("east", 1);
        d.channel("web");
        d.sku("shoe");
        d.sku("lace");
        d.receive("shoe", "east", 7);
        d.receive("lace", "east", 1);
        d.bundle("kit", new String[]{"shoe", "lace"}, new long[]{1, 1});
        assertThat(d.published("kit", "web")).isEqualTo(1);

        d.bundle("kit", new String[]{"shoe"}, new long[]{3});

        assertThat(d.published("kit", "web")).isEqualTo(2);
        d.receive("lace", "east", 5);
        assertThat(d.publishedEvents()).doesNotContainKey("kit@web");
        d.receive("shoe", "east", 2);
        assertThat(d.publishedEvents()).containsEntry("kit@web", 3L);
    }

    @Test
    void aBundleComponentMustBeAKnownSimpleSkuListedOnceWithAPositiveQuantity()
    {
        d.location("east", 1);
        d.sku("shoe");
        d.sku("lace");
        d.bundle("kit", new String[]{"shoe"}, new long[]{1});

        final Outcome unknown = d.assertRejected(RejectReason.UNKNOWN_SKU,
            c -> c.defineSku("box", new SkuSpec("box", 1, "USD", new String[]{"shoe", "ghost"}, new long[]{1, 1})));
        assertThat(unknown.rejectedLine()).isEqualTo(1);
        final Outcome nested = d.assertRejected(RejectReason.INVALID_CONFIG,
            c -> c.defineSku("box", new SkuSpec("box", 1, "USD", new String[]{"kit"}, new long[]{1})));
        assertThat(nested.rejectedLine()).isEqualTo(0);
        d.assertRejected(RejectReason.INVALID_CONFIG,
            c -> c.defineSku("box", new SkuSpec("box", 1, "USD", new String[]{"shoe", "shoe"}, new long[]{1, 1})));
        d.assertRejected(RejectReason.INVALID_CONFIG,
            c -> c.defineSku("box", new SkuSpec("box", 1, "USD", new String[]{"shoe"}, new long[]{0})));
        d.assertRejected(RejectReason.INVALID_CONFIG,
            c -> c.defineSku("kit", new SkuSpec("kit", 1, "USD", new String[]{"kit"}, new long[]{1})));
        assertThat(d.engine.skuCount()).isEqualTo(3);
    }

    @Test
    void aSkuSpecOutsideItsRangesIsInvalidConfig()
    {
        d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineSku("shoe", SkuSpec.simple("shoe", -1, "USD")));
        d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineSku("shoe", SkuSpec.simple("shoe", 1, "usd")));
        d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineSku("shoe", SkuSpec.simple("s".repeat(257), 1, "USD")));
        d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineSku("shoe", null));
        d.assertRejected(RejectReason.INVALID_ID, c -> c.defineSku("shoe#1", SkuSpec.simple("shoe", 1, "USD")));
        assertThat(d.engine.skuCount()).isZero();
    }

    @Test
    void aSkuWithStockCannotBecomeABundle()
    {
        d.location("east", 1);
        d.sku("shoe");
        d.sku("lace");
        d.receive("shoe", "east", 1);

        d.assertRejected(RejectReason.SKU_IN_USE,
            c -> c.defineSku("shoe", new SkuSpec("shoe", 1, "USD", new String[]{"lace"}, new long[]{1})));

        d.adjust("shoe", "east", -1);
        assertThat(d.apply(c -> c.defineSku("shoe", new SkuSpec("shoe", 1, "USD", new String[]{"lace"}, new long[]{1})))
            .accepted()).isTrue();
        assertThat(d.receive("shoe", "east", 1).reason()).isEqualTo(RejectReason.BUNDLE_HAS_NO_STOCK);
    }

    @Test
    void aComponentOfABundleCannotBecomeABundleItself()
    {
        d.sku("shoe");
        d.sku("lace");
        d.bundle("kit", new String[]{"shoe"}, new long[]{1});

        d.assertRejected(RejectReason.INVALID_CONFIG,
            c -> c.defineSku("shoe", new SkuSpec("shoe", 1, "USD", new String[]{"lace"}, new long[]{1})));
    }

    @Test
    void aBundleCanBecomeSimpleAgainAndStopsBeingListedUnderItsOldComponents()
    {
        d.location("east", 1);
        d.channel("web");
        d.sku("shoe");
        d.bundle("kit", new String[]{"shoe"}, new long[]{1});
        d.receive("shoe", "east", 4);
        assertThat(d.published("kit", "web")).isEqualTo(4);

        assertThat(d.sku("kit").accepted()).isTrue();

        assertThat(d.published("kit", "web")).isZero();
        d.receive("shoe", "east", 1);
        assertThat(d.publishedEvents()).containsOnlyKeys("shoe@web");
        assertThat(d.receive("kit", "east", 2).accepted()).isTrue();
        assertThat(d.published("kit", "web")).isEqualTo(2);
    }
}
