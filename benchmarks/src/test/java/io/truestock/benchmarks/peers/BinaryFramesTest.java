package io.truestock.benchmarks.peers;

import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.journal.JournalCodec;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.CommandOutcomeEncoder;
import io.truestock.sbe.HelloDecoder;
import io.truestock.sbe.MessageHeaderDecoder;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.RejectCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frames the C open-loop generator sends over the binary protocol decode as what they claim, and the offsets
 * it reads answers at find the message type and the reject reason of a real CommandOutcome frame.
 */
class BinaryFramesTest
{
    private static final int MESSAGE_OFFSET = BinaryProtocol.LENGTH_FIELD_BYTES + BinaryProtocol.CORRELATION_ID_BYTES;

    @Test
    void theReserveFrameIsAOneLineReservationCommand()
    {
        final byte[] frame = BinaryFrames.reserve("web", "hot", 3, 7);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertThat(buffer.getInt(0, ByteOrder.LITTLE_ENDIAN)).isEqualTo(frame.length - BinaryProtocol.LENGTH_FIELD_BYTES);
        assertThat(buffer.getLong(BinaryProtocol.LENGTH_FIELD_BYTES, ByteOrder.LITTLE_ENDIAN)).isEqualTo(1);

        final JournalCodec codec = new JournalCodec(64 * 1024);
        assertThat(codec.wrapMessage(buffer, MESSAGE_OFFSET, frame.length - MESSAGE_OFFSET))
            .isEqualTo(BinaryProtocol.COMMAND);
        final Command command = codec.decodeCommand(new Command(4));
        assertThat(command.type()).isEqualTo(CommandType.RESERVE);
        assertThat(command.channel()).isEqualTo("web");
        assertThat(command.ttlSeconds()).isEqualTo(7);
        assertThat(command.lineCount()).isEqualTo(1);
        assertThat(command.lineSku(0)).isEqualTo("hot");
        assertThat(command.lineQuantity(0)).isEqualTo(3);
        assertThat(command.sequence()).isZero();
    }

    @Test
    void theHelloFrameCarriesTheToken()
    {
        final byte[] frame = BinaryFrames.hello("secret-key");
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, MESSAGE_OFFSET);
        assertThat(header.templateId()).isEqualTo(BinaryProtocol.HELLO);
        final HelloDecoder hello = new HelloDecoder().wrap(buffer, MESSAGE_OFFSET + BinaryProtocol.HEADER_BYTES,
            header.blockLength(), header.version());
        assertThat(hello.token()).isEqualTo("secret-key");
    }

    @Test
    void theOffsetsFindTheTypeAndRejectReasonOfAnOutcome()
    {
        final Map<String, String> fields = fields(BinaryFrames.line("k", "web", "hot", 1, 1));
        final int templateOffset = Integer.parseInt(fields.get("template_offset"));
        final int rejectOffset = Integer.parseInt(fields.get("reject_offset"));
        assertThat(Integer.parseInt(fields.get("outcome_template"))).isEqualTo(BinaryProtocol.COMMAND_OUTCOME);

        for (final RejectCode reason : new RejectCode[] {RejectCode.NONE, RejectCode.OUT_OF_STOCK})
        {
            final UnsafeBuffer answer = new UnsafeBuffer(new byte[1024]);
            new CommandOutcomeEncoder().wrapAndApplyHeader(answer, MESSAGE_OFFSET, new MessageHeaderEncoder())
                .rejectReason(reason);
            assertThat(answer.getShort(templateOffset, ByteOrder.LITTLE_ENDIAN))
                .isEqualTo((short)BinaryProtocol.COMMAND_OUTCOME);
            assertThat(answer.getByte(rejectOffset) == Short.parseShort(fields.get("reject_none")))
                .isEqualTo(reason == RejectCode.NONE);
        }
    }

    private static Map<String, String> fields(final String line)
    {
        final Map<String, String> map = new HashMap<>();
        for (final String pair : line.split(" "))
        {
            final int eq = pair.indexOf('=');
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return map;
    }
}
