package io.truestock.journal.audit;

import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.runtime.EngineListener;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.SparseRollCycles;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The queryable audit trail: one record per applied command (sequence, time, type, principal, reason, reference,
 * idempotency key, outcome, every stock record change with its before and after quantities, every channel value
 * published, oversold lines), appended by the output stage to a Chronicle Queue in {@code <data dir>/audit}.
 * <p>
 * Audit records are derived from the journal (replaying the journal reproduces them), so they are written without
 * fsync; recovery replays from a snapshot no newer than {@link #lastSequence()} and re-appends what is missing.
 * Tamper evidence lives in the journal's hash chain ({@code JournalVerifier}).
 * <p>
 * Queries find their starting point through sparse in-memory indices (one entry per {@value #INDEX_EVERY}
 * commands, and one dead letter at least every {@value #INDEX_EVERY} records) and scan at most {@value #MAX_SCAN}
 * records per call, returning a cursor to continue from.
 * <p>
 * Records are in the queue in sequence order, a dead letter (which carries the sequence of the last command recorded
 * before it) after that command and before the next. The cursor is one number: a command's sequence {@code N} means
 * "after command {@code N}", so it admits the dead letters recorded after that command, including those at sequence
 * 0 before the first command; a page that ends on a dead letter returns {@link #LETTER_CURSOR} plus that dead
 * letter's ordinal (0 for the first ever written), and the next page starts right after it. Paging with the returned
 * cursor therefore lists exactly what one unpaged query lists, in the same order. Both kinds of cursor stay below
 * 2^53, so JSON clients that read numbers as doubles keep them exact.
 */
public final class AuditLog implements EngineListener, AutoCloseable
{
    static final int INDEX_EVERY = 1024;
    public static final int MAX_SCAN = 100_000;
    /**
     * Cursors at or above this name a dead letter (this plus its ordinal among all dead letters); below it a cursor is
     * a command sequence (2^52 commands are 140 years at a million a second).
     */
    public static final long LETTER_CURSOR = 1L << 52;
    private static final int FORMAT = 2;
    /** A gateway note (a dead-lettered channel update): not derived from the journal, not in the command index. */
    private static final int FORMAT_DEAD_LETTER = 100;

    private volatile Engine engine;
    private final SingleChronicleQueue queue;
    private final int maxScan;
    private ExcerptAppender appender;
    /** The output stage's string writer (its scratch is the thread's own). */
    private final AsciiUtf8 strings = new AsciiUtf8();
    /** Dead letters' (written under this object's lock, from other threads). */
    private final AsciiUtf8 letterStrings = new AsciiUtf8();
    private Thread appenderThread;
    private ExcerptAppender noteAppender;
    private long[] indexSequences = new long[64];
    private long[] indexPositions = new long[64];
    /** Per indexed command, the dead letters before it in the queue: the ordinal the next one read will have. */
    private long[] indexLetters = new long[64];
    private int indexSize;
    private long records;
    private long[] letterOrdinals = new long[16];
    private long[] letterPositions = new long[16];
    private int letterIndexSize;
    private long recordsAtLetterIndex;
    private volatile long lastSequence;
    /** Dead letters in the queue; written under the queue's write lock, so a command reads how many precede it. */
    private volatile long deadLetters;

    /** One audit entry as the API shows it: a stock record change, or a rejection that named the SKU. */
    public record Entry(
        long seq, long atMillis, String type, String sku, String location, long[] before, long[] after,
        String outcome, String principal, String reason, String reference, String idempotencyKey, String detail)
    {
    }

    /**
     * A page of entries and the cursor to continue after (or -1 when the end was reached): the sequence of the last
     * command the page consumed, or {@link #LETTER_CURSOR} plus the ordinal of the dead letter it ended on.
     */
    public record Page(List<Entry> entries, long next)
    {
    }

    /** Opens (or creates) the audit queue; {@link #attach} the engine before the first command arrives. */
    public AuditLog(final Path dir)
    {
        this(dir, MAX_SCAN);
    }

    /** With a smaller scan bound per query, so tests can reach it. */
    AuditLog(final Path dir, final int maxScan)
    {
        if (maxScan < 1)
        {
            throw new IllegalArgumentException("maxScan must be at least 1, not " + maxScan);
        }
        this.maxScan = maxScan;
        queue = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(SparseRollCycles.LARGE_HOURLY_SPARSE).build();
        rebuildIndex();
    }

    private void rebuildIndex()
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    if (bytes.readInt() == FORMAT_DEAD_LETTER)
                    {
                        noteLetter(deadLetters, dc.index());
                        deadLetters++;
                        continue;
                    }
                    final long seq = bytes.readLong();
                    noteIndex(seq, dc.index(), deadLetters);
                    lastSequence = seq;
                }
            }
        }
    }

    private synchronized void noteIndex(final long seq, final long index, final long lettersBefore)
    {
        if (records++ % INDEX_EVERY == 0)
        {
            if (indexSize == indexSequences.length)
            {
                indexSequences = Arrays.copyOf(indexSequences, indexSize * 2);
                indexPositions = Arrays.copyOf(indexPositions, indexSize * 2);
                indexLetters = Arrays.copyOf(indexLetters, indexSize * 2);
            }
            indexSequences[indexSize] = seq;
            indexPositions[indexSize] = index;
            indexLetters[indexSize] = lettersBefore;
            indexSize++;
        }
    }

    /**
     * Indexes the first dead letter and then one whenever {@value #INDEX_EVERY} records were written since the last
     * indexed one, so a dead-letter cursor is found within about that many records, and the index grows no faster
     * than one entry per {@value #INDEX_EVERY} records.
     */
    private synchronized void noteLetter(final long ordinal, final long index)
    {
        final long written = records + ordinal;
        if (letterIndexSize > 0 && written - recordsAtLetterIndex < INDEX_EVERY)
        {
            return;
        }
        if (letterIndexSize == letterOrdinals.length)
        {
            letterOrdinals = Arrays.copyOf(letterOrdinals, letterIndexSize * 2);
            letterPositions = Arrays.copyOf(letterPositions, letterIndexSize * 2);
        }
        letterOrdinals[letterIndexSize] = ordinal;
        letterPositions[letterIndexSize] = index;
        letterIndexSize++;
        recordsAtLetterIndex = written;
    }

    /** The engine whose registries turn indices into ids; set once it exists (after recovery restored it). */
    public void attach(final Engine recovered)
    {
        engine = recovered;
    }

    /** The last sequence recorded; recovery must replay from a state at or before it. */
    public long lastSequence()
    {
        return lastSequence;
    }

    @Override
    public void onApplied(final Command command, final Outcome outcome, final Events events)
    {
        if (!command.type().isMutation())
        {
            return;
        }
        if (command.sequence() <= lastSequence)
        {
            return;
        }
        if (appenderThread != Thread.currentThread())
        {
            // Chronicle appenders belong to one thread: recovery replays on the starting thread, then the output
            // stage takes over.
            if (appender != null)
            {
                appender.close();
            }
            appender = queue.createAppender();
            appenderThread = Thread.currentThread();
        }
        final long index;
        final long lettersBefore;
        try (DocumentContext dc = appender.writingDocument())
        {
            // Under the queue's write lock, which a dead letter's writer also holds while it counts itself.
            lettersBefore = deadLetters;
            final Bytes<?> out = dc.wire().bytes();
            out.writeInt(FORMAT);
            out.writeLong(command.sequence());
            out.writeLong(command.timestampMillis());
            out.writeByte((byte)command.type().ordinal());
            out.writeByte((byte)outcome.reason().ordinal());
            strings.write(out, command.principal());
            strings.write(out, command.reason());
            strings.write(out, command.reference());
            strings.write(out, command.idempotencyKey());
            out.writeInt(events.stockCount());
            for (int i = 0; i < events.stockCount(); i++)
            {
                strings.write(out, engine.skuId(events.stockSku(i)));
                strings.write(out, engine.locationId(events.stockLocation(i)));
                for (int f = 0; f < 4; f++)
                {
                    out.writeLong(events.stockBefore(i, f));
                }
                for (int f = 0; f < 4; f++)
                {
                    out.writeLong(events.stockAfter(i, f));
                }
            }
            final boolean rejected = !outcome.accepted() && !outcome.replayed();
            // A rejected command names the SKUs it was about; an accepted price list names its SKU, so a query by
            // SKU finds the price change.
            final int named = rejected ? namedSkuCount(command) :
                command.type() == CommandType.DEFINE_PRICES && !outcome.replayed() ? 1 : 0;
            out.writeInt(named);
            if (named > 0)
            {
                if (command.sku() != null)
                {
                    strings.write(out, command.sku());
                }
                for (int i = 0; i < command.lineCount(); i++)
                {
                    strings.write(out, command.lineSku(i));
                }
            }
            out.writeInt(events.publishedCount());
            for (int i = 0; i < events.publishedCount(); i++)
            {
                strings.write(out, engine.skuId(events.publishedSku(i)));
                strings.write(out, engine.channelId(events.publishedChannel(i)));
                out.writeLong(events.publishedAvailable(i));
            }
            out.writeInt(events.oversoldCount());
            for (int i = 0; i < events.oversoldCount(); i++)
            {
                strings.write(out, engine.skuId(events.oversoldSku(i)));
                out.writeLong(events.oversoldQty(i));
            }
            strings.write(out, outcome.replayed() ? null : AuditDetail.of(engine, command, outcome));
            index = dc.index();
            // Set while this thread still holds the queue's write lock: a dead letter written after this record
            // then carries this sequence (or a later one), never an earlier one, so the queue stays in sequence order.
            lastSequence = command.sequence();
        }
        noteIndex(command.sequence(), index, lettersBefore);
    }

    private static int namedSkuCount(final Command command)
    {
        return (command.sku() != null ? 1 : 0) + command.lineCount();
    }

    /** Entries about {@code sku} after the cursor {@code after}, at most {@code limit}; see the full form. */
    public Page query(final String sku, final long after, final int limit)
    {
        return query(sku, after, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, limit);
    }

    /**
     * Entries about {@code sku} (or every SKU when null) after the cursor {@code after}, with {@code seq <= toSeq} and
     * {@code fromMillis <= at < toMillis}, at most {@code limit} of them, whole commands at a time. Any thread.
     * <p>
     * {@code after} is 0 (from the start), a command's sequence (what follows that command: later commands and the
     * dead letters recorded after it), or a {@link Page#next()} returned earlier. Ingest time grows with the sequence,
     * so the scan stops at the first command at or past {@code toMillis}; a dead letter's time is the gateway's clock,
     * so the window only filters it.
     *
     * @throws IllegalArgumentException when {@code after} is negative or names a dead letter this trail does not
     *     hold, or {@code limit} is below 1.
     */
    public Page query(
        final String sku, final long after, final long toSeq, final long fromMillis, final long toMillis, final int limit)
    {
        if (after < 0)
        {
            throw new IllegalArgumentException("after must not be negative: " + after);
        }
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        final boolean afterLetter = after >= LETTER_CURSOR;
        final long letter = after - LETTER_CURSOR;
        if (afterLetter && letter >= deadLetters)
        {
            throw notACursor(after);
        }
        // {queue index to start at or -1 for the start, ordinal of the next dead letter from there}
        final long[] start = afterLetter ? indexedLetter(letter) : indexedCommand(after);
        final List<Entry> entries = new ArrayList<>();
        long nextLetter = start[1];
        boolean passed = !afterLetter;
        long next = after;
        int scanned = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (start[0] >= 0 && !tailer.moveToIndex(start[0]))
            {
                tailer.toStart();
                nextLetter = 0;
            }
            while (scanned < maxScan)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        if (!passed)
                        {
                            throw notACursor(after);
                        }
                        return new Page(entries, -1);
                    }
                    final Bytes<?> in = dc.wire().bytes();
                    final int format = in.readInt();
                    final boolean deadLetter = format == FORMAT_DEAD_LETTER;
                    final long ordinal = deadLetter ? nextLetter++ : -1;
                    final long seq = in.readLong();
                    if (!passed)
                    {
                        // Up to and including the dead letter the cursor names.
                        passed = deadLetter && ordinal == letter;
                        continue;
                    }
                    // A command at the cursor's sequence is behind it, a dead letter at that sequence follows it.
                    if (!afterLetter && (deadLetter ? seq < after : seq <= after))
                    {
                        continue;
                    }
                    if (seq > toSeq)
                    {
                        return new Page(entries, -1);
                    }
                    scanned++;
                    final long at = in.readLong();
                    if (!deadLetter && at >= toMillis)
                    {
                        return new Page(entries, -1);
                    }
                    final long cursor = deadLetter ? letterCursor(ordinal) : seq;
                    if (at < fromMillis || at >= toMillis)
                    {
                        next = cursor;
                        continue;
                    }
                    final List<Entry> fromRecord = deadLetter ? decodeDeadLetter(in, seq, at, sku) :
                        decode(in, format, seq, at, sku);
                    if (!entries.isEmpty() && entries.size() + fromRecord.size() > limit)
                    {
                        return new Page(entries, next);
                    }
                    entries.addAll(fromRecord);
                    next = cursor;
                    if (entries.size() >= limit)
                    {
                        return new Page(entries, next);
                    }
                }
            }
        }
        return new Page(entries, next);
    }

    /** Where to start reading for what follows command {@code afterSeq}: the last indexed command at or before it. */
    private synchronized long[] indexedCommand(final long afterSeq)
    {
        final int i = lastAtOrBefore(indexSequences, indexSize, afterSeq);
        return i < 0 ? new long[] {-1, 0} : new long[] {indexPositions[i], indexLetters[i]};
    }

    /** Where to start reading to find dead letter {@code ordinal}: the last indexed dead letter at or before it. */
    private synchronized long[] indexedLetter(final long ordinal)
    {
        final int i = lastAtOrBefore(letterOrdinals, letterIndexSize, ordinal);
        return i < 0 ? new long[] {-1, 0} : new long[] {letterPositions[i], letterOrdinals[i]};
    }

    /** The last of the first {@code size} ascending {@code keys} that is at most {@code key}, or -1 if none is. */
    private static int lastAtOrBefore(final long[] keys, final int size, final long key)
    {
        int found = -1;
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (keys[mid] <= key)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    private static long letterCursor(final long ordinal)
    {
        if (ordinal >= LETTER_CURSOR)
        {
            throw new IllegalStateException("dead letter " + ordinal + " does not fit a cursor");
        }
        return LETTER_CURSOR + ordinal;
    }

    private static IllegalArgumentException notACursor(final long after)
    {
        return new IllegalArgumentException("after " + after + " is neither a sequence (below " + LETTER_CURSOR
            + ") nor a dead letter's cursor this audit trail returned");
    }

    private static List<Entry> decode(
        final Bytes<?> in, final int format, final long seq, final long at, final String sku)
    {
        final String type = CommandType.of(in.readByte()).name().toLowerCase(java.util.Locale.ROOT);
        final RejectReason outcome = RejectReason.of(in.readByte());
        final String principal = in.readUtf8();
        final String reason = in.readUtf8();
        final String reference = in.readUtf8();
        final String key = in.readUtf8();
        final String verdict = outcome == RejectReason.NONE ? "accepted" : outcome.code();
        final List<Object[]> changed = new ArrayList<>(2);
        final int changes = in.readInt();
        for (int i = 0; i < changes; i++)
        {
            final String changedSku = in.readUtf8();
            final String location = in.readUtf8();
            final long[] before = new long[4];
            final long[] after = new long[4];
            for (int f = 0; f < 4; f++)
            {
                before[f] = in.readLong();
            }
            for (int f = 0; f < 4; f++)
            {
                after[f] = in.readLong();
            }
            if (sku == null || sku.equals(changedSku))
            {
                changed.add(new Object[] {changedSku, location, before, after});
            }
        }
        String namedMatch = null;
        final int named = in.readInt();
        for (int i = 0; i < named; i++)
        {
            final String namedSku = in.readUtf8();
            if (namedMatch == null && (sku == null || sku.equals(namedSku)))
            {
                namedMatch = namedSku;
            }
        }
        String detail = null;
        if (format >= 2)
        {
            final int published = in.readInt();
            for (int i = 0; i < published; i++)
            {
                in.readUtf8();
                in.readUtf8();
                in.readLong();
            }
            final int oversold = in.readInt();
            for (int i = 0; i < oversold; i++)
            {
                in.readUtf8();
                in.readLong();
            }
            detail = in.readUtf8();
        }
        final List<Entry> entries = new ArrayList<>(Math.max(1, changed.size()));
        for (final Object[] change : changed)
        {
            entries.add(new Entry(seq, at, type, (String)change[0], (String)change[1], (long[])change[2],
                (long[])change[3], verdict, principal, reason, reference, key, detail));
        }
        if (entries.isEmpty() && namedMatch != null)
        {
            entries.add(new Entry(seq, at, type, namedMatch, null, null, null, verdict, principal, reason, reference,
                key, detail));
        }
        else if (entries.isEmpty() && changes == 0 && sku == null && detail != null)
        {
            // Configuration about no SKU (a carrier, a location): listed when the query is not about one SKU.
            entries.add(new Entry(seq, at, type, null, null, null, null, verdict, principal, reason, reference, key,
                detail));
        }
        return entries;
    }

    /**
     * Appends a dead-letter entry: a channel update the connector gave up on (type {@code dead_letter}, principal
     * {@code sync:<channel>}, the error as reason). Such entries are facts of the gateway, not of the journal, so
     * replay does not reproduce them; they carry the sequence of the last command recorded when they were written
     * (0 before the first) and are listed after that command.
     * Called by one thread (the channel sync scheduler), never the output stage.
     */
    public synchronized void appendDeadLetter(final String channel, final String sku, final long available,
        final long version, final int attempts, final String error, final long atMillis)
    {
        if (noteAppender == null)
        {
            noteAppender = queue.createAppender();
        }
        final long ordinal;
        final long index;
        try (DocumentContext dc = noteAppender.writingDocument())
        {
            // Both read and counted under the queue's write lock, which the output stage holds until it has set
            // lastSequence and read the count: the queue stays in sequence order and commands know what precedes them.
            ordinal = deadLetters;
            final Bytes<?> out = dc.wire().bytes();
            out.writeInt(FORMAT_DEAD_LETTER);
            out.writeLong(lastSequence);
            out.writeLong(atMillis);
            letterStrings.write(out, channel);
            letterStrings.write(out, sku);
            out.writeLong(available);
            out.writeLong(version);
            out.writeInt(attempts);
            letterStrings.write(out, error);
            index = dc.index();
            deadLetters = ordinal + 1;
        }
        noteLetter(ordinal, index);
    }

    private static List<Entry> decodeDeadLetter(final Bytes<?> in, final long seq, final long at, final String sku)
    {
        final String channel = in.readUtf8();
        final String letterSku = in.readUtf8();
        final long available = in.readLong();
        final long version = in.readLong();
        final int attempts = in.readInt();
        final String error = in.readUtf8();
        if (sku != null && !sku.equals(letterSku))
        {
            return List.of();
        }
        return List.of(new Entry(seq, at, "dead_letter", letterSku, null, null, null, "dead_letter", "sync:" + channel,
            error, "channel=" + channel + " available=" + available + " version=" + version + " attempts=" + attempts,
            null, null));
    }

    @Override
    public void close()
    {
        if (noteAppender != null)
        {
            noteAppender.close();
        }
        if (appender != null)
        {
            appender.close();
        }
        queue.close();
    }
}
