package io.truestock.benchmarks;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.EngineSnapshot;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.EngineRuntime;
import io.truestock.engine.runtime.RuntimeConfig;
import io.truestock.journal.ChronicleCommandJournal;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.snapshot.Recovery;
import io.truestock.journal.snapshot.SnapshotStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
        final JournalConfig journalConfig = new JournalConfig().dataDir(dir.resolve("journal")).instanceId("bench").conclude();
        final SnapshotStore snapshots = new SnapshotStore(dir.resolve("snapshots"), 2);

        final Engine engine = new Engine(config());
        final ChronicleCommandJournal journal = ChronicleCommandJournal.open(journalConfig, 0);
        final AtomicLong applied = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final EngineListener counter = (command, outcome, events) ->
        {
            if (command.type().isMutation())
            {
                if (!outcome.accepted())
                {
                    rejected.lazySet(rejected.get() + 1);
                }
                applied.lazySet(command.sequence());
            }
        };
        final EngineRuntime runtime = new EngineRuntime(engine, new RuntimeConfig().ringSize(8192)
            .tickIntervalMillis(0).waitStrategy(System.getProperty("truestock.wait", "phased"))
            .pipeline(RuntimeConfig.Pipeline.valueOf(System.getProperty("truestock.pipeline", "FUSED"))), journal, counter).start();
        final long catalog = loadCatalog(runtime);

        final MixedCommands mix = new MixedCommands();
        final long start = System.nanoTime();
        boolean snapshotRequested = false;
        for (long i = catalog; i < total; i++)
        {
            mix.next();
            while (!runtime.tryPublish(mix, null))
            {
                // a full ring: back off instead of spinning, the writer needs the core
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
            if (!snapshotRequested && i >= snapshotAt)
            {
                snapshotRequested = true;
                runtime.requestSnapshot(snapshots::write);
            }
        }
        while (applied.get() < total)
        {
            Thread.sleep(1);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        runtime.close();
        if (rejected.get() > 0)
        {
            throw new IllegalStateException(rejected.get() + " commands were rejected; the run measured the wrong thing");
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

    /** The same catalog as the JMH suite, sent through the ring so it is journaled. @return commands sent. */
    private static long loadCatalog(final EngineRuntime runtime) throws Exception
    {
        long count = 0;
        for (int l = 0; l < EngineApplyBenchmark.LOCATIONS.length; l++)
        {
            final String id = EngineApplyBenchmark.LOCATIONS[l];
            final int priority = l;
            count += submit(runtime, c -> c.defineLocation(id, LocationSpec.named(id).withPriority(priority)));
        }
        for (final String channel : EngineApplyBenchmark.CHANNELS)
        {
            count += submit(runtime, c -> c.defineChannel(channel, ChannelSpec.named(channel)));
        }
        for (int s = 0; s < EngineApplyBenchmark.SKUS; s++)
        {
            final String sku = EngineApplyBenchmark.sku(s);
            count += submit(runtime, c -> c.defineSku(sku, SkuSpec.simple(sku, 1999, "USD")));
            for (final String location : EngineApplyBenchmark.LOCATIONS)
            {
                count += submit(runtime, c -> c.receive(sku, location, 1_000_000));
            }
        }
        return count;
    }

    private static long submit(final EngineRuntime runtime, final CommandFiller filler) throws Exception
    {
        final Outcome outcome = runtime.submit(filler).get(10, TimeUnit.SECONDS);
        if (!outcome.accepted())
        {
            throw new IllegalStateException("catalog command rejected: " + outcome);
        }
        return 1;
    }

    /** reserve, reserve, confirm, release, ship, receive over 10 000 SKUs; every command is accepted. */
    private static final class MixedCommands implements CommandFiller
    {
        private long step = -1;
        private long reserves;
        private final String[] skuIds = new String[EngineApplyBenchmark.SKUS];
        private long orders;
        private final String[] orderIds = new String[1 << 20];
        private int kind;
        private int sku;

        MixedCommands()
        {
            for (int i = 0; i < orderIds.length; i++)
            {
                orderIds[i] = "o-" + i;
            }
            for (int i = 0; i < skuIds.length; i++)
            {
                skuIds[i] = EngineApplyBenchmark.sku(i);
            }
        }

        void next()
        {
            step++;
            kind = (int)(step % 6);
            sku = (int)((step * 7919) % EngineApplyBenchmark.SKUS);
        }

        @Override
        public void fill(final Command command)
        {
            final String[] channels = EngineApplyBenchmark.CHANNELS;
            switch (kind)
            {
                case 0, 1 ->
                {
                    command.reserve(channels[(int)(step % channels.length)], 600)
                        .addLine(skuIds[sku], 1);
                    reserves++;
                }
                case 2 -> command.confirm(reserves - 1, orderIds[(int)(orders % orderIds.length)]);
                case 3 -> command.release(reserves);
                case 4 ->
                {
                    command.ship(channels[(int)((step - 4) % channels.length)], orderIds[(int)(orders % orderIds.length)]);
                    orders++;
                }
                default -> command.receive(skuIds[sku],
                    EngineApplyBenchmark.LOCATIONS[(int)(step % EngineApplyBenchmark.LOCATIONS.length)], 2);
            }
        }
    }
}
