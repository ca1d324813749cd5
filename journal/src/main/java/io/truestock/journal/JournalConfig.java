package io.truestock.journal;

import io.truestock.engine.Ids;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.rollcycles.SparseRollCycles;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of one journal directory. Set what you need, then {@link #conclude()} validates them once and makes them
 * immutable; the journal, reader and verifier conclude a config they are given if the caller has not.
 *
 * <h2>Roll cycle</h2>
 * The default, {@link #DEFAULT_ROLL_CYCLE} ({@code LARGE_HOURLY_SPARSE}), starts a new queue file every hour and
 * indexes up to 2<sup>34</sup> records per file: 4.7 M records a second sustained for a whole hour. Chronicle's own
 * default, {@code FAST_DAILY}, holds 2<sup>32</sup> records a day, about 50 k a second averaged over the day, and
 * {@code FAST_HOURLY} 2<sup>32</sup> an hour (1.2 M/s): both run out long before the engine's 5 M mutations a second
 * target would, and running out of a cycle's index is an append failure that halts the ingress stage. Hourly files
 * also keep retention fine-grained: once a snapshot covers an hour, that hour's file can go. Sparse indexing writes
 * fewer index entries per record; the journal only ever reads sequentially or seeks to a cycle, so the coarser index
 * costs nothing it uses. The roll cycle applies when a journal is created; an existing journal keeps its own.
 */
public final class JournalConfig
{
    /** See the class comment for why. */
    public static final RollCycle DEFAULT_ROLL_CYCLE = SparseRollCycles.LARGE_HOURLY_SPARSE;
    public static final int DEFAULT_RETAINED_CYCLES = 24;
    public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;
    public static final int MAX_RECORD_BYTES_LIMIT = 16 * 1024 * 1024;
    /** The smallest block {@link #blockBytes()} gives: see there. */
    public static final long MIN_BLOCK_BYTES = 4L * 1024 * 1024;
    /** Chronicle's own block on 64-bit Linux, the largest {@link #blockBytes()} gives. */
    public static final long MAX_BLOCK_BYTES = 64L * 1024 * 1024;

    private Path dataDir;
    private String instanceId;
    private RollCycle rollCycle = DEFAULT_ROLL_CYCLE;
    private boolean fsyncPerBatch;
    private int retainedCycles = DEFAULT_RETAINED_CYCLES;
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    private TimeProvider cycleClock = SystemTimeProvider.INSTANCE;
    private boolean concluded;

    /**
     * Validates every setting once.
     *
     * @return this, now immutable.
     * @throws IllegalArgumentException naming the first invalid setting.
     */
    public JournalConfig conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (dataDir == null)
        {
            throw new IllegalArgumentException("dataDir is required");
        }
        if (!Ids.isValid(instanceId))
        {
            throw new IllegalArgumentException("instanceId must be 1 to 64 characters of [A-Za-z0-9._:-]: " + instanceId);
        }
        Objects.requireNonNull(rollCycle, "rollCycle");
        Objects.requireNonNull(cycleClock, "cycleClock");
        if (retainedCycles < 0)
        {
            throw new IllegalArgumentException("retainedCycles must be >= 0: " + retainedCycles);
        }
        if (maxRecordBytes < JournalCodec.MIN_RECORD_BYTES || maxRecordBytes > MAX_RECORD_BYTES_LIMIT)
        {
            throw new IllegalArgumentException("maxRecordBytes must be in [" + JournalCodec.MIN_RECORD_BYTES + ", " +
                MAX_RECORD_BYTES_LIMIT + "]: " + maxRecordBytes);
        }
        concluded = true;
        return this;
    }

    public boolean isConcluded()
    {
        return concluded;
    }

    private void checkMutable()
    {
        if (concluded)
        {
            throw new IllegalStateException("JournalConfig is concluded");
        }
    }

    public Path dataDir()
    {
        return dataDir;
    }

    /** The directory that holds the queue's cycle files and the journal's metadata file; created if missing. */
    public JournalConfig dataDir(final Path value)
    {
        checkMutable();
        dataDir = value;
        return this;
    }

    public String instanceId()
    {
        return instanceId;
    }

    /**
     * The engine instance that owns the journal. A new journal records it; opening a journal recorded by another
     * instance fails, so two engines can never interleave their histories in one directory.
     */
    public JournalConfig instanceId(final String value)
    {
        checkMutable();
        instanceId = value;
        return this;
    }

    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /** How often a new cycle file starts; used when the journal is created. See the class comment. */
    public JournalConfig rollCycle(final RollCycle value)
    {
        checkMutable();
        rollCycle = value;
        return this;
    }

    public boolean fsyncPerBatch()
    {
        return fsyncPerBatch;
    }

    /**
     * False (the default): a batch is durable once it is in the page cache, which survives a process crash
     * ({@code kill -9}) but not a machine crash or power loss. True: every batch seal also forces the written range of
     * the queue file to the device before {@code endOfBatch} returns, so acknowledged batches survive a machine crash
     * too, at the price of one device flush per batch.
     */
    public JournalConfig fsyncPerBatch(final boolean value)
    {
        checkMutable();
        fsyncPerBatch = value;
        return this;
    }

    public int retainedCycles()
    {
        return retainedCycles;
    }

    /**
     * Old cycle files always kept, newest first, on top of the cycle being written, even when a snapshot no longer
     * needs them: the audit trail that {@code verify} can still check. 0 keeps only what recovery needs.
     */
    public JournalConfig retainedCycles(final int value)
    {
        checkMutable();
        retainedCycles = value;
        return this;
    }

    public int maxRecordBytes()
    {
        return maxRecordBytes;
    }

    /**
     * The largest encoded command the journal accepts. A command that does not fit is refused by {@code append}
     * with an exception, so producers must bound what they accept (lines, ids, reason and reference lengths).
     */
    public JournalConfig maxRecordBytes(final int value)
    {
        checkMutable();
        maxRecordBytes = value;
        return this;
    }

    /**
     * How much of the queue file the appending journal maps at a time: eight times the largest record, at least
     * {@value #MIN_BLOCK_BYTES} and at most Chronicle's default of {@value #MAX_BLOCK_BYTES}. Chronicle keeps the
     * file's first block mapped for its header and the block being written, and every page of a mapped block that
     * was written counts in the process's resident memory until the block is unmapped. With Chronicle's 64 MB
     * blocks (80 MB mapped with their overlap) a loaded server therefore held 160 MB of journal pages resident for
     * good. A record must fit in a block's overlap (a quarter of the block), so the block is sized from the record
     * bound. Smaller blocks mean a remap every few megabytes written, a few a second at full load.
     */
    public long blockBytes()
    {
        return blockBytesFor(maxRecordBytes);
    }

    /**
     * The block {@link #blockBytes()} gives for a queue whose records are at most {@code maxRecordBytes}: the one
     * rule for the journal and the audit trail ({@code AuditLog}) alike.
     */
    public static long blockBytesFor(final int maxRecordBytes)
    {
        return Math.max(MIN_BLOCK_BYTES, Math.min(MAX_BLOCK_BYTES, 8L * maxRecordBytes));
    }

    public TimeProvider cycleClock()
    {
        return cycleClock;
    }

    /**
     * The clock that decides which cycle file a record goes to: the system clock unless a test wants to roll cycles
     * without waiting. It never stamps commands; the engine does that.
     */
    public JournalConfig cycleClock(final TimeProvider value)
    {
        checkMutable();
        cycleClock = value;
        return this;
    }

    @Override
    public String toString()
    {
        return "JournalConfig{dataDir=" + dataDir + ", instanceId=" + instanceId + ", rollCycle=" + rollCycle +
            ", fsyncPerBatch=" + fsyncPerBatch + ", retainedCycles=" + retainedCycles +
            ", maxRecordBytes=" + maxRecordBytes + '}';
    }
}
