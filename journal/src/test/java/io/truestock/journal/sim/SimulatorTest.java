package io.truestock.journal.sim;

import io.truestock.engine.CommandType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator in CI: three fixed seeds and one random seed (printed, so a failure can be replayed with
 * {@code truestock simulate --seed S}), each briefly with every fault; the same seed printing the same report byte for
 * byte; and a planted engine bug reported with its seed, its step and a minimal trace.
 */
class SimulatorTest
{
    private static final int STEPS = 4_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 20_261_203, 7_777_777_777L})
    void fixedSeedHoldsEveryCheck(final long seed)
    {
        final SimResult result = new Simulator(seed, STEPS, EnumSet.allOf(Fault.class), dir).run();

        assertThat(result.passed()).as(result.text()).isTrue();
        assertThat(result.stepsRun()).isEqualTo(STEPS);
        assertThat(result.faultCount()).as("faults were injected").isPositive();
        assertThat(result.recoveries()).as("and recovered from").isPositive();
    }

    @Test
    void randomSeedHoldsEveryCheck()
    {
        final long seed = new SecureRandom().nextLong();
        System.out.println("SimulatorTest random seed: " + seed + " (replay: truestock simulate --seed " + seed +
            " --steps " + STEPS + " --faults all)");

        final SimResult result = new Simulator(seed, STEPS, EnumSet.allOf(Fault.class), dir).run();

        assertThat(result.passed()).as("seed " + seed + "\n" + result.text()).isTrue();
    }

    @Test
    void sameSeedPrintsTheSameReportByteForByte()
    {
        final String first = printed(42, dir.resolve("a"));
        final String second = printed(42, dir.resolve("b"));

        assertThat(first).contains("final digest: ").contains("faults injected:");
        assertThat(withoutThroughput(second)).isEqualTo(withoutThroughput(first));
        assertThat(printed(43, dir.resolve("c"))).as("another seed, another run")
            .isNotEqualTo(withoutThroughput(first));
    }

    @Test
    void plantedBugIsReportedWithSeedStepAndMinimalTrace()
    {
        // An engine that receives one unit more than it was told, whenever it is told 13.
        final SimResult result = new Simulator(5, STEPS, EnumSet.allOf(Fault.class), dir)
            .tamper(c ->
            {
                if (c.type() == CommandType.RECEIVE && c.quantity() == 13)
                {
                    c.quantity(14);
                }
            })
            .run();

        assertThat(result.passed()).isFalse();
        assertThat(result.failedStep()).isBetween(1L, (long)STEPS);
        assertThat(result.stepsRun()).isEqualTo(result.failedStep());
        assertThat(result.violation()).contains("on_hand");
        assertThat(result.trace()).as("shrunk to the one receive of 13").hasSize(1);
        assertThat(result.trace().get(0)).startsWith("RECEIVE");
        assertThat(result.text())
            .contains("VIOLATION at step " + result.failedStep() + " (seed 5)")
            .contains("replay: truestock simulate --seed 5 --steps " + result.failedStep())
            .contains("minimal trace, 1 steps")
            .doesNotContain("final digest");
    }

    private static String printed(final long seed, final Path workDir)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int exit = Simulation.run(seed, 2_000, EnumSet.allOf(Fault.class), workDir,
            new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
        assertThat(exit).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String withoutThroughput(final String report)
    {
        return report.lines().filter(line -> !line.startsWith("throughput: ")).collect(Collectors.joining("\n"));
    }
}
