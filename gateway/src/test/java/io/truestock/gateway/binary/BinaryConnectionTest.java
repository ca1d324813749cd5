package io.truestock.gateway.binary;

import io.truestock.engine.Command;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.AvailabilityDecoder;
import io.truestock.sbe.CommandOutcomeDecoder;
import io.truestock.sbe.MessageHeaderDecoder;
import io.truestock.sbe.WelcomeDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One connection's handling on an embedded channel, where the test plays the ring: a full ring, the in-flight
 * bound, frames cut anywhere, the Hello deadline, and that every buffer is released whatever happens.
 */
class BinaryConnectionTest
{
    private static final int MAX_IN_FLIGHT = 8;

    private EmbeddedBinary binary = new EmbeddedBinary(MAX_IN_FLIGHT);

    @AfterEach
    void releaseEverything()
    {
        binary.drain();
        binary.close();
        assertThat(binary.liveBytes()).as("bytes still allocated").isZero();
        assertThat(binary.engineFailures).isEmpty();
        assertThat(binary.unexpectedErrors()).isZero();
    }

    private void authenticate()
    {
        binary.write(Frames.hello(1, EmbeddedBinary.ADMIN));
        final Frames.Response welcome = binary.next();
        assertThat(welcome.templateId()).isEqualTo(BinaryProtocol.WELCOME);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(welcome.message(), 0);
        final WelcomeDecoder decoder = new WelcomeDecoder().wrap(welcome.message(), BinaryProtocol.HEADER_BYTES,
            header.blockLength(), header.version());
        assertThat(decoder.maxInFlight()).isEqualTo(MAX_IN_FLIGHT);
        assertThat(decoder.maxFrameBytes()).isEqualTo(BinaryProtocol.MAX_REQUEST_FRAME_BYTES);
        assertThat(decoder.principal()).isEqualTo("admin");
    }

    private static byte[] receive(final long correlationId)
    {
        return Frames.command(correlationId, new Command(0).receive("shoe", "oak", 1));
    }

    @Test
    void aFullRingIsAnsweredOverloadedAndTheConnectionGoesOn()
    {
        authenticate();
        binary.ring(EmbeddedBinary.Ring.FULL);
        binary.write(receive(2));
        final Frames.Error error = binary.next().error();
        assertThat(error.code()).isEqualTo("overloaded");
        assertThat(error.closing()).isFalse();

        binary.ring(EmbeddedBinary.Ring.APPLY);
        binary.write(receive(3));
        final Frames.Response outcome = binary.next();
        assertThat(outcome.correlationId()).isEqualTo(3);
        assertThat(outcome.templateId()).isEqualTo(BinaryProtocol.COMMAND_OUTCOME);
        assertThat(binary.channel.isActive()).isTrue();
    }

    @Test
    void atTheInFlightBoundReadingStopsAndResumesAsAnswersDrain()
    {
        authenticate();
        binary.ring(EmbeddedBinary.Ring.PARK);
        final int sent = 3 * MAX_IN_FLIGHT;
        final byte[][] frames = new byte[sent][];
        for (int i = 0; i < sent; i++)
        {
            frames[i] = receive(100 + i);
        }
        binary.write(Frames.concat(frames));

        assertThat(binary.published()).as("commands in the ring at the bound").isEqualTo(MAX_IN_FLIGHT);
        assertThat(binary.channel.config().isAutoRead()).as("reading stopped").isFalse();
        assertThat(binary.drain()).isEmpty();

        binary.deliver(MAX_IN_FLIGHT / 2 - 1);
        assertThat(binary.published()).as("no resume above half the bound").isEqualTo(MAX_IN_FLIGHT);
        binary.deliver(1);
        assertThat(binary.published()).as("resumed at half the bound, up to the bound again")
            .isEqualTo(MAX_IN_FLIGHT + MAX_IN_FLIGHT / 2);

        for (int i = 0; i < 10 && binary.parked() > 0; i++)
        {
            binary.deliver(binary.parked());
        }
        assertThat(binary.published()).isEqualTo(sent);
        assertThat(binary.channel.config().isAutoRead()).as("reading again").isTrue();
        final List<Frames.Response> answers = binary.drain();
        assertThat(answers).hasSize(sent);
        final Set<Long> ids = new HashSet<>();
        long lastVersion = 0;
        for (final Frames.Response answer : answers)
        {
            assertThat(answer.templateId()).isEqualTo(BinaryProtocol.COMMAND_OUTCOME);
            ids.add(answer.correlationId());
            final long version = new CommandOutcomeDecoder().wrap(answer.message(), BinaryProtocol.HEADER_BYTES,
                CommandOutcomeDecoder.BLOCK_LENGTH, CommandOutcomeDecoder.SCHEMA_VERSION).version();
            assertThat(version).isGreaterThan(lastVersion);
            lastVersion = version;
        }
        assertThat(ids).hasSize(sent);
    }

    @Test
    void aConfirmRequestIsAdmittedOnlyWhenEveryQuoteIdVerifiesAndItsFrameEndsWithIt()
    {
        authenticate();
        binary.write(Frames.command(2, new Command(1).reserve("shopify", 600).addLine("shoe", 1)));
        final long reservation = new CommandOutcomeDecoder().wrap(binary.next().message(), BinaryProtocol.HEADER_BYTES,
            CommandOutcomeDecoder.BLOCK_LENGTH, CommandOutcomeDecoder.SCHEMA_VERSION).reservationId();
        final int published = binary.published();

        binary.write(Frames.confirm(3, reservation, "o-1", "q_not-signed-here"));
        final Frames.Error refused = binary.next().error();
        assertThat(refused.code()).isEqualTo("invalid_request");
        assertThat(refused.message()).isEqualTo("'q_not-signed-here' is not a quote this server issued");
        assertThat(refused.closing()).isFalse();
        assertThat(binary.published()).as("nothing reached the ring").isEqualTo(published);

        binary.write(Frames.confirm(4, reservation, "o-1"));
        final Frames.Response confirmed = binary.next();
        assertThat(confirmed.correlationId()).isEqualTo(4);
        assertThat(confirmed.templateId()).isEqualTo(BinaryProtocol.COMMAND_OUTCOME);
        assertThat(binary.published()).isEqualTo(published + 1);

        final byte[] frame = Frames.confirm(5, reservation, "o-2");
        final byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        ByteBuffer.wrap(longer).order(ByteOrder.LITTLE_ENDIAN).putInt(0, longer.length - BinaryProtocol.LENGTH_FIELD_BYTES);
        binary.write(longer);
        final Frames.Error malformed = binary.next().error();
        assertThat(malformed.code()).isEqualTo("malformed");
        assertThat(malformed.closing()).isTrue();
        assertThat(binary.published()).as("a frame with bytes after its message sends nothing").isEqualTo(published + 1);
    }

    @Test
    void aVersion1OfferQueryWithoutADestinationIsStillAnswered()
    {
        binary.write(Frames.concat(Frames.hello(1, EmbeddedBinary.ADMIN), Frames.offerVersion1(2, "shoe", "amazon", 1)));
        final List<Frames.Response> answers = binary.drain();
        assertThat(answers).extracting(Frames.Response::templateId)
            .containsExactly(BinaryProtocol.WELCOME, BinaryProtocol.OFFER);
    }

    @Test
    void framesCutAtEveryByteAreReassembled()
    {
        final byte[] stream = Frames.concat(Frames.hello(1, EmbeddedBinary.ADMIN),
            Frames.availability(2, "shoe", "shopify"), receive(3), Frames.offer(4, "shoe", "amazon", 2));
        for (final byte b : stream)
        {
            binary.write(new byte[] {b});
        }
        final List<Frames.Response> answers = binary.drain();
        assertThat(answers).extracting(Frames.Response::correlationId).containsExactly(1L, 2L, 3L, 4L);
        assertThat(answers).extracting(Frames.Response::templateId).containsExactly(BinaryProtocol.WELCOME,
            BinaryProtocol.AVAILABILITY, BinaryProtocol.COMMAND_OUTCOME, BinaryProtocol.OFFER);
        final AvailabilityDecoder availability = new AvailabilityDecoder().wrap(answers.get(1).message(),
            BinaryProtocol.HEADER_BYTES, AvailabilityDecoder.BLOCK_LENGTH, AvailabilityDecoder.SCHEMA_VERSION);
        assertThat(availability.available()).isEqualTo(10);
    }

    @Test
    void aConnectionWithoutHelloIsClosedAtTheDeadline()
    {
        binary.channel.advanceTimeBy(BinaryProtocol.HELLO_TIMEOUT_SECONDS - 1, TimeUnit.SECONDS);
        binary.channel.runScheduledPendingTasks();
        assertThat(binary.channel.isOpen()).isTrue();
        binary.channel.advanceTimeBy(2, TimeUnit.SECONDS);
        binary.channel.runScheduledPendingTasks();
        final Frames.Error error = binary.next().error();
        assertThat(error.code()).isEqualTo("unauthorized");
        assertThat(error.closing()).isTrue();
        assertThat(binary.channel.isOpen()).isFalse();
    }

    @Test
    void anAuthenticatedConnectionHasNoDeadline()
    {
        authenticate();
        binary.channel.advanceTimeBy(BinaryProtocol.HELLO_TIMEOUT_SECONDS * 2L, TimeUnit.SECONDS);
        binary.channel.runScheduledPendingTasks();
        assertThat(binary.channel.isOpen()).isTrue();
        assertThat(binary.next()).isNull();
    }

    @Test
    void garbageAfterABadLengthIsDiscardedUnread()
    {
        authenticate();
        final byte[] tooLong = {(byte)0xFF, (byte)0xFF, 0x01, 0x00};
        binary.write(Frames.concat(tooLong, receive(5), receive(6)));
        final Frames.Response only = binary.next();
        assertThat(only.correlationId()).isZero();
        assertThat(only.error().code()).isEqualTo("frame_too_large");
        assertThat(only.error().closing()).isTrue();
        assertThat(binary.next()).isNull();
        assertThat(binary.published()).isZero();
        assertThat(binary.channel.isOpen()).isFalse();
    }

    @Test
    void answersToCommandsOfAClosedConnectionAreReleased()
    {
        authenticate();
        binary.ring(EmbeddedBinary.Ring.PARK);
        binary.write(Frames.concat(receive(2), receive(3)));
        binary.channel.close();
        binary.deliver(2);
        assertThat(binary.drain()).isEmpty();
    }
}
