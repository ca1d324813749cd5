package io.truestock.gateway.crash;

import io.truestock.gateway.crash.ServerProcess.Finished;
import io.truestock.gateway.crash.Workload.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code truestock audit verify --data-dir D}, run as its own JVM the way an operator runs it: it passes on a data
 * dir whose server was killed mid-stream (a journal that may end in an unsealed tail), and again after the server
 * recovered it and wrote on; it fails with exit code 1 once one bit of one journal record is flipped.
 */
class AuditVerifyCommandTest
{
    private static final int CLIENTS = 3;
    private static final long SNAPSHOT_EVERY_COMMANDS = 500;
    private static final long LOAD_TIMEOUT_SECONDS = 90;
    private static final int KILL_AFTER_ANSWERS = 1200;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 170, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void auditVerifyPassesOnACrashedAndRecoveredDataDirAndFailsOnAFlippedBit()
    {
        final Path data = dir.resolve("data");
        final Path config = DataDirs.writeServerConfig(dir.resolve("truestock.yaml"), SNAPSHOT_EVERY_COMMANDS);
        final List<Call> calls = new ArrayList<>();
        final Workload workload = new Workload("first");
        try (ServerProcess server = ServerProcess.startServer(data, config, dir.resolve("server-1.log")))
        {
            final int port = server.awaitReady();
            calls.addAll(Workload.defineCatalog(new HttpCalls(port)));
            workload.start(port, 7, CLIENTS);
            workload.awaitAnswered(KILL_AFTER_ANSWERS, LOAD_TIMEOUT_SECONDS);
            workload.serverGoingAway();
            server.kill();
            calls.addAll(workload.finish());
        }

        final Finished crashed = verify(data);
        assertThat(crashed.exitCode()).as(crashed.output()).isZero();
        assertThat(crashed.output()).containsPattern("(?m)^ok: ");

        try (ServerProcess server = ServerProcess.startServer(data, config, dir.resolve("server-2.log")))
        {
            final int port = server.awaitReady();
            final HttpCalls http = new HttpCalls(port);
            AcknowledgedHistory.of(calls, workload.endedAtMillis()).checkRecovered(http);
            final Workload more = new Workload("second");
            more.start(port, 8, CLIENTS);
            more.awaitAnswered(300, LOAD_TIMEOUT_SECONDS);
            more.stopClients();
            assertThat(server.terminate()).isIn(0, ServerProcess.SIGTERM_EXIT_CODE);
        }

        final Finished recovered = verify(data);
        assertThat(recovered.exitCode()).as(recovered.output()).isZero();
        assertThat(recovered.output()).containsPattern("(?m)^ok: ");

        final Path damaged = DataDirs.copy(data, dir.resolve("damaged"));
        DataDirs.flipBitInJournal(damaged, Workload.MARKER_REFERENCE);
        final Finished flipped = verify(damaged);
        assertThat(flipped.exitCode()).as(flipped.output()).isEqualTo(1);
        final long markerSequence = calls.stream()
            .filter(call -> call.client() < 0 && call.request().body().contains(Workload.MARKER_REFERENCE))
            .mapToLong(call -> call.reply().json().path("version").asLong()).findFirst().orElseThrow();
        assertThat(flipped.output()).as("the flipped record is named").containsPattern("(?m)^FAILED ")
            .contains("EDITED").contains("sequence " + markerSequence + ")");

        final Finished original = verify(data);
        assertThat(original.exitCode()).as("the original is untouched: " + original.output()).isZero();
    }

    private static Finished verify(final Path dataDir)
    {
        return ServerProcess.runCommand("audit", "verify", "--data-dir", dataDir.toString());
    }
}
