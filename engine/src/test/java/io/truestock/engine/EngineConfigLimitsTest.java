package io.truestock.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request limits the edges read from the concluded configuration: their defaults and their bounds. */
class EngineConfigLimitsTest
{
    @Test
    void defaultsAreTheLimitsTheEdgesAlwaysApplied()
    {
        final EngineConfig config = new EngineConfig().conclude();
        assertThat(config.maxLinesPerCommand()).isEqualTo(100);
        assertThat(config.maxLineQuantity()).isEqualTo(1_000_000);
        assertThat(config.maxTtlSeconds()).isEqualTo(86_400);
        assertThat(config.maxIdempotencyKeyLength()).isEqualTo(255);
        assertThat(config.maxTextLength()).isEqualTo(256);
        assertThat(config.maxPostalCodeLength()).isEqualTo(32);
        assertThat(config.maxBatchSkus()).isEqualTo(100);
    }

    @Test
    void limitsMayBeLoweredButNotRaisedBeyondWhatTheEngineHolds()
    {
        final EngineConfig lowered = new EngineConfig().maxIdempotencyKeyLength(64).maxTextLength(80)
            .maxPostalCodeLength(10).maxBatchSkus(20).conclude();
        assertThat(lowered.maxIdempotencyKeyLength()).isEqualTo(64);
        assertThat(lowered.maxTextLength()).isEqualTo(80);
        assertThat(lowered.maxPostalCodeLength()).isEqualTo(10);
        assertThat(lowered.maxBatchSkus()).isEqualTo(20);

        assertThatThrownBy(() -> new EngineConfig().maxIdempotencyKeyLength(256).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIdempotencyKeyLength");
        assertThatThrownBy(() -> new EngineConfig().maxTextLength(257).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTextLength");
        assertThatThrownBy(() -> new EngineConfig().maxPostalCodeLength(0).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPostalCodeLength");
        assertThatThrownBy(() -> new EngineConfig().maxBatchSkus(0).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatchSkus");
    }

    @Test
    void aConcludedConfigurationKeepsItsLimits()
    {
        final EngineConfig config = new EngineConfig().conclude();
        assertThatThrownBy(() -> config.maxTextLength(10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> config.maxBatchSkus(10)).isInstanceOf(IllegalStateException.class);
    }
}
