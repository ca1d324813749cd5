package io.truestock.gateway.cluster;

import io.truestock.engine.Command;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.journal.ChronicleCommandJournal;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.JournalVerifier;
import io.truestock.journal.VerifyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's committed-command journal against a peer's that saw the same log without stopping: after a kill and a
 * replay of the cluster log, both end on the same head hash, which is what {@code GET /v1/audit/verify} compares.
 */
class CommittedJournalTest
{
    private static final long START_MILLIS = 1_800_000_000_000L;
    private static final int RETAINED_CYCLES = 2;

    @TempDir
    Path dir;

    private final Command command = new Command(4);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();

    /**
     * Killed after the record of a command and before its seal, a node held a committed command without its seal. Its
     * restart abandoned that record and wrote it again, so its chain differed from every other node's from that
     * sequence on (ClusterFailoverTest once saw the heads differ at the same last sequence).
     */
    @Test
    void nodeKilledBetweenARecordAndItsSealEndsOnThePeersHead()
    {
        final Path peer = dir.resolve("peer");
        final Path killed = dir.resolve("killed");
        killedBetweenTheRecordAndTheSealOfThree(peer, killed);

        // The restart replays the cluster log from its start: the journal already holds 1 to 3.
        try (CommittedJournal journal = new CommittedJournal(killed, RETAINED_CYCLES))
        {
            apply(journal, 1, 5);
        }

        final VerifyResult expected = JournalVerifier.verify(peer);
        final VerifyResult actual = JournalVerifier.verify(killed);
        assertThat(actual.ok()).as(String.valueOf(actual.failure())).isTrue();
        assertThat(actual.abandonedRecords()).as("abandoned records").isZero();
        assertThat(actual.lastSequence()).isEqualTo(5);
        assertThat(actual.records()).as("records").isEqualTo(expected.records());
        assertThat(actual.headHashHex()).as("head hash").isEqualTo(expected.headHashHex());
    }

    @Test
    void nodeRestartedFromASnapshotBeforeTheUnsealedRecordEndsOnThePeersHead()
    {
        final Path peer = dir.resolve("peer");
        final Path killed = dir.resolve("killed");
        killedBetweenTheRecordAndTheSealOfThree(peer, killed);

        // Restored from a snapshot at sequence 2: the log replays from 3, the unsealed one.
        try (CommittedJournal journal = new CommittedJournal(killed, RETAINED_CYCLES))
        {
            apply(journal, 3, 5);
        }

        final VerifyResult actual = JournalVerifier.verify(killed);
        assertThat(actual.ok()).as(String.valueOf(actual.failure())).isTrue();
        assertThat(actual.lastSequence()).isEqualTo(5);
        assertThat(actual.headHashHex()).as("head hash").isEqualTo(JournalVerifier.verify(peer).headHashHex());
    }


    /**
     * A peer that applied 1 to 5, and a node that applied 1 and 2 and was killed after the record of 3 and before
     * its seal: the record of sequence 3 and no seal after it.
     */
    private void killedBetweenTheRecordAndTheSealOfThree(final Path peer, final Path killed)
    {
        try (CommittedJournal journal = new CommittedJournal(peer, RETAINED_CYCLES))
        {
            apply(journal, 1, 5);
        }
        try (CommittedJournal journal = new CommittedJournal(killed, RETAINED_CYCLES))
        {
            apply(journal, 1, 2);
        }
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(config(killed), 2))
        {
            journal.append(nth(3));
        }
    }
    private void apply(final CommittedJournal journal, final long fromSequence, final long toSequence)
    {
        for (long sequence = fromSequence; sequence <= toSequence; sequence++)
        {
            journal.onApplied(nth(sequence), outcome, events);
        }
    }

    /** The committed command of {@code sequence}, the same on every node. */
    private Command nth(final long sequence)
    {
        command.clear();
        return command.receive("sku-" + sequence % 3, "oak", sequence).principal("admin")
            .stamp(sequence, START_MILLIS + sequence);
    }

    private static JournalConfig config(final Path dir)
    {
        return new JournalConfig().dataDir(dir).instanceId(CommittedJournal.INSTANCE_ID).fsyncPerBatch(false);
    }
}
