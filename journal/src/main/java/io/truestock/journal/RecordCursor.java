package io.truestock.journal;

import io.truestock.journal.JournalException.Problem;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.util.NavigableSet;

/**
 * Walks the raw records of a journal queue one at a time, copying each into a reusable array: the codec checks and
 * decodes records from there, and the verifier hashes exactly the bytes on disk.
 */
final class RecordCursor implements AutoCloseable
{
    /** Far above any record a writer produces; a larger length means the queue itself is damaged. */
    private static final int MAX_READ_BYTES = 64 * 1024 * 1024;

    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final ExcerptTailer tailer;
    private byte[] bytes;
    private int length;
    private long index = -1;

    RecordCursor(final SingleChronicleQueue queue, final int initialCapacity)
    {
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.tailer = queue.createTailer();
        this.bytes = new byte[initialCapacity];
    }

    /**
     * Positions before the first record of {@code cycle} or the first cycle after it; {@link JournalMetadata#NO_CYCLE}
     * means the start of the queue.
     */
    RecordCursor fromCycle(final int cycle)
    {
        tailer.direction(TailerDirection.FORWARD).toStart();
        if (cycle == JournalMetadata.NO_CYCLE)
        {
            return this;
        }
        final int lastCycle = queue.lastCycle();
        if (lastCycle < cycle)
        {
            tailer.toEnd();
            return this;
        }
        final NavigableSet<Long> cycles = queue.listCyclesBetween(cycle, lastCycle);
        for (final Long existing : cycles)
        {
            if (tailer.moveToCycle(existing.intValue()))
            {
                return this;
            }
        }
        tailer.toEnd();
        return this;
    }

    /** Positions on the last record, to walk backwards with {@link #next()}. */
    RecordCursor fromEndBackwards()
    {
        tailer.direction(TailerDirection.BACKWARD).toEnd();
        return this;
    }

    /** Positions on the record at {@code recordIndex}, to walk forwards. */
    boolean moveTo(final long recordIndex)
    {
        tailer.direction(TailerDirection.FORWARD);
        return tailer.moveToIndex(recordIndex);
    }

    /** Reads the next record in the current direction; false at the end. */
    boolean next()
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            final Bytes<?> in = dc.wire().bytes();
            final long remaining = in.readRemaining();
            index = dc.index();
            if (remaining > MAX_READ_BYTES)
            {
                throw new JournalException(Problem.MALFORMED, where() + ": record claims " + remaining + " bytes");
            }
            final int n = (int)remaining;
            if (n > bytes.length)
            {
                bytes = new byte[Math.max(n, bytes.length * 2)];
            }
            in.read(bytes, 0, n);
            length = n;
            return true;
        }
    }

    /** Records in {@code cycle}, without moving. */
    long excerptsInCycle(final int cycle)
    {
        return tailer.excerptsInCycle(cycle);
    }

    /** The cycle file of the record last read. */
    File currentFile()
    {
        return tailer.currentFile();
    }

    byte[] bytes()
    {
        return bytes;
    }

    int length()
    {
        return length;
    }

    /** Queue index of the current record. */
    long index()
    {
        return index;
    }

    int cycle()
    {
        return rollCycle.toCycle(index);
    }

    /** Where the current record is, for messages. */
    String where()
    {
        return describe(rollCycle, index);
    }

    static String describe(final RollCycle rollCycle, final long index)
    {
        return "record at index 0x" + Long.toHexString(index) + " (cycle " + rollCycle.toCycle(index) + ", #" +
            rollCycle.toSequenceNumber(index) + " in its file)";
    }

    @Override
    public void close()
    {
        tailer.singleThreadedCheckReset();
        tailer.close();
    }
}
