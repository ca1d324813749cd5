package io.truestock.journal.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;

/**
 * The {@code truestock simulate} command: runs the {@link Simulator} and prints its report, then the throughput
 * (the one line that depends on the machine, so it comes last and is marked as such). Exit code 0 when every check
 * held, 1 on a violation (the report then names the seed, the step and a minimal trace).
 */
public final class Simulation
{
    /** Steps between progress lines. */
    public static final long PROGRESS_EVERY = 250_000;

    private Simulation()
    {
    }

    /**
     * @param workDir  where the simulated data directories go, or null for a fresh temporary directory (deleted after).
     * @param out      where the report goes: the same bytes for the same seed, but for the last line.
     * @param progress where a long run says how far it is, every {@value #PROGRESS_EVERY} steps (timings included).
     * @return the process exit code.
     */
    public static int run(
        final long seed, final long steps, final EnumSet<Fault> faults, final Path workDir, final PrintStream out,
        final PrintStream progress)
    {
        final Path dir = workDir != null ? workDir : temporaryDirectory();
        final long start = System.nanoTime();
        final SimResult result = new Simulator(seed, steps, faults, dir)
            .progress(PROGRESS_EVERY, (done, injected, recoveries) -> progress.printf(Locale.ROOT,
                "progress: %d of %d steps, %.0f steps/s, %d recoveries, faults injected:%s%n", done, steps,
                done / ((System.nanoTime() - start) / 1e9), recoveries, SimResult.counts(injected)))
            .run();
        final double seconds = (System.nanoTime() - start) / 1e9;
        out.print(result.text());
        out.printf(Locale.ROOT, "throughput: %.0f steps/s (%d steps in %.1f s; wall clock, differs between runs)%n",
            result.stepsRun() / seconds, result.stepsRun(), seconds);
        out.flush();
        if (workDir == null)
        {
            try
            {
                Files.deleteIfExists(dir);
            }
            catch (final IOException ex)
            {
                out.println("could not delete " + dir + ": " + ex.getMessage());
            }
        }
        return result.passed() ? 0 : 1;
    }

    private static Path temporaryDirectory()
    {
        try
        {
            return Files.createTempDirectory("truestock-sim");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a directory for the simulation", ex);
        }
    }
}
