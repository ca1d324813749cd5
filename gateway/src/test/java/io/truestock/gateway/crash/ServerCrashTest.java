package io.truestock.gateway.crash;

import io.truestock.gateway.crash.DataDirs.Recovered;
import io.truestock.gateway.crash.Workload.Call;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a real server (SIGKILL: no shutdown hook, no drain, no final snapshot) in the middle of a stream of mixed
 * commands from several clients, restarts it on the same data dir and checks it against what the clients were
 * told: every acknowledged command is there as acknowledged, no unacknowledged one is half there, a keyed request
 * that lost its answer and is retried takes effect exactly once, idempotent requests answer their first outcome,
 * and the recovered state is the state a full replay of the journal gives. Snapshots are taken every 500
 * mutations, so the kill lands between two of them and recovery is snapshot plus replay. One run kills the
 * restarted server again as soon as it is up, before it has taken a command.
 */
class ServerCrashTest
{
    private static final int CLIENTS = 4;
    private static final long SNAPSHOT_EVERY_COMMANDS = 500;
    private static final long LOAD_TIMEOUT_SECONDS = 90;
    private static final int REPLAYS = 40;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}, killed after {1} answers, killed again once restarted: {2}")
    @CsvSource({"11, 700, false", "23, 1900, true", "37, 3300, false"})
    @Timeout(value = 170, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void killedServerKeepsEveryAcknowledgedCommandAndNothingHalfApplied(
        final long seed, final int killAfter, final boolean killAgainOnceRestarted)
    {
        final Path data = dir.resolve("data");
        final Path config = DataDirs.writeServerConfig(dir.resolve("truestock.yaml"), SNAPSHOT_EVERY_COMMANDS);
        final List<Call> calls = new ArrayList<>();
        final Workload workload = new Workload("first");
        try (ServerProcess server = ServerProcess.startServer(data, config, dir.resolve("server-1.log")))
        {
            final int port = server.awaitReady();
            calls.addAll(Workload.defineCatalog(new HttpCalls(port)));
            workload.start(port, seed, CLIENTS);
            workload.awaitAnswered(killAfter, LOAD_TIMEOUT_SECONDS);
            workload.serverGoingAway();
            server.kill();
            calls.addAll(workload.finish());
        }
        assertThat(calls.stream().filter(Call::answered).count()).isGreaterThanOrEqualTo(killAfter);

        final Recovered crashed = DataDirs.recover(DataDirs.copy(data, dir.resolve("crashed-1")), config, true);
        final Recovered crashedFromJournal = DataDirs.recover(DataDirs.copy(data, dir.resolve("crashed-2")), config,
            false);
        assertThat(crashed.snapshotSequence()).as("a snapshot was taken before the kill").isPositive();
        assertThat(crashedFromJournal.snapshotSequence()).isZero();
        assertThat(crashed.sequence()).isEqualTo(crashedFromJournal.sequence());
        assertThat(crashed.digestHex()).as("snapshot %d + replay of %d vs replay of %d from empty",
            crashed.snapshotSequence(), crashed.replayed(), crashedFromJournal.replayed())
            .isEqualTo(crashedFromJournal.digestHex());

        if (killAgainOnceRestarted)
        {
            try (ServerProcess server = ServerProcess.startServer(data, config, dir.resolve("server-2.log")))
            {
                server.awaitReady();
                assertThat(server.recoveredSequence()).as("the restarted server recovered as far as the journal goes")
                    .isEqualTo(crashed.sequence());
                server.kill();
            }
        }

        try (ServerProcess server = ServerProcess.startServer(data, config, dir.resolve("server-3.log")))
        {
            final HttpCalls http = new HttpCalls(server.awaitReady());
            if (killAgainOnceRestarted)
            {
                assertThat(server.recoveredSequence()).isGreaterThanOrEqualTo(crashed.sequence());
            }
            else
            {
                assertThat(server.recoveredSequence()).as("the restarted server recovered as far as the journal goes")
                    .isEqualTo(crashed.sequence());
            }

            final List<Call> settled = Workload.retryUnansweredKeyed(http, calls);
            final AcknowledgedHistory history = AcknowledgedHistory.of(settled, System.currentTimeMillis());
            assertThat(history.reservationCount()).as("reservations acknowledged").isPositive();
            assertThat(history.orderCount()).as("orders acknowledged").isPositive();
            history.checkRecovered(http);
            System.out.printf("seed %d: %d answered, %d unanswered (%d settled by a keyed retry); recovery: snapshot at" +
                " %d + %d replayed = %d; %s%n", seed, history.answered(), history.unanswered(),
                calls.stream().filter(c -> !c.answered()).count() - history.unanswered(), crashed.snapshotSequence(),
                crashed.replayed(), crashed.sequence(), history.recoveredStatuses());
            assertThat(history.checkReplays(http, REPLAYS)).as("keyed requests replayed").isPositive();

            assertThat(server.terminate()).as("exit code after SIGTERM")
                .isIn(0, ServerProcess.SIGTERM_EXIT_CODE);
        }

        final Recovered stopped = DataDirs.recover(DataDirs.copy(data, dir.resolve("stopped-1")), config, true);
        final Recovered stoppedFromJournal = DataDirs.recover(DataDirs.copy(data, dir.resolve("stopped-2")), config,
            false);
        assertThat(stopped.sequence()).isEqualTo(stoppedFromJournal.sequence()).isGreaterThan(crashed.sequence());
        assertThat(stopped.digestHex()).as("snapshot %d + replay of %d vs replay of %d from empty",
            stopped.snapshotSequence(), stopped.replayed(), stoppedFromJournal.replayed())
            .isEqualTo(stoppedFromJournal.digestHex());
    }
}
