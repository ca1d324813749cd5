package io.truestock.benchmarks;

import io.truestock.engine.EngineConfig;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.RuntimeConfig;
import io.truestock.journal.snapshot.Recovery;
import io.truestock.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring benchmarks measure what they claim: every command of their streams is journaled, applied and accepted
 * (the streams predict reservation ids, so one rejection would void a run), and the open-loop driver answers every
 * command it sent, each counted once. Nothing about speed is asserted.
 */
class RingFixtureTest
{
    private static final int COMMANDS = 30_000;

    @ParameterizedTest
    @ValueSource(strings = {"mix", "flash"})
    void everyCommandIsJournaledAppliedAndAccepted(final String scenario, @TempDir final Path dir) throws Exception
    {
        final RingFixture ring = new RingFixture(dir, "phased", RuntimeConfig.Pipeline.FUSED, false);
        final byte[] digest;
        try
        {
            final RingFixture.Commands commands = RingFixture.commands(scenario);
            for (int i = 0; i < COMMANDS; i++)
            {
                commands.next();
                ring.publish(commands, null);
            }
            ring.awaitApplied(ring.catalogCommands + COMMANDS, 120);
            assertThat(ring.rejected()).isZero();
            assertThat(ring.lastSequence()).isEqualTo(ring.catalogCommands + COMMANDS);
        }
        finally
        {
            ring.close();
        }
        digest = ring.engine.digest();

        final EngineConfig config = EngineApplyBenchmark.config();
        final Recovery.Result replayed = Recovery.recover(config, ring.journalConfig,
            new SnapshotStore(dir.resolve("no-snapshots"), 1), Long.MAX_VALUE, e -> { }, EngineListener.NONE);
        assertThat(replayed.replayed()).isEqualTo(ring.catalogCommands + COMMANDS);
        assertThat(replayed.engine().digest()).isEqualTo(digest);
    }

    @Test
    void theOpenLoopDriverAnswersEveryCommandItSentOnce() throws Exception
    {
        final RingLatencyMain driver = new RingLatencyMain();
        driver.timeLimitFactor = 30;
        final RingLatencyMain.Answers answers = new RingLatencyMain.Answers();
        try (RingFixture ring = new RingFixture(null, "phased", RuntimeConfig.Pipeline.FUSED, false))
        {
            final RingFixture.Commands commands = RingFixture.commands("mix");
            for (final long rate : List.of(2_000L, 5_000L))
            {
                final RingLatencyMain.Phase phase = driver.run(ring, commands, answers, rate, 1);
                assertThat(phase.sent()).isEqualTo(phase.offered()).isEqualTo(rate);
                assertThat(phase.latency().getTotalCount()).isEqualTo(phase.sent());
                assertThat(phase.sendLag().getTotalCount()).isEqualTo(phase.sent());
            }
            assertThat(answers.answered.get()).isEqualTo(7_000);
            assertThat(ring.rejected()).isZero();
            assertThat(answers.rejected.get()).isZero();
        }
    }
}
