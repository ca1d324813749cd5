package io.truestock.benchmarks;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.EngineSnapshot;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.OutcomeHandler;
import io.truestock.engine.runtime.RuntimeConfig;
import io.truestock.journal.snapshot.Recovery;
import io.truestock.journal.snapshot.SbeDefinitionCodec;
import io.truestock.journal.snapshot.SnapshotStore;
import org.HdrHistogram.Histogram;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One size of the catalog-size sweep: an engine with the server's bounds and {@code max_skus} raised to 1 048 576
 * (as a seller with a large catalog configures it), 4 locations and 8 channels each drawing from every location,
 * loaded through the journaled ring with N SKUs (each defined, then received at every location). Then it measures,
 * in order: the load rate; resident memory; offer reads and reserve round trips on random SKUs and on one hot SKU;
 * a snapshot (the writer's capture pause, the write, the file size); a tail of 1 M commands (reserve then release
 * on random SKUs); the final snapshot a clean shutdown writes; and recovery from that snapshot's predecessor plus the
 * tail, checked against the live engine's digest. Prints one row of the table {@code run-catalog.sh} assembles.
 * <p>
 * {@code java <jvm flags> -cp benchmarks/target/benchmarks.jar io.truestock.benchmarks.CatalogScaleMain <skus> [tail]
 * [max_locations max_channels]}: the bounds default to the server's, 16 and 48.
 */
public final class CatalogScaleMain
{
    static final String[] LOCATIONS = {"oak", "nj", "tx", "ams"};
    static final String[] CHANNELS = {"ch-0", "ch-1", "ch-2", "ch-3", "ch-4", "ch-5", "ch-6", "ch-7"};
    private static final int LATENCY_SAMPLES = 20_000;
    private static final int READ_SAMPLES = 1_000_000;
    /** Where the reads' results go, so none is optimised away. */
    static volatile long consumed;

    private CatalogScaleMain()
    {
    }

    /** The server's default bounds (config/truestock.yaml) with max_skus raised, or the given location and channel bounds. */
    static EngineConfig config(final int maxLocations, final int maxChannels)
    {
        return new EngineConfig().maxSkus(1 << 20).maxLocations(maxLocations).maxChannels(maxChannels)
            .maxOpenReservations(1 << 20).maxRetainedReservations(1 << 18);
    }

    public static void main(final String[] args) throws Exception
    {
        final int skus = Integer.parseInt(args[0]);
        final long tail = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        final int maxLocations = args.length > 3 ? Integer.parseInt(args[2]) : 16;
        final int maxChannels = args.length > 3 ? Integer.parseInt(args[3]) : 48;
        final EngineConfig config = config(maxLocations, maxChannels);
        final Path dir = Files.createTempDirectory("truestock-catalog");
        final long rssStart = rssKb();
        final long loadStart = System.nanoTime();
        final RingFixture ring = new RingFixture(dir, "phased", RuntimeConfig.Pipeline.FUSED, false, config,
            new Catalog(skus));
        final double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        final Engine engine = ring.engine;
        final long rssLoaded = rssKb();
        final long heapLoaded = heapAfterGcBytes();

        final String[] ids = new String[skus];
        for (int i = 0; i < skus; i++)
        {
            ids[i] = sku(i);
        }
        final Histogram readHot = reads(engine, ids, true);
        final Histogram readRandom = reads(engine, ids, false);
        final Reserves reserves = new Reserves(ring, ids);
        final Histogram writeHot = reserves.roundTrips(true);
        final Histogram writeRandom = reserves.roundTrips(false);

        final SnapshotStore snapshots = new SnapshotStore(dir.resolve("snapshots"), 2);
        final AtomicReference<ByteBuffer[]> captured = new AtomicReference<>();
        final long captureStart = System.nanoTime();
        ring.runtime.requestSnapshot(captured::set);
        reserves.publishTail(2);
        while (captured.get() == null)
        {
            RingFixture.backOff(100);
        }
        final double captureMs = (System.nanoTime() - captureStart) / 1e6;
        final long writeStart = System.nanoTime();
        final Path file = snapshots.write(captured.getAndSet(null));
        final double writeMs = (System.nanoTime() - writeStart) / 1e6;
        final long snapshotBytes = Files.size(file);

        reserves.publishTail(tail);
        ring.awaitApplied(ring.catalogCommands + reserves.published(), 3600);
        ring.runtime.close();
        final Timer shutdown = new Timer();
        snapshots.write(EngineSnapshot.captureBuffers(engine));
        shutdown.stop();
        final byte[] digest = engine.digest();

        // Recover from the first snapshot and the tail after it, as a restart after a crash would.
        Files.delete(snapshots.files().get(0));
        final Timer restore = new Timer();
        try (InputStream in = SnapshotStore.read(file).open())
        {
            EngineSnapshot.restore(config, in, new SbeDefinitionCodec());
        }
        restore.stop();
        final Timer recovery = new Timer();
        final Recovery.Result recovered = Recovery.recover(config, ring.journalConfig, snapshots, Long.MAX_VALUE,
            e -> { }, EngineListener.NONE);
        recovery.stop();
        final long rssRecovered = rssKb();
        if (!Arrays.equals(digest, recovered.engine().digest()))
        {
            throw new IllegalStateException("recovered digest differs from the live engine's");
        }
        if (ring.rejected() > 0)
        {
            throw new IllegalStateException(ring.rejected() + " commands were rejected; the run measured the wrong thing");
        }
        RingFixture.deleteTree(dir);

        System.out.printf("| %,d (%d x %d) | %,.0f | %,d | %,d | %,.0f | %,.0f | %,.1f | %,.0f | %,.0f | %,.0f | %s | %s | %s " +
            "(%,d + %,d) | %.2f / %.2f | %.2f / %.2f | %.1f / %.1f | %.1f / %.1f |%n",
            skus, maxLocations, maxChannels, skus * (1 + LOCATIONS.length) / loadSeconds, rssLoaded / 1024, rssRecovered / 1024,
            (rssLoaded - rssStart) * 1024.0 / skus, heapLoaded / (double)skus,
            snapshotBytes / 1e6, snapshotBytes / (double)skus, captureMs, writeMs, shutdown, restore, recovery,
            recovered.snapshotSequence(), recovered.replayed(),
            readHot.getValueAtPercentile(50) / 1e3, readHot.getValueAtPercentile(99) / 1e3,
            readRandom.getValueAtPercentile(50) / 1e3, readRandom.getValueAtPercentile(99) / 1e3,
            writeHot.getValueAtPercentile(50) / 1e3, writeHot.getValueAtPercentile(99) / 1e3,
            writeRandom.getValueAtPercentile(50) / 1e3, writeRandom.getValueAtPercentile(99) / 1e3);
        System.out.printf("load %.1f s; load average %s%n", loadSeconds,
            Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** Wall and CPU time of the calling thread: on a shared machine the CPU time is the steadier figure. */
    private static final class Timer
    {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final long wallStart = System.nanoTime();
        private final long cpuStart = THREADS.getCurrentThreadCpuTime();
        private long wall;
        private long cpu;

        void stop()
        {
            wall = System.nanoTime() - wallStart;
            cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
        }

        @Override
        public String toString()
        {
            return String.format("%,.0f (%,.0f)", wall / 1e6, cpu / 1e6);
        }
    }

    static String sku(final int index)
    {
        return "sku-" + index;
    }

    /** Offer reads as the edges answer them, in microseconds x 1000 (nanoseconds). */
    private static Histogram reads(final Engine engine, final String[] ids, final boolean hot)
    {
        final Histogram histogram = new Histogram(3);
        final ChannelView view = new ChannelView();
        final SplittableRandom random = new SplittableRandom(42);
        long sink = 0;
        for (int i = 0; i < READ_SAMPLES; i++)
        {
            final String sku = hot ? ids[0] : ids[random.nextInt(ids.length)];
            final String channel = CHANNELS[i & 7];
            final long start = System.nanoTime();
            sink += ReadWhileWritingBenchmark.offer(engine, sku, channel, 1, view);
            histogram.recordValue(System.nanoTime() - start);
        }
        consumed = sink;
        return histogram;
    }

    /** 4 locations, 8 channels drawing from all of them, then each SKU defined and received at every location. */
    static final class Catalog implements RingFixture.CatalogLoad
    {
        private final long total;
        private long index = -1;

        Catalog(final int skus)
        {
            total = LOCATIONS.length + CHANNELS.length + (long)skus * (1 + LOCATIONS.length);
        }

        @Override
        public boolean next()
        {
            return ++index < total;
        }

        @Override
        public void fill(final Command command)
        {
            long i = index;
            if (i < LOCATIONS.length)
            {
                final String id = LOCATIONS[(int)i];
                command.defineLocation(id, LocationSpec.named(id).withPriority((int)i));
                return;
            }
            i -= LOCATIONS.length;
            if (i < CHANNELS.length)
            {
                command.defineChannel(CHANNELS[(int)i], ChannelSpec.named(CHANNELS[(int)i]));
                return;
            }
            i -= CHANNELS.length;
            final String sku = sku((int)(i / (1 + LOCATIONS.length)));
            final int part = (int)(i % (1 + LOCATIONS.length));
            if (part == 0)
            {
                command.defineSku(sku, SkuSpec.simple(sku, 1999, "USD"));
            }
            else
            {
                command.receive(sku, LOCATIONS[part - 1], 1_000_000);
            }
        }
    }

    /**
     * Reserve 1 unit then release it, on random SKUs or on one: the engine numbers reservations 1, 2, ..., so the
     * release names the reservation just made.
     */
    static final class Reserves
    {
        private final RingFixture ring;
        private final String[] ids;
        private final SplittableRandom random = new SplittableRandom(7);
        private long reservations;
        private long published;
        private volatile long answered;

        Reserves(final RingFixture ring, final String[] ids)
        {
            this.ring = ring;
            this.ids = ids;
        }

        long published()
        {
            return published;
        }

        /** Closed loop, one command in flight: the round trip of each reserve through the ring. */
        Histogram roundTrips(final boolean hot)
        {
            final Histogram histogram = new Histogram(3);
            for (int i = 0; i < LATENCY_SAMPLES; i++)
            {
                final String sku = hot ? ids[0] : ids[random.nextInt(ids.length)];
                final long before = answered;
                final long start = System.nanoTime();
                publishReserve(sku, (command, outcome) -> answered = before + 1);
                while (answered == before)
                {
                    Thread.onSpinWait();
                }
                histogram.recordValue(System.nanoTime() - start);
                publishRelease();
            }
            return histogram;
        }

        /** Pipelined: reserve and release pairs on random SKUs, {@code commands} in all. */
        void publishTail(final long commands)
        {
            for (long i = 0; i < commands; i += 2)
            {
                publishReserve(ids[random.nextInt(ids.length)], null);
                publishRelease();
            }
        }

        private void publishReserve(final String sku, final OutcomeHandler handler)
        {
            final String channel = CHANNELS[(int)(reservations & 7)];
            ring.publish(command -> command.reserve(channel, 600).addLine(sku, 1), handler);
            reservations++;
            published++;
        }

        private void publishRelease()
        {
            final long id = reservations;
            ring.publish(command -> command.release(id), null);
            published++;
        }
    }

    private static long rssKb() throws Exception
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long heapAfterGcBytes()
    {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
