package io.truestock.benchmarks.sync;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.StockView;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import io.truestock.gateway.sync.ConnectorConfig;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * How long an order taken on a channel without an order push takes to become visible in Truestock: a Walmart
 * connector (its order API on loopback, {@link LoopbackChannels}) polled every {@code orders_poll_seconds}; orders
 * are placed on the loopback API at random instants (uniform over the run, one unit of one SKU each), and an order
 * is visible when the engine has recorded it (the SKU's committed quantity counts it; the poller records orders in
 * creation order). One sample per order: from its placement to the first observation of it in the engine, which
 * is sampled every 5 ms (so a sample is at most 5 ms late). The mechanism is the same for every polled channel
 * (Flipkart, eBay, Walmart, and TikTok Shop without its push): the lag is the time to the next poll plus one order
 * API round trip, so it is uniform over the interval with a mean of half of it.
 * <p>
 * Usage: {@code PolledOrderLag [--intervals 60,1] [--orders 40] [--seconds 600] [--warmup 10]}: for each interval
 * (seconds), {@code --orders} orders over {@code --seconds}, after {@code --warmup} seconds.
 */
public final class PolledOrderLag
{
    private static final String SKU = "hot";
    private static final String LOCATION = "wh";
    private static final String CHANNEL = "walmart";

    private PolledOrderLag()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        long[] intervals = {60, 1};
        int orders = 40;
        long seconds = 600;
        long warmup = 10;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--intervals" -> intervals = Arrays.stream(args[++i].split(",")).mapToLong(Long::parseLong).toArray();
                case "--orders" -> orders = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "--warmup" -> warmup = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("usage: PolledOrderLag [--intervals 60,1] [--orders 40] "
                    + "[--seconds 600] [--warmup 10]");
            }
        }
        for (final long interval : intervals)
        {
            run(interval, orders, seconds, warmup);
        }
    }

    private static void run(final long interval, final int orders, final long seconds, final long warmup) throws Exception
    {
        final Path dataDir = Files.createTempDirectory("truestock-polled-order-lag");
        try (LoopbackChannels fakes = new LoopbackChannels())
        {
            final ConnectorConfig config = ConnectorPropagation.connector(CHANNEL, ConnectorConfig.Type.WALMART, fakes.start())
                .option("orders_poll_seconds", Long.toString(interval));
            final ServerConfig serverConfig = new ServerConfig().dataDir(dataDir).httpPort(0).binaryPort(-1)
                .adminToken("bench");
            serverConfig.engine().maxChannels(8).maxSkus(64);
            serverConfig.connectors().add(config);
            try (TruestockServer server = TruestockServer.start(serverConfig))
            {
                server.runtime().submit(c -> c.defineLocation(LOCATION, new LocationSpec("Warehouse", "UTC", "US", "94607",
                    1, 23 * 60 + 59, 0, LocationSpec.MON_TO_FRI, new int[0]))).get();
                server.runtime().submit(c -> c.defineChannel(CHANNEL, ChannelSpec.named(CHANNEL))).get();
                server.runtime().submit(c -> c.defineSku(SKU, SkuSpec.simple("Hot item", 1000, "USD"))).get();
                server.runtime().submit(c -> c.receive(SKU, LOCATION, 1_000_000)).get();
                measure(server, fakes, interval, orders, seconds, warmup);
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

    private static void measure(final TruestockServer server, final LoopbackChannels fakes, final long interval,
        final int orders, final long seconds, final long warmup)
    {
        // Random instants over the run, after a warm-up in which the poller's first polls find the channel defined.
        final Random random = new Random(interval * 31 + orders);
        final long[] offsets = new long[orders];
        for (int i = 0; i < orders; i++)
        {
            offsets[i] = (long)(random.nextDouble() * TimeUnit.SECONDS.toNanos(seconds));
        }
        Arrays.sort(offsets);
        final long[] placed = new long[orders];
        final Histogram lag = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
        final StockView view = new StockView();
        final long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
        final long deadline = start + TimeUnit.SECONDS.toNanos(seconds + 3 * interval + 10);
        int next = 0;
        int seen = 0;
        while (seen < orders && System.nanoTime() < deadline)
        {
            final long now = System.nanoTime();
            while (next < orders && now >= start + offsets[next])
            {
                placed[next] = System.nanoTime();
                fakes.walmartOrders.add(new LoopbackChannels.PlacedOrder("108" + next, System.currentTimeMillis(), SKU));
                next++;
            }
            server.engine().readStock(SKU, LOCATION, view);
            final long observed = System.nanoTime();
            while (seen < view.committed() && seen < next)
            {
                lag.recordValue(observed - placed[seen]);
                seen++;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        System.out.printf(Locale.ROOT, "polled order lag, Walmart connector, orders_poll_seconds %d: %d orders at random "
            + "instants over %d s, %d seen%n", interval, orders, seconds, seen);
        System.out.printf(Locale.ROOT, "  order placed on the channel -> recorded in Truestock: p50 %.2f s  p99 %.2f s  "
            + "max %.2f s  mean %.2f s%n", lag.getValueAtPercentile(50) / 1e9, lag.getValueAtPercentile(99) / 1e9,
            lag.getMaxValue() / 1e9, lag.getMean() / 1e9);
    }
}
