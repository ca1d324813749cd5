package io.truestock.gateway.cli;

/**
 * Ends a command with an exit code and one line for standard error: 1 when the server refused the request, 2 for
 * a usage or connection error.
 */
public final class CliFailure extends RuntimeException
{
    public static final int REFUSED = 1;
    public static final int USAGE_OR_CONNECTION = 2;

    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CliFailure(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode()
    {
        return exitCode;
    }
}
