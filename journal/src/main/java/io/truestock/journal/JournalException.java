package io.truestock.journal;

/**
 * The journal on disk cannot be used as asked: a record or the metadata cannot be decoded, the directory belongs to
 * another engine instance, or its history does not line up with what the caller expects. The message says where
 * and what; {@link #problem()} says which kind, for code that reacts differently to each.
 */
public final class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What is wrong. */
    public enum Problem
    {
        /** A record is shorter than its frame or its declared contents. */
        TRUNCATED,
        /** A record's bytes do not match its checksum: truncated or edited after it was written. */
        CHECKSUM_MISMATCH,
        /** A record or metadata file of another schema (not a Truestock journal). */
        FOREIGN_SCHEMA,
        /** Written with a newer schema version than this build reads. */
        UNKNOWN_VERSION,
        /** A message type this build does not know. */
        UNKNOWN_TEMPLATE,
        /** Decodable framing, impossible contents (out-of-range enum, trailing bytes, a group count out of bounds). */
        MALFORMED,
        /** Record sequences or seals do not form the history a writer produces. */
        BROKEN_HISTORY,
        /** The metadata file is missing from a directory that holds queue files. */
        MISSING_METADATA,
        /** The directory belongs to another engine instance. */
        WRONG_INSTANCE,
        /** The journal ends at a different sequence than the caller's state. */
        SEQUENCE_MISMATCH
    }

    private final Problem problem;

    public JournalException(final Problem problem, final String message)
    {
        super(message);
        this.problem = problem;
    }

    public JournalException(final Problem problem, final String message, final Throwable cause)
    {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem()
    {
        return problem;
    }

    /** The same problem with where it happened in front of the message. */
    JournalException at(final String where)
    {
        return new JournalException(problem, where + ": " + getMessage(), this);
    }
}
