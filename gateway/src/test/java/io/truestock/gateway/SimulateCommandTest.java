package io.truestock.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code truestock simulate} as a user runs it: the report, the same bytes for the same seed, and bad options. */
class SimulateCommandTest
{
    @TempDir
    Path dir;

    @Test
    void sameSeedPrintsTheSameReport()
    {
        final String first = simulate("--seed", "11", "--steps", "600", "--faults", "crash-after-seal,torn-record",
            "--work-dir", dir.resolve("a").toString());
        final String second = simulate("--seed", "11", "--steps", "600", "--faults", "crash-after-seal,torn-record",
            "--work-dir", dir.resolve("b").toString());

        assertThat(first).contains("seed: 11").contains("steps: 600 of 600").contains("final digest: ")
            .contains("faults injected:").containsPattern("throughput: \\d+ steps/s");
        assertThat(withoutThroughput(second)).isEqualTo(withoutThroughput(first));
    }

    @Test
    void unknownFaultIsAUsageErrorNamingTheKnownOnes()
    {
        final StringWriter err = new StringWriter();
        final int exit = new CommandLine(new Main()).setErr(new PrintWriter(err))
            .execute("simulate", "--seed", "1", "--steps", "10", "--faults", "meteor");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("unknown fault 'meteor'").contains("torn-record");
    }

    private static String simulate(final String... args)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            final String[] all = new String[args.length + 1];
            all[0] = "simulate";
            System.arraycopy(args, 0, all, 1, args.length);
            assertThat(new CommandLine(new Main()).execute(all)).isZero();
        }
        finally
        {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String withoutThroughput(final String report)
    {
        return report.lines().filter(line -> !line.startsWith("throughput: ")).collect(Collectors.joining("\n"));
    }
}
