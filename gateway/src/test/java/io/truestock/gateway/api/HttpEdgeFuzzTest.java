package io.truestock.gateway.api;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random and mutated HTTP requests against a real server on an ephemeral port (the real codec, connection handler,
 * API, agent protocols and engine, with a clock that stands still and no ticker, so that nothing changes unless a
 * request changes it). Each input is one to three requests written at once on a fresh connection: a method, a path
 * from the real routes with ids filled in, headers (keys of each scope, content types, idempotency and agent headers,
 * random ones), a body from the route's valid one mutated (trailing content, truncation, flipped and inserted bytes,
 * nasty values, duplicate keys, other shapes) and a framing (right or wrong Content-Length, chunked, both, none),
 * optionally followed by raw bytes. It fails on:
 * <ul>
 *     <li>any 5xx but {@code 503} (a designed bound);</li>
 *     <li>a hang: a well-formed request left unanswered, or an answer left half-written;</li>
 *     <li>an answer that is not HTTP, a 4xx problem that is not JSON, a framing refusal without
 *     {@code Connection: close}, or anything after an answer that said {@code Connection: close};</li>
 *     <li>a state change when every answer was a refusal: no command may reach the writer, or if one did (a
 *     rejection by the engine) the stock and reservations read back the same, and no API key is made.</li>
 * </ul>
 * Plain {@code mvn verify} runs only the seeds in {@code HttpEdgeFuzzTestInputs}. To fuzz:
 * {@code JAZZER_FUZZ=1 mvn -B -o test -pl gateway -am -Dtest=HttpEdgeFuzzTest -Dsurefire.failIfNoSpecifiedTests=false},
 * which runs for {@code maxDuration} below. Findings are written as {@code crash-*} files beside the module and can
 * be replayed by moving them into the inputs directory.
 */
class HttpEdgeFuzzTest
{
    private static final long NOW = 1_800_000_000_000L;
    private static final int ANSWER_MILLIS = 10_000;
    private static final int QUIET_MILLIS = 150;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SKUS = {"shoe", "boot", "nope", "bundle", "s..:-_", "%2e%2e", "x".repeat(65)};
    private static final String[] LOCATIONS = {"oak", "nj", "nowhere", ""};
    private static final String[] CHANNELS = {"shopify", "amazon", "ghost", "SHOPIFY"};
    private static final String[] ORDERS = {"o-1", "o-2", "o?x", "o%20y"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "get"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
        "text/plain", "application/x-www-form-urlencoded", null};
    private static final String[] VALUES = {"-1", "0", "1e400", "9223372036854775808", "1.5", "\"\"", "null", "[]",
        "{}", "true", "\"" + "v".repeat(300) + "\"", "\"\\u0000\"", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]",
        "\"\\ud800\"", "-0", "1000001", "\"shoe\""};
    /** Method, path template, a body the route accepts (null: none). */
    private static final String[][] ROUTES = {
        {"GET", "/health", null},
        {"GET", "/metrics", null},
        {"GET", "/v1/openapi.json", null},
        {"PUT", "/v1/locations/{loc}", "{\"name\":\"Oak\",\"country\":\"US\",\"priority\":1,\"cutoff\":\"14:00\"}"},
        {"PUT", "/v1/channels/{chan}", "{\"name\":\"Shop\",\"locations\":[\"oak\"],\"percent\":100,\"buffer\":0}"},
        {"GET", "/v1/channels/{chan}/sync", null},
        {"POST", "/v1/channels/{chan}/reconcile", null},
        {"POST", "/v1/channels/{chan}/webhooks/orders", "{\"id\":1,\"line_items\":[{\"sku\":\"shoe\",\"quantity\":1}]}"},
        {"GET", "/v1/skus/{sku}", null},
        {"PUT", "/v1/skus/{sku}", "{\"title\":\"Shoe\",\"price\":{\"amount\":8999,\"currency\":\"USD\"}}"},
        {"PUT", "/v1/skus/{sku}", "{\"title\":\"Kit\",\"price\":{\"amount\":1,\"currency\":\"USD\"},\"components\":" +
            "[{\"sku\":\"shoe\",\"qty\":2}]}"},
        {"PUT", "/v1/skus/{sku}/prices", "{\"base\":{\"amount\":5200,\"currency\":\"USD\"},\"channels\":{\"amazon\":" +
            "{\"amount\":5300,\"currency\":\"USD\"}}}"},
        {"GET", "/v1/skus/{sku}/prices", null},
        {"GET", "/v1/carriers", null},
        {"PUT", "/v1/carriers/{loc}", "{\"name\":\"UPS\",\"services\":[{\"id\":\"ground\",\"name\":\"Ground\"," +
            "\"zones\":[{\"location\":\"oak\",\"country\":\"US\",\"min_transit_days\":1,\"max_transit_days\":2}]}]}"},
        {"POST", "/v1/stock/receive", "{\"sku\":\"{sku}\",\"location\":\"{loc}\",\"qty\":1}"},
        {"POST", "/v1/stock/adjust", "{\"sku\":\"{sku}\",\"location\":\"{loc}\",\"delta\":-1,\"reason\":\"count\"}"},
        {"POST", "/v1/stock/set", "{\"sku\":\"{sku}\",\"location\":\"{loc}\",\"on_hand\":20,\"safety\":1}"},
        {"GET", "/v1/availability/{sku}?channel={chan}", null},
        {"GET", "/v1/availability?channel={chan}&skus={sku},boot", null},
        {"GET", "/v1/offers/{sku}?channel={chan}&qty=1&country=US&postal_code=94607", null},
        {"POST", "/v1/reservations", "{\"channel\":\"{chan}\",\"lines\":[{\"sku\":\"{sku}\",\"qty\":1}]," +
            "\"ttl_seconds\":900}"},
        {"GET", "/v1/reservations/{res}", null},
        {"DELETE", "/v1/reservations/{res}", null},
        {"POST", "/v1/reservations/{res}/extend", "{\"ttl_seconds\":600}"},
        {"POST", "/v1/reservations/{res}/confirm", "{\"order_id\":\"{order}\",\"destination\":{\"country\":\"US\"}}"},
        {"POST", "/v1/orders", "{\"channel\":\"{chan}\",\"order_id\":\"{order}\",\"lines\":[{\"sku\":\"{sku}\"," +
            "\"qty\":1}]}"},
        {"GET", "/v1/orders/{order}?channel={chan}", null},
        {"POST", "/v1/orders/{order}/cancel?channel={chan}", null},
        {"POST", "/v1/orders/{order}/ship?channel={chan}", null},
        {"GET", "/v1/api-keys", null},
        {"POST", "/v1/api-keys", "{\"scope\":\"channel:{chan}\",\"name\":\"k\",\"rate_limit\":{\"reads_per_second\":5}}"},
        {"DELETE", "/v1/api-keys/{order}", null},
        {"GET", "/v1/audit?limit=2", null},
        {"POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"reserve\"," +
            "\"arguments\":{\"channel\":\"{chan}\",\"lines\":[{\"sku\":\"{sku}\",\"qty\":1}]}}}"},
        {"POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/list\"}"},
        {"POST", "/acp/checkout_sessions", "{\"currency\":\"usd\",\"line_items\":[{\"id\":\"{sku}\",\"quantity\":1}]," +
            "\"fulfillment_details\":{\"name\":\"Ada\",\"address\":{\"name\":\"Ada\",\"line_one\":\"1 Main\"," +
            "\"city\":\"Oakland\",\"state\":\"CA\",\"country\":\"US\",\"postal_code\":\"94607\"}}}"},
        {"POST", "/ucp/checkout-sessions", "{\"line_items\":[{\"item\":{\"id\":\"{sku}\"},\"quantity\":1}]}"},
        {"POST", "/ucp/catalog/search", "{\"query\":\"shoe\",\"pagination\":{\"limit\":2}}"},
        {"GET", "/.well-known/ucp", null},
        {"GET", "/.well-known/acp.json", null},
    };

    private static Path dataDir;
    private static TruestockServer server;
    private static String agentKey;
    private static String channelKey;
    private static String held;

    @BeforeAll
    static void start() throws Exception
    {
        dataDir = Files.createTempDirectory("truestock-fuzz-");
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(NOW);
        final ServerConfig config = new ServerConfig().dataDir(dataDir).httpPort(0).binaryPort(-1)
            .adminToken(ApiHarness.ADMIN_TOKEN).ioThreads(2).clock(clock);
        config.engine().maxSkus(64).maxLocations(4).maxChannels(4).maxOpenReservations(256)
            .maxRetainedReservations(256).maxOrders(256).maxIdempotencyEntries(4096);
        config.runtime().tickIntervalMillis(0);
        config.checkout().sandbox(true);
        server = TruestockServer.start(config);
        setUp("PUT", "/v1/locations/oak", "{\"name\":\"Oakland\",\"country\":\"US\"}");
        setUp("PUT", "/v1/channels/shopify", "{\"name\":\"Shopify\"}");
        setUp("PUT", "/v1/channels/amazon", "{\"name\":\"Amazon\"}");
        setUp("PUT", "/v1/skus/shoe", "{\"title\":\"Shoe\",\"price\":{\"amount\":8999,\"currency\":\"USD\"}}");
        setUp("PUT", "/v1/skus/boot", "{\"title\":\"Boot\",\"price\":{\"amount\":9999,\"currency\":\"USD\"}}");
        setUp("POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":1000}");
        setUp("POST", "/v1/stock/receive", "{\"sku\":\"boot\",\"location\":\"oak\",\"qty\":1000}");
        held = setUp("POST", "/v1/reservations", "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}")
            .path("id").asText();
        agentKey = setUp("POST", "/v1/api-keys", "{\"scope\":\"agent\"}").path("key").asText();
        channelKey = setUp("POST", "/v1/api-keys", "{\"scope\":\"channel:shopify\"}").path("key").asText();
    }

    @AfterAll
    static void stop() throws IOException
    {
        if (server != null)
        {
            server.close();
        }
        try (Stream<Path> paths = Files.walk(dataDir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void refusedRequestsChangeNothingAndNothingFails(final FuzzedDataProvider data) throws Exception
    {
        // The test talks to its own server on loopback, never to a host the input names.
        try (SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, port) ->
            host.equals("127.0.0.1") || host.equals("localhost")))
        {
            exchange(data);
        }
    }

    private static void exchange(final FuzzedDataProvider data) throws Exception
    {
        final int count = data.consumeInt(1, 3);
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        boolean firstClean = false;
        for (int i = 0; i < count; i++)
        {
            final boolean clean = request(data, wire);
            firstClean |= i == 0 && clean;
        }
        if (data.consumeBoolean())
        {
            wire.write(data.consumeBytes(256));
        }

        final long sequence = server.engine().lastSequence();
        final String stateBefore = state();
        final int keysBefore = server.keys().list().size();
        final List<Answer> answers = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", server.httpPort()))
        {
            final OutputStream out = socket.getOutputStream();
            try
            {
                out.write(wire.toByteArray());
                out.flush();
            }
            catch (final SocketException closed)
            {
                // The server may close (after a framing refusal) before it has read everything written.
            }
            read(socket, firstClean, answers);
        }
        awaitQuiet();

        boolean accepted = false;
        for (final Answer answer : answers)
        {
            accepted |= answer.status < 400;
        }
        if (!answers.isEmpty() && !accepted)
        {
            assertThat(server.keys().list().size()).as("API keys after refusals only: %s", answers)
                .isEqualTo(keysBefore);
            if (server.engine().lastSequence() != sequence)
            {
                assertThat(state()).as("state after refusals only: %s", answers).isEqualTo(stateBefore);
            }
        }
    }

    /** Appends one request; true when it is well-formed enough that it must be answered. */
    private static boolean request(final FuzzedDataProvider data, final ByteArrayOutputStream wire)
        throws IOException
    {
        final String[] route = ROUTES[data.consumeInt(0, ROUTES.length - 1)];
        final boolean sameMethod = data.consumeInt(0, 9) < 8;
        final String method = sameMethod ? route[0] : data.consumeBoolean() ?
            METHODS[data.consumeInt(0, METHODS.length - 1)] : data.consumeString(8);
        String path = fill(data, route[1]);
        final int pathMutation = data.consumeInt(0, 7);
        boolean clean = sameMethod || Stream.of(METHODS).anyMatch(method::equals);
        switch (pathMutation)
        {
            case 1 -> path = path + data.consumeAsciiString(8);
            case 2 -> path = path.replaceFirst("/", "//");
            case 3 -> path = path + "/../health";
            case 4 -> path = path + (path.contains("?") ? "&" : "?") + data.consumeAsciiString(12);
            default ->
            {
            }
        }
        if (pathMutation == 1 || pathMutation == 4)
        {
            clean &= isPrintableWithoutSpace(path);
        }
        final boolean http11 = data.consumeInt(0, 9) < 9;
        final String version = http11 ? "HTTP/1.1" : data.consumeBoolean() ? "HTTP/1.0" : data.consumeString(9);
        clean &= !version.isEmpty() && version.startsWith("HTTP/1.");

        final byte[] body = body(data, route[2] == null ? null : fill(data, route[2]));
        final StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append(' ')
            .append(version).append("\r\n").append("Host: 127.0.0.1\r\n");
        final int auth = data.consumeInt(0, 5);
        switch (auth)
        {
            case 0, 1 -> head.append("Authorization: Bearer ").append(ApiHarness.ADMIN_TOKEN).append("\r\n");
            case 2 -> head.append("Authorization: Bearer ").append(agentKey).append("\r\n");
            case 3 -> head.append("Authorization: Bearer ").append(channelKey).append("\r\n");
            case 4 -> head.append("Authorization: ").append(data.consumeAsciiString(20)).append("\r\n");
            default ->
            {
            }
        }
        final String contentType = CONTENT_TYPES[data.consumeInt(0, CONTENT_TYPES.length - 1)];
        if (contentType != null)
        {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        final int idempotency = data.consumeInt(0, 3);
        if (idempotency == 1)
        {
            head.append("Idempotency-Key: k-").append(data.consumeInt(0, 20)).append("\r\n");
        }
        else if (idempotency == 2)
        {
            head.append("Idempotency-Key: ").append(data.consumeAsciiString(300)).append("\r\n");
        }
        if (data.consumeInt(0, 3) > 0)
        {
            head.append("API-Version: 2026-04-17\r\nUCP-Agent: profile=\"https://agent.example/.well-known/ucp\"\r\n")
                .append("Request-Id: r-1\r\nAccept: application/json, text/event-stream\r\n")
                .append("MCP-Protocol-Version: 2025-11-25\r\n");
        }
        if (data.consumeInt(0, 7) == 0)
        {
            final String name = data.consumeAsciiString(12);
            final String value = data.consumeAsciiString(40);
            head.append(name).append(": ").append(value).append("\r\n");
            clean = false;
        }
        if (data.consumeInt(0, 9) == 0)
        {
            head.append("Connection: close\r\n");
        }
        final int framing = data.consumeInt(0, 7);
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        switch (framing)
        {
            case 4 ->
            {
                head.append("Transfer-Encoding: chunked\r\n");
                int from = 0;
                while (from < body.length)
                {
                    final int size = Math.min(body.length - from, data.consumeInt(1, 64));
                    payload.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    payload.write(body, from, size);
                    payload.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    from += size;
                }
                payload.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            case 5 ->
            {
                head.append("Content-Length: ").append(Math.max(0, body.length + data.consumeInt(-3, 3)))
                    .append("\r\n");
                payload.write(body);
                clean = false;
            }
            case 6 ->
            {
                head.append("Content-Length: ").append(body.length).append("\r\nTransfer-Encoding: chunked\r\n");
                payload.write(body);
                clean = false;
            }
            case 7 ->
            {
                payload.write(body);
                clean &= body.length == 0;
            }
            default ->
            {
                head.append("Content-Length: ").append(body.length).append("\r\n");
                payload.write(body);
            }
        }
        head.append("\r\n");
        wire.write(head.toString().getBytes(StandardCharsets.UTF_8));
        wire.write(payload.toByteArray());
        return clean && isPrintableHead(head);
    }

    private static String fill(final FuzzedDataProvider data, final String template)
    {
        return template
            .replace("{sku}", SKUS[data.consumeInt(0, SKUS.length - 1)])
            .replace("{loc}", LOCATIONS[data.consumeInt(0, LOCATIONS.length - 1)])
            .replace("{chan}", CHANNELS[data.consumeInt(0, CHANNELS.length - 1)])
            .replace("{order}", ORDERS[data.consumeInt(0, ORDERS.length - 1)])
            .replace("{res}", data.consumeBoolean() ? held : "r-" + data.consumeInt(0, 99));
    }

    /** The route's body, mutated; empty when there is none. */
    private static byte[] body(final FuzzedDataProvider data, final String valid)
    {
        final String base = valid == null ? "" : valid;
        final int mutation = data.consumeInt(0, 11);
        final String text = switch (mutation)
        {
            case 1 -> base + data.consumeString(8);
            case 2 -> base.substring(0, data.consumeInt(0, base.length()));
            case 3 -> flip(data, base);
            case 4 ->
            {
                final int at = data.consumeInt(0, base.length());
                yield base.substring(0, at) + data.consumeString(16) + base.substring(at);
            }
            case 5 -> replaceValue(data, base);
            case 6 -> base.startsWith("{\"") && base.indexOf(',') > 0 ?
                "{" + base.substring(1, base.indexOf(',') + 1) + base.substring(1) : base;
            case 7 -> "[" + base + "]";
            case 8 -> data.consumeString(64);
            case 9 -> "";
            case 10 -> replaceValue(data, replaceValue(data, base));
            default -> base;
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String flip(final FuzzedDataProvider data, final String base)
    {
        if (base.isEmpty())
        {
            return base;
        }
        final char[] chars = base.toCharArray();
        final int at = data.consumeInt(0, chars.length - 1);
        chars[at] = (char)(chars[at] ^ (1 << data.consumeInt(0, 6)));
        return new String(chars);
    }

    /** Replaces the value after one of the body's colons with a nasty one. */
    private static String replaceValue(final FuzzedDataProvider data, final String base)
    {
        final List<Integer> colons = new ArrayList<>();
        for (int i = 0; i < base.length(); i++)
        {
            if (base.charAt(i) == ':')
            {
                colons.add(i);
            }
        }
        if (colons.isEmpty())
        {
            return base;
        }
        final int colon = colons.get(data.consumeInt(0, colons.size() - 1));
        int end = colon + 1;
        int depth = 0;
        boolean quoted = false;
        while (end < base.length())
        {
            final char c = base.charAt(end);
            if (quoted)
            {
                quoted = c != '"' || base.charAt(end - 1) == '\\';
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '{' || c == '[')
            {
                depth++;
            }
            else if (c == '}' || c == ']' || c == ',')
            {
                if (depth == 0)
                {
                    break;
                }
                if (c != ',')
                {
                    depth--;
                }
            }
            end++;
        }
        return base.substring(0, colon + 1) + VALUES[data.consumeInt(0, VALUES.length - 1)] + base.substring(end);
    }

    private static boolean isPrintableWithoutSpace(final String text)
    {
        return text.chars().allMatch(c -> c > ' ' && c < 127);
    }

    private static boolean isPrintableHead(final CharSequence head)
    {
        for (int i = 0; i < head.length(); i++)
        {
            final char c = head.charAt(i);
            if ((c < ' ' && c != '\r' && c != '\n') || c >= 127)
            {
                return false;
            }
        }
        return true;
    }

    // ---- answers ----

    /** One answer: its status, whether it said Connection: close, and its body. */
    private record Answer(int status, boolean close, String contentType, String body)
    {
        @Override
        public String toString()
        {
            return status + (close ? " close " : " ") + (body.length() > 200 ? body.substring(0, 200) : body);
        }
    }

    /**
     * Reads answers until the server closes, falls quiet, or streams. The first answer to a well-formed first
     * request must come within the answer timeout; a half-written answer is a hang.
     */
    private static void read(final Socket socket, final boolean mustAnswer, final List<Answer> answers)
        throws IOException, InterruptedException
    {
        final InputStream in = socket.getInputStream();
        boolean closeSaid = false;
        while (true)
        {
            socket.setSoTimeout(mustAnswer && answers.isEmpty() || closeSaid ? ANSWER_MILLIS : QUIET_MILLIS);
            final int first;
            try
            {
                first = in.read();
            }
            catch (final SocketTimeoutException quiet)
            {
                if (mustAnswer && answers.isEmpty())
                {
                    fail("a well-formed request was not answered within " + ANSWER_MILLIS + " ms");
                }
                if (closeSaid)
                {
                    fail("the connection stays open " + ANSWER_MILLIS + " ms after an answer said Connection: close");
                }
                if (server.runtime().backlog() > 0)
                {
                    awaitQuiet();
                    continue;
                }
                return;
            }
            catch (final SocketException reset)
            {
                return;
            }
            if (first == -1)
            {
                return;
            }
            assertThat(closeSaid).as("bytes after an answer that said Connection: close").isFalse();
            socket.setSoTimeout(ANSWER_MILLIS);
            final Answer answer = answer(first, in);
            if (answer == null)
            {
                return;
            }
            if (answer.status == 100)
            {
                continue;
            }
            check(answer);
            answers.add(answer);
            closeSaid = answer.close;
        }
    }

    /** One answer whose first byte was read; null when it is a stream (no length), which is left alone. */
    private static Answer answer(final int first, final InputStream in) throws IOException
    {
        final String statusLine = (char)first + line(in);
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12)
        {
            return fail("not a status line: " + statusLine);
        }
        final int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean close = false;
        String contentType = "";
        String header;
        while (!(header = line(in)).isEmpty())
        {
            final int colon = header.indexOf(':');
            final String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            final String value = header.substring(colon + 1).trim();
            switch (name)
            {
                case "content-length" -> length = Integer.parseInt(value);
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "content-type" -> contentType = value;
                default ->
                {
                }
            }
        }
        if (length < 0)
        {
            return status == 100 ? new Answer(100, false, "", "") : null;
        }
        final byte[] body = in.readNBytes(length);
        if (body.length != length)
        {
            return fail("an answer cut short: " + statusLine);
        }
        return new Answer(status, close, contentType, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n')
        {
            if (b == -1)
            {
                return fail("the connection closed in the middle of an answer");
            }
            line.write(b);
        }
        final String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static void check(final Answer answer)
    {
        assertThat(answer.status).as("status of %s", answer).isBetween(200, 599);
        if (answer.status >= 500)
        {
            assertThat(answer.status).as("a 5xx other than a designed 503: %s", answer).isEqualTo(503);
        }
        if (answer.status >= 400 && answer.contentType.contains("json"))
        {
            try
            {
                JSON.readTree(answer.body);
            }
            catch (final IOException ex)
            {
                fail("a refusal whose body is not JSON: " + answer);
            }
        }
        if (answer.status == 413 || answer.status == 414 || answer.status == 431 ||
            answer.body.contains("malformed HTTP request"))
        {
            assertThat(answer.close).as("a framing refusal says Connection: close: %s", answer).isTrue();
        }
    }

    // ---- state ----

    /** Waits until the ring holds nothing unanswered. */
    private static void awaitQuiet() throws InterruptedException
    {
        for (int i = 0; i < 1000 && server.runtime().backlog() > 0; i++)
        {
            Thread.sleep(1);
        }
    }

    /** Stock, prices and reservations as the API reads them back, less the version numbers. */
    private static String state() throws Exception
    {
        final StringBuilder state = new StringBuilder();
        for (final String sku : new String[]{"shoe", "boot", "bundle"})
        {
            state.append(withoutVersions(get("/v1/skus/" + sku))).append('\n');
        }
        state.append(withoutVersions(get("/v1/reservations/" + held))).append('\n');
        for (final String order : ORDERS)
        {
            state.append(withoutVersions(get("/v1/orders/" + order + "?channel=shopify"))).append('\n');
        }
        return state.toString();
    }

    private static JsonNode withoutVersions(final JsonNode node)
    {
        if (node instanceof ObjectNode object)
        {
            object.remove("version");
            object.remove("updated_at");
        }
        final Iterator<JsonNode> children = node.elements();
        while (children.hasNext())
        {
            withoutVersions(children.next());
        }
        return node;
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static JsonNode get(final String path) throws Exception
    {
        return send("GET", path, null).body;
    }

    private static JsonNode setUp(final String method, final String path, final String body) throws Exception
    {
        final Reply reply = send(method, path, body);
        assertThat(reply.status).as("%s %s -> %s", method, path, reply.body).isBetween(200, 299);
        return reply.body;
    }

    private record Reply(int status, JsonNode body)
    {
    }

    private static Reply send(final String method, final String path, final String body) throws Exception
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .header("Authorization", "Bearer " + ApiHarness.ADMIN_TOKEN)
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body))
            .build();
        final HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }
}
