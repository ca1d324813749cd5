package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;

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

    // ---- arbitraries ----

    static Arbitrary<Script> scripts(final int maxSteps)
    {
        return Combinators.combine(bounds(), catalog(),
                steps().list().ofMaxSize(maxSteps).withSizeDistribution(RandomDistribution.uniform()))
            .as((bounds, catalog, steps) ->
            {
                final List<Step> all = new ArrayList<>(catalog);
                all.addAll(steps);
                return new Script(bounds, all);
            });
    }

    static Arbitrary<Bounds> bounds()
    {
        final Arbitrary<Bounds> tight = Arbitraries.of(0, 2).map(retained ->
            new Bounds(7, 3, 3, 3, 3, retained, 4, 3, 30_000));
        final Arbitrary<Bounds> roomy = Arbitraries.just(new Bounds(16, 4, 4, 6, 64, 64, 64, 64, 600_000));
        return Arbitraries.oneOf(tight, roomy);
    }

    private static Step plain(final Action action)
    {
        return new Step(0, "admin", null, null, action);
    }

    /** Every location, channel and SKU defined once, with random priorities, channel formulas and bundles, and some stock. */
    static Arbitrary<List<Step>> catalog()
    {
        final Arbitrary<List<Step>> locations = Arbitraries.integers().between(0, 3).list().ofSize(LOCATIONS.size())
            .map(priorities ->
            {
                final List<Step> steps = new ArrayList<>();
                for (int i = 0; i < LOCATIONS.size(); i++)
                {
                    steps.add(plain(new DefineLocation(LOCATIONS.get(i), priorities.get(i), false)));
                }
                return steps;
            });
        final Arbitrary<List<Step>> channels = validChannel().list().ofSize(CHANNELS.size()).map(specs ->
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
        final Arbitrary<List<Step>> bundles = validComponents().list().ofSize(BUNDLES.size()).map(parts ->
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
        final Arbitrary<List<Step>> receipts = Combinators.combine(
                Arbitraries.of(SIMPLE_SKUS), Arbitraries.of(LOCATIONS), Arbitraries.longs().between(5, 40))
            .as((sku, location, qty) -> plain(new Receive(sku, location, qty))).list().ofMaxSize(16);
        return Combinators.combine(locations, channels, bundles, receipts).as((l, ch, s, r) ->
        {
            final List<Step> steps = new ArrayList<>(l);
            steps.addAll(ch);
            steps.addAll(s);
            steps.addAll(r);
            return steps;
        });
    }

    private static Arbitrary<DefineChannel> validChannel()
    {
        final Arbitrary<List<String>> locations = Arbitraries.of(LOCATIONS).list().uniqueElements().ofMaxSize(3);
        return Combinators.combine(locations, Arbitraries.of(100, 100, 80, 50, 0), Arbitraries.longs().between(0, 3),
                Arbitraries.of(-1L, -1L, 4L, 25L))
            .as((list, percent, buffer, max) -> new DefineChannel("unused", list, percent, buffer, max));
    }

    private static Arbitrary<List<Line>> validComponents()
    {
        return Combinators.combine(Arbitraries.of(SIMPLE_SKUS), Arbitraries.longs().between(1, 3))
            .as(Line::new).list().ofMinSize(1).ofMaxSize(3).uniqueElements(Line::sku);
    }

    private static Arbitrary<String> anySku()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of(SIMPLE_SKUS)),
            Tuple.of(4, Arbitraries.of(BUNDLES)),
            Tuple.of(1, Arbitraries.of("s4", "nope", "bad sku")));
    }

    private static Arbitrary<String> anyLocation()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.of(LOCATIONS)),
            Tuple.of(1, Arbitraries.of("l3", "bad loc")));
    }

    private static Arbitrary<String> anyChannel()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.of(CHANNELS)),
            Tuple.of(1, Arbitraries.of("c3", "bad channel")));
    }

    private static Arbitrary<String> optionalChannel()
    {
        return Arbitraries.of(CHANNELS).injectNull(0.65);
    }

    private static Arbitrary<String> anyOrderId()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.of(ORDER_IDS)),
            Tuple.of(1, Arbitraries.of("bad order", "")));
    }

    private static Arbitrary<Long> quantity()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(30, Arbitraries.longs().between(1, 5)),
            Tuple.of(2, Arbitraries.longs().between(6, 50)),
            Tuple.of(1, Arbitraries.of(0L, -2L, 51L)));
    }

    private static Arbitrary<List<Line>> lines()
    {
        final Arbitrary<Line> line = Combinators.combine(anySku(), quantity()).as(Line::new);
        return Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(List.<Line>of())),
            Tuple.of(16, line.list().ofMinSize(1).ofMaxSize(3)),
            Tuple.of(2, line.list().ofSize(4)));
    }

    private static Arbitrary<Integer> ttl()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(1, 30)),
            Tuple.of(14, Arbitraries.integers().between(31, 300)),
            Tuple.of(1, Arbitraries.of(0, 301, 300)));
    }

    private static Arbitrary<Integer> back()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.just(0)),
            Tuple.of(8, Arbitraries.integers().between(1, 3)),
            Tuple.of(2, Arbitraries.integers().between(4, 30)),
            Tuple.of(1, Arbitraries.of(-1)));
    }

    private static Arbitrary<Action> action()
    {
        final Arbitrary<Action> defineLocation = Combinators.combine(
                Arbitraries.of("l0", "l1", "l2", "l3", "bad loc"), Arbitraries.integers().between(0, 3),
                Arbitraries.of(false, false, false, true))
            .as(DefineLocation::new);
        final Arbitrary<Action> defineChannel = Combinators.combine(
                Arbitraries.of("c0", "c1", "c2", "c3", "bad channel"),
                Arbitraries.of("l0", "l1", "l2", "l3").list().ofMaxSize(3),
                Arbitraries.of(100, 80, 50, 0, 101), Arbitraries.longs().between(0, 3), Arbitraries.of(-1L, 4L, 25L))
            .as(DefineChannel::new);
        final Arbitrary<List<Line>> components = Combinators.combine(
                Arbitraries.of("s0", "s1", "s2", "s3", "b0", "s9"), Arbitraries.longs().between(0, 3))
            .as(Line::new).list().ofMaxSize(4);
        final Arbitrary<Action> defineSku = Combinators.combine(
                Arbitraries.of("s0", "s1", "s2", "s3", "s4", "s5", "b0", "b1", "bad sku"), components)
            .as(DefineSku::new);
        final Arbitrary<Action> receive = Combinators.combine(anySku(), anyLocation(),
                Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.longs().between(1, 20)),
                    Tuple.of(1, Arbitraries.of(0L, 50L, 51L))))
            .as(Receive::new);
        final Arbitrary<Action> adjust = Combinators.combine(anySku(), anyLocation(), Arbitraries.longs().between(-8, 8))
            .as(Adjust::new);
        final Arbitrary<Action> set = Combinators.combine(anySku(), anyLocation(),
                Arbitraries.of(Command.ABSENT, Command.ABSENT, 0L, 5L, 12L, 30L, -1L),
                Arbitraries.of(Command.ABSENT, Command.ABSENT, 0L, 1L, 3L, 40L),
                Arbitraries.of(Guard.values()))
            .as(SetStock::new);
        final Arbitrary<Action> importStock = Combinators.combine(anySku(), anyLocation(),
                Arbitraries.of(0L, 5L, 12L, 30L, -1L))
            .as(ImportRow::new).list().ofMinSize(1).ofMaxSize(3).map(ImportStock::new);
        final Arbitrary<Action> reserve = Combinators.combine(anyChannel(), ttl(), lines()).as(Reserve::new);
        final Arbitrary<Action> extend = Combinators.combine(back(), ttl(), optionalChannel()).as(Extend::new);
        final Arbitrary<Action> release = Combinators.combine(back(), optionalChannel()).as(Release::new);
        final Arbitrary<QuoteRef> quote = Combinators.combine(Arbitraries.of("s0", "s1", "b0", "s3"),
                Arbitraries.of("c0", "c0", "c1"), Arbitraries.of(0L, 650L), Arbitraries.of(-1L, 0L, 1_000L, 60_000L))
            .as(QuoteRef::new);
        final Arbitrary<List<QuoteRef>> quotes = Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(List.<QuoteRef>of())),
            Tuple.of(1, quote.list().ofMinSize(1).ofMaxSize(2)));
        final Arbitrary<Action> confirm = Combinators.combine(back(), anyOrderId(), quotes).as(Confirm::new);
        final Arbitrary<Action> definePrices = Combinators.combine(
                Arbitraries.of("s0", "s1", "b0", "s9"), Arbitraries.of("c0", "c1", "c7").injectNull(0.5),
                Arbitraries.of(-5_000L, 0L, 1_000L, 3_000L, 20_000L), Arbitraries.of(0L, 1_000L, 5_000L, 60_000L),
                Arbitraries.of("c0", "c2").injectNull(0.5))
            .as(DefinePrices::new);
        final Arbitrary<Action> defineCarrier = Combinators.combine(Arbitraries.of("ups", "dhl", "bad carrier"),
                Arbitraries.of("l0", "l1", "l2", "l9").injectNull(0.3), Arbitraries.integers().between(0, 3))
            .as(DefineCarrier::new);
        final Arbitrary<Action> order = Combinators.combine(anyChannel(), anyOrderId(), lines()).as(Order::new);
        final Arbitrary<Action> cancel = Combinators.combine(optionalChannel(), anyOrderId()).as(Cancel::new);
        final Arbitrary<Action> ship = Combinators.combine(optionalChannel(), anyOrderId()).as(Ship::new);
        final Arbitrary<Action> queryReservation = Combinators.combine(back(), optionalChannel())
            .as(QueryReservation::new);
        final Arbitrary<Action> queryOrder = Combinators.combine(optionalChannel(), anyOrderId()).as(QueryOrder::new);
        return Arbitraries.frequencyOf(
            Tuple.of(1, defineLocation),
            Tuple.of(2, defineChannel),
            Tuple.of(1, defineSku),
            Tuple.of(5, receive),
            Tuple.of(2, adjust),
            Tuple.of(2, set),
            Tuple.of(1, importStock),
            Tuple.of(10, reserve),
            Tuple.of(3, extend),
            Tuple.of(3, release),
            Tuple.of(3, Arbitraries.just(new Tick())),
            Tuple.of(6, confirm),
            Tuple.of(4, order),
            Tuple.of(3, cancel),
            Tuple.of(3, ship),
            Tuple.of(1, queryReservation),
            Tuple.of(1, queryOrder),
            Tuple.of(1, definePrices),
            Tuple.of(1, defineCarrier));
    }

    static Arbitrary<Step> steps()
    {
        // Mostly whole seconds, so that the clock often lands exactly on an expiry or the end of the key window.
        final Arbitrary<Long> advance = Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.just(0L)),
            Tuple.of(6, Arbitraries.longs().between(1, 5).map(seconds -> seconds * 1_000)),
            Tuple.of(2, Arbitraries.longs().between(1, 5_000)),
            Tuple.of(2, Arbitraries.longs().between(10, 200).map(seconds -> seconds * 1_000)));
        final Arbitrary<String> principal = Arbitraries.of("p0", "p1", "p0\n1");
        // "p0" with key "1\nk0" and "p0\n1" with key "k0" are different principals' keys that read alike when joined.
        final Arbitrary<String> key = Arbitraries.of("k0", "k1", "k2", "k3", "k4", "1\nk0").injectNull(0.85);
        final Arbitrary<String> reason = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("restock", "count")),
                Tuple.of(1, Arbitraries.just("x".repeat(257))))
            .injectNull(0.9);
        return Combinators.combine(advance, principal, key, reason, action()).as(Step::new);
    }
}
