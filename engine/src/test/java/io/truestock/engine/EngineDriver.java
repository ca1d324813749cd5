package io.truestock.engine;

import java.util.function.Consumer;

/**
 * Test fixture: applies commands to an {@link Engine} directly (no ring), stamping each mutation with the next
 * sequence and the driver's clock, the way the ingress stage would.
 */
public final class EngineDriver
{
    public final Engine engine;
    public final Outcome outcome = new Outcome();
    public final Events events = new Events();
    private final Command command;
    private long sequence;
    private long nowMillis;

    public EngineDriver(final EngineConfig config, final long startMillis)
    {
        engine = new Engine(config);
        command = new Command(config.maxLinesPerCommand() + 8);
        nowMillis = startMillis;
    }

    public EngineDriver(final EngineConfig config)
    {
        this(config, 1_800_000_000_000L);
    }

    private EngineDriver(final Engine engine, final long sequence, final long nowMillis)
    {
        this.engine = engine;
        this.command = new Command(engine.config().maxLinesPerCommand() + 8);
        this.sequence = sequence;
        this.nowMillis = nowMillis;
    }

    /** A driver over a restored engine that continues the sequence and clock of {@code previous}. */
    public static EngineDriver resume(final Engine restored, final EngineDriver previous)
    {
        return new EngineDriver(restored, previous.sequence, previous.nowMillis);
    }

    public long now()
    {
        return nowMillis;
    }

    public void advanceMillis(final long millis)
    {
        nowMillis += millis;
    }

    /** Fills a fresh command, stamps it if it is a mutation, applies it; returns the (reused) outcome. */
    public Outcome apply(final Consumer<Command> filler)
    {
        command.clear();
        filler.accept(command);
        if (command.type().isMutation())
        {
            command.stamp(++sequence, nowMillis);
        }
        engine.apply(command, outcome, events);
        return outcome;
    }

    public Command lastCommand()
    {
        return command;
    }

    public long sequence()
    {
        return sequence;
    }

    public StockView stock(final String sku, final String location)
    {
        final StockView view = new StockView();
        if (!engine.readStock(sku, location, view))
        {
            throw new IllegalArgumentException("unknown " + sku + "@" + location);
        }
        return view;
    }

    public long published(final String sku, final String channel)
    {
        final ChannelView view = new ChannelView();
        if (!engine.readChannel(sku, channel, view))
        {
            throw new IllegalArgumentException("unknown " + sku + "@" + channel);
        }
        return view.available();
    }

    // ---- shorthands ----

    public Outcome location(final String id, final int priority)
    {
        return apply(c -> c.defineLocation(id, LocationSpec.named(id).withPriority(priority)));
    }

    public Outcome channel(final String id, final String... locations)
    {
        return apply(c -> c.defineChannel(id, ChannelSpec.named(id, locations)));
    }

    public Outcome sku(final String id)
    {
        return apply(c -> c.defineSku(id, SkuSpec.simple(id, 1000, "USD")));
    }

    public Outcome bundle(final String id, final String[] parts, final long[] qtys)
    {
        return apply(c -> c.defineSku(id, new SkuSpec(id, 1000, "USD", parts, qtys)));
    }

    public Outcome receive(final String sku, final String location, final long qty)
    {
        return apply(c -> c.receive(sku, location, qty));
    }

    public Outcome reserve(final String channel, final int ttlSeconds, final Object... skuQtyPairs)
    {
        return apply(c ->
        {
            c.reserve(channel, ttlSeconds);
            for (int i = 0; i < skuQtyPairs.length; i += 2)
            {
                c.addLine((String)skuQtyPairs[i], ((Number)skuQtyPairs[i + 1]).longValue());
            }
        });
    }

    public Outcome order(final String channel, final String orderId, final Object... skuQtyPairs)
    {
        return apply(c ->
        {
            c.order(channel, orderId);
            for (int i = 0; i < skuQtyPairs.length; i += 2)
            {
                c.addLine((String)skuQtyPairs[i], ((Number)skuQtyPairs[i + 1]).longValue());
            }
        });
    }
}
