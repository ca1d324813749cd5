package io.truestock.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.truestock.engine.OrderStatus;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import io.truestock.sbe.OrderState;
import io.truestock.sbe.RejectCode;
import io.truestock.sbe.ReservationState;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The server's side of the wire codes: the engine's enums as the protocol's codes and back, and frames as views for
 * the SBE decoders.
 */
public final class WireCodes
{
    private static final RejectReason[] REASONS = RejectReason.values();

    private WireCodes()
    {
    }

    /**
     * Points {@code view} at the readable bytes of {@code frame} without copying them, where the buffer allows (heap
     * or direct memory); the view is valid until the frame is released. SBE decoders over it are bounds-checked:
     * reading frames from the network is safe only with Agrona's bounds checks on (the default).
     *
     * @return {@code view}.
     */
    public static UnsafeBuffer view(final ByteBuf frame, final UnsafeBuffer view)
    {
        final int index = frame.readerIndex();
        final int length = frame.readableBytes();
        if (frame.hasArray())
        {
            view.wrap(frame.array(), frame.arrayOffset() + index, length);
        }
        else if (frame.hasMemoryAddress())
        {
            view.wrap(frame.memoryAddress() + index, length);
        }
        else
        {
            final ByteBuffer nio = frame.nioBuffer(index, length);
            view.wrap(nio, nio.position(), length);
        }
        return view;
    }

    /** The wire code of a reject reason; the enums share names, and a test holds them in step. */
    public static RejectCode rejectCode(final RejectReason reason)
    {
        return RejectCode.valueOf(reason.name());
    }

    /** The reject reason of a wire code; null for a code this build does not know. */
    public static RejectReason rejectReason(final RejectCode code)
    {
        if (code == null || code == RejectCode.NULL_VAL)
        {
            return null;
        }
        for (final RejectReason reason : REASONS)
        {
            if (reason.name().equals(code.name()))
            {
                return reason;
            }
        }
        return null;
    }

    public static ReservationState reservationState(final ReservationStatus status)
    {
        if (status == null)
        {
            return ReservationState.NULL_VAL;
        }
        return switch (status)
        {
            case HELD -> ReservationState.HELD;
            case CONFIRMED -> ReservationState.CONFIRMED;
            case RELEASED -> ReservationState.RELEASED;
            case EXPIRED -> ReservationState.EXPIRED;
        };
    }

    /** @return null for the null value. */
    public static ReservationStatus reservationStatus(final ReservationState state)
    {
        return switch (state)
        {
            case HELD -> ReservationStatus.HELD;
            case CONFIRMED -> ReservationStatus.CONFIRMED;
            case RELEASED -> ReservationStatus.RELEASED;
            case EXPIRED -> ReservationStatus.EXPIRED;
            case NULL_VAL -> null;
        };
    }

    public static OrderState orderState(final OrderStatus status)
    {
        if (status == null)
        {
            return OrderState.NULL_VAL;
        }
        return switch (status)
        {
            case CONFIRMED -> OrderState.CONFIRMED;
            case CANCELLED -> OrderState.CANCELLED;
            case SHIPPED -> OrderState.SHIPPED;
        };
    }

    /** @return null for the null value. */
    public static OrderStatus orderStatus(final OrderState state)
    {
        return switch (state)
        {
            case CONFIRMED -> OrderStatus.CONFIRMED;
            case CANCELLED -> OrderStatus.CANCELLED;
            case SHIPPED -> OrderStatus.SHIPPED;
            case NULL_VAL -> null;
        };
    }
}
