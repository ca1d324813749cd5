package io.truestock.benchmarks;

import io.truestock.engine.Command;
import io.truestock.journal.ChronicleCommandJournal;
import io.truestock.journal.JournalCodec;
import io.truestock.journal.JournalConfig;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A rough measurement of journal append throughput, run by hand (never by the test suite, which must not depend on
 * speed): one thread appends commands and seals every {@code batch} of them, as the ingress stage would, for each
 * roll cycle and fsync setting, and prints records a second. The JMH suites beside it measure the ring around it.
 * <p>
 * Arguments: {@code [commands] [batch] [fsyncCommands] [dir]}: commands per run without fsync (default 2 000 000),
 * commands per batch (default 64), commands per run with fsync (default 50 000), and the directory for the journals
 * (default: a new temporary directory; each run's journal is deleted after it).
 */
public final class JournalThroughputMain
{
    private static final int POOL = 1024;

    private JournalThroughputMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int commands = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        final int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        final int fsyncCommands = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        final Path root = args.length > 3 ? Paths.get(args[3]) : Files.createTempDirectory("journal-throughput");
        Files.createDirectories(root);

        final Command[] pool = commandPool();
        final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
        final int recordBytes = codec.encodeCommand(pool[0].stamp(1, 1));
        System.out.printf(Locale.ROOT, "records of %d bytes, sealed every %d, %s%n", recordBytes, batch,
            Runtime.version());

        encodeOnly(pool, commands);
        encodeOnly(pool, commands);

        final RollCycle[] cycles = {RollCycles.FAST_DAILY, RollCycles.FAST_HOURLY, JournalConfig.DEFAULT_ROLL_CYCLE};
        for (int round = 0; round < 2; round++)
        {
            System.out.println(round == 0 ? "-- warm-up round" : "-- measured round");
            for (final RollCycle cycle : cycles)
            {
                run(root, pool, cycle, false, commands, batch);
            }
            run(root, pool, JournalConfig.DEFAULT_ROLL_CYCLE, true, fsyncCommands, batch);
            run(root, pool, JournalConfig.DEFAULT_ROLL_CYCLE, true, fsyncCommands / 8, 1);
        }
    }

    /** Encoding, then encoding and hashing: what the journal costs before Chronicle writes a byte. */
    private static void encodeOnly(final Command[] pool, final int commands) throws Exception
    {
        final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int hash = 0; hash < 2; hash++)
        {
            final long start = System.nanoTime();
            long bytes = 0;
            for (int i = 1; i <= commands; i++)
            {
                final int length = codec.encodeCommand(pool[i & (POOL - 1)].stamp(i, i));
                if (hash == 1)
                {
                    sha.update(codec.encodedBytes(), 0, length);
                }
                bytes += codec.encodedBytes()[length - 1];
            }
            final long nanos = System.nanoTime() - start;
            System.out.printf(Locale.ROOT, "%-41s %,12.0f records/s  (%.0f ns each, check %d %s)%n",
                hash == 1 ? "encode + SHA-256, no queue" : "encode only, no queue", commands * 1e9 / nanos,
                (double)nanos / commands, bytes, hex(sha.digest()).substring(0, 8));
        }
    }

    private static void run(
        final Path root, final Command[] pool, final RollCycle cycle, final boolean fsync, final int commands,
        final int batch)
    {
        final Path dir = root.resolve(cycle + (fsync ? "-fsync-" : "-") + batch + "-" + System.nanoTime());
        final JournalConfig config = new JournalConfig().dataDir(dir).instanceId("throughput")
            .rollCycle(cycle).fsyncPerBatch(fsync);
        final long start;
        final long nanos;
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(config, 0))
        {
            start = System.nanoTime();
            for (int i = 1; i <= commands; i++)
            {
                journal.append(pool[i & (POOL - 1)].stamp(i, i));
                if (i % batch == 0)
                {
                    journal.endOfBatch();
                }
            }
            journal.endOfBatch();
            nanos = System.nanoTime() - start;
        }
        System.out.printf(Locale.ROOT, "%-20s fsync=%-5s batch=%-3d  %,12.0f records/s  (%.0f ns each, %d commands)%n",
            cycle, fsync, batch, commands * 1e9 / nanos, (double)nanos / commands, commands);
        delete(dir);
    }

    private static Command[] commandPool()
    {
        final Command[] pool = new Command[POOL];
        for (int i = 0; i < POOL; i++)
        {
            pool[i] = new Command(4).reserve("shop", 900).addLine("sku-" + (i % 97), 1 + i % 3)
                .principal("agent-" + (i % 13)).idempotencyKey("checkout-" + i).reference("cart-" + i);
        }
        return pool;
    }

    private static String hex(final byte[] bytes)
    {
        return JournalCodec.hex(bytes);
    }

    private static void delete(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
