package io.truestock.journal;

import io.truestock.engine.Command;

/**
 * Receives what {@link JournalReader#replay} finds, on the replaying thread, in journal order.
 */
@FunctionalInterface
public interface ReplayHandler
{
    /**
     * A sealed command, stamped with its sequence and timestamp; sequences arrive without gaps. The command object is
     * reused for the next one: copy what you keep.
     */
    void onCommand(Command command);

    /**
     * An Abandon record: the unsealed records {@code firstSequence..lastSequence} left by a crash were never applied,
     * were skipped, and the history continues after {@code firstSequence - 1}.
     */
    default void onAbandoned(final long firstSequence, final long lastSequence, final int count)
    {
    }
}
