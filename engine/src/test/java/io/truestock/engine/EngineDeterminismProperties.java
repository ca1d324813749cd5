package io.truestock.engine;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state machine is a pure function of (state, command): the same commands from empty give the same outcomes,
 * events and {@link Engine#digest()}, and a different history gives a different digest.
 */
class EngineDeterminismProperties
{
    @Provide
    Arbitrary<CommandScripts.Script> scripts()
    {
        return CommandScripts.scripts(200);
    }

    /** Applies a script step by step; returns, per step, the outcome and every event as text. */
    private static List<String> run(final EngineDriver d, final CommandScripts.Script script)
    {
        final List<String> trace = new ArrayList<>();
        for (final CommandScripts.Step step : script.steps())
        {
            d.advanceMillis(step.advanceMillis());
            final Outcome out = d.apply(c -> step.fill(c, d.engine));
            trace.add(d.describe(out) + " replayed=" + out.replayed() + " published=" + d.publishedEvents() +
                " oversold=" + d.oversoldEvents() + " expired=" + d.expiredEvents() + " stock=" + stockEvents(d));
        }
        return trace;
    }

    private static String stockEvents(final EngineDriver d)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.events.stockCount(); i++)
        {
            sb.append(d.events.stockSku(i)).append('@').append(d.events.stockLocation(i));
            for (int f = 0; f < 4; f++)
            {
                sb.append(f == 0 ? ' ' : '/').append(d.events.stockBefore(i, f)).append('>').append(d.events.stockAfter(i, f));
            }
            sb.append(';');
        }
        return sb.toString();
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void theSameCommandsGiveTheSameOutcomesEventsAndDigest(@ForAll("scripts") final CommandScripts.Script script)
    {
        final EngineDriver first = new EngineDriver(script.bounds().config());
        final EngineDriver second = new EngineDriver(script.bounds().config());

        final List<String> firstTrace = run(first, script);
        final List<String> secondTrace = run(second, script);

        assertThat(secondTrace).isEqualTo(firstTrace);
        assertThat(second.engine.digest()).isEqualTo(first.engine.digest());
        assertThat(second.state()).isEqualTo(first.state());
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void aDifferentHistoryGivesADifferentDigest(
        @ForAll("scripts") final CommandScripts.Script script, @ForAll @LongRange(min = 1, max = 20) final long units)
    {
        final EngineDriver first = new EngineDriver(script.bounds().config());
        final EngineDriver second = new EngineDriver(script.bounds().config());
        run(first, script);
        run(second, script);
        final String sku = firstSimpleSku(first.engine);
        Assume.that(sku != null);

        final Consumer<Command> receiveSome = c -> c.receive(sku, "l0", units);
        final Consumer<Command> receiveOneMore = c -> c.receive(sku, "l0", units + 1);
        final boolean firstApplied = first.apply(receiveSome).accepted();
        final boolean secondApplied = second.apply(receiveOneMore).accepted();
        Assume.that(firstApplied && secondApplied);

        assertThat(first.engine.lastSequence()).isEqualTo(second.engine.lastSequence());
        assertThat(second.engine.digest()).isNotEqualTo(first.engine.digest());
    }

    private static String firstSimpleSku(final Engine engine)
    {
        for (int s = 0; s < engine.skuCount(); s++)
        {
            if (!engine.skuSpec(s).isBundle())
            {
                return engine.skuId(s);
            }
        }
        return null;
    }
}
