package io.truestock.benchmarks;

import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.RuntimeConfig;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.snapshot.Recovery;
import io.truestock.journal.snapshot.SnapshotStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a journal of N commands through the real ring (journal stage on), then measures recovery from it:
 * with the newest snapshot (taken 1 M commands before the end) plus the journal tail, and by full replay with no
 * snapshot. Also prints the end-to-end rate at which the ring journaled and applied the N commands.
 * <p>
 * {@code java <jvm flags> -cp benchmarks/target/benchmarks.jar io.truestock.benchmarks.RecoveryTimeMain [commands] [dir]}
 */
public final class RecoveryTimeMain
{
    private RecoveryTimeMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final long total = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        final Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("truestock-recovery");
        final long snapshotAt = Math.max(0, total - 1_000_000L);
        final SnapshotStore snapshots = new SnapshotStore(dir.resolve("snapshots"), 2);

        final RingFixture ring = new RingFixture(dir, System.getProperty("truestock.wait", "phased"),
            RuntimeConfig.Pipeline.valueOf(System.getProperty("truestock.pipeline", "FUSED")), false);
        final JournalConfig journalConfig = ring.journalConfig;
        final Engine engine = ring.engine;
        final long catalog = ring.catalogCommands;

        final RingFixture.Commands mix = RingFixture.commands("mix");
        final long start = System.nanoTime();
        boolean snapshotRequested = false;
        for (long i = catalog; i < total; i++)
        {
            mix.next();
            ring.publish(mix, null);
            if (!snapshotRequested && i >= snapshotAt)
            {
                snapshotRequested = true;
                ring.runtime.requestSnapshot(snapshots::write);
            }
        }
        ring.awaitApplied(total, 3600);
        final double seconds = (System.nanoTime() - start) / 1e9;
        ring.close();
        if (ring.rejected() > 0)
        {
            throw new IllegalStateException(ring.rejected() + " commands were rejected; the run measured the wrong thing");
        }
        final byte[] digest = engine.digest();
        System.out.printf("journaled and applied %,d commands through the ring in %.2f s: %,.0f commands/s%n",
            total - catalog, seconds, (total - catalog) / seconds);
        System.out.printf("journal on disk: %,d bytes%n", size(journalConfig.dataDir()));

        final Recovery.Result withSnapshot = Recovery.recover(config(), journalConfig, snapshots, Long.MAX_VALUE,
            e -> { }, EngineListener.NONE);
        System.out.printf("recovery with a snapshot at %,d + %,d journaled commands: %,d ms%n",
            withSnapshot.snapshotSequence(), withSnapshot.replayed(), withSnapshot.millis());
        check(digest, withSnapshot.engine(), "snapshot + tail");

        final Recovery.Result full = Recovery.recover(config(), journalConfig,
            new SnapshotStore(dir.resolve("no-snapshots"), 1), Long.MAX_VALUE, e -> { }, EngineListener.NONE);
        System.out.printf("recovery by full replay of %,d journaled commands: %,d ms (%,.0f commands/s)%n",
            full.replayed(), full.millis(), full.replayed() * 1000.0 / Math.max(1, full.millis()));
        check(digest, full.engine(), "full replay");

        if (args.length < 2)
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void check(final byte[] expected, final Engine recovered, final String how)
    {
        if (!Arrays.equals(expected, recovered.digest()))
        {
            throw new IllegalStateException(how + ": recovered digest differs from the live engine's");
        }
        System.out.println(how + ": digest equals the live engine's");
    }

    static EngineConfig config()
    {
        return EngineApplyBenchmark.config();
    }

    private static long size(final Path dir) throws Exception
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
