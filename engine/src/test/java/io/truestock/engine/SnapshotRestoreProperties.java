package io.truestock.engine;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * A restore installs a snapshot's definitions without publishing (the channel records that follow them are read
 * whole): the engine it gives must have the digest of the one the commands built, capture to the same bytes, and
 * go on to answer the same commands with the same outcomes, published values and digest. (The ticker's next-expiry
 * hint is not compared: a restore computes it exactly where the live engine keeps a lower bound.)
 */
class SnapshotRestoreProperties
{
    /** Scripts take a few milliseconds each: a bounded shrink keeps a failing run short. */
    private static final int SHRINK_CYCLES = 10_000;

    @Test
    void aRestoredEngineEqualsTheEngineItsCommandsBuiltAndGoesOnAlike()
    {
        qt().withExamples(100).withShrinkCycles(SHRINK_CYCLES)
            .forAll(CommandScripts.scripts(200), integers().between(0, 200))
            .checkAssert(SnapshotRestoreProperties::restoreThenContinue);
    }

    private static void restoreThenContinue(final CommandScripts.Script script, final int at)
    {
        final List<CommandScripts.Step> steps = script.steps();
        final int split = Math.min(at, steps.size());
        final EngineConfig config = script.bounds().config();
        final EngineDriver live = new EngineDriver(config);
        run(live, steps.subList(0, split));

        final byte[] snapshot = EngineSnapshot.capture(live.engine);
        assertThat(joined(EngineSnapshot.captureBuffers(live.engine))).as("the buffers hold the same bytes")
            .isEqualTo(snapshot);
        final Engine restored = EngineSnapshot.restore(config, snapshot, InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(live.engine.digest());
        assertThat(EngineSnapshot.capture(restored)).as("captured again, the same bytes").isEqualTo(snapshot);

        final EngineDriver resumed = EngineDriver.resume(restored, live);
        final List<String> rest = run(live, steps.subList(split, steps.size()));
        assertThat(run(resumed, steps.subList(split, steps.size()))).isEqualTo(rest);
        assertThat(resumed.engine.digest()).isEqualTo(live.engine.digest());
        assertThat(EngineSnapshot.capture(resumed.engine)).isEqualTo(EngineSnapshot.capture(live.engine));
    }

    /** Outcome and published values of every step, as text. */
    private static List<String> run(final EngineDriver d, final List<CommandScripts.Step> steps)
    {
        final List<String> trace = new ArrayList<>();
        for (final CommandScripts.Step step : steps)
        {
            d.advanceMillis(step.advanceMillis());
            final Outcome out = d.apply(c -> step.fill(c, d.engine));
            trace.add(d.describe(out) + " replayed=" + out.replayed() + " published=" + d.publishedEvents());
        }
        return trace;
    }

    private static byte[] joined(final ByteBuffer[] buffers)
    {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (final ByteBuffer buffer : buffers)
        {
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            all.writeBytes(bytes);
        }
        return all.toByteArray();
    }
}
