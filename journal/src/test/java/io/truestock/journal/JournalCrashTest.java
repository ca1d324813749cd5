package io.truestock.journal;

import io.truestock.engine.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a real writer process (SIGKILL, no shutdown hooks, no close) and recovers its journal: nothing the writer had
 * sealed, and so could have acknowledged, is lost; a torn batch is abandoned; the journal verifies and accepts
 * appends again.
 */
class JournalCrashTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void killedWriterLosesNothingItSealed() throws Exception
    {
        for (int round = 0; round < 3; round++)
        {
            final Path journalDir = dir.resolve("round-" + round);
            final long acknowledged = runAndKill(journalDir, 2_000 + round * 3_000);

            final List<Long> sequences = new ArrayList<>();
            final ReplayResult replay;
            final JournalConfig config = new JournalConfig().dataDir(journalDir).instanceId("crash-engine");
            try (JournalReader reader = JournalReader.open(config))
            {
                replay = reader.replay(1, new Command(8), command -> sequences.add(command.sequence()));
            }
            assertThat(replay.lastSequence()).as("every sealed batch survives").isGreaterThanOrEqualTo(acknowledged);
            assertThat(sequences).hasSize((int)replay.lastSequence());
            assertThat(sequences.get(sequences.size() - 1)).isEqualTo(replay.lastSequence());

            try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(config, replay.lastSequence()))
            {
                journal.append(Commands.nth(new Command(8), replay.lastSequence() + 1));
                journal.endOfBatch();
            }
            final VerifyResult verified = JournalVerifier.verify(journalDir);
            assertThat(verified.ok()).as(String.valueOf(verified.failure())).isTrue();
            assertThat(verified.lastSequence()).isEqualTo(replay.lastSequence() + 1);
            assertThat(verified.abandonedRecords()).isEqualTo(replay.unsealedRecords());
        }
    }

    /** Starts the writer, lets it seal at least {@code minimum} commands, kills it; returns its last reported seal. */
    private static long runAndKill(final Path journalDir, final long minimum) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashingWriterMain.class.getName());
        command.add(journalDir.toString());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = out.readLine()) != null)
            {
                if (line.startsWith("sealed "))
                {
                    acknowledged = Long.parseLong(line.substring("sealed ".length()));
                    if (acknowledged >= minimum)
                    {
                        break;
                    }
                }
            }
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("the writer ran").isGreaterThanOrEqualTo(minimum);
        return acknowledged;
    }
}
