package io.truestock.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineSnapshotTest
{
    private static EngineConfig config()
    {
        return new EngineConfig().maxSkus(32).maxLocations(4).maxChannels(4).maxRetainedReservations(40)
            .maxOrders(60).idempotencyWindowMillis(30_000);
    }

    private static java.util.EnumMap<CommandType, Integer> run(
        final EngineDriver driver, final List<Consumer<Command>> commands, final int from, final int to)
    {
        final java.util.EnumMap<CommandType, Integer> accepted = new java.util.EnumMap<>(CommandType.class);
        for (int i = from; i < to; i++)
        {
            driver.advanceMillis(700);
            final Outcome outcome = driver.apply(commands.get(i));
            if (outcome.accepted() && !outcome.replayed())
            {
                accepted.merge(driver.lastCommand().type(), 1, Integer::sum);
            }
        }
        return accepted;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void restoringASnapshotAndReplayingTheRestEqualsAFullReplay(final long seed)
    {
        final List<Consumer<Command>> commands = RandomCommands.catalog();
        commands.addAll(RandomCommands.random(seed, 1_500));
        final int split = 200 + (int)(seed * 131 % 1_000);

        final EngineDriver full = new EngineDriver(config());
        final java.util.EnumMap<CommandType, Integer> accepted = run(full, commands, 0, commands.size());
        assertThat(accepted).as("the stream exercises every kind of mutation")
            .containsKeys(CommandType.RESERVE, CommandType.CONFIRM, CommandType.RELEASE, CommandType.EXTEND,
                CommandType.ORDER, CommandType.CANCEL, CommandType.SHIP, CommandType.TICK, CommandType.SET);

        final EngineDriver first = new EngineDriver(config());
        run(first, commands, 0, split);
        final byte[] snapshot = EngineSnapshot.capture(first.engine);
        assertThat(EngineSnapshot.sequenceOf(snapshot)).isEqualTo(split);

        final Engine restored = EngineSnapshot.restore(config(), snapshot, InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(first.engine.digest());

        final EngineDriver resumed = EngineDriver.resume(restored, first);
        run(resumed, commands, split, commands.size());
        assertThat(resumed.engine.digest()).isEqualTo(full.engine.digest());
        assertThat(resumed.engine.lastSequence()).isEqualTo(full.engine.lastSequence());
        assertThat(EngineSnapshot.capture(resumed.engine)).isEqualTo(EngineSnapshot.capture(full.engine));
    }

    @Test
    void aTruncatedOrForeignSnapshotIsRefusedWithAReason()
    {
        final EngineDriver driver = new EngineDriver(config());
        run(driver, RandomCommands.catalog(), 0, RandomCommands.catalog().size());
        final byte[] snapshot = EngineSnapshot.capture(driver.engine);
        final byte[] truncated = java.util.Arrays.copyOf(snapshot, snapshot.length - 5);
        assertThatThrownBy(() -> EngineSnapshot.restore(config(), truncated, InternedDefinitionCodec.INSTANCE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        final byte[] garbage = snapshot.clone();
        garbage[0] ^= 0x55;
        assertThatThrownBy(() -> EngineSnapshot.restore(config(), garbage, InternedDefinitionCodec.INSTANCE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Truestock snapshot");
        assertThatThrownBy(() -> EngineSnapshot.restore(config().maxLocations(8), snapshot, InternedDefinitionCodec.INSTANCE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLocations");
    }

    @Test
    void anEmptyEngineRestoresFromItsSnapshot()
    {
        final EngineDriver empty = new EngineDriver(config());
        final Engine restored = EngineSnapshot.restore(config(), EngineSnapshot.capture(empty.engine),
            InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(empty.engine.digest());
        assertThat(EngineState.of(restored)).isEqualTo(empty.state());
    }

    @Test
    void anEngineWithEveryTableFullRestoresFromItsSnapshot()
    {
        final EngineConfig full = new EngineConfig().maxSkus(2).maxLocations(1).maxChannels(1);
        final EngineDriver driver = new EngineDriver(full);
        driver.location("east", 1);
        driver.channel("web", "east");
        driver.sku("shoe");
        driver.sku("lace");
        driver.receive("shoe", "east", 5);
        driver.receive("lace", "east", 3);
        driver.reserve("web", 60, "shoe", 2, "lace", 1);

        final Engine restored = EngineSnapshot.restore(
            new EngineConfig().maxSkus(2).maxLocations(1).maxChannels(1), EngineSnapshot.capture(driver.engine),
            InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(driver.engine.digest());
        assertThat(EngineState.of(restored)).isEqualTo(driver.state());
    }

    @Test
    void aRememberedAnswerToARedeliveredOrderKeepsItsFlagsAcrossASnapshot()
    {
        final EngineDriver driver = new EngineDriver(config());
        driver.location("east", 1);
        driver.channel("web", "east");
        driver.sku("shoe");
        driver.receive("shoe", "east", 5);
        driver.apply(c -> c.order("web", "o-1").addLine("shoe", 2).principal("shop").idempotencyKey("delivery-1"));
        final Outcome redelivered = driver.apply(
            c -> c.order("web", "o-1").addLine("shoe", 2).principal("shop").idempotencyKey("delivery-2")).copy();
        assertThat(redelivered.duplicate()).isTrue();
        assertThat(redelivered.replayed()).isTrue();

        final Engine restored = EngineSnapshot.restore(config(), EngineSnapshot.capture(driver.engine),
            InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(driver.engine.digest());

        final EngineDriver resumed = EngineDriver.resume(restored, driver);
        final Outcome retried = resumed.apply(
            c -> c.order("web", "o-1").addLine("shoe", 2).principal("shop").idempotencyKey("delivery-2")).copy();
        assertThat(retried.replayed()).isTrue();
        assertThat(retried.duplicate()).as("the first answer was a duplicate").isTrue();
        assertThat(retried.version()).isEqualTo(redelivered.version());
    }

    @Test
    void aRememberedAnswerWhoseLinesFillItsArraysDigestsAndRestores()
    {
        // An outcome starts with room for 8 lines and 8 allocations: a remembered answer with exactly 8 of each is
        // the case where reading one entry too many would fail.
        final EngineDriver driver = new EngineDriver(config());
        driver.location("east", 1);
        driver.channel("web", "east");
        for (int i = 0; i < 8; i++)
        {
            driver.sku("sku-" + i);
            driver.receive("sku-" + i, "east", 3);
        }
        final Outcome reserved = driver.apply(c ->
        {
            c.reserve("web", 60).principal("agent").idempotencyKey("k-8");
            for (int i = 0; i < 8; i++)
            {
                c.addLine("sku-" + i, 1);
            }
        }).copy();
        assertThat(reserved.lineCount()).isEqualTo(8);
        assertThat(reserved.allocationCount()).isEqualTo(8);

        final Engine restored = EngineSnapshot.restore(config(), EngineSnapshot.capture(driver.engine),
            InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(driver.engine.digest());
        assertThat(EngineState.of(restored)).isEqualTo(driver.state());
    }
}
