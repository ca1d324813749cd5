package io.truestock.journal;

import io.truestock.journal.JournalException.Problem;
import io.truestock.sbe.JournalMetaDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.stream.Stream;

/**
 * The journal's metadata file: which engine instance owns the directory, the schema version that wrote it, and where
 * the hash chain of the retained records starts. It is one framed JournalMeta record, replaced atomically (write a
 * temporary file, force it, rename over) so a crash leaves either the old or the new version, never half of one.
 */
final class JournalMetadata
{
    static final String FILE_NAME = "journal.meta";
    static final int NO_CYCLE = Integer.MIN_VALUE;
    private static final int MAX_FILE_BYTES = 4096;

    final int schemaVersion;
    final String instanceId;
    final long createdAtMillis;
    final String rollCycle;
    /** Oldest cycle of the chain; {@link #NO_CYCLE} while nothing was released. */
    final int firstRetainedCycle;
    /** Last sequence sealed before the first retained record. */
    final long anchorSequence;
    /** Chain hash that the first retained batch continues from. */
    final byte[] anchorHash;

    JournalMetadata(
        final int schemaVersion,
        final String instanceId,
        final long createdAtMillis,
        final String rollCycle,
        final int firstRetainedCycle,
        final long anchorSequence,
        final byte[] anchorHash)
    {
        this.schemaVersion = schemaVersion;
        this.instanceId = instanceId;
        this.createdAtMillis = createdAtMillis;
        this.rollCycle = rollCycle;
        this.firstRetainedCycle = firstRetainedCycle;
        this.anchorSequence = anchorSequence;
        this.anchorHash = anchorHash.clone();
    }

    /** Metadata of a new journal: its chain starts from a hash of the owner's id, so it is bound to that instance. */
    static JournalMetadata create(final String instanceId, final String rollCycle, final long createdAtMillis)
    {
        return new JournalMetadata(
            JournalCodec.SCHEMA_VERSION, instanceId, createdAtMillis, rollCycle, NO_CYCLE, 0, genesisHash(instanceId));
    }

    static byte[] genesisHash(final String instanceId)
    {
        final MessageDigest sha = sha256();
        sha.update("truestock-journal\0".getBytes(StandardCharsets.US_ASCII));
        sha.update(instanceId.getBytes(StandardCharsets.UTF_8));
        return sha.digest();
    }

    static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }

    /** The same journal with its chain now starting after {@code sequence}, in {@code cycle}. */
    JournalMetadata releasedUpTo(final int cycle, final long sequence, final byte[] hash)
    {
        return new JournalMetadata(schemaVersion, instanceId, createdAtMillis, rollCycle, cycle, sequence, hash);
    }

    static Path file(final Path dir)
    {
        return dir.resolve(FILE_NAME);
    }

    /**
     * @return the metadata of the journal in {@code dir}, or null if the directory holds no journal at all.
     * @throws JournalException if queue files are there without metadata, or the metadata is unreadable or of an
     *                          unknown schema version.
     */
    static JournalMetadata read(final Path dir)
    {
        final Path file = file(dir);
        if (!Files.exists(file))
        {
            if (holdsQueueFiles(dir))
            {
                throw new JournalException(Problem.MISSING_METADATA, "journal directory " + dir + " holds queue files " +
                    "but no " + FILE_NAME + ": its owner and schema version are unknown, refusing to use it");
            }
            return null;
        }
        final byte[] bytes;
        try
        {
            if (Files.size(file) > MAX_FILE_BYTES)
            {
                throw new JournalException(Problem.MALFORMED, file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
        final JournalCodec codec = new JournalCodec(JournalCodec.MIN_RECORD_BYTES);
        final int template;
        try
        {
            template = codec.wrap(bytes, bytes.length);
        }
        catch (final JournalException ex)
        {
            if (ex.problem() == Problem.UNKNOWN_VERSION)
            {
                throw new JournalException(Problem.UNKNOWN_VERSION, "journal at " + dir + " was written with a newer " +
                    "schema than this build reads (" + ex.getMessage() + ")", ex);
            }
            throw ex.at(file.toString());
        }
        if (template != JournalCodec.META_TEMPLATE)
        {
            throw new JournalException(Problem.MALFORMED, file + " holds a record of type " + template + ", not metadata");
        }
        final JournalMetaDecoder d = codec.meta();
        final long createdAtMillis = d.createdAtMillis();
        final int firstRetainedCycle = d.firstRetainedCycle();
        final long anchorSequence = d.anchorSequence();
        final byte[] anchorHash = new byte[JournalCodec.HASH_LENGTH];
        d.getAnchorHash(anchorHash, 0, anchorHash.length);
        final String instanceId = d.instanceId();
        final String rollCycle = d.rollCycle();
        return new JournalMetadata(
            codec.version(), instanceId, createdAtMillis, rollCycle, firstRetainedCycle, anchorSequence, anchorHash);
    }

    private static boolean holdsQueueFiles(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
    }

    /** Replaces the metadata file atomically and forces it and its directory entry to the device. */
    void write(final Path dir)
    {
        final JournalCodec codec = new JournalCodec(JournalCodec.MIN_RECORD_BYTES);
        final int length = codec.encodeMeta(
            createdAtMillis, firstRetainedCycle, anchorSequence, anchorHash, instanceId, rollCycle);
        final Path target = file(dir);
        final Path temp = dir.resolve(FILE_NAME + ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(codec.encodedBytes(), 0, length);
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + target, ex);
        }
    }

    private static void forceDirectory(final Path dir)
    {
        // A rename is durable only once the directory is; not every platform lets a directory be opened for this.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            // Best effort: the file itself was forced before the rename.
        }
    }

    @Override
    public String toString()
    {
        return "JournalMetadata{schemaVersion=" + schemaVersion + ", instanceId=" + instanceId + ", rollCycle=" +
            rollCycle + ", firstRetainedCycle=" + firstRetainedCycle + ", anchorSequence=" + anchorSequence + '}';
    }
}
