package io.truestock.engine;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every bound {@link EngineConfig#conclude()} checks, at its edges: the smallest and the largest allowed value are
 * accepted, one step beyond either is refused with a message naming the field; and every setter refuses once the
 * configuration is concluded.
 */
class EngineConfigBoundsTest
{
    private record Bound(String name, long min, long max, BiConsumer<EngineConfig, Long> setter)
    {
    }

    private static final List<Bound> BOUNDS = List.of(
        new Bound("maxSkus", 1, 1 << 24, (c, v) -> c.maxSkus(v.intValue()).maxLocations(1).maxChannels(1)),
        new Bound("maxLocations", 1, 1024, (c, v) -> c.maxSkus(16).maxLocations(v.intValue())),
        new Bound("maxChannels", 1, 1024, (c, v) -> c.maxSkus(16).maxChannels(v.intValue())),
        new Bound("maxLinesPerCommand", 1, 10_000, (c, v) -> c.maxLinesPerCommand(v.intValue())),
        new Bound("maxComponentsPerBundle", 1, 1024, (c, v) -> c.maxComponentsPerBundle(v.intValue())),
        new Bound("maxOpenReservations", 1, 1 << 26, (c, v) -> c.maxOpenReservations(v.intValue())),
        new Bound("maxRetainedReservations", 0, 1 << 26, (c, v) -> c.maxRetainedReservations(v.intValue())),
        new Bound("maxOrders", 1, 1 << 28, (c, v) -> c.maxOrders(v.intValue())),
        new Bound("maxIdempotencyEntries", 0, 1 << 28, (c, v) -> c.maxIdempotencyEntries(v.intValue())),
        new Bound("maxTtlSeconds", 1, 365 * 86_400, (c, v) -> c.maxTtlSeconds(v.intValue())),
        new Bound("maxIdempotencyKeyLength", 1, EngineConfig.MAX_IDEMPOTENCY_KEY_LENGTH,
            (c, v) -> c.maxIdempotencyKeyLength(v.intValue())),
        new Bound("maxTextLength", 1, EngineConfig.MAX_TEXT_LENGTH, (c, v) -> c.maxTextLength(v.intValue())),
        new Bound("maxPostalCodeLength", 1, EngineConfig.MAX_POSTAL_CODE_LENGTH,
            (c, v) -> c.maxPostalCodeLength(v.intValue())),
        new Bound("maxBatchSkus", 1, 10_000, (c, v) -> c.maxBatchSkus(v.intValue())));

    @TestFactory
    Stream<DynamicTest> eachBoundAcceptsItsEdgesAndRefusesOneBeyond()
    {
        return BOUNDS.stream().map(b -> DynamicTest.dynamicTest(b.name(), () ->
        {
            assertThat(concluded(b, b.min()).isConcluded()).as("%s = %d", b.name(), b.min()).isTrue();
            assertThat(concluded(b, b.max()).isConcluded()).as("%s = %d", b.name(), b.max()).isTrue();
            assertThatThrownBy(() -> concluded(b, b.min() - 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(b.name());
            assertThatThrownBy(() -> concluded(b, b.max() + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(b.name());
        }));
    }

    private static EngineConfig concluded(final Bound bound, final long value)
    {
        final EngineConfig config = new EngineConfig();
        bound.setter().accept(config, value);
        return config.conclude();
    }

    @Test
    void theIdempotencyWindowMustBePositive()
    {
        assertThat(new EngineConfig().idempotencyWindowMillis(1).conclude().idempotencyWindowMillis()).isEqualTo(1);
        assertThatThrownBy(() -> new EngineConfig().idempotencyWindowMillis(0).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyWindowMillis");
    }

    @Test
    void aLineQuantityIsPositiveAndNoMoreThanTheMostOnHand()
    {
        final EngineConfig equal = new EngineConfig().maxLineQuantity(7).maxOnHand(7).conclude();
        assertThat(equal.maxLineQuantity()).isEqualTo(7);
        assertThat(equal.maxOnHand()).isEqualTo(7);
        assertThat(new EngineConfig().maxLineQuantity(1).conclude().maxLineQuantity()).isEqualTo(1);
        assertThatThrownBy(() -> new EngineConfig().maxLineQuantity(0).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineQuantity");
        assertThatThrownBy(() -> new EngineConfig().maxLineQuantity(8).maxOnHand(7).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOnHand");
    }

    @Test
    void eachTableMustFitInOneBuffer()
    {
        // 2^24 SKUs x 1 location x 64 bytes and x 2 channels x 32 bytes are 2^30 bytes each: the largest that fit.
        assertThat(new EngineConfig().maxSkus(1 << 24).maxLocations(1).maxChannels(2).conclude().isConcluded()).isTrue();
        assertThatThrownBy(() -> new EngineConfig().maxSkus(1 << 24).maxLocations(2).maxChannels(1).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> new EngineConfig().maxSkus(1 << 24).maxLocations(1).maxChannels(4).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }

    @Test
    void everySetterRefusesOnceConcludedAndLeavesTheValue()
    {
        final EngineConfig config = new EngineConfig().conclude();
        final EngineConfig fresh = new EngineConfig();
        final List<Runnable> setters = List.of(
            () -> config.maxSkus(1), () -> config.maxLocations(1), () -> config.maxChannels(1),
            () -> config.maxLinesPerCommand(1), () -> config.maxComponentsPerBundle(1), () -> config.maxOpenReservations(1),
            () -> config.maxRetainedReservations(1), () -> config.maxOrders(1), () -> config.maxIdempotencyEntries(1),
            () -> config.idempotencyWindowMillis(1), () -> config.maxLineQuantity(1), () -> config.maxOnHand(1),
            () -> config.maxTtlSeconds(1), () -> config.maxIdempotencyKeyLength(1), () -> config.maxTextLength(1),
            () -> config.maxPostalCodeLength(1), () -> config.maxBatchSkus(1));
        for (final Runnable setter : setters)
        {
            assertThatThrownBy(setter::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("concluded");
        }
        assertThat(config).usingRecursiveComparison().ignoringFields("concluded").isEqualTo(fresh);
    }

    @Test
    void anEngineConcludesTheConfigurationItIsGivenAndSoRefusesAnInvalidOne()
    {
        final EngineConfig config = new EngineConfig().maxSkus(8);
        assertThat(config.isConcluded()).isFalse();
        new Engine(config);
        assertThat(config.isConcluded()).isTrue();
        assertThatThrownBy(() -> new Engine(new EngineConfig().maxSkus(0)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSkus");
    }
}
