package io.truestock.gateway.cluster;

import io.truestock.engine.OrderStatus;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the clustered service sends back on egress decodes to the outcome it encoded, field by field. */
class OutcomeCodecTest
{
    @Test
    void anAcceptedOrderWithLinesAllocationsAndShipmentsRoundTrips()
    {
        final Outcome outcome = new Outcome();
        outcome.accept(42);
        outcome.markReplayed();
        outcome.stockValues(3, 1, 10, 2, 1, 0);
        outcome.order("order-é-1", OrderStatus.values()[0], 2, 77);
        outcome.addLine(3, 2, 8, 0);
        outcome.priceLine(0, 1999, "USD");
        outcome.addLine(4, 1, 0, 1);
        outcome.addAllocation(3, 1, 2);
        outcome.addShipment(1, 1000, 2000, 900, "ups", "ground");
        outcome.addShipment(2, 0, 0, 0, null, null);

        final Outcome decoded = roundTrip(outcome);

        assertThat(decoded.toString()).isEqualTo(outcome.toString());
        assertThat(decoded.accepted()).isTrue();
        assertThat(decoded.replayed()).isTrue();
        assertThat(decoded.version()).isEqualTo(42);
        assertThat(decoded.orderId()).isEqualTo("order-é-1");
        assertThat(decoded.reservationId()).isEqualTo(77);
        assertThat(decoded.lineCount()).isEqualTo(2);
        assertThat(decoded.linePriceMinor(0)).isEqualTo(1999);
        assertThat(decoded.lineCurrency(0)).isEqualTo("USD");
        assertThat(decoded.lineCurrency(1)).isNull();
        assertThat(decoded.lineBackordered(1)).isEqualTo(1);
        assertThat(decoded.allocationQty(0)).isEqualTo(2);
        assertThat(decoded.shipmentCount()).isEqualTo(2);
        assertThat(decoded.shipmentCarrier(0)).isEqualTo("ups");
        assertThat(decoded.shipmentService(0)).isEqualTo("ground");
        assertThat(decoded.shipmentOrderByMillis(0)).isEqualTo(900);
        assertThat(decoded.shipmentHasPromise(1)).isFalse();
    }

    @Test
    void aRejectedReservationRoundTrips()
    {
        final Outcome outcome = new Outcome();
        outcome.reject(RejectReason.OUT_OF_STOCK, 1, 9);
        outcome.reservation(5, ReservationStatus.values()[0], 1, 123_456);
        outcome.addLine(0, 3, 1, 0);

        final Outcome decoded = roundTrip(outcome);

        assertThat(decoded.toString()).isEqualTo(outcome.toString());
        assertThat(decoded.accepted()).isFalse();
        assertThat(decoded.reason()).isEqualTo(RejectReason.OUT_OF_STOCK);
        assertThat(decoded.rejectedLine()).isEqualTo(1);
        assertThat(decoded.reservationStatus()).isEqualTo(ReservationStatus.values()[0]);
        assertThat(decoded.expiresAtMillis()).isEqualTo(123_456);
        assertThat(decoded.orderStatus()).isNull();
        assertThat(decoded.lineAvailable(0)).isEqualTo(1);
    }

    private static Outcome roundTrip(final Outcome outcome)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        buffer.checkLimit(16 + OutcomeCodec.maxLength(outcome));
        final int length = OutcomeCodec.encode(outcome, buffer, 16);
        assertThat(length).isLessThanOrEqualTo(OutcomeCodec.maxLength(outcome));
        return OutcomeCodec.decode(buffer, 16, new Outcome().reset());
    }
}
