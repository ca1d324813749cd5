package io.truestock.gateway.api;

import io.truestock.gateway.api.ApiHarness.RawResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.truestock.gateway.api.ApiHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A request the server cannot frame ends its connection: the answer ({@code 400}, {@code 413}, {@code 414} or
 * {@code 431} problem+json) says {@code Connection: close}, the server closes the connection, and a valid stock
 * receive sent right behind it on the same socket is never executed. The same holds behind a request that closes
 * the connection itself ({@code Connection: close}, HTTP/1.0). Where the broken request ends is unknown, so
 * whatever follows it could otherwise be read as a request of its own (request smuggling).
 */
class FramingApiTest
{
    private static final String HEAD = "Host: 127.0.0.1\r\nAuthorization: Bearer " + ApiHarness.ADMIN_TOKEN + "\r\n";
    private static final String RECEIVE = "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":1}";
    /** A valid request that would change stock if it were served. */
    private static final String FOLLOWER = "POST /v1/stock/receive HTTP/1.1\r\n" + HEAD +
        "Content-Type: application/json\r\nContent-Length: " + RECEIVE.length() + "\r\n\r\n" + RECEIVE;
    private static final int OVER_BODY_BOUND = 64 * 1024 + 1;

    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @BeforeEach
    void catalog()
    {
        api.standardCatalog(5, "shoe");
    }

    static Stream<Arguments> unframable()
    {
        return Stream.of(
            arguments("request line over 4 KiB", "GET /v1/skus/" + "x".repeat(5000) + " HTTP/1.1\r\n" + HEAD + "\r\n",
                414),
            arguments("header section over 8 KiB", "GET /v1/skus/shoe HTTP/1.1\r\n" + HEAD + "X-Pad: " +
                "p".repeat(9000) + "\r\n\r\n", 431),
            arguments("Content-Length with Transfer-Encoding", "POST /v1/stock/receive HTTP/1.1\r\n" + HEAD +
                "Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" +
                "0\r\n\r\n", 400),
            arguments("two different Content-Lengths", "POST /v1/stock/receive HTTP/1.1\r\n" + HEAD +
                "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}", 400),
            arguments("a Content-Length that is not a number", "POST /v1/stock/receive HTTP/1.1\r\n" + HEAD +
                "Content-Length: 1x\r\n\r\n{}", 400),
            arguments("an invalid request line", "THIS IS NOT HTTP\r\n\r\n", 400),
            arguments("a request line without a version", "GET /health\r\n\r\n", 400),
            arguments("a header line without a colon", "GET /health HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n", 400),
            arguments("bad chunked encoding", "POST /v1/stock/receive HTTP/1.1\r\n" + HEAD +
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400),
            arguments("a body over the bound, announced", "POST /v1/stock/receive HTTP/1.1\r\n" + HEAD +
                "Content-Type: application/json\r\nContent-Length: " + OVER_BODY_BOUND + "\r\n\r\n" +
                " ".repeat(OVER_BODY_BOUND), 413),
            arguments("a body over the bound, chunked", "POST /v1/stock/receive HTTP/1.1\r\n" + HEAD +
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                Integer.toHexString(OVER_BODY_BOUND) + "\r\n" + " ".repeat(OVER_BODY_BOUND) + "\r\n0\r\n\r\n", 413),
            arguments("a body over the bound with Expect: 100-continue", "POST /v1/stock/receive HTTP/1.1\r\n" + HEAD +
                "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " + OVER_BODY_BOUND +
                "\r\n\r\n", 413));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unframable")
    void anUnframableRequestClosesTheConnectionAndNothingBehindItIsServed(
        final String what, final String request, final int status) throws IOException
    {
        final long onHand = api.stockAt("shoe", "oak").path("on_hand").asLong();
        final long sequence = api.sequence();

        final RawResponse answer;
        final boolean closed;
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            socket.setSoTimeout((int)ApiHarness.REQUEST_TIMEOUT.toMillis());
            final OutputStream out = socket.getOutputStream();
            out.write((request + FOLLOWER).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            final InputStream in = socket.getInputStream();
            answer = ApiHarness.readResponse(in);
            closed = closedByServer(in);
        }

        assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(status);
        assertThat(answer.headers().get("connection")).as(what).isEqualToIgnoringCase("close");
        assertThat(answer.headers().get("content-type")).as(what).startsWith(ApiHarness.PROBLEM_JSON);
        assertThat(parse(answer.body()).path("status").asInt()).as(what).isEqualTo(status);
        assertThat(parse(answer.body()).path("code").asText()).as(what)
            .isEqualTo(status == 413 ? "payload_too_large" : "invalid_request");
        assertThat(closed).as(what + ": the server closed the connection after its answer").isTrue();
        assertThat(api.stockAt("shoe", "oak").path("on_hand").asLong()).as(what + ": the receive behind it")
            .isEqualTo(onHand);
        assertThat(api.sequence()).as(what + ": no command reached the writer").isEqualTo(sequence);
    }

    static Stream<Arguments> closing()
    {
        return Stream.of(
            arguments("Connection: close", "GET /v1/skus/shoe HTTP/1.1\r\n" + HEAD + "Connection: close\r\n\r\n"),
            arguments("HTTP/1.0 without keep-alive", "GET /v1/skus/shoe HTTP/1.0\r\n" + HEAD + "\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closing")
    void nothingPipelinedAfterARequestThatClosesTheConnectionIsServed(final String what, final String request)
        throws IOException
    {
        final long onHand = api.stockAt("shoe", "oak").path("on_hand").asLong();

        final RawResponse answer;
        final boolean closed;
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            socket.setSoTimeout((int)ApiHarness.REQUEST_TIMEOUT.toMillis());
            socket.getOutputStream().write((request + FOLLOWER).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            answer = ApiHarness.readResponse(socket.getInputStream());
            closed = closedByServer(socket.getInputStream());
        }

        assertThat(answer.status()).as(what).isEqualTo(200);
        assertThat(answer.headers().get("connection")).as(what).isEqualToIgnoringCase("close");
        assertThat(closed).as(what + ": closed after the answer, the receive behind it unanswered").isTrue();
        assertThat(api.stockAt("shoe", "oak").path("on_hand").asLong()).as(what + ": the receive behind it")
            .isEqualTo(onHand);
    }

    @org.junit.jupiter.api.Test
    void theFollowerIsServedBehindAWellFramedRequest() throws IOException
    {
        final long onHand = api.stockAt("shoe", "oak").path("on_hand").asLong();

        final RawResponse first;
        final RawResponse second;
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            socket.setSoTimeout((int)ApiHarness.REQUEST_TIMEOUT.toMillis());
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/skus/shoe HTTP/1.1\r\n" + HEAD + "\r\n" + FOLLOWER).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            first = ApiHarness.readResponse(socket.getInputStream());
            second = ApiHarness.readResponse(socket.getInputStream());
        }

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers().get("connection")).isEqualToIgnoringCase("keep-alive");
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(api.stockAt("shoe", "oak").path("on_hand").asLong()).isEqualTo(onHand + 1);
    }

    /**
     * True when the next read finds the connection closed (an orderly close or a reset); false on more bytes, or
     * when the connection is still open at the read timeout.
     */
    private static boolean closedByServer(final InputStream in) throws IOException
    {
        try
        {
            return in.read() == -1;
        }
        catch (final SocketTimeoutException open)
        {
            return false;
        }
        catch (final SocketException reset)
        {
            return true;
        }
    }
}
