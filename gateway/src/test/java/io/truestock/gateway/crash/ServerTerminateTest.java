package io.truestock.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.crash.DataDirs.Recovered;
import io.truestock.gateway.crash.Workload.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stops a real server with SIGTERM in the middle of a stream of mixed commands: it must drain, flush and exit
 * cleanly and promptly, leave a final snapshot at the end of its journal, and come back with every acknowledged
 * command and a journal whose hash chain verifies.
 */
class ServerTerminateTest
{
    private static final int CLIENTS = 4;
    private static final long SNAPSHOT_EVERY_COMMANDS = 500;
    private static final long LOAD_TIMEOUT_SECONDS = 90;
    private static final int STOP_AFTER_ANSWERS = 1500;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void terminatedServerExitsCleanlyAndKeepsEveryAcknowledgedCommand()
    {
        final Path data = dir.resolve("data");
        final Path config = DataDirs.writeServerConfig(dir.resolve("truestock.yaml"), SNAPSHOT_EVERY_COMMANDS);
        final List<Call> calls = new ArrayList<>();
        final Workload workload = new Workload("first");
        try (ServerProcess server = ServerProcess.startServer(data, config, dir.resolve("server-1.log")))
        {
            final int port = server.awaitReady();
            calls.addAll(Workload.defineCatalog(new HttpCalls(port)));
            workload.start(port, 5, CLIENTS);
            workload.awaitAnswered(STOP_AFTER_ANSWERS, LOAD_TIMEOUT_SECONDS);
            workload.serverGoingAway();
            assertThat(server.terminate()).as("exit code after SIGTERM:\n%s", server.outputTail())
                .isIn(0, ServerProcess.SIGTERM_EXIT_CODE);
            calls.addAll(workload.finish());
        }
        final AcknowledgedHistory history = AcknowledgedHistory.of(calls, workload.endedAtMillis());
        assertThat(history.answered()).isGreaterThanOrEqualTo(STOP_AFTER_ANSWERS);

        final Recovered stopped = DataDirs.recover(DataDirs.copy(data, dir.resolve("stopped")), config, true);
        assertThat(stopped.replayed()).as("a final snapshot at the end of the journal (at %d, snapshot at %d)",
            stopped.sequence(), stopped.snapshotSequence()).isZero();

        try (ServerProcess server = ServerProcess.startServer(data, config, dir.resolve("server-2.log")))
        {
            final HttpCalls http = new HttpCalls(server.awaitReady());
            assertThat(server.recoveredSequence()).isEqualTo(stopped.sequence());

            history.checkRecovered(http);

            final JsonNode verified = http.expect(200, "GET", "/v1/audit/verify", null);
            assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
            assertThat(verified.path("last_sequence").asLong()).as(verified.toString())
                .isGreaterThanOrEqualTo(stopped.sequence());

            assertThat(server.terminate()).isIn(0, ServerProcess.SIGTERM_EXIT_CODE);
        }
    }
}
