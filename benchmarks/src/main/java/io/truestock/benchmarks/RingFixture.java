package io.truestock.benchmarks;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.EngineRuntime;
import io.truestock.engine.runtime.OutcomeHandler;
import io.truestock.engine.runtime.RuntimeConfig;
import io.truestock.journal.ChronicleCommandJournal;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.snapshot.SbeDefinitionCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The real pipeline as the server assembles it: an {@link Engine} behind an {@link EngineRuntime} whose ingress stage
 * appends every mutation to a {@link ChronicleCommandJournal} in a directory of its own, a catalog loaded through the
 * ring (so it is journaled too: the JMH suite's 4 locations and 10 000 SKUs, 6 channels each drawing from every
 * location), and a listener counting what the output stage saw. Shared by the
 * ring benchmarks and the recovery-time run.
 */
final class RingFixture implements AutoCloseable
{
    static final int RING_SIZE = 8192;

    final Path dir;
    final boolean ownDir;
    final JournalConfig journalConfig;
    final Engine engine;
    final EngineRuntime runtime;
    final long catalogCommands;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong lastSequence = new AtomicLong();

    /**
     * Starts the runtime over a journal in {@code dir} (a new temporary directory, deleted on close, when null) and
     * loads the catalog through it.
     *
     * @param waitStrategy how the ring's consumer waits, a name {@link RuntimeConfig#waitStrategy(String)} takes.
     * @param fsync        fsync the journal at the end of every ring batch.
     */
    RingFixture(final Path dir, final String waitStrategy, final RuntimeConfig.Pipeline pipeline, final boolean fsync)
        throws IOException
    {
        this(dir, waitStrategy, pipeline, fsync, EngineApplyBenchmark.config());
    }

    /** As above with another engine configuration: the engine benchmarks' catalog. */
    RingFixture(
        final Path dir, final String waitStrategy, final RuntimeConfig.Pipeline pipeline, final boolean fsync,
        final EngineConfig config) throws IOException
    {
        this(dir, waitStrategy, pipeline, fsync, config, new CatalogCommands());
    }

    /**
     * As above with another engine configuration and catalog.
     *
     * @param catalog the commands loaded through the ring before the constructor returns, all to be accepted.
     */
    RingFixture(
        final Path dir, final String waitStrategy, final RuntimeConfig.Pipeline pipeline, final boolean fsync,
        final EngineConfig config, final CatalogLoad catalog) throws IOException
    {
        this.ownDir = dir == null;
        this.dir = ownDir ? Files.createTempDirectory("truestock-ring") : dir;
        this.journalConfig = new JournalConfig().dataDir(this.dir.resolve("journal")).instanceId("bench")
            .fsyncPerBatch(fsync).conclude();
        this.engine = new Engine(config);
        engine.snapshotCodec(new SbeDefinitionCodec(journalConfig.maxRecordBytes()));
        final EngineListener counter = (command, outcome, events) ->
        {
            if (command.type().isMutation())
            {
                // One writer thread: a plain increment published with a release store is enough.
                if (!outcome.accepted())
                {
                    rejected.lazySet(rejected.get() + 1);
                }
                lastSequence.lazySet(command.sequence());
                applied.lazySet(applied.get() + 1);
            }
        };
        this.runtime = new EngineRuntime(engine, new RuntimeConfig().ringSize(RING_SIZE).tickIntervalMillis(0)
            .waitStrategy(waitStrategy).pipeline(pipeline),
            ChronicleCommandJournal.open(journalConfig, 0), counter).start();
        try
        {
            catalogCommands = loadCatalog(catalog);
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            close();
            throw new IllegalStateException("loading the catalog through the ring failed", ex);
        }
    }

    /** Mutations the output stage has seen, catalog included. */
    long applied()
    {
        return applied.get();
    }

    /** Mutations the engine rejected, catalog included (the catalog load fails on its own rejections). */
    long rejected()
    {
        return rejected.get();
    }

    /** Sequence of the last mutation the output stage saw. */
    long lastSequence()
    {
        return lastSequence.get();
    }

    /** Publishes, backing off while the ring is full: the consumer needs the core more than the producer does. */
    void publish(final CommandFiller filler, final OutcomeHandler handler)
    {
        int misses = 0;
        while (!runtime.tryPublish(filler, handler))
        {
            if (runtime.halted() != null)
            {
                throw new IllegalStateException("the writer halted", runtime.halted());
            }
            backOff(++misses);
        }
    }

    /** Waits until the output stage has seen {@code count} mutations, or throws after {@code timeoutSeconds}. */
    void awaitApplied(final long count, final long timeoutSeconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int misses = 0;
        while (applied.get() < count)
        {
            if (System.nanoTime() > deadline || runtime.halted() != null)
            {
                throw new IllegalStateException("only " + applied.get() + " of " + count + " commands applied",
                    runtime.halted());
            }
            backOff(++misses);
        }
    }

    /** Yield a few times (two cores: the consumer may be waiting for this one), then park. */
    static void backOff(final int misses)
    {
        if (misses < 64)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(20_000);
        }
    }

    /** The catalog, pipelined through the ring: 4 locations, 6 channels, 10 000 SKUs with 1 M units per location. */
    private long loadCatalog(final CatalogLoad catalog) throws InterruptedException
    {
        long sent = 0;
        while (catalog.next())
        {
            publish(catalog, null);
            sent++;
        }
        awaitApplied(sent, 3600);
        if (rejected.get() > 0)
        {
            throw new IllegalStateException(rejected.get() + " catalog commands were rejected");
        }
        return sent;
    }

    @Override
    public void close()
    {
        runtime.close();
        if (ownDir)
        {
            deleteTree(dir);
        }
    }

    static void deleteTree(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // A temporary directory left behind is not worth failing a benchmark for.
        }
    }

    /** The catalog as a sequence of commands: locations, channels, then each SKU and its receipts. */
    private static final class CatalogCommands implements CatalogLoad
    {
        private static final int PER_SKU = 1 + EngineApplyBenchmark.LOCATIONS.length;
        private final int total = EngineApplyBenchmark.LOCATIONS.length + EngineApplyBenchmark.CHANNELS.length +
            EngineApplyBenchmark.SKUS * PER_SKU;
        private int index = -1;

        @Override
        public boolean next()
        {
            return ++index < total;
        }

        @Override
        public void fill(final Command command)
        {
            final String[] locations = EngineApplyBenchmark.LOCATIONS;
            final String[] channels = EngineApplyBenchmark.CHANNELS;
            int i = index;
            if (i < locations.length)
            {
                command.defineLocation(locations[i], LocationSpec.named(locations[i]).withPriority(i));
                return;
            }
            i -= locations.length;
            if (i < channels.length)
            {
                command.defineChannel(channels[i], ChannelSpec.named(channels[i]));
                return;
            }
            i -= channels.length;
            final String sku = EngineApplyBenchmark.sku(i / PER_SKU);
            final int part = i % PER_SKU;
            if (part == 0)
            {
                command.defineSku(sku, SkuSpec.simple(sku, 1999, "USD"));
            }
            else
            {
                command.receive(sku, locations[part - 1], 1_000_000);
            }
        }
    }

    /** A finite command stream: {@link #next()} moves to the next command, false after the last. */
    interface CatalogLoad extends CommandFiller
    {
        boolean next();
    }

    /** A command stream: {@link #next()} chooses the next command, {@link #fill} writes it into a ring slot. */
    interface Commands extends CommandFiller
    {
        void next();
    }

    /** {@code mix} or {@code flash}. */
    static Commands commands(final String scenario)
    {
        return switch (scenario)
        {
            case "mix" -> new MixedCommands();
            case "flash" -> new FlashCommands();
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "' (mix, flash)");
        };
    }

    /**
     * reserve, reserve, confirm, release, ship, receive over 10 000 SKUs and 6 channels; every command is accepted.
     * Reservation ids are predicted (the engine numbers them 1, 2, ...), so the stream must start on a fresh engine
     * and every command must be published once, in order.
     */
    static final class MixedCommands implements Commands
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

        @Override
        public void next()
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
                    command.ship(channels[(int)((step - 4) % channels.length)],
                        orderIds[(int)(orders % orderIds.length)]);
                    orders++;
                }
                default -> command.receive(skuIds[sku],
                    EngineApplyBenchmark.LOCATIONS[(int)(step % EngineApplyBenchmark.LOCATIONS.length)], 2);
            }
        }
    }

    /** Every command on one hot SKU: reserve 1 unit, then release it (so stock never runs out). */
    static final class FlashCommands implements Commands
    {
        private static final String HOT_SKU = EngineApplyBenchmark.sku(0);
        private long step = -1;
        private long reserves;

        @Override
        public void next()
        {
            step++;
        }

        @Override
        public void fill(final Command command)
        {
            if ((step & 1) == 0)
            {
                command.reserve("shopify", 600).addLine(HOT_SKU, 1);
                reserves++;
            }
            else
            {
                command.release(reserves);
            }
        }
    }
}
