package io.truestock.journal;

/**
 * The outcome of {@link JournalVerifier#verify}.
 *
 * @param ok               true when every retained record is intact and in place.
 * @param records          records checked before the first failure (commands, seals, Abandon records, unsealed).
 * @param commands         sealed command records whose chain verified.
 * @param batches          seals verified.
 * @param lastSequence     last sealed sequence verified.
 * @param headHashHex      hex SHA-256 chain hash after the last verified seal or Abandon record: a commitment to
 *                         every record before it. Keep it somewhere else (a log, a ticket, another machine) and
 *                         compare later to detect a journal rewritten wholesale or cut short.
 * @param abandonedRecords unsealed crash tails covered by Abandon records; chained, never applied.
 * @param unsealedRecords  records after the last seal (a crash tail not yet abandoned); not a failure.
 * @param firstSequence    first sequence the verified stretch can hold (older cycles may have been released).
 * @param failure          the first bad record, or null when {@code ok}.
 */
public record VerifyResult(
    boolean ok,
    long records,
    long commands,
    long batches,
    long lastSequence,
    String headHashHex,
    long abandonedRecords,
    int unsealedRecords,
    long firstSequence,
    Failure failure)
{
    /** What is wrong with a journal, as far as the records tell. */
    public enum Kind
    {
        /** A record's bytes changed after they were written (checksum or chain hash mismatch, truncated bytes). */
        EDITED,
        /** A record is missing: a sequence gap, or a seal covering more records than precede it. */
        DROPPED,
        /** A record that does not belong: a sequence seen before, or more records than their seal covers. */
        INSERTED,
        /** Records out of order: a sequence missing here turns up later. */
        REORDERED,
        /** A record that cannot be read at all: unknown schema version or message type, impossible contents. */
        UNREADABLE
    }

    /**
     * @param kind     what is wrong.
     * @param index    queue index of the first bad record (or of the first record of the bad batch).
     * @param cycle    its cycle, the file it lives in.
     * @param sequence the engine sequence concerned, or -1 if the record is too damaged to tell.
     * @param detail   a sentence for people.
     */
    public record Failure(Kind kind, long index, int cycle, long sequence, String detail)
    {
        @Override
        public String toString()
        {
            return kind + " at index 0x" + Long.toHexString(index) + " (cycle " + cycle + ", sequence " + sequence +
                "): " + detail;
        }
    }
}
