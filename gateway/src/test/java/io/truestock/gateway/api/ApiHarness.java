package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real server on an ephemeral port over a temporary data dir, and the few calls every acceptance test needs:
 * send a request with a token, read the answer as JSON, check a problem+json rejection, and set up a catalog.
 * <p>
 * A JUnit extension: registered with {@code @RegisterExtension} on an instance field it starts a server over a fresh
 * data dir before each test and stops it (and deletes the dir) after; on a static field it serves the whole class.
 * Either way the server is up before the class's own {@code @BeforeAll} / {@code @BeforeEach} methods run and
 * stopped after its {@code @AfterEach} / {@code @AfterAll} methods.
 */
final class ApiHarness implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback
{
    static final String ADMIN_TOKEN = "secret";
    static final String PROBLEM_JSON = "application/problem+json";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final int POLL_ATTEMPTS = 500;
    static final long POLL_PAUSE_MILLIS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<ServerConfig> customize;
    private final HttpClient client = newClient();
    private boolean perClass;
    private Path dataDir;
    private TruestockServer server;

    /** The suite's small bounds and a 20 ms ticker, so that short reservations expire promptly. */
    ApiHarness()
    {
        this(config ->
        {
        });
    }

    /** As {@link #ApiHarness()}, letting {@code customize} change the configuration before each start. */
    ApiHarness(final Consumer<ServerConfig> customize)
    {
        this.customize = customize;
    }

    static HttpClient newClient()
    {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
    }

    @Override
    public void beforeAll(final ExtensionContext context) throws Exception
    {
        perClass = true;
        open();
    }

    @Override
    public void afterAll(final ExtensionContext context) throws IOException
    {
        shut();
    }

    @Override
    public void beforeEach(final ExtensionContext context) throws Exception
    {
        if (!perClass)
        {
            open();
        }
    }

    @Override
    public void afterEach(final ExtensionContext context) throws IOException
    {
        if (!perClass)
        {
            shut();
        }
    }

    private void open() throws Exception
    {
        dataDir = Files.createTempDirectory("truestock-api-");
        start();
    }

    private void shut() throws IOException
    {
        try
        {
            stop();
        }
        finally
        {
            if (dataDir != null)
            {
                try (Stream<Path> paths = Files.walk(dataDir))
                {
                    for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                    {
                        Files.deleteIfExists(path);
                    }
                }
                dataDir = null;
            }
        }
    }

    /** Starts the server over the data dir; a no-op while it runs. */
    void start() throws Exception
    {
        if (server != null)
        {
            return;
        }
        final ServerConfig config = new ServerConfig().dataDir(dataDir).httpPort(0).binaryPort(-1)
            .adminToken(ADMIN_TOKEN).ioThreads(4).mcpValidateResults(true);
        config.engine().maxSkus(1024).maxLocations(8).maxChannels(8);
        config.runtime().tickIntervalMillis(20);
        customize.accept(config);
        server = TruestockServer.start(config);
    }

    /** Stops the server and keeps its data dir, so that {@link #start()} recovers from it. */
    void stop()
    {
        if (server != null)
        {
            server.close();
            server = null;
        }
    }

    /** Stops the server and starts it again over the same data dir. */
    void restart() throws Exception
    {
        stop();
        start();
    }

    Path dataDir()
    {
        return dataDir;
    }

    int port()
    {
        return server.httpPort();
    }

    /** The binary protocol's port; -1 unless the test's customization turned it on. */
    int binaryPort()
    {
        return server.binaryPort();
    }

    HttpClient client()
    {
        return client;
    }

    URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    // ---- requests ----

    /** Sends as admin. */
    Reply send(final String method, final String path, final String body)
    {
        return sendAs(ADMIN_TOKEN, method, path, body);
    }

    /**
     * Sends with a bearer token (none when null) and extra headers given as name, value, name, value...
     */
    Reply sendAs(final String token, final String method, final String path, final String body, final String... headers)
    {
        return send(client, request(token, method, path, body, headers));
    }

    HttpRequest request(final String token, final String method, final String path, final String body,
        final String... headers)
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
            .timeout(REQUEST_TIMEOUT)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null)
        {
            builder.header("Content-Type", "application/json");
        }
        if (token != null)
        {
            builder.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2)
        {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    static Reply send(final HttpClient httpClient, final HttpRequest request)
    {
        try
        {
            final HttpResponse<String> response = httpClient.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Sends as admin and requires the given status. */
    JsonNode expect(final int status, final String method, final String path, final String body)
    {
        return expectAs(ADMIN_TOKEN, status, method, path, body);
    }

    JsonNode expectAs(final String token, final int status, final String method, final String path, final String body)
    {
        final Reply reply = sendAs(token, method, path, body);
        assertThat(reply.status()).as("%s %s -> %s", method, path, reply.body()).isEqualTo(status);
        return reply.json();
    }

    /** Repeats {@code request} until {@code done} holds; fails after a bounded number of attempts. */
    static Reply pollUntil(final Supplier<Reply> request, final Predicate<Reply> done,
        final String what)
    {
        Reply last = null;
        for (int attempt = 0; attempt < POLL_ATTEMPTS; attempt++)
        {
            last = request.get();
            if (done.test(last))
            {
                return last;
            }
            pause(POLL_PAUSE_MILLIS);
        }
        return fail("gave up waiting for " + what + "; last answer: " + (last == null ? "none" : last.body()));
    }

    static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    // ---- catalog and stock set-up ----

    void defineLocation(final String id)
    {
        expect(200, "PUT", "/v1/locations/" + id, "{\"name\":\"" + id + " warehouse\"}");
    }

    void defineChannel(final String id)
    {
        expect(200, "PUT", "/v1/channels/" + id, "{\"name\":\"" + id + "\"}");
    }

    void defineSku(final String id, final long priceMinor)
    {
        expect(200, "PUT", "/v1/skus/" + id,
            "{\"title\":\"" + id + "\",\"price\":{\"amount\":" + priceMinor + ",\"currency\":\"USD\"}}");
    }

    JsonNode receive(final String sku, final String location, final long qty)
    {
        return expect(200, "POST", "/v1/stock/receive",
            "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"qty\":" + qty + "}");
    }

    /** One location "oak", channels "shopify" and "amazon", and each SKU priced 8999 with {@code qty} units at oak. */
    void standardCatalog(final long qty, final String... skus)
    {
        defineLocation("oak");
        defineChannel("shopify");
        defineChannel("amazon");
        for (final String sku : skus)
        {
            defineSku(sku, 8999);
            if (qty > 0)
            {
                receive(sku, "oak", qty);
            }
        }
    }

    /** Reserves as admin (900 s) and returns the reservation id. */
    String reserve(final String channel, final String sku, final long qty)
    {
        return expect(201, "POST", "/v1/reservations", reserveBody(channel, sku, qty)).path("id").asText();
    }

    String reservationStatus(final String id)
    {
        return expect(200, "GET", "/v1/reservations/" + id, null).path("status").asText();
    }

    /** Creates an API key with the given scope and returns its bearer token. */
    String createKey(final String scope)
    {
        final JsonNode created = expect(201, "POST", "/v1/api-keys", "{\"scope\":\"" + scope + "\"}");
        assertThat(created.path("scope").asText()).isEqualTo(scope);
        return created.path("key").asText();
    }

    JsonNode sku(final String sku)
    {
        return expect(200, "GET", "/v1/skus/" + sku, null);
    }

    /** The SKU's record at one location from GET /v1/skus/{sku}. */
    JsonNode stockAt(final String sku, final String location)
    {
        for (final JsonNode record : sku(sku).path("locations"))
        {
            if (record.path("location").asText().equals(location))
            {
                return record;
            }
        }
        return fail("no location '" + location + "' in GET /v1/skus/" + sku);
    }

    long available(final String sku, final String channel)
    {
        return expect(200, "GET", "/v1/availability/" + sku + "?channel=" + channel, null).path("available").asLong();
    }

    /**
     * Everything GET /v1/skus/{sku} says except the top-level version, which counts every command the writer saw,
     * rejected ones included.
     */
    JsonNode stateOf(final String sku)
    {
        final ObjectNode state = (ObjectNode)sku(sku).deepCopy();
        state.remove("version");
        return state;
    }

    /** The engine sequence from /health: it moves only when a command reaches the writer. */
    long sequence()
    {
        final Reply health = sendAs(null, "GET", "/health", null);
        assertThat(health.status()).isEqualTo(200);
        return health.json().path("sequence").asLong();
    }

    // ---- request bodies ----

    static String reserveBody(final String channel, final String sku, final long qty)
    {
        return "{\"channel\":\"" + channel + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"qty\":" + qty +
            "}],\"ttl_seconds\":900}";
    }

    /** A reservation of {@code count} lines of one unit each. */
    static String reserveLinesBody(final String channel, final String sku, final int count)
    {
        final StringBuilder body = new StringBuilder("{\"channel\":\"").append(channel).append("\",\"lines\":[");
        for (int i = 0; i < count; i++)
        {
            body.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(sku).append("\",\"qty\":1}");
        }
        return body.append("]}").toString();
    }

    static String orderBody(final String channel, final String orderId, final String sku, final long qty)
    {
        return "{\"channel\":\"" + channel + "\",\"order_id\":\"" + orderId + "\",\"lines\":[{\"sku\":\"" + sku +
            "\",\"qty\":" + qty + "}]}";
    }

    // ---- answers ----

    record Reply(int status, HttpHeaders headers, String body)
    {
        JsonNode json()
        {
            return parse(body);
        }

        String contentType()
        {
            return headers.firstValue("Content-Type").orElse("");
        }

        boolean replayed()
        {
            return headers.firstValue("Idempotent-Replayed").map(v -> v.equalsIgnoreCase("true")).orElse(false);
        }
    }

    static JsonNode parse(final String text)
    {
        try
        {
            return JSON.readTree(text);
        }
        catch (final IOException ex)
        {
            return fail("not JSON: " + text, ex);
        }
    }

    /** A problem+json rejection with this status and code; returns its body. */
    static JsonNode assertProblem(final Reply reply, final int status, final String code)
    {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).as("Content-Type of " + reply.body()).startsWith(PROBLEM_JSON);
        final JsonNode problem = reply.json();
        assertThat(problem.path("code").asText()).as(reply.body()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).as(reply.body()).isEqualTo(status);
        assertThat(problem.path("type").isTextual()).as("type in " + reply.body()).isTrue();
        assertThat(problem.path("title").isTextual()).as("title in " + reply.body()).isTrue();
        return problem;
    }

    /** As {@link #assertProblem(Reply, int, String)}, naming the offending field. */
    static JsonNode assertProblem(final Reply reply, final int status, final String code, final String param)
    {
        final JsonNode problem = assertProblem(reply, status, code);
        assertThat(problem.path("param").asText()).as("param of " + reply.body()).isEqualTo(param);
        return problem;
    }

    // ---- raw HTTP/1.1 (pipelining, oversized bodies) ----

    /** One response read off a raw socket: status, lower-cased headers and the body. */
    record RawResponse(int status, Map<String, String> headers, String body)
    {
    }

    /** Reads one HTTP/1.1 response with a Content-Length body. */
    static RawResponse readResponse(final InputStream in) throws IOException
    {
        final String statusLine = readLine(in);
        if (statusLine == null)
        {
            return fail("connection closed before a status line");
        }
        final String[] statusParts = statusLine.split(" ", 3);
        assertThat(statusParts[0]).isEqualTo("HTTP/1.1");
        final int status = Integer.parseInt(statusParts[1]);
        final Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty())
        {
            final int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        final int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        final byte[] body = in.readNBytes(length);
        assertThat(body.length).as("body length").isEqualTo(length);
        return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** One line without its CR LF, or null at the end of the stream. */
    static String readLine(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1)
        {
            if (b == '\n')
            {
                final byte[] bytes = line.toByteArray();
                final int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.US_ASCII);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }
}
