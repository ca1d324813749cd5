package io.truestock.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The core invariant of publishing, checked after every command when invariant checks are on (every engine a test
 * drives through {@link EngineDriver}, the property tests included): each touched (SKU, channel) running pool
 * equals the sum of available over the channel's locations. A broken one stops the writer loudly.
 */
class PoolInvariantTest
{
    private static EngineDriver driver()
    {
        final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(4).maxLocations(4).maxChannels(2));
        d.location("a", 1);
        d.location("b", 2);
        d.channel("web");
        d.sku("shoe");
        d.receive("shoe", "a", 3);
        d.receive("shoe", "b", 4);
        return d;
    }

    @Test
    void aPoolThatDriftsFromItsLocationsStopsTheWriter()
    {
        final EngineDriver d = driver();
        final ChannelTable published = d.engine.publisher().table();
        final int o = published.offset(d.engine.skuIndex("shoe"), d.engine.channelIndex("web"));
        assertThat(published.pool(o)).isEqualTo(7);
        published.pool(o, 8);

        assertThatThrownBy(() -> d.receive("shoe", "a", 1))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("broken invariant").hasMessageContaining("pool=9").hasMessageContaining("8 available");
    }

    @Test
    void withChecksOffTheSameDriftGoesUnnoticed()
    {
        final EngineDriver d = driver();
        d.engine.checkInvariants(false);
        final ChannelTable published = d.engine.publisher().table();
        final int o = published.offset(d.engine.skuIndex("shoe"), d.engine.channelIndex("web"));
        published.pool(o, 8);
        assertThat(d.receive("shoe", "a", 1).accepted()).isTrue();
    }
}
