package io.truestock.engine;

import io.truestock.engine.InventoryModel.Cell;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

/**
 * Random command scripts against the engine and an independent model of the contract ({@link InventoryModel}).
 * After every command: the outcome is the one the model predicts, and the DESIGN.md invariants hold at every
 * record: non-negative quantities, no reservation, confirmation or order that oversells, conservation of on hand
 * (receipts - shipments + adjustments + sets), of reserved units (the holds of open reservations) and of committed
 * units (the shipments of open orders), each reservation resolved at most once, and every published channel value
 * equal to the formula over the stock records.
 */
class EngineInvariantProperties
{
    private static final String[] FIELDS = {"on_hand", "reserved", "committed", "safety"};

    @Test
    void everyCommandKeepsTheInvariantsAndDoesWhatTheModelSays()
    {
        final Set<String> outcomes = new HashSet<>();
        // A script takes tens of milliseconds: a bounded shrink keeps a failing run to a minute or two.
        qt().withExamples(200).withShrinkCycles(2_000).forAll(CommandScripts.scripts(200))
            .checkAssert(script -> keepsTheInvariants(script, outcomes));

        final List<String> missing = new ArrayList<>();
        for (final CommandType type : CommandType.values())
        {
            for (final String outcome : new String[]{" accepted", " rejected"})
            {
                if (!outcomes.contains(type + outcome))
                {
                    missing.add(type + outcome);
                }
            }
        }
        assertThat(missing).as("command outcomes no script reached").isEmpty();
    }

    private static void keepsTheInvariants(final CommandScripts.Script script, final Set<String> outcomes)
    {
        final EngineConfig config = script.bounds().config();
        final EngineDriver d = new EngineDriver(config);
        final InventoryModel model = new InventoryModel(config);
        for (int i = 0; i < script.steps().size(); i++)
        {
            final CommandScripts.Step step = script.steps().get(i);
            d.advanceMillis(step.advanceMillis());
            final EngineState stateBefore = d.state();
            final Map<Cell, long[]> recordsBefore = records(d.engine);
            final Map<String, long[]> publishedBefore = published(d.engine);
            final long sequenceBefore = d.engine.lastSequence();

            final Outcome out = d.apply(c -> step.fill(c, d.engine)).copy();
            final Command command = d.lastCommand();
            final InventoryModel.Expected expected = model.apply(command, d.now());
            final int index = i;
            final Supplier<String> where = () -> "step " + index + " " + command + " -> " + out;

            checkOutcome(d, command, out, expected, sequenceBefore, where);
            checkPricesCharged(d, command, out, model, where);
            checkNothingChangedUnlessApplied(d, command, out, stateBefore, where);
            model.remember(expected, out);
            final Map<Cell, long[]> recordsAfter = records(d.engine);
            checkRecords(d.engine, recordsAfter, model, where);
            if (out.accepted() && !out.replayed() && takesStock(command.type()))
            {
                checkNoOversell(recordsBefore, recordsAfter, where);
            }
            checkPublished(d.engine, recordsAfter, model, where);
            checkEvents(d, recordsBefore, recordsAfter, publishedBefore, where);
            same(d.engine.openReservations(), model.openReservations(), where, "open reservations");
            same(d.engine.nextExpiryMillis(), model.nextExpiryMillis(), where, "next expiry");
            same(d.engine.idempotencyEntries(), model.idempotencyEntries(), where, "idempotency entries");
            outcomes.add(command.type() + (out.accepted() ? " accepted" : " rejected"));
        }
    }

    /** Every line of a new order carries the quoted price when a live quote names its SKU, else the effective one. */
    private static void checkPricesCharged(
        final EngineDriver d, final Command command, final Outcome out, final InventoryModel model,
        final Supplier<String> where)
    {
        if (!out.accepted() || out.replayed() ||
            (command.type() != CommandType.CONFIRM && command.type() != CommandType.ORDER))
        {
            return;
        }
        final String channel = d.engine.channelId(out.channel());
        for (int i = 0; i < out.lineCount(); i++)
        {
            final String sku = d.engine.skuId(out.lineSku(i));
            long expected = model.priceAt(sku, channel, d.now()).amountMinor();
            for (int q = 0; q < command.quoteCount(); q++)
            {
                if (command.quoteSku(q).equals(sku))
                {
                    expected = command.quoteAmountMinor(q);
                }
            }
            same(out.linePriceMinor(i), expected, where, "price charged for " + sku);
            same(out.lineCurrency(i), "USD", where, "currency charged for " + sku);
        }
    }

    private static boolean takesStock(final CommandType type)
    {
        return type == CommandType.RESERVE || type == CommandType.CONFIRM || type == CommandType.ORDER;
    }

    /** Fails with a readable comparison, building the message only on failure. */
    private static void same(final Object actual, final Object expected, final Supplier<String> where, final String what)
    {
        if (!Objects.equals(actual, expected))
        {
            assertThat(actual).as(where.get() + ": " + what).isEqualTo(expected);
        }
    }

    private static void holds(final boolean condition, final Supplier<String> where, final Supplier<String> what)
    {
        if (!condition)
        {
            throw new AssertionError(where.get() + ": " + what.get());
        }
    }

    // ---- the outcome the model predicts ----

    private static void checkOutcome(
        final EngineDriver d, final Command command, final Outcome out, final InventoryModel.Expected expected,
        final long sequenceBefore, final Supplier<String> where)
    {
        same(out.reason(), expected.reason, where, "reason");
        same(out.accepted(), expected.reason == RejectReason.NONE, where, "accepted");
        same(out.replayed(), expected.replayed, where, "replayed");
        if (!command.type().isMutation())
        {
            same(out.version(), sequenceBefore, where, "a query answers at the last sequence");
            same(d.engine.lastSequence(), sequenceBefore, where, "a query takes no sequence");
        }
        else if (expected.replayOf != null)
        {
            same(d.describe(out), d.describe(expected.replayOf), where, "the first outcome, replayed");
            return;
        }
        else if (expected.firstVersion != null)
        {
            same(out.version(), expected.firstVersion, where, "a repeat answers with the first answer's version");
        }
        else
        {
            same(out.version(), d.sequence(), where, "version");
        }
        if (expected.reason == RejectReason.OUT_OF_STOCK && command.type() == CommandType.RESERVE)
        {
            final List<Long> available = new ArrayList<>();
            for (int i = 0; i < out.lineCount(); i++)
            {
                available.add(out.lineAvailable(i));
            }
            same(available, expected.lineAvailable, where, "what each line could have had");
        }
        if (!out.accepted())
        {
            return;
        }
        if (expected.allocations != null)
        {
            same(d.allocations(out), byName(expected.allocations), where, "units held or shipped per record");
        }
        switch (command.type())
        {
            case RESERVE, EXTEND, RELEASE, QUERY_RESERVATION ->
            {
                same(out.reservationId(), expected.reservation.id, where, "reservation id");
                same(out.reservationStatus(), expected.reservation.status, where, "reservation status");
                same(out.expiresAtMillis(), expected.reservation.expiresAtMillis, where, "expiry");
            }
            case CONFIRM, ORDER, CANCEL, SHIP, QUERY_ORDER ->
            {
                same(out.orderId(), expected.order.orderId, where, "order id");
                same(out.orderStatus(), expected.order.status, where, "order status");
                same(d.engine.channelId(out.channel()), expected.order.channel, where, "order channel");
                final List<Long> backordered = new ArrayList<>();
                for (int i = 0; i < out.lineCount(); i++)
                {
                    backordered.add(out.lineBackordered(i));
                }
                same(backordered, expected.order.backordered, where, "backordered units per line");
                if (!out.replayed())
                {
                    same(d.oversoldEvents(), expected.oversold, where, "oversold events");
                }
            }
            case TICK -> same(d.expiredEvents(), expected.expired, where, "expired, in expiry order");
            default ->
            {
            }
        }
        if (command.type() != CommandType.ORDER)
        {
            same(d.events.oversoldCount(), 0, where, "oversold events");
        }
        if (command.type() != CommandType.TICK)
        {
            same(d.events.expiredCount(), 0, where, "expired events");
        }
    }

    private static void checkNothingChangedUnlessApplied(
        final EngineDriver d, final Command command, final Outcome out, final EngineState before,
        final Supplier<String> where)
    {
        if (!command.type().isMutation())
        {
            same(d.state(), before, where, "a query changes nothing");
            same(d.noEvents(), true, where, "a query raises no event");
        }
        else if (!out.accepted() || out.replayed())
        {
            same(d.state().core(), before.core(), where, "a rejected or replayed command changes nothing");
            same(d.noEvents(), true, where, "a rejected or replayed command raises no event");
        }
    }

    // ---- invariants over the records ----

    private static void checkRecords(
        final Engine engine, final Map<Cell, long[]> records, final InventoryModel model, final Supplier<String> where)
    {
        same(engine.skuCount(), model.skus.size(), where, "skus");
        same(engine.locationCount(), model.locations.size(), where, "locations");
        same(engine.channelCount(), model.channels.size(), where, "channels");
        for (final Map.Entry<Cell, long[]> record : records.entrySet())
        {
            final Cell cell = record.getKey();
            final long[] q = record.getValue();
            final Supplier<String> at = () -> where.get() + " at " + cell + " " + Arrays.toString(q);
            holds(q[0] >= 0 && q[1] >= 0 && q[2] >= 0 && q[3] >= 0, at, () -> "a negative quantity");
            holds(q[1] + q[2] <= q[0], at, () -> "reserved + committed exceed on hand");
            final InventoryModel.Ledger ledger = model.ledger(cell);
            same(ledger.receipts - ledger.shipments + ledger.adjustments + ledger.setDeltas, q[0], at,
                "receipts - shipments + adjustments + sets = on hand");
            same(q[3], ledger.safety, at, "safety");
            same(q[1], model.reserved(cell), at, "reserved = the holds of open reservations");
            same(q[2], model.committed(cell), at, "committed = the shipments of open orders");
        }
    }

    /** No record goes over (reserved + committed > on_hand - safety) unless it already was, and then not further. */
    private static void checkNoOversell(
        final Map<Cell, long[]> before, final Map<Cell, long[]> after, final Supplier<String> where)
    {
        for (final Map.Entry<Cell, long[]> record : after.entrySet())
        {
            final long[] a = record.getValue();
            final long[] b = before.getOrDefault(record.getKey(), new long[4]);
            final long overAfter = a[1] + a[2] - (a[0] - a[3]);
            final long overBefore = b[1] + b[2] - (b[0] - b[3]);
            holds(overAfter <= 0 || overAfter <= overBefore, where,
                () -> "oversold at " + record.getKey() + ": " + Arrays.toString(b) + " -> " + Arrays.toString(a));
        }
    }

    private static void checkPublished(
        final Engine engine, final Map<Cell, long[]> records, final InventoryModel model, final Supplier<String> where)
    {
        final ChannelView view = new ChannelView();
        for (final String sku : model.skus.keySet())
        {
            for (final String channel : model.channels.keySet())
            {
                final SkuSpec spec = model.skus.get(sku);
                long pool = Long.MAX_VALUE;
                for (int k = 0; k < spec.componentCount(); k++)
                {
                    pool = Math.min(pool, rawPool(records, model, spec.componentSku(k), channel) / spec.componentQty(k));
                }
                if (!spec.isBundle())
                {
                    pool = rawPool(records, model, sku, channel);
                }
                final ChannelSpec formula = model.channels.get(channel);
                long expected = Math.max(0, pool * formula.percent() / 100 - formula.buffer());
                if (formula.maxListed() >= 0)
                {
                    expected = Math.min(expected, formula.maxListed());
                }
                engine.readChannel(sku, channel, view);
                final long pooled = pool;
                same(view.available(), expected, where, "published " + sku + "@" + channel + " from pool " + pooled);
            }
        }
    }

    private static long rawPool(
        final Map<Cell, long[]> records, final InventoryModel model, final String sku, final String channel)
    {
        long sum = 0;
        for (final String location : model.drawOrder(channel))
        {
            final long[] q = records.get(new Cell(sku, location));
            sum += Math.max(0, q[0] - q[1] - q[2] - q[3]);
        }
        return sum;
    }

    /**
     * Every record that changed has stock events from its old to its new value and no other record has; every
     * channel value that moved is published at this version, and no other value is.
     */
    private static void checkEvents(
        final EngineDriver d, final Map<Cell, long[]> recordsBefore, final Map<Cell, long[]> recordsAfter,
        final Map<String, long[]> publishedBefore, final Supplier<String> where)
    {
        final Engine engine = d.engine;
        final Map<Cell, long[]> firstBefore = new HashMap<>();
        final Map<Cell, long[]> lastAfter = new HashMap<>();
        for (int i = 0; i < d.events.stockCount(); i++)
        {
            final Cell cell = new Cell(engine.skuId(d.events.stockSku(i)), engine.locationId(d.events.stockLocation(i)));
            final long[] b = new long[4];
            final long[] a = new long[4];
            for (int f = 0; f < 4; f++)
            {
                b[f] = d.events.stockBefore(i, f);
                a[f] = d.events.stockAfter(i, f);
            }
            firstBefore.putIfAbsent(cell, b);
            lastAfter.put(cell, a);
        }
        for (final Map.Entry<Cell, long[]> record : recordsAfter.entrySet())
        {
            final Cell cell = record.getKey();
            final long[] before = recordsBefore.getOrDefault(cell, new long[4]);
            if (lastAfter.containsKey(cell))
            {
                for (int f = 0; f < 4; f++)
                {
                    same(firstBefore.get(cell)[f], before[f], where, "event before " + FIELDS[f] + " at " + cell);
                    same(lastAfter.get(cell)[f], record.getValue()[f], where, "event after " + FIELDS[f] + " at " + cell);
                }
            }
            else
            {
                holds(Arrays.equals(record.getValue(), before), where, () -> "a record changed without an event at " +
                    cell + ": " + Arrays.toString(before) + " -> " + Arrays.toString(record.getValue()));
            }
        }
        final SortedMap<String, Long> events = d.publishedEvents();
        for (final Map.Entry<String, long[]> value : published(engine).entrySet())
        {
            final String pair = value.getKey();
            final long[] before = publishedBefore.get(pair);
            final long[] now = value.getValue();
            if (before == null || before[0] != now[0])
            {
                same(events.get(pair), now[0], where, "a changed channel value is published: " + pair);
            }
            if (events.containsKey(pair))
            {
                same(now[0], events.get(pair), where, "the published event is the value: " + pair);
                same(now[1], d.sequence(), where, "published at this version: " + pair);
            }
            else
            {
                holds(before != null, where, () -> "a new channel value without an event: " + pair);
                same(now[1], before[1], where, "an unpublished value keeps its version: " + pair);
            }
        }
    }

    // ---- reading the engine ----

    private static Map<Cell, long[]> records(final Engine engine)
    {
        final Map<Cell, long[]> records = new HashMap<>();
        final StockView view = new StockView();
        for (int s = 0; s < engine.skuCount(); s++)
        {
            for (int l = 0; l < engine.locationCount(); l++)
            {
                engine.readStock(s, l, view);
                records.put(new Cell(engine.skuId(s), engine.locationId(l)),
                    new long[]{view.onHand(), view.reserved(), view.committed(), view.safety()});
            }
        }
        return records;
    }

    /** "sku@channel" to {available, version}. */
    private static Map<String, long[]> published(final Engine engine)
    {
        final Map<String, long[]> values = new HashMap<>();
        final ChannelView view = new ChannelView();
        for (int s = 0; s < engine.skuCount(); s++)
        {
            for (int ch = 0; ch < engine.channelCount(); ch++)
            {
                engine.readChannel(s, ch, view);
                values.put(engine.skuId(s) + "@" + engine.channelId(ch), new long[]{view.available(), view.version()});
            }
        }
        return values;
    }

    private static SortedMap<String, Long> byName(final Map<Cell, Long> units)
    {
        final SortedMap<String, Long> byName = new TreeMap<>();
        units.forEach((cell, qty) -> byName.merge(cell.toString(), qty, Long::sum));
        return byName;
    }
}
