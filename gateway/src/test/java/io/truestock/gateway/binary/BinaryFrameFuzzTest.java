package io.truestock.gateway.binary;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.truestock.protocol.BinaryProtocol;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitrary bytes into the server's decoding pipeline (frame decoder and connection handler, on an embedded
 * channel in front of a small real engine). Whatever arrives: nothing is thrown out of the pipeline, no failure
 * takes an undesigned path, every answer is one well-formed response frame, nothing follows a closing Error, the
 * in-flight bound holds, the engine never fails on a command the edge admitted, and every buffer is released.
 * <p>
 * The first input byte sets the scene, so the fuzzer can reach past the Hello: bits 0-1 pick who says Hello
 * first (admin, agent, a channel key, or nobody), bits 2-4 how the rest is cut into reads (whole, or chunks of 1
 * to 64 bytes), bits 5-6 how the ring behaves (applies at once, parks commands until the end, or is full). The
 * rest is the byte stream.
 * <p>
 * Plain {@code mvn verify} runs only the seeds in {@code BinaryFrameFuzzTestInputs} (and an empty input). To fuzz:
 * {@code JAZZER_FUZZ=1 mvn -B -o test -pl gateway -am -Dtest=BinaryFrameFuzzTest -Dsurefire.failIfNoSpecifiedTests=false},
 * which runs for {@code maxDuration} below; change it there to fuzz longer. Findings are written as
 * {@code crash-*} files beside the module and can be replayed by moving them into the inputs directory.
 */
class BinaryFrameFuzzTest
{
    private static final int MAX_IN_FLIGHT = 8;
    private static final String[] TOKENS = {EmbeddedBinary.ADMIN, EmbeddedBinary.AGENT, EmbeddedBinary.SHOP, null};
    private static final EmbeddedBinary.Ring[] RINGS =
        {EmbeddedBinary.Ring.APPLY, EmbeddedBinary.Ring.APPLY, EmbeddedBinary.Ring.PARK, EmbeddedBinary.Ring.FULL};

    @FuzzTest(maxDuration = "5m")
    void decodingPipelineNeverThrowsNorLeaks(final byte[] input)
    {
        final int scene = input.length == 0 ? 0 : input[0] & 0xFF;
        final String token = TOKENS[scene & 3];
        final int chunkBits = (scene >> 2) & 7;
        final EmbeddedBinary.Ring ring = RINGS[(scene >> 5) & 3];
        final byte[] rest = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        final byte[] stream = token == null ? rest : Frames.concat(Frames.hello(1, token), rest);
        final int chunk = chunkBits == 0 ? Math.max(1, stream.length) : 1 << (chunkBits - 1);

        final EmbeddedBinary binary = new EmbeddedBinary(MAX_IN_FLIGHT);
        final Responses responses = new Responses();
        try
        {
            binary.ring(ring);
            for (int from = 0; from < stream.length; from += chunk)
            {
                binary.write(Arrays.copyOfRange(stream, from, Math.min(stream.length, from + chunk)));
                responses.add(binary.drain());
                assertThat(binary.parked()).as("commands in the ring").isLessThanOrEqualTo(MAX_IN_FLIGHT);
            }
            binary.deliver(binary.parked());
            responses.add(binary.drain());
            if (responses.closed)
            {
                assertThat(binary.channel.isOpen()).as("closed after a closing Error").isFalse();
            }
        }
        finally
        {
            binary.close();
        }
        responses.add(binary.drain());
        assertThat(binary.unexpectedErrors()).as("failures on no designed path").isZero();
        assertThat(binary.engineFailures).as("engine failures on admitted commands").isEmpty();
        assertThat(binary.liveBytes()).as("bytes never released").isZero();
    }

    /** The answers seen so far; nothing may follow a closing Error. */
    private static final class Responses
    {
        boolean closed;

        void add(final List<Frames.Response> more)
        {
            for (final Frames.Response response : more)
            {
                assertThat(closed).as("an answer after a closing Error").isFalse();
                if (response.templateId() == BinaryProtocol.ERROR)
                {
                    closed = response.error().closing();
                }
            }
        }
    }
}
