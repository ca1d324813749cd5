package io.truestock.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

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
        engine.snapshotCodec(InternedDefinitionCodec.INSTANCE);
        engine.checkInvariants(true);
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
        engine.checkInvariants(true);
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

    public Outcome channel(final String id, final ChannelSpec spec)
    {
        return apply(c -> c.defineChannel(id, spec));
    }

    public Outcome adjust(final String sku, final String location, final long delta)
    {
        return apply(c -> c.adjust(sku, location, delta));
    }

    /** Sets on hand (and nothing else); see {@link Command#set} for the full form. */
    public Outcome setOnHand(final String sku, final String location, final long onHand)
    {
        return apply(c -> c.set(sku, location, onHand, Command.ABSENT, Command.ABSENT));
    }

    public Outcome setSafety(final String sku, final String location, final long safety)
    {
        return apply(c -> c.set(sku, location, Command.ABSENT, safety, Command.ABSENT));
    }

    public Outcome extend(final long reservationId, final int ttlSeconds)
    {
        return apply(c -> c.extend(reservationId, ttlSeconds));
    }

    public Outcome release(final long reservationId)
    {
        return apply(c -> c.release(reservationId));
    }

    public Outcome tick()
    {
        return apply(Command::tick);
    }

    public Outcome confirm(final long reservationId, final String orderId)
    {
        return apply(c -> c.confirm(reservationId, orderId));
    }

    public Outcome cancel(final String channel, final String orderId)
    {
        return apply(c -> c.cancel(channel, orderId));
    }

    public Outcome ship(final String channel, final String orderId)
    {
        return apply(c -> c.ship(channel, orderId));
    }

    public Outcome queryReservation(final long reservationId)
    {
        return apply(c -> c.queryReservation(reservationId));
    }

    public Outcome queryOrder(final String channel, final String orderId)
    {
        return apply(c -> c.queryOrder(channel, orderId));
    }

    public long publishedVersion(final String sku, final String channel)
    {
        final ChannelView view = new ChannelView();
        if (!engine.readChannel(sku, channel, view))
        {
            throw new IllegalArgumentException("unknown " + sku + "@" + channel);
        }
        return view.version();
    }

    /** Everything the engine holds, except the sequence and clock, as comparable text. */
    public EngineState state()
    {
        return EngineState.of(engine);
    }

    /**
     * Applies a command that must be rejected for {@code reason}, and checks that it raised no event and changed
     * nothing at all (the idempotency window included, so the command must not carry a fresh key).
     *
     * @return a copy of the outcome.
     */
    public Outcome assertRejected(final RejectReason reason, final Consumer<Command> filler)
    {
        final EngineState before = state();
        final Outcome out = apply(filler).copy();
        assertThat(out.accepted()).as("%s", out).isFalse();
        assertThat(out.reason()).as("%s", out).isEqualTo(reason);
        assertThat(noEvents()).as("events of a rejected command").isTrue();
        assertThat(state()).as("state after a rejected command").isEqualTo(before);
        return out;
    }

    /** Applies a command that must be accepted; returns a copy of the outcome. */
    public Outcome assertAccepted(final Consumer<Command> filler)
    {
        final Outcome out = apply(filler).copy();
        assertThat(out.accepted()).as("%s", out).isTrue();
        return out;
    }

    // ---- outcome decoding ----

    /** The outcome's allocations as "sku@location" to units, summed, in a stable order. */
    public SortedMap<String, Long> allocations(final Outcome out)
    {
        final SortedMap<String, Long> byRecord = new TreeMap<>();
        for (int i = 0; i < out.allocationCount(); i++)
        {
            byRecord.merge(engine.skuId(out.allocationSku(i)) + "@" + engine.locationId(out.allocationLocation(i)),
                out.allocationQty(i), Long::sum);
        }
        return byRecord;
    }

    /** Published events of the last command as "sku@channel" to the value published. */
    public SortedMap<String, Long> publishedEvents()
    {
        final SortedMap<String, Long> byPair = new TreeMap<>();
        for (int i = 0; i < events.publishedCount(); i++)
        {
            byPair.put(engine.skuId(events.publishedSku(i)) + "@" + engine.channelId(events.publishedChannel(i)),
                events.publishedAvailable(i));
        }
        return byPair;
    }

    /** Oversold events of the last command as "sku" to units. */
    public SortedMap<String, Long> oversoldEvents()
    {
        final SortedMap<String, Long> bySku = new TreeMap<>();
        for (int i = 0; i < events.oversoldCount(); i++)
        {
            bySku.merge(engine.skuId(events.oversoldSku(i)), events.oversoldQty(i), Long::sum);
        }
        return bySku;
    }

    public List<Long> expiredEvents()
    {
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < events.expiredCount(); i++)
        {
            ids.add(events.expiredReservation(i));
        }
        return ids;
    }

    public boolean noEvents()
    {
        return events.stockCount() == 0 && events.publishedCount() == 0 && events.oversoldCount() == 0 &&
            events.expiredCount() == 0;
    }

    /** Every field of an outcome but the replayed flag, with ids by name. */
    public String describe(final Outcome out)
    {
        final StringBuilder sb = new StringBuilder().append(out.accepted()).append(' ').append(out.reason())
            .append(" line=").append(out.rejectedLine()).append(" v=").append(out.version())
            .append(" sku=").append(out.sku()).append(" loc=").append(out.location()).append(" ch=").append(out.channel())
            .append(" q=").append(out.onHand()).append('/').append(out.reserved()).append('/').append(out.committed())
            .append('/').append(out.safety()).append(" r=").append(out.reservationId()).append(' ')
            .append(out.reservationStatus()).append(" exp=").append(out.expiresAtMillis()).append(" o=")
            .append(out.orderId()).append(' ').append(out.orderStatus());
        for (int i = 0; i < out.lineCount(); i++)
        {
            sb.append(" line=").append(engine.skuId(out.lineSku(i))).append('x').append(out.lineQty(i)).append(" avail=")
                .append(out.lineAvailable(i)).append(" short=").append(out.lineBackordered(i));
        }
        for (int i = 0; i < out.allocationCount(); i++)
        {
            sb.append(" at=").append(engine.skuId(out.allocationSku(i))).append('@')
                .append(engine.locationId(out.allocationLocation(i))).append('x').append(out.allocationQty(i));
        }
        return sb.toString();
    }
}
