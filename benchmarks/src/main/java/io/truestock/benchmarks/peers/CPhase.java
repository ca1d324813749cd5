package io.truestock.benchmarks.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The C load generator and pipelined phase of {@code benchmarks/run-peers.sh}: every server in its own process,
 * started as its users start it, driven by {@code wrk}, {@code redis-benchmark} or, for the binary protocol no C
 * generator speaks, {@link PipelinedLoad} in its own process. The script measures and writes one tab-separated row
 * per measurement (header first); this reads them back and renders them into the comparison's report.
 *
 * @param rows  the measurements, in the order they ran.
 * @param notes what the results must say besides the figures: versions, pinning, how each server was started.
 */
public record CPhase(List<Row> rows, Map<String, String> notes)
{
    /** The columns of the script's file, in order. */
    /** The generator name of the open-loop rows: {@code openloop <rate>/s} (benchmarks/c/openloop.c). */
    static final String OPEN_LOOP = "openloop ";
    /**
     * The generator name of the closed-loop rows (benchmarks/c/openloop.c with {@code --loop closed}): one C
     * generator driving every system the same way, latencies uncorrected, so their p99s compare.
     */
    static final String CLOSED_LOOP = "closed-loop";

    static final List<String> COLUMNS = List.of("system", "edge", "operation", "generator", "connections", "depth",
        "requests", "seconds", "p50_us", "p99_us", "p999_us", "server_cpu_ticks", "clock_ticks",
        "server_context_switches", "errors", "conflicts", "oversells", "check");

    /**
     * One measurement.
     *
     * @param depth           requests written at once on each connection (1: no pipelining).
     * @param requests        answers counted in the measured window, errors included.
     * @param p50Micros       latency percentiles; negative when the generator's figure is not trustworthy (wrk's
     *                        percentiles under pipelining).
     * @param serverCpuTicks  the server process's utime + stime over the window, in {@code clockTicks} a second.
     * @param errors          answers that were neither a hold nor a refusal for stock, and socket errors.
     * @param conflicts       refusals for stock (409 out_of_stock, a script's 0): the stock never runs out, so any
     *                        is a defect.
     * @param oversells       units held beyond the stock, from the server's own final state.
     * @param check           the final state the oversell check read, as figures.
     */
    public record Row(String system, String edge, String operation, String generator, int connections, int depth,
        long requests, double seconds, double p50Micros, double p99Micros, double p999Micros, long serverCpuTicks,
        long clockTicks, long serverContextSwitches, long errors, long conflicts, long oversells, String check)
    {
        public double throughputPerSecond()
        {
            return seconds > 0 ? (requests - errors) / seconds : 0;
        }

        public double cpuMicrosPerRequest()
        {
            return requests > 0 && clockTicks > 0 ? serverCpuTicks * 1e6 / clockTicks / requests : 0;
        }

        public double contextSwitchesPerRequest()
        {
            return requests > 0 ? (double)serverContextSwitches / requests : 0;
        }

        Map<String, Object> toMap()
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("system", system);
            map.put("edge", edge);
            map.put("operation", operation);
            map.put("generator", generator);
            map.put("connections", connections);
            map.put("depth", depth);
            map.put("requests", requests);
            map.put("seconds", seconds);
            map.put("throughput_per_s", Math.round(throughputPerSecond()));
            map.put("p50_us", p50Micros < 0 ? null : Latency.round(p50Micros));
            map.put("p99_us", p99Micros < 0 ? null : Latency.round(p99Micros));
            map.put("p99_9_us", p999Micros < 0 ? null : Latency.round(p999Micros));
            map.put("server_cpu_us_per_request", Latency.round(cpuMicrosPerRequest()));
            map.put("server_context_switches_per_request", Math.round(contextSwitchesPerRequest() * 1000) / 1000.0);
            map.put("errors", errors);
            map.put("conflicts", conflicts);
            map.put("oversells", oversells);
            map.put("final_state", check);
            return map;
        }
    }

    /** Reads the script's file: a header row naming {@link #COLUMNS}, then one row per measurement. */
    public static CPhase read(final Path file, final Map<String, String> notes) throws IOException
    {
        final List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !Arrays.asList(lines.get(0).split("\t", -1)).equals(COLUMNS))
        {
            throw new IOException(file + ": the first line must be the header " + String.join(",", COLUMNS));
        }
        final List<Row> rows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++)
        {
            if (lines.get(n).isBlank())
            {
                continue;
            }
            final String[] f = lines.get(n).split("\t", -1);
            if (f.length != COLUMNS.size())
            {
                throw new IOException(file + ":" + (n + 1) + ": " + f.length + " columns, expected " + COLUMNS.size());
            }
            try
            {
                rows.add(new Row(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), Integer.parseInt(f[5]),
                    Long.parseLong(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]),
                    Double.parseDouble(f[10]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                    Long.parseLong(f[14]), Long.parseLong(f[15]), Long.parseLong(f[16]), f[17]));
            }
            catch (final NumberFormatException ex)
            {
                throw new IOException(file + ":" + (n + 1) + ": " + ex.getMessage(), ex);
            }
        }
        return new CPhase(List.copyOf(rows), new LinkedHashMap<>(notes));
    }

    /** True when some measurement held more than the stock. */
    public boolean oversold()
    {
        return rows.stream().anyMatch(r -> r.oversells() > 0);
    }

    /** The measurement of that system, operation, generator and depth, or null. */
    public Row find(final String system, final String operation, final String generator, final int depth)
    {
        return rows.stream().filter(r -> r.system().equals(system) && r.operation().equals(operation) &&
            r.generator().equals(generator) && r.depth() == depth).findFirst().orElse(null);
    }

    /**
     * The comparisons issue-style targets are stated in: Truestock's figure over the peer's (throughput above 1
     * and latency below 1 favour Truestock), and the HTTP edge's read rate over its write rate (what a reservation
     * costs against a read).
     */
    Map<String, Object> ratios()
    {
        final Map<String, Object> ratios = new LinkedHashMap<>();
        compare(ratios, "http_reserve_wrk_over_redis_script_redis_benchmark",
            find("truestock", "reserve", "wrk", 1), find("redis", "reserve", "redis-benchmark", 1));
        compare(ratios, "binary_reserve_over_redis_script_same_java_generator_depth_1",
            find("truestock", "reserve", "pipelined-load", 1), find("redis", "reserve", "pipelined-load", 1));
        compare(ratios, "binary_reserve_over_redis_script_same_java_generator_depth_16",
            find("truestock", "reserve", "pipelined-load", 16), find("redis", "reserve", "pipelined-load", 16));
        compare(ratios, "binary_reserve_java_generator_over_redis_benchmark_depth_16",
            find("truestock", "reserve", "pipelined-load", 16), find("redis", "reserve", "redis-benchmark", 16));
        compare(ratios, "http_reserve_wrk_over_redis_benchmark_depth_16",
            find("truestock", "reserve", "wrk", 16), find("redis", "reserve", "redis-benchmark", 16));
        final Row redisClosed = find("redis", "reserve", CLOSED_LOOP, 1);
        for (final Row ours : rows)
        {
            if (ours.system().equals("truestock") && ours.operation().equals("reserve") &&
                ours.generator().equals(CLOSED_LOOP))
            {
                compare(ratios, ours.edge() + "_reserve_closed_loop_over_redis_script_same_c_generator", ours,
                    redisClosed);
            }
        }
        for (final Row ours : rows)
        {
            if (ours.system().equals("truestock") && ours.operation().equals("reserve") &&
                ours.generator().startsWith(OPEN_LOOP))
            {
                openLoop(ratios, ours.edge() + "_reserve_" + ours.generator().replace(' ', '_').replace("/s", "_per_s") +
                    "_over_redis_script", ours, find("redis", "reserve", ours.generator(), ours.depth()));
            }
        }
        final Row write = find("truestock", "reserve", "wrk", 1);
        final Row read = find("truestock", "availability", "wrk", 1);
        if (write != null && read != null && write.throughputPerSecond() > 0)
        {
            ratios.put("http_write_cost_over_read_cost_wrk", round(read.throughputPerSecond() /
                write.throughputPerSecond()));
        }
        return ratios;
    }

    private static void compare(final Map<String, Object> ratios, final String name, final Row ours, final Row theirs)
    {
        if (ours == null || theirs == null || theirs.throughputPerSecond() <= 0)
        {
            return;
        }
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("throughput", round(ours.throughputPerSecond() / theirs.throughputPerSecond()));
        if (ours.p99Micros() > 0 && theirs.p99Micros() > 0)
        {
            r.put("p99", round(ours.p99Micros() / theirs.p99Micros()));
        }
        ratios.put(name, r);
    }

    /**
     * An open-loop comparison: both systems were offered the same rate, so only the latencies compare (below 1
     * favours Truestock).
     */
    private static void openLoop(final Map<String, Object> ratios, final String name, final Row ours, final Row theirs)
    {
        if (theirs == null || ours.p50Micros() <= 0 || theirs.p50Micros() <= 0 || ours.p99Micros() <= 0 ||
            theirs.p99Micros() <= 0)
        {
            return;
        }
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("p50", round(ours.p50Micros() / theirs.p50Micros()));
        r.put("p99", round(ours.p99Micros() / theirs.p99Micros()));
        ratios.put(name, r);
    }

    private static String latency(final double micros)
    {
        return micros < 0 ? "n/a" : Report.us(micros);
    }

    private static double round(final double value)
    {
        return Math.round(value * 100.0) / 100.0;
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("notes", notes);
        final List<Object> list = new ArrayList<>();
        rows.forEach(r -> list.add(r.toMap()));
        map.put("rows", list);
        map.put("ratios", ratios());
        return map;
    }

    /** The section of the Markdown report. */
    void markdown(final StringBuilder md)
    {
        md.append("## C load generators and pipelining, every server in its own process\n\n");
        md.append("Every system ran as its own server process, started the way its users start it, one system at a " +
            "time; every load generator ran in its own process. `wrk` drove Truestock's HTTP edge " +
            "(`benchmarks/wrk/truestock.lua`), `redis-benchmark` drove Redis's reservation script " +
            "(`EVALSHA` of `redis/reserve.lua`, the script of the harness's Redis target). No C load generator " +
            "speaks Truestock's binary protocol, so it was driven by the harness's Java generator (`PipelinedLoad`, " +
            "the client module's `TruestockClient`) in its own JVM, and Redis's script by the same generator too, " +
            "for a comparison through one generator. Reservations are 1 unit held 1 s on a SKU whose stock " +
            "never runs out, so every refusal (409, a script's 0) is a defect and is counted apart. Server CPU " +
            "(utime + stime of the server process) and context switches (voluntary + involuntary over its " +
            "threads) come from `/proc` before and after each measured window, divided by the requests in it.\n\n");
        md.append("Depth is the requests written at once on each connection (HTTP/1.1 or RESP pipelining). " +
            "`redis-benchmark` and `PipelinedLoad` record one latency per request, from its batch's send; " +
            "`redis-benchmark`'s p99.9 is its first reported percentile at or above 99.9 (99.902 %). `wrk` " +
            "records one per batch and then corrects its histogram for coordinated omission with the mean " +
            "interval between answers on a connection; pipelined, that interval is a fraction of a batch's " +
            "latency, the correction's samples fall below the recorded minimum where its percentiles do not " +
            "look, and so its latencies at depth above 1 are not reported (n/a). At depth 1 the correction stays " +
            "and `redis-benchmark` makes none, so `wrk`'s p99 and `redis-benchmark`'s do not compare: one answer " +
            "100 ms late on a connection whose answers come every 0.5 ms adds about 200 samples between 0.5 and " +
            "100 ms. The `" + CLOSED_LOOP + "` rows drive every system through one C generator " +
            "(`benchmarks/c/openloop.c --loop closed`: a connection sends its next call when its last is " +
            "answered) and record each call's latency from its send, as `redis-benchmark` does: those are the " +
            "p99s to compare.\n\n");
        notes.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append('\n');
        md.append("| system | edge | operation | generator | connections | depth | req/s | p50 us | p99 us " +
            "| p99.9 us | server CPU us/req | ctx switches/req | errors | refused (409) | oversells |\n");
        md.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final Row r : rows)
        {
            md.append("| ").append(r.system())
                .append(" | ").append(r.edge())
                .append(" | ").append(r.operation())
                .append(" | ").append(r.generator())
                .append(" | ").append(r.connections())
                .append(" | ").append(r.depth())
                .append(" | ").append(String.format(Locale.ROOT, "%,d", Math.round(r.throughputPerSecond())))
                .append(" | ").append(latency(r.p50Micros()))
                .append(" | ").append(latency(r.p99Micros()))
                .append(" | ").append(latency(r.p999Micros()))
                .append(" | ").append(String.format(Locale.ROOT, "%.1f", r.cpuMicrosPerRequest()))
                .append(" | ").append(String.format(Locale.ROOT, "%.2f", r.contextSwitchesPerRequest()))
                .append(" | ").append(r.errors() == 0 ? "0" : "**" + r.errors() + "**")
                .append(" | ").append(r.conflicts() == 0 ? "0" : "**" + r.conflicts() + "**")
                .append(" | ").append(r.oversells() == 0 ? "0" : "**" + r.oversells() + "**")
                .append(" |\n");
        }
        md.append('\n');
        final Map<String, Object> ratios = ratios();
        if (!ratios.isEmpty())
        {
            md.append("Ratios, Truestock over Redis (throughput above 1 and p99 below 1 favour Truestock), and " +
                "the HTTP edge's read rate over its reservation rate (what a reservation costs against a read):\n\n");
            ratios.forEach((k, v) ->
            {
                md.append("- ").append(k).append(": ");
                if (v instanceof Map<?, ?> figures)
                {
                    final List<String> parts = new ArrayList<>();
                    figures.forEach((what, ratio) -> parts.add(what + " " + ratio + "x"));
                    md.append(String.join(", ", parts));
                }
                else
                {
                    md.append(v).append('x');
                }
                md.append('\n');
            });
            md.append('\n');
        }
        md.append("Final state read back after each measurement (the oversell check):\n\n");
        for (final Row r : rows)
        {
            md.append("- ").append(r.system()).append(' ').append(r.edge()).append(' ').append(r.operation())
                .append(' ').append(r.generator()).append(" depth ").append(r.depth()).append(": ").append(r.check())
                .append('\n');
        }
        md.append('\n');
    }
}
