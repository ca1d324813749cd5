package io.truestock.gateway.cluster;

import io.truestock.engine.Command;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.journal.ChronicleCommandJournal;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.JournalVerifier;
import io.truestock.journal.VerifyResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hash-chained command journal in cluster mode, written after commit rather than before apply: every node
 * appends the same stamped commands in the same order, one sealed batch per command, under the same instance id, so
 * the chain (and {@code GET /v1/audit/verify}'s head hash) is the same on every node at the same sequence. The Raft
 * log, not this file, is what recovery replays: on a restart the commands the journal already holds are skipped.
 * <p>
 * Each command is a record and then its seal. A node killed between the two leaves a record of a committed command
 * without its seal; on the restart that record is sealed exactly as it would have been
 * ({@link ChronicleCommandJournal#openSealingTail}), not abandoned and written again, which would leave this node's
 * chain, from that sequence on, different from every other node's.
 * <p>
 * A journal that cannot continue where the engine is (it was lost while the cluster state was kept) is logged and
 * no longer written; the cluster goes on.
 */
final class CommittedJournal implements EngineListener, AutoCloseable
{
    /** Every node's journal carries this instance id, so their chains start from the same hash. */
    static final String INSTANCE_ID = "truestock-cluster";
    private static final Logger LOG = LoggerFactory.getLogger(CommittedJournal.class);

    private final JournalConfig config;
    private final long startTail;
    private ChronicleCommandJournal journal;
    private boolean broken;

    CommittedJournal(final Path dir, final int retainedCycles)
    {
        config = new JournalConfig().dataDir(dir).instanceId(INSTANCE_ID).fsyncPerBatch(false)
            .retainedCycles(retainedCycles).conclude();
        long tail = 0;
        if (Files.exists(dir.resolve("journal.meta")))
        {
            final VerifyResult verified = JournalVerifier.verify(dir);
            tail = verified.lastSequence();
            if (!verified.ok())
            {
                LOG.warn("journal {} does not verify ({}); it continues after sequence {}", dir, verified.failure(),
                    tail);
            }
        }
        startTail = tail;
    }

    Path dir()
    {
        return config.dataDir();
    }

    @Override
    public void onApplied(final Command command, final Outcome outcome, final Events events)
    {
        if (broken || !command.type().isMutation() || command.sequence() <= startTail)
        {
            return;
        }
        try
        {
            if (journal == null)
            {
                journal = ChronicleCommandJournal.openSealingTail(config, command.sequence() - 1);
                if (journal.lastSequence() >= command.sequence())
                {
                    LOG.info("journal {}: sealed sequence {} to {}, written but not sealed before this node stopped",
                        config.dataDir(), command.sequence(), journal.lastSequence());
                }
            }
            if (command.sequence() > journal.lastSequence())
            {
                journal.append(command);
                journal.endOfBatch();
            }
        }
        catch (final RuntimeException ex)
        {
            broken = true;
            LOG.error("the committed-command journal stopped at {}: {}", command.sequence() - 1, ex.getMessage());
        }
    }

    @Override
    public void close()
    {
        if (journal != null)
        {
            journal.close();
        }
    }
}
