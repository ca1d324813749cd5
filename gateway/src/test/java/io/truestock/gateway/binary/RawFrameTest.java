package io.truestock.gateway.binary;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.AvailabilityDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol byte by byte over a plain socket against a real server: pipelined and split frames, and every kind
 * of frame a broken or hostile client can send. Garbage gets a closing Error and the end of the connection; a
 * well-formed request the server cannot serve gets an Error and the connection goes on; and after each, the server
 * still serves a new connection.
 */
class RawFrameTest
{
    private static final String TOKEN = "secret";
    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;

    @TempDir
    Path dir;
    private TruestockServer server;

    @BeforeEach
    void start() throws Exception
    {
        final ServerConfig config = new ServerConfig().dataDir(dir).httpPort(0).binaryPort(0).adminToken(TOKEN);
        config.engine().maxSkus(64).maxLocations(4).maxChannels(4);
        server = TruestockServer.start(config);
        server.runtime().submit(c -> c.defineLocation("oak", LocationSpec.named("Oakland"))).get();
        server.runtime().submit(c -> c.defineChannel("shopify", ChannelSpec.named("Shopify"))).get();
        server.runtime().submit(c -> c.defineSku("shoe", SkuSpec.simple("Shoe", 8999, "USD"))).get();
        server.runtime().submit(c -> c.receive("shoe", "oak", 10)).get();
    }

    @AfterEach
    void serverStillServes() throws IOException
    {
        try
        {
            try (Connection fresh = new Connection())
            {
                fresh.hello();
                fresh.send(Frames.availability(99, "shoe", "shopify"));
                final Frames.Response answer = fresh.read();
                assertThat(answer.correlationId()).isEqualTo(99);
                assertThat(answer.templateId()).isEqualTo(BinaryProtocol.AVAILABILITY);
            }
        }
        finally
        {
            server.close();
        }
    }

    /** A plain socket to the server's binary port. */
    private final class Connection implements AutoCloseable
    {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection() throws IOException
        {
            socket = new Socket("127.0.0.1", server.binaryPort());
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(final byte[] bytes) throws IOException
        {
            out.write(bytes);
            out.flush();
        }

        Frames.Response read() throws IOException
        {
            return Frames.read(in);
        }

        void hello() throws IOException
        {
            send(Frames.hello(1, TOKEN));
            final Frames.Response welcome = read();
            assertThat(welcome.templateId()).isEqualTo(BinaryProtocol.WELCOME);
            assertThat(welcome.correlationId()).isEqualTo(1);
        }

        /** The next frame is a closing Error of this code, and then the server ends the connection. */
        Frames.Error expectClosingError(final long correlationId, final String code) throws IOException
        {
            final Frames.Response response = read();
            assertThat(response).as("an Error before the connection ends").isNotNull();
            assertThat(response.correlationId()).isEqualTo(correlationId);
            final Frames.Error error = response.error();
            assertThat(error.code()).as(error.message()).isEqualTo(code);
            assertThat(error.closing()).isTrue();
            assertThat(read()).as("the end of the connection").isNull();
            return error;
        }

        Frames.Error expectError(final long correlationId, final String code) throws IOException
        {
            final Frames.Response response = read();
            assertThat(response.correlationId()).isEqualTo(correlationId);
            final Frames.Error error = response.error();
            assertThat(error.code()).as(error.message()).isEqualTo(code);
            assertThat(error.closing()).isFalse();
            return error;
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    private static byte[] lengthPrefix(final int length)
    {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array();
    }

    // ---- well-formed traffic ----

    @Test
    void framesPipelinedInOneWriteAreEachAnsweredByCorrelationId() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.send(Frames.concat(Frames.hello(1, TOKEN), Frames.availability(2, "shoe", "shopify"),
                Frames.command(3, new Command(0).receive("shoe", "oak", 5)), Frames.offer(4, "shoe", "shopify", 20),
                Frames.availability(5, "boot", "shopify")));
            final Map<Long, Integer> answers = new HashMap<>();
            for (int i = 0; i < 5; i++)
            {
                final Frames.Response response = connection.read();
                answers.put(response.correlationId(), response.templateId());
                if (response.correlationId() == 2)
                {
                    final AvailabilityDecoder availability = new AvailabilityDecoder().wrap(response.message(),
                        BinaryProtocol.HEADER_BYTES, AvailabilityDecoder.BLOCK_LENGTH, AvailabilityDecoder.SCHEMA_VERSION);
                    assertThat(availability.available()).isEqualTo(10);
                }
            }
            assertThat(answers).containsExactlyInAnyOrderEntriesOf(Map.of(1L, BinaryProtocol.WELCOME,
                2L, BinaryProtocol.AVAILABILITY, 3L, BinaryProtocol.COMMAND_OUTCOME, 4L, BinaryProtocol.OFFER,
                5L, BinaryProtocol.ERROR));
        }
    }

    @Test
    void aFrameSplitAcrossWritesIsReassembled() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            final byte[] frame = Frames.availability(7, "shoe", "shopify");
            for (final byte b : frame)
            {
                connection.send(new byte[] {b});
            }
            assertThat(connection.read().templateId()).isEqualTo(BinaryProtocol.AVAILABILITY);
        }
    }

    // ---- authentication ----

    @Test
    void aRequestBeforeHelloIsRefusedAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.send(Frames.availability(3, "shoe", "shopify"));
            connection.expectClosingError(3, "unauthorized");
        }
    }

    @Test
    void anUnknownTokenIsRefusedAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.send(Frames.hello(4, "guess"));
            connection.expectClosingError(4, "unauthorized");
        }
    }

    @Test
    void aSecondHelloIsAnErrorOnly() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            connection.send(Frames.hello(2, TOKEN));
            connection.expectError(2, "invalid_request");
            connection.send(Frames.availability(3, "shoe", "shopify"));
            assertThat(connection.read().templateId()).isEqualTo(BinaryProtocol.AVAILABILITY);
        }
    }

    // ---- garbage: answered, then closed ----

    @Test
    void anOversizedFrameIsAnsweredAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            connection.send(Frames.concat(lengthPrefix(BinaryProtocol.MAX_REQUEST_FRAME_BYTES + 1), new byte[64]));
            final Frames.Error error = connection.expectClosingError(0, "frame_too_large");
            assertThat(error.message()).contains(String.valueOf(BinaryProtocol.MAX_REQUEST_FRAME_BYTES));
        }
    }

    @Test
    void aLengthShorterThanAHeaderIsAnsweredAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            connection.send(Frames.concat(lengthPrefix(3), new byte[3]));
            connection.expectClosingError(0, "malformed");
        }
    }

    @Test
    void aNegativeLengthIsAnsweredAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.send(Frames.concat(lengthPrefix(-1), new byte[16]));
            connection.expectClosingError(0, "malformed");
        }
    }

    @Test
    void aForeignSchemaIsAnsweredAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            connection.send(Frames.raw(8, 999, BinaryProtocol.AVAILABILITY_QUERY, 1, 0, new byte[] {0, 0, 0, 0}));
            connection.expectClosingError(8, "malformed");
        }
    }

    @Test
    void aBodyThatRunsPastItsFrameIsAnsweredAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            // A string length of 200 with 2 bytes behind it.
            connection.send(Frames.raw(9, BinaryProtocol.SCHEMA_ID, BinaryProtocol.AVAILABILITY_QUERY, 1, 0,
                new byte[] {(byte)200, 0, 'a', 'b'}));
            connection.expectClosingError(9, "malformed");
        }
    }

    @Test
    void aBlockLongerThanItsFrameIsAnsweredAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            connection.send(Frames.raw(10, BinaryProtocol.SCHEMA_ID, BinaryProtocol.OFFER_QUERY, 1, 500, new byte[8]));
            connection.expectClosingError(10, "malformed");
        }
    }

    @Test
    void anUndecodableCommandIsAnsweredAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            final byte[] whole = Frames.command(11, new Command(1).reserve("shopify", 60).addLine("shoe", 1));
            final int kept = whole.length - 6;
            final byte[] cut = Frames.prefix(whole, kept);
            ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN).putInt(0, kept - BinaryProtocol.LENGTH_FIELD_BYTES);
            connection.send(cut);
            connection.expectClosingError(11, "malformed");
        }
    }

    @Test
    void trailingBytesAfterAMessageAreAnsweredAndClosed() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            final byte[] query = Frames.availability(12, "shoe", "shopify");
            final byte[] padded = Frames.concat(query, new byte[] {1, 2, 3});
            ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN).putInt(0, padded.length - BinaryProtocol.LENGTH_FIELD_BYTES);
            connection.send(padded);
            connection.expectClosingError(12, "malformed");
        }
    }

    // ---- well-formed but not servable: answered, the connection goes on ----

    @Test
    void anUnknownMessageTypeIsAnsweredAndTheConnectionGoesOn() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            connection.send(Frames.raw(13, BinaryProtocol.SCHEMA_ID, 150, 1, 0, new byte[0]));
            connection.expectError(13, "unknown_message");
            connection.send(Frames.raw(14, BinaryProtocol.SCHEMA_ID, BinaryProtocol.ERROR, 1, 0, new byte[0]));
            connection.expectError(14, "unknown_message");
            connection.send(Frames.raw(15, BinaryProtocol.SCHEMA_ID, BinaryProtocol.AVAILABILITY_QUERY, 99, 0,
                new byte[] {0, 0, 0, 0}));
            connection.expectError(15, "unsupported_version");
            connection.send(Frames.availability(16, "shoe", "shopify"));
            assertThat(connection.read().correlationId()).isEqualTo(16);
        }
    }

    @Test
    void aCommandWithTooManyLinesIsAnsweredAndTheConnectionGoesOn() throws IOException
    {
        try (Connection connection = new Connection())
        {
            connection.hello();
            final int lines = server.engine().config().maxLinesPerCommand() + 1;
            final Command many = new Command(lines).reserve("shopify", 60);
            for (int i = 0; i < lines; i++)
            {
                many.addLine("shoe", 1);
            }
            connection.send(Frames.command(17, many));
            connection.expectError(17, "invalid_request");
            connection.send(Frames.command(18, new Command(0).receive("shoe", "oak", 1).stamp(5, 5)));
            connection.expectError(18, "invalid_request");
            connection.send(Frames.availability(19, "shoe", "shopify"));
            assertThat(connection.read().correlationId()).isEqualTo(19);
        }
    }
}
