package io.truestock.benchmarks.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Truestock over its HTTP/JSON edge (API.md). The real server is started in this JVM with
 * {@link TruestockServer#start} on an ephemeral loopback port over a temporary data dir: the same server the
 * launcher runs, with the journal, snapshots, audit trail and streams all on. It runs in-process so that the
 * propagation measurement can compare send and receive instants on one clock, and so that the smoke test needs
 * nothing but the build; the price is that the load generator's garbage and threads share the server's JVM.
 * <p>
 * Agents read and reserve with an {@code agent} key over keep-alive HTTP/1.1, one connection per load thread from a
 * bounded pool. By default the measured requests go through {@link PlainHttpConnection}, a blocking client that does
 * its I/O in the load thread as the peers' clients do; java.net.http (which also opens one connection per thread and
 * reuses it) can be chosen instead, and always serves setup, final-state reads and the streams. The catalog has one
 * location and four channels drawing from it, so every stock change is republished to four channels (work the peers
 * do not do).
 */
public final class TruestockHttpTarget implements Target
{
    /** The channel agents read and reserve on. */
    public static final String CHANNEL = "web";
    /** Every channel of the catalog; each one republishes every change of stock. */
    public static final String[] CHANNELS = {"web", "marketplace", "social", "chat"};
    static final String LOCATION = "dc";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TruestockServer server;
    /** The server's own JVM when it runs as a child process ({@link #startProcess}), else null. */
    private final Process process;
    private final boolean fsync;
    private final String base;
    private final String adminToken;
    private final HttpClient client;
    private final int setupThreads;
    private final boolean jdkClient;
    private final ConnectionPool<PlainHttpConnection> plain;
    private String agentToken;
    private boolean closed;

    private TruestockHttpTarget(
        final TruestockServer server, final boolean fsync, final int connections, final boolean jdkClient)
    {
        this(server, null, server.httpPort(), server.adminToken(), fsync, connections, jdkClient);
    }

    private TruestockHttpTarget(
        final TruestockServer server, final Process process, final int port, final String adminToken,
        final boolean fsync, final int connections, final boolean jdkClient)
    {
        this.server = server;
        this.process = process;
        this.fsync = fsync;
        this.base = "http://127.0.0.1:" + port;
        this.adminToken = adminToken;
        this.setupThreads = connections;
        this.jdkClient = jdkClient;
        this.plain = new ConnectionPool<>(() -> new PlainHttpConnection("127.0.0.1", port, (int)TIMEOUT.toMillis()),
            PlainHttpConnection::reusable, connections, TIMEOUT.toMillis());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /**
     * Starts the server in a JVM of its own, as the launcher does ({@code io.truestock.gateway.Main server}, this
     * JVM's class path and options, the default configuration, the binary edge off), over {@code dataDir} on a free
     * loopback port, waits for {@code /health} and defines the location and channels. The load generator's garbage
     * and threads then stay out of the server's heap and pauses. Its output goes to {@code dataDir/../server.log}.
     *
     * @param serverCpus the CPUs the server is pinned to ({@code taskset -c}, e.g. {@code 0}), or null for no pinning.
     * @param settings   top-level settings of the server's config file ({@code io_threads} to {@code 1}, ...), written
     *                   as YAML beside {@code dataDir} and passed with {@code --config}; empty for the defaults.
     */
    public static TruestockHttpTarget startProcess(
        final Path dataDir, final int connections, final String serverCpus, final Map<String, String> settings)
        throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final String token = UUID.randomUUID().toString();
        final List<String> command = new ArrayList<>();
        if (serverCpus != null)
        {
            command.addAll(List.of("taskset", "-c", serverCpus));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.truestock.gateway.Main", "server",
            "--data-dir", dataDir.toString(), "--http-port", Integer.toString(port), "--binary-port", "-1"));
        if (!settings.isEmpty())
        {
            final StringBuilder yaml = new StringBuilder();
            settings.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
            final Path config = dataDir.resolveSibling(dataDir.getFileName() + "-config.yaml");
            Files.writeString(config, yaml);
            command.addAll(List.of("--config", config.toString()));
        }
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-server.log").toFile());
        builder.environment().put("TRUESTOCK_ADMIN_TOKEN", token);
        final Process process = builder.start();
        final TruestockHttpTarget target =
            new TruestockHttpTarget(null, process, port, token, false, connections, false);
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true)
            {
                if (!process.isAlive())
                {
                    throw new IllegalStateException("the server process exited with " + process.exitValue() +
                        " before answering /health (see its log beside " + dataDir + ")");
                }
                try
                {
                    if (target.send(token, "GET", "/health", null).statusCode() == 200)
                    {
                        break;
                    }
                }
                catch (final IOException notYet)
                {
                    // not listening yet
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("the server process did not answer /health within 60 s");
                }
                Thread.sleep(100);
            }
            target.defineChannels();
        }
        catch (final Exception ex)
        {
            target.close();
            throw ex;
        }
        return target;
    }

    /**
     * Starts a server over {@code dataDir} (which must be empty or absent) and defines the location and channels.
     *
     * @param fsync       fsync the journal at the end of every ring batch (off by default, as in the server).
     * @param connections connections (and parallel requests while loading the catalog), one per load thread.
     * @param jdkClient   send the measured requests with java.net.http instead of {@link PlainHttpConnection}.
     */
    public static TruestockHttpTarget start(
        final Path dataDir, final boolean fsync, final int connections, final boolean jdkClient) throws Exception
    {
        return start(dataDir, fsync, connections, jdkClient, false);
    }

    /**
     * As {@link #start(Path, boolean, int, boolean)}, and with {@code binaryPort} the server also opens its binary
     * protocol on an ephemeral loopback port ({@link TruestockServer#binaryPort()}), for {@link TruestockBinaryTarget}.
     */
    public static TruestockHttpTarget start(
        final Path dataDir, final boolean fsync, final int connections, final boolean jdkClient,
        final boolean binaryPort) throws Exception
    {
        final ServerConfig config = new ServerConfig().dataDir(dataDir).httpPort(0).binaryPort(binaryPort ? 0 : -1)
            .adminToken(UUID.randomUUID().toString()).fsync(fsync);
        final TruestockHttpTarget target =
            new TruestockHttpTarget(TruestockServer.start(config), fsync, connections, jdkClient);
        try
        {
            target.defineChannels();
        }
        catch (final Exception ex)
        {
            target.close();
            throw ex;
        }
        return target;
    }

    private void defineChannels() throws Exception
    {
        expect(200, send(adminToken, "PUT", "/v1/locations/" + LOCATION, "{\"name\":\"Main DC\"}"));
        for (final String channel : CHANNELS)
        {
            expect(200, send(adminToken, "PUT", "/v1/channels/" + channel,
                "{\"name\":\"" + channel + "\",\"locations\":[\"" + LOCATION + "\"]}"));
        }
        // The measured load is one client offering far more than an agent key's default limit: the key is given a
        // limit of its own that the load never reaches, so the limiter is on the measured path but never refuses.
        final HttpResponse<String> key = send(adminToken, "POST", "/v1/api-keys", "{\"scope\":\"agent\"," +
            "\"rate_limit\":{\"reads_per_second\":1000000,\"read_burst\":1000000,\"writes_per_second\":1000000," +
            "\"write_burst\":1000000}}");
        expect(201, key);
        agentToken = JSON.readTree(key.body()).path("key").asText();
    }

    /** The in-process server, or null when it runs in its own process ({@link #startProcess}). */
    public TruestockServer server()
    {
        return server;
    }

    /** The base URI of the HTTP edge, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUri()
    {
        return base;
    }

    public String adminToken()
    {
        return adminToken;
    }

    /** The agent key the measured requests carry (it may read and reserve). */
    public String agentToken()
    {
        return agentToken;
    }

    @Override
    public String name()
    {
        return "truestock-http";
    }

    @Override
    public Map<String, String> describe()
    {
        final Map<String, String> map = new LinkedHashMap<>();
        map.put("version", "truestock 0.1.0 (this commit)");
        map.put("edge", "HTTP/1.1 JSON, keep-alive, one connection per load thread");
        map.put("client", jdkClient ? "java.net.http (HttpClient.send from each load thread)" :
            "blocking HTTP/1.1 client of this harness, I/O in the load thread (as the peers' clients)");
        map.put("process", process != null ? "server in its own JVM (io.truestock.gateway.Main server), own data dir" :
            "server started in the load generator's JVM (TruestockServer.start), own data dir");
        map.put("journal", "write-ahead Chronicle Queue journal, hash-chained; fsync at the end of every ring batch: " +
            (fsync ? "on" : "off (the server's default: an acknowledged command survives a process crash, " +
                "not a power loss)"));
        if (server != null)
        {
            map.put("io_threads", Integer.toString(server.config().ioThreads()));
            map.put("ring_size", Integer.toString(server.config().runtime().ringSize()));
            map.put("wait_strategy", server.config().runtime().waitStrategy());
        }
        map.put("channels_republished_per_change", Integer.toString(CHANNELS.length));
        map.put("reserve", "POST /v1/reservations (1 line, qty 1, ttl " + Workload.TTL_SECONDS + " s), agent key");
        map.put("read", "GET /v1/availability/{sku}?channel=" + CHANNEL + ", agent key");
        return map;
    }

    @Override
    public void loadCatalog(final int skus, final long unitsEach) throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(setupThreads);
        try
        {
            final List<Future<?>> futures = new ArrayList<>();
            final int slice = (skus + setupThreads - 1) / setupThreads;
            for (int t = 0; t < setupThreads; t++)
            {
                final int from = t * slice;
                final int to = Math.min(skus, from + slice);
                futures.add(pool.submit(() ->
                {
                    for (int s = from; s < to; s++)
                    {
                        addHotSku(Workload.readSku(s), unitsEach);
                    }
                    return null;
                }));
            }
            for (final Future<?> future : futures)
            {
                future.get();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Override
    public void addHotSku(final String sku, final long units) throws Exception
    {
        expect(200, send(adminToken, "PUT", "/v1/skus/" + sku,
            "{\"title\":\"" + sku + "\",\"price\":{\"amount\":1999,\"currency\":\"USD\"}}"));
        if (units > 0)
        {
            expect(200, send(adminToken, "POST", "/v1/stock/receive",
                "{\"sku\":\"" + sku + "\",\"location\":\"" + LOCATION + "\",\"qty\":" + units + "}"));
        }
    }

    @Override
    public boolean reserve(final String sku, final int qty, final int ttlSeconds) throws Exception
    {
        final PlainHttpConnection.Answer answer = measured("POST", "/v1/reservations",
            "{\"channel\":\"" + CHANNEL + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"qty\":" + qty +
                "}],\"ttl_seconds\":" + ttlSeconds + "}");
        if (answer.status() == 201)
        {
            return true;
        }
        if (answer.status() == 409 && answer.body().contains("\"out_of_stock\""))
        {
            return false;
        }
        throw new IOException("reserve answered " + answer.status() + ": " + answer.body());
    }

    @Override
    public long available(final String sku) throws Exception
    {
        final PlainHttpConnection.Answer answer = measured("GET", "/v1/availability/" + sku + "?channel=" + CHANNEL,
            null);
        if (answer.status() != 200)
        {
            throw new IOException("availability answered " + answer.status() + ": " + answer.body());
        }
        return longField(answer.body(), "available");
    }

    @Override
    public FinalState finalState(final String sku) throws Exception
    {
        final HttpResponse<String> response = send(adminToken, "GET", "/v1/skus/" + sku, null);
        expect(200, response);
        long onHand = 0;
        long reserved = 0;
        long committed = 0;
        long available = 0;
        for (final JsonNode location : JSON.readTree(response.body()).path("locations"))
        {
            onHand += location.path("on_hand").asLong();
            reserved += location.path("reserved").asLong();
            committed += location.path("committed").asLong();
            available += location.path("available").asLong();
        }
        return new FinalState(reserved + committed, available,
            "on_hand=" + onHand + " reserved=" + reserved + " committed=" + committed + " available=" + available);
    }

    /** A measured request with the agent key, through the chosen client. */
    private PlainHttpConnection.Answer measured(final String method, final String path, final String body)
        throws Exception
    {
        if (jdkClient)
        {
            final HttpResponse<String> response = send(agentToken, method, path, body);
            return new PlainHttpConnection.Answer(response.statusCode(), response.body());
        }
        return plain.with(c -> c.exchange(method, path, agentToken, body));
    }

    /** One request with a bearer token over java.net.http; the body, when present, is JSON. */
    public HttpResponse<String> send(final String token, final String method, final String path, final String body)
        throws IOException, InterruptedException
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token);
        if (body == null)
        {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else
        {
            builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(final int status, final HttpResponse<String> response) throws IOException
    {
        if (response.statusCode() != status)
        {
            throw new IOException(response.request().method() + " " + response.request().uri().getPath() +
                " answered " + response.statusCode() + " (expected " + status + "): " + response.body());
        }
    }

    /** Reads an integer field from a flat JSON answer without building a tree: the read path stays cheap. */
    static long longField(final String json, final String field)
    {
        final String marker = "\"" + field + "\":";
        final int at = json.indexOf(marker);
        if (at < 0)
        {
            throw new IllegalArgumentException("no field '" + field + "' in " + json);
        }
        int i = at + marker.length();
        while (i < json.length() && json.charAt(i) == ' ')
        {
            i++;
        }
        final int from = i;
        if (i < json.length() && json.charAt(i) == '-')
        {
            i++;
        }
        while (i < json.length() && Character.isDigit(json.charAt(i)))
        {
            i++;
        }
        return Long.parseLong(json.substring(from, i));
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            plain.close();
            if (server != null)
            {
                server.close();
            }
            if (process != null)
            {
                process.destroy();
                try
                {
                    if (!process.waitFor(60, TimeUnit.SECONDS))
                    {
                        process.destroyForcibly();
                    }
                }
                catch (final InterruptedException ex)
                {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
