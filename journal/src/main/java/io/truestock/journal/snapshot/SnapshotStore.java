package io.truestock.journal.snapshot;

import io.truestock.engine.EngineSnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Snapshot files in {@code <data dir>/snapshots}: {@code snapshot-<sequence>.bin}, each
 * {@code magic | sequence | length | engine snapshot bytes | SHA-256 of everything before it}. A file is written
 * to a temporary name, forced to disk and renamed, so a crash leaves either the whole file or none; a file that
 * is partial or corrupt anyway (a bad disk, a hand edit) fails its checksum and is skipped when loading.
 */
public final class SnapshotStore
{
    private static final long MAGIC = 0x5453534E41503031L; // "TSSNAP01"
    private static final int HEADER = 24;
    private static final int HASH = 32;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".bin";

    private final Path dir;
    private final int kept;

    /** A snapshot read back from disk. */
    public record Loaded(long sequence, byte[] bytes, Path file)
    {
    }

    /**
     * @param dir  the snapshots directory (created if missing).
     * @param kept how many of the newest snapshots to keep; older ones are deleted after each write.
     */
    public SnapshotStore(final Path dir, final int kept)
    {
        if (kept < 1)
        {
            throw new IllegalArgumentException("kept must be >= 1");
        }
        this.dir = dir;
        this.kept = kept;
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create snapshot directory " + dir, ex);
        }
    }

    public Path dir()
    {
        return dir;
    }

    /** Writes one snapshot durably, then deletes all but the newest {@code kept}. Any thread but the writer's. */
    public synchronized Path write(final byte[] engineSnapshot)
    {
        final long sequence = EngineSnapshot.sequenceOf(engineSnapshot);
        final Path file = dir.resolve(name(sequence));
        final Path tmp = dir.resolve(name(sequence) + ".tmp");
        final ByteBuffer header = ByteBuffer.allocate(HEADER).putLong(MAGIC).putLong(sequence).putLong(engineSnapshot.length);
        header.flip();
        final MessageDigest sha = sha256();
        sha.update(header.array());
        sha.update(engineSnapshot);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE))
        {
            writeFully(out, header);
            writeFully(out, ByteBuffer.wrap(engineSnapshot));
            writeFully(out, ByteBuffer.wrap(sha.digest()));
            out.force(true);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + tmp, ex);
        }
        try
        {
            try
            {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory();
            final List<Path> files = files();
            for (int i = kept; i < files.size(); i++)
            {
                Files.deleteIfExists(files.get(i));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot install snapshot " + file, ex);
        }
        return file;
    }

    private static void writeFully(final FileChannel out, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            out.write(buffer);
        }
    }

    private void forceDirectory()
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            // Some file systems cannot open a directory for sync; the rename is then as durable as they make it.
        }
    }

    /** Snapshot files, newest (highest sequence) first. */
    public List<Path> files()
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX))
        {
            stream.forEach(files::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
        files.sort(Comparator.comparingLong(SnapshotStore::sequenceOfName).reversed());
        return files;
    }

    /**
     * The newest valid snapshot at or below {@code maxSequence}, or null. Invalid files are reported through
     * {@code skipped} and passed over.
     */
    public Loaded newest(final long maxSequence, final java.util.function.Consumer<String> skipped)
    {
        for (final Path file : files())
        {
            if (sequenceOfName(file) > maxSequence)
            {
                continue;
            }
            try
            {
                return read(file);
            }
            catch (final IllegalArgumentException ex)
            {
                skipped.accept(file.getFileName() + ": " + ex.getMessage());
            }
        }
        return null;
    }

    /** Reads and checks one snapshot file. @throws IllegalArgumentException when it is partial or corrupt. */
    public static Loaded read(final Path file)
    {
        final byte[] all;
        try
        {
            all = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("unreadable: " + ex.getMessage(), ex);
        }
        if (all.length < HEADER + HASH)
        {
            throw new IllegalArgumentException("truncated (" + all.length + " bytes)");
        }
        final ByteBuffer header = ByteBuffer.wrap(all, 0, HEADER);
        if (header.getLong() != MAGIC)
        {
            throw new IllegalArgumentException("not a snapshot file (bad magic)");
        }
        final long sequence = header.getLong();
        final long length = header.getLong();
        if (length < 0 || length != all.length - HEADER - HASH)
        {
            throw new IllegalArgumentException("partial: header says " + length + " bytes, file holds " +
                (all.length - HEADER - HASH));
        }
        final MessageDigest sha = sha256();
        sha.update(all, 0, all.length - HASH);
        if (!Arrays.equals(sha.digest(), Arrays.copyOfRange(all, all.length - HASH, all.length)))
        {
            throw new IllegalArgumentException("checksum mismatch (corrupt)");
        }
        final byte[] bytes = Arrays.copyOfRange(all, HEADER, HEADER + (int)length);
        if (EngineSnapshot.sequenceOf(bytes) != sequence)
        {
            throw new IllegalArgumentException("header and contents disagree on the sequence");
        }
        return new Loaded(sequence, bytes, file);
    }

    private static String name(final long sequence)
    {
        return PREFIX + String.format("%020d", sequence) + SUFFIX;
    }

    /** The sequence a snapshot file's name says it holds, -1 when the name is not a snapshot's. */
    public static long sequenceOfName(final Path file)
    {
        final String name = file.getFileName().toString();
        try
        {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
