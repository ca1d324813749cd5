package io.truestock.benchmarks.agents;

import io.truestock.benchmarks.peers.Latency;
import io.truestock.benchmarks.peers.Machine;
import io.truestock.benchmarks.peers.PlainHttpConnection;
import io.truestock.benchmarks.peers.TruestockHttpTarget;
import io.truestock.benchmarks.peers.Workload;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code get_offer} over MCP (JSON-RPC {@code tools/call} by POST on {@code /mcp}) beside {@code GET /v1/offers} on the
 * same server in the same run, on loopback, at fixed offered rates (open loop): call {@code i} is due at
 * {@code start + i / rate} and its latency runs from that intended instant to the whole answer read, so a queue
 * behind a slow answer counts (coordinated omission corrected). Both paths use the peers harness's pieces: the real
 * server started in this JVM over a temporary data dir ({@link TruestockHttpTarget}), an agent key, keep-alive
 * HTTP/1.1 connections whose I/O runs in the load thread ({@link PlainHttpConnection}), one per load thread, and
 * HdrHistogram summaries ({@link Latency}). Offers are for SKUs spread over the catalog, with a destination-less
 * query (availability, price and a signed quote).
 * <p>
 * Each rate runs a warm-up of each path, then the measured phases, REST then MCP. Options: {@code --rates}
 * (1000,10000), {@code --seconds} (10), {@code --warmup-seconds} (5), {@code --clients} (16), {@code --skus}
 * (1000), {@code --server-process} (the server in a JVM of its own, {@link TruestockHttpTarget#startProcess}, so
 * that the load threads' garbage and pauses stay out of the server's), {@code --server-cpus} (that JVM pinned with
 * {@code taskset}), {@code --server-setting key=value} (a top-level setting of that server's config file, e.g.
 * {@code io_spin_micros=2000}; repeatable), {@code --generator path} (the C generator {@code benchmarks/c/openloop.c}
 * instead of the load threads: one thread, epoll, {@code --clients} connections; it adds a third row, a thread that
 * only sleeps until each due instant, the machine's wake-up floor) and {@code --generator-wait sleep|spin} (how that
 * thread waits for the next due call).
 */
public final class McpOfferLatency
{
    private static final int TIMEOUT_MILLIS = 10_000;
    /**
     * {@code -Dtruestock.bench.outliers=true}: each phase's start instant, and every call over 1 ms (milliseconds
     * into the phase, latency in us) on standard error, to tell pauses (a run of late calls) from slow calls.
     */
    private static final boolean OUTLIERS = Boolean.getBoolean("truestock.bench.outliers");
    private static final String MCP_HEADERS = "Accept: application/json, text/event-stream\r\n" +
        "MCP-Protocol-Version: 2025-11-25\r\n";

    private McpOfferLatency()
    {
    }

    /** One way of asking for an offer. */
    private interface Route
    {
        String name();

        /** Sends the call for SKU {@code sku} and checks the answer; throws on anything but an offer. */
        void call(PlainHttpConnection connection, String token, String sku) throws IOException;
    }

    private static final Route REST = new Route()
    {
        @Override
        public String name()
        {
            return "GET /v1/offers";
        }

        @Override
        public void call(final PlainHttpConnection connection, final String token, final String sku) throws IOException
        {
            final PlainHttpConnection.Answer answer = connection.exchange("GET",
                "/v1/offers/" + sku + "?channel=" + TruestockHttpTarget.CHANNEL, token, null);
            if (answer.status() != 200 || !answer.body().contains("\"quote\""))
            {
                throw new IOException("GET /v1/offers answered " + answer.status() + ": " + answer.body());
            }
        }
    };

    private static final Route MCP = new Route()
    {
        private final AtomicLong ids = new AtomicLong();

        @Override
        public String name()
        {
            return "MCP get_offer";
        }

        @Override
        public void call(final PlainHttpConnection connection, final String token, final String sku) throws IOException
        {
            final String body = "{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"tools/call\"," +
                "\"params\":{\"name\":\"get_offer\",\"arguments\":{\"sku\":\"" + sku + "\",\"channel\":\"" +
                TruestockHttpTarget.CHANNEL + "\"}}}";
            final PlainHttpConnection.Answer answer = connection.exchange("POST", "/mcp", token, body, MCP_HEADERS);
            if (answer.status() != 200 || !answer.body().contains("\"isError\":false") ||
                !answer.body().contains("\"quote\""))
            {
                throw new IOException("MCP get_offer answered " + answer.status() + ": " + answer.body());
            }
        }
    };

    /**
     * No call: the C generator's thread sleeping until each due instant, its lateness recorded. The floor under
     * the two paths' figures on this machine (scheduling and virtual-CPU stalls); only with {@code --generator}.
     */
    private static final Route IDLE = new Route()
    {
        @Override
        public String name()
        {
            return "no call (wake-up floor)";
        }

        @Override
        public void call(final PlainHttpConnection connection, final String token, final String sku)
        {
            throw new UnsupportedOperationException("the wake-up floor is measured by the C generator only");
        }
    };

    /** What one phase measured. */
    private record Result(String route, long rate, long calls, long errors, double seconds, Latency latency,
        String firstError)
    {
    }

    public static void main(final String[] args) throws Exception
    {
        long[] rates = {1_000, 10_000};
        int seconds = 10;
        int warmupSeconds = 5;
        int clients = 16;
        int skus = 1_000;
        boolean serverProcess = false;
        String serverCpus = null;
        String generator = null;
        String generatorWait = "sleep";
        final Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--rates" -> rates = Stream.of(args[++i].split(",")).mapToLong(Long::parseLong).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--skus" -> skus = Integer.parseInt(args[++i]);
                case "--server-process" -> serverProcess = true;
                case "--generator" -> generator = args[++i];
                case "--generator-wait" -> generatorWait = args[++i];
                case "--server-setting" ->
                {
                    serverProcess = true;
                    final String[] setting = args[++i].split("=", 2);
                    settings.put(setting[0], setting[1]);
                }
                case "--server-cpus" ->
                {
                    serverProcess = true;
                    serverCpus = args[++i];
                }
                case "--help" ->
                {
                    System.out.println("McpOfferLatency [--rates 1000,10000] [--seconds 10] [--warmup-seconds 5] " +
                        "[--clients 16] [--skus 1000] [--server-process] [--server-cpus 0] " +
                        "[--generator path/to/openloop] [--generator-wait sleep|spin] [--server-setting key=value]...");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--help)");
            }
        }
        final Path dir = Files.createTempDirectory("truestock-mcp-bench-");
        final List<Result> results = new ArrayList<>();
        try (TruestockHttpTarget target = serverProcess ?
            TruestockHttpTarget.startProcess(dir.resolve("db"), clients, serverCpus, settings) :
            TruestockHttpTarget.start(dir, false, clients, false))
        {
            target.loadCatalog(skus, 1_000_000);
            System.out.printf(Locale.ROOT, "server: %s, %d SKUs, %s, loopback%n",
                serverProcess ? "its own JVM (" + (settings.isEmpty() ? "default configuration" : settings) + ")" +
                    (serverCpus == null ? "" :
                    " on CPUs " + serverCpus) : "in this JVM, io_threads=" + target.server().config().ioThreads(),
                skus, generator == null ? clients + " load threads" :
                    "the C generator " + Path.of(generator).getFileName() + " (one thread, " + clients +
                        " connections, waiting by " + generatorWait + ")");
            for (final long rate : rates)
            {
                for (final Route route : new Route[] {REST, MCP})
                {
                    run(target, route, rate, warmupSeconds, clients, skus, generator, generatorWait);
                }
                for (final Route route : generator == null ? new Route[] {REST, MCP} : new Route[] {REST, MCP, IDLE})
                {
                    final Result result = run(target, route, rate, seconds, clients, skus, generator, generatorWait);
                    results.add(result);
                    print(result);
                }
            }
            System.out.println("the server's own request latency by route (decode to response written, " +
                "cumulative over every phase, warm-ups included):");
            final String metrics = target.send(target.adminToken(), "GET", "/metrics", null).body();
            metrics.lines().filter(line -> line.startsWith("truestock_request_seconds{route=\"offers\"") ||
                line.startsWith("truestock_request_seconds{route=\"mcp")).forEach(System.out::println);
        }
        finally
        {
            delete(dir);
        }
        System.out.println();
        System.out.println("| call | offered/s | achieved/s | p50 us | p99 us | p99.9 us | max us | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (final Result result : results)
        {
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d |%n", result.route(),
                result.rate(), result.calls() / result.seconds(), result.latency().p50Micros(),
                result.latency().p99Micros(), result.latency().p999Micros(), result.latency().maxMicros(),
                result.errors());
        }
        System.out.println("load average after the run: " + Machine.loadAverage());
    }

    private static void print(final Result result)
    {
        System.out.printf(Locale.ROOT, "%-15s %6d/s offered: %8.0f/s achieved, p50 %7.1f us, p99 %8.1f us, " +
                "p99.9 %8.1f us, max %9.1f us, %d errors%s%n", result.route(), result.rate(),
            result.calls() / result.seconds(), result.latency().p50Micros(), result.latency().p99Micros(),
            result.latency().p999Micros(), result.latency().maxMicros(), result.errors(),
            result.firstError() == null ? "" : " (first: " + result.firstError() + ")");
    }

    private static Result run(
        final TruestockHttpTarget target, final Route route, final long rate, final int seconds, final int clients,
        final int skus, final String generator, final String generatorWait) throws Exception
    {
        if (generator != null)
        {
            return runGenerator(generator, generatorWait, target, route, rate, seconds, clients, skus);
        }
        final long total = rate * seconds;
        final AtomicLong next = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        if (OUTLIERS)
        {
            System.err.printf("PHASE %s %d %s%n", route.name(), seconds, java.time.Instant.now().plusMillis(50));
        }
        final Histogram[] histograms = new Histogram[clients];
        final Thread[] threads = new Thread[clients];
        final int port = Integer.parseInt(target.baseUri().substring(target.baseUri().lastIndexOf(':') + 1));
        for (int c = 0; c < clients; c++)
        {
            final Histogram histogram = Latency.newHistogram();
            histograms[c] = histogram;
            final PlainHttpConnection connection = new PlainHttpConnection("127.0.0.1", port, TIMEOUT_MILLIS);
            threads[c] = new Thread(() ->
            {
                try (connection)
                {
                    long index;
                    while ((index = next.getAndIncrement()) < total)
                    {
                        final long due = start + (long)(index * (1e9 / rate));
                        parkUntil(due);
                        final String sku = Workload.readSku((int)Long.remainderUnsigned(index * 0x9E3779B97F4A7C15L,
                            skus));
                        try
                        {
                            route.call(connection, target.agentToken(), sku);
                        }
                        catch (final IOException ex)
                        {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, ex.getMessage());
                            return;
                        }
                        final long took = System.nanoTime() - due;
                        if (took > 1_000_000 && OUTLIERS)
                        {
                            System.err.printf("OUT %s %d %.1f%n", route.name(), (due - start) / 1_000_000, took / 1e3);
                        }
                        histogram.recordValue(Math.min(took, Latency.HIGHEST_NANOS));
                    }
                }
            }, "offer-load-" + c);
            threads[c].setDaemon(true);
        }
        for (final Thread thread : threads)
        {
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final double elapsed = (System.nanoTime() - start) / 1e9;
        final Histogram all = Latency.newHistogram();
        for (final Histogram histogram : histograms)
        {
            all.add(histogram);
        }
        return new Result(route.name(), rate, all.getTotalCount(), errors.get(), elapsed, Latency.of(all),
            firstError.get());
    }

    /**
     * One phase driven by the C generator ({@code benchmarks/c/openloop.c}) in a process of its own: the same calls,
     * SKU sequence, open-loop schedule and answer checks as the Java load threads, from one thread with epoll.
     */
    private static Result runGenerator(
        final String generator, final String wait, final TruestockHttpTarget target, final Route route,
        final long rate, final int seconds, final int clients, final int skus) throws Exception
    {
        final String port = target.baseUri().substring(target.baseUri().lastIndexOf(':') + 1);
        final Process process = new ProcessBuilder(generator, "--port", port, "--rate", Long.toString(rate),
            "--seconds", Integer.toString(seconds), "--connections", Integer.toString(clients),
            "--skus", Integer.toString(skus), "--token", target.agentToken(),
            "--channel", TruestockHttpTarget.CHANNEL, "--mode", route == MCP ? "mcp" : route == REST ? "rest" : "idle",
            "--wait", wait)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String output =
            new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        process.waitFor();
        final Map<String, String> fields = new HashMap<>();
        for (final String field : output.split(" "))
        {
            final int equals = field.indexOf('=');
            if (equals > 0)
            {
                fields.put(field.substring(0, equals), field.substring(equals + 1));
            }
        }
        if (!fields.containsKey("calls"))
        {
            throw new IllegalStateException("the generator exited with " + process.exitValue() + " printing '" +
                output + "'");
        }
        final long calls = Long.parseLong(fields.get("calls"));
        final long errors = Long.parseLong(fields.get("errors"));
        final Latency latency = new Latency(calls, Double.parseDouble(fields.get("p50_us")),
            Double.parseDouble(fields.get("p99_us")), Double.parseDouble(fields.get("p999_us")),
            Double.parseDouble(fields.get("max_us")), 0);
        return new Result(route.name(), rate, calls, errors, Double.parseDouble(fields.get("seconds")), latency,
            errors == 0 ? null : "see the generator's output above");
    }

    private static void parkUntil(final long due)
    {
        long wait;
        while ((wait = due - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(wait);
        }
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
