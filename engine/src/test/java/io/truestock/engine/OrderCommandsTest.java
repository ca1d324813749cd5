package io.truestock.engine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

class OrderCommandsTest
{
    private final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(4));

    @BeforeEach
    void catalog()
    {
        // Priority: east first, then west, then north. The channel draws (and so holds) in a different order.
        d.location("east", 1);
        d.location("west", 2);
        d.location("north", 3);
        d.channel("web", "north", "west", "east");
        d.channel("shop", "west");
        d.sku("shoe");
        d.sku("lace");
        d.bundle("kit", new String[]{"shoe", "lace"}, new long[]{1, 2});
    }

    private long reserve(final Object... skuQtyPairs)
    {
        final Outcome out = d.reserve("web", 600, skuQtyPairs);
        assertThat(out.accepted()).as("%s", out).isTrue();
        return out.reservationId();
    }

    // ---- CONFIRM: routing ----

    @Test
    void confirmShipsFromTheHighestPriorityLocationThatCanShipEveryLine()
    {
        d.receive("shoe", "north", 5);
        d.receive("shoe", "west", 5);
        d.receive("shoe", "east", 5);
        final long id = reserve("shoe", 4);
        assertThat(d.stock("shoe", "north").reserved()).as("held in draw order").isEqualTo(4);

        final Outcome out = d.confirm(id, "o-1").copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.orderId()).isEqualTo("o-1");
        assertThat(out.orderStatus()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(out.reservationId()).isEqualTo(id);
        assertThat(d.allocations(out)).containsExactly(entry("shoe@east", 4L));
        assertThat(d.stock("shoe", "north").reserved()).isZero();
        assertThat(d.stock("shoe", "east").committed()).isEqualTo(4);
        assertThat(d.stock("shoe", "east").reserved()).isZero();
        assertThat(d.published("shoe", "web")).isEqualTo(11);
        assertThat(d.queryReservation(id).reservationStatus()).isEqualTo(ReservationStatus.CONFIRMED);
        assertThat(d.engine.openReservations()).isZero();
    }

    @Test
    void aLocationOnlyQualifiesIfItCanShipEveryLine()
    {
        d.receive("shoe", "east", 5);
        d.receive("lace", "west", 5);
        d.receive("shoe", "west", 1);
        d.receive("shoe", "north", 1);
        final long id = reserve("shoe", 1, "lace", 2);

        final Outcome out = d.confirm(id, "o-1");

        assertThat(d.allocations(out)).containsExactly(entry("lace@west", 2L), entry("shoe@west", 1L));
        assertThat(d.stock("shoe", "north").reserved()).isZero();
        assertThat(d.stock("shoe", "north").committed()).isZero();
    }

    @Test
    void aLocationCountsWhatTheReservationAlreadyHoldsThere()
    {
        d.receive("shoe", "north", 4);
        d.receive("shoe", "east", 3);
        final long id = reserve("shoe", 4);

        final Outcome out = d.confirm(id, "o-1");

        // east has only 3 available, so the 4 held at north ship from north.
        assertThat(d.allocations(out)).containsExactly(entry("shoe@north", 4L));
        assertThat(d.stock("shoe", "east").committed()).isZero();
    }

    @Test
    void aPriorityChangeChangesTheRoute()
    {
        d.receive("shoe", "west", 5);
        d.receive("shoe", "east", 5);
        d.location("west", 0);

        final Outcome out = d.confirm(reserve("shoe", 2), "o-1");

        assertThat(d.allocations(out)).containsExactly(entry("shoe@west", 2L));
    }

    @Test
    void withoutASingleLocationTheSplitTakesTheLocationThatShipsMostFirst()
    {
        d.receive("shoe", "east", 4);
        d.receive("shoe", "west", 7);
        d.receive("shoe", "north", 3);
        final long id = reserve("shoe", 10);

        final Outcome out = d.confirm(id, "o-1").copy();

        // west ships 7, then east (4 beats north's 3) ships the other 3: two shipments.
        assertThat(d.allocations(out)).containsExactly(entry("shoe@east", 3L), entry("shoe@west", 7L));
        assertThat(d.stock("shoe", "north").reserved() + d.stock("shoe", "west").reserved() +
            d.stock("shoe", "east").reserved()).isZero();
        assertThat(d.stock("shoe", "north").available()).isEqualTo(3);
        assertThat(d.stock("shoe", "east").available()).isEqualTo(1);
    }

    @Test
    void aSplitOnEqualUnitsPrefersTheHigherPriorityLocation()
    {
        d.receive("shoe", "north", 3);
        d.receive("shoe", "west", 3);
        d.receive("shoe", "east", 3);

        final Outcome out = d.confirm(reserve("shoe", 5), "o-1");

        assertThat(d.allocations(out)).containsExactly(entry("shoe@east", 3L), entry("shoe@west", 2L));
    }

    @Test
    void aBundleConfirmCommitsItsComponents()
    {
        d.receive("shoe", "east", 2);
        d.receive("lace", "east", 4);

        final Outcome out = d.confirm(reserve("kit", 2), "o-1").copy();

        assertThat(out.lineCount()).isEqualTo(1);
        assertThat(out.lineSku(0)).isEqualTo(d.engine.skuIndex("kit"));
        assertThat(out.lineQty(0)).isEqualTo(2);
        assertThat(d.allocations(out)).containsExactly(entry("lace@east", 4L), entry("shoe@east", 2L));
        assertThat(d.published("kit", "web")).isZero();
    }

    @Test
    void confirmRefusesAnOrderIdTheChannelAlreadyHas()
    {
        d.receive("shoe", "east", 10);
        d.confirm(reserve("shoe", 1), "o-1");
        final long second = reserve("shoe", 1);

        d.assertRejected(RejectReason.ORDER_EXISTS, c -> c.confirm(second, "o-1"));
        d.assertRejected(RejectReason.INVALID_ID, c -> c.confirm(second, "o 2"));
        d.assertRejected(RejectReason.RESERVATION_NOT_FOUND, c -> c.confirm(second + 1, "o-2"));
        d.assertRejected(RejectReason.CHANNEL_MISMATCH, c -> c.confirm(second, "o-2").channel("shop"));
        assertThat(d.confirm(second, "o-2").accepted()).isTrue();
        d.assertRejected(RejectReason.RESERVATION_NOT_HELD, c -> c.confirm(second, "o-3"));
    }

    @Test
    void confirmAfterTheChannelDroppedTheHoldingLocationShipsFromItsRemainingLocations()
    {
        d.receive("shoe", "north", 4);
        d.receive("shoe", "west", 6);
        final long id = reserve("shoe", 4);
        d.channel("web", "west");

        final Outcome out = d.confirm(id, "o-1").copy();

        assertThat(out.accepted()).as("%s", out).isTrue();
        assertThat(d.allocations(out)).containsExactly(entry("shoe@west", 4L));
        assertThat(d.stock("shoe", "north").reserved()).as("the hold is given back").isZero();
        assertThat(d.stock("shoe", "west").committed()).isEqualTo(4);
    }

    @Test
    void confirmAfterTheChannelDroppedTheHoldingLocationIsRefusedWhenTheRestCannotShip()
    {
        d.receive("shoe", "north", 4);
        d.receive("shoe", "west", 3);
        final long id = reserve("shoe", 4);
        d.channel("web", "west");

        final Outcome out = d.assertRejected(RejectReason.OUT_OF_STOCK, c -> c.confirm(id, "o-1"));

        assertThat(out.reservationId()).isEqualTo(id);
        assertThat(d.queryReservation(id).reservationStatus()).isEqualTo(ReservationStatus.HELD);
        assertThat(d.release(id).accepted()).isTrue();
        assertThat(d.stock("shoe", "north").reserved()).isZero();
    }

    // ---- ORDER ----

    @Test
    void aChannelOrderWithStockCommitsLikeAConfirmation()
    {
        d.receive("shoe", "west", 5);
        d.receive("shoe", "east", 5);

        final Outcome out = d.order("web", "m-1", "shoe", 3).copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.replayed()).isFalse();
        assertThat(out.orderStatus()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(out.reservationId()).isZero();
        assertThat(out.lineBackordered(0)).isZero();
        assertThat(d.allocations(out)).containsExactly(entry("shoe@east", 3L));
        assertThat(d.oversoldEvents()).isEmpty();
        assertThat(d.stock("shoe", "east").committed()).isEqualTo(3);
    }

    @Test
    void aChannelOrderBeyondStockIsRecordedWithBackorderedLinesAndAnOversoldEvent()
    {
        d.receive("shoe", "west", 2);
        d.receive("shoe", "east", 1);
        d.receive("lace", "east", 10);

        final Outcome out = d.order("web", "m-1", "shoe", 5, "lace", 4).copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.lineCount()).isEqualTo(2);
        assertThat(out.lineQty(0)).isEqualTo(5);
        assertThat(out.lineBackordered(0)).isEqualTo(2);
        assertThat(out.lineBackordered(1)).isZero();
        assertThat(d.oversoldEvents()).containsExactly(entry("shoe", 2L));
        assertThat(d.allocations(out)).containsExactly(
            entry("lace@east", 4L), entry("shoe@east", 1L), entry("shoe@west", 2L));
        final StockView east = d.stock("shoe", "east");
        assertThat(east.committed()).isEqualTo(east.onHand());
        assertThat(d.published("shoe", "web")).isZero();
    }

    @Test
    void aChannelOrderForABundleAndItsComponentSharesThePool()
    {
        d.receive("shoe", "east", 3);
        d.receive("lace", "east", 5);

        final Outcome out = d.order("web", "m-1", "kit", 2, "lace", 3).copy();

        // 2 kits take 4 laces, leaving 1 of the 3 laces asked for on the next line.
        assertThat(out.lineBackordered(0)).isZero();
        assertThat(out.lineBackordered(1)).isEqualTo(2);
        assertThat(d.oversoldEvents()).containsExactly(entry("lace", 2L));
        assertThat(d.allocations(out)).containsExactly(entry("lace@east", 5L), entry("shoe@east", 2L));
    }

    @Test
    void aChannelOrderForABundleShipsWholeBundlesOnly()
    {
        d.receive("shoe", "east", 5);
        d.receive("lace", "east", 5);

        final Outcome out = d.order("web", "m-1", "kit", 4).copy();

        assertThat(out.lineBackordered(0)).isEqualTo(2);
        assertThat(d.oversoldEvents()).containsExactly(entry("kit", 2L));
        assertThat(d.allocations(out)).containsExactly(entry("lace@east", 4L), entry("shoe@east", 2L));
    }

    @Test
    void aChannelOrderNeverTakesSafetyStockOrOtherReservations()
    {
        d.receive("shoe", "east", 10);
        d.setSafety("shoe", "east", 3);
        reserve("shoe", 4);

        final Outcome out = d.order("web", "m-1", "shoe", 5).copy();

        assertThat(out.lineBackordered(0)).isEqualTo(2);
        final StockView view = d.stock("shoe", "east");
        assertThat(view.reserved() + view.committed()).isEqualTo(view.onHand() - view.safety());
    }

    @Test
    void theSameChannelOrderTwiceIsAReplayAndADifferentOneIsRefused()
    {
        d.receive("shoe", "east", 5);
        d.order("web", "m-1", "shoe", 2);
        final EngineState before = d.state();

        final Outcome repeat = d.order("web", "m-1", "shoe", 2).copy();

        assertThat(repeat.accepted()).isTrue();
        assertThat(repeat.replayed()).isTrue();
        assertThat(d.allocations(repeat)).containsExactly(entry("shoe@east", 2L));
        assertThat(d.noEvents()).isTrue();
        assertThat(d.state()).isEqualTo(before);
        d.assertRejected(RejectReason.ORDER_EXISTS, c -> c.order("web", "m-1").addLine("shoe", 3));
        assertThat(d.order("shop", "m-1", "shoe", 2).accepted()).as("order ids are per channel").isTrue();
    }

    @Test
    void aChannelOrderIsValidatedBeforeItIsRecorded()
    {
        d.assertRejected(RejectReason.UNKNOWN_CHANNEL, c -> c.order("mall", "m-1").addLine("shoe", 1));
        d.assertRejected(RejectReason.INVALID_ID, c -> c.order("web", "m 1").addLine("shoe", 1));
        d.assertRejected(RejectReason.INVALID_LINES, c -> c.order("web", "m-1"));
        d.assertRejected(RejectReason.UNKNOWN_SKU, c -> c.order("web", "m-1").addLine("boot", 1));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.order("web", "m-1").addLine("shoe", 0));
    }

    // ---- CANCEL, SHIP ----

    @Test
    void cancelReturnsCommittedUnitsToSale()
    {
        d.receive("shoe", "east", 5);
        d.confirm(reserve("shoe", 3), "o-1");
        assertThat(d.published("shoe", "web")).isEqualTo(2);

        final Outcome out = d.cancel("web", "o-1").copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.orderStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(d.stock("shoe", "east").committed()).isZero();
        assertThat(d.stock("shoe", "east").onHand()).isEqualTo(5);
        assertThat(d.published("shoe", "web")).isEqualTo(5);
        d.assertRejected(RejectReason.ORDER_NOT_OPEN, c -> c.cancel("web", "o-1"));
        d.assertRejected(RejectReason.ORDER_NOT_OPEN, c -> c.ship("web", "o-1"));
    }

    @Test
    void shipTakesCommittedUnitsOffTheShelf()
    {
        d.receive("shoe", "east", 5);
        d.receive("shoe", "west", 1);
        d.confirm(reserve("shoe", 3), "o-1");

        final Outcome out = d.ship("web", "o-1").copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.orderStatus()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(d.stock("shoe", "east").onHand()).isEqualTo(2);
        assertThat(d.stock("shoe", "east").committed()).isZero();
        assertThat(d.stock("shoe", "west").onHand()).isEqualTo(1);
        assertThat(d.events.stockCount()).isEqualTo(1);
        assertThat(d.events.stockBefore(0, 0)).isEqualTo(5);
        assertThat(d.events.stockBefore(0, 2)).isEqualTo(3);
        assertThat(d.events.stockAfter(0, 0)).isEqualTo(2);
        assertThat(d.events.stockAfter(0, 2)).isZero();
        assertThat(d.published("shoe", "web")).as("shipping does not change what is for sale").isEqualTo(3);
        d.assertRejected(RejectReason.ORDER_NOT_OPEN, c -> c.ship("web", "o-1"));
        d.assertRejected(RejectReason.ORDER_NOT_OPEN, c -> c.cancel("web", "o-1"));
    }

    @Test
    void anOrderIsFoundByIdAloneUnlessTwoChannelsShareTheId()
    {
        d.receive("shoe", "west", 5);
        d.order("web", "m-1", "shoe", 1);
        d.order("web", "m-2", "shoe", 1);
        d.order("shop", "m-2", "shoe", 1);

        assertThat(d.queryOrder(null, "m-1").orderStatus()).isEqualTo(OrderStatus.CONFIRMED);
        d.assertRejected(RejectReason.ORDER_AMBIGUOUS, c -> c.queryOrder(null, "m-2"));
        d.assertRejected(RejectReason.ORDER_AMBIGUOUS, c -> c.ship(null, "m-2"));
        d.assertRejected(RejectReason.ORDER_AMBIGUOUS, c -> c.cancel(null, "m-2"));
        d.assertRejected(RejectReason.ORDER_NOT_FOUND, c -> c.ship(null, "m-3"));
        d.assertRejected(RejectReason.ORDER_NOT_FOUND, c -> c.cancel("shop", "m-1"));
        d.assertRejected(RejectReason.INVALID_ID, c -> c.cancel("shop", "m/1"));
        assertThat(d.ship(null, "m-1").accepted()).isTrue();
        assertThat(d.cancel("shop", "m-2").accepted()).isTrue();
        assertThat(d.stock("shoe", "west").onHand()).isEqualTo(4);
        assertThat(d.stock("shoe", "west").committed()).isEqualTo(1);
    }

    // ---- QUERY_ORDER ----

    @Test
    void anOrderQueryDescribesItWithoutTakingASequence()
    {
        d.receive("shoe", "east", 1);
        d.order("web", "m-1", "shoe", 3);
        final long sequence = d.engine.lastSequence();
        final EngineState before = d.state();

        final Outcome out = d.queryOrder("web", "m-1").copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.version()).isEqualTo(sequence);
        assertThat(out.orderStatus()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(out.channel()).isEqualTo(d.engine.channelIndex("web"));
        assertThat(out.lineBackordered(0)).isEqualTo(2);
        assertThat(d.allocations(out)).containsExactly(entry("shoe@east", 1L));
        assertThat(d.engine.lastSequence()).isEqualTo(sequence);
        assertThat(d.state()).isEqualTo(before);
        d.assertRejected(RejectReason.ORDER_NOT_FOUND, c -> c.queryOrder("shop", "m-1"));
    }
}
