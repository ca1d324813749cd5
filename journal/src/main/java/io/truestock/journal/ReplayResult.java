package io.truestock.journal;

/**
 * What one {@link JournalReader#replay} saw.
 *
 * @param lastSequence          last sealed sequence of the journal: where the engine stands after applying every
 *                              delivered command, and what {@link ChronicleCommandJournal#open} expects next.
 * @param commandsReplayed      sealed commands delivered to the handler.
 * @param abandonedBatches      Abandon records passed (each a crash tail skipped when the journal was reopened).
 * @param abandonedRecords      records those Abandon records covered; never delivered.
 * @param unsealedRecords       records after the last seal: a crash tail not yet abandoned. Never delivered; they
 *                              were never applied nor acknowledged. 0 if the journal ends on a seal.
 * @param firstUnsealedSequence first sequence of that tail, 0 without one.
 * @param lastUnsealedSequence  last sequence of that tail, 0 without one.
 */
public record ReplayResult(
    long lastSequence,
    long commandsReplayed,
    int abandonedBatches,
    long abandonedRecords,
    int unsealedRecords,
    long firstUnsealedSequence,
    long lastUnsealedSequence)
{
    public boolean hasUnsealedTail()
    {
        return unsealedRecords > 0;
    }
}
