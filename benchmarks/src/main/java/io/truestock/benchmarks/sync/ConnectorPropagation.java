package io.truestock.benchmarks.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.truestock.engine.ChannelSpec;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import io.truestock.gateway.sync.ConnectorConfig;
import io.truestock.gateway.sync.Secret;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * From a confirmed order to every channel's acknowledgement: 45 channels, each with a connector (in turn Shopify
 * GraphQL, Amazon SP-API Listings, WooCommerce batch, signed webhook, TikTok Shop, Flipkart, Meta catalog, eBay and
 * Walmart: five of each type) talking to its own fake API on loopback that accepts at once. An order ({@code POST /v1/orders}, one unit of one SKU) is sent every
 * {@code 1 / rate} seconds; its answer carries the engine version of the change; each connector reports when its
 * channel acknowledged that version. One sample per order: from the order request being sent to the 40th
 * acknowledgement, on one clock (everything is in this JVM). The connectors keep their APIs' default rate limits
 * (Amazon 5 requests/s, burst 10; Shopify and WooCommerce 5/s, burst 10; Meta 1/s, burst 2) unless
 * {@code --unlimited}, so the order rate defaults below them. It reports order -> acknowledged per connector type
 * as well, and the time each type's default rate and batch limits need to send 10 000 changed SKUs (computed, not
 * measured).
 * <p>
 * Usage: {@code ConnectorPropagation [--channels 45] [--orders 300] [--warmup 40] [--rate 4] [--unlimited]}
 */
public final class ConnectorPropagation
{
    private static final String SKU = "hot";
    private static final String LOCATION = "wh";

    /** The connector types in turn: channel c speaks {@code TYPES[c % TYPES.length]}. */
    private static final ConnectorConfig.Type[] TYPES = ConnectorConfig.Type.values();

    private ConnectorPropagation()
    {
    }

    static ConnectorConfig connector(final String id, final ConnectorConfig.Type type, final URI base)
    {
        final ConnectorConfig config = new ConnectorConfig(id, type);
        return switch (type)
        {
            case SHOPIFY -> config.baseUrl(base).locationId("1").secret("access_token", Secret.of("shpat_bench"))
                .itemId(SKU, "1");
            case AMAZON -> config.baseUrl(base).tokenUrl(URI.create(base + "/auth/o2/token"))
                .seller("A2SELLER", "ATVPDKIKX0DER").secret("client_id", Secret.of("id"))
                .secret("client_secret", Secret.of("secret")).secret("refresh_token", Secret.of("refresh"));
            case WOOCOMMERCE -> config.baseUrl(base).secret("consumer_key", Secret.of("ck"))
                .secret("consumer_secret", Secret.of("cs")).itemId(SKU, "101");
            case WEBHOOK -> config.baseUrl(URI.create(base + "/hook")).secret("secret", Secret.of("whsec"));
            case TIKTOK -> config.baseUrl(base).tokenUrl(URI.create(base + "/api/v2/token/refresh"))
                .secret("app_key", Secret.of("key")).secret("app_secret", Secret.of("secret"))
                .secret("refresh_token", Secret.of("refresh")).option("shop_cipher", "ROW_bench")
                .itemId(SKU, "1729592969712207013/1729592969712207014");
            case FLIPKART -> config.baseUrl(base).tokenUrl(URI.create(base + "/oauth-service/oauth/token"))
                .locationId("LOCbench").secret("client_id", Secret.of("id")).secret("client_secret", Secret.of("secret"))
                .itemId(SKU, "UMBF5D4DEAFDEWSG");
            case META -> config.baseUrl(base).secret("access_token", Secret.of("EAAG")).option("catalog_id", "1");
            case EBAY -> config.baseUrl(base).tokenUrl(URI.create(base + "/identity/v1/oauth2/token"))
                .secret("client_id", Secret.of("id")).secret("client_secret", Secret.of("secret"))
                .secret("refresh_token", Secret.of("refresh")).itemId(SKU, "off-1");
            case WALMART -> config.baseUrl(base).secret("client_id", Secret.of("id"))
                .secret("client_secret", Secret.of("secret"));
        };
    }

    private static final class Sample
    {
        final long version;
        final long sentNanos;
        final boolean[] acked;
        int remaining;
        long lastAckNanos;

        Sample(final long version, final long sentNanos, final int channels)
        {
            this.version = version;
            this.sentNanos = sentNanos;
            this.acked = new boolean[channels];
            this.remaining = channels;
        }
    }

    public static void main(final String[] args) throws Exception
    {
        int channels = 45;
        int orders = 300;
        int warmup = 40;
        double rate = 4;
        boolean unlimited = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--channels" -> channels = Integer.parseInt(args[++i]);
                case "--orders" -> orders = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--unlimited" -> unlimited = true;
                default -> throw new IllegalArgumentException("usage: ConnectorPropagation [--channels 45] "
                    + "[--orders 300] [--warmup 40] [--rate 4] [--unlimited]");
            }
        }
        final Path dataDir = Files.createTempDirectory("truestock-connector-propagation");
        final List<ConnectorConfig> connectors = new ArrayList<>();
        try (LoopbackChannels fakes = new LoopbackChannels())
        {
            for (int c = 0; c < channels; c++)
            {
                final String id = String.format(Locale.ROOT, "ch-%02d", c);
                final URI base = fakes.start();
                final ConnectorConfig config = connector(id, TYPES[c % TYPES.length], base);
                if (unlimited)
                {
                    config.rate(10_000, 10_000);
                }
                connectors.add(config);
            }
            final ServerConfig serverConfig = new ServerConfig().dataDir(dataDir).httpPort(0).binaryPort(-1)
                .adminToken("bench");
            serverConfig.engine().maxChannels(Math.max(48, channels)).maxSkus(1024);
            serverConfig.connectors().addAll(connectors);
            try (TruestockServer server = TruestockServer.start(serverConfig))
            {
                run(server, channels, orders, warmup, rate, unlimited);
            }
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dataDir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(final TruestockServer server, final int channels, final int orders, final int warmup,
        final double rate, final boolean unlimited) throws Exception
    {
        server.runtime().submit(c -> c.defineLocation(LOCATION, new LocationSpec("Warehouse", "UTC", "US", "94607", 1,
            23 * 60 + 59, 0, LocationSpec.MON_TO_FRI, new int[0]))).get();
        for (int c = 0; c < channels; c++)
        {
            final String id = String.format(Locale.ROOT, "ch-%02d", c);
            server.runtime().submit(cmd -> cmd.defineChannel(id, ChannelSpec.named(id))).get();
        }
        server.runtime().submit(c -> c.defineSku(SKU, SkuSpec.simple("Hot item", 1000, "USD"))).get();
        server.runtime().submit(c -> c.receive(SKU, LOCATION, 1_000_000)).get();

        final Object lock = new Object();
        final List<Sample> pending = new ArrayList<>();
        final Histogram all = new Histogram(60_000_000_000L, 3);
        final Histogram each = new Histogram(60_000_000_000L, 3);
        final Histogram roundTrip = new Histogram(60_000_000_000L, 3);
        final Histogram[] byType = new Histogram[TYPES.length];
        for (int t = 0; t < TYPES.length; t++)
        {
            byType[t] = new Histogram(60_000_000_000L, 3);
        }
        final boolean[] measuring = {false};
        server.sync().ackListener((channel, sku, available, version) ->
        {
            final long now = System.nanoTime();
            if (!sku.equals(SKU))
            {
                return;
            }
            final int index = Integer.parseInt(channel.substring(3));
            synchronized (lock)
            {
                for (int i = 0; i < pending.size(); i++)
                {
                    final Sample sample = pending.get(i);
                    if (sample.version <= version && !sample.acked[index])
                    {
                        sample.acked[index] = true;
                        sample.remaining--;
                        sample.lastAckNanos = now;
                        if (measuring[0])
                        {
                            each.recordValue(now - sample.sentNanos);
                            byType[index % TYPES.length].recordValue(now - sample.sentNanos);
                        }
                        if (sample.remaining == 0)
                        {
                            if (measuring[0])
                            {
                                all.recordValue(now - sample.sentNanos);
                            }
                            pending.remove(i--);
                        }
                    }
                }
                lock.notifyAll();
            }
        });
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final ObjectMapper json = new ObjectMapper();
        final long periodNanos = (long)(1_000_000_000L / rate);
        long next = System.nanoTime();
        final long started = System.currentTimeMillis();
        for (int i = 0; i < warmup + orders; i++)
        {
            if (i == warmup)
            {
                synchronized (lock)
                {
                    awaitDrain(lock, pending);
                    measuring[0] = true;
                }
            }
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
            }
            next += periodNanos;
            final String body = "{\"channel\":\"ch-00\",\"order_id\":\"o-" + i + "\",\"lines\":[{\"sku\":\"" + SKU
                + "\",\"qty\":1}]}";
            final long sent = System.nanoTime();
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/v1/orders"))
                .header("Authorization", "Bearer bench").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            final long answered = System.nanoTime();
            if (response.statusCode() != 201)
            {
                throw new IllegalStateException("order answered " + response.statusCode() + ": " + response.body());
            }
            final long version = json.readTree(response.body()).path("version").asLong();
            if (i >= warmup)
            {
                roundTrip.recordValue(answered - sent);
            }
            synchronized (lock)
            {
                // An acknowledgement may already have arrived: only the channels that have not confirmed a version
                // at or after this one are still awaited.
                final Sample sample = new Sample(version, sent, channels);
                for (int c = 0; c < channels; c++)
                {
                    final String id = String.format(Locale.ROOT, "ch-%02d", c);
                    final var row = server.sync().connector(id).outbox().row(server.engine().skuIndex(SKU));
                    if (row.ackedVersion() >= version)
                    {
                        sample.acked[c] = true;
                        sample.remaining--;
                        if (i >= warmup)
                        {
                            each.recordValue(answered - sent);
                            byType[c % TYPES.length].recordValue(answered - sent);
                        }
                    }
                }
                if (sample.remaining == 0)
                {
                    if (i >= warmup)
                    {
                        all.recordValue(answered - sent);
                    }
                }
                else
                {
                    pending.add(sample);
                }
            }
        }
        synchronized (lock)
        {
            awaitDrain(lock, pending);
        }
        final long seconds = (System.currentTimeMillis() - started) / 1000;
        System.out.printf(Locale.ROOT, "connector propagation: %d channels (%s), %d orders at %.1f/s after %d warm-up, %d s%n",
            channels, unlimited ? "rate limits lifted" : "APIs' default rate limits", orders, rate, warmup, seconds);
        print("order sent -> all channels acknowledged", all);
        print("order sent -> one channel acknowledged", each);
        print("order round trip (POST /v1/orders)", roundTrip);
        System.out.println("missed (never acknowledged): " + pending.size());
        for (int t = 0; t < TYPES.length; t++)
        {
            print("order sent -> one " + TYPES[t].text() + " channel acknowledged", byType[t]);
        }
        System.out.println("10 000 changed SKUs at each type's default rate and batch limits (computed):");
        for (final ConnectorConfig.Type type : TYPES)
        {
            final ConnectorConfig config = connector("x", type, URI.create("http://127.0.0.1:1")).conclude();
            final long requests = (10_000 + config.batchSize() - 1) / config.batchSize();
            final double drain = Math.max(0, requests - config.burst()) / config.requestsPerSecond();
            System.out.printf(Locale.ROOT, "  %-12s %6.1f requests/s (burst %d) x %5d SKUs a request: %6d requests, %8.1f s%s%n",
                type.text(), config.requestsPerSecond(), config.burst(), config.batchSize(), requests, drain,
                type == ConnectorConfig.Type.WALMART ? " (one bulk feed: Walmart processes it asynchronously, up to 30 min)"
                    : type == ConnectorConfig.Type.META ? " (the catalog ingests the batch asynchronously)" : "");
        }

    }

    private static void awaitDrain(final Object lock, final List<Sample> pending) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!pending.isEmpty() && System.nanoTime() < deadline)
        {
            lock.wait(100);
        }
    }

    private static void print(final String name, final Histogram histogram)
    {
        System.out.printf(Locale.ROOT, "%-45s n=%d  p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", name,
            histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
            histogram.getMaxValue() / 1e6);
    }
}
