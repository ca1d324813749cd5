package io.truestock.journal.audit;

import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.journal.JournalConfig;
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
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <h2>A bounded record, and small blocks</h2>
 * A record is at most {@link #MAX_RECORD_BYTES}, so the queue maps {@link JournalConfig#blockBytesFor} of it at a
 * time (4 MB) as the journal does, not Chronicle's 64 MB: Chronicle keeps a file's first block and the block being
 * written mapped, and every written page of them stays in the process's resident memory, which with 64 MB blocks
 * (80 MB with their overlap) was up to 160 MB of a demo server's. A record must fit in a block's overlap (a quarter
 * of it), and what a command adds to its record has no useful bound of its own: an import of 1 500 new SKUs
 * (within the journal's record bound) publishes a value for each on every channel (up to 48 by default), 72 000
 * values, about 3 MB.
 * <p>
 * So the writer bounds the record: each text (principal, reason, reference, idempotency key) is kept to
 * {@value #MAX_TEXT_CHARS} characters and the detail to {@value #MAX_DETAIL_CHARS}, and the lists (stock changes,
 * then the SKUs a rejection named, then the channel values published, then oversold lines, in that order) take what
 * room is left, whole entries only. A record that had to leave anything out says so at the end of its detail
 * ({@value #TRUNCATED_MARKER} and what was kept of what), and {@link #truncatedRecords()} counts it. Nothing is
 * lost for good: the journal holds the whole command and replaying it reproduces every event; the audit trail is
 * the index to query, the journal the record. A record within the bound is written byte for byte as before (format
 * 2), so trails written earlier and later read alike.
 *
 * <h2>One document per ring batch</h2>
 * On a server's ring ({@link #writePerRingBatch()}) the records of a batch are written together at its end, in one
 * document of format {@value #FORMAT_BATCH} (the records as above, each after its length), within the same bound;
 * a record too large to share a document is written alone. Queries read both kinds of document alike, a batch
 * record by record, and the index points a batch's records at its document. A dead letter written while a batch
 * is gathered lands before it, and says so: it carries the sequence of the last command written before it.
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
    /**
     * The records of one ring batch in one document (see {@link #writePerRingBatch()}): this, their count, then each
     * record's length and the record as written alone (format {@value #FORMAT}).
     */
    private static final int FORMAT_BATCH = 3;
    /** A batch document's bytes beyond its one record's: the format, the count and the record's length. */
    private static final int BATCH_OVERHEAD = 12;
    /** The largest record written: an eighth of the 4 MB block it sizes (see the class comment). */
    public static final int MAX_RECORD_BYTES = 512 * 1024;
    /**
     * Characters kept of each text of a record (principal, reason, reference, idempotency key; a dead letter's
     * channel and SKU): four times what the edges accept (256), so only a command from elsewhere is clipped.
     */
    public static final int MAX_TEXT_CHARS = 1024;
    /** Characters kept of a record's detail and of a dead letter's error. */
    public static final int MAX_DETAIL_CHARS = 16 * 1024;
    /** How a clipped record's detail (or a dead letter's error) says so. */
    public static final String TRUNCATED_MARKER = "[audit record truncated";
    /** Room for the marker's text: its counts are at most ten digits each. */
    private static final int MARKER_CHARS = 512;
    /** The bytes the detail and a marker may take. */
    private static final int DETAIL_BYTES = textBytes(MAX_DETAIL_CHARS + MARKER_CHARS);
    /**
     * The smallest record bound that still leaves room for lists: the fixed fields, the four texts at their longest
     * and the four list counts (about 12 KB) and {@link #DETAIL_BYTES} (about 50 KB) fit in it with room to spare.
     */
    static final int MIN_RECORD_BYTES = 64 * 1024;

    private volatile Engine engine;
    private final SingleChronicleQueue queue;
    private final int maxScan;
    private ExcerptAppender appender;
    /** The output stage's string writer (its scratch is the thread's own). */
    private final AsciiUtf8 strings = new AsciiUtf8();
    /** The record being written, off heap ({@link #maxRecordBytes}, filled by the thread that writes commands). */
    private final Bytes<?> record;
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
    private final int maxRecordBytes;
    private final AtomicLong truncatedRecords = new AtomicLong();
    /** The size of the last command's record, for tests. */
    private long lastRecordBytes;
    /** Set before the ring's output stage starts: records wait for the end of their ring batch. */
    private volatile boolean perRingBatch;
    /** The batch document being gathered (output stage only), at most {@link #maxRecordBytes}. */
    private final Bytes<?> batch;
    /** The sequences of the records in {@link #batch}: as many as fit in its bytes. */
    private long[] batchSequences = new long[64];
    private int batchCount;
    /** The sequence of a record written alone. */
    private final long[] alone = new long[1];

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
        this(dir, maxScan, MAX_RECORD_BYTES, JournalConfig.blockBytesFor(MAX_RECORD_BYTES));
    }

    /**
     * With a smaller record bound, or another block (0 for Chronicle's default), so tests can reach the bound and
     * open a trail as an earlier version mapped it.
     */
    AuditLog(final Path dir, final int maxScan, final int maxRecordBytes, final long blockBytes)
    {
        if (maxScan < 1)
        {
            throw new IllegalArgumentException("maxScan must be at least 1, not " + maxScan);
        }
        if (maxRecordBytes < MIN_RECORD_BYTES || maxRecordBytes > MAX_RECORD_BYTES)
        {
            throw new IllegalArgumentException(
                "maxRecordBytes must be in [" + MIN_RECORD_BYTES + ", " + MAX_RECORD_BYTES + "]: " + maxRecordBytes);
        }
        if (blockBytes != 0 && blockBytes < 4L * maxRecordBytes)
        {
            throw new IllegalArgumentException("a block of " + blockBytes + " bytes cannot hold records of " +
                maxRecordBytes + " in its overlap (a quarter of it)");
        }
        this.maxScan = maxScan;
        this.maxRecordBytes = maxRecordBytes;
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(SparseRollCycles.LARGE_HOURLY_SPARSE);
        if (blockBytes > 0)
        {
            builder.blockSize(blockBytes);
        }
        queue = builder.build();
        // Elastic, though a record stays within the bound: the bound is kept by what is written, not by this.
        record = Bytes.allocateElasticDirect(maxRecordBytes);
        batch = Bytes.allocateElasticDirect(maxRecordBytes);
        rebuildIndex();
    }

    /** How much of a queue file is mapped at a time. */
    public long blockBytes()
    {
        return queue.blockSize();
    }

    /** Records written (since this trail was opened) that left something out at the bound; see the class comment. */
    public long truncatedRecords()
    {
        return truncatedRecords.get();
    }

    long lastRecordBytes()
    {
        return lastRecordBytes;
    }

    /** At most the bytes a string of {@code chars} characters takes: three a UTF-16 char, a stop-bit length. */
    private static int textBytes(final int chars)
    {
        return 3 * chars + 5;
    }

    /** {@link #textBytes} of {@code text}, 1 for null. */
    private static long textBytes(final String text)
    {
        return text == null ? 1 : textBytes(text.length());
    }

    /** {@code text} cut to at most {@code maxChars} characters, never between the two halves of a surrogate pair. */
    static String clip(final String text, final int maxChars)
    {
        if (text == null || text.length() <= maxChars)
        {
            return text;
        }
        final int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end);
    }

    private void rebuildIndex()
    {
        final DocumentRecords records = new DocumentRecords();
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
                    records.of(bytes);
                    for (int format = records.next(); format >= 0; format = records.next())
                    {
                        if (format == FORMAT_DEAD_LETTER)
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

    /**
     * From now on a command's record waits for the end of its ring batch ({@link #onEndOfBatch()}) and a batch's
     * records go into the queue as one document (several, should they not fit in {@link #MAX_RECORD_BYTES}): one
     * Chronicle document costs about 0.2-0.3 us to open and close on the writer, more than most records take to
     * encode. For a server whose ring's output stage tells this log of every batch's end, which holds the batch's
     * answers until then (so a record is still written before its command is answered); not for recovery or a
     * replica, whose commands come without batch ends. Call before that stage starts.
     */
    public void writePerRingBatch()
    {
        perRingBatch = true;
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
        final Bytes<?> built = encode(command, outcome, events);
        final long size = built.readRemaining();
        if (perRingBatch && size + BATCH_OVERHEAD <= maxRecordBytes)
        {
            if (batchCount > 0 && batch.writePosition() + 4 + size > maxRecordBytes)
            {
                writeBatch();
            }
            if (batchCount == 0)
            {
                batch.clear();
                batch.writeInt(FORMAT_BATCH);
                batch.writeInt(0);
            }
            batch.writeInt((int)size);
            batch.write(built);
            if (batchCount == batchSequences.length)
            {
                batchSequences = Arrays.copyOf(batchSequences, batchCount * 2);
            }
            batchSequences[batchCount++] = command.sequence();
            return;
        }
        // Alone: not batching, or a record too large to share a document within the bound.
        writeBatch();
        alone[0] = command.sequence();
        writeDocument(built, alone, 1);
    }

    /** Writes the ring batch's records, if {@link #writePerRingBatch()} holds any back. */
    @Override
    public void onEndOfBatch()
    {
        writeBatch();
    }

    /** Writes the records gathered in {@link #batch} as one document. */
    private void writeBatch()
    {
        final int count = batchCount;
        if (count == 0)
        {
            return;
        }
        batch.writeInt(4, count);
        batchCount = 0;
        writeDocument(batch, batchSequences, count);
    }

    /** Appends one document of the records of the first {@code count} of {@code sequences}, and indexes them. */
    private void writeDocument(final Bytes<?> bytes, final long[] sequences, final int count)
    {
        final long index;
        final long lettersBefore;
        try (DocumentContext dc = appender.writingDocument())
        {
            // Under the queue's write lock, which a dead letter's writer also holds while it counts itself.
            lettersBefore = deadLetters;
            dc.wire().bytes().write(bytes);
            index = dc.index();
            // Set while this thread still holds the queue's write lock: a dead letter written after these records
            // then carries their last sequence (or a later one), never an earlier one, so the queue stays in
            // sequence order.
            lastSequence = sequences[count - 1];
        }
        for (int i = 0; i < count; i++)
        {
            noteIndex(sequences[i], index, lettersBefore);
        }
    }

    /**
     * Writes the command's record into {@link #record} and returns it: the record is built off the queue's memory
     * and copied in at once, which costs less than writing its fields into the mapped file one by one.
     */
    private Bytes<?> encode(final Command command, final Outcome outcome, final Events events)
    {
        final Bytes<?> out = record;
        out.clear();
        final long start = out.writePosition();
        // Whole list entries are written while they fit before this; the detail and a marker come after it.
        final long listsEnd = start + maxRecordBytes - DETAIL_BYTES;
        out.writeInt(FORMAT);
        out.writeLong(command.sequence());
        out.writeLong(command.timestampMillis());
        out.writeByte((byte)command.type().ordinal());
        out.writeByte((byte)outcome.reason().ordinal());
        int clippedTexts = 0;
        clippedTexts += writeText(out, command.principal());
        clippedTexts += writeText(out, command.reason());
        clippedTexts += writeText(out, command.reference());
        clippedTexts += writeText(out, command.idempotencyKey());
        // Room left for the four counts, so an entry is written only if the counts after it still fit.
        final long entriesEnd = listsEnd - 4 * 4;
        final int stockCount = events.stockCount();
        final long stockCountAt = out.writePosition();
        out.writeInt(stockCount);
        int stockKept = 0;
        for (; stockKept < stockCount; stockKept++)
        {
            final String changedSku = engine.skuId(events.stockSku(stockKept));
            final String location = engine.locationId(events.stockLocation(stockKept));
            if (out.writePosition() + textBytes(changedSku) + textBytes(location) + 8 * 8 > entriesEnd)
            {
                break;
            }
            strings.write(out, changedSku);
            strings.write(out, location);
            for (int f = 0; f < 4; f++)
            {
                out.writeLong(events.stockBefore(stockKept, f));
            }
            for (int f = 0; f < 4; f++)
            {
                out.writeLong(events.stockAfter(stockKept, f));
            }
        }
        final boolean rejected = !outcome.accepted() && !outcome.replayed();
        // A rejected command names the SKUs it was about; an accepted price list names its SKU, so a query by
        // SKU finds the price change.
        final int named = rejected ? namedSkuCount(command) :
            command.type() == CommandType.DEFINE_PRICES && !outcome.replayed() ? 1 : 0;
        final long namedCountAt = out.writePosition();
        out.writeInt(named);
        int namedKept = 0;
        for (; namedKept < named; namedKept++)
        {
            final String namedSku = command.sku() == null ? command.lineSku(namedKept) :
                namedKept == 0 ? command.sku() : command.lineSku(namedKept - 1);
            if (out.writePosition() + textBytes(namedSku) > entriesEnd)
            {
                break;
            }
            strings.write(out, namedSku);
        }
        final int publishedCount = events.publishedCount();
        final long publishedCountAt = out.writePosition();
        out.writeInt(publishedCount);
        int publishedKept = 0;
        for (; publishedKept < publishedCount; publishedKept++)
        {
            final String publishedSku = engine.skuId(events.publishedSku(publishedKept));
            final String channel = engine.channelId(events.publishedChannel(publishedKept));
            if (out.writePosition() + textBytes(publishedSku) + textBytes(channel) + 8 > entriesEnd)
            {
                break;
            }
            strings.write(out, publishedSku);
            strings.write(out, channel);
            out.writeLong(events.publishedAvailable(publishedKept));
        }
        final int oversoldCount = events.oversoldCount();
        final long oversoldCountAt = out.writePosition();
        out.writeInt(oversoldCount);
        int oversoldKept = 0;
        for (; oversoldKept < oversoldCount; oversoldKept++)
        {
            final String oversoldSku = engine.skuId(events.oversoldSku(oversoldKept));
            if (out.writePosition() + textBytes(oversoldSku) + 8 > entriesEnd)
            {
                break;
            }
            strings.write(out, oversoldSku);
            out.writeLong(events.oversoldQty(oversoldKept));
        }
        final String detail = outcome.replayed() ? null : AuditDetail.of(engine, command, outcome);
        final String keptDetail = clip(detail, MAX_DETAIL_CHARS);
        final boolean truncated = clippedTexts > 0 || keptDetail != detail || stockKept < stockCount ||
            namedKept < named || publishedKept < publishedCount || oversoldKept < oversoldCount;
        if (truncated)
        {
            // The counts say how many entries follow: those written.
            out.writeInt(stockCountAt, stockKept);
            out.writeInt(namedCountAt, namedKept);
            out.writeInt(publishedCountAt, publishedKept);
            out.writeInt(oversoldCountAt, oversoldKept);
            final String marker = TRUNCATED_MARKER + " at " + maxRecordBytes + " bytes: kept " +
                stockKept + " of " + stockCount + " stock changes, " + namedKept + " of " + named + " named SKUs, " +
                publishedKept + " of " + publishedCount + " channel values, " + oversoldKept + " of " +
                oversoldCount + " oversold lines, " + (detail == null ? 0 : keptDetail.length()) + " of " +
                (detail == null ? 0 : detail.length()) + " detail characters; " + clippedTexts +
                " texts clipped; the journal holds the whole command]";
            strings.write(out, keptDetail == null ? marker : keptDetail + " " + marker);
            truncatedRecords.incrementAndGet();
        }
        else
        {
            strings.write(out, detail);
        }
        lastRecordBytes = out.writePosition() - start;
        return out;
    }

    private static int namedSkuCount(final Command command)
    {
        return (command.sku() != null ? 1 : 0) + command.lineCount();
    }

    /** Writes {@code text} kept to {@value #MAX_TEXT_CHARS} characters; returns 1 if it had to be clipped, else 0. */
    private int writeText(final Bytes<?> out, final String text)
    {
        final String kept = clip(text, MAX_TEXT_CHARS);
        strings.write(out, kept);
        return kept == text ? 0 : 1;
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
        final DocumentRecords records = new DocumentRecords();
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
                    records.of(in);
                    for (int format = records.next(); format >= 0; format = records.next())
                    {
                        if (scanned >= maxScan)
                        {
                            // Within a batch document: what is left of it is on the next page.
                            return new Page(entries, next);
                        }
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
        }
        return new Page(entries, next);
    }

    /**
     * The records of one document, in turn: a record written alone (or a dead letter), or each of a batch's. Each
     * {@link #next()} starts at its record's fields after the format, past whatever of the one before was not read.
     */
    private static final class DocumentRecords
    {
        private Bytes<?> in;
        private int first;
        private int left;
        private long end;

        void of(final Bytes<?> document)
        {
            in = document;
            first = in.readInt();
            left = first == FORMAT_BATCH ? in.readInt() : 1;
            end = -1;
        }

        /** The next record's format, its fields next to read; -1 after the last. */
        int next()
        {
            if (left == 0)
            {
                return -1;
            }
            left--;
            if (first != FORMAT_BATCH)
            {
                return first;
            }
            if (end >= 0)
            {
                in.readPosition(end);
            }
            final int length = in.readInt();
            end = in.readPosition() + length;
            return in.readInt();
        }
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
            letterStrings.write(out, clip(channel, MAX_TEXT_CHARS));
            letterStrings.write(out, clip(sku, MAX_TEXT_CHARS));
            out.writeLong(available);
            out.writeLong(version);
            out.writeInt(attempts);
            letterStrings.write(out, letterError(channel, sku, error));
            index = dc.index();
            deadLetters = ordinal + 1;
        }
        noteLetter(ordinal, index);
    }

    /**
     * A dead letter's error as written: within the bound, the error itself; else clipped, with the marker saying what
     * was kept (the dead letter is not in the journal, so what is clipped here is gone) and counted.
     */
    private String letterError(final String channel, final String sku, final String error)
    {
        final String kept = clip(error, MAX_DETAIL_CHARS);
        if (kept == error && clip(channel, MAX_TEXT_CHARS) == channel && clip(sku, MAX_TEXT_CHARS) == sku)
        {
            return error;
        }
        truncatedRecords.incrementAndGet();
        return (kept == null ? "" : kept + " ") + TRUNCATED_MARKER + " at " + maxRecordBytes + " bytes: kept " +
            (kept == null ? 0 : kept.length()) + " of " + (error == null ? 0 : error.length()) +
            " error characters, " + Math.min(MAX_TEXT_CHARS, channel == null ? 0 : channel.length()) + " of " +
            (channel == null ? 0 : channel.length()) + " channel characters, " +
            Math.min(MAX_TEXT_CHARS, sku == null ? 0 : sku.length()) + " of " + (sku == null ? 0 : sku.length()) +
            " SKU characters]";
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
        record.releaseLast();
    }
}
