package io.truestock.engine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StockCommandsTest
{
    private final EngineDriver d = new EngineDriver(
        new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(4).maxLineQuantity(1_000).maxOnHand(5_000));

    @BeforeEach
    void catalog()
    {
        d.location("east", 1);
        d.location("west", 2);
        d.channel("web", "east", "west");
        d.sku("shoe");
        d.sku("lace");
        d.bundle("kit", new String[]{"shoe", "lace"}, new long[]{1, 2});
    }

    // ---- RECEIVE ----

    @Test
    void receiveAddsToOnHandAndAnswersWithTheRecordAfterTheChange()
    {
        d.receive("shoe", "east", 3);
        final Outcome out = d.receive("shoe", "east", 4);

        assertThat(out.accepted()).isTrue();
        assertThat(out.sku()).isEqualTo(d.engine.skuIndex("shoe"));
        assertThat(out.location()).isEqualTo(d.engine.locationIndex("east"));
        assertThat(out.onHand()).isEqualTo(7);
        assertThat(out.available()).isEqualTo(7);
        assertThat(out.version()).isEqualTo(d.sequence());
        final StockView view = d.stock("shoe", "east");
        assertThat(view.onHand()).isEqualTo(7);
        assertThat(view.version()).isEqualTo(d.sequence());
        assertThat(d.stock("shoe", "west").onHand()).isZero();
    }

    @Test
    void receiveTakesOneToMaxLineQuantityUnits()
    {
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.receive("shoe", "east", 0));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.receive("shoe", "east", -3));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.receive("shoe", "east", 1_001));
        assertThat(d.receive("shoe", "east", 1_000).accepted()).isTrue();
    }

    @Test
    void receiveNeedsAKnownSimpleSkuAtAKnownLocation()
    {
        d.assertRejected(RejectReason.UNKNOWN_SKU, c -> c.receive("boot", "east", 1));
        d.assertRejected(RejectReason.UNKNOWN_LOCATION, c -> c.receive("shoe", "north", 1));
        d.assertRejected(RejectReason.BUNDLE_HAS_NO_STOCK, c -> c.receive("kit", "east", 1));
    }

    @Test
    void receiveStopsAtMaxOnHand()
    {
        for (int i = 0; i < 5; i++)
        {
            d.receive("shoe", "east", 1_000);
        }
        assertThat(d.stock("shoe", "east").onHand()).isEqualTo(5_000);

        d.assertRejected(RejectReason.QUANTITY_LIMIT, c -> c.receive("shoe", "east", 1));
        d.assertRejected(RejectReason.QUANTITY_LIMIT, c -> c.adjust("shoe", "east", 1));
    }

    // ---- ADJUST ----

    @Test
    void adjustMovesOnHandEitherWay()
    {
        d.receive("shoe", "east", 10);

        assertThat(d.adjust("shoe", "east", -4).onHand()).isEqualTo(6);
        assertThat(d.adjust("shoe", "east", 2).onHand()).isEqualTo(8);
        assertThat(d.published("shoe", "web")).isEqualTo(8);
    }

    @Test
    void adjustCannotTakeOnHandBelowWhatIsReservedAndCommitted()
    {
        d.receive("shoe", "east", 10);
        d.reserve("web", 60, "shoe", 3);
        d.order("web", "o-1", "shoe", 2);

        d.assertRejected(RejectReason.BELOW_ALLOCATED, c -> c.adjust("shoe", "east", -6));
        final Outcome exact = d.adjust("shoe", "east", -5);

        assertThat(exact.accepted()).isTrue();
        assertThat(exact.onHand()).isEqualTo(5);
        assertThat(exact.reserved()).isEqualTo(3);
        assertThat(exact.committed()).isEqualTo(2);
    }

    @Test
    void adjustByNothingOrByMoreThanALineIsInvalid()
    {
        d.receive("shoe", "east", 10);
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.adjust("shoe", "east", 0));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.adjust("shoe", "east", 1_001));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.adjust("shoe", "east", -5_001));
        d.assertRejected(RejectReason.BELOW_ALLOCATED, c -> c.adjust("shoe", "east", -11));
        d.assertRejected(RejectReason.BUNDLE_HAS_NO_STOCK, c -> c.adjust("kit", "east", 1));
    }

    // ---- SET ----

    @Test
    void setReplacesOnHand()
    {
        d.receive("shoe", "east", 10);

        final Outcome out = d.setOnHand("shoe", "east", 4);

        assertThat(out.accepted()).isTrue();
        assertThat(out.onHand()).isEqualTo(4);
        assertThat(d.published("shoe", "web")).isEqualTo(4);
        assertThat(d.events.stockCount()).isEqualTo(1);
        assertThat(d.events.stockBefore(0, 0)).isEqualTo(10);
        assertThat(d.events.stockAfter(0, 0)).isEqualTo(4);
    }

    @Test
    void setWithTheExpectedOnHandIsACompareAndSet()
    {
        d.receive("shoe", "east", 10);

        final Outcome matched = d.apply(c -> c.set("shoe", "east", 12, Command.ABSENT, 10));
        assertThat(matched.accepted()).isTrue();
        assertThat(matched.onHand()).isEqualTo(12);

        final Outcome stale = d.assertRejected(
            RejectReason.EXPECTED_MISMATCH, c -> c.set("shoe", "east", 20, Command.ABSENT, 10));
        assertThat(stale.reason().category()).isEqualTo(RejectReason.Category.EXPECTED_MISMATCH);
        assertThat(stale.onHand()).as("a mismatch tells the caller the current value").isEqualTo(12);
    }

    @Test
    void setSafetyHoldsUnitsBackFromSaleWithoutTouchingOnHand()
    {
        d.receive("shoe", "east", 10);
        d.receive("shoe", "west", 5);

        final Outcome out = d.setSafety("shoe", "east", 4);

        assertThat(out.onHand()).isEqualTo(10);
        assertThat(out.safety()).isEqualTo(4);
        assertThat(out.available()).isEqualTo(6);
        assertThat(d.published("shoe", "web")).isEqualTo(11);
        assertThat(d.reserve("web", 60, "shoe", 12).reason()).isEqualTo(RejectReason.OUT_OF_STOCK);
        assertThat(d.reserve("web", 60, "shoe", 11).accepted()).isTrue();
        assertThat(d.stock("shoe", "east").reserved()).isEqualTo(6);
        assertThat(d.stock("shoe", "west").reserved()).isEqualTo(5);
    }

    @Test
    void safetyAboveOnHandMakesThatLocationSellNothingWithoutTakingFromTheOthers()
    {
        d.receive("shoe", "east", 3);
        d.receive("shoe", "west", 5);

        final Outcome out = d.apply(c -> c.set("shoe", "east", 2, 9, Command.ABSENT));

        assertThat(out.onHand()).isEqualTo(2);
        assertThat(out.safety()).isEqualTo(9);
        assertThat(out.available()).isZero();
        assertThat(d.published("shoe", "web")).isEqualTo(5);
    }

    @Test
    void setNeedsSomethingToSetAndNonNegativeValues()
    {
        d.receive("shoe", "east", 10);
        d.assertRejected(RejectReason.INVALID_QUANTITY,
            c -> c.set("shoe", "east", Command.ABSENT, Command.ABSENT, Command.ABSENT));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.set("shoe", "east", -1, Command.ABSENT, Command.ABSENT));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.set("shoe", "east", Command.ABSENT, -1, Command.ABSENT));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.set("shoe", "east", 5_001, Command.ABSENT, Command.ABSENT));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.set("shoe", "east", 3, Command.ABSENT, -2));
        d.assertRejected(RejectReason.UNKNOWN_SKU, c -> c.set("boot", "east", 3, Command.ABSENT, Command.ABSENT));
        d.assertRejected(RejectReason.UNKNOWN_LOCATION, c -> c.set("shoe", "north", 3, Command.ABSENT, Command.ABSENT));
        d.assertRejected(RejectReason.BUNDLE_HAS_NO_STOCK, c -> c.set("kit", "east", 3, Command.ABSENT, Command.ABSENT));
    }

    @Test
    void setCannotTakeOnHandBelowWhatIsReservedAndCommitted()
    {
        d.receive("shoe", "east", 10);
        d.reserve("web", 60, "shoe", 4);

        d.assertRejected(RejectReason.BELOW_ALLOCATED, c -> c.set("shoe", "east", 3, Command.ABSENT, Command.ABSENT));
        assertThat(d.setOnHand("shoe", "east", 4).accepted()).isTrue();
        assertThat(d.published("shoe", "web")).isZero();
    }

    @Test
    void onHandIsReceiptsMinusShipmentsPlusAdjustmentsAndSets()
    {
        d.receive("shoe", "east", 10);
        d.receive("shoe", "east", 5);
        d.adjust("shoe", "east", -2);
        d.order("web", "o-1", "shoe", 4);
        d.ship("web", "o-1");
        d.setOnHand("shoe", "east", 6);
        d.adjust("shoe", "east", 3);
        d.order("web", "o-2", "shoe", 2);
        d.cancel("web", "o-2");

        // 10 + 5 - 2 - 4 = 9, set to 6 (-3), + 3; a cancelled order ships nothing
        final StockView view = d.stock("shoe", "east");
        assertThat(view.onHand()).isEqualTo(9);
        assertThat(view.committed()).isZero();
        assertThat(view.reserved()).isZero();
    }
}
