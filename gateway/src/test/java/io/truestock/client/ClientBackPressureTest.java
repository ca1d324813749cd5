package io.truestock.client;

import io.truestock.protocol.BinaryProtocol;
import io.truestock.gateway.binary.Frames;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.WelcomeEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.truestock.client.BinaryHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's own bound, against a stand-in server that welcomes the client and then never answers: requests
 * past the bound fail at once with {@code too_many_in_flight}, without queueing, and the outstanding ones fail with
 * {@code connection_closed} when the client closes.
 */
class ClientBackPressureTest
{
    private static final int MAX_IN_FLIGHT = 3;

    private ServerSocket listener;
    private Thread silentServer;
    private final CountDownLatch sawRequests = new CountDownLatch(MAX_IN_FLIGHT);

    @BeforeEach
    void start() throws IOException
    {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        silentServer = new Thread(this::welcomeThenListen, "silent-server");
        silentServer.setDaemon(true);
        silentServer.start();
    }

    @AfterEach
    void stop() throws Exception
    {
        listener.close();
        silentServer.join(TimeUnit.SECONDS.toMillis(30));
    }

    private void welcomeThenListen()
    {
        try (Socket socket = listener.accept())
        {
            final InputStream in = socket.getInputStream();
            readFrame(in);
            socket.getOutputStream().write(welcome());
            socket.getOutputStream().flush();
            while (readFrame(in) != null)
            {
                sawRequests.countDown();
            }
        }
        catch (final IOException ex)
        {
            // The test closed the listener or the client closed the connection: the stand-in's work is done.
        }
    }

    private static byte[] readFrame(final InputStream in) throws IOException
    {
        final byte[] prefix = in.readNBytes(BinaryProtocol.LENGTH_FIELD_BYTES);
        if (prefix.length < BinaryProtocol.LENGTH_FIELD_BYTES)
        {
            return null;
        }
        final int length = new UnsafeBuffer(prefix).getInt(0, ByteOrder.LITTLE_ENDIAN);
        return in.readNBytes(length);
    }

    private static byte[] welcome()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final WelcomeEncoder e = new WelcomeEncoder().wrapAndApplyHeader(buffer, Frames.MESSAGE_OFFSET,
            new MessageHeaderEncoder())
            .maxFrameBytes(BinaryProtocol.MAX_REQUEST_FRAME_BYTES)
            .maxInFlight(BinaryProtocol.MAX_IN_FLIGHT)
            .engineSequence(0);
        e.principal("admin");
        e.scope("admin");
        final int frameLength = BinaryProtocol.CORRELATION_ID_BYTES + BinaryProtocol.HEADER_BYTES + e.encodedLength();
        buffer.putInt(0, frameLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(BinaryProtocol.LENGTH_FIELD_BYTES, 1, ByteOrder.LITTLE_ENDIAN);
        return Arrays.copyOf(buffer.byteArray(), BinaryProtocol.LENGTH_FIELD_BYTES + frameLength);
    }

    @Test
    void requestsPastTheBoundFailAtOnceAndOutstandingOnesFailOnClose() throws Exception
    {
        final List<CompletableFuture<Availability>> outstanding = new ArrayList<>();
        try (TruestockClient client = TruestockClient.connect("127.0.0.1", listener.getLocalPort(), "token",
            new ClientConfig().maxInFlight(MAX_IN_FLIGHT).connectTimeoutMillis(30_000)))
        {
            assertThat(client.scope()).isEqualTo("admin");
            for (int i = 0; i < MAX_IN_FLIGHT; i++)
            {
                outstanding.add(client.availability("shoe", "shopify"));
            }
            assertThat(sawRequests.await(30, TimeUnit.SECONDS)).as("the requests reached the server").isTrue();
            assertThat(client.inFlight()).isEqualTo(MAX_IN_FLIGHT);

            final CompletableFuture<CommandResult> refused = client.receive("shoe", "oak", 1);
            assertThat(refused).as("failed without waiting").isCompletedExceptionally();
            final TruestockException cause = failure(refused);
            assertThat(cause.code()).isEqualTo("too_many_in_flight");
            assertThat(cause.retryable()).isTrue();
            assertThat(outstanding).noneMatch(CompletableFuture::isDone);
        }
        for (final CompletableFuture<Availability> future : outstanding)
        {
            assertThat(failure(future).code()).isEqualTo("connection_closed");
        }
    }
}
