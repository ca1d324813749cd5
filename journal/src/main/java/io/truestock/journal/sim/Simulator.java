package io.truestock.journal.sim;

import io.truestock.engine.Command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The deterministic simulator: the real engine and journal on one thread, in virtual time, driven by many virtual
 * clients (with idempotency keys and retries) and an operator, with crashes at every point of the pipeline, torn
 * records, damaged or missing snapshots and downtime injected, every step checked against an independent model
 * ({@link SimModel}). Everything comes from the seed: the same seed gives the same steps, the same faults, the same
 * checks and the same final digest.
 * <p>
 * The run is cut into epochs of {@link #epochSteps} steps, each a new deployment in a new data directory, so the
 * full replay that checks every recovery stays short. On a violation the epoch's steps up to the failing one are
 * shrunk (chunks of steps dropped while the run still fails) to a minimal trace.
 */
public final class Simulator
{
    /** Default steps per epoch. */
    public static final int DEFAULT_EPOCH_STEPS = 2_500;
    /** Default budget of replays spent shrinking a failing trace. */
    public static final int DEFAULT_SHRINK_RUNS = 300;

    /**
     * A test hook that changes a command after the model has seen it and before the journal and engine do: a planted
     * bug, to show that the checks catch a wrong engine.
     */
    @FunctionalInterface
    public interface CommandTamper
    {
        void tamper(Command stamped);
    }

    private final long seed;
    private final long steps;
    private final EnumSet<Fault> faults;
    private final Path workDir;
    private int epochSteps = DEFAULT_EPOCH_STEPS;
    private int shrinkRuns = DEFAULT_SHRINK_RUNS;
    private CommandTamper tamper;
    private Progress progress;
    private long progressEvery;

    /** Told how a long run is going: steps done, faults injected so far by kind, recoveries so far. */
    @FunctionalInterface
    public interface Progress
    {
        void at(long steps, Map<Fault, Long> faults, long recoveries);
    }

    /**
     * @param workDir where the data directories go; emptied of them afterwards.
     */
    public Simulator(final long seed, final long steps, final EnumSet<Fault> faults, final Path workDir)
    {
        if (steps < 1)
        {
            throw new IllegalArgumentException("steps must be >= 1");
        }
        this.seed = seed;
        this.steps = steps;
        this.faults = EnumSet.copyOf(faults.isEmpty() ? EnumSet.noneOf(Fault.class) : faults);
        this.workDir = workDir;
    }

    public Simulator epochSteps(final int value)
    {
        if (value < 1)
        {
            throw new IllegalArgumentException("epoch steps must be >= 1");
        }
        epochSteps = value;
        return this;
    }

    public Simulator shrinkRuns(final int value)
    {
        shrinkRuns = value;
        return this;
    }

    public Simulator tamper(final CommandTamper value)
    {
        tamper = value;
        return this;
    }

    /** Reports progress every {@code everySteps} steps (a long run prints it; the report itself stays the same). */
    public Simulator progress(final long everySteps, final Progress value)
    {
        progressEvery = everySteps;
        progress = value;
        return this;
    }

    /** Runs every step, or up to the first violation (then shrinks it). */
    public SimResult run()
    {
        final SimOp.Generator generator = new SimOp.Generator(seed, faults);
        final List<SimOp> epochOps = new ArrayList<>();
        long epochStart = 0;
        long step = 0;
        try (SimRun run = new SimRun(workDir.resolve("run"), tamper))
        {
            try
            {
                for (; step < steps; step++)
                {
                    if (step % epochSteps == 0)
                    {
                        epochOps.clear();
                        epochStart = step;
                        run.newEpoch();
                    }
                    final SimOp op = generator.next();
                    epochOps.add(op);
                    run.execute(op);
                    if (progress != null && (step + 1) % progressEvery == 0)
                    {
                        progress.at(step + 1, run.faults, run.recoveries);
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                run.close();
                return failed(run, step + 1, epochStart, describe(ex), epochOps);
            }
            return new SimResult(seed, steps, faults, steps, run.faults, run.commands, run.recoveries,
                run.snapshotRestores, SimText.hex(run.engine().digest()), -1, null, List.of(), null);
        }
        finally
        {
            deleteTree(workDir.resolve("run"));
            deleteTree(workDir.resolve("shrink"));
        }
    }

    private SimResult failed(
        final SimRun run, final long failedStep, final long epochStart, final String violation, final List<SimOp> ops)
    {
        final List<SimOp> trace = new ArrayList<>(ops);
        String traceViolation = replay(trace);
        if (traceViolation == null)
        {
            traceViolation = "(the epoch's steps alone did not fail again: the run is not deterministic)";
        }
        else
        {
            traceViolation = shrink(trace, traceViolation);
        }
        final List<String> lines = new ArrayList<>();
        for (final SimOp op : trace)
        {
            lines.add(op.toString());
        }
        return new SimResult(seed, steps, faults, failedStep, run.faults, run.commands, run.recoveries,
            run.snapshotRestores, null, failedStep, violation, lines,
            "shrunk from the " + ops.size() + " steps of the epoch that began at step " + (epochStart + 1) +
                "; this trace fails with: " + traceViolation);
    }

    /**
     * Drops chunks of steps, halving the chunk size, keeping each removal after which the trace still fails, until
     * no single step can go or the budget is spent. {@code trace} is left minimal.
     *
     * @return the violation of the minimal trace.
     */
    private String shrink(final List<SimOp> trace, final String violation)
    {
        String last = violation;
        int runs = 0;
        int chunk = Math.max(1, trace.size() / 2);
        while (runs < shrinkRuns)
        {
            boolean removed = false;
            int start = 0;
            while (start < trace.size() && runs < shrinkRuns && trace.size() > 1)
            {
                final List<SimOp> candidate = new ArrayList<>(trace.subList(0, start));
                candidate.addAll(trace.subList(Math.min(trace.size(), start + chunk), trace.size()));
                runs++;
                final String failure = candidate.isEmpty() ? null : replay(candidate);
                if (failure != null)
                {
                    trace.clear();
                    trace.addAll(candidate);
                    last = failure;
                    removed = true;
                }
                else
                {
                    start += chunk;
                }
            }
            if (chunk == 1 && !removed)
            {
                break;
            }
            chunk = removed ? Math.max(1, Math.min(chunk, trace.size() / 2)) : Math.max(1, chunk / 2);
        }
        return last;
    }

    /** Runs the steps as a fresh epoch; cuts {@code ops} after the failing step. @return the violation, or null. */
    private String replay(final List<SimOp> ops)
    {
        try (SimRun run = new SimRun(workDir.resolve("shrink"), tamper))
        {
            int i = 0;
            try
            {
                run.newEpoch();
                for (; i < ops.size(); i++)
                {
                    run.execute(ops.get(i));
                }
                return null;
            }
            catch (final RuntimeException ex)
            {
                ops.subList(Math.min(ops.size(), i + 1), ops.size()).clear();
                return describe(ex);
            }
        }
    }

    private static String describe(final RuntimeException ex)
    {
        if (ex instanceof SimViolation)
        {
            return ex.getMessage();
        }
        return ex.getClass().getSimpleName() + ": " + ex.getMessage();
    }

    static void deleteTree(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + dir, ex);
        }
    }
}
