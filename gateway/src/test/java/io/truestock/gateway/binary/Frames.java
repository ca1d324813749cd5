package io.truestock.gateway.binary;

import io.truestock.engine.Command;
import io.truestock.journal.JournalCodec;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.AvailabilityQueryEncoder;
import io.truestock.sbe.BooleanType;
import io.truestock.sbe.ConfirmRequestEncoder;
import io.truestock.sbe.ErrorDecoder;
import io.truestock.sbe.HelloEncoder;
import io.truestock.sbe.MessageHeaderDecoder;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.OfferQueryEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Request frames built byte by byte, as a client in any language would, and response frames read off a stream:
 * for tests that speak the protocol without the Java client, including the frames no client should send.
 */
public final class Frames
{
    public static final int MESSAGE_OFFSET = BinaryProtocol.LENGTH_FIELD_BYTES + BinaryProtocol.CORRELATION_ID_BYTES;

    private Frames()
    {
    }

    public static byte[] hello(final long correlationId, final String token)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final HelloEncoder e = new HelloEncoder().wrapAndApplyHeader(buffer, MESSAGE_OFFSET, new MessageHeaderEncoder());
        e.token(token);
        e.clientName("test");
        return frame(buffer, correlationId, e.encodedLength());
    }

    public static byte[] availability(final long correlationId, final String sku, final String channel)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final AvailabilityQueryEncoder e =
            new AvailabilityQueryEncoder().wrapAndApplyHeader(buffer, MESSAGE_OFFSET, new MessageHeaderEncoder());
        e.sku(sku);
        e.channel(channel);
        return frame(buffer, correlationId, e.encodedLength());
    }

    public static byte[] offer(final long correlationId, final String sku, final String channel, final long qty)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OfferQueryEncoder e =
            new OfferQueryEncoder().wrapAndApplyHeader(buffer, MESSAGE_OFFSET, new MessageHeaderEncoder()).quantity(qty);
        e.sku(sku);
        e.channel(channel);
        e.destinationCountry("");
        e.destinationPostalCode("");
        return frame(buffer, correlationId, e.encodedLength());
    }

    /** A ConfirmRequest frame citing {@code quoteIds}, without a destination or idempotency key. */
    public static byte[] confirm(
        final long correlationId, final long reservationId, final String orderId, final String... quoteIds)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final ConfirmRequestEncoder e = new ConfirmRequestEncoder()
            .wrapAndApplyHeader(buffer, MESSAGE_OFFSET, new MessageHeaderEncoder()).reservationId(reservationId);
        final ConfirmRequestEncoder.QuoteIdsEncoder quotes = e.quoteIdsCount(quoteIds.length);
        for (final String quoteId : quoteIds)
        {
            quotes.next().quoteId(quoteId);
        }
        e.orderId(orderId);
        e.destinationCountry("");
        e.destinationPostalCode("");
        e.idempotencyKey("");
        return frame(buffer, correlationId, e.encodedLength());
    }

    /** An OfferQuery frame of schema version 1 (no destination), as a client built before delivery promises sends. */
    public static byte[] offerVersion1(final long correlationId, final String sku, final String channel, final long qty)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final OfferQueryEncoder e = new OfferQueryEncoder().wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header).quantity(qty);
        header.version(1);
        e.sku(sku);
        e.channel(channel);
        return frame(buffer, correlationId, e.encodedLength());
    }

    /** A CommandRecord frame, encoded by the journal's own codec without its checksum. */
    public static byte[] command(final long correlationId, final Command command)
    {
        final JournalCodec codec = new JournalCodec(BinaryProtocol.MAX_REQUEST_FRAME_BYTES);
        final int messageLength = codec.encodeCommand(command) - JournalCodec.CHECKSUM_LENGTH;
        final ByteBuffer out = ByteBuffer.allocate(MESSAGE_OFFSET + messageLength).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(BinaryProtocol.CORRELATION_ID_BYTES + messageLength).putLong(correlationId);
        out.put(codec.encodedBytes(), 0, messageLength);
        return out.array();
    }

    /** A frame whose header says anything: for foreign schemas, unknown types and lying block lengths. */
    public static byte[] raw(
        final long correlationId, final int schemaId, final int templateId, final int version, final int blockLength,
        final byte[] body)
    {
        final ByteBuffer out = ByteBuffer.allocate(MESSAGE_OFFSET + BinaryProtocol.HEADER_BYTES + body.length)
            .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(BinaryProtocol.CORRELATION_ID_BYTES + BinaryProtocol.HEADER_BYTES + body.length)
            .putLong(correlationId)
            .putShort((short)blockLength).putShort((short)templateId).putShort((short)schemaId).putShort((short)version)
            .put(body);
        return out.array();
    }

    /** The first {@code bytes} of a frame, for frames cut short. */
    public static byte[] prefix(final byte[] frame, final int bytes)
    {
        return Arrays.copyOf(frame, bytes);
    }

    public static byte[] concat(final byte[]... frames)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] frame : frames)
        {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    private static byte[] frame(final UnsafeBuffer buffer, final long correlationId, final int bodyLength)
    {
        final int frameLength = BinaryProtocol.CORRELATION_ID_BYTES + BinaryProtocol.HEADER_BYTES + bodyLength;
        buffer.putInt(0, frameLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(BinaryProtocol.LENGTH_FIELD_BYTES, correlationId, ByteOrder.LITTLE_ENDIAN);
        return Arrays.copyOf(buffer.byteArray(), BinaryProtocol.LENGTH_FIELD_BYTES + frameLength);
    }

    // ---- responses ----

    /** One response frame: its correlation id, message type and the message (header and body). */
    public record Response(long correlationId, int templateId, UnsafeBuffer message)
    {
        /** The Error this response is; fails when it is another message. */
        public Error error()
        {
            if (templateId != BinaryProtocol.ERROR)
            {
                throw new AssertionError("expected an Error, got message type " + templateId);
            }
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message, 0);
            final ErrorDecoder e = new ErrorDecoder().wrap(message, BinaryProtocol.HEADER_BYTES, header.blockLength(),
                header.version());
            return new Error(BinaryProtocol.codeText(e.code()), e.closing() == BooleanType.TRUE, e.message());
        }
    }

    public record Error(String code, boolean closing, String message)
    {
    }

    /** Reads one response frame; null at the end of the stream (the server closed the connection). */
    public static Response read(final InputStream in) throws IOException
    {
        final byte[] prefix = in.readNBytes(BinaryProtocol.LENGTH_FIELD_BYTES);
        if (prefix.length == 0)
        {
            return null;
        }
        if (prefix.length < BinaryProtocol.LENGTH_FIELD_BYTES)
        {
            throw new AssertionError("the stream ended inside a length prefix");
        }
        final int length = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length < BinaryProtocol.MIN_FRAME_BYTES || length > 1 << 24)
        {
            throw new AssertionError("a response frame length of " + length);
        }
        final byte[] frame = in.readNBytes(length);
        if (frame.length < length)
        {
            throw new AssertionError("the stream ended inside a frame");
        }
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        final long correlationId = view.getLong(0, ByteOrder.LITTLE_ENDIAN);
        final UnsafeBuffer message = new UnsafeBuffer(frame, BinaryProtocol.CORRELATION_ID_BYTES,
            length - BinaryProtocol.CORRELATION_ID_BYTES);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message, 0);
        if (header.schemaId() != BinaryProtocol.SCHEMA_ID)
        {
            throw new AssertionError("a response of schema id " + header.schemaId());
        }
        return new Response(correlationId, header.templateId(), message);
    }
}
