package io.truestock.protocol;

import io.truestock.sbe.AvailabilityEncoder;
import io.truestock.sbe.AvailabilityQueryEncoder;
import io.truestock.sbe.CommandOutcomeEncoder;
import io.truestock.sbe.ConfirmRequestEncoder;
import io.truestock.sbe.CommandRecordEncoder;
import io.truestock.sbe.ErrorCode;
import io.truestock.sbe.ErrorEncoder;
import io.truestock.sbe.HelloEncoder;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.OfferEncoder;
import io.truestock.sbe.OfferQueryEncoder;
import io.truestock.sbe.WelcomeEncoder;

import java.util.Locale;

/**
 * The binary TCP protocol's framing, bounds and template ids: the one copy the server and the client both read.
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
    /** Longest request frame length the server reads (the same bound as HTTP request bodies, 64 KiB). */
    public static final int MAX_REQUEST_FRAME_BYTES = 64 * 1024;
    /** Commands one connection may have in the ring before the server stops reading from it. */
    public static final int MAX_IN_FLIGHT = 256;
    /** Longest message text an Error carries, in UTF-8 bytes. */
    public static final int MAX_ERROR_MESSAGE_BYTES = 256;
    /** Time a new connection has to send its Hello before the server closes it. */
    public static final int HELLO_TIMEOUT_SECONDS = 10;

    public static final int SCHEMA_ID = CommandRecordEncoder.SCHEMA_ID;
    public static final int SCHEMA_VERSION = CommandRecordEncoder.SCHEMA_VERSION;

    /** A command is the journal's own CommandRecord message, sent with its sequence and timestamp 0. */
    public static final int COMMAND = CommandRecordEncoder.TEMPLATE_ID;
    public static final int HELLO = HelloEncoder.TEMPLATE_ID;
    public static final int AVAILABILITY_QUERY = AvailabilityQueryEncoder.TEMPLATE_ID;
    public static final int OFFER_QUERY = OfferQueryEncoder.TEMPLATE_ID;
    public static final int CONFIRM_REQUEST = ConfirmRequestEncoder.TEMPLATE_ID;
    public static final int WELCOME = WelcomeEncoder.TEMPLATE_ID;
    public static final int AVAILABILITY = AvailabilityEncoder.TEMPLATE_ID;
    public static final int OFFER = OfferEncoder.TEMPLATE_ID;
    public static final int COMMAND_OUTCOME = CommandOutcomeEncoder.TEMPLATE_ID;
    public static final int ERROR = ErrorEncoder.TEMPLATE_ID;

    private BinaryProtocol()
    {
    }

    /** The lower-case name of an error code, as HTTP's problem codes are written: {@code overloaded}. */
    public static String codeText(final ErrorCode code)
    {
        return code == null || code == ErrorCode.NULL_VAL ? "unknown" : code.name().toLowerCase(Locale.ROOT);
    }
}
