package io.truestock.benchmarks.peers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The comparison's smoke mode, in-process against Truestock over HTTP: it keeps the harness compiling and running.
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

        final FlashSaleComparison.TargetRun truestock = results.target(FlashSaleComparison.TRUESTOCK_HTTP);
        assertThat(truestock).isNotNull();
        assertThat(truestock.notRun()).isNull();
        assertThat(truestock.phases()).extracting(PhaseResult::phase).contains("warmup", "closed", "open-500");
        for (final PhaseResult phase : truestock.phases())
        {
            assertThat(phase.workload().reserveAttempts()).as(phase.phase()).isGreaterThan(phase.workload().stock());
            assertThat(phase.clean()).as(phase.phase() + ": " + phase.firstError()).isTrue();
            assertThat(phase.reserveAttempts()).as(phase.phase()).isEqualTo(phase.workload().reserveAttempts());
            assertThat(phase.reserved()).as(phase.phase()).isEqualTo(phase.workload().stock());
            assertThat(phase.soldOut()).as(phase.phase())
                .isEqualTo(phase.workload().reserveAttempts() - phase.workload().stock());
            assertThat(phase.finalState().held()).as(phase.phase()).isEqualTo(phase.workload().stock());
            assertThat(phase.finalState().remaining()).as(phase.phase()).isZero();
            assertThat(phase.oversells()).as(phase.phase()).isZero();
            assertThat(phase.consistent()).as(phase.phase()).isTrue();
            assertThat(phase.reads()).as(phase.phase())
                .isEqualTo(phase.workload().totalOps() - phase.reserveAttempts());
        }

        final Propagation.Result propagation = truestock.propagation();
        assertThat(propagation).isNotNull();
        assertThat(propagation.missed()).isZero();
        assertThat(propagation.delivery().count()).isEqualTo(propagation.expected());
        assertThat(Report.markdown(results)).contains("| truestock-http |");
        assertThat(Report.json(results)).contains("\"oversells\" : 0");
    }
}
