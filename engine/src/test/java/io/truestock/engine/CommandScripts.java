package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.truestock.engine.Gens.lists;
import static io.truestock.engine.Gens.nullable;
import static io.truestock.engine.Gens.of;
import static io.truestock.engine.Gens.uniqueLists;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;

/**
 * Random command scripts for property tests: a catalog of a few locations, channels, SKUs and bundles, then a mix
 * of every command type, mostly well formed and some not (unknown or invalid ids, zero or huge quantities, bad
 * TTLs, stale compare-and-set values, reused idempotency keys, overlong text). Reservation ids are picked relative
 * to the engine's last issued id when the command is filled, so a script replays identically on a fresh engine.
 */
final class CommandScripts
{
    static final List<String> LOCATIONS = List.of("l0", "l1", "l2");
    static final List<String> CHANNELS = List.of("c0", "c1", "c2");
    static final List<String> SIMPLE_SKUS = List.of("s0", "s1", "s2", "s3");
    static final List<String> BUNDLES = List.of("b0", "b1");
    static final List<String> ORDER_IDS = List.of("o0", "o1", "o2", "o3", "o4", "o5");

    private CommandScripts()
    {
    }

    /** Bounds small enough for a script to reach them. */
    record Bounds(
        int maxSkus, int maxLocations, int maxChannels, int maxLinesPerCommand, int maxOpenReservations,
        int maxRetainedReservations, int maxOrders, int maxIdempotencyEntries, long idempotencyWindowMillis)
    {
        EngineConfig config()
        {
            return new EngineConfig().maxSkus(maxSkus).maxLocations(maxLocations).maxChannels(maxChannels)
                .maxLinesPerCommand(maxLinesPerCommand).maxOpenReservations(maxOpenReservations)
                .maxRetainedReservations(maxRetainedReservations).maxOrders(maxOrders)
                .maxIdempotencyEntries(maxIdempotencyEntries).idempotencyWindowMillis(idempotencyWindowMillis)
                .maxComponentsPerBundle(3).maxLineQuantity(50).maxOnHand(120).maxTtlSeconds(300);
        }
    }

    interface Action
    {
        void fill(Command c, Engine engine);
    }

    /** One command with its envelope: how far the clock moves first, who sends it, under which key and reason. */
    record Step(long advanceMillis, String principal, String key, String reason, Action action)
    {
        void fill(final Command c, final Engine engine)
        {
            action.fill(c, engine);
            c.principal(principal).idempotencyKey(key).reason(reason);
        }

        @Override
        public String toString()
        {
            return "+" + advanceMillis + "ms " + printable(principal) + " key=" + printable(key) + " reason=" +
                (reason != null && reason.length() > 20 ? reason.length() + " chars" : reason) + ' ' + action;
        }

        private static String printable(final String text)
        {
            return text == null ? null : text.replace("\n", "\\n");
        }
    }

    record Script(Bounds bounds, List<Step> steps)
    {
        @Override
        public String toString()
        {
            final StringBuilder sb = new StringBuilder(bounds.toString());
            for (int i = 0; i < steps.size(); i++)
            {
                sb.append("\n  ").append(i).append(": ").append(steps.get(i));
            }
            return sb.toString();
        }
    }

    record Line(String sku, long qty)
    {
    }

    /** Resolves a reservation pick: 0 is the last id issued, 1 the one before, and so on (some never existed). */
    static long reservationId(final Engine engine, final int back)
    {
        return engine.reservationBook().lastId() - back;
    }

    record DefineLocation(String id, int priority, boolean badZone) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.defineLocation(id, new LocationSpec(id, badZone ? "Atlantis/Capital" : "UTC", "", "", priority, 600, 0,
                LocationSpec.MON_TO_FRI, new int[0]));
        }
    }

    record DefineChannel(String id, List<String> locations, int percent, long buffer, long maxListed) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.defineChannel(id, new ChannelSpec(id, locations, percent, buffer, maxListed, 3));
        }
    }

    record DefineSku(String id, List<Line> components) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            final String[] parts = new String[components.size()];
            final long[] qtys = new long[components.size()];
            for (int i = 0; i < parts.length; i++)
            {
                parts[i] = components.get(i).sku();
                qtys[i] = components.get(i).qty();
            }
            c.defineSku(id, new SkuSpec(id, 100, "USD", parts, qtys));
        }
    }

    record Receive(String sku, String location, long qty) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.receive(sku, location, qty);
        }
    }

    record Adjust(String sku, String location, long delta) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.adjust(sku, location, delta);
        }
    }

    enum Guard
    {
        NONE, CURRENT, STALE
    }

    record SetStock(String sku, String location, long onHand, long safety, Guard guard) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            long expected = Command.ABSENT;
            if (guard != Guard.NONE)
            {
                final StockView view = new StockView();
                final long current = engine.readStock(sku, location, view) ? view.onHand() : 0;
                expected = guard == Guard.CURRENT ? current : current + 1;
            }
            c.set(sku, location, onHand, safety, expected);
        }
    }

    record ImportRow(String sku, String location, long onHand)
    {
    }

    record ImportStock(List<ImportRow> rows) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.importStock(new StockImportSpec(rows.stream().map(ImportRow::sku).toArray(String[]::new),
                rows.stream().map(ImportRow::location).toArray(String[]::new),
                rows.stream().mapToLong(ImportRow::onHand).toArray(), new String[rows.size()], "USD"));
        }
    }

    record Reserve(String channel, int ttlSeconds, List<Line> lines) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.reserve(channel, ttlSeconds);
            lines.forEach(line -> c.addLine(line.sku(), line.qty()));
        }
    }

    record Extend(int back, int ttlSeconds, String channel) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.extend(reservationId(engine, back), ttlSeconds).channel(channel);
        }
    }

    record Release(int back, String channel) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.release(reservationId(engine, back)).channel(channel);
        }
    }

    record Tick() implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.tick();
        }
    }

    /** A quote a confirmation cites: expiry relative to the engine's clock, so some are already expired. */
    record QuoteRef(String sku, String channel, long amountMinor, long expiresInMillis)
    {
    }

    record Confirm(int back, String orderId, List<QuoteRef> quotes) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.confirm(reservationId(engine, back), orderId).destination("US", "94107");
            for (final QuoteRef q : quotes)
            {
                c.addQuote(q.sku(), q.channel(), q.amountMinor(), "USD", engine.lastTimestampMillis() + q.expiresInMillis());
            }
        }
    }

    /** A price list; sale instants are relative to the engine's clock so sales start and end during a script. */
    record DefinePrices(String sku, String overrideChannel, long saleStartInMillis, long saleLengthMillis,
        String saleChannel) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            final Price base = new Price(1000, "USD");
            final Map<String, Price> channels = overrideChannel == null ? Map.of() :
                Map.of(overrideChannel, new Price(1100, "USD"));
            final long start = engine.lastTimestampMillis() + saleStartInMillis;
            final List<SaleSpec> sales = saleLengthMillis == 0 ? List.of() : List.of(new SaleSpec(new Price(700, "USD"),
                start, start + saleLengthMillis, saleChannel == null ? List.of() : List.of(saleChannel)));
            c.definePrices(sku, new PriceSpec(base, channels, sales));
        }
    }

    /** A carrier with one service that serves US destinations from one location (or every one) in 1-3 days. */
    record DefineCarrier(String id, String zoneLocation, int minDays) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.defineCarrier(id, new CarrierSpec(id, List.of(new ServiceSpec("ground", "Ground", LocationSpec.MON_TO_FRI,
                List.of(new ZoneSpec(zoneLocation, "US", "9", minDays, minDays + 2))))));
        }
    }

    record Order(String channel, String orderId, List<Line> lines) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.order(channel, orderId);
            lines.forEach(line -> c.addLine(line.sku(), line.qty()));
        }
    }

    record Cancel(String channel, String orderId) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.cancel(channel, orderId);
        }
    }

    record Ship(String channel, String orderId) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.ship(channel, orderId);
        }
    }

    record QueryReservation(int back, String channel) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.queryReservation(reservationId(engine, back)).channel(channel);
        }
    }

    record QueryOrder(String channel, String orderId) implements Action
    {
        public void fill(final Command c, final Engine engine)
        {
            c.queryOrder(channel, orderId);
        }
    }

    // ---- generators ----

    static Gen<Script> scripts(final int maxSteps)
    {
        return bounds().zip(catalog(), lists(steps(), 0, maxSteps), (bounds, catalog, steps) ->
        {
            final List<Step> all = new ArrayList<>(catalog);
            all.addAll(steps);
            return new Script(bounds, all);
        });
    }

    static Gen<Bounds> bounds()
    {
        final Gen<Bounds> tight = of(0, 2).map(retained -> new Bounds(7, 3, 3, 3, 3, retained, 4, 3, 30_000));
        final Gen<Bounds> roomy = constant(new Bounds(16, 4, 4, 6, 64, 64, 64, 64, 600_000));
        return Generate.oneOf(tight, roomy);
    }

    private static Step plain(final Action action)
    {
        return new Step(0, "admin", null, null, action);
    }

    /** Every location, channel and SKU defined once, with random priorities, channel formulas and bundles, and some stock. */
    static Gen<List<Step>> catalog()
    {
        final Gen<List<Step>> locations = lists(range(0, 3), LOCATIONS.size(), LOCATIONS.size()).map(priorities ->
        {
            final List<Step> steps = new ArrayList<>();
            for (int i = 0; i < LOCATIONS.size(); i++)
            {
                steps.add(plain(new DefineLocation(LOCATIONS.get(i), priorities.get(i), false)));
            }
            return steps;
        });
        final Gen<List<Step>> channels = lists(validChannel(), CHANNELS.size(), CHANNELS.size()).map(specs ->
        {
            final List<Step> steps = new ArrayList<>();
            for (int i = 0; i < CHANNELS.size(); i++)
            {
                final DefineChannel spec = specs.get(i);
                steps.add(plain(new DefineChannel(CHANNELS.get(i), spec.locations(), spec.percent(), spec.buffer(),
                    spec.maxListed())));
            }
            return steps;
        });
        final Gen<List<Step>> bundles = lists(validComponents(), BUNDLES.size(), BUNDLES.size()).map(parts ->
        {
            final List<Step> steps = new ArrayList<>();
            for (final String sku : SIMPLE_SKUS)
            {
                steps.add(plain(new DefineSku(sku, List.of())));
            }
            for (int i = 0; i < BUNDLES.size(); i++)
            {
                steps.add(plain(new DefineSku(BUNDLES.get(i), parts.get(i))));
            }
            return steps;
        });
        final Gen<List<Step>> receipts = lists(pick(SIMPLE_SKUS).zip(pick(LOCATIONS), longRange(5, 40),
            (sku, location, qty) -> plain(new Receive(sku, location, qty))), 0, 16);
        return locations.zip(channels, bundles, receipts, (l, ch, s, r) ->
        {
            final List<Step> steps = new ArrayList<>(l);
            steps.addAll(ch);
            steps.addAll(s);
            steps.addAll(r);
            return steps;
        });
    }

    private static Gen<DefineChannel> validChannel()
    {
        final Gen<List<String>> locations = uniqueLists(pick(LOCATIONS), location -> location, 0, 3);
        return locations.zip(of(100, 100, 80, 50, 0), longRange(0, 3), of(-1L, -1L, 4L, 25L),
            (list, percent, buffer, max) -> new DefineChannel("unused", list, percent, buffer, max));
    }

    private static Gen<List<Line>> validComponents()
    {
        return uniqueLists(pick(SIMPLE_SKUS).zip(longRange(1, 3), Line::new), Line::sku, 1, 3);
    }

    private static Gen<String> anySku()
    {
        return frequency(
            Pair.of(8, pick(SIMPLE_SKUS)),
            Pair.of(4, pick(BUNDLES)),
            Pair.of(1, of("s4", "nope", "bad sku")));
    }

    private static Gen<String> anyLocation()
    {
        return frequency(
            Pair.of(10, pick(LOCATIONS)),
            Pair.of(1, of("l3", "bad loc")));
    }

    private static Gen<String> anyChannel()
    {
        return frequency(
            Pair.of(10, pick(CHANNELS)),
            Pair.of(1, of("c3", "bad channel")));
    }

    private static Gen<String> optionalChannel()
    {
        return nullable(pick(CHANNELS), 65);
    }

    private static Gen<String> anyOrderId()
    {
        return frequency(
            Pair.of(12, pick(ORDER_IDS)),
            Pair.of(1, of("bad order", "")));
    }

    private static Gen<Long> quantity()
    {
        return frequency(
            Pair.of(30, longRange(1, 5)),
            Pair.of(2, longRange(6, 50)),
            Pair.of(1, of(0L, -2L, 51L)));
    }

    private static Gen<List<Line>> lines()
    {
        final Gen<Line> line = anySku().zip(quantity(), Line::new);
        return frequency(
            Pair.of(1, constant(List.<Line>of())),
            Pair.of(16, lists(line, 1, 3)),
            Pair.of(2, lists(line, 4, 4)));
    }

    private static Gen<Integer> ttl()
    {
        return frequency(
            Pair.of(6, range(1, 30)),
            Pair.of(14, range(31, 300)),
            Pair.of(1, of(0, 301, 300)));
    }

    private static Gen<Integer> back()
    {
        return frequency(
            Pair.of(12, constant(0)),
            Pair.of(8, range(1, 3)),
            Pair.of(2, range(4, 30)),
            Pair.of(1, constant(-1)));
    }

    private static Gen<Action> action()
    {
        final Gen<Action> defineLocation = of("l0", "l1", "l2", "l3", "bad loc").zip(range(0, 3),
            of(false, false, false, true), DefineLocation::new);
        final Gen<Action> defineChannel = of("c0", "c1", "c2", "c3", "bad channel").zip(
            lists(of("l0", "l1", "l2", "l3"), 0, 3), of(100, 80, 50, 0, 101), longRange(0, 3), of(-1L, 4L, 25L),
            DefineChannel::new);
        final Gen<List<Line>> components = lists(
            of("s0", "s1", "s2", "s3", "b0", "s9").zip(longRange(0, 3), Line::new), 0, 4);
        final Gen<Action> defineSku = of("s0", "s1", "s2", "s3", "s4", "s5", "b0", "b1", "bad sku").zip(components,
            DefineSku::new);
        final Gen<Action> receive = anySku().zip(anyLocation(),
            frequency(Pair.of(10, longRange(1, 20)), Pair.of(1, of(0L, 50L, 51L))), Receive::new);
        final Gen<Action> adjust = anySku().zip(anyLocation(), longRange(-8, 8), Adjust::new);
        final Gen<Action> set = anySku().zip(anyLocation(),
            of(Command.ABSENT, Command.ABSENT, 0L, 5L, 12L, 30L, -1L),
            of(Command.ABSENT, Command.ABSENT, 0L, 1L, 3L, 40L),
            Generate.enumValues(Guard.class), SetStock::new);
        final Gen<Action> importStock = lists(anySku().zip(anyLocation(), of(0L, 5L, 12L, 30L, -1L), ImportRow::new),
            1, 3).map(ImportStock::new);
        final Gen<Action> reserve = anyChannel().zip(ttl(), lines(), Reserve::new);
        final Gen<Action> extend = back().zip(ttl(), optionalChannel(), Extend::new);
        final Gen<Action> release = back().zip(optionalChannel(), Release::new);
        final Gen<QuoteRef> quote = of("s0", "s1", "b0", "s3").zip(of("c0", "c0", "c1"), of(0L, 650L),
            of(-1L, 0L, 1_000L, 60_000L), QuoteRef::new);
        final Gen<List<QuoteRef>> quotes = frequency(
            Pair.of(4, constant(List.<QuoteRef>of())),
            Pair.of(1, lists(quote, 1, 2)));
        final Gen<Action> confirm = back().zip(anyOrderId(), quotes, Confirm::new);
        final Gen<Action> definePrices = of("s0", "s1", "b0", "s9").zip(nullable(of("c0", "c1", "c7"), 50),
            of(-5_000L, 0L, 1_000L, 3_000L, 20_000L), of(0L, 1_000L, 5_000L, 60_000L), nullable(of("c0", "c2"), 50),
            DefinePrices::new);
        final Gen<Action> defineCarrier = of("ups", "dhl", "bad carrier").zip(
            nullable(of("l0", "l1", "l2", "l9"), 30), range(0, 3), DefineCarrier::new);
        final Gen<Action> order = anyChannel().zip(anyOrderId(), lines(), Order::new);
        final Gen<Action> cancel = optionalChannel().zip(anyOrderId(), Cancel::new);
        final Gen<Action> ship = optionalChannel().zip(anyOrderId(), Ship::new);
        final Gen<Action> queryReservation = back().zip(optionalChannel(), QueryReservation::new);
        final Gen<Action> queryOrder = optionalChannel().zip(anyOrderId(), QueryOrder::new);
        return frequency(
            Pair.of(1, defineLocation),
            Pair.of(2, defineChannel),
            Pair.of(1, defineSku),
            Pair.of(5, receive),
            Pair.of(2, adjust),
            Pair.of(2, set),
            Pair.of(1, importStock),
            Pair.of(10, reserve),
            Pair.of(3, extend),
            Pair.of(3, release),
            Pair.of(3, constant(new Tick())),
            Pair.of(6, confirm),
            Pair.of(4, order),
            Pair.of(3, cancel),
            Pair.of(3, ship),
            Pair.of(1, queryReservation),
            Pair.of(1, queryOrder),
            Pair.of(1, definePrices),
            Pair.of(1, defineCarrier));
    }

    static Gen<Step> steps()
    {
        // Mostly whole seconds, so that the clock often lands exactly on an expiry or the end of the key window.
        final Gen<Long> advance = frequency(
            Pair.of(10, constant(0L)),
            Pair.of(6, longRange(1, 5).map(seconds -> seconds * 1_000)),
            Pair.of(2, longRange(1, 5_000)),
            Pair.of(2, longRange(10, 200).map(seconds -> seconds * 1_000)));
        final Gen<String> principal = of("p0", "p1", "p0\n1");
        // "p0" with key "1\nk0" and "p0\n1" with key "k0" are different principals' keys that read alike when joined.
        final Gen<String> key = nullable(of("k0", "k1", "k2", "k3", "k4", "1\nk0"), 85);
        final Gen<String> reason = nullable(frequency(
            Pair.of(4, of("restock", "count")),
            Pair.of(1, constant("x".repeat(257)))), 90);
        return advance.zip(principal, key, reason, action(), Step::new);
    }
}
