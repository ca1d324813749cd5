package io.truestock.journal;

import io.truestock.engine.Command;
import io.truestock.engine.runtime.CommandJournal;
import io.truestock.engine.runtime.CommandTooLargeException;
import io.truestock.journal.JournalException.Problem;
import io.truestock.sbe.AbandonDecoder;
import io.truestock.sbe.BatchSealDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

/**
 * The write-ahead journal: a Chronicle Queue of SBE command records in one directory, hash-chained by batch.
 *
 * <h2>Records</h2>
 * {@link #append} writes one CommandRecord per mutation. {@link #endOfBatch} writes a BatchSeal holding the batch's
 * first and last sequence, its record count and {@code SHA-256(previous chain hash || bytes of every record of the
 * batch, in order)}; the chain starts from a hash of the engine instance id. So every record is covered, and editing,
 * dropping, inserting or reordering any of them breaks the chain ({@link JournalVerifier}).
 *
 * <h2>Durability</h2>
 * A batch is durable when {@code endOfBatch} returns: written to the memory-mapped queue file (survives a process
 * crash), and with {@link JournalConfig#fsyncPerBatch} also forced to the device (survives a machine crash). The
 * engine runtime lets the business stage see a batch only after that, so a seal is the line between what may have
 * been acknowledged and what was never applied.
 *
 * <h2>Restart after a crash</h2>
 * Records after the last seal were never applied nor acknowledged. {@link #open} finds such a tail and writes an
 * Abandon record naming its sequence range and chaining its bytes, so replay and verification skip it, and the
 * journal continues after the last sealed sequence, reusing the abandoned numbers. The tail's last record may be
 * torn (the crash came while it was written: its bytes fail their checksum); it is abandoned with the rest. Damage
 * anywhere else is an edit, never taken for a tear.
 * <p>
 * A journal written only after its commands were committed elsewhere (a cluster node's) opens with
 * {@link #openSealingTail} instead: there the tail was applied, and it is sealed rather than abandoned.
 *
 * <h2>Threads</h2>
 * {@code append} and {@code endOfBatch} are called by one thread (the ingress stage); {@link #close} by any thread
 * once that one has stopped. {@link #releaseCyclesBefore} may be called from any thread while appends go on.
 */
public final class ChronicleCommandJournal implements CommandJournal
{
    private final JournalConfig config;
    private final Path dir;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final JournalCodec codec;
    /** The record being appended, copied off heap: Chronicle copies it into the queue in one block from there. */
    private Bytes<?> out;
    private final MessageDigest sha = JournalMetadata.sha256();
    private final byte[] headHash = new byte[JournalCodec.HASH_LENGTH];
    private ExcerptAppender appender;
    private long lastSealedSequence;
    private long batchFirstSequence;
    private int batchCount;
    private Throwable failure;
    private boolean closed;

    private ChronicleCommandJournal(
        final JournalConfig config, final SingleChronicleQueue queue, final byte[] headHash, final long lastSealedSequence)
    {
        this.config = config;
        this.dir = config.dataDir();
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.codec = new JournalCodec(config.maxRecordBytes());
        System.arraycopy(headHash, 0, this.headHash, 0, JournalCodec.HASH_LENGTH);
        this.lastSealedSequence = lastSealedSequence;
        loadHeapBytes();
    }

    /**
     * Loads Chronicle's class for byte views of heap arrays now, before the append path is compiled. Appends copy
     * from direct memory and never need it, but Chronicle's own index reading does, first when the first snapshot
     * lets old cycles go; loaded that late, a new subclass of the byte stores the compiled append and audit paths
     * were specialised for, it made the JIT throw away the compiled Chronicle methods of both at once (dozens made
     * not entrant within a millisecond, then compiled again).
     */
    private static void loadHeapBytes()
    {
        Bytes.wrapForRead(new byte[1]).releaseLast();
    }

    /**
     * Opens (or creates) the journal in {@code config.dataDir()} for appending after {@code lastAppliedSequence}.
     * <p>
     * A new directory gets a metadata file naming {@code config.instanceId()} and the schema version. An existing one
     * must carry the same instance id and a schema version this build reads. If the journal ends with records no seal
     * covers (a crash in the middle of a batch), an Abandon record is written for them first.
     *
     * @param config              the journal settings; concluded here if the caller has not.
     * @param lastAppliedSequence the engine's last sequence after recovery (snapshot plus replay), 0 for a new engine;
     *                            the journal's last sealed sequence must be the same, so the next append continues
     *                            exactly where the engine's state is.
     * @throws JournalException if the directory belongs to another instance ({@code WRONG_INSTANCE}), was written
     *                          with an unknown schema version ({@code UNKNOWN_VERSION}), has queue files without
     *                          metadata, holds a damaged record in its last batch (a torn last record excepted), or ends at another sequence than
     *                          {@code lastAppliedSequence} ({@code SEQUENCE_MISMATCH}).
     */
    public static ChronicleCommandJournal open(final JournalConfig config, final long lastAppliedSequence)
    {
        return open(config, lastAppliedSequence, false);
    }

    /**
     * Opens like {@link #open}, but seals an unsealed tail instead of abandoning it: for a journal whose writer appends
     * a command only after it was committed and applied elsewhere (a cluster node writes the Raft log's commands after
     * applying them). There, records after the last seal do not mean "never applied": the writer died between a
     * record and its seal, every other replica holds those commands sealed, and the caller is about to be offered them
     * again. The seal written here is the one the writer would have written (the tail's range and count,
     * SHA-256(head || the tail's records)), so the chain stays the same as that of a writer that never stopped;
     * abandoning the tail and appending the commands again would fork it from the other replicas' for good.
     * <p>
     * The journal then continues after the tail: {@link #lastSequence()} may be past {@code lastSealedSequence}, and
     * the caller skips the commands up to it. A tail whose last record is torn cannot be sealed (its bytes are not the
     * command's); it is abandoned, as {@link #open} does.
     *
     * @param config             the journal settings; concluded here if the caller has not.
     * @param lastSealedSequence where the journal's sealed history must end: the sequence before the first command
     *                           the caller will offer.
     * @throws JournalException as {@link #open} does.
     */
    public static ChronicleCommandJournal openSealingTail(final JournalConfig config, final long lastSealedSequence)
    {
        return open(config, lastSealedSequence, true);
    }

    private static ChronicleCommandJournal open(
        final JournalConfig config, final long lastAppliedSequence, final boolean sealTail)
    {
        config.conclude();
        final Path dir = config.dataDir();
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create journal directory " + dir, ex);
        }
        JournalMetadata meta = JournalMetadata.read(dir);
        if (meta == null)
        {
            meta = JournalMetadata.create(config.instanceId(), config.rollCycle().toString(), System.currentTimeMillis());
            meta.write(dir);
        }
        else if (!meta.instanceId.equals(config.instanceId()))
        {
            throw new JournalException(Problem.WRONG_INSTANCE, "journal at " + dir + " belongs to engine instance '" +
                meta.instanceId + "', not '" + config.instanceId() + "'");
        }
        final RollCycle cycle = Queues.rollCycleNamed(meta.rollCycle, config.rollCycle());
        final SingleChronicleQueue queue =
            Queues.open(dir, cycle, config.cycleClock(), false, config.fsyncPerBatch(), config.blockBytes());
        try
        {
            final JournalTail tail = JournalTail.scan(queue, meta, config.maxRecordBytes());
            if (tail.lastSealedSequence != lastAppliedSequence)
            {
                throw new JournalException(Problem.SEQUENCE_MISMATCH, "journal at " + dir + " ends at sealed sequence " +
                    tail.lastSealedSequence + " but the engine is at " + lastAppliedSequence +
                    ": recover the engine from this journal (snapshot plus replay) before appending");
            }
            final ChronicleCommandJournal journal =
                new ChronicleCommandJournal(config, queue, tail.headHash, tail.lastSealedSequence);
            if (tail.unsealedCount > 0 && sealTail && !tail.tornLast)
            {
                journal.seal(tail);
            }
            else if (tail.unsealedCount > 0)
            {
                journal.abandon(tail);
            }
            return journal;
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
    }

    private void abandon(final JournalTail tail)
    {
        writeOnOpening(codec.encodeAbandon(
            tail.firstUnsealedSequence, tail.lastUnsealedSequence, tail.unsealedCount, lastSealedSequence,
            tail.unsealedHash));
        System.arraycopy(tail.unsealedHash, 0, headHash, 0, JournalCodec.HASH_LENGTH);
    }

    private void seal(final JournalTail tail)
    {
        writeOnOpening(codec.encodeSeal(
            tail.firstUnsealedSequence, tail.lastUnsealedSequence, tail.unsealedCount, tail.unsealedHash));
        System.arraycopy(tail.unsealedHash, 0, headHash, 0, JournalCodec.HASH_LENGTH);
        lastSealedSequence = tail.lastUnsealedSequence;
    }

    private void writeOnOpening(final int length)
    {
        // The opening thread writes this one record; Chronicle confines appenders and byte views to one thread, so
        // the ingress thread later makes its own.
        final Bytes<byte[]> record = Bytes.wrapForRead(codec.encodedBytes());
        try (ExcerptAppender opening = queue.createAppender())
        {
            record.readPositionRemaining(0, length);
            opening.writeBytes(record);
            if (config.fsyncPerBatch())
            {
                opening.sync();
            }
        }
        finally
        {
            record.releaseLast();
        }
    }

    /**
     * Appends one stamped mutation to the current batch. Nothing is durable, and nothing may be applied, until
     * {@link #endOfBatch()} returns.
     *
     * @throws IllegalStateException    if the sequence is not the one after the last appended (the engine and the
     *                                  journal disagree about history), or the journal failed or was closed.
     * @throws CommandTooLargeException if the command does not fit in a record; nothing was written and the
     *                                  journal stays usable.
     * @throws IllegalArgumentException if the command is not a mutation; nothing was written.
     */
    @Override
    public void append(final Command command)
    {
        checkUsable();
        final long sequence = command.sequence();
        final long expected = lastSealedSequence + batchCount + 1;
        if (sequence != expected)
        {
            throw new IllegalStateException("journal expects sequence " + expected + " next, got " + command);
        }
        if (command.type() == null || !command.type().isMutation())
        {
            throw new IllegalArgumentException("only mutations are journaled: " + command);
        }
        final int length = codec.encodeCommand(command);
        try
        {
            if (batchCount == 0)
            {
                batchFirstSequence = sequence;
                sha.update(headHash);
            }
            sha.update(codec.encodedBytes(), 0, length);
            write(length);
            batchCount++;
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
            throw ex;
        }
    }

    /**
     * Seals the batch appended since the last call, and with {@code fsyncPerBatch} forces it to the device. Does
     * nothing if the batch is empty.
     *
     * @throws IllegalStateException if the journal failed earlier or was closed.
     */
    @Override
    public void endOfBatch()
    {
        checkUsable();
        if (batchCount == 0)
        {
            return;
        }
        try
        {
            sha.digest(headHash, 0, JournalCodec.HASH_LENGTH);
            final long lastSequence = lastSealedSequence + batchCount;
            write(codec.encodeSeal(batchFirstSequence, lastSequence, batchCount, headHash));
            if (config.fsyncPerBatch())
            {
                appender.sync();
            }
            lastSealedSequence = lastSequence;
            batchCount = 0;
        }
        catch (final DigestException ex)
        {
            failure = ex;
            throw new IllegalStateException("SHA-256 refused a " + JournalCodec.HASH_LENGTH + "-byte digest", ex);
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
            throw ex;
        }
    }

    private void write(final int length)
    {
        if (appender == null)
        {
            appender = queue.createAppender();
            out = Bytes.allocateElasticDirect(codec.encodedBytes().length);
        }
        out.clear();
        out.write(codec.encodedBytes(), 0, length);
        appender.writeBytes(out);
    }

    private void checkUsable()
    {
        if (failure != null)
        {
            throw new IllegalStateException("journal failed earlier and accepts nothing more", failure);
        }
        if (closed)
        {
            throw new IllegalStateException("journal is closed");
        }
    }

    /** Last sequence covered by a seal: the last one that may have been applied. Writer thread, or after close. */
    public long lastSequence()
    {
        return lastSealedSequence;
    }

    /** Hex of the chain hash after the last seal. Writer thread, or after close. */
    public String headHashHex()
    {
        return JournalCodec.hex(headHash);
    }

    public Path dataDir()
    {
        return dir;
    }

    /**
     * Deletes old cycle files that recovery no longer needs: each holds only records of sequence below
     * {@code sequence} and ends on a seal (a file whose last batch is sealed in the next file stays). Call it after
     * a snapshot at sequence S is safely written, with S + 1: replay from that snapshot starts at S + 1.
     * <p>
     * The file being written and the {@link JournalConfig#retainedCycles()} newest older files are always kept, and
     * files go oldest first, so the journal always stays one contiguous stretch of history. The metadata file is
     * updated to start the chain at the first retained file (its anchor is the last released seal's hash) before
     * anything is deleted, so {@link JournalVerifier} keeps verifying, and a crash in between leaves files that
     * the next release deletes.
     *
     * @param sequence the first sequence still needed.
     * @return how many cycle files were deleted.
     * @throws JournalException if the last record of a candidate file is damaged; nothing after it is released.
     */
    public synchronized int releaseCyclesBefore(final long sequence)
    {
        if (closed)
        {
            throw new IllegalStateException("journal is closed");
        }
        final JournalMetadata meta = JournalMetadata.read(dir);
        queue.refreshDirectoryListing();
        final int firstCycle = queue.firstCycle();
        final int lastCycle = queue.lastCycle();
        if (meta == null || firstCycle > lastCycle)
        {
            return 0;
        }
        final NavigableSet<Long> existing = queue.listCyclesBetween(firstCycle, lastCycle);
        final List<Long> cycles = new ArrayList<>(existing);
        final int candidates = cycles.size() - 1 - config.retainedCycles();
        final List<File> files = new ArrayList<>();
        final JournalCodec reader = new JournalCodec(config.maxRecordBytes());
        int lastReleased = JournalMetadata.NO_CYCLE;
        long anchorSequence = meta.anchorSequence;
        final byte[] anchorHash = meta.anchorHash.clone();
        final byte[] cycleHash = new byte[JournalCodec.HASH_LENGTH];
        try (RecordCursor cursor = new RecordCursor(queue, config.maxRecordBytes()))
        {
            for (int i = 0; i < candidates; i++)
            {
                final int cycle = cycles.get(i).intValue();
                final long count = cursor.excerptsInCycle(cycle);
                if (count == 0 || !cursor.moveTo(rollCycle.toIndex(cycle, count - 1)) || !cursor.next())
                {
                    // Nothing of the chain lives here, and without a record there is no file handle to delete.
                    continue;
                }
                final File file = cursor.currentFile();
                if (meta.firstRetainedCycle != JournalMetadata.NO_CYCLE && cycle < meta.firstRetainedCycle)
                {
                    files.add(file);
                    continue;
                }
                final int template;
                try
                {
                    template = reader.wrap(cursor.bytes(), cursor.length());
                }
                catch (final JournalException ex)
                {
                    throw ex.at(cursor.where());
                }
                final long chainSequence;
                if (template == JournalCodec.SEAL_TEMPLATE)
                {
                    final BatchSealDecoder seal = reader.seal();
                    chainSequence = seal.lastSequence();
                    seal.getHash(cycleHash, 0, JournalCodec.HASH_LENGTH);
                }
                else if (template == JournalCodec.ABANDON_TEMPLATE)
                {
                    final AbandonDecoder abandon = reader.abandon();
                    chainSequence = abandon.resumeAfterSequence();
                    abandon.getHash(cycleHash, 0, JournalCodec.HASH_LENGTH);
                }
                else
                {
                    break;
                }
                if (chainSequence >= sequence)
                {
                    break;
                }
                anchorSequence = chainSequence;
                System.arraycopy(cycleHash, 0, anchorHash, 0, JournalCodec.HASH_LENGTH);
                lastReleased = cycle;
                files.add(file);
            }
        }
        if (lastReleased != JournalMetadata.NO_CYCLE)
        {
            meta.releasedUpTo(lastReleased + 1, anchorSequence, anchorHash).write(dir);
        }
        int deleted = 0;
        for (final File file : files)
        {
            try
            {
                if (Files.deleteIfExists(file.toPath()))
                {
                    deleted++;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot delete released cycle file " + file, ex);
            }
        }
        queue.refreshDirectoryListing();
        return deleted;
    }

    /**
     * Closes the queue. A batch appended but not sealed stays unsealed: it was never applied, and the next
     * {@link #open} abandons it. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (appender != null)
        {
            // The ingress thread used it; the runtime calls close from another thread after that one stopped.
            appender.singleThreadedCheckReset();
            appender.close();
            out.singleThreadedCheckReset();
            out.releaseLast();
        }
        queue.close();
    }

    @Override
    public String toString()
    {
        return "ChronicleCommandJournal{dir=" + dir + ", lastSequence=" + lastSealedSequence + '}';
    }
}
