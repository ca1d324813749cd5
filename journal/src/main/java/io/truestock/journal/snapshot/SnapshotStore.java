package io.truestock.journal.snapshot;

import io.truestock.engine.EngineSnapshot;

import java.io.EOFException;
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
import java.util.Objects;

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
         * The stream is for one thread: unlike {@link java.io.BufferedInputStream} it takes no lock per call, and a
         * restore reads a million-SKU snapshot in millions of small reads ({@code DataInputStream.readInt} is four).
         *
         * @throws UncheckedIOException when the file cannot be opened.
         */
        public InputStream open()
        {
            try
            {
                return new SnapshotInput(FileChannel.open(file, StandardOpenOption.READ), HEADER, length);
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
            final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
            final Loaded header = readHeader(in, buffer);
            final long sequence = header.sequence();
            final long length = header.length();
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

    /**
     * Checks one snapshot file's header and length only, not its checksum: what a restore needs to start reading
     * while {@link #read(Path)} checks the same file on another thread. Nothing read from the file may be trusted
     * until that check has passed.
     *
     * @throws IllegalArgumentException when it is truncated, not a snapshot file or partial.
     */
    public static Loaded header(final Path file)
    {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ))
        {
            final Loaded header = readHeader(in, ByteBuffer.allocate(HEADER));
            return new Loaded(header.sequence(), file, header.length());
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("unreadable: " + ex.getMessage(), ex);
        }
    }

    /** Reads and checks the header into {@code buffer}, leaving its first {@link #HEADER} bytes for the checksum. */
    private static Loaded readHeader(final FileChannel in, final ByteBuffer buffer) throws IOException
    {
        final long size = in.size();
        if (size < HEADER + HASH)
        {
            throw new IllegalArgumentException("truncated (" + size + " bytes)");
        }
        buffer.clear().limit(HEADER);
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
        return new Loaded(sequence, null, length);
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

    /**
     * {@code length} bytes of a file from {@code position} on, read through one heap buffer of {@link #READ_BUFFER}
     * bytes. Not thread safe, and takes no lock: a single reader is the only use.
     */
    static final class SnapshotInput extends InputStream
    {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        private final byte[] bytes = buffer.array();
        private long filePosition;
        /** Bytes of the stream not yet in the buffer. */
        private long unbuffered;
        private int position;
        private int limit;

        SnapshotInput(final FileChannel channel, final long position, final long length)
        {
            this.channel = channel;
            this.filePosition = position;
            this.unbuffered = length;
        }

        @Override
        public int read() throws IOException
        {
            if (position == limit && !fill())
            {
                return -1;
            }
            return bytes[position++] & 0xFF;
        }

        @Override
        public int read(final byte[] into, final int offset, final int length) throws IOException
        {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0)
            {
                return 0;
            }
            int done = 0;
            while (done < length)
            {
                if (position == limit && !fill())
                {
                    return done == 0 ? -1 : done;
                }
                final int n = Math.min(length - done, limit - position);
                System.arraycopy(bytes, position, into, offset + done, n);
                position += n;
                done += n;
            }
            return done;
        }

        @Override
        public long skip(final long n) throws IOException
        {
            if (n <= 0)
            {
                return 0;
            }
            final long inBuffer = Math.min(n, limit - position);
            position += (int)inBuffer;
            final long beyond = Math.min(n - inBuffer, unbuffered);
            filePosition += beyond;
            unbuffered -= beyond;
            return inBuffer + beyond;
        }

        @Override
        public int available()
        {
            return (int)Math.min(Integer.MAX_VALUE, limit - position + unbuffered);
        }

        /** Refills the buffer from the file; false at the end of the stream. */
        private boolean fill() throws IOException
        {
            if (unbuffered == 0)
            {
                return false;
            }
            buffer.clear().limit((int)Math.min(buffer.capacity(), unbuffered));
            while (buffer.hasRemaining())
            {
                final int n = channel.read(buffer, filePosition + buffer.position());
                if (n < 0)
                {
                    throw new EOFException("snapshot file ended " + unbuffered + " bytes early");
                }
            }
            final int n = buffer.position();
            filePosition += n;
            unbuffered -= n;
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() throws IOException
        {
            channel.close();
        }
    }
}
