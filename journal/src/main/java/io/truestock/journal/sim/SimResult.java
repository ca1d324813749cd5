package io.truestock.journal.sim;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a simulation did: steps, commands and faults by kind, recoveries, the final digest, or the first violation
 * with the step it happened at and a minimal trace. {@link #text()} is a function of the seed and settings alone
 * (no timings), so two runs of one seed print the same bytes.
 *
 * @param failedStep 1-based step of the violation, or -1 when the run passed.
 */
public record SimResult(
    long seed, long steps, EnumSet<Fault> enabled, long stepsRun, Map<Fault, Long> faults, Map<String, Long> commands,
    long recoveries, long snapshotRestores, String digest, long failedStep, String violation, List<String> trace,
    String traceNote)
{
    public SimResult
    {
        faults = new EnumMap<>(faults);
        commands = new TreeMap<>(commands);
        trace = List.copyOf(trace);
    }

    public boolean passed()
    {
        return violation == null;
    }

    /** Total faults injected. */
    public long faultCount()
    {
        return faults.values().stream().mapToLong(Long::longValue).sum();
    }

    public String text()
    {
        final StringBuilder b = new StringBuilder();
        b.append("seed: ").append(seed).append('\n');
        b.append("faults enabled: ").append(names(enabled)).append('\n');
        b.append("steps: ").append(stepsRun).append(" of ").append(steps).append('\n');
        b.append("commands:");
        commands.forEach((type, count) -> b.append(' ').append(type).append('=').append(count));
        b.append('\n').append("faults injected:").append(counts(faults)).append('\n');
        b.append("recoveries: ").append(recoveries).append(" (from a snapshot: ").append(snapshotRestores)
            .append(")\n");
        if (passed())
        {
            b.append("final digest: ").append(digest).append('\n');
            return b.toString();
        }
        b.append("VIOLATION at step ").append(failedStep).append(" (seed ").append(seed).append("): ")
            .append(violation).append('\n');
        b.append("replay: truestock simulate --seed ").append(seed).append(" --steps ").append(failedStep)
            .append(" --faults ").append(names(enabled)).append('\n');
        b.append("minimal trace, ").append(trace.size()).append(" steps (").append(traceNote).append("):\n");
        for (int i = 0; i < trace.size(); i++)
        {
            b.append("  ").append(i + 1).append(": ").append(trace.get(i)).append('\n');
        }
        return b.toString();
    }

    /** " kind=count" for every fault, in the enum's order. */
    static String counts(final Map<Fault, Long> faults)
    {
        final StringBuilder b = new StringBuilder();
        faults.forEach((fault, count) -> b.append(' ').append(fault.cliName()).append('=').append(count));
        return b.toString();
    }

    static String names(final EnumSet<Fault> faults)
    {
        if (faults.isEmpty())
        {
            return "none";
        }
        final StringBuilder b = new StringBuilder();
        for (final Fault f : faults)
        {
            b.append(b.length() == 0 ? "" : ",").append(f.cliName());
        }
        return b.toString();
    }
}
