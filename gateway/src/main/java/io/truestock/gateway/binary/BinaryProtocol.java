package io.truestock.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.truestock.engine.OrderStatus;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import io.truestock.gateway.http.Api;
import io.truestock.journal.JournalCodec;
import io.truestock.sbe.AvailabilityEncoder;
import io.truestock.sbe.AvailabilityQueryEncoder;
import io.truestock.sbe.CommandOutcomeEncoder;
import io.truestock.sbe.ConfirmRequestEncoder;
import io.truestock.sbe.ErrorCode;
import io.truestock.sbe.ErrorEncoder;
import io.truestock.sbe.HelloEncoder;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.OfferEncoder;
import io.truestock.sbe.OfferQueryEncoder;
import io.truestock.sbe.OrderState;
import io.truestock.sbe.RejectCode;
import io.truestock.sbe.ReservationState;
import io.truestock.sbe.WelcomeEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The binary TCP protocol's framing, bounds and wire codes, shared by the server and the client.
 * <p>
 * A frame is an int32 little-endian length of what follows it, then an int64 little-endian correlation id, then
 * one SBE message of the Truestock schema (header and body). The first request of a connection is a Hello;
 * after its Welcome, requests may be pipelined and responses complete out of order, each carrying its request's
 * correlation id. docs/binary-protocol.md describes the whole protocol.
 */
public final class BinaryProtocol
{
    /** Bytes of the length prefix; the length counts what follows it, not itself. */
    public static final int LENGTH_FIELD_BYTES = 4;
    public static final int CORRELATION_ID_BYTES = 8;
    public static final int HEADER_BYTES = MessageHeaderEncoder.ENCODED_LENGTH;
    /** Shortest frame length a prefix may give: a correlation id and a message header. */
    public static final int MIN_FRAME_BYTES = CORRELATION_ID_BYTES + HEADER_BYTES;
    /** Longest request frame length the server reads (the same bound as HTTP request bodies). */
    public static final int MAX_REQUEST_FRAME_BYTES = Api.MAX_BODY_BYTES;
    /** Commands one connection may have in the ring before the server stops reading from it. */
    public static final int MAX_IN_FLIGHT = 256;
    /** Longest message text an Error carries, in UTF-8 bytes. */
    public static final int MAX_ERROR_MESSAGE_BYTES = 256;
    /** Time a new connection has to send its Hello before the server closes it. */
    public static final int HELLO_TIMEOUT_SECONDS = 10;

    public static final int SCHEMA_ID = JournalCodec.SCHEMA_ID;
    public static final int SCHEMA_VERSION = JournalCodec.SCHEMA_VERSION;

    public static final int COMMAND = JournalCodec.COMMAND_TEMPLATE;
    public static final int HELLO = HelloEncoder.TEMPLATE_ID;
    public static final int AVAILABILITY_QUERY = AvailabilityQueryEncoder.TEMPLATE_ID;
    public static final int OFFER_QUERY = OfferQueryEncoder.TEMPLATE_ID;
    public static final int CONFIRM_REQUEST = ConfirmRequestEncoder.TEMPLATE_ID;
    public static final int WELCOME = WelcomeEncoder.TEMPLATE_ID;
    public static final int AVAILABILITY = AvailabilityEncoder.TEMPLATE_ID;
    public static final int OFFER = OfferEncoder.TEMPLATE_ID;
    public static final int COMMAND_OUTCOME = CommandOutcomeEncoder.TEMPLATE_ID;
    public static final int ERROR = ErrorEncoder.TEMPLATE_ID;

    private static final RejectReason[] REASONS = RejectReason.values();

    private BinaryProtocol()
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

    /** The lower-case name of an error code, as HTTP's problem codes are written: {@code overloaded}. */
    public static String codeText(final ErrorCode code)
    {
        return code == null || code == ErrorCode.NULL_VAL ? "unknown" : code.name().toLowerCase(Locale.ROOT);
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
