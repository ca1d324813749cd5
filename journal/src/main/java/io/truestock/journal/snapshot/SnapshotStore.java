package io.truestock.journal.snapshot;

import io.truestock.engine.EngineSnapshot;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
    private static final int READ_BUFFER = 1 << 20;
    private static final int WRITE_SLICE = 1 << 20;
    /** Enough of an engine snapshot's start to hold its sequence ({@link EngineSnapshot#sequenceOf}). */
    private static final int SEQUENCE_PREFIX = 16;

    private final Path dir;
    private final int kept;

    /**
     * A snapshot file whose checksum was verified: {@code length} bytes of engine snapshot after the header. Its
     * contents are read from the file when asked for, as a stream ({@link #open()}) or whole ({@link #bytes()}).
     */
    public record Loaded(long sequence, Path file, long length)
    {
        /**
         * A buffered stream over the engine snapshot bytes, ending where they end (the checksum is not part of it).
         *
         * @throws UncheckedIOException when the file cannot be opened.
         */
        public InputStream open()
        {
            try
            {
                final InputStream in = Files.newInputStream(file);
                in.skipNBytes(HEADER);
                return new BufferedInputStream(new BoundedInputStream(in, length), READ_BUFFER);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read snapshot " + file, ex);
            }
        }

        /** The engine snapshot bytes, whole. */
        public byte[] bytes()
        {
            try (InputStream in = open())
            {
                return in.readAllBytes();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read snapshot " + file, ex);
            }
        }
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
    public Path write(final byte[] engineSnapshot)
    {
        return write(ByteBuffer.wrap(engineSnapshot));
    }

    /**
     * {@link #write(byte[])} of a snapshot held in buffers, in order ({@code EngineSnapshot.captureBuffers}): their
     * remaining bytes are the engine snapshot. The buffers' positions are left as they were.
     */
    public synchronized Path write(final ByteBuffer... engineSnapshot)
    {
        final long length = remaining(engineSnapshot);
        final long sequence = sequenceOf(engineSnapshot);
        final Path file = dir.resolve(name(sequence));
        final Path tmp = dir.resolve(name(sequence) + ".tmp");
        final ByteBuffer header = ByteBuffer.allocate(HEADER).putLong(MAGIC).putLong(sequence).putLong(length);
        header.flip();
        final MessageDigest sha = sha256();
        sha.update(header.array());
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE))
        {
            writeFully(out, header);
            for (final ByteBuffer buffer : engineSnapshot)
            {
                sha.update(buffer.duplicate());
                writeSlices(out, buffer.duplicate());
            }
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

    /** The bytes of a snapshot held in buffers: the sum of their remaining bytes. */
    public static long remaining(final ByteBuffer... buffers)
    {
        long length = 0;
        for (final ByteBuffer buffer : buffers)
        {
            length += buffer.remaining();
        }
        return length;
    }

    /** The sequence in the engine snapshot's first bytes, which may span buffers. */
    private static long sequenceOf(final ByteBuffer[] buffers)
    {
        final byte[] first = new byte[SEQUENCE_PREFIX];
        int at = 0;
        for (int i = 0; i < buffers.length && at < first.length; i++)
        {
            final ByteBuffer buffer = buffers[i].duplicate();
            final int n = Math.min(buffer.remaining(), first.length - at);
            buffer.get(first, at, n);
            at += n;
        }
        return EngineSnapshot.sequenceOf(Arrays.copyOf(first, at));
    }

    /**
     * Writes a heap buffer in slices of at most {@link #WRITE_SLICE} bytes: the channel copies a heap buffer into a
     * temporary direct buffer of its size, which for a whole snapshot in one array would be hundreds of megabytes
     * of fresh memory.
     */
    private static void writeSlices(final FileChannel out, final ByteBuffer buffer) throws IOException
    {
        final int end = buffer.limit();
        while (buffer.position() < end)
        {
            buffer.limit((int)Math.min(end, (long)buffer.position() + WRITE_SLICE));
            writeFully(out, buffer);
        }
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

    /**
     * Checks one snapshot file: header, length and checksum, read through a small buffer, so checking a large
     * snapshot costs one pass over the file and no memory to speak of.
     *
     * @throws IllegalArgumentException when it is partial or corrupt.
     */
    public static Loaded read(final Path file)
    {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = in.size();
            if (size < HEADER + HASH)
            {
                throw new IllegalArgumentException("truncated (" + size + " bytes)");
            }
            final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
            buffer.limit(HEADER);
            readFully(in, buffer);
            buffer.flip();
            if (buffer.getLong() != MAGIC)
            {
                throw new IllegalArgumentException("not a snapshot file (bad magic)");
            }
            final long sequence = buffer.getLong();
            final long length = buffer.getLong();
            if (length < 0 || length != size - HEADER - HASH)
            {
                throw new IllegalArgumentException("partial: header says " + length + " bytes, file holds " +
                    (size - HEADER - HASH));
            }
            final MessageDigest sha = sha256();
            sha.update(buffer.array(), 0, HEADER);
            long left = length;
            final byte[] firstBytes = new byte[SEQUENCE_PREFIX];
            int first = 0;
            while (left > 0)
            {
                buffer.clear();
                buffer.limit((int)Math.min(buffer.capacity(), left));
                readFully(in, buffer);
                final int n = buffer.position();
                if (first < SEQUENCE_PREFIX)
                {
                    final int take = Math.min(n, SEQUENCE_PREFIX - first);
                    System.arraycopy(buffer.array(), 0, firstBytes, first, take);
                    first += take;
                }
                sha.update(buffer.array(), 0, n);
                left -= n;
            }
            final ByteBuffer hash = ByteBuffer.allocate(HASH);
            readFully(in, hash);
            if (!MessageDigest.isEqual(sha.digest(), hash.array()))
            {
                throw new IllegalArgumentException("checksum mismatch (corrupt)");
            }
            if (EngineSnapshot.sequenceOf(Arrays.copyOf(firstBytes, first)) != sequence)
            {
                throw new IllegalArgumentException("header and contents disagree on the sequence");
            }
            return new Loaded(sequence, file, length);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("unreadable: " + ex.getMessage(), ex);
        }
    }

    private static void readFully(final FileChannel in, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (in.read(buffer) < 0)
            {
                throw new IOException("file ended early");
            }
        }
    }

    /** The sequence a snapshot file's name gives, -1 for a name that is not a snapshot's. */
    public static long sequenceOf(final Path file)
    {
        return sequenceOfName(file);
    }

    private static String name(final long sequence)
    {
        return PREFIX + String.format("%020d", sequence) + SUFFIX;
    }

    /**
     * The sequence a snapshot file's name says it holds ({@code snapshot-<decimal digits>.bin}), -1 when the name is
     * not a snapshot's: another prefix or suffix, too short, a sign or other character among the digits, or a
     * number beyond a long.
     */
    public static long sequenceOfName(final Path file)
    {
        final Path fileName = file.getFileName();
        if (fileName == null)
        {
            return -1;
        }
        final String name = fileName.toString();
        if (name.length() <= PREFIX.length() + SUFFIX.length() || !name.startsWith(PREFIX) || !name.endsWith(SUFFIX))
        {
            return -1;
        }
        final int end = name.length() - SUFFIX.length();
        for (int i = PREFIX.length(); i < end; i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
        }
        try
        {
            return Long.parseLong(name, PREFIX.length(), end, 10);
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

    /** A stream that ends after {@code limit} bytes of the one it wraps. */
    private static final class BoundedInputStream extends FilterInputStream
    {
        private long left;

        BoundedInputStream(final InputStream in, final long limit)
        {
            super(in);
            left = limit;
        }

        @Override
        public int read() throws IOException
        {
            if (left <= 0)
            {
                return -1;
            }
            final int b = super.read();
            if (b >= 0)
            {
                left--;
            }
            return b;
        }

        @Override
        public int read(final byte[] bytes, final int offset, final int length) throws IOException
        {
            if (left <= 0)
            {
                return -1;
            }
            final int n = super.read(bytes, offset, (int)Math.min(length, left));
            if (n > 0)
            {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(final long n) throws IOException
        {
            final long skipped = super.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException
        {
            return (int)Math.min(super.available(), left);
        }
    }
}
