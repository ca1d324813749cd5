package io.truestock.engine.runtime;

/**
 * Thrown by {@link CommandJournal#append} for a command that does not fit in one journal record (or has a field
 * longer than a record field can hold). Nothing was written and the journal stays usable: the runtime refuses the
 * command with {@link io.truestock.engine.RejectReason#COMMAND_TOO_LARGE} and goes on. Any other failure of
 * {@code append} halts the writer.
 */
public final class CommandTooLargeException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public CommandTooLargeException(final String message)
    {
        super(message);
    }

    public CommandTooLargeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
