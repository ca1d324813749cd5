package io.truestock.journal;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Path;

/**
 * Opens the Chronicle queue of a journal directory the one way the journal, reader and verifier all need.
 */
final class Queues
{
    private Queues()
    {
    }

    /**
     * @param sync true to make {@code sync()} on an appender force written pages to the device (msync MS_SYNC).
     */
    static SingleChronicleQueue open(
        final Path dir, final RollCycle rollCycle, final TimeProvider cycleClock, final boolean readOnly, final boolean sync)
    {
        return open(dir, rollCycle, cycleClock, readOnly, sync, 0);
    }

    /**
     * @param sync       true to make {@code sync()} on an appender force written pages to the device (msync MS_SYNC).
     * @param blockBytes how much of the file is mapped at a time ({@link JournalConfig#blockBytes()}), or 0 for
     *                   Chronicle's default.
     */
    static SingleChronicleQueue open(
        final Path dir, final RollCycle rollCycle, final TimeProvider cycleClock, final boolean readOnly, final boolean sync,
        final long blockBytes)
    {
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(rollCycle)
            .timeProvider(cycleClock)
            .readOnly(readOnly);
        if (sync)
        {
            builder.syncMode(SyncMode.SYNC);
        }
        if (blockBytes > 0)
        {
            builder.blockSize(blockBytes);
        }
        return builder.build();
    }

    /** Opens an existing journal's queue for reading only. */
    static SingleChronicleQueue openForReading(final Path dir, final JournalMetadata meta)
    {
        return open(dir, rollCycleNamed(meta.rollCycle, JournalConfig.DEFAULT_ROLL_CYCLE), SystemTimeProvider.INSTANCE,
            true, false);
    }

    /** The roll cycle a journal recorded by name; the queue's own metadata has the final word anyway. */
    static RollCycle rollCycleNamed(final String name, final RollCycle fallback)
    {
        for (final RollCycle cycle : RollCycles.all())
        {
            if (cycle.toString().equals(name))
            {
                return cycle;
            }
        }
        return fallback;
    }
}
