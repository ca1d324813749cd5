package io.truestock.gateway.crash;

import io.truestock.engine.Engine;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.gateway.ConfigFile;
import io.truestock.gateway.ServerConfig;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.JournalSurgery;
import io.truestock.journal.snapshot.Recovery;
import io.truestock.journal.snapshot.SnapshotStore;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Offline work on a server's data dir, done only while no server runs on it: copying it, recovering an engine
 * from a copy in this JVM, and damaging a copy's journal.
 */
final class DataDirs
{
    private static final int COPY_BLOCK_BYTES = 64 * 1024;

    private DataDirs()
    {
    }

    /** The config file the crash tests run the server with: frequent snapshots and small bounds. */
    static Path writeServerConfig(final Path file, final long snapshotEveryCommands)
    {
        return writeServerConfig(file, snapshotEveryCommands, 65536, 65536);
    }

    /**
     * As {@link #writeServerConfig(Path, long)} with room for {@code openAndKeys} open reservations and idempotency
     * keys and {@code retained} orders and finished reservations.
     */
    static Path writeServerConfig(
        final Path file, final long snapshotEveryCommands, final int openAndKeys, final int retained)
    {
        final String yaml = String.join("\n",
            "snapshot_every_commands: " + snapshotEveryCommands,
            "snapshots_kept: 2",
            "io_threads: 2",
            "tick_interval_millis: 100",
            "bounds:",
            "  max_skus: 64",
            "  max_locations: 4",
            "  max_channels: 4",
            "  max_open_reservations: " + openAndKeys,
            "  max_retained_reservations: " + retained,
            "  max_orders: " + retained,
            "  max_idempotency_entries: " + openAndKeys,
            "");
        try
        {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return file;
    }

    /** Copies a directory tree (files as they are now; the owner must not be running). */
    static Path copy(final Path from, final Path to)
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path path : paths.toList())
            {
                final Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    copySparse(path, target);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, ex);
        }
        return to;
    }

    /**
     * Queue files are preallocated and mostly holes: the copy has the same length and bytes, but writes only the
     * blocks that hold something, so it stays as small on disk as the original.
     */
    private static void copySparse(final Path from, final Path to) throws IOException
    {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
            RandomAccessFile file = new RandomAccessFile(to.toFile(), "rw");
            FileChannel out = file.getChannel())
        {
            final long size = in.size();
            file.setLength(size);
            final ByteBuffer block = ByteBuffer.allocate(COPY_BLOCK_BYTES);
            long position = 0;
            while (position < size)
            {
                block.clear();
                final int read = in.read(block, position);
                if (read < 0)
                {
                    break;
                }
                block.flip();
                if (!allZero(block))
                {
                    while (block.hasRemaining())
                    {
                        out.write(block, position + block.position());
                    }
                }
                position += read;
            }
        }
    }

    private static boolean allZero(final ByteBuffer block)
    {
        for (int i = block.position(); i < block.limit(); i++)
        {
            if (block.get(i) != 0)
            {
                return false;
            }
        }
        return true;
    }

    /** What recovering a copy of a data dir in this JVM gave. */
    record Recovered(long sequence, long snapshotSequence, long replayed, String digestHex)
    {
    }

    /**
     * Recovers the engine the server would, with the server's engine bounds read from {@code config}: from the
     * newest snapshot plus the journal after it, or, with {@code fromSnapshots} false, from the whole journal alone.
     */
    static Recovered recover(final Path dataDir, final Path config, final boolean fromSnapshots)
    {
        final ServerConfig server = new ServerConfig();
        ConfigFile.apply(config, server);
        server.conclude();
        final String instanceId;
        try
        {
            instanceId = Files.readString(dataDir.resolve("instance.id"), StandardCharsets.UTF_8).strip();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final JournalConfig journal = new JournalConfig().dataDir(dataDir.resolve("journal")).instanceId(instanceId)
            .conclude();
        final Path snapshotDir = fromSnapshots ? dataDir.resolve("snapshots") : dataDir.resolve("no-snapshots");
        final SnapshotStore snapshots = new SnapshotStore(snapshotDir, server.snapshotsKept());
        final Recovery.Result result = Recovery.recover(server.engine(), journal, snapshots, Long.MAX_VALUE,
            engine ->
            {
            }, EngineListener.NONE);
        final Engine engine = result.engine();
        return new Recovered(engine.lastSequence(), result.snapshotSequence(), result.replayed(),
            HexFormat.of().formatHex(engine.digest()));
    }

    /**
     * Flips one bit inside the first occurrence of {@code marker} in the journal's queue files, as a failing disk
     * would: the record that carries it no longer matches its checksum.
     */
    static void flipBitInJournal(final Path dataDir, final String marker)
    {
        JournalSurgery.flipByteOf(dataDir.resolve("journal"), marker, marker.length() / 2);
    }
}
