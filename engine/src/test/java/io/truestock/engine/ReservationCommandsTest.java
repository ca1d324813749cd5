package io.truestock.engine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

class ReservationCommandsTest
{
    private final EngineDriver d = new EngineDriver(
        new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(4).maxLinesPerCommand(4).maxTtlSeconds(3_600));

    @BeforeEach
    void catalog()
    {
        d.location("east", 1);
        d.location("west", 2);
        d.location("north", 3);
        // Draw order differs from priority on purpose: holds follow the draw order.
        d.channel("web", "west", "east");
        d.channel("shop", "north");
        d.sku("shoe");
        d.sku("lace");
        d.sku("sock");
        d.bundle("kit", new String[]{"shoe", "lace"}, new long[]{1, 2});
        d.bundle("pack", new String[]{"lace"}, new long[]{3});
    }

    // ---- RESERVE ----

    @Test
    void reserveHoldsUnitsInTheChannelsLocationOrder()
    {
        d.receive("shoe", "east", 10);
        d.receive("shoe", "west", 3);
        d.receive("shoe", "north", 50);

        final Outcome out = d.reserve("web", 60, "shoe", 5).copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.reservationId()).isEqualTo(1);
        assertThat(out.reservationStatus()).isEqualTo(ReservationStatus.HELD);
        assertThat(out.expiresAtMillis()).isEqualTo(d.now() + 60_000);
        assertThat(out.channel()).isEqualTo(d.engine.channelIndex("web"));
        assertThat(d.allocations(out)).containsExactly(entry("shoe@east", 2L), entry("shoe@west", 3L));
        assertThat(d.stock("shoe", "west").reserved()).isEqualTo(3);
        assertThat(d.stock("shoe", "east").reserved()).isEqualTo(2);
        assertThat(d.stock("shoe", "north").reserved()).isZero();
        assertThat(d.published("shoe", "web")).isEqualTo(8);
        assertThat(d.published("shoe", "shop")).isEqualTo(50);
        assertThat(d.engine.openReservations()).isEqualTo(1);
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(out.expiresAtMillis());
    }

    @Test
    void reserveIsAllLinesOrNone()
    {
        d.receive("shoe", "east", 10);
        d.receive("sock", "east", 1);

        final Outcome out = d.assertRejected(RejectReason.OUT_OF_STOCK, c -> c.reserve("web", 60)
            .addLine("shoe", 4).addLine("sock", 2));

        assertThat(out.rejectedLine()).isEqualTo(1);
        assertThat(out.lineCount()).isEqualTo(2);
        assertThat(out.lineQty(1)).isEqualTo(2);
        assertThat(out.lineAvailable(0)).isEqualTo(10);
        assertThat(out.lineAvailable(1)).isEqualTo(1);
        assertThat(d.stock("shoe", "east").reserved()).isZero();
    }

    @Test
    void twoLinesOfOneSkuAreCheckedTogether()
    {
        d.receive("shoe", "east", 5);

        d.assertRejected(RejectReason.OUT_OF_STOCK, c -> c.reserve("web", 60).addLine("shoe", 3).addLine("shoe", 3));
        final Outcome out = d.reserve("web", 60, "shoe", 3, "shoe", 2);

        assertThat(out.accepted()).isTrue();
        assertThat(d.stock("shoe", "east").reserved()).isEqualTo(5);
    }

    @Test
    void reserveOnlyDrawsFromTheChannelsLocations()
    {
        d.receive("shoe", "north", 10);

        final Outcome out = d.assertRejected(RejectReason.OUT_OF_STOCK, c -> c.reserve("web", 60).addLine("shoe", 1));

        assertThat(out.lineAvailable(0)).isZero();
        assertThat(d.reserve("shop", 60, "shoe", 10).accepted()).isTrue();
    }

    @Test
    void reserveRespectsSafetyStock()
    {
        d.receive("shoe", "east", 10);
        d.setSafety("shoe", "east", 7);

        d.assertRejected(RejectReason.OUT_OF_STOCK, c -> c.reserve("web", 60).addLine("shoe", 4));
        assertThat(d.reserve("web", 60, "shoe", 3).accepted()).isTrue();
        final StockView view = d.stock("shoe", "east");
        assertThat(view.reserved() + view.committed()).isEqualTo(view.onHand() - view.safety());
    }

    @Test
    void aBundleReservationHoldsItsComponents()
    {
        d.receive("shoe", "east", 5);
        d.receive("lace", "west", 4);
        d.receive("lace", "east", 10);

        final Outcome out = d.reserve("web", 60, "kit", 3).copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.lineCount()).isEqualTo(1);
        assertThat(out.lineSku(0)).isEqualTo(d.engine.skuIndex("kit"));
        assertThat(d.allocations(out)).containsExactly(
            entry("lace@east", 2L), entry("lace@west", 4L), entry("shoe@east", 3L));
        // 2 shoes and 8 laces left: kit = min(2 / 1, 8 / 2), pack = floor(8 / 3)
        assertThat(d.published("kit", "web")).isEqualTo(2);
        assertThat(d.published("pack", "web")).isEqualTo(2);
    }

    @Test
    void twoBundlesSharingAComponentAreCheckedOnTheirCombinedDemand()
    {
        d.receive("shoe", "east", 10);
        d.receive("lace", "east", 8);
        assertThat(d.published("kit", "web")).isEqualTo(4);
        assertThat(d.published("pack", "web")).isEqualTo(2);

        // kit x 2 wants 4 lace, pack x 2 wants 6 lace: each fits alone, 10 together does not.
        final Outcome out = d.assertRejected(RejectReason.OUT_OF_STOCK,
            c -> c.reserve("web", 60).addLine("kit", 2).addLine("pack", 2));
        assertThat(out.lineAvailable(0)).isEqualTo(4);
        assertThat(out.lineAvailable(1)).isEqualTo(2);

        // kit x 1 and pack x 2 want 2 + 6 lace: exactly what there is.
        final Outcome fits = d.reserve("web", 60, "kit", 1, "pack", 2).copy();
        assertThat(fits.accepted()).isTrue();
        assertThat(d.allocations(fits)).containsExactly(entry("lace@east", 8L), entry("shoe@east", 1L));
        assertThat(d.published("kit", "web")).isZero();
        assertThat(d.published("pack", "web")).isZero();
    }

    @Test
    void aBundleAndItsComponentOnSeparateLinesShareThePool()
    {
        d.receive("shoe", "east", 10);
        d.receive("lace", "east", 8);

        d.assertRejected(RejectReason.OUT_OF_STOCK, c -> c.reserve("web", 60).addLine("kit", 3).addLine("lace", 3));
        final Outcome out = d.reserve("web", 60, "kit", 3, "lace", 2).copy();

        assertThat(out.accepted()).isTrue();
        assertThat(d.allocations(out)).containsExactly(entry("lace@east", 8L), entry("shoe@east", 3L));
        assertThat(d.published("kit", "web")).isZero();
        assertThat(d.published("shoe", "web")).isEqualTo(7);
    }

    @Test
    void reserveValidatesTheRequestBeforeLookingAtStock()
    {
        d.receive("shoe", "east", 10);
        d.assertRejected(RejectReason.UNKNOWN_CHANNEL, c -> c.reserve("mall", 60).addLine("shoe", 1));
        d.assertRejected(RejectReason.INVALID_TTL, c -> c.reserve("web", 0).addLine("shoe", 1));
        d.assertRejected(RejectReason.INVALID_TTL, c -> c.reserve("web", 3_601).addLine("shoe", 1));
        d.assertRejected(RejectReason.INVALID_LINES, c -> c.reserve("web", 60));
        d.assertRejected(RejectReason.TOO_MANY_LINES, c -> c.reserve("web", 60)
            .addLine("shoe", 1).addLine("shoe", 1).addLine("shoe", 1).addLine("shoe", 1).addLine("shoe", 1));
        final Outcome unknown = d.assertRejected(RejectReason.UNKNOWN_SKU,
            c -> c.reserve("web", 60).addLine("shoe", 1).addLine("boot", 1));
        assertThat(unknown.rejectedLine()).isEqualTo(1);
        final Outcome zero = d.assertRejected(RejectReason.INVALID_QUANTITY,
            c -> c.reserve("web", 60).addLine("shoe", 1).addLine("shoe", 1).addLine("shoe", 0));
        assertThat(zero.rejectedLine()).isEqualTo(2);
        assertThat(d.reserve("web", 3_600, "shoe", 1, "shoe", 1, "shoe", 1, "shoe", 1).accepted()).isTrue();
    }

    // ---- EXTEND ----

    @Test
    void extendMovesTheExpiryToNowPlusTheNewTtl()
    {
        d.receive("shoe", "east", 10);
        final long id = d.reserve("web", 60, "shoe", 2).reservationId();
        d.advanceMillis(50_000);

        final Outcome out = d.extend(id, 120);

        assertThat(out.accepted()).isTrue();
        assertThat(out.expiresAtMillis()).isEqualTo(d.now() + 120_000);
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(d.now() + 120_000);
        d.advanceMillis(119_999);
        assertThat(d.tick().accepted()).isTrue();
        assertThat(d.expiredEvents()).isEmpty();
        assertThat(d.queryReservation(id).reservationStatus()).isEqualTo(ReservationStatus.HELD);
        d.advanceMillis(1);
        d.tick();
        assertThat(d.expiredEvents()).containsExactly(id);
    }

    @Test
    void extendNeedsAHeldLiveReservationAndAValidTtl()
    {
        d.receive("shoe", "east", 10);
        final long released = d.reserve("web", 60, "shoe", 1).reservationId();
        d.release(released);
        final long lapsed = d.reserve("web", 60, "shoe", 1).reservationId();
        final long held = d.reserve("web", 600, "shoe", 1).reservationId();
        d.advanceMillis(60_000);

        d.assertRejected(RejectReason.INVALID_TTL, c -> c.extend(held, 0));
        d.assertRejected(RejectReason.INVALID_TTL, c -> c.extend(held, 3_601));
        d.assertRejected(RejectReason.RESERVATION_NOT_FOUND, c -> c.extend(99, 60));
        d.assertRejected(RejectReason.RESERVATION_NOT_HELD, c -> c.extend(released, 60));
        d.assertRejected(RejectReason.RESERVATION_EXPIRED, c -> c.extend(lapsed, 60));
        d.assertRejected(RejectReason.CHANNEL_MISMATCH, c -> c.extend(held, 60).channel("shop"));
        assertThat(d.apply(c -> c.extend(held, 60).channel("web")).accepted()).isTrue();
    }

    // ---- RELEASE ----

    @Test
    void releaseGivesTheUnitsBackOnce()
    {
        d.receive("shoe", "east", 10);
        d.receive("lace", "east", 10);
        final long id = d.reserve("web", 60, "kit", 2).reservationId();
        assertThat(d.published("shoe", "web")).isEqualTo(8);

        final Outcome out = d.release(id).copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.reservationId()).isEqualTo(id);
        assertThat(out.reservationStatus()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(d.stock("shoe", "east").reserved()).isZero();
        assertThat(d.stock("lace", "east").reserved()).isZero();
        assertThat(d.published("shoe", "web")).isEqualTo(10);
        assertThat(d.published("kit", "web")).isEqualTo(5);
        assertThat(d.engine.openReservations()).isZero();
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(Long.MAX_VALUE);
        d.assertRejected(RejectReason.RESERVATION_NOT_HELD, c -> c.release(id));
    }

    @Test
    void releaseAfterTheExpiryInstantIsTooLateEvenBeforeATick()
    {
        d.receive("shoe", "east", 10);
        final long id = d.reserve("web", 60, "shoe", 2).reservationId();
        d.advanceMillis(60_000);

        d.assertRejected(RejectReason.RESERVATION_EXPIRED, c -> c.release(id));
        d.assertRejected(RejectReason.CHANNEL_MISMATCH, c -> c.release(id).channel("shop"));
        d.assertRejected(RejectReason.RESERVATION_NOT_FOUND, c -> c.release(id + 1));
    }

    // ---- TICK ----

    @Test
    void tickExpiresEveryReservationDueAtOrBeforeItsTimeInExpiryOrder()
    {
        d.receive("shoe", "east", 10);
        final long later = d.reserve("web", 30, "shoe", 1).reservationId();
        final long sooner = d.reserve("web", 10, "shoe", 2).reservationId();
        final long notYet = d.reserve("web", 31, "shoe", 3).reservationId();
        d.advanceMillis(30_000);

        final Outcome out = d.tick();

        assertThat(out.accepted()).isTrue();
        assertThat(d.expiredEvents()).containsExactly(sooner, later);
        assertThat(d.stock("shoe", "east").reserved()).isEqualTo(3);
        assertThat(d.publishedEvents()).containsEntry("shoe@web", 7L);
        assertThat(d.queryReservation(sooner).reservationStatus()).isEqualTo(ReservationStatus.EXPIRED);
        assertThat(d.queryReservation(notYet).reservationStatus()).isEqualTo(ReservationStatus.HELD);
        assertThat(d.engine.openReservations()).isEqualTo(1);
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(d.now() + 1_000);
        d.assertRejected(RejectReason.RESERVATION_EXPIRED, c -> c.release(sooner));
        d.assertRejected(RejectReason.RESERVATION_EXPIRED, c -> c.confirm(later, "o-1"));
    }

    @Test
    void aTickWithNothingDueChangesNothing()
    {
        d.receive("shoe", "east", 10);
        d.reserve("web", 30, "shoe", 1);
        final EngineState before = d.state();

        final Outcome out = d.tick();

        assertThat(out.accepted()).isTrue();
        assertThat(d.noEvents()).isTrue();
        assertThat(d.state()).isEqualTo(before);
    }

    // ---- QUERY_RESERVATION ----

    @Test
    void aReservationQueryDescribesItWithoutTakingASequence()
    {
        d.receive("shoe", "east", 10);
        final long id = d.reserve("web", 60, "shoe", 2, "shoe", 1).reservationId();
        final long sequence = d.engine.lastSequence();
        final EngineState before = d.state();

        final Outcome out = d.queryReservation(id).copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.version()).isEqualTo(sequence);
        assertThat(out.reservationStatus()).isEqualTo(ReservationStatus.HELD);
        assertThat(out.lineCount()).isEqualTo(2);
        assertThat(List.of(out.lineQty(0), out.lineQty(1))).containsExactly(2L, 1L);
        assertThat(d.allocations(out)).containsExactly(entry("shoe@east", 3L));
        assertThat(d.engine.lastSequence()).isEqualTo(sequence);
        assertThat(d.state()).isEqualTo(before);

        d.assertRejected(RejectReason.RESERVATION_NOT_FOUND, c -> c.queryReservation(id + 1));
        d.assertRejected(RejectReason.CHANNEL_MISMATCH, c -> c.queryReservation(id).channel("shop"));
        assertThat(d.apply(c -> c.queryReservation(id).channel("web")).accepted()).isTrue();
    }

    @Test
    void aConfirmedReservationNamesItsOrder()
    {
        d.receive("shoe", "east", 10);
        final long id = d.reserve("web", 60, "shoe", 2).reservationId();
        d.confirm(id, "o-7");

        final Outcome out = d.queryReservation(id);

        assertThat(out.reservationStatus()).isEqualTo(ReservationStatus.CONFIRMED);
        assertThat(out.orderId()).isEqualTo("o-7");
    }
}
