package io.truestock.gateway.stream;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The streams' shadow on a real engine with more SKUs than one page of the shadow holds: a catch-up and a live
 * update name the right SKU and value on every page, whether the value was there at start or published later.
 */
class ChannelStreamsShadowTest
{
    private static final int SKUS = 5_000;

    private final Engine engine = new Engine(new EngineConfig().maxSkus(10_000).maxLocations(2).maxChannels(2));
    private final Command command = new Command(8);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private long sequence;

    @Test
    void aCatchUpAndLiveUpdatesReachSkusBeyondTheFirstPage()
    {
        apply(null, c -> c.defineLocation("oak", LocationSpec.named("Oak")));
        apply(null, c -> c.defineChannel("web", ChannelSpec.named("Web")));
        for (int i = 0; i < SKUS; i++)
        {
            final String id = "sku-" + i;
            apply(null, c -> c.defineSku(id, SkuSpec.simple("Item", 100, "USD")));
        }
        final long defined = sequence;
        apply(null, c -> c.receive("sku-10", "oak", 7));
        apply(null, c -> c.receive("sku-4500", "oak", 9));

        final ChannelStreams streams = new ChannelStreams(engine, 16, 4);
        final ChannelStreams.Subscriber resumed = streams.subscribe(0, defined, () -> { });
        assertThat(resumed.poll(100)).as("the shadow filled from the engine at start, both pages")
            .extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available, ChannelStreams.Update::version)
            .containsExactly(
                tuple(engine.skuIndex("sku-10"), 7L, defined + 1),
                tuple(engine.skuIndex("sku-4500"), 9L, defined + 2));

        apply(streams, c -> c.receive("sku-4999", "oak", 3));
        final List<ChannelStreams.Update> live = resumed.poll(100);
        assertThat(live).extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available,
            ChannelStreams.Update::version, ChannelStreams.Update::atMillis)
            .containsExactly(tuple(engine.skuIndex("sku-4999"), 3L, sequence, 1_000L));

        final ChannelStreams.Subscriber late = streams.subscribe(0, defined + 1, () -> { });
        assertThat(late.poll(100)).as("a catch-up from a version sends only what is newer, in version order")
            .extracting(ChannelStreams.Update::sku, ChannelStreams.Update::available)
            .containsExactly(tuple(engine.skuIndex("sku-4500"), 9L),
                tuple(engine.skuIndex("sku-4999"), 3L));
    }

    private void apply(final ChannelStreams streams, final Consumer<Command> fill)
    {
        command.clear();
        fill.accept(command);
        command.stamp(++sequence, 1_000L);
        engine.apply(command, outcome, events);
        assertThat(outcome.accepted()).as(command.type().name()).isTrue();
        if (streams != null)
        {
            streams.onApplied(command, outcome, events);
        }
    }
}
