package io.truestock.benchmarks.peers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The rows benchmarks/run-peers.sh writes for its C load generator phase are read back with the figures derived
 * from them (throughput without errors, CPU and context switches per request, ratios), untrustworthy latencies
 * stay unreported, an oversell is seen, and a file of another shape is refused.
 */
class CPhaseTest
{
    private static final String HEADER = String.join("\t", CPhase.COLUMNS);

    @TempDir
    Path dir;

    @Test
    void derivesTheFiguresFromTheRawMeasurements() throws IOException
    {
        final CPhase phase = read(
            row("truestock", "http", "reserve", "wrk", 1, 30_000, 10, "900", "2500", "4000", 1_500, 100, 45_000, 0, 0,
                0),
            row("truestock", "http", "availability", "wrk", 1, 90_000, 10, "300", "900", "1500", 900, 100, 9_000, 0,
                0, 0),
            row("truestock", "http", "reserve", "wrk", 16, 64_000, 10, "-1", "-1", "-1", 800, 100, 6_400, 0, 0, 0),
            row("redis", "resp", "reserve", "redis-benchmark", 1, 40_000, 8, "500", "1000", "1200", 400, 100, 4_000,
                100, 0, 0));

        final CPhase.Row write = phase.find("truestock", "reserve", "wrk", 1);
        assertThat(write.throughputPerSecond()).isEqualTo(3_000.0);
        assertThat(write.cpuMicrosPerRequest()).isCloseTo(500.0, within(1e-9));
        assertThat(write.contextSwitchesPerRequest()).isEqualTo(1.5);
        final CPhase.Row redis = phase.find("redis", "reserve", "redis-benchmark", 1);
        assertThat(redis.throughputPerSecond()).isEqualTo((40_000 - 100) / 8.0);

        final Map<String, Object> ratios = phase.ratios();
        assertThat(ratios.get("http_write_cost_over_read_cost_wrk")).isEqualTo(3.0);
        assertThat(ratios.get("http_reserve_wrk_over_redis_script_redis_benchmark"))
            .isEqualTo(Map.of("throughput", 0.6, "p99", 2.5));
        assertThat(phase.oversold()).isFalse();

        final StringBuilder md = new StringBuilder();
        phase.markdown(md);
        assertThat(md.toString())
            .contains("| truestock | http | reserve | wrk | 32 | 16 | 6,400 | n/a | n/a | n/a | 125.0 | 0.10 |")
            .contains("| redis | resp | reserve | redis-benchmark | 32 | 1 | 4,988 | 500 | 1,000 | 1,200 | 100.0 | 0.10 " +
                "| **100** | 0 | 0 |");
        assertThat(phase.toMap().toString()).contains("p50_us=null");
    }

    @Test
    void comparesOpenLoopLatenciesAtTheSameRate() throws IOException
    {
        final CPhase phase = read(
            row("truestock", "http", "reserve", "openloop 1000/s", 1, 10_000, 10, "80", "400", "900", 50, 100, 20_000,
                0, 0, 0),
            row("truestock", "binary", "reserve", "openloop 1000/s", 1, 10_000, 10, "40", "300", "800", 40, 100,
                10_000, 0, 0, 0),
            row("redis", "resp", "reserve", "openloop 1000/s", 1, 10_000, 10, "50", "200", "500", 20, 100, 10_000, 0,
                0, 0),
            row("truestock", "http", "reserve", "openloop 4000/s", 1, 40_000, 10, "90", "500", "900", 50, 100,
                20_000, 0, 0, 0));

        final Map<String, Object> ratios = phase.ratios();
        assertThat(ratios.get("http_reserve_openloop_1000_per_s_over_redis_script"))
            .isEqualTo(Map.of("p50", 1.6, "p99", 2.0));
        assertThat(ratios.get("binary_reserve_openloop_1000_per_s_over_redis_script"))
            .isEqualTo(Map.of("p50", 0.8, "p99", 1.5));
        // Without Redis's row at that rate there is nothing to compare.
        assertThat(ratios).doesNotContainKey("http_reserve_openloop_4000_per_s_over_redis_script");
    }

    @Test
    void comparesClosedLoopRowsOfTheOneCGenerator() throws IOException
    {
        final CPhase phase = read(
            row("truestock", "http", "reserve", CPhase.CLOSED_LOOP, 1, 700_000, 10, "360", "1400", "8000", 900, 100,
                70_000, 0, 0, 0),
            row("truestock", "binary", "reserve", CPhase.CLOSED_LOOP, 1, 900_000, 10, "300", "700", "5000", 800, 100,
                90_000, 0, 0, 0),
            row("redis", "resp", "reserve", CPhase.CLOSED_LOOP, 1, 800_000, 10, "300", "560", "9000", 900, 100,
                10_000, 0, 0, 0));

        final Map<String, Object> ratios = phase.ratios();
        assertThat(ratios.get("http_reserve_closed_loop_over_redis_script_same_c_generator"))
            .isEqualTo(Map.of("throughput", 0.88, "p99", 2.5));
        assertThat(ratios.get("binary_reserve_closed_loop_over_redis_script_same_c_generator"))
            .isEqualTo(Map.of("throughput", 1.13, "p99", 1.25));
        // Closed-loop rows are not open-loop rows: no rate, no open-loop ratio.
        assertThat(ratios.keySet()).noneMatch(k -> k.contains("openloop"));
    }

    @Test
    void anOversellIsSeen() throws IOException
    {
        final CPhase phase = read(row("redis", "resp", "reserve", "pipelined-load", 16, 1_000, 10, "1", "2", "3", 1,
            100, 1, 0, 0, 7));
        assertThat(phase.oversold()).isTrue();
        final StringBuilder md = new StringBuilder();
        phase.markdown(md);
        assertThat(md.toString()).contains("| 0 | 0 | **7** |");
    }

    @Test
    void refusesAFileOfAnotherShape() throws IOException
    {
        final Path noHeader = dir.resolve("no-header.tsv");
        Files.writeString(noHeader, "truestock\thttp\n");
        assertThatThrownBy(() -> CPhase.read(noHeader, Map.of())).isInstanceOf(IOException.class)
            .hasMessageContaining("header");

        final Path shortRow = dir.resolve("short.tsv");
        Files.writeString(shortRow, HEADER + "\ntruestock\thttp\treserve\n");
        assertThatThrownBy(() -> CPhase.read(shortRow, Map.of())).isInstanceOf(IOException.class)
            .hasMessageContaining("3 columns");

        final Path notANumber = dir.resolve("nan.tsv");
        Files.writeString(notANumber, HEADER + "\n" + row("redis", "resp", "reserve", "wrk", 1, 1, 1, "x", "1", "1",
            1, 100, 1, 0, 0, 0) + "\n");
        assertThatThrownBy(() -> CPhase.read(notANumber, Map.of())).isInstanceOf(IOException.class)
            .hasMessageContaining("nan.tsv:2");
    }

    private CPhase read(final String... rows) throws IOException
    {
        final Path file = dir.resolve("c-phase.tsv");
        Files.writeString(file, HEADER + "\n" + String.join("\n", rows) + "\n");
        return CPhase.read(file, Map.of("pinning", "test"));
    }

    private static String row(
        final String system, final String edge, final String operation, final String generator, final int depth,
        final long requests, final double seconds, final String p50, final String p99, final String p999,
        final long cpuTicks, final long clockTicks, final long switches, final long errors, final long conflicts,
        final long oversells)
    {
        return String.join("\t", system, edge, operation, generator, "32", Integer.toString(depth),
            Long.toString(requests), Double.toString(seconds), p50, p99, p999, Long.toString(cpuTicks),
            Long.toString(clockTicks), Long.toString(switches), Long.toString(errors), Long.toString(conflicts),
            Long.toString(oversells), "final state of the test");
    }
}
