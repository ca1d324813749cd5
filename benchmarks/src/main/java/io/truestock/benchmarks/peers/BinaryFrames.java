package io.truestock.benchmarks.peers;

import io.truestock.client.CommandRequest;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.CommandOutcomeDecoder;
import io.truestock.sbe.HelloEncoder;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.RejectCode;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The two frames a C load generator needs to reserve over Truestock's binary protocol without an SBE code generator
 * of its own: a {@code Hello} with the key, and a {@code RESERVE} of one line, both encoded here with the protocol
 * module's codecs and printed in hex, with where in an answer frame the generator finds whether the reservation was
 * held. The generator sends the Hello once per connection and the reserve frame for every call, with the call's
 * correlation id written over bytes 4 to 11 (the frame's correlation id, little endian).
 * <p>
 * {@code BinaryFrames TOKEN CHANNEL SKU QTY TTL_SECONDS} prints one line:
 * {@code hello=<hex> reserve=<hex> outcome_template=<id> template_offset=<n> reject_offset=<n> reject_none=<n>}
 * (offsets count from the first byte of the length prefix; the template id is a little-endian uint16).
 */
public final class BinaryFrames
{
    private static final int MESSAGE_OFFSET = BinaryProtocol.LENGTH_FIELD_BYTES + BinaryProtocol.CORRELATION_ID_BYTES;

    private BinaryFrames()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length != 5)
        {
            System.err.println("usage: BinaryFrames TOKEN CHANNEL SKU QTY TTL_SECONDS");
            System.exit(2);
        }
        System.out.println(line(args[0], args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4])));
    }

    /** The line {@link #main} prints. */
    static String line(final String token, final String channel, final String sku, final long qty, final int ttlSeconds)
    {
        return "hello=" + hex(hello(token)) + " reserve=" + hex(reserve(channel, sku, qty, ttlSeconds)) +
            " outcome_template=" + BinaryProtocol.COMMAND_OUTCOME +
            " template_offset=" + (MESSAGE_OFFSET + 2) +
            " reject_offset=" + (MESSAGE_OFFSET + BinaryProtocol.HEADER_BYTES + CommandOutcomeDecoder.rejectReasonEncodingOffset()) +
            " reject_none=" + RejectCode.NONE.value();
    }

    /** A Hello frame, length prefix first, correlation id 1. */
    static byte[] hello(final String token)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final HelloEncoder e = new HelloEncoder().wrapAndApplyHeader(buffer, MESSAGE_OFFSET, new MessageHeaderEncoder());
        e.token(token);
        e.clientName("openloop");
        return frame(buffer, BinaryProtocol.HEADER_BYTES + e.encodedLength());
    }

    /** A RESERVE of one line as a CommandRecord frame, length prefix first, correlation id 1: the client's encoding. */
    static byte[] reserve(final String channel, final String sku, final long qty, final int ttlSeconds)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        return frame(buffer, new CommandRequest().reserve(channel, ttlSeconds).addLine(sku, qty)
            .encode(buffer, MESSAGE_OFFSET));
    }

    private static byte[] frame(final UnsafeBuffer buffer, final int messageLength)
    {
        final int frameLength = BinaryProtocol.CORRELATION_ID_BYTES + messageLength;
        buffer.putInt(0, frameLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(BinaryProtocol.LENGTH_FIELD_BYTES, 1, ByteOrder.LITTLE_ENDIAN);
        final byte[] bytes = new byte[BinaryProtocol.LENGTH_FIELD_BYTES + frameLength];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder out = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }
}
