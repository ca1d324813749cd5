package io.truestock.journal;

import io.truestock.journal.JournalException.Problem;
import io.truestock.sbe.AbandonDecoder;
import io.truestock.sbe.BatchSealDecoder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.security.MessageDigest;

/**
 * Where a journal's history ends: the last seal or Abandon record (the head of the hash chain and the last sequence
 * that may have been acknowledged), and the records after it, which no seal covers. Found by walking backwards from
 * the end, so the cost is one batch, not the whole journal. The queue's last record may be torn by a crash while it
 * was written; after the last seal that is a tail record like any other (see {@link #isTorn}).
 */
final class JournalTail
{
    /** Last sequence covered by a seal, or the anchor if none is retained. */
    final long lastSealedSequence;
    /** Chain hash after the last seal or Abandon record. */
    final byte[] headHash;
    /** Records after the last seal; 0 if the journal ends on a seal. */
    final int unsealedCount;
    final long firstUnsealedSequence;
    final long lastUnsealedSequence;
    /**
     * SHA-256(headHash || unsealed records): the hash an Abandon record of this tail carries, and the one a seal of it
     * would carry; null without a tail.
     */
    final byte[] unsealedHash;
    /** Whether the tail's last record is torn (see {@link #isTorn}): such a tail can only be abandoned. */
    final boolean tornLast;

    private JournalTail(
        final long lastSealedSequence,
        final byte[] headHash,
        final int unsealedCount,
        final long firstUnsealedSequence,
        final long lastUnsealedSequence,
        final byte[] unsealedHash,
        final boolean tornLast)
    {
        this.lastSealedSequence = lastSealedSequence;
        this.headHash = headHash;
        this.unsealedCount = unsealedCount;
        this.firstUnsealedSequence = firstUnsealedSequence;
        this.lastUnsealedSequence = lastUnsealedSequence;
        this.unsealedHash = unsealedHash;
        this.tornLast = tornLast;
    }

    /**
     * @throws JournalException if a record of the last batch or the tail is damaged (other than a torn last record),
     *                          or the tail does not continue
     *                          the sealed history.
     */
    static JournalTail scan(final SingleChronicleQueue queue, final JournalMetadata meta, final int maxRecordBytes)
    {
        final JournalCodec codec = new JournalCodec(maxRecordBytes);
        long lastSealed = meta.anchorSequence;
        byte[] head = meta.anchorHash.clone();
        int unsealed = 0;
        long firstUnsealedIndex = -1;
        boolean tornLast = false;
        try (RecordCursor cursor = new RecordCursor(queue, maxRecordBytes).fromEndBackwards())
        {
            while (cursor.next())
            {
                if (meta.firstRetainedCycle != JournalMetadata.NO_CYCLE && cursor.cycle() < meta.firstRetainedCycle)
                {
                    break;
                }
                if (unsealed == 0 && isTorn(codec, cursor))
                {
                    // The last record of the queue, cut short by a crash while it was written: never sealed, so
                    // never applied nor acknowledged; it is abandoned with the rest of the tail.
                    tornLast = true;
                    unsealed++;
                    firstUnsealedIndex = cursor.index();
                    continue;
                }
                final int template = wrap(codec, cursor);
                if (template == JournalCodec.SEAL_TEMPLATE)
                {
                    final BatchSealDecoder seal = codec.seal();
                    lastSealed = seal.lastSequence();
                    seal.getHash(head, 0, JournalCodec.HASH_LENGTH);
                    break;
                }
                if (template == JournalCodec.ABANDON_TEMPLATE)
                {
                    final AbandonDecoder abandon = codec.abandon();
                    lastSealed = abandon.resumeAfterSequence();
                    abandon.getHash(head, 0, JournalCodec.HASH_LENGTH);
                    break;
                }
                if (template != JournalCodec.COMMAND_TEMPLATE)
                {
                    throw new JournalException(Problem.MALFORMED, cursor.where() + " is of type " + template +
                        ", which does not belong in a journal queue");
                }
                unsealed++;
                firstUnsealedIndex = cursor.index();
            }
        }
        if (unsealed == 0)
        {
            return new JournalTail(lastSealed, head, 0, 0, 0, null, false);
        }

        final MessageDigest sha = JournalMetadata.sha256();
        sha.update(head);
        long expected = lastSealed + 1;
        try (RecordCursor cursor = new RecordCursor(queue, maxRecordBytes))
        {
            if (!cursor.moveTo(firstUnsealedIndex))
            {
                throw new IllegalStateException("unsealed tail vanished while opening the journal at index 0x" +
                    Long.toHexString(firstUnsealedIndex));
            }
            for (int i = 0; i < unsealed; i++)
            {
                if (!cursor.next())
                {
                    throw new IllegalStateException("unsealed tail shrank while opening the journal");
                }
                if (tornLast && i == unsealed - 1)
                {
                    expected++;
                    sha.update(cursor.bytes(), 0, cursor.length());
                    break;
                }
                wrap(codec, cursor);
                final long sequence = codec.commandSequence();
                if (sequence != expected)
                {
                    throw new JournalException(Problem.BROKEN_HISTORY, cursor.where() + " has sequence " + sequence +
                        " but the unsealed tail after sealed sequence " + lastSealed + " must continue with " + expected);
                }
                expected++;
                sha.update(cursor.bytes(), 0, cursor.length());
            }
        }
        return new JournalTail(lastSealed, head, unsealed, lastSealed + 1, expected - 1, sha.digest(), tornLast);
    }

    /**
     * Whether the record under the cursor is torn: its bytes end before its checksum says they should (a crash in
     * the middle of writing it). Only the last record of a queue can be torn; anywhere else the same damage is an
     * edit, and {@link #wrap} reports it.
     */
    static boolean isTorn(final JournalCodec codec, final RecordCursor cursor)
    {
        try
        {
            codec.wrap(cursor.bytes(), cursor.length());
            return false;
        }
        catch (final JournalException ex)
        {
            return ex.problem() == Problem.CHECKSUM_MISMATCH || ex.problem() == Problem.TRUNCATED;
        }
    }

    private static int wrap(final JournalCodec codec, final RecordCursor cursor)
    {
        try
        {
            return codec.wrap(cursor.bytes(), cursor.length());
        }
        catch (final JournalException ex)
        {
            throw ex.at(cursor.where());
        }
    }
}
