package io.truestock.benchmarks.peers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one phase (one flash sale against one system, in one load mode) measured, and the oversell check against
 * the system's final state.
 *
 * @param mode            {@code closed} (fixed number of clients, each sends as soon as its answer came) or
 *                        {@code open} (fixed offered rate on a fixed schedule).
 * @param clients         load threads, each with its own connection (closed: the clients; open: the most requests
 *                        in flight).
 * @param offeredPerSecond the schedule's rate in open mode, 0 in closed mode.
 * @param unsent          operations never started because the phase hit its time bound (0 when complete).
 * @param reserveLatency  latency of reservation attempts; in open mode measured from the intended start.
 * @param readLatency     latency of availability reads; in open mode measured from the intended start.
 * @param finalState      the system's own account of the hot SKU after the phase.
 * @param loadAverage     the machine's load averages (1, 5, 15 min) when the phase ended.
 */
public record PhaseResult(
    String target,
    String phase,
    String mode,
    int clients,
    long offeredPerSecond,
    Workload workload,
    long ops,
    long unsent,
    double elapsedSeconds,
    long reserveAttempts,
    long reserved,
    long soldOut,
    long reserveErrors,
    long reads,
    long readErrors,
    Latency reserveLatency,
    Latency readLatency,
    Target.FinalState finalState,
    String loadAverage,
    String firstError)
{
    /** Completed operations (answered, errors excluded) per second of the phase. */
    public double throughputPerSecond()
    {
        final long answered = reserved + soldOut + reads;
        return elapsedSeconds > 0 ? answered / elapsedSeconds : 0;
    }

    /**
     * Units sold beyond the stock: the larger of what the clients were told (holds answered) and what the system
     * itself holds at the end, less the stock. Zero is the only acceptable answer.
     */
    public long oversells()
    {
        final long held = Math.max(reserved, finalState == null ? 0 : finalState.held());
        final long byRemaining = finalState == null ? 0 : Math.max(0, -finalState.remaining());
        return Math.max(Math.max(0, held - workload.stock()), byRemaining);
    }

    /** True when the system's final state agrees with what its clients were told, unit for unit. */
    public boolean consistent()
    {
        return finalState != null && finalState.held() == reserved &&
            finalState.remaining() == workload.stock() - reserved;
    }

    /** True when the phase ran every operation without an error. */
    public boolean clean()
    {
        return unsent == 0 && reserveErrors == 0 && readErrors == 0;
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("target", target);
        map.put("phase", phase);
        map.put("mode", mode);
        map.put("clients", clients);
        if (offeredPerSecond > 0)
        {
            map.put("offered_ops_per_s", offeredPerSecond);
        }
        map.put("stock", workload.stock());
        map.put("reserve_attempts_planned", workload.reserveAttempts());
        map.put("read_percent", workload.readPercent());
        map.put("read_skus", workload.readSkus());
        map.put("ops", ops);
        map.put("unsent", unsent);
        map.put("elapsed_s", Math.round(elapsedSeconds * 1000) / 1000.0);
        map.put("throughput_ops_per_s", Math.round(throughputPerSecond()));
        map.put("reserve_attempts", reserveAttempts);
        map.put("reserved", reserved);
        map.put("sold_out", soldOut);
        map.put("reserve_errors", reserveErrors);
        map.put("reads", reads);
        map.put("read_errors", readErrors);
        map.put("reserve_latency", reserveLatency.toMap());
        map.put("read_latency", readLatency.toMap());
        final Map<String, Object> state = new LinkedHashMap<>();
        if (finalState != null)
        {
            state.put("held", finalState.held());
            state.put("remaining", finalState.remaining());
            state.put("detail", finalState.detail());
        }
        map.put("final_state", state);
        map.put("oversells", oversells());
        map.put("final_state_matches_clients", consistent());
        map.put("load_average_at_end", loadAverage);
        if (firstError != null)
        {
            map.put("first_error", firstError);
        }
        return map;
    }
}
