package io.truestock.gateway.binary;

import io.truestock.engine.OrderStatus;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import io.truestock.gateway.http.Api;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.gateway.offer.StockLevel;
import io.truestock.sbe.ErrorCode;
import io.truestock.sbe.OrderState;
import io.truestock.sbe.RejectCode;
import io.truestock.sbe.ReservationState;
import io.truestock.sbe.StockStatus;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire codes stay in step with the engine's enums: a reason, status or state added to the engine without its
 * wire code fails here, not on a client.
 */
class WireCodesTest
{
    @Test
    void everyRejectReasonHasOneWireCodeAndBack()
    {
        for (final RejectReason reason : RejectReason.values())
        {
            final RejectCode code = WireCodes.rejectCode(reason);
            assertThat(WireCodes.rejectReason(code)).isEqualTo(reason);
        }
        assertThat(Arrays.stream(RejectCode.values()).filter(code -> code != RejectCode.NULL_VAL))
            .hasSize(RejectReason.values().length)
            .allSatisfy(code -> assertThat(WireCodes.rejectReason(code)).isNotNull());
        assertThat(RejectCode.NONE.value()).isZero();
    }

    @Test
    void statusesRoundTrip()
    {
        for (final ReservationStatus status : ReservationStatus.values())
        {
            assertThat(WireCodes.reservationStatus(WireCodes.reservationState(status))).isEqualTo(status);
        }
        assertThat(WireCodes.reservationState(null)).isEqualTo(ReservationState.NULL_VAL);
        for (final OrderStatus status : OrderStatus.values())
        {
            assertThat(WireCodes.orderStatus(WireCodes.orderState(status))).isEqualTo(status);
        }
        assertThat(WireCodes.orderState(null)).isEqualTo(OrderState.NULL_VAL);
    }

    @Test
    void stockStatusReadsAsHttpDoes()
    {
        assertThat(ResponseWriter.stockStatus(StockLevel.of(0, 5))).isEqualTo(StockStatus.OUT_OF_STOCK);
        assertThat(ResponseWriter.stockStatus(StockLevel.of(5, 5))).isEqualTo(StockStatus.LOW_STOCK);
        assertThat(ResponseWriter.stockStatus(StockLevel.of(6, 5))).isEqualTo(StockStatus.IN_STOCK);
        assertThat(ResponseWriter.stockStatus(StockLevel.of(6, 7, 5))).isEqualTo(StockStatus.OUT_OF_STOCK);
        for (final StockLevel level : StockLevel.values())
        {
            assertThat(ResponseWriter.stockStatus(level).name()).isEqualTo(level.name());
            assertThat(level.text()).isEqualTo(level.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void errorCodesReadAsHttpProblemCodes()
    {
        assertThat(BinaryProtocol.codeText(ErrorCode.OVERLOADED)).isEqualTo("overloaded");
        assertThat(BinaryProtocol.codeText(ErrorCode.FRAME_TOO_LARGE)).isEqualTo("frame_too_large");
        assertThat(BinaryProtocol.codeText(ErrorCode.NULL_VAL)).isEqualTo("unknown");
    }

    @Test
    void theRequestFrameBoundIsTheHttpBodyBound()
    {
        assertThat(BinaryProtocol.MAX_REQUEST_FRAME_BYTES).isEqualTo(Api.MAX_BODY_BYTES);
    }
}
