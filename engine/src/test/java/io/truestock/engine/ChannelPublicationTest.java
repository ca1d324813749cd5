package io.truestock.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

class ChannelPublicationTest
{
    private final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(4));

    private void twoLocationsThreeSkus()
    {
        d.location("east", 1);
        d.location("west", 2);
        d.sku("shoe");
        d.sku("lace");
        d.sku("sock");
    }

    @ParameterizedTest(name = "pool {0}, {1}%, buffer {2}, max {3} -> {4}")
    @CsvSource({
        "10, 100, 0, -1, 10",
        "7, 50, 0, -1, 3",
        "7, 50, 1, -1, 2",
        "99, 33, 0, -1, 32",
        "10, 100, 12, -1, 0",
        "10, 0, 0, -1, 0",
        "100, 100, 0, 20, 20",
        "100, 30, 5, 20, 20",
        "60, 30, 5, 20, 13",
        "5, 100, 0, 0, 0",
        "0, 100, 0, -1, 0"})
    void aChannelPublishesThePoolScaledByPercentLessBufferClampedToMaxListed(
        final long pool, final int percent, final long buffer, final long maxListed, final long expected)
    {
        twoLocationsThreeSkus();
        d.channel("web", new ChannelSpec("web", List.of("east", "west"), percent, buffer, maxListed, 5));
        if (pool > 1)
        {
            d.receive("shoe", "east", pool / 2);
        }
        if (pool > 0)
        {
            d.receive("shoe", "west", pool - pool / 2);
        }

        assertThat(d.published("shoe", "web")).isEqualTo(expected);
    }

    @Test
    void thePoolIsTheSumOfAvailableOverTheChannelsLocationsOnly()
    {
        twoLocationsThreeSkus();
        d.location("north", 3);
        d.channel("web", "east", "west");
        d.receive("shoe", "east", 4);
        d.receive("shoe", "west", 6);
        d.receive("shoe", "north", 100);
        d.reserve("web", 60, "shoe", 1);
        d.order("web", "o-1", "shoe", 2);
        d.setSafety("shoe", "west", 3);

        // east 4 - 1 reserved - 2 committed (routed to east, the first that can ship) + west 6 - 3 safety
        assertThat(d.published("shoe", "web")).isEqualTo(4);
    }

    @Test
    void aLocationBelowZeroAvailableCountsAsZeroNotAsADebtOnTheOthers()
    {
        twoLocationsThreeSkus();
        d.channel("web", "east", "west");
        d.receive("shoe", "east", 2);
        d.receive("shoe", "west", 6);

        d.setSafety("shoe", "east", 5);

        assertThat(d.published("shoe", "web")).isEqualTo(6);
    }

    @Test
    void eachChannelPublishesFromItsOwnLocations()
    {
        twoLocationsThreeSkus();
        d.channel("east-only", "east");
        d.channel("both", "east", "west");
        d.channel("west-half", new ChannelSpec("west-half", List.of("west"), 50, 0, ChannelSpec.UNLIMITED, 5));

        d.receive("shoe", "west", 9);

        assertThat(d.publishedEvents()).containsExactly(entry("shoe@both", 9L), entry("shoe@west-half", 4L));
        assertThat(d.published("shoe", "east-only")).isZero();
    }

    @Test
    void aBundleIsPublishedPerChannelAsTheMinimumOverComponentsOfPoolOverQuantity()
    {
        twoLocationsThreeSkus();
        d.channel("east-only", "east");
        d.channel("both", "east", "west");
        d.channel("half", new ChannelSpec("half", List.of("east", "west"), 50, 1, ChannelSpec.UNLIMITED, 5));
        d.bundle("kit", new String[]{"shoe", "lace"}, new long[]{1, 3});
        d.receive("shoe", "east", 8);
        d.receive("lace", "east", 7);
        d.receive("lace", "west", 12);

        assertThat(d.published("kit", "east-only")).as("min(8 / 1, 7 / 3)").isEqualTo(2);
        assertThat(d.published("kit", "both")).as("min(8 / 1, 19 / 3)").isEqualTo(6);
        assertThat(d.published("kit", "half")).as("floor(6 * 50 / 100) - 1").isEqualTo(2);
    }

    @Test
    void aComponentChangeRepublishesEveryBundleThatContainsIt()
    {
        twoLocationsThreeSkus();
        d.channel("web", "east", "west");
        d.channel("shop", "west");
        d.bundle("kit", new String[]{"shoe", "lace"}, new long[]{1, 2});
        d.bundle("pair", new String[]{"lace"}, new long[]{2});
        d.bundle("footie", new String[]{"sock"}, new long[]{1});
        d.receive("shoe", "west", 10);
        d.receive("sock", "west", 10);

        final Outcome out = d.receive("lace", "west", 7);

        assertThat(d.publishedEvents()).containsExactly(
            entry("kit@shop", 3L), entry("kit@web", 3L),
            entry("lace@shop", 7L), entry("lace@web", 7L),
            entry("pair@shop", 3L), entry("pair@web", 3L));
        assertThat(d.publishedVersion("kit", "web")).isEqualTo(out.version());
        assertThat(d.publishedVersion("pair", "shop")).isEqualTo(out.version());
        assertThat(d.publishedVersion("footie", "web")).isLessThan(out.version());
    }

    @Test
    void aValueThatDoesNotChangeIsNotPublishedAgainAndKeepsItsVersion()
    {
        twoLocationsThreeSkus();
        d.channel("capped", new ChannelSpec("capped", List.of("east"), 100, 0, 5, 5));
        d.channel("web", "east");
        final long first = d.receive("shoe", "east", 10).version();

        d.receive("shoe", "east", 3);

        assertThat(d.publishedEvents()).containsExactly(entry("shoe@web", 13L));
        assertThat(d.published("shoe", "capped")).isEqualTo(5);
        assertThat(d.publishedVersion("shoe", "capped")).isEqualTo(first);
        assertThat(d.publishedVersion("shoe", "web")).isEqualTo(d.sequence());
    }

    @Test
    void aStockEventCarriesTheWholeRecordBeforeAndAfter()
    {
        twoLocationsThreeSkus();
        d.channel("web", "east");
        d.receive("shoe", "east", 10);
        d.setSafety("shoe", "east", 1);
        d.reserve("web", 60, "shoe", 2);
        d.order("web", "o-1", "shoe", 3);

        d.adjust("shoe", "east", 4);

        assertThat(d.events.stockCount()).isEqualTo(1);
        assertThat(d.engine.skuId(d.events.stockSku(0))).isEqualTo("shoe");
        assertThat(d.engine.locationId(d.events.stockLocation(0))).isEqualTo("east");
        assertThat(List.of(d.events.stockBefore(0, 0), d.events.stockBefore(0, 1), d.events.stockBefore(0, 2),
            d.events.stockBefore(0, 3))).containsExactly(10L, 2L, 3L, 1L);
        assertThat(List.of(d.events.stockAfter(0, 0), d.events.stockAfter(0, 1), d.events.stockAfter(0, 2),
            d.events.stockAfter(0, 3))).containsExactly(14L, 2L, 3L, 1L);
        assertThat(d.publishedEvents()).containsExactly(entry("shoe@web", 8L));
    }

    @Test
    void aConfirmationThatMovesUnitsRecordsBothLocations()
    {
        twoLocationsThreeSkus();
        d.channel("web", "west", "east");
        d.receive("shoe", "west", 3);
        d.receive("shoe", "east", 5);
        final long id = d.reserve("web", 60, "shoe", 3).reservationId();

        d.confirm(id, "o-1");

        assertThat(d.events.stockCount()).isEqualTo(2);
        for (int i = 0; i < 2; i++)
        {
            final String location = d.engine.locationId(d.events.stockLocation(i));
            if (location.equals("west"))
            {
                assertThat(d.events.stockBefore(i, 1)).isEqualTo(3);
                assertThat(d.events.stockAfter(i, 1)).isZero();
                assertThat(d.events.stockAfter(i, 2)).isZero();
            }
            else
            {
                assertThat(location).isEqualTo("east");
                assertThat(d.events.stockBefore(i, 2)).isZero();
                assertThat(d.events.stockAfter(i, 2)).isEqualTo(3);
            }
        }
        assertThat(d.publishedEvents()).as("the channel total did not change").isEmpty();
        assertThat(d.published("shoe", "web")).isEqualTo(5);
    }

    @Test
    void expiryAndOversoldAreEvents()
    {
        twoLocationsThreeSkus();
        d.channel("web", "east");
        d.receive("shoe", "east", 2);
        final long id = d.reserve("web", 5, "shoe", 2).reservationId();
        d.order("web", "o-1", "shoe", 3, "lace", 1);

        assertThat(d.oversoldEvents()).containsExactly(entry("lace", 1L), entry("shoe", 3L));
        d.advanceMillis(5_000);
        d.tick();
        assertThat(d.expiredEvents()).containsExactly(id);
        assertThat(d.publishedEvents()).containsExactly(entry("shoe@web", 2L));
    }
}
