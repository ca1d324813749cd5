package io.truestock.journal;

import io.truestock.engine.Command;
import io.truestock.journal.JournalException.Problem;
import io.truestock.journal.VerifyResult.Failure;
import io.truestock.journal.VerifyResult.Kind;
import io.truestock.sbe.AbandonDecoder;
import io.truestock.sbe.BatchSealDecoder;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Checks a journal's audit trail: every retained record, in order, against its checksum, the sequence structure
 * and the SHA-256 hash chain of the seals, and reports the first record that is edited, dropped, inserted or
 * reordered.
 * <p>
 * Two layers make the verdict precise. A record's CRC32C names a record whose bytes changed by accident or by a
 * careless edit. The chain, {@code hash(batch) = SHA-256(hash(previous batch) || bytes of its records)}, starting
 * from a hash of the instance id (or, after old cycles were released, from the anchor in the metadata), catches
 * a deliberate edit that fixed up the checksum; it names the batch, since one hash covers the whole batch. Sequence
 * numbers tell a missing record from a moved or repeated one. What a chain cannot catch alone is a journal cut short
 * after a seal or rewritten wholesale: for that, compare {@link VerifyResult#headHashHex()} with a copy kept
 * elsewhere.
 * <p>
 * Opens the queue read-only; safe to run on a copy, or beside a running writer (it checks what is there when it
 * reads it).
 */
public final class JournalVerifier
{
    /** Lines a verified command may carry; more than any engine bound, so decoding checks contents, not limits. */
    private static final int MAX_LINES = 65_534;

    private final Path dir;
    private final JournalMetadata meta;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final JournalCodec codec = new JournalCodec(JournalCodec.MIN_RECORD_BYTES);
    private final Command scratch = new Command(MAX_LINES);
    private final MessageDigest sha = JournalMetadata.sha256();
    private final byte[] chainHash;
    private final byte[] sealHash = new byte[JournalCodec.HASH_LENGTH];

    private long records;
    private long commands;
    private long batches;
    private long abandonedRecords;
    private long lastSealed;
    private long expected;
    private int batchCount;
    private long batchFirst;
    private long batchFirstIndex;
    /** A damaged record that is torn if nothing but the Abandon record covering it follows; else an edit. */
    private Failure torn;

    private JournalVerifier(final Path dir, final JournalMetadata meta, final SingleChronicleQueue queue)
    {
        this.dir = dir;
        this.meta = meta;
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.chainHash = meta.anchorHash.clone();
        this.lastSealed = meta.anchorSequence;
        this.expected = meta.anchorSequence + 1;
    }

    /**
     * Verifies the journal in {@code dir}.
     *
     * @return the verdict; never throws for a bad record, that is what the result is for.
     * @throws JournalException if the directory holds no journal or its metadata is unreadable or of an unknown
     *                          schema version: without it there is no chain to check.
     */
    public static VerifyResult verify(final Path dir)
    {
        final JournalMetadata meta = JournalReader.readMeta(dir);
        try (SingleChronicleQueue queue = Queues.openForReading(dir, meta))
        {
            return new JournalVerifier(dir, meta, queue).run();
        }
    }

    private VerifyResult run()
    {
        try (RecordCursor cursor = new RecordCursor(queue, JournalConfig.DEFAULT_MAX_RECORD_BYTES)
            .fromCycle(meta.firstRetainedCycle))
        {
            while (cursor.next())
            {
                if (torn != null && !isAbandon(cursor))
                {
                    return result(torn);
                }
                final Failure failure = check(cursor);
                if (failure != null)
                {
                    return result(failure);
                }
                records++;
            }
        }
        return result(null);
    }

    private boolean isAbandon(final RecordCursor cursor)
    {
        try
        {
            return codec.wrap(cursor.bytes(), cursor.length()) == JournalCodec.ABANDON_TEMPLATE;
        }
        catch (final JournalException ex)
        {
            return false;
        }
    }

    private VerifyResult result(final Failure failure)
    {
        return new VerifyResult(failure == null, records, commands, batches, lastSealed, JournalCodec.hex(chainHash),
            abandonedRecords, batchCount, meta.anchorSequence + 1, failure);
    }

    private Failure check(final RecordCursor cursor)
    {
        final int template;
        try
        {
            template = codec.wrap(cursor.bytes(), cursor.length());
        }
        catch (final JournalException ex)
        {
            final Kind kind = switch (ex.problem())
            {
                case CHECKSUM_MISMATCH, TRUNCATED -> Kind.EDITED;
                default -> Kind.UNREADABLE;
            };
            final Failure failure = failure(kind, cursor.index(), peekSequence(cursor), ex.getMessage());
            if (kind != Kind.EDITED || torn != null)
            {
                return failure;
            }
            // Torn by a crash while it was written if it is the last record, or the Abandon record that follows
            // chains its bytes; edited if anything else follows (run() reports it then).
            torn = failure;
            return addToBatch(cursor);
        }
        if (template == JournalCodec.ABANDON_TEMPLATE)
        {
            torn = null;
        }
        return switch (template)
        {
            case JournalCodec.COMMAND_TEMPLATE -> checkCommand(cursor);
            case JournalCodec.SEAL_TEMPLATE -> checkSeal(cursor);
            case JournalCodec.ABANDON_TEMPLATE -> checkAbandon(cursor);
            default -> failure(Kind.UNREADABLE, cursor.index(), -1,
                "a record of type " + template + " does not belong in a journal queue");
        };
    }

    private Failure checkCommand(final RecordCursor cursor)
    {
        final long sequence = codec.commandSequence();
        try
        {
            codec.decodeCommand(scratch);
        }
        catch (final JournalException ex)
        {
            return failure(ex.problem() == Problem.TRUNCATED ? Kind.EDITED : Kind.UNREADABLE, cursor.index(), sequence,
                ex.getMessage());
        }
        if (sequence > expected)
        {
            final long laterIndex = findLater(cursor.index(), expected);
            if (laterIndex >= 0)
            {
                return failure(Kind.REORDERED, cursor.index(), expected, "sequence " + sequence + " stands where " +
                    expected + " belongs; " + expected + " turns up later, " + describe(laterIndex));
            }
            return failure(Kind.DROPPED, cursor.index(), expected, "sequence " + expected +
                (sequence - 1 > expected ? ".." + (sequence - 1) + " are" : " is") + " missing before sequence " + sequence);
        }
        if (sequence < expected)
        {
            return failure(Kind.INSERTED, cursor.index(), sequence, "sequence " + sequence + " appears again where " +
                expected + " belongs");
        }
        return addToBatch(cursor);
    }

    /** Counts the record (of the expected sequence) into the open batch and its chain hash. @return null. */
    private Failure addToBatch(final RecordCursor cursor)
    {
        if (batchCount == 0)
        {
            batchFirst = expected;
            batchFirstIndex = cursor.index();
            sha.update(chainHash);
        }
        sha.update(cursor.bytes(), 0, cursor.length());
        batchCount++;
        expected++;
        return null;
    }

    private Failure checkSeal(final RecordCursor cursor)
    {
        final BatchSealDecoder seal = codec.seal();
        final long first = seal.firstSequence();
        final long last = seal.lastSequence();
        final int count = seal.count();
        seal.getHash(sealHash, 0, JournalCodec.HASH_LENGTH);
        final Failure mismatch = checkCovers(cursor, "seal", first, last, count);
        if (mismatch != null)
        {
            return mismatch;
        }
        final Failure hashFailure = checkHash(cursor, "seal");
        if (hashFailure != null)
        {
            return hashFailure;
        }
        commands += count;
        batches++;
        lastSealed = last;
        batchCount = 0;
        return null;
    }

    private Failure checkAbandon(final RecordCursor cursor)
    {
        final AbandonDecoder abandon = codec.abandon();
        final long first = abandon.firstSequence();
        final long last = abandon.lastSequence();
        final int count = abandon.count();
        final long resumeAfter = abandon.resumeAfterSequence();
        abandon.getHash(sealHash, 0, JournalCodec.HASH_LENGTH);
        final Failure mismatch = checkCovers(cursor, "Abandon record", first, last, count);
        if (mismatch != null)
        {
            return mismatch;
        }
        if (resumeAfter != lastSealed)
        {
            return failure(Kind.EDITED, cursor.index(), first, "Abandon record resumes after sequence " + resumeAfter +
                " but the last sealed sequence is " + lastSealed);
        }
        final Failure hashFailure = checkHash(cursor, "Abandon record");
        if (hashFailure != null)
        {
            return hashFailure;
        }
        abandonedRecords += count;
        expected = lastSealed + 1;
        batchCount = 0;
        return null;
    }

    /** Does the seal (or Abandon record) cover exactly the records read since the last one? */
    private Failure checkCovers(final RecordCursor cursor, final String what, final long first, final long last, final int count)
    {
        final long batchLast = expected - 1;
        if (batchCount == 0)
        {
            if (count > 0 && first > lastSealed)
            {
                return failure(Kind.DROPPED, cursor.index(), first, "the " + count + " records " + first + ".." + last +
                    " that this " + what + " covers are missing");
            }
            return failure(Kind.INSERTED, cursor.index(), first, "a " + what + " for sequences " + first + ".." + last +
                " follows no records of its own");
        }
        if (first > batchFirst)
        {
            return failure(Kind.DROPPED, batchFirstIndex, batchFirst, "the seal of sequences " + batchFirst + ".." +
                (first - 1) + " is missing: the next " + what + " starts at " + first);
        }
        if (first < batchFirst)
        {
            return failure(Kind.INSERTED, cursor.index(), first, "a " + what + " for sequences " + first + ".." + last +
                " stands after records " + batchFirst + ".." + batchLast);
        }
        if (last > batchLast)
        {
            return failure(Kind.DROPPED, cursor.index(), batchLast + 1, "the " + what + " covers sequences " + first +
                ".." + last + " but only " + first + ".." + batchLast + " precede it");
        }
        if (last < batchLast)
        {
            return failure(Kind.REORDERED, cursor.index(), last + 1, "records after sequence " + last +
                " precede the " + what + " that ends at " + last);
        }
        if (count != batchCount)
        {
            return failure(Kind.EDITED, cursor.index(), first, "the " + what + " of sequences " + first + ".." + last +
                " claims " + count + " records, " + batchCount + " precede it");
        }
        return null;
    }

    private Failure checkHash(final RecordCursor cursor, final String what)
    {
        final byte[] computed = sha.digest();
        if (!Arrays.equals(computed, sealHash))
        {
            return failure(Kind.EDITED, batchFirstIndex, batchFirst, "a record of sequences " + batchFirst + ".." +
                (expected - 1) + ", or their " + what + " (" + describe(cursor.index()) + "), changed: the chain hash " +
                "of their bytes is " + JournalCodec.hex(computed) + ", the " + what + " says " + JournalCodec.hex(sealHash));
        }
        System.arraycopy(computed, 0, chainHash, 0, JournalCodec.HASH_LENGTH);
        return null;
    }

    /** Index of a later command record with {@code sequence}, or -1. */
    private long findLater(final long fromIndex, final long sequence)
    {
        final JournalCodec lookahead = new JournalCodec(JournalCodec.MIN_RECORD_BYTES);
        try (RecordCursor cursor = new RecordCursor(queue, JournalConfig.DEFAULT_MAX_RECORD_BYTES))
        {
            if (!cursor.moveTo(fromIndex) || !cursor.next())
            {
                return -1;
            }
            while (cursor.next())
            {
                try
                {
                    if (lookahead.wrap(cursor.bytes(), cursor.length()) == JournalCodec.COMMAND_TEMPLATE &&
                        lookahead.commandSequence() == sequence)
                    {
                        return cursor.index();
                    }
                }
                catch (final JournalException ex)
                {
                    // A damaged record further on is not the one looked for; the first failure is reported already.
                }
            }
        }
        return -1;
    }

    /** The sequence a damaged command record claims, if its fixed block is still there to read; else -1. */
    private static long peekSequence(final RecordCursor cursor)
    {
        final byte[] bytes = cursor.bytes();
        if (cursor.length() < JournalCodec.HEADER_LENGTH + Long.BYTES)
        {
            return -1;
        }
        final int templateId = (bytes[2] & 0xFF) | (bytes[3] & 0xFF) << 8;
        if (templateId != JournalCodec.COMMAND_TEMPLATE)
        {
            return -1;
        }
        long value = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--)
        {
            value = (value << 8) | (bytes[JournalCodec.HEADER_LENGTH + i] & 0xFF);
        }
        return value;
    }

    private String describe(final long index)
    {
        return RecordCursor.describe(rollCycle, index);
    }

    private Failure failure(final Kind kind, final long index, final long sequence, final String detail)
    {
        return new Failure(kind, index, rollCycle.toCycle(index), sequence, detail + " [journal " + dir + "]");
    }
}
