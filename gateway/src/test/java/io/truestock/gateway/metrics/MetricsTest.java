package io.truestock.gateway.metrics;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.CommandJournal;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.EngineRuntime;
import io.truestock.engine.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime's count of failed listener calls reaches the Prometheus text: a listener that throws on every command
 * moves {@code truestock_listener_failures_total} by one per command, while the metrics listener beside it still
 * counts every command.
 */
class MetricsTest
{
    private static final String FAILURES = "truestock_listener_failures_total";

    @Test
    void aThrowingListenerMovesTheListenerFailuresCounter() throws Exception
    {
        final Metrics metrics = new Metrics();
        final EngineListener throwing = (command, outcome, events) ->
        {
            throw new IllegalStateException("listener broken for good");
        };
        final Engine engine = new Engine(new EngineConfig().maxSkus(8).maxLocations(2).maxChannels(2));
        try (EngineRuntime runtime = new EngineRuntime(
            engine, new RuntimeConfig().ringSize(64).tickIntervalMillis(0), CommandJournal.NONE, throwing, metrics)
            .start())
        {
            metrics.counter(FAILURES, "Output-stage listener calls that threw.", runtime::listenerFailures);
            assertThat(metrics.render()).contains("# TYPE " + FAILURES + " counter\n" + FAILURES + " 0\n");

            apply(runtime, c -> c.defineLocation("oak", LocationSpec.named("Oakland")));
            apply(runtime, c -> c.defineChannel("shop", ChannelSpec.named("Shop")));
            apply(runtime, c -> c.defineSku("hot", SkuSpec.simple("Hot", 100, "USD")));
            apply(runtime, c -> c.receive("hot", "oak", 5));

            assertThat(runtime.listenerFailures()).isEqualTo(4);
            assertThat(metrics.render())
                .contains("# HELP " + FAILURES + " Output-stage listener calls that threw.\n")
                .contains("# TYPE " + FAILURES + " counter\n" + FAILURES + " 4\n")
                .contains("truestock_commands_total{type=\"receive\",outcome=\"accepted\"} 1");
        }
    }

    private static void apply(final EngineRuntime runtime, final CommandFiller filler) throws Exception
    {
        final Outcome outcome = runtime.submit(filler).get(10, TimeUnit.SECONDS);
        assertThat(outcome.accepted()).isTrue();
    }
}
