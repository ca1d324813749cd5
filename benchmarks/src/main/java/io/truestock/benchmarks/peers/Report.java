package io.truestock.benchmarks.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a comparison as Markdown (for people) and JSON (every figure, for tools). */
final class Report
{
    /** The edge the propagation measurement runs on. */
    private static final String TRUESTOCK = FlashSaleComparison.TRUESTOCK_HTTP;

    private Report()
    {
    }

    static void write(final FlashSaleComparison.Results results, final Path prefix) throws IOException
    {
        final Path parent = prefix.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        Files.writeString(Path.of(prefix + ".md"), markdown(results));
        Files.writeString(Path.of(prefix + ".json"), json(results) + "\n");
    }

    static String json(final FlashSaleComparison.Results results) throws IOException
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", results.date());
        root.put("command", results.command());
        root.put("machine", results.machine());
        root.put("shared_machine", "the load generator and every server share the same cores; in the harness's sales " +
            "Truestock runs in the load generator's JVM, Redis and PostgreSQL in their own processes; in the C load " +
            "generator phase (c_phase) every server and every load generator runs in its own process");
        root.put("scenario", results.scenario());
        root.put("notes", results.notes());
        final List<Object> targets = new ArrayList<>();
        for (final FlashSaleComparison.TargetRun run : results.targets())
        {
            final Map<String, Object> target = new LinkedHashMap<>();
            target.put("name", run.name());
            target.put("ran", run.notRun() == null);
            if (run.notRun() != null)
            {
                target.put("not_run", run.notRun());
            }
            target.put("settings", run.settings());
            final List<Object> phases = new ArrayList<>();
            run.phases().forEach(p -> phases.add(p.toMap()));
            target.put("phases", phases);
            if (run.propagation() != null)
            {
                target.put("propagation", run.propagation().toMap());
            }
            targets.add(target);
        }
        root.put("targets", targets);
        root.put("ratios_truestock_over_peer", ratios(results));
        if (results.cPhase() != null)
        {
            root.put("c_phase", results.cPhase().toMap());
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }

    /**
     * Per Truestock edge that ran, per peer and phase: throughput and latency ratios, Truestock over the peer.
     * Shape: {@code {"truestock-binary": {"redis": {"closed": {"throughput": 1.2, ...}}}}}.
     */
    private static Map<String, Object> ratios(final FlashSaleComparison.Results results)
    {
        final Map<String, Object> ratios = new LinkedHashMap<>();
        for (final FlashSaleComparison.TargetRun truestock : results.targets())
        {
            if (!isTruestock(truestock) || truestock.notRun() != null)
            {
                continue;
            }
            final Map<String, Object> byPeer = new LinkedHashMap<>();
            for (final FlashSaleComparison.TargetRun peer : results.targets())
            {
                if (isTruestock(peer) || peer.notRun() != null)
                {
                    continue;
                }
                final Map<String, Object> byPhase = new LinkedHashMap<>();
                for (final PhaseResult ours : truestock.phases())
                {
                    final PhaseResult theirs = peer.phase(ours.phase());
                    if (theirs == null || ours.phase().equals("warmup"))
                    {
                        continue;
                    }
                    final Map<String, Object> r = new LinkedHashMap<>();
                    r.put("throughput", ratio(ours.throughputPerSecond(), theirs.throughputPerSecond()));
                    r.put("reserve_p50", ratio(ours.reserveLatency().p50Micros(), theirs.reserveLatency().p50Micros()));
                    r.put("reserve_p99", ratio(ours.reserveLatency().p99Micros(), theirs.reserveLatency().p99Micros()));
                    r.put("read_p50", ratio(ours.readLatency().p50Micros(), theirs.readLatency().p50Micros()));
                    r.put("read_p99", ratio(ours.readLatency().p99Micros(), theirs.readLatency().p99Micros()));
                    byPhase.put(ours.phase(), r);
                }
                byPeer.put(peer.name(), byPhase);
            }
            if (!byPeer.isEmpty())
            {
                ratios.put(truestock.name(), byPeer);
            }
        }
        return ratios;
    }

    private static boolean isTruestock(final FlashSaleComparison.TargetRun run)
    {
        return run.name().startsWith("truestock");
    }

    private static double ratio(final double ours, final double theirs)
    {
        return theirs > 0 ? Math.round(ours / theirs * 100.0) / 100.0 : 0;
    }

    static String markdown(final FlashSaleComparison.Results results)
    {
        final StringBuilder md = new StringBuilder();
        final Map<String, Object> scenario = results.scenario();
        md.append("# Flash sale: Truestock against Redis and PostgreSQL (").append(results.date()).append(")\n\n");
        if (Boolean.TRUE.equals(scenario.get("smoke")))
        {
            md.append("**Smoke run**: tiny counts, Truestock only; the figures mean nothing.\n\n");
        }
        if (results.command() != null)
        {
            md.append("Command: `").append(results.command()).append("`\n\n");
        }
        if (Boolean.TRUE.equals(scenario.get("c_only")))
        {
            md.append("The C load generator phase alone (`--c-only`): the harness's own sales did not run.\n\n");
            machine(md, results);
            md.append('\n');
            results.cPhase().markdown(md);
            return md.toString();
        }
        summary(md, results);
        machine(md, results);
        md.append("- The harness's load generator and every server share these cores, over loopback. In the harness's " +
            "own sales Truestock runs inside " +
            "the load generator's JVM (started with `TruestockServer.start`, a fresh server for each edge), so it " +
            "also shares that JVM's heap and " +
            "GC; Redis and PostgreSQL run as their own processes. The load averages show how much other work " +
            "competed for the cores. Treat the figures as a comparison on one small machine, not as any system's " +
            "capacity.\n\n");

        final int readPercent = (int)scenario.get("read_percent");
        final long closedAttempts = (long)scenario.get("closed_loop_reserve_attempts");
        md.append("## Scenario\n\n");
        md.append("Each sale is one hot SKU and a stream of operations in a fixed order, the same for every system: ")
            .append(100 - readPercent).append("% are reservation attempts of 1 unit of the hot SKU (hold ")
            .append(scenario.get("reservation_ttl_s")).append(" s), ").append(readPercent)
            .append("% are agent availability reads spread over ").append(scenario.get("read_skus"))
            .append(" other SKUs. Demand is ").append(scenario.get("demand_factor"))
            .append("x the stock, so most attempts must be refused.\n\n");
        md.append("- closed loop: ").append(scenario.get("clients"))
            .append(" clients, each sends its next operation when answered; ").append(closedAttempts)
            .append(" reservation attempts on a stock of ").append(scenario.get("closed_loop_stock")).append(" units, ")
            .append(String.format(Locale.ROOT, "%,d", closedAttempts * 100 / (100 - readPercent)))
            .append(" operations in all.\n");
        md.append("- open loop: a fixed schedule at each offered rate for ").append(scenario.get("open_loop_seconds"))
            .append(" s, at most ").append(scenario.get("clients")).append(" requests in flight; latency counts from " +
            "each operation's intended start (coordinated-omission corrected), so falling behind shows as latency.\n");
        md.append("- a warm-up sale of ").append(scenario.get("warmup_reserve_attempts"))
            .append(" attempts runs first on each system and is not reported except in the oversell check.\n");
        md.append("- oversells = units held beyond the stock, from the larger of what clients were told and what the " +
            "system's own final state (read back after each sale) holds; a negative remainder counts too.\n\n");

        md.append("## Systems and settings\n\n");
        for (final FlashSaleComparison.TargetRun run : results.targets())
        {
            md.append("### ").append(run.name()).append("\n\n");
            if (run.notRun() != null)
            {
                md.append("**Not run**: ").append(run.notRun()).append("\n\n");
            }
            run.settings().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
            md.append('\n');
        }
        if (!results.notes().isEmpty())
        {
            md.append("Notes:\n\n");
            results.notes().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
            md.append('\n');
        }

        final List<String> phaseNames = new ArrayList<>();
        for (final FlashSaleComparison.TargetRun run : results.targets())
        {
            for (final PhaseResult phase : run.phases())
            {
                if (!phase.phase().equals("warmup") && !phaseNames.contains(phase.phase()))
                {
                    phaseNames.add(phase.phase());
                }
            }
        }
        for (final String phaseName : phaseNames)
        {
            PhaseResult any = null;
            for (final FlashSaleComparison.TargetRun run : results.targets())
            {
                any = any != null ? any : run.phase(phaseName);
            }
            md.append(any.mode().equals("closed") ?
                "## Closed loop, " + any.clients() + " clients\n\n" :
                "## Open loop at " + any.offeredPerSecond() + " operations/s offered, latency from intended start\n\n");
            md.append("Stock ").append(any.workload().stock()).append(", ").append(any.workload().reserveAttempts())
                .append(" reservation attempts, ").append(any.workload().totalOps()).append(" operations. ")
                .append("Latencies in microseconds.\n\n");
            md.append("| system | ops/s | reserved | sold out | errors | unsent | oversells " +
                "| reserve p50 | p99 | p99.9 | max | read p50 | p99 | p99.9 | max | load avg at end |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (final FlashSaleComparison.TargetRun run : results.targets())
            {
                final PhaseResult p = run.phase(phaseName);
                if (p == null)
                {
                    continue;
                }
                md.append("| ").append(run.name())
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", Math.round(p.throughputPerSecond())))
                    .append(" | ").append(p.reserved())
                    .append(" | ").append(p.soldOut())
                    .append(" | ").append(p.reserveErrors() + p.readErrors())
                    .append(" | ").append(p.unsent())
                    .append(" | ").append(p.oversells() == 0 ? "0" : "**" + p.oversells() + "**")
                    .append(" | ").append(us(p.reserveLatency().p50Micros()))
                    .append(" | ").append(us(p.reserveLatency().p99Micros()))
                    .append(" | ").append(us(p.reserveLatency().p999Micros()))
                    .append(" | ").append(us(p.reserveLatency().maxMicros()))
                    .append(" | ").append(us(p.readLatency().p50Micros()))
                    .append(" | ").append(us(p.readLatency().p99Micros()))
                    .append(" | ").append(us(p.readLatency().p999Micros()))
                    .append(" | ").append(us(p.readLatency().maxMicros()))
                    .append(" | ").append(p.loadAverage())
                    .append(" |\n");
            }
            md.append('\n');
        }

        @SuppressWarnings("unchecked")
        final Map<String, Map<String, Map<String, Map<String, Double>>>> ratios =
            (Map<String, Map<String, Map<String, Map<String, Double>>>>)(Map<?, ?>)ratios(results);
        if (!ratios.isEmpty())
        {
            md.append("## Ratios, Truestock / peer\n\n");
            md.append("Throughput above 1 and latency below 1 favour Truestock. In the open-loop sales every system " +
                "is offered the same rate, so their throughput ratio is 1 by construction and the latencies are the " +
                "comparison.\n\n");
            md.append("| Truestock edge | peer | sale | throughput | reserve p50 | reserve p99 | read p50 " +
                "| read p99 |\n");
            md.append("|---|---|---|---:|---:|---:|---:|---:|\n");
            ratios.forEach((edge, byPeer) -> byPeer.forEach((peer, byPhase) -> byPhase.forEach((phase, r) -> md
                .append("| ").append(edge)
                .append(" | ").append(peer)
                .append(" | ").append(phase)
                .append(" | ").append(r.get("throughput"))
                .append(" | ").append(r.get("reserve_p50"))
                .append(" | ").append(r.get("reserve_p99"))
                .append(" | ").append(r.get("read_p50"))
                .append(" | ").append(r.get("read_p99"))
                .append(" |\n"))));
            md.append('\n');
        }

        md.append("## Oversell check against each system's final state\n\n");
        md.append("| system | sale | stock | reserved (answers) | held (final state) | remaining (final state) | " +
            "final state = answers | oversells | final state as read back |\n");
        md.append("|---|---|---:|---:|---:|---:|---|---:|---|\n");
        for (final FlashSaleComparison.TargetRun run : results.targets())
        {
            for (final PhaseResult p : run.phases())
            {
                md.append("| ").append(run.name())
                    .append(" | ").append(p.phase())
                    .append(" | ").append(p.workload().stock())
                    .append(" | ").append(p.reserved())
                    .append(" | ").append(p.finalState().held())
                    .append(" | ").append(p.finalState().remaining())
                    .append(" | ").append(p.consistent() ? "yes" : "**no**")
                    .append(" | ").append(p.oversells() == 0 ? "0" : "**" + p.oversells() + " (oversold)**")
                    .append(" | ").append(p.finalState().detail())
                    .append(" |\n");
            }
        }
        md.append('\n');
        for (final FlashSaleComparison.TargetRun run : results.targets())
        {
            for (final PhaseResult p : run.phases())
            {
                if (p.firstError() != null)
                {
                    md.append("- ").append(run.name()).append(' ').append(p.phase()).append(" first error: `")
                        .append(p.firstError().replace('`', '\'')).append("`\n");
                }
            }
        }

        final FlashSaleComparison.TargetRun truestock = results.target(TRUESTOCK);
        if (truestock != null && truestock.propagation() != null)
        {
            final Propagation.Result r = truestock.propagation();
            md.append("\n## Propagation: order confirmed to every stream subscriber (Truestock)\n\n");
            md.append(r.subscribers()).append(" Server-Sent-Event subscribers (`GET /v1/channels/{id}/updates`) over ")
                .append(r.channels()).append(" channels; ").append(r.orders())
                .append(" channel orders (`POST /v1/orders`, 1 unit) at ").append(r.ratePerSecond())
                .append("/s after a warm-up. A delivery is measured from the order request being sent to a " +
                    "subscriber holding the `stock` event with the order's version. Microseconds.\n\n");
            md.append("| measure | samples | p50 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|---:|\n");
            propagationRow(md, "order sent -> one subscriber has it", r.delivery());
            propagationRow(md, "order sent -> all " + r.subscribers() + " subscribers have it", r.lastSubscriber());
            propagationRow(md, "order HTTP round trip", r.orderRoundTrip());
            md.append("\nDeliveries missed: ").append(r.missed()).append(" of ").append(r.expected()).append(".\n");
        }
        if (results.cPhase() != null)
        {
            md.append('\n');
            results.cPhase().markdown(md);
        }
        return md.toString();
    }

    private static void machine(final StringBuilder md, final FlashSaleComparison.Results results)
    {
        md.append("## Machine\n\n");
        results.machine().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    }

    /** The few figures a reader looks for first, one row per system. */
    private static void summary(final StringBuilder md, final FlashSaleComparison.Results results)
    {
        md.append("## Summary\n\n");
        md.append("Closed-loop sale (throughput, p99 in microseconds), oversells over every sale of the run, and " +
            "Truestock's propagation to all stream subscribers. Details, settings and the open-loop sales below.\n\n");
        md.append("| system | ran | ops/s | reserve p99 | read p99 | oversells (all sales) " +
            "| final state = answers |\n");
        md.append("|---|---|---:|---:|---:|---:|---|\n");
        for (final FlashSaleComparison.TargetRun run : results.targets())
        {
            final PhaseResult closed = run.phase("closed");
            final long oversells = run.phases().stream().mapToLong(PhaseResult::oversells).sum();
            final boolean consistent = run.phases().stream().allMatch(PhaseResult::consistent);
            md.append("| ").append(run.name())
                .append(" | ").append(run.notRun() == null ? "yes" : "no: " + run.notRun())
                .append(" | ").append(closed == null ? "-" :
                    String.format(Locale.ROOT, "%,d", Math.round(closed.throughputPerSecond())))
                .append(" | ").append(closed == null ? "-" : us(closed.reserveLatency().p99Micros()))
                .append(" | ").append(closed == null ? "-" : us(closed.readLatency().p99Micros()))
                .append(" | ").append(run.phases().isEmpty() ? "-" : oversells == 0 ? "0" : "**" + oversells + "**")
                .append(" | ").append(run.phases().isEmpty() ? "-" : consistent ? "yes" : "**no**")
                .append(" |\n");
        }
        final FlashSaleComparison.TargetRun truestock = results.target(TRUESTOCK);
        if (truestock != null && truestock.propagation() != null)
        {
            final Propagation.Result r = truestock.propagation();
            md.append("\nPropagation, order sent to all ").append(r.subscribers())
                .append(" subscribers having it: p50 ").append(us(r.lastSubscriber().p50Micros()))
                .append(" us, p99 ").append(us(r.lastSubscriber().p99Micros()))
                .append(" us, max ").append(us(r.lastSubscriber().maxMicros())).append(" us; missed ")
                .append(r.missed()).append(" of ").append(r.expected()).append(".\n");
        }
        md.append('\n');
    }

    private static void propagationRow(final StringBuilder md, final String name, final Latency latency)
    {
        md.append("| ").append(name).append(" | ").append(latency.count())
            .append(" | ").append(us(latency.p50Micros()))
            .append(" | ").append(us(latency.p99Micros()))
            .append(" | ").append(us(latency.p999Micros()))
            .append(" | ").append(us(latency.maxMicros()))
            .append(" |\n");
    }

    static String us(final double micros)
    {
        return micros >= 100 ? String.format(Locale.ROOT, "%,d", Math.round(micros)) :
            String.format(Locale.ROOT, "%.1f", micros);
    }
}
