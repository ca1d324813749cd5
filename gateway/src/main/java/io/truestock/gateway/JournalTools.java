package io.truestock.gateway;

import io.truestock.journal.JournalVerifier;
import io.truestock.journal.VerifyResult;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Offline journal tools for the command line.
 */
public final class JournalTools
{
    private JournalTools()
    {
    }

    /** @return 0 when the journal verifies, 1 when it does not, 2 when there is no journal. */
    public static int verify(final Path dataDir, final PrintWriter out)
    {
        final Path journal = dataDir.resolve("journal");
        if (!Files.isDirectory(journal))
        {
            out.println("no journal in " + dataDir);
            out.flush();
            return 2;
        }
        final VerifyResult result = JournalVerifier.verify(journal);
        if (result.ok())
        {
            out.println("ok: " + result.records() + " records, " + result.commands() + " commands in " +
                result.batches() + " sealed batches, last sequence " + result.lastSequence());
            if (result.unsealedRecords() > 0)
            {
                out.println("note: " + result.unsealedRecords() + " unsealed records at the end (a crash tail, " +
                    "never applied; abandoned on the next start)");
            }
            out.println("head " + result.headHashHex());
            out.flush();
            return 0;
        }
        out.println("FAILED after " + result.records() + " good records: " + result.failure());
        out.flush();
        return 1;
    }
}
