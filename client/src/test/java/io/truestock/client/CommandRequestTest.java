package io.truestock.client;

import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.BooleanType;
import io.truestock.sbe.CommandCode;
import io.truestock.sbe.CommandRecordDecoder;
import io.truestock.sbe.CommandRecordEncoder;
import io.truestock.sbe.MessageHeaderDecoder;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.PresentStringsDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the client puts on the wire for a command, read back with the protocol's own decoder: every field where the
 * server reads it, absent strings marked absent, and nothing stamped that the engine stamps.
 */
class CommandRequestTest
{
    private static final int OFFSET = 12;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[BinaryProtocol.MAX_REQUEST_FRAME_BYTES]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CommandRecordDecoder decoder = new CommandRecordDecoder();
    private int encodedLength;

    private CommandRecordDecoder encode(final CommandRequest request)
    {
        encodedLength = request.encode(new CommandRecordEncoder(), new MessageHeaderEncoder(), buffer, OFFSET);
        header.wrap(buffer, OFFSET);
        assertThat(header.schemaId()).isEqualTo(BinaryProtocol.SCHEMA_ID);
        assertThat(header.version()).isEqualTo(BinaryProtocol.SCHEMA_VERSION);
        assertThat(header.templateId()).isEqualTo(BinaryProtocol.COMMAND);
        return decoder.wrapAndApplyHeader(buffer, OFFSET, header);
    }

    @Test
    void aReservationCarriesItsLinesChannelTtlAndIdempotencyKey()
    {
        final CommandRecordDecoder d = encode(new CommandRequest().reserve("shopify", 60)
            .addLine("shoe", 2).addLine("hat", 1).idempotencyKey("cart-7"));

        assertThat(d.sequence()).isZero();
        assertThat(d.timestampMillis()).isZero();
        assertThat(d.commandType()).isEqualTo(CommandCode.RESERVE);
        final PresentStringsDecoder present = d.present();
        assertThat(present.channel()).isTrue();
        assertThat(present.idempotencyKey()).isTrue();
        assertThat(present.principal()).isFalse();
        assertThat(present.sku()).isFalse();
        assertThat(present.orderId()).isFalse();
        assertThat(d.ttlSeconds()).isEqualTo(60);
        assertThat(d.expected()).isEqualTo(CommandRequest.ABSENT);
        assertThat(d.safety()).isEqualTo(CommandRequest.ABSENT);

        final CommandRecordDecoder.LinesDecoder lines = d.lines();
        assertThat(lines.count()).isEqualTo(2);
        lines.next();
        assertThat(lines.quantity()).isEqualTo(2);
        assertThat(lines.skuPresent()).isEqualTo(BooleanType.TRUE);
        assertThat(lines.sku()).isEqualTo("shoe");
        lines.next();
        assertThat(lines.quantity()).isEqualTo(1);
        assertThat(lines.sku()).isEqualTo("hat");
        assertThat(d.locationSpec().count()).isZero();
        assertThat(d.channelSpec().count()).isZero();
        assertThat(d.skuSpec().count()).isZero();
        assertThat(d.priceSpec().count()).isZero();
        assertThat(d.carrierSpec().count()).isZero();
        assertThat(d.quotes().count()).isZero();
        assertThat(d.stockImport().count()).isZero();
        assertThat(d.principal()).isEmpty();
        assertThat(d.idempotencyKey()).isEqualTo("cart-7");
        assertThat(d.reason()).isEmpty();
        assertThat(d.reference()).isEmpty();
        assertThat(d.sku()).isEmpty();
        assertThat(d.location()).isEmpty();
        assertThat(d.channel()).isEqualTo("shopify");
        assertThat(d.orderId()).isEmpty();
        assertThat(d.destinationCountry()).isEmpty();
        assertThat(d.destinationPostalCode()).isEmpty();
        assertThat(d.carrier()).isEmpty();
        assertThat(d.service()).isEmpty();
        assertThat(MessageHeaderEncoder.ENCODED_LENGTH + d.encodedLength()).as("the length the encoder reported")
            .isEqualTo(encodedLength);
    }

    @Test
    void aConfirmationCarriesItsReservationOrderAndDestination()
    {
        final CommandRecordDecoder d = encode(new CommandRequest().confirm(41, "o-1").destination("NL", "1011")
            .reason("checkout").reference("cart-9"));

        assertThat(d.commandType()).isEqualTo(CommandCode.CONFIRM);
        assertThat(d.reservationId()).isEqualTo(41);
        final PresentStringsDecoder present = d.present();
        assertThat(present.orderId()).isTrue();
        assertThat(present.destinationCountry()).isTrue();
        assertThat(present.destinationPostalCode()).isTrue();
        assertThat(present.reason()).isTrue();
        assertThat(present.reference()).isTrue();
        assertThat(present.channel()).isFalse();
        assertThat(d.lines().count()).isZero();
        d.locationSpec();
        d.channelSpec();
        d.skuSpec();
        d.priceSpec();
        d.carrierSpec();
        d.quotes();
        d.stockImport();
        assertThat(d.principal()).isEmpty();
        assertThat(d.idempotencyKey()).isEmpty();
        assertThat(d.reason()).isEqualTo("checkout");
        assertThat(d.reference()).isEqualTo("cart-9");
        assertThat(d.sku()).isEmpty();
        assertThat(d.location()).isEmpty();
        assertThat(d.channel()).isEmpty();
        assertThat(d.orderId()).isEqualTo("o-1");
        assertThat(d.destinationCountry()).isEqualTo("NL");
        assertThat(d.destinationPostalCode()).isEqualTo("1011");
    }

    @Test
    void aSetCarriesOnlyTheQuantitiesGiven()
    {
        final CommandRecordDecoder d = encode(new CommandRequest().set("shoe", "oak", 20, CommandRequest.ABSENT, 7));

        assertThat(d.commandType()).isEqualTo(CommandCode.SET);
        assertThat(d.quantity()).isEqualTo(20);
        assertThat(d.safety()).isEqualTo(CommandRequest.ABSENT);
        assertThat(d.expected()).isEqualTo(7);
        assertThat(d.present().sku()).isTrue();
        assertThat(d.present().location()).isTrue();
    }

    @Test
    void aCancelWithoutChannelMarksTheChannelAbsent()
    {
        final CommandRecordDecoder d = encode(new CommandRequest().cancel(null, "s-1"));

        assertThat(d.commandType()).isEqualTo(CommandCode.CANCEL);
        assertThat(d.present().channel()).isFalse();
        assertThat(d.present().orderId()).isTrue();
    }

    @Test
    void aRequestBeyondTheBufferDoesNotEncode()
    {
        final CommandRequest huge = new CommandRequest().receive("shoe", "oak", 1).reason("x".repeat(40_000))
            .reference("y".repeat(40_000));

        assertThatThrownBy(() -> huge.encode(new CommandRecordEncoder(), new MessageHeaderEncoder(), buffer, OFFSET))
            .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aRequestHasNoTypeUntilABuilderSetsOne()
    {
        assertThat(new CommandRequest().type()).isNull();
        assertThat(new CommandRequest().extend(3, 600).type()).isEqualTo(CommandCode.EXTEND);
    }
}
