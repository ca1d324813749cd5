package io.truestock.client;

/**
 * A request that got no answer. {@link #code()} says why, in the server's words where the server answered with an
 * Error ({@code unauthorized}, {@code forbidden}, {@code invalid_request}, {@code not_found}, {@code overloaded},
 * {@code frame_too_large}, {@code malformed}, {@code unknown_message}, {@code unsupported_version},
 * {@code internal}), or in the client's: {@code too_many_in_flight} (the client's bound on outstanding requests
 * is reached: retry once answers have come back), {@code connection_failed}, {@code connection_closed} and
 * {@code protocol_error} (the server sent something this client cannot read).
 * <p>
 * A command the engine rejected is not an exception: it completes with a {@link CommandResult} whose
 * {@code accepted()} is false and whose {@code reason()} says why.
 */
public final class TruestockException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String code;

    public TruestockException(final String code, final String message)
    {
        this(code, message, null);
    }

    public TruestockException(final String code, final String message, final Throwable cause)
    {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public String code()
    {
        return code;
    }

    /** True for {@code overloaded} and {@code too_many_in_flight}: the same request may succeed later. */
    public boolean retryable()
    {
        return "overloaded".equals(code) || "too_many_in_flight".equals(code);
    }
}
