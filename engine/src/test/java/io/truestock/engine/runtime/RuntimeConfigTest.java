package io.truestock.engine.runtime;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.agrona.concurrent.EpochClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime's settings: their defaults, what {@link RuntimeConfig#conclude()} refuses, and that it freezes them. */
class RuntimeConfigTest
{
    @Test
    void defaults()
    {
        final RuntimeConfig config = new RuntimeConfig().conclude();
        assertThat(config.ringSize()).isEqualTo(4096);
        assertThat(config.waitStrategy()).isEqualTo("phased");
        assertThat(config.tickIntervalMillis()).isEqualTo(100);
        assertThat(config.clock()).isNotNull();
        assertThat(config.pipeline()).isEqualTo(
            Runtime.getRuntime().availableProcessors() >= 4 ? RuntimeConfig.Pipeline.STAGED : RuntimeConfig.Pipeline.FUSED);
    }

    @Test
    void theRingIsAPowerOfTwoOfAtLeastTwoSlots()
    {
        assertThat(new RuntimeConfig().ringSize(2).conclude().ringSize()).isEqualTo(2);
        assertThat(new RuntimeConfig().ringSize(1 << 20).conclude().ringSize()).isEqualTo(1 << 20);
        for (final int size : new int[]{1, 0, -2, 3, 6, 4095})
        {
            assertThatThrownBy(() -> new RuntimeConfig().ringSize(size).conclude()).as("%d", size)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ringSize");
        }
    }

    @Test
    void theTickerMayBeOffButNotNegative()
    {
        assertThat(new RuntimeConfig().tickIntervalMillis(0).conclude().tickIntervalMillis()).isZero();
        assertThatThrownBy(() -> new RuntimeConfig().tickIntervalMillis(-1).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tickIntervalMillis");
    }

    @Test
    void anUnknownWaitStrategyIsRefusedAtConclusion()
    {
        assertThatThrownBy(() -> new RuntimeConfig().waitStrategy("spinning").conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spinning");
    }

    @Test
    void eachNamedWaitStrategyIsTheOneItNamesAndOnOneCpuTheSpinningOnesBlockAtOnce()
    {
        for (final int cpus : new int[]{1, 2, 4})
        {
            final Class<?> spinning = cpus == 1 ? LiteBlockingWaitStrategy.class : PhasedBackoffWaitStrategy.class;
            final String on = cpus + " CPUs";
            assertThat(WaitStrategies.named("phased", cpus)).as(on).isInstanceOf(spinning);
            assertThat(WaitStrategies.named("spin-block", cpus)).as(on).isInstanceOf(spinning);
            assertThat(WaitStrategies.named(WaitStrategies.DEFAULT, cpus)).as(on).isInstanceOf(spinning);
            assertThat(WaitStrategies.named("blocking", cpus)).as(on).isInstanceOf(BlockingWaitStrategy.class);
            assertThat(WaitStrategies.named("sleeping", cpus)).as(on).isInstanceOf(SleepingWaitStrategy.class);
            assertThat(WaitStrategies.named("yielding", cpus)).as(on).isInstanceOf(YieldingWaitStrategy.class);
            assertThat(WaitStrategies.named("busy-spin", cpus)).as(on).isInstanceOf(BusySpinWaitStrategy.class);
            assertThatThrownBy(() -> WaitStrategies.named("spinning", cpus)).as(on)
                .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void settersKeepTheirValueAndRefuseOnceConcluded()
    {
        final EpochClock clock = () -> 7;
        final RuntimeConfig config = new RuntimeConfig().ringSize(8).pipeline(RuntimeConfig.Pipeline.STAGED)
            .waitStrategy("blocking").clock(clock).tickIntervalMillis(5).conclude();
        assertThat(config.isConcluded()).isTrue();
        assertThat(config.ringSize()).isEqualTo(8);
        assertThat(config.pipeline()).isEqualTo(RuntimeConfig.Pipeline.STAGED);
        assertThat(config.waitStrategy()).isEqualTo("blocking");
        assertThat(config.clock()).isSameAs(clock);
        assertThat(config.tickIntervalMillis()).isEqualTo(5);
        assertThat(new RuntimeConfig().isConcluded()).isFalse();

        assertThatThrownBy(() -> config.ringSize(16)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> config.pipeline(RuntimeConfig.Pipeline.FUSED)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> config.waitStrategy("phased")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> config.clock(() -> 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> config.tickIntervalMillis(1)).isInstanceOf(IllegalStateException.class);
        assertThat(config.ringSize()).isEqualTo(8);
        assertThat(config.pipeline()).isEqualTo(RuntimeConfig.Pipeline.STAGED);
    }
}
