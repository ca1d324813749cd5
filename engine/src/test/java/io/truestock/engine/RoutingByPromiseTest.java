package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Routing on confirmation (DESIGN.md "Order routing"): a single location that ships every line, the earliest
 * promise to the destination among those, then priority; a split with the fewest shipments only when no single
 * location can; the promise of each shipment in the outcome; and, as a property, that routing never commits more
 * than a location has available.
 * <p>
 * Every location here is in UTC with the default calendar (cutoff 23:59, no handling, MON-FRI), and commands are
 * applied on Wednesday 2026-03-04 at noon, so a zone with transit n..m days promises arrival on the n-th to m-th
 * weekday after Wednesday: 1 = Thursday, 2 = Friday, 3 = Monday, 4 = Tuesday.
 */
class RoutingByPromiseTest
{
    private static final long WEDNESDAY_NOON = Instant.parse("2026-03-04T12:00:00Z").toEpochMilli();
    private static final long ORDER_BY = Instant.parse("2026-03-04T23:59:00Z").toEpochMilli();

    private static EngineConfig config()
    {
        return new EngineConfig().maxSkus(16).maxLocations(6).maxChannels(4);
    }

    private static LocationSpec location(final String id, final int priority)
    {
        return new LocationSpec(id, "UTC", "US", "", priority, 23 * 60 + 59, 0, LocationSpec.MON_TO_FRI, new int[0]);
    }

    /** Start of the n-th weekday after Wednesday 2026-03-04, UTC. */
    private static long dayStart(final int transitDays)
    {
        final String[] days = {"2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10", "2026-03-11"};
        return Instant.parse(days[transitDays] + "T00:00:00Z").toEpochMilli();
    }

    private static long dayEnd(final int transitDays)
    {
        return dayStart(transitDays) + 86_400_000L - 1;
    }

    /**
     * A driver with the given locations (id, priority), a channel "web" drawing from all of them, and a carrier
     * "ups" whose "ground" service reaches country US from each location named in {@code transit} (location id to
     * {min, max}).
     */
    private static EngineDriver world(final Object[][] locations, final Object[][] transit)
    {
        final EngineDriver d = new EngineDriver(config(), WEDNESDAY_NOON);
        for (final Object[] l : locations)
        {
            assertThat(d.apply(c -> c.defineLocation((String)l[0], location((String)l[0], (Integer)l[1]))).accepted())
                .isTrue();
        }
        d.channel("web");
        for (final String sku : new String[] {"shoe", "sock", "lace"})
        {
            d.sku(sku);
        }
        d.bundle("kit", new String[] {"sock", "lace"}, new long[] {1, 2});
        final List<ZoneSpec> zones = new ArrayList<>();
        for (final Object[] t : transit)
        {
            zones.add(new ZoneSpec((String)t[0], "US", "", (Integer)t[1], (Integer)t[2]));
        }
        final CarrierSpec ups = new CarrierSpec("UPS",
            List.of(new ServiceSpec("ground", "Ground", LocationSpec.MON_TO_FRI, zones)));
        assertThat(d.apply(c -> c.defineCarrier("ups", ups)).accepted()).isTrue();
        return d;
    }

    private static long reserve(final EngineDriver d, final String channel, final Object... skuQty)
    {
        final Outcome out = d.reserve(channel, 900, skuQty).copy();
        assertThat(out.accepted()).as("%s", d.describe(out)).isTrue();
        return out.reservationId();
    }

    private static Outcome confirmTo(final EngineDriver d, final long id, final String orderId, final String country)
    {
        return d.assertAccepted(c -> c.confirm(id, orderId).destination(country, country == null ? null : "94107"));
    }

    /** The shipments of an order outcome as "location:sku x qty,..." sorted by location. */
    private static SortedMap<String, String> shipments(final EngineDriver d, final Outcome out)
    {
        final SortedMap<String, String> byLocation = new TreeMap<>();
        d.allocations(out).forEach((skuAtLocation, qty) ->
        {
            final String[] parts = skuAtLocation.split("@");
            byLocation.merge(parts[1], parts[0] + "x" + qty, (a, b) -> a + "," + b);
        });
        return byLocation;
    }

    private static String promiseOf(final EngineDriver d, final Outcome out, final String location)
    {
        for (int i = 0; i < out.shipmentCount(); i++)
        {
            if (d.engine.locationId(out.shipmentLocation(i)).equals(location))
            {
                return out.shipmentHasPromise(i) ? out.shipmentCarrier(i) + '/' + out.shipmentService(i) + ' ' +
                    out.shipmentEarliestMillis(i) + ".." + out.shipmentLatestMillis(i) + " by " +
                    out.shipmentOrderByMillis(i) : "none";
            }
        }
        return "no shipment from " + location;
    }

    private static String promise(final int min, final int max)
    {
        return "ups/ground " + dayStart(min) + ".." + dayEnd(max) + " by " + ORDER_BY;
    }

    // ---- the single-location tables ----

    record TableRow(Object[][] locations, Object[][] transit, String expected)
    {
    }

    private static TableRow row(final Object[][] locations, final Object[][] transit, final String expected)
    {
        return new TableRow(locations, transit, expected);
    }

    @Test
    void theEarliestLatestArrivalWinsEvenAgainstPriority()
    {
        final TableRow[] cases = {
            // locations (id, priority), transit (location, min, max), expected location
            row(new Object[][] {{"west", 1}, {"east", 2}}, new Object[][] {{"west", 3, 4}, {"east", 1, 2}}, "east"),
            row(new Object[][] {{"west", 1}, {"east", 2}, {"south", 3}},
                new Object[][] {{"west", 2, 4}, {"east", 2, 3}, {"south", 1, 2}}, "south"),
            // the same latest: the earlier earliest wins
            row(new Object[][] {{"west", 1}, {"east", 2}}, new Object[][] {{"west", 2, 3}, {"east", 1, 3}}, "east"),
            // equal promises: priority, whatever the definition order
            row(new Object[][] {{"west", 5}, {"east", 1}}, new Object[][] {{"west", 1, 2}, {"east", 1, 2}}, "east"),
            row(new Object[][] {{"west", 1}, {"east", 5}}, new Object[][] {{"west", 1, 2}, {"east", 1, 2}}, "west"),
            // a location without a promise loses to one with, whatever its priority
            row(new Object[][] {{"west", 1}, {"east", 2}}, new Object[][] {{"east", 4, 5}}, "east"),
            row(new Object[][] {{"west", 1}, {"east", 2}, {"south", 3}}, new Object[][] {{"south", 4, 5}}, "south"),
        };
        for (final TableRow row : cases)
        {
            final EngineDriver d = world(row.locations(), row.transit());
            for (final Object[] l : row.locations())
            {
                d.receive("shoe", (String)l[0], 10);
            }
            final long id = reserve(d, "web", "shoe", 3);
            final Outcome out = confirmTo(d, id, "o-1", "US");
            final String expected = row.expected();
            assertThat(shipments(d, out)).as("%s", java.util.Arrays.deepToString(row.transit())).containsExactly(
                java.util.Map.entry(expected, "shoex3"));
            for (final Object[] t : row.transit())
            {
                if (t[0].equals(expected))
                {
                    assertThat(promiseOf(d, out, expected)).isEqualTo(promise((Integer)t[1], (Integer)t[2]));
                }
            }
            for (final Object[] l : row.locations())
            {
                final StockView view = d.stock("shoe", (String)l[0]);
                assertThat(view.reserved()).as("no hold left at %s", l[0]).isZero();
                assertThat(view.committed()).isEqualTo(l[0].equals(expected) ? 3 : 0);
            }
        }
    }

    @Test
    void withoutADestinationOrWithoutAnyPromisePriorityDecides()
    {
        final Object[][] locations = {{"west", 2}, {"east", 1}};
        final Object[][] transit = {{"west", 1, 1}, {"east", 5, 5}};
        final EngineDriver d = world(locations, transit);
        d.receive("shoe", "west", 10);
        d.receive("shoe", "east", 10);
        final Outcome none = confirmTo(d, reserve(d, "web", "shoe", 1), "o-1", null);
        assertThat(shipments(d, none)).containsOnlyKeys("east");
        assertThat(promiseOf(d, none, "east")).isEqualTo("none");

        final Outcome abroad = confirmTo(d, reserve(d, "web", "shoe", 1), "o-2", "CA");
        assertThat(shipments(d, abroad)).as("no carrier serves CA").containsOnlyKeys("east");
        assertThat(promiseOf(d, abroad, "east")).isEqualTo("none");

        final Outcome home = confirmTo(d, reserve(d, "web", "shoe", 1), "o-3", "US");
        assertThat(shipments(d, home)).containsOnlyKeys("west");
        assertThat(promiseOf(d, home, "west")).isEqualTo(promise(1, 1));
    }

    @Test
    void aSingleLocationThatShipsEverythingBeatsAFasterOneThatShipsPart()
    {
        final EngineDriver d = world(new Object[][] {{"fast", 1}, {"slow", 2}},
            new Object[][] {{"fast", 1, 1}, {"slow", 4, 4}});
        d.receive("shoe", "fast", 5);
        d.receive("sock", "slow", 5);
        d.receive("shoe", "slow", 5);
        final Outcome out = confirmTo(d, reserve(d, "web", "shoe", 2, "sock", 1), "o-1", "US");
        assertThat(shipments(d, out)).containsExactly(java.util.Map.entry("slow", "shoex2,sockx1"));
        assertThat(promiseOf(d, out, "slow")).isEqualTo(promise(4, 4));
    }

    // ---- splits ----

    @Test
    void whenNoSingleLocationCanShipTheSplitHasTheFewestShipmentsAndEachCarriesItsPromise()
    {
        final EngineDriver d = world(new Object[][] {{"a", 1}, {"b", 2}, {"c", 3}},
            new Object[][] {{"a", 1, 1}, {"b", 1, 2}, {"c", 3, 4}});
        d.receive("shoe", "a", 2);
        d.receive("shoe", "b", 6);
        d.receive("shoe", "c", 6);
        final Outcome out = confirmTo(d, reserve(d, "web", "shoe", 10), "o-1", "US");
        assertThat(out.shipmentCount()).isEqualTo(2);
        assertThat(shipments(d, out)).containsOnlyKeys("b", "c");
        assertThat(d.allocations(out).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
        assertThat(promiseOf(d, out, "b")).isEqualTo(promise(1, 2));
        assertThat(promiseOf(d, out, "c")).isEqualTo(promise(3, 4));
        for (final String l : new String[] {"a", "b", "c"})
        {
            final StockView view = d.stock("shoe", l);
            assertThat(view.reserved()).isZero();
            assertThat(view.available()).isGreaterThanOrEqualTo(0);
        }
        assertThat(d.stock("shoe", "a").committed()).isZero();
    }

    @Test
    void linesOnlyDifferentLocationsHaveAreSplitOneShipmentPerLocation()
    {
        final EngineDriver d = world(new Object[][] {{"a", 1}, {"b", 2}, {"c", 3}},
            new Object[][] {{"a", 1, 1}, {"b", 2, 2}});
        d.receive("shoe", "a", 4);
        d.receive("sock", "b", 4);
        d.receive("sock", "c", 4);
        final Outcome out = confirmTo(d, reserve(d, "web", "shoe", 4, "sock", 4), "o-1", "US");
        assertThat(shipments(d, out)).as("the sock line from one location, not two").hasSize(2);
        assertThat(shipments(d, out).get("a")).isEqualTo("shoex4");
        assertThat(promiseOf(d, out, "a")).isEqualTo(promise(1, 1));
        final String sockFrom = shipments(d, out).containsKey("b") ? "b" : "c";
        assertThat(shipments(d, out).get(sockFrom)).isEqualTo("sockx4");
        assertThat(promiseOf(d, out, sockFrom)).isEqualTo(sockFrom.equals("b") ? promise(2, 2) : "none");
    }

    // ---- bundles ----

    @Test
    void bundleLinesAreRoutedOnTheCombinedDemandOfTheirComponents()
    {
        // kit = sock + 2 lace; a kit and a lace need 1 sock and 3 lace at one location
        final EngineDriver d = world(new Object[][] {{"fast", 1}, {"slow", 2}},
            new Object[][] {{"fast", 1, 1}, {"slow", 3, 3}});
        d.receive("sock", "fast", 5);
        d.receive("lace", "fast", 2);
        d.receive("sock", "slow", 1);
        d.receive("lace", "slow", 3);
        final Outcome out = confirmTo(d, reserve(d, "web", "kit", 1, "lace", 1), "o-1", "US");
        assertThat(shipments(d, out)).containsExactly(java.util.Map.entry("slow", "lacex3,sockx1"));
        assertThat(promiseOf(d, out, "slow")).isEqualTo(promise(3, 3));
        assertThat(d.stock("lace", "fast").reserved() + d.stock("lace", "fast").committed()).isZero();
        assertThat(d.stock("sock", "fast").reserved() + d.stock("sock", "fast").committed()).isZero();

        // with enough lace at the fast location, the whole order goes there
        d.receive("lace", "fast", 1);
        final Outcome second = confirmTo(d, reserve(d, "web", "kit", 1, "lace", 1), "o-2", "US");
        assertThat(shipments(d, second)).containsExactly(java.util.Map.entry("fast", "lacex3,sockx1"));
        assertThat(promiseOf(d, second, "fast")).isEqualTo(promise(1, 1));
    }

    // ---- moving a hold ----

    @Test
    void aHoldMovesToAFasterLocationOnlyWhenThatLocationHasTheUnitsAvailable()
    {
        final EngineDriver d = world(new Object[][] {{"slow", 1}, {"fast", 2}},
            new Object[][] {{"slow", 4, 4}, {"fast", 1, 1}});
        d.channel("fastonly", "fast");
        d.receive("shoe", "slow", 10);
        final long first = reserve(d, "web", "shoe", 2);
        assertThat(d.stock("shoe", "slow").reserved()).as("held in routing order").isEqualTo(2);

        // the fast location has one unit: not enough, the order ships from where it is held
        d.receive("shoe", "fast", 1);
        Outcome out = confirmTo(d, first, "o-1", "US");
        assertThat(shipments(d, out)).containsExactly(java.util.Map.entry("slow", "shoex2"));
        assertThat(d.stock("shoe", "fast").committed()).isZero();

        // the fast location has two units, but another channel's cart holds them: still not available
        final long second = reserve(d, "web", "shoe", 2);
        d.receive("shoe", "fast", 1);
        final long other = reserve(d, "fastonly", "shoe", 2);
        out = confirmTo(d, second, "o-2", "US");
        assertThat(shipments(d, out)).containsExactly(java.util.Map.entry("slow", "shoex2"));

        // once they are released, the hold moves: reserved comes off slow, committed goes on fast
        d.assertAccepted(c -> c.release(other));
        final long third = reserve(d, "web", "shoe", 2);
        final StockView slowBefore = d.stock("shoe", "slow");
        assertThat(slowBefore.reserved()).isEqualTo(2);
        out = confirmTo(d, third, "o-3", "US");
        assertThat(shipments(d, out)).containsExactly(java.util.Map.entry("fast", "shoex2"));
        assertThat(promiseOf(d, out, "fast")).isEqualTo(promise(1, 1));
        final StockView slowAfter = d.stock("shoe", "slow");
        assertThat(slowAfter.reserved()).isZero();
        assertThat(slowAfter.committed()).isEqualTo(slowBefore.committed());
        assertThat(slowAfter.available()).isEqualTo(slowBefore.available() + 2);
        final StockView fast = d.stock("shoe", "fast");
        assertThat(fast.committed()).isEqualTo(2);
        assertThat(fast.available()).isZero();
    }

    @Test
    void aMarketplaceOrderWithADestinationIsRoutedByPromiseToo()
    {
        final EngineDriver d = world(new Object[][] {{"slow", 1}, {"fast", 2}},
            new Object[][] {{"slow", 4, 4}, {"fast", 1, 2}});
        d.receive("shoe", "slow", 10);
        d.receive("shoe", "fast", 10);
        final Outcome out = d.assertAccepted(c -> c.order("web", "m-1").addLine("shoe", 3).destination("US", "1"));
        assertThat(shipments(d, out)).containsExactly(java.util.Map.entry("fast", "shoex3"));
        assertThat(promiseOf(d, out, "fast")).isEqualTo(promise(1, 2));
        final Outcome plain = d.assertAccepted(c -> c.order("web", "m-2").addLine("shoe", 3));
        assertThat(shipments(d, plain)).containsExactly(java.util.Map.entry("slow", "shoex3"));
    }

    // ---- the offer's promise ----

    @Test
    void anOfferPromisesWhatRoutingWouldPickAndNoLocationWhenTheChannelIsShort()
    {
        final EngineDriver d = world(new Object[][] {{"slow", 1}, {"fast", 2}},
            new Object[][] {{"slow", 4, 4}, {"fast", 1, 2}});
        d.receive("shoe", "slow", 5);
        d.receive("shoe", "fast", 3);
        final int sku = d.engine.skuIndex("shoe");
        final int web = d.engine.channelIndex("web");
        final long[][] cases = {
            // qty, promised (1/0), expected latest, expected location (index into {slow, fast}, -1 for none)
            {3, 1, dayEnd(2), 1},
            {4, 1, dayEnd(4), 0},
            {8, 1, dayEnd(4), 0},
            {9, 0, 0, -1},
            {1_000, 0, 0, -1},
        };
        for (final long[] row : cases)
        {
            final io.truestock.engine.delivery.DeliveryPromise promise =
                new io.truestock.engine.delivery.DeliveryPromise();
            final boolean promised = d.engine.offerPromise(sku, web, row[0], "US", "94107", d.now(), promise);
            assertThat(promised).as("qty %d: %s", row[0], promise).isEqualTo(row[1] == 1);
            if (promised)
            {
                assertThat(promise.latestMillis()).as("qty %d", row[0]).isEqualTo(row[2]);
                assertThat(d.engine.locationId(promise.locationIndex())).isEqualTo(row[3] == 0 ? "slow" : "fast");
            }
            else
            {
                assertThat(promise.locationIndex()).as("qty %d: short, so no location: %s", row[0], promise)
                    .isEqualTo(-1);
            }
        }
        // what confirmation routing then does with 3 units
        final Outcome out = confirmTo(d, reserve(d, "web", "shoe", 3), "o-1", "US");
        assertThat(shipments(d, out)).containsOnlyKeys("fast");
    }

    // ---- the property ----

    record Script(long seed, int steps)
    {
    }

    private static Gen<Script> scripts()
    {
        return longs().all().zip(integers().between(20, 120), Script::new);
    }

    private static final String[] LOCATIONS = {"a", "b", "c"};
    private static final String[] SKUS = {"shoe", "sock", "lace", "kit"};
    private static final String[][] DESTINATIONS = {{"US", "94107"}, {"US", "10001"}, {"US", ""}, {"CA", "M5V"},
        {null, null}};

    /**
     * Random stock, carriers, destinations and commands (receive, adjust, reserve, confirm, channel orders, release,
     * cancel, ship, ticks): after every command, every record has non-negative quantities and reserved + committed
     * within on hand, and no command raised reserved + committed at a location by more than that location had
     * available before it (plus nothing: holds moved within a location cancel out).
     */
    @Test
    void routingNeverCommitsMoreThanALocationHasAvailable()
    {
        final AtomicInteger promised = new AtomicInteger();
        qt().withExamples(150).withShrinkCycles(10_000).forAll(scripts())
            .checkAssert(script -> neverCommitsMoreThanAvailable(script, promised));
        assertThat(promised.get()).as("confirmed shipments with a promise, whose promise was checked").isPositive();
    }

    private static void neverCommitsMoreThanAvailable(final Script script, final AtomicInteger promised)
    {
        final Random random = new Random(script.seed());
        final EngineDriver d = new EngineDriver(config(), WEDNESDAY_NOON + random.nextInt(7 * 86_400_000));
        for (int l = 0; l < LOCATIONS.length; l++)
        {
            final int priority = 1 + random.nextInt(3);
            final String id = LOCATIONS[l];
            d.apply(c -> c.defineLocation(id, location(id, priority)));
        }
        d.channel("web");
        d.channel("east", "b", "c");
        d.sku("shoe");
        d.sku("sock");
        d.sku("lace");
        d.bundle("kit", new String[] {"sock", "lace"}, new long[] {1, 2});
        for (int k = 0; k < 2; k++)
        {
            final List<ZoneSpec> zones = new ArrayList<>();
            for (final String l : LOCATIONS)
            {
                if (random.nextInt(4) > 0)
                {
                    final int min = random.nextInt(4);
                    zones.add(new ZoneSpec(l, "US", random.nextBoolean() ? "" : "9", min, min + random.nextInt(3)));
                }
            }
            final CarrierSpec carrier = new CarrierSpec("C" + k,
                List.of(new ServiceSpec("s", "S", 1 + random.nextInt(127), zones)));
            final String id = "c" + k;
            assertThat(d.apply(c -> c.defineCarrier(id, carrier)).accepted()).isTrue();
        }
        for (final String sku : new String[] {"shoe", "sock", "lace"})
        {
            for (final String l : LOCATIONS)
            {
                final int qty = random.nextInt(6);
                if (qty > 0)
                {
                    d.receive(sku, l, qty);
                }
            }
        }
        final List<Long> held = new ArrayList<>();
        final List<String[]> open = new ArrayList<>();
        int orders = 0;
        for (int step = 0; step < script.steps(); step++)
        {
            d.advanceMillis(random.nextInt(600_000));
            final long[][] before = records(d);
            final int kind = random.nextInt(10);
            final String channel = random.nextInt(3) == 0 ? "east" : "web";
            final String[] dest = DESTINATIONS[random.nextInt(DESTINATIONS.length)];
            final Outcome out;
            switch (kind)
            {
                case 0 -> out = d.receive(SKUS[random.nextInt(3)], LOCATIONS[random.nextInt(3)], 1 + random.nextInt(4));
                case 1 -> out = d.adjust(SKUS[random.nextInt(3)], LOCATIONS[random.nextInt(3)], -1 - random.nextInt(3));
                case 2, 3 ->
                {
                    out = d.apply(c ->
                    {
                        c.reserve(channel, 600 + random.nextInt(3_600));
                        for (int i = random.nextInt(3); i >= 0; i--)
                        {
                            c.addLine(SKUS[random.nextInt(SKUS.length)], 1 + random.nextInt(3));
                        }
                    });
                    if (out.accepted())
                    {
                        held.add(out.reservationId());
                    }
                }
                case 4, 5 ->
                {
                    final long id = held.isEmpty() ? 999 : held.remove(random.nextInt(held.size()));
                    final String orderId = "o" + ++orders;
                    out = d.apply(c -> c.confirm(id, orderId).destination(dest[0], dest[1]));
                    if (out.accepted())
                    {
                        open.add(new String[] {d.engine.channelId(out.channel()), orderId});
                    }
                }
                case 6 ->
                {
                    final String orderId = "m" + ++orders;
                    out = d.apply(c -> c.order(channel, orderId).addLine(SKUS[random.nextInt(SKUS.length)],
                        1 + random.nextInt(4)).destination(dest[0], dest[1]));
                    open.add(new String[] {channel, orderId});
                }
                case 7 -> out = held.isEmpty() ? d.tick() : d.release(held.remove(random.nextInt(held.size())));
                case 8 ->
                {
                    if (open.isEmpty())
                    {
                        out = d.tick();
                    }
                    else
                    {
                        final String[] order = open.remove(random.nextInt(open.size()));
                        out = random.nextBoolean() ? d.ship(order[0], order[1]) : d.cancel(order[0], order[1]);
                    }
                }
                default -> out = d.tick();
            }
            final String where = "step " + step + " " + d.lastCommand() + " -> " + d.describe(out);
            final long[][] after = records(d);
            for (int r = 0; r < after.length; r++)
            {
                final long onHand = after[r][0];
                final long reserved = after[r][1];
                final long committed = after[r][2];
                assertThat(onHand).as(where).isGreaterThanOrEqualTo(0);
                assertThat(reserved).as(where).isGreaterThanOrEqualTo(0);
                assertThat(committed).as(where).isGreaterThanOrEqualTo(0);
                assertThat(reserved + committed).as("allocated within on hand, record %d, %s", r, where)
                    .isLessThanOrEqualTo(onHand);
                final long raised = reserved + committed - before[r][1] - before[r][2];
                final long availableBefore = Math.max(0, before[r][0] - before[r][1] - before[r][2] - before[r][3]);
                assertThat(raised).as("raised at record %d beyond its available, %s", r, where)
                    .isLessThanOrEqualTo(availableBefore);
            }
            if (out.accepted() && d.lastCommand().type() == CommandType.CONFIRM)
            {
                final int shipped = (int)d.allocations(out).keySet().stream().map(k -> k.split("@")[1]).distinct()
                    .count();
                assertThat(out.shipmentCount()).as(where).isEqualTo(shipped);
                for (int i = 0; i < out.shipmentCount(); i++)
                {
                    if (out.shipmentHasPromise(i))
                    {
                        promised.incrementAndGet();
                        assertThat(dest[0]).as(where).isEqualTo("US");
                        assertThat(out.shipmentEarliestMillis(i)).as(where).isLessThan(out.shipmentLatestMillis(i));
                        assertThat(out.shipmentOrderByMillis(i)).as(where).isGreaterThan(d.now());
                    }
                }
            }
        }
    }

    /** Per (sku, location) record: on hand, reserved, committed, safety. */
    private static long[][] records(final EngineDriver d)
    {
        final long[][] records = new long[3 * LOCATIONS.length][];
        int r = 0;
        for (int s = 0; s < 3; s++)
        {
            for (final String l : LOCATIONS)
            {
                final StockView view = d.stock(SKUS[s], l);
                records[r++] = new long[] {view.onHand(), view.reserved(), view.committed(), view.safety()};
            }
        }
        return records;
    }
}
