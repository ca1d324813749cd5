package io.truestock.benchmarks.peers;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The comparison's smoke mode, in-process against Truestock over its binary protocol and over HTTP: it keeps the
 * harness and both Truestock targets compiling and running.
 * Only correctness is asserted (every sale sells exactly its stock, the server's final state agrees with what the
 * clients were told, every stream subscriber gets every update); speed is for the benchmark to report, not for a
 * test to judge.
 */
class FlashSaleSmokeTest
{
    @Test
    void everySaleSellsExactlyItsStockAndNothingMore() throws Exception
    {
        final FlashSaleComparison.Results results = FlashSaleComparison.smokeOptions().run();

        for (final String edge : List.of(FlashSaleComparison.TRUESTOCK_BINARY, FlashSaleComparison.TRUESTOCK_HTTP))
        {
            final FlashSaleComparison.TargetRun run = results.target(edge);
            assertThat(run).as(edge).isNotNull();
            assertThat(run.notRun()).as(edge).isNull();
            assertThat(run.phases()).extracting(PhaseResult::phase).contains("warmup", "closed", "open-500");
            for (final PhaseResult phase : run.phases())
            {
                final String what = edge + " " + phase.phase();
                assertThat(phase.workload().reserveAttempts()).as(what).isGreaterThan(phase.workload().stock());
                assertThat(phase.clean()).as(what + ": " + phase.firstError()).isTrue();
                assertThat(phase.reserveAttempts()).as(what).isEqualTo(phase.workload().reserveAttempts());
                assertThat(phase.reserved()).as(what).isEqualTo(phase.workload().stock());
                assertThat(phase.soldOut()).as(what)
                    .isEqualTo(phase.workload().reserveAttempts() - phase.workload().stock());
                assertThat(phase.finalState().held()).as(what).isEqualTo(phase.workload().stock());
                assertThat(phase.finalState().remaining()).as(what).isZero();
                assertThat(phase.oversells()).as(what).isZero();
                assertThat(phase.consistent()).as(what).isTrue();
                assertThat(phase.reads()).as(what).isEqualTo(phase.workload().totalOps() - phase.reserveAttempts());
            }
        }

        final FlashSaleComparison.TargetRun truestock = results.target(FlashSaleComparison.TRUESTOCK_HTTP);
        final Propagation.Result propagation = truestock.propagation();
        assertThat(propagation).isNotNull();
        assertThat(propagation.missed()).isZero();
        assertThat(propagation.delivery().count()).isEqualTo(propagation.expected());
        assertThat(Report.markdown(results)).contains("| truestock-http |", "| truestock-binary |");
        assertThat(Report.json(results)).contains("\"oversells\" : 0");
    }
}
