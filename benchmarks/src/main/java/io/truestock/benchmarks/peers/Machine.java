package io.truestock.benchmarks.peers;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What the results must say about the machine: CPU, cores, memory, OS and JVM. */
public final class Machine
{
    private Machine()
    {
    }

    static Map<String, String> describe()
    {
        final Map<String, String> map = new LinkedHashMap<>();
        map.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        map.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        final String memTotal = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        map.put("memory", memTotal.endsWith(" kB") ? String.format(Locale.ROOT, "%.1f GiB",
            Long.parseLong(memTotal.replace(" kB", "").strip()) / 1024.0 / 1024.0) : memTotal);
        final String os = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", "");
        map.put("os", os + ", kernel " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        map.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") +
            " (" + System.getProperty("java.vm.vendor") + ")");
        map.put("jvm_heap_max", (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        map.put("jvm_gc", ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
        map.put("load_average_at_start", loadAverage() + " (1, 5, 15 min)");
        return map;
    }

    /**
     * The 1-, 5- and 15-minute load averages, e.g. {@code 1.95 2.10 1.80}: on a machine shared with other work they
     * say how much else was competing for the cores while a phase ran.
     */
    public static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "(unknown)";
        }
    }

    /** The value of the first {@code key: value} or {@code key=value} line of a file, or "(unknown)". */
    private static String firstValue(final Path file, final String key)
    {
        try
        {
            final List<String> lines = Files.readAllLines(file);
            for (final String line : lines)
            {
                if (line.startsWith(key))
                {
                    final int colon = line.indexOf(':');
                    final int equals = line.indexOf('=');
                    final int at = colon >= 0 && (equals < 0 || colon < equals) ? colon : equals;
                    if (at >= 0 && line.substring(0, at).strip().equals(key))
                    {
                        return line.substring(at + 1).strip();
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // Not every system has these files; the results then say so.
        }
        return "(unknown)";
    }
}
