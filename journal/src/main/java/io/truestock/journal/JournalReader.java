package io.truestock.journal;

import io.truestock.engine.Command;
import io.truestock.journal.JournalException.Problem;
import io.truestock.sbe.AbandonDecoder;
import io.truestock.sbe.BatchSealDecoder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ExpandableArrayBuffer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Replays a journal for recovery: every sealed command from a given sequence on, in order, decoded and stamped.
 * <p>
 * A batch is delivered only when its seal is read, so records after the last seal (a crash in the middle of a
 * batch; never applied, never acknowledged) are reported in the {@link ReplayResult} and never delivered, and
 * records covered by an Abandon record are skipped. Each record's checksum and the sequence structure (no gaps, seals
 * that match their batches) are checked on the way; the hash chain is {@link JournalVerifier}'s job.
 * <p>
 * Opens the queue read-only; a journal may be replayed while nothing appends to it. Not thread safe.
 */
public final class JournalReader implements AutoCloseable
{
    /** One batch is held in memory until its seal arrives; a batch this large means a damaged journal. */
    static final int MAX_BATCH_BYTES = 1 << 30;
    private static final int HELD_HEADER = Long.BYTES + Integer.BYTES;

    private final Path dir;
    private final JournalMetadata meta;
    private final SingleChronicleQueue queue;
    private final int maxRecordBytes;
    private final JournalCodec codec;
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(64 * 1024);

    private JournalReader(final Path dir, final JournalMetadata meta, final SingleChronicleQueue queue, final int maxRecordBytes)
    {
        this.dir = dir;
        this.meta = meta;
        this.queue = queue;
        this.maxRecordBytes = maxRecordBytes;
        this.codec = new JournalCodec(maxRecordBytes);
    }

    /**
     * Opens the journal that {@code config} describes, checking that it belongs to {@code config.instanceId()}.
     *
     * @throws JournalException if there is no journal there, it belongs to another instance, or it was written with
     *                          an unknown schema version.
     */
    public static JournalReader open(final JournalConfig config)
    {
        config.conclude();
        final JournalMetadata meta = readMeta(config.dataDir());
        if (!meta.instanceId.equals(config.instanceId()))
        {
            throw new JournalException(Problem.WRONG_INSTANCE, "journal at " + config.dataDir() +
                " belongs to engine instance '" + meta.instanceId + "', not '" + config.instanceId() + "'");
        }
        return new JournalReader(config.dataDir(), meta, Queues.openForReading(config.dataDir(), meta),
            config.maxRecordBytes());
    }

    /**
     * Opens the journal in {@code dir} whoever owns it, for inspection.
     *
     * @throws JournalException if there is no journal there or it was written with an unknown schema version.
     */
    public static JournalReader open(final Path dir)
    {
        final JournalMetadata meta = readMeta(dir);
        return new JournalReader(dir, meta, Queues.openForReading(dir, meta), JournalConfig.DEFAULT_MAX_RECORD_BYTES);
    }

    static JournalMetadata readMeta(final Path dir)
    {
        final JournalMetadata meta = JournalMetadata.read(dir);
        if (meta == null || !Files.exists(dir.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE)))
        {
            throw new JournalException(Problem.MISSING_METADATA, "no journal at " + dir);
        }
        return meta;
    }

    /** The engine instance the journal belongs to. */
    public String instanceId()
    {
        return meta.instanceId;
    }

    /** The first sequence this journal can replay: older cycles may have been released after a snapshot. */
    public long firstAvailableSequence()
    {
        return meta.anchorSequence + 1;
    }

    /**
     * Delivers every sealed command with sequence {@code >= fromSequence} to {@code handler}, in order.
     * <p>
     * For recovery from a snapshot at sequence S, replay from S + 1 (from 1 without a snapshot), then open the journal
     * for appending after {@link ReplayResult#lastSequence()}.
     *
     * @param fromSequence the first sequence to deliver, at least {@link #firstAvailableSequence()}.
     * @param into         the command each record is decoded into, with room for the most lines a command carries.
     * @param handler      receives the commands and the abandoned ranges.
     * @return what was seen, including any unsealed tail.
     * @throws JournalException if {@code fromSequence} was released or lies beyond the journal's end
     *                          ({@code SEQUENCE_MISMATCH}), a record is damaged, truncated (except the queue's last
     *                          record after the last seal, torn by a crash, which is reported as unsealed; or such a
     *                          record followed by the Abandon record that covers it) or of an unknown schema
     *                          version, or the records do not form a writer's history ({@code BROKEN_HISTORY});
     *                          the message names the record.
     */
    public ReplayResult replay(final long fromSequence, final Command into, final ReplayHandler handler)
    {
        if (fromSequence <= meta.anchorSequence)
        {
            throw new JournalException(Problem.SEQUENCE_MISMATCH, "journal at " + dir + " no longer holds sequence " +
                fromSequence + ": cycles up to sequence " + meta.anchorSequence + " were released; replay from a " +
                "snapshot at or after it");
        }
        long lastSealed = meta.anchorSequence;
        long expected = lastSealed + 1;
        long replayed = 0;
        int abandonedBatches = 0;
        long abandonedRecords = 0;
        int batchCount = 0;
        long batchFirst = 0;
        int batchBytes = 0;
        int batchHeld = 0;
        try (RecordCursor cursor = new RecordCursor(queue, maxRecordBytes).fromCycle(meta.firstRetainedCycle))
        {
            final long sealedBefore = seekToSealBefore(cursor, fromSequence);
            lastReplaySought = sealedBefore >= 0;
            if (sealedBefore >= 0)
            {
                lastSealed = sealedBefore;
                expected = lastSealed + 1;
            }
            else
            {
                cursor.fromCycle(meta.firstRetainedCycle);
            }
            JournalException torn = null;
            while (cursor.next())
            {
                final int template;
                try
                {
                    template = wrap(cursor);
                }
                catch (final JournalException ex)
                {
                    if (torn != null || !isDamage(ex))
                    {
                        throw torn != null ? torn : ex;
                    }
                    // Torn if it is the queue's last record, or the Abandon record that covers it follows; an edit
                    // (and an error) if anything else follows.
                    torn = ex;
                    if (batchCount == 0)
                    {
                        batchFirst = expected;
                    }
                    batchCount++;
                    expected++;
                    continue;
                }
                if (torn != null && template != JournalCodec.ABANDON_TEMPLATE)
                {
                    throw torn;
                }
                torn = null;
                if (template == JournalCodec.COMMAND_TEMPLATE)
                {
                    final long sequence = codec.commandSequence();
                    if (sequence != expected)
                    {
                        throw new JournalException(Problem.BROKEN_HISTORY, cursor.where() + " has sequence " + sequence +
                            " where " + expected + " was expected; run the verifier for details");
                    }
                    if (batchCount == 0)
                    {
                        batchFirst = sequence;
                    }
                    batchCount++;
                    expected++;
                    if (sequence >= fromSequence)
                    {
                        batchBytes = hold(cursor, batchBytes);
                        batchHeld++;
                    }
                }
                else if (template == JournalCodec.SEAL_TEMPLATE)
                {
                    final BatchSealDecoder seal = codec.seal();
                    checkCovers(cursor, "seal", seal.firstSequence(), seal.lastSequence(), seal.count(),
                        batchFirst, expected - 1, batchCount);
                    replayed += deliver(batchHeld, batchBytes, into, handler);
                    lastSealed = expected - 1;
                    batchCount = 0;
                    batchBytes = 0;
                    batchHeld = 0;
                }
                else if (template == JournalCodec.ABANDON_TEMPLATE)
                {
                    final AbandonDecoder abandon = codec.abandon();
                    final long first = abandon.firstSequence();
                    final long last = abandon.lastSequence();
                    final int count = abandon.count();
                    final long resumeAfter = abandon.resumeAfterSequence();
                    checkCovers(cursor, "Abandon record", first, last, count, batchFirst, expected - 1, batchCount);
                    if (resumeAfter != lastSealed)
                    {
                        throw new JournalException(Problem.BROKEN_HISTORY, cursor.where() + " resumes after " +
                            resumeAfter + " but the last sealed sequence is " + lastSealed);
                    }
                    handler.onAbandoned(first, last, count);
                    abandonedBatches++;
                    abandonedRecords += count;
                    expected = lastSealed + 1;
                    batchCount = 0;
                    batchBytes = 0;
                    batchHeld = 0;
                }
                else
                {
                    throw new JournalException(Problem.MALFORMED, cursor.where() + " is of type " + template +
                        ", which does not belong in a journal queue");
                }
            }
        }
        if (fromSequence > lastSealed + 1)
        {
            throw new JournalException(Problem.SEQUENCE_MISMATCH, "replay from sequence " + fromSequence +
                " asked for history the journal at " + dir + " does not have: its last sealed sequence is " + lastSealed);
        }
        return new ReplayResult(lastSealed, replayed, abandonedBatches, abandonedRecords, batchCount,
            batchCount == 0 ? 0 : batchFirst, batchCount == 0 ? 0 : expected - 1);
    }

    /** Whether the last replay started after a seal found by seeking (for tests). */
    boolean lastReplaySought;

    /** Below this many records to skip, walking from the start costs less than seeking. */
    private static final long SEEK_THRESHOLD = 100_000;
    /** Seek this far below the target, so that sequences reused after an abandoned tail cannot mislead the search. */
    private static final long SEEK_MARGIN = 65_536;

    /**
     * Positions the cursor just after a seal whose last sequence is below {@code fromSequence}, found by binary
     * search over record indexes, so a replay from a recent snapshot does not read the whole retained journal.
     * The state of a walk after a seal is fully determined by the seal (the last sealed sequence; no open batch),
     * so the walk from there checks and delivers exactly what a walk from the start would.
     *
     * @return the seal's last sequence, or -1 when seeking is not worth it or found nothing (the caller then walks
     * from the start).
     */
    private long seekToSealBefore(final RecordCursor cursor, final long fromSequence)
    {
        final long target = fromSequence - SEEK_MARGIN;
        if (fromSequence - meta.anchorSequence < SEEK_THRESHOLD)
        {
            return -1;
        }
        final int firstCycle = meta.firstRetainedCycle == JournalMetadata.NO_CYCLE ? queue.firstCycle() :
            meta.firstRetainedCycle;
        final int lastCycle = queue.lastCycle();
        if (firstCycle > lastCycle || lastCycle < 0)
        {
            return -1;
        }
        final java.util.List<Long> cycles = new java.util.ArrayList<>(queue.listCyclesBetween(firstCycle, lastCycle));
        final net.openhft.chronicle.queue.RollCycle rollCycle = queue.rollCycle();
        for (int c = cycles.size() - 1; c >= 0; c--)
        {
            final int cycle = cycles.get(c).intValue();
            final long count = cursor.excerptsInCycle(cycle);
            if (count <= 0)
            {
                continue;
            }
            long lo = 0;
            long hi = count - 1;
            long found = -1;
            while (lo <= hi)
            {
                final long mid = (lo + hi) >>> 1;
                final long sequence = sequenceAt(cursor, rollCycle.toIndex(cycle, mid));
                if (sequence >= 0 && sequence < target)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }
            if (found < 0)
            {
                continue;
            }
            if (!cursor.moveTo(rollCycle.toIndex(cycle, found)))
            {
                return -1;
            }
            while (cursor.next())
            {
                if (wrap(cursor) == JournalCodec.SEAL_TEMPLATE)
                {
                    final long last = codec.seal().lastSequence();
                    return last < fromSequence ? last : -1;
                }
            }
            return -1;
        }
        return -1;
    }

    /** The sequence a record speaks of (a command's, a seal's last, an abandon's resume point), or -1 if unreadable. */
    private long sequenceAt(final RecordCursor cursor, final long index)
    {
        if (!cursor.moveTo(index) || !cursor.next())
        {
            return -1;
        }
        final int template = wrap(cursor);
        if (template == JournalCodec.COMMAND_TEMPLATE)
        {
            return codec.commandSequence();
        }
        if (template == JournalCodec.SEAL_TEMPLATE)
        {
            return codec.seal().lastSequence();
        }
        if (template == JournalCodec.ABANDON_TEMPLATE)
        {
            return codec.abandon().resumeAfterSequence();
        }
        return -1;
    }

    private static boolean isDamage(final JournalException ex)
    {
        return ex.problem() == Problem.CHECKSUM_MISMATCH || ex.problem() == Problem.TRUNCATED;
    }

    private int wrap(final RecordCursor cursor)
    {
        try
        {
            return codec.wrap(cursor.bytes(), cursor.length());
        }
        catch (final JournalException ex)
        {
            throw ex.at("journal at " + dir + ", " + cursor.where());
        }
    }

    private static void checkCovers(
        final RecordCursor cursor,
        final String what,
        final long first,
        final long last,
        final int count,
        final long batchFirst,
        final long batchLast,
        final int batchCount)
    {
        if (batchCount == 0 || first != batchFirst || last != batchLast || count != batchCount)
        {
            throw new JournalException(Problem.BROKEN_HISTORY, cursor.where() + ": " + what + " covers sequences " +
                first + ".." + last + " (" + count + " records) but the records before it are " +
                (batchCount == 0 ? "none" : batchFirst + ".." + batchLast + " (" + batchCount + ")") +
                "; run the verifier for details");
        }
    }

    /** Copies the current record into the batch buffer as [queue index][length][bytes]. */
    private int hold(final RecordCursor cursor, final int at)
    {
        final int length = cursor.length();
        final long end = (long)at + HELD_HEADER + length;
        if (end > MAX_BATCH_BYTES)
        {
            throw new JournalException(Problem.BROKEN_HISTORY, cursor.where() + ": batch exceeds " + MAX_BATCH_BYTES +
                " bytes without a seal");
        }
        batch.putLong(at, cursor.index());
        batch.putInt(at + Long.BYTES, length);
        batch.putBytes(at + HELD_HEADER, cursor.bytes(), 0, length);
        return (int)end;
    }

    private long deliver(final int count, final int bytes, final Command into, final ReplayHandler handler)
    {
        final byte[] array = batch.byteArray();
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            final long index = batch.getLong(at);
            final int length = batch.getInt(at + Long.BYTES);
            try
            {
                codec.wrap(array, at + HELD_HEADER, length);
                codec.decodeCommand(into);
            }
            catch (final JournalException ex)
            {
                throw ex.at("journal at " + dir + ", " + RecordCursor.describe(queue.rollCycle(), index));
            }
            handler.onCommand(into);
            at += HELD_HEADER + length;
        }
        if (at != bytes)
        {
            throw new IllegalStateException("batch buffer walk ended at " + at + " of " + bytes);
        }
        return count;
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
