package io.truestock.engine.runtime;

import io.truestock.engine.Command;

/**
 * The write-ahead seam of the ring. The ingress stage calls {@link #append} for every mutation, in sequence order,
 * after stamping it, and {@link #endOfBatch} at the end of each ring batch; the business stage sees a batch only
 * after {@code endOfBatch} returns, so nothing is applied, visible or acknowledged before it is journaled.
 */
public interface CommandJournal extends AutoCloseable
{
    /** A journal that keeps nothing: for tests and benchmarks of the business logic alone. */
    CommandJournal NONE = new CommandJournal()
    {
        @Override
        public void append(final Command command)
        {
        }

        @Override
        public void endOfBatch()
        {
        }

        @Override
        public void close()
        {
        }
    };

    /**
     * Appends one stamped mutation to the current batch.
     *
     * @throws CommandTooLargeException if the command does not fit in a record; nothing was written and the journal
     *                                  stays usable. Any other exception leaves the journal's state unknown.
     */
    void append(Command command);

    /** Makes the batch as durable as the journal promises (page cache, or fsync). */
    void endOfBatch();

    @Override
    void close();
}
