package io.truestock.benchmarks;

import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.EngineSnapshot;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.RuntimeConfig;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.JournalReader;
import io.truestock.journal.snapshot.Recovery;
import io.truestock.journal.snapshot.SbeDefinitionCodec;
import io.truestock.journal.snapshot.SnapshotStore;

import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The restart of {@link CatalogScaleMain} split into its phases, in a JVM of its own as a real restart is: the
 * {@code prepare} step loads the catalog through the journaled ring, snapshots it, journals a tail of reserve and
 * release pairs after the snapshot and keeps the directory (and the live engine's digest); each {@code restore}
 * run then times, from a cold JVM, an empty engine's construction, the snapshot file's checksum pass, the restore
 * of the snapshot, the replay of the tail onto it, and {@link Recovery#recover} whole (which does the last three
 * again), with the calling thread's CPU time and the collectors' pause time beside each.
 * <p>
 * {@code java <jvm flags> -cp benchmarks/target/benchmarks.jar io.truestock.benchmarks.RestartPhasesMain prepare
 * <dir> <skus> <tail> <max_locations> <max_channels>}, then {@code ... RestartPhasesMain restore <dir>
 * <max_locations> <max_channels>}; {@code ... RestartPhasesMain recover <dir> <max_locations> <max_channels>} times
 * {@link Recovery#recover} alone, first thing in a cold JVM, as a server's restart runs it (the checksum pass then
 * overlaps the restore, on a thread of its own, so its "calling thread's CPU" leaves that pass out).
 */
public final class RestartPhasesMain
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RestartPhasesMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[1]);
        if ("prepare".equals(args[0]))
        {
            prepare(dir, Integer.parseInt(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]));
        }
        else if ("recover".equals(args[0]))
        {
            recoverOnly(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
        else
        {
            restore(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    private static void prepare(
        final Path dir, final int skus, final long tail, final int maxLocations, final int maxChannels)
        throws Exception
    {
        final EngineConfig config = CatalogScaleMain.config(maxLocations, maxChannels);
        Files.createDirectories(dir);
        final RingFixture ring = new RingFixture(dir, "phased", RuntimeConfig.Pipeline.FUSED, false, config,
            new CatalogScaleMain.Catalog(skus));
        final String[] ids = new String[skus];
        for (int i = 0; i < skus; i++)
        {
            ids[i] = CatalogScaleMain.sku(i);
        }
        final CatalogScaleMain.Reserves reserves = new CatalogScaleMain.Reserves(ring, ids);
        final SnapshotStore snapshots = new SnapshotStore(dir.resolve("snapshots"), 2);
        final AtomicReference<ByteBuffer[]> captured = new AtomicReference<>();
        ring.runtime.requestSnapshot(captured::set);
        reserves.publishTail(2);
        while (captured.get() == null)
        {
            RingFixture.backOff(100);
        }
        snapshots.write(captured.getAndSet(null));
        reserves.publishTail(tail);
        ring.awaitApplied(ring.catalogCommands + reserves.published(), 3600);
        ring.runtime.close();
        if (ring.rejected() > 0)
        {
            throw new IllegalStateException(ring.rejected() + " commands were rejected");
        }
        Files.write(dir.resolve("digest.bin"), ring.engine.digest());
        System.out.printf("prepared: %,d SKUs, %s, %,d commands published after the catalog%n", skus,
            snapshots.files().get(0).getFileName(), reserves.published());
    }

    private static void restore(final Path dir, final int maxLocations, final int maxChannels) throws Exception
    {
        final EngineConfig config = CatalogScaleMain.config(maxLocations, maxChannels);
        final JournalConfig journalConfig = new JournalConfig().dataDir(dir.resolve("journal")).instanceId("bench")
            .conclude();
        final SnapshotStore snapshots = new SnapshotStore(dir.resolve("snapshots"), 2);
        final byte[] digest = Files.readAllBytes(dir.resolve("digest.bin"));

        Phase phase = new Phase("new Engine(config)");
        final Engine empty = new Engine(config);
        phase.stop();
        consume(empty);

        phase = new Phase("checksum pass (SnapshotStore.newest)");
        final SnapshotStore.Loaded loaded = snapshots.newest(Long.MAX_VALUE, s -> { });
        phase.stop();

        phase = new Phase("restore of the snapshot");
        final Engine engine;
        try (InputStream in = loaded.open())
        {
            engine = EngineSnapshot.restore(config, in, new SbeDefinitionCodec(journalConfig.maxRecordBytes()));
        }
        phase.stop();

        phase = new Phase("replay of the tail");
        final long replayed;
        try (JournalReader reader = JournalReader.open(journalConfig))
        {
            final Outcome outcome = new Outcome();
            final Events events = new Events();
            replayed = reader.replay(engine.lastSequence() + 1, new Command(config.maxLinesPerCommand()),
                command -> engine.apply(command, outcome, events)).commandsReplayed();
        }
        phase.stop();
        System.out.printf("  (%,d commands)%n", replayed);
        check(digest, engine);

        phase = new Phase("Recovery.recover (checksum, restore, replay)");
        final Recovery.Result result = Recovery.recover(config, journalConfig, snapshots, Long.MAX_VALUE, e -> { },
            EngineListener.NONE);
        phase.stop();
        check(digest, result.engine());
        System.out.printf("load average %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** The restart itself: {@link Recovery#recover} alone, first thing in a cold JVM, as a server starts. */
    private static void recoverOnly(final Path dir, final int maxLocations, final int maxChannels) throws Exception
    {
        final EngineConfig config = CatalogScaleMain.config(maxLocations, maxChannels);
        final JournalConfig journalConfig = new JournalConfig().dataDir(dir.resolve("journal")).instanceId("bench")
            .conclude();
        final SnapshotStore snapshots = new SnapshotStore(dir.resolve("snapshots"), 2);
        final byte[] digest = Files.readAllBytes(dir.resolve("digest.bin"));
        final Phase phase = new Phase("Recovery.recover, cold JVM");
        final Recovery.Result result = Recovery.recover(config, journalConfig, snapshots, Long.MAX_VALUE, e -> { },
            EngineListener.NONE);
        phase.stop();
        System.out.printf("  (%,d commands replayed)%n", result.replayed());
        check(digest, result.engine());
        System.out.printf("load average %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static void check(final byte[] digest, final Engine engine)
    {
        if (!Arrays.equals(digest, engine.digest()))
        {
            throw new IllegalStateException("restored digest differs from the live engine's");
        }
    }

    /** Keeps an object reachable until here. */
    private static void consume(final Object o)
    {
        if (o.hashCode() == 42)
        {
            System.out.print("");
        }
    }

    /** Wall, calling-thread CPU and collector pause time of one phase. */
    private static final class Phase
    {
        private final String name;
        private final long wallStart = System.nanoTime();
        private final long cpuStart = THREADS.getCurrentThreadCpuTime();
        private final long gcStart = gcMillis();

        Phase(final String name)
        {
            this.name = name;
        }

        void stop()
        {
            System.out.printf("%-46s %,8.0f ms wall %,8.0f ms CPU %,8d ms in collections%n", name,
                (System.nanoTime() - wallStart) / 1e6, (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6,
                gcMillis() - gcStart);
        }

        private static long gcMillis()
        {
            long total = 0;
            for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
            {
                total += Math.max(0, gc.getCollectionTime());
            }
            return total;
        }
    }
}
