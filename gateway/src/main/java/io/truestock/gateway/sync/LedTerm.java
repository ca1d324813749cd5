package io.truestock.gateway.sync;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The last cluster leadership term in which this node sent to the channels, kept beside the acknowledgement
 * ledgers ({@code <ledger dir>/led-term}, a {@link NumberFile}). A node that becomes leader in term T trusts its
 * ledgers only when it led term T - 1 itself: otherwise another node may have sent since, and what the channels hold
 * is unknown. The file is written only after the ledgers were made to agree with that term, so a crash in between
 * leaves the older term and costs a resend, never a trusted stale acknowledgement.
 */
final class LedTerm
{
    static final long NONE = -1;

    private final Path file;

    LedTerm(final Path ledgerDir)
    {
        this.file = ledgerDir.resolve("led-term");
    }

    /** The term last recorded, or {@link #NONE} when there is none or it does not read back (trust nothing). */
    long read()
    {
        final long term = NumberFile.read(file);
        return term < 0 ? NONE : term;
    }

    /** Records {@code term}; false when it could not be written (the older value, or none, stays). */
    boolean write(final long term)
    {
        try
        {
            NumberFile.write(file, term);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
