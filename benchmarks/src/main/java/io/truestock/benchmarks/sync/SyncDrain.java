package io.truestock.benchmarks.sync;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.StockImportSpec;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import io.truestock.gateway.sync.ConnectorConfig;
import io.truestock.gateway.sync.Outbox;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The seed's scale: every one of {@code --skus} SKUs changes at once (stock imports of 1 000 rows, one after the
 * other), and each channel, one per connector type given, with the type's default rate and batch limits and its API
 * on loopback ({@link LoopbackChannels}, answering at once), is timed from the first import to acknowledging the new
 * value of every SKU. What it measures is the connectors' pacing under their own limits (conflation, batching, the
 * token bucket), not the channels: a real channel adds its own latency and, for Meta and Walmart, asynchronous
 * ingestion. The catalog's definitions publish a value of every SKU just before the imports; conflation replaces
 * what has not been sent yet, so a SKU is sent about once.
 * <p>
 * Usage: {@code SyncDrain [--skus 10000] [--types shopify,woocommerce,webhook,flipkart,meta,ebay]} (Amazon and
 * TikTok Shop, one SKU a request at 5 requests/s, need about 2 000 s; Walmart sends one bulk feed, whose processing
 * the loopback does not model).
 */
public final class SyncDrain
{
    private static final String LOCATION = "wh";

    private SyncDrain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        int skus = 10_000;
        String types = "shopify,woocommerce,webhook,flipkart,meta,ebay";
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--skus" -> skus = Integer.parseInt(args[++i]);
                case "--types" -> types = args[++i];
                default -> throw new IllegalArgumentException("usage: SyncDrain [--skus 10000] [--types shopify,...]");
            }
        }
        final List<ConnectorConfig.Type> kinds = new ArrayList<>();
        for (final String text : types.split(","))
        {
            kinds.add(Arrays.stream(ConnectorConfig.Type.values()).filter(t -> t.text().equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown connector type " + text)));
        }
        final Path dataDir = Files.createTempDirectory("truestock-sync-drain");
        try (LoopbackChannels fakes = new LoopbackChannels())
        {
            final ServerConfig serverConfig = new ServerConfig().dataDir(dataDir).httpPort(0).binaryPort(-1)
                .adminToken("bench");
            serverConfig.engine().maxChannels(16).maxSkus(Math.max(1024, skus + 16));
            for (final ConnectorConfig.Type type : kinds)
            {
                final ConnectorConfig config = ConnectorPropagation.connector(type.text(), type, fakes.start());
                for (int n = 0; n < skus; n++)
                {
                    map(config, n);
                }
                serverConfig.connectors().add(config);
            }
            try (TruestockServer server = TruestockServer.start(serverConfig))
            {
                run(server, kinds, skus);
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

    /** SKU n's item id in each type's loopback API (Meta, Walmart and the webhook use the engine SKU). */
    private static void map(final ConnectorConfig config, final int n)
    {
        switch (config.type())
        {
            case SHOPIFY, WOOCOMMERCE -> config.itemId(sku(n), Integer.toString(1_000 + n));
            case TIKTOK -> config.itemId(sku(n), "17295" + n + "/99" + n);
            case FLIPKART -> config.itemId(sku(n), String.format(Locale.ROOT, "UMBF%012d", n));
            case EBAY -> config.itemId(sku(n), "off-" + n);
            default ->
            {
            }
        }
    }

    private static String sku(final int n)
    {
        return "sku-" + n;
    }

    private static void run(final TruestockServer server, final List<ConnectorConfig.Type> kinds, final int skus)
        throws Exception
    {
        server.runtime().submit(c -> c.defineLocation(LOCATION, new LocationSpec("Warehouse", "UTC", "US", "94607", 1,
            23 * 60 + 59, 0, LocationSpec.MON_TO_FRI, new int[0]))).get();
        for (final ConnectorConfig.Type type : kinds)
        {
            server.runtime().submit(c -> c.defineChannel(type.text(), ChannelSpec.named(type.text()))).get();
        }
        // Definitions in groups of 256 outstanding, well inside the ring.
        final List<CompletableFuture<?>> defined = new ArrayList<>();
        for (int n = 0; n < skus; n++)
        {
            final String sku = sku(n);
            defined.add(server.runtime().submit(c -> c.defineSku(sku, SkuSpec.simple("Item " + sku, 1000, "USD"))));
            if (defined.size() == 256 || n == skus - 1)
            {
                CompletableFuture.allOf(defined.toArray(new CompletableFuture<?>[0])).get();
                defined.clear();
            }
        }
        final long started = System.nanoTime();
        long firstVersion = Long.MAX_VALUE;
        for (int from = 0; from < skus; from += 1_000)
        {
            final int rows = Math.min(1_000, skus - from);
            final String[] ids = new String[rows];
            final String[] locations = new String[rows];
            final long[] onHand = new long[rows];
            for (int r = 0; r < rows; r++)
            {
                ids[r] = sku(from + r);
                locations[r] = LOCATION;
                onHand[r] = 7;
            }
            final StockImportSpec spec = new StockImportSpec(ids, locations, onHand, new String[rows], "USD");
            final long version = server.runtime().submit(c -> c.importStock(spec)).get().version();
            firstVersion = Math.min(firstVersion, version);
        }
        System.out.printf(Locale.ROOT, "sync drain: %d SKUs changed at once (imports took %.2f s), one channel per type at "
            + "its default rate and batch limits, loopback APIs%n", skus, (System.nanoTime() - started) / 1e9);
        final long[] doneNanos = new long[kinds.size()];
        final long deadline = started + TimeUnit.MINUTES.toNanos(60);
        int remaining = kinds.size();
        while (remaining > 0 && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            for (int k = 0; k < kinds.size(); k++)
            {
                if (doneNanos[k] == 0 && allAcked(server.sync().connector(kinds.get(k).text()).outbox(), server, skus))
                {
                    doneNanos[k] = System.nanoTime();
                    remaining--;
                    final ConnectorConfig config = server.sync().connector(kinds.get(k).text()).config();
                    System.out.printf(Locale.ROOT, "  %-12s %5.1f requests/s (burst %2d) x %5d SKUs a request: every SKU "
                        + "acknowledged %8.1f s after the first import%n", config.type().text(),
                        config.requestsPerSecond(), config.burst(), config.batchSize(), (doneNanos[k] - started) / 1e9);
                }
            }
        }
        if (remaining > 0)
        {
            System.out.println("  not every channel finished within 60 minutes");
        }
    }

    /** True when the channel acknowledged the imported value (7) of every SKU. */
    private static boolean allAcked(final Outbox outbox, final TruestockServer server, final int skus)
    {
        for (int n = 0; n < skus; n++)
        {
            final Outbox.Row row = outbox.row(server.engine().skuIndex(sku(n)));
            if (row.ackedQty() != 7 || row.pendingQty() != io.truestock.gateway.sync.Update.UNKNOWN)
            {
                return false;
            }
        }
        return true;
    }
}
