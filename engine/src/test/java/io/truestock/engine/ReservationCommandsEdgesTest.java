package io.truestock.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which line a short reservation names, and what a refused confirmation says about the reservation it names. */
class ReservationCommandsEdgesTest
{
    private static EngineDriver world()
    {
        final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(4).maxLocations(2).maxChannels(2));
        d.location("east", 1);
        d.channel("shop");
        d.channel("web");
        d.sku("shoe");
        d.sku("sock");
        d.sku("lace");
        d.receive("shoe", "east", 5);
        d.receive("sock", "east", 5);
        d.receive("lace", "east", 5);
        return d;
    }

    @Test
    void aShortReservationNamesItsFirstShortLineAndItsChannel()
    {
        final EngineDriver d = world();

        final Outcome exact = d.assertRejected(RejectReason.OUT_OF_STOCK,
            c -> c.reserve("web", 60).addLine("shoe", 5).addLine("sock", 6));
        assertThat(exact.rejectedLine()).as("a line of exactly what is available is not short").isEqualTo(1);
        assertThat(exact.channel()).isEqualTo(d.engine.channelIndex("web")).isEqualTo(1);
        assertThat(exact.lineCount()).isEqualTo(2);

        final Outcome twoShort = d.assertRejected(RejectReason.OUT_OF_STOCK,
            c -> c.reserve("web", 60).addLine("shoe", 6).addLine("sock", 6).addLine("lace", 1));
        assertThat(twoShort.rejectedLine()).as("the first of two short lines").isZero();
    }

    @Test
    void aConfirmationOfAnExpiredReservationDescribesIt()
    {
        final EngineDriver d = world();
        final long id = d.reserve("web", 60, "shoe", 1).reservationId();
        d.advanceMillis(61_000);

        final Outcome out = d.assertRejected(RejectReason.RESERVATION_EXPIRED, c -> c.confirm(id, "o1"));
        assertThat(out.reservationId()).isEqualTo(id);
        assertThat(out.channel()).isEqualTo(1);
    }

    @Test
    void aConfirmationOfAReleasedReservationDescribesIt()
    {
        final EngineDriver d = world();
        final long id = d.reserve("web", 60, "shoe", 1).reservationId();
        d.release(id);

        final Outcome out = d.assertRejected(RejectReason.RESERVATION_NOT_HELD, c -> c.confirm(id, "o1"));
        assertThat(out.reservationId()).isEqualTo(id);
        assertThat(out.reservationStatus()).isEqualTo(ReservationStatus.RELEASED);
    }
}
