package io.truestock.benchmarks.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a server process has cost so far, from Linux's {@code /proc}: CPU time (user plus system, every thread, in
 * clock ticks) and context switches (voluntary plus involuntary, summed over its live threads). Two readings around
 * a measured window, divided by the requests served in it, give CPU and context switches per request. Threads that
 * ended inside the window take their switches with them, so the switch count is a lower bound for a server that
 * starts and stops threads under load (none of the measured ones does).
 *
 * @param cpuTicks        utime + stime of the process, in clock ticks ({@code getconf CLK_TCK}, 100 on Linux).
 * @param contextSwitches voluntary + nonvoluntary context switches over {@code /proc/<pid>/task/*}.
 */
public record ProcessCost(long cpuTicks, long contextSwitches)
{
    /** Utime is the 14th field of {@code /proc/<pid>/stat}, stime the 15th; counted after the command's ')'. */
    private static final int UTIME_AFTER_COMMAND = 11;

    /** Reads the process now. */
    public static ProcessCost of(final long pid) throws IOException
    {
        final Path proc = Path.of("/proc", Long.toString(pid));
        final String stat = Files.readString(proc.resolve("stat"));
        // The command may contain spaces and parentheses: the fields that follow start after its last ')'.
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        final long cpu = Long.parseLong(fields[UTIME_AFTER_COMMAND]) + Long.parseLong(fields[UTIME_AFTER_COMMAND + 1]);
        long switches = 0;
        try (Stream<Path> tasks = Files.list(proc.resolve("task")))
        {
            for (final Path task : tasks.toList())
            {
                switches += switchesOf(task.resolve("status"));
            }
        }
        return new ProcessCost(cpu, switches);
    }

    private static long switchesOf(final Path status)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(status);
        }
        catch (final IOException ex)
        {
            // The thread ended between listing and reading: its switches are gone with it.
            return 0;
        }
        long switches = 0;
        for (final String line : lines)
        {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:"))
            {
                switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return switches;
    }

    /** The cost between an earlier reading and this one. */
    public ProcessCost since(final ProcessCost earlier)
    {
        return new ProcessCost(cpuTicks - earlier.cpuTicks, contextSwitches - earlier.contextSwitches);
    }
}
