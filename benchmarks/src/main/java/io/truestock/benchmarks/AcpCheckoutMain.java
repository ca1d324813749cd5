package io.truestock.benchmarks;

import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The round trip of an ACP checkout on loopback: {@code POST /acp/checkout_sessions} (quote, reserve, promise
 * delivery, write the session) then {@code POST .../complete} with the sandbox token (pay, confirm citing the
 * quotes, write the session), one after the other on one HTTP/1.1 connection, against a real server over a temporary
 * data dir. Closed loop: each round trip starts when the previous one ended; the latency is of the pair, from the
 * first request sent to the second answer read. HdrHistogram, after a warm-up.
 */
@CommandLine.Command(name = "AcpCheckoutMain", mixinStandardHelpOptions = true,
    description = "Time ACP checkout create -> complete round trips on loopback.")
public final class AcpCheckoutMain implements Callable<Integer>
{
    private static final String TOKEN = "bench-admin";

    @Option(names = "--warmup", description = "round trips before measuring (default ${DEFAULT-VALUE})")
    int warmup = 2_000;

    @Option(names = "--iterations", description = "measured round trips (default ${DEFAULT-VALUE})")
    int iterations = 5_000;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new AcpCheckoutMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final Path dir = Files.createTempDirectory("truestock-acp-bench-");
        final ServerConfig config = new ServerConfig().dataDir(dir).httpPort(0).binaryPort(-1).adminToken(TOKEN)
            .ioThreads(2);
        config.checkout().sandbox(true).maxSessions(Math.max(10_000, 2 * (warmup + iterations)));
        try (TruestockServer server = TruestockServer.start(config))
        {
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
            final String base = "http://127.0.0.1:" + server.httpPort();
            catalog(client, base, (long)(warmup + iterations) * 2);
            for (int i = 0; i < warmup; i++)
            {
                roundTrip(client, base, "w" + i);
            }
            final Histogram histogram = new Histogram(60_000_000_000L, 3);
            final long start = System.nanoTime();
            for (int i = 0; i < iterations; i++)
            {
                final long t0 = System.nanoTime();
                roundTrip(client, base, "m" + i);
                histogram.recordValue(System.nanoTime() - t0);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "ACP create -> complete, %d round trips after %d warm-up, one " +
                "connection, closed loop%n", iterations, warmup);
            System.out.printf(Locale.ROOT, "p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  " +
                "(%.0f round trips/s)%n", ms(histogram, 50), ms(histogram, 90), ms(histogram, 99),
                ms(histogram, 99.9), histogram.getMaxValue() / 1e6, iterations / seconds);
        }
        finally
        {
            try (Stream<Path> paths = Files.walk(dir))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
        return 0;
    }

    private static double ms(final Histogram histogram, final double percentile)
    {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    private static void catalog(final HttpClient client, final String base, final long units) throws Exception
    {
        send(client, "PUT", base + "/v1/locations/oak", "{\"name\":\"Oakland\",\"timezone\":" +
            "\"America/Los_Angeles\",\"country\":\"US\",\"cutoff\":\"14:00\",\"handling_days\":1," +
            "\"working_days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"]}", 200, null);
        send(client, "PUT", base + "/v1/carriers/ups", "{\"name\":\"UPS\",\"services\":[{\"id\":\"ground\"," +
            "\"name\":\"Ground\",\"working_days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"],\"zones\":" +
            "[{\"country\":\"US\",\"min_transit_days\":1,\"max_transit_days\":3}]}]}", 200, null);
        send(client, "PUT", base + "/v1/channels/shop", "{\"name\":\"shop\"}", 200, null);
        send(client, "PUT", base + "/v1/skus/shoe", "{\"title\":\"Trail shoe\",\"price\":{\"amount\":5000," +
            "\"currency\":\"USD\"}}", 200, null);
        send(client, "POST", base + "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":" + units +
            "}", 200, null);
    }

    private static void roundTrip(final HttpClient client, final String base, final String key) throws Exception
    {
        final String created = send(client, "POST", base + "/acp/checkout_sessions", "{\"currency\":\"usd\"," +
            "\"capabilities\":{},\"line_items\":[{\"id\":\"shoe\"}],\"fulfillment_details\":{\"address\":" +
            "{\"name\":\"Ada\",\"line_one\":\"1 Main St\",\"city\":\"Oakland\",\"state\":\"CA\",\"country\":\"US\"," +
            "\"postal_code\":\"94607\"}}}", 201, key + "-c");
        final int at = created.indexOf("\"id\":\"") + 6;
        final String id = created.substring(at, created.indexOf('"', at));
        final String done = send(client, "POST", base + "/acp/checkout_sessions/" + id + "/complete",
            "{\"payment_data\":{\"instrument\":{\"type\":\"card\",\"credential\":{\"type\":\"spt\"," +
            "\"token\":\"tok_sandbox_success\"}}}}", 200, key + "-p");
        if (!done.contains("\"status\":\"completed\""))
        {
            throw new IllegalStateException("checkout " + id + " did not complete: " + done);
        }
    }

    private static String send(
        final HttpClient client, final String method, final String url, final String body, final int expected,
        final String idempotencyKey) throws IOException, InterruptedException
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null)
        {
            builder.header("API-Version", "2026-04-17").header("Idempotency-Key", idempotencyKey);
        }
        final HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected)
        {
            throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + " " +
                response.body());
        }
        return response.body();
    }
}
