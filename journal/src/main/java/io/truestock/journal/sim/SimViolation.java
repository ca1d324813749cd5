package io.truestock.journal.sim;

/** A broken rule the simulator's checks found: what was expected and what the engine did. */
public final class SimViolation extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public SimViolation(final String message)
    {
        super(message, null, false, false);
    }

    public SimViolation(final String message, final Throwable cause)
    {
        super(message, cause, false, false);
    }
}
