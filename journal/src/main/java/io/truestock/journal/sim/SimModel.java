package io.truestock.journal.sim;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.OrderStatus;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import io.truestock.engine.StockView;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator's independent model of the domain contract: the counting rules of DESIGN.md written again as plainly
 * as they read (arrays of counters, maps of reservations and orders, a map of remembered keys), sharing no code with
 * the engine. It predicts every outcome it can (accepted or the reason, quantities, holds, backorders, expiries);
 * where the engine makes a choice the contract leaves open (which location routing ships from) it takes the engine's
 * answer only after checking that the answer is legal. {@link #check} then compares every counter and published
 * value with the engine.
 */
final class SimModel
{
    /** A reservation as the model knows it. */
    static final class Res
    {
        final long id;
        final int channel;
        long expiresAt;
        ReservationStatus status = ReservationStatus.HELD;
        String orderId;
        final List<long[]> holds = new ArrayList<>();
        final Map<Integer, Long> demand = new TreeMap<>();

        Res(final long id, final int channel, final long expiresAt)
        {
            this.id = id;
            this.channel = channel;
            this.expiresAt = expiresAt;
        }
    }

    /** An order as the model knows it: where its units are committed. */
    static final class Ord
    {
        final String request;
        OrderStatus status = OrderStatus.CONFIRMED;
        final List<long[]> allocations = new ArrayList<>();

        Ord(final String request)
        {
            this.request = request;
        }
    }

    private record Remembered(String key, String request, long at, String outcome)
    {
    }

    private final SimCatalog catalog;
    private final int skus;
    private final int locations;
    private final long maxLineQuantity;
    private final long maxOnHand;
    private final int maxTtlSeconds;
    private final long windowMillis;
    final long[] onHand;
    final long[] reserved;
    final long[] committed;
    final long[] safety;
    private final long[] receipts;
    private final long[] shipments;
    private final long[] adjustments;
    private final long[] lastAllocated;
    private final ChannelSpec[] channels;
    private final Map<Long, Res> reservations = new HashMap<>();
    private final Map<String, Ord> orders = new HashMap<>();
    private final Map<String, Remembered> keys = new HashMap<>();
    private final ArrayDeque<Remembered> keysByAge = new ArrayDeque<>();
    private long unitsReserved;
    private long unitsReleased;
    private long unitsExpired;
    private long unitsConfirmed;
    private long unitsCommitted;
    private long unitsShipped;
    private long unitsCancelled;
    private final StockView stockView = new StockView();
    private final ChannelView channelView = new ChannelView();

    SimModel(final SimCatalog catalog, final long maxLineQuantity, final long maxOnHand, final int maxTtlSeconds,
        final long windowMillis)
    {
        this.catalog = catalog;
        this.skus = catalog.skus().length;
        this.locations = catalog.locations().length;
        this.maxLineQuantity = maxLineQuantity;
        this.maxOnHand = maxOnHand;
        this.maxTtlSeconds = maxTtlSeconds;
        this.windowMillis = windowMillis;
        final int cells = skus * locations;
        onHand = new long[cells];
        reserved = new long[cells];
        committed = new long[cells];
        safety = new long[cells];
        receipts = new long[cells];
        shipments = new long[cells];
        adjustments = new long[cells];
        lastAllocated = new long[cells];
        channels = catalog.initialChannels().clone();
    }

    private int cell(final int sku, final int location)
    {
        return sku * locations + location;
    }

    // ---- the counting rules ----

    private long available(final int cell)
    {
        return onHand[cell] - reserved[cell] - committed[cell] - safety[cell];
    }

    /** Sum over the channel's locations of each location's available, never below 0. */
    long pool(final int sku, final int channel)
    {
        long sum = 0;
        for (final int l : catalog.channelLocations(channel))
        {
            sum += Math.max(0, available(cell(sku, l)));
        }
        return sum;
    }

    /** clamp(floor(pool * percent / 100) - buffer, 0, max_listed). */
    long published(final int sku, final int channel)
    {
        final ChannelSpec spec = channels[channel];
        long value = pool(sku, channel) * spec.percent() / 100 - spec.buffer();
        value = Math.max(0, value);
        return spec.maxListed() == ChannelSpec.UNLIMITED ? value : Math.min(value, spec.maxListed());
    }

    // ---- applying one command with the engine's outcome ----

    /**
     * Predicts the command's outcome, compares it with the engine's and moves the model on. {@code c} is stamped
     * (its timestamp is the command's instant).
     */
    void apply(final Command c, final Outcome out, final Events events)
    {
        final long now = c.timestampMillis();
        String key = null;
        String request = null;
        if (c.idempotencyKey() != null)
        {
            forgetKeysBefore(now);
            key = c.principal() + '\u0000' + c.idempotencyKey();
            request = requestOf(c);
            final Remembered first = keys.get(key);
            if (first != null)
            {
                if (first.request.equals(request))
                {
                    expect(out.replayed(), "a retry with key " + c.idempotencyKey() + " is answered as a replay", out);
                    final String again = SimText.outcome(out);
                    expect(again.equals(first.outcome), "a retry returns the first outcome: first " + first.outcome +
                        ", retry " + again, out);
                }
                else
                {
                    expectReject(out, RejectReason.IDEMPOTENCY_CONFLICT);
                }
                return;
            }
        }
        switch (c.type())
        {
            case RECEIVE -> receive(c, out);
            case ADJUST -> adjust(c, out);
            case SET -> set(c, out);
            case RESERVE -> reserve(c, out, now);
            case EXTEND -> extend(c, out, now);
            case RELEASE -> release(c, out, now);
            case TICK -> tick(out, events, now);
            case CONFIRM -> confirm(c, out, now);
            case ORDER -> order(c, out);
            case CANCEL, SHIP -> close(c, out);
            case DEFINE_CHANNEL ->
            {
                expect(out.accepted(), "a channel redefinition is accepted", out);
                channels[catalog.channelIndex(c.channel())] = c.channelSpec();
            }
            case DEFINE_LOCATION, DEFINE_SKU, DEFINE_PRICES, DEFINE_CARRIER ->
                expect(out.accepted(), "a redefinition is accepted", out);
            default -> throw new SimViolation("the model does not know command type " + c.type());
        }
        if (key != null)
        {
            final Remembered remembered = new Remembered(key, request, now, SimText.outcome(out));
            keys.put(key, remembered);
            keysByAge.addLast(remembered);
        }
    }

    /** A query: answered from the state as it is, never journaled. */
    void query(final Command c, final Outcome out)
    {
        if (c.type() == CommandType.QUERY_RESERVATION)
        {
            final Res r = reservations.get(c.reservationId());
            if (r == null)
            {
                expectReject(out, RejectReason.RESERVATION_NOT_FOUND);
                return;
            }
            expect(out.accepted() && out.reservationStatus() == r.status, "reservation " + r.id + " is " + r.status,
                out);
            return;
        }
        final Ord order = orders.get(c.channel() + '/' + c.orderId());
        if (order == null)
        {
            expectReject(out, RejectReason.ORDER_NOT_FOUND);
            return;
        }
        expect(out.accepted() && out.orderStatus() == order.status, "order " + c.orderId() + " is " + order.status, out);
    }

    /** Whether the key of {@code c} is still remembered at {@code now}. */
    boolean remembers(final Command c, final long now)
    {
        final Remembered r = keys.get(c.principal() + '\u0000' + c.idempotencyKey());
        return r != null && r.at > now - windowMillis;
    }

    private void forgetKeysBefore(final long now)
    {
        Remembered oldest;
        while ((oldest = keysByAge.peekFirst()) != null && oldest.at <= now - windowMillis)
        {
            keysByAge.pollFirst();
            keys.remove(oldest.key);
        }
    }

    private void receive(final Command c, final Outcome out)
    {
        final int at = stockCell(c, out);
        if (at < 0)
        {
            return;
        }
        final long qty = c.quantity();
        if (qty < 1 || qty > maxLineQuantity)
        {
            expectReject(out, RejectReason.INVALID_QUANTITY);
            return;
        }
        if (onHand[at] > maxOnHand - qty)
        {
            expectReject(out, RejectReason.QUANTITY_LIMIT);
            return;
        }
        expect(out.accepted(), "receive is accepted", out);
        onHand[at] += qty;
        receipts[at] += qty;
        expect(out.onHand() == onHand[at], "receive answers on_hand " + onHand[at], out);
    }

    private void adjust(final Command c, final Outcome out)
    {
        final int at = stockCell(c, out);
        if (at < 0)
        {
            return;
        }
        final long delta = c.quantity();
        if (delta == 0 || delta < -maxOnHand || delta > maxLineQuantity)
        {
            expectReject(out, RejectReason.INVALID_QUANTITY);
            return;
        }
        if (delta > 0 && onHand[at] > maxOnHand - delta)
        {
            expectReject(out, RejectReason.QUANTITY_LIMIT);
            return;
        }
        if (onHand[at] + delta < reserved[at] + committed[at])
        {
            expectReject(out, RejectReason.BELOW_ALLOCATED);
            return;
        }
        expect(out.accepted(), "adjust is accepted", out);
        onHand[at] += delta;
        adjustments[at] += delta;
        expect(out.onHand() == onHand[at], "adjust answers on_hand " + onHand[at], out);
    }

    private void set(final Command c, final Outcome out)
    {
        final int at = stockCell(c, out);
        if (at < 0)
        {
            return;
        }
        final boolean setsOnHand = c.quantity() != Command.ABSENT;
        final boolean setsSafety = c.safety() != Command.ABSENT;
        if ((!setsOnHand && !setsSafety) || (setsOnHand && (c.quantity() < 0 || c.quantity() > maxOnHand)) ||
            (setsSafety && (c.safety() < 0 || c.safety() > maxOnHand)) ||
            (c.expected() != Command.ABSENT && c.expected() < 0))
        {
            expectReject(out, RejectReason.INVALID_QUANTITY);
            return;
        }
        if (c.expected() != Command.ABSENT && c.expected() != onHand[at])
        {
            expectReject(out, RejectReason.EXPECTED_MISMATCH);
            return;
        }
        if (setsOnHand && c.quantity() < reserved[at] + committed[at])
        {
            expectReject(out, RejectReason.BELOW_ALLOCATED);
            return;
        }
        expect(out.accepted(), "set is accepted", out);
        if (setsOnHand)
        {
            adjustments[at] += c.quantity() - onHand[at];
            onHand[at] = c.quantity();
        }
        if (setsSafety)
        {
            safety[at] = c.safety();
        }
    }

    private int stockCell(final Command c, final Outcome out)
    {
        final int s = catalog.skuIndex(c.sku());
        if (s < 0)
        {
            expectReject(out, RejectReason.UNKNOWN_SKU);
            return -1;
        }
        final int l = catalog.locationIndex(c.location());
        if (l < 0)
        {
            expectReject(out, RejectReason.UNKNOWN_LOCATION);
            return -1;
        }
        return cell(s, l);
    }

    /** Demand per SKU in order of first appearance, or null after expecting the rejection of a bad line. */
    private Map<Integer, Long> demand(final Command c, final Outcome out)
    {
        if (c.lineCount() == 0)
        {
            expectReject(out, RejectReason.INVALID_LINES);
            return null;
        }
        final Map<Integer, Long> demand = new java.util.LinkedHashMap<>();
        for (int i = 0; i < c.lineCount(); i++)
        {
            final int s = catalog.skuIndex(c.lineSku(i));
            if (s < 0)
            {
                expectReject(out, RejectReason.UNKNOWN_SKU);
                return null;
            }
            if (c.lineQuantity(i) < 1 || c.lineQuantity(i) > maxLineQuantity)
            {
                expectReject(out, RejectReason.INVALID_QUANTITY);
                return null;
            }
            demand.merge(s, c.lineQuantity(i), Long::sum);
        }
        return demand;
    }

    private void reserve(final Command c, final Outcome out, final long now)
    {
        final int ch = catalog.channelIndex(c.channel());
        if (ch < 0)
        {
            expectReject(out, RejectReason.UNKNOWN_CHANNEL);
            return;
        }
        if (c.ttlSeconds() < 1 || c.ttlSeconds() > maxTtlSeconds)
        {
            expectReject(out, RejectReason.INVALID_TTL);
            return;
        }
        final Map<Integer, Long> demand = demand(c, out);
        if (demand == null)
        {
            return;
        }
        for (final Map.Entry<Integer, Long> d : demand.entrySet())
        {
            if (pool(d.getKey(), ch) < d.getValue())
            {
                expectReject(out, RejectReason.OUT_OF_STOCK);
                return;
            }
        }
        expect(out.accepted(), "reserve with enough in every pool is accepted", out);
        expect(!reservations.containsKey(out.reservationId()) && out.reservationId() > 0,
            "a new reservation gets a new id", out);
        final Res r = new Res(out.reservationId(), ch, now + c.ttlSeconds() * 1000L);
        for (final Map.Entry<Integer, Long> d : demand.entrySet())
        {
            final int s = d.getKey();
            long left = d.getValue();
            r.demand.put(s, left);
            for (final int l : catalog.channelLocations(ch))
            {
                final long take = Math.min(left, Math.max(0, available(cell(s, l))));
                if (take > 0)
                {
                    r.holds.add(new long[] {s, l, take});
                    reserved[cell(s, l)] += take;
                    unitsReserved += take;
                    left -= take;
                }
            }
        }
        expect(out.expiresAtMillis() == r.expiresAt, "the reservation expires at " + r.expiresAt, out);
        expect(SimText.allocations(out).equals(SimText.triples(r.holds)),
            "units are held in the channel's location order: " + SimText.triples(r.holds), out);
        reservations.put(r.id, r);
    }

    /** The reservation if held and live, else null after expecting the rejection the contract gives. */
    private Res held(final Command c, final Outcome out, final long now)
    {
        final Res r = reservations.get(c.reservationId());
        if (r == null)
        {
            expectReject(out, RejectReason.RESERVATION_NOT_FOUND);
            return null;
        }
        if (r.status == ReservationStatus.EXPIRED || (r.status == ReservationStatus.HELD && now >= r.expiresAt))
        {
            expectReject(out, RejectReason.RESERVATION_EXPIRED);
            return null;
        }
        if (r.status != ReservationStatus.HELD)
        {
            expectReject(out, RejectReason.RESERVATION_NOT_HELD);
            return null;
        }
        return r;
    }

    private void extend(final Command c, final Outcome out, final long now)
    {
        if (c.ttlSeconds() < 1 || c.ttlSeconds() > maxTtlSeconds)
        {
            expectReject(out, RejectReason.INVALID_TTL);
            return;
        }
        final Res r = held(c, out, now);
        if (r != null)
        {
            expect(out.accepted(), "extending a held reservation is accepted", out);
            r.expiresAt = now + c.ttlSeconds() * 1000L;
            expect(out.expiresAtMillis() == r.expiresAt, "the reservation now expires at " + r.expiresAt, out);
        }
    }

    private void release(final Command c, final Outcome out, final long now)
    {
        final Res r = held(c, out, now);
        if (r != null)
        {
            expect(out.accepted(), "releasing a held reservation is accepted", out);
            unitsReleased += resolve(r, ReservationStatus.RELEASED);
        }
    }

    private void tick(final Outcome out, final Events events, final long now)
    {
        expect(out.accepted(), "a tick is accepted", out);
        final List<Long> due = new ArrayList<>();
        for (final Res r : reservations.values())
        {
            if (r.status == ReservationStatus.HELD && r.expiresAt <= now)
            {
                due.add(r.id);
            }
        }
        final List<Long> expired = new ArrayList<>();
        for (int i = 0; i < events.expiredCount(); i++)
        {
            expired.add(events.expiredReservation(i));
        }
        due.sort(null);
        expired.sort(null);
        expect(due.equals(expired), "the tick expires exactly the reservations due: " + due + ", engine " + expired, out);
        for (final long id : due)
        {
            unitsExpired += resolve(reservations.get(id), ReservationStatus.EXPIRED);
        }
    }

    /** A tick whose events were never seen (it was applied only by recovery): the due reservations expire. */
    void tickUnobserved(final long now)
    {
        for (final Res r : reservations.values())
        {
            if (r.status == ReservationStatus.HELD && r.expiresAt <= now)
            {
                unitsExpired += resolve(r, ReservationStatus.EXPIRED);
            }
        }
    }

    /** Gives back a held reservation's units; a reservation resolves once. @return the units it held. */
    private long resolve(final Res r, final ReservationStatus to)
    {
        if (r.status != ReservationStatus.HELD)
        {
            throw new SimViolation("reservation " + r.id + " resolved twice: " + r.status + " then " + to);
        }
        long units = 0;
        for (final long[] h : r.holds)
        {
            reserved[cell((int)h[0], (int)h[1])] -= h[2];
            units += h[2];
        }
        r.status = to;
        return units;
    }

    private void confirm(final Command c, final Outcome out, final long now)
    {
        final Res prior = reservations.get(c.reservationId());
        if (prior != null && prior.status == ReservationStatus.CONFIRMED && c.orderId().equals(prior.orderId))
        {
            expect(out.accepted() && out.duplicate(), "confirming again into the same order answers that order", out);
            return;
        }
        final Res r = held(c, out, now);
        if (r == null)
        {
            return;
        }
        final String orderKey = catalog.channels()[r.channel] + '/' + c.orderId();
        if (orders.containsKey(orderKey))
        {
            expectReject(out, RejectReason.ORDER_EXISTS);
            return;
        }
        expect(out.accepted(), "confirming a held reservation is accepted", out);
        final Ord order = new Ord(null);
        takeAllocations(out, r.channel, r.demand, order);
        unitsConfirmed += resolve(r, ReservationStatus.CONFIRMED);
        r.orderId = c.orderId();
        commit(order);
        orders.put(orderKey, order);
    }

    private void order(final Command c, final Outcome out)
    {
        final int ch = catalog.channelIndex(c.channel());
        if (ch < 0)
        {
            expectReject(out, RejectReason.UNKNOWN_CHANNEL);
            return;
        }
        final Map<Integer, Long> demand = demand(c, out);
        if (demand == null)
        {
            return;
        }
        final String orderKey = c.channel() + '/' + c.orderId();
        final String request = orderRequestOf(c);
        final Ord existing = orders.get(orderKey);
        if (existing != null)
        {
            if (request.equals(existing.request))
            {
                expect(out.accepted() && out.duplicate(), "a redelivered order answers the first", out);
            }
            else
            {
                expectReject(out, RejectReason.ORDER_EXISTS);
            }
            return;
        }
        expect(out.accepted(), "a channel's order is never refused", out);
        final Map<Integer, Long> poolLeft = new HashMap<>();
        final Map<Integer, Long> units = new java.util.LinkedHashMap<>();
        for (int i = 0; i < c.lineCount(); i++)
        {
            final int s = catalog.skuIndex(c.lineSku(i));
            final long left = poolLeft.computeIfAbsent(s, k -> pool(k, ch));
            final long take = Math.min(c.lineQuantity(i), left);
            poolLeft.put(s, left - take);
            units.merge(s, take, Long::sum);
            expect(out.lineBackordered(i) == c.lineQuantity(i) - take, "line " + i + " backorders " +
                (c.lineQuantity(i) - take), out);
        }
        final Ord order = new Ord(request);
        takeAllocations(out, ch, units, order);
        commit(order);
        orders.put(orderKey, order);
    }

    /** Checks that routing's allocations ship exactly {@code units} per SKU from the channel's locations. */
    private void takeAllocations(final Outcome out, final int ch, final Map<Integer, Long> units, final Ord order)
    {
        final Map<Integer, Long> shipped = new HashMap<>();
        final int[] allowed = catalog.channelLocations(ch);
        for (int i = 0; i < out.allocationCount(); i++)
        {
            final int l = out.allocationLocation(i);
            expect(Arrays.stream(allowed).anyMatch(a -> a == l) && out.allocationQty(i) > 0,
                "allocations are positive and at the channel's locations", out);
            shipped.merge(out.allocationSku(i), out.allocationQty(i), Long::sum);
            order.allocations.add(new long[] {out.allocationSku(i), l, out.allocationQty(i)});
        }
        final Map<Integer, Long> wanted = new HashMap<>();
        units.forEach((s, q) ->
        {
            if (q > 0)
            {
                wanted.put(s, q);
            }
        });
        expect(shipped.equals(wanted), "routing ships exactly the units sold " + wanted + ", got " + shipped, out);
    }

    private void commit(final Ord order)
    {
        for (final long[] a : order.allocations)
        {
            committed[cell((int)a[0], (int)a[1])] += a[2];
            unitsCommitted += a[2];
        }
    }

    private void close(final Command c, final Outcome out)
    {
        final Ord order = orders.get(c.channel() + '/' + c.orderId());
        if (order == null)
        {
            expectReject(out, RejectReason.ORDER_NOT_FOUND);
            return;
        }
        if (order.status != OrderStatus.CONFIRMED)
        {
            expectReject(out, RejectReason.ORDER_NOT_OPEN);
            return;
        }
        expect(out.accepted(), c.type() + " of an open order is accepted", out);
        final boolean ship = c.type() == CommandType.SHIP;
        for (final long[] a : order.allocations)
        {
            final int at = cell((int)a[0], (int)a[1]);
            committed[at] -= a[2];
            if (ship)
            {
                onHand[at] -= a[2];
                shipments[at] += a[2];
                unitsShipped += a[2];
            }
            else
            {
                unitsCancelled += a[2];
            }
        }
        order.status = ship ? OrderStatus.SHIPPED : OrderStatus.CANCELLED;
    }

    // ---- comparing with the engine ----

    /**
     * Compares every counter and published value with the engine and checks the contract's invariants: counters
     * never negative, no oversell, conservation of units, each channel's number from the formula.
     */
    void check(final Engine engine)
    {
        long sumReserved = 0;
        long sumCommitted = 0;
        for (int s = 0; s < skus; s++)
        {
            for (int l = 0; l < locations; l++)
            {
                final int at = cell(s, l);
                engine.readStock(s, l, stockView);
                if (stockView.onHand() != onHand[at] || stockView.reserved() != reserved[at] ||
                    stockView.committed() != committed[at] || stockView.safety() != safety[at])
                {
                    throw new SimViolation("stock of " + catalog.skus()[s] + "@" + catalog.locations()[l] + ": engine " +
                        stockView.onHand() + "/" + stockView.reserved() + "/" + stockView.committed() + "/" +
                        stockView.safety() + ", model " + onHand[at] + "/" + reserved[at] + "/" + committed[at] + "/" +
                        safety[at] + " (on_hand/reserved/committed/safety)");
                }
                if (onHand[at] < 0 || reserved[at] < 0 || committed[at] < 0)
                {
                    throw new SimViolation("a counter below zero at " + catalog.skus()[s] + "@" + catalog.locations()[l]);
                }
                final long allocated = reserved[at] + committed[at];
                if (allocated > lastAllocated[at] && allocated > onHand[at] - safety[at])
                {
                    throw new SimViolation("oversell at " + catalog.skus()[s] + "@" + catalog.locations()[l] +
                        ": reserved + committed " + allocated + " > on_hand - safety " + (onHand[at] - safety[at]));
                }
                lastAllocated[at] = allocated;
                if (onHand[at] != receipts[at] - shipments[at] + adjustments[at])
                {
                    throw new SimViolation("on_hand is not receipts - shipments + adjustments at " + catalog.skus()[s] +
                        "@" + catalog.locations()[l]);
                }
                sumReserved += reserved[at];
                sumCommitted += committed[at];
            }
            for (int ch = 0; ch < channels.length; ch++)
            {
                engine.readChannel(s, ch, channelView);
                final long expected = published(s, ch);
                if (channelView.available() != expected || channelView.version() > engine.lastSequence())
                {
                    throw new SimViolation("channel " + catalog.channels()[ch] + " publishes " + channelView.available() +
                        " at version " + channelView.version() + " for " + catalog.skus()[s] + "; the formula gives " +
                        expected + " (engine at " + engine.lastSequence() + ")");
                }
            }
        }
        if (sumReserved != unitsReserved - unitsReleased - unitsExpired - unitsConfirmed)
        {
            throw new SimViolation("reserved units not conserved: " + sumReserved + " held, " + unitsReserved +
                " reserved - " + unitsReleased + " released - " + unitsExpired + " expired - " + unitsConfirmed +
                " confirmed");
        }
        if (sumCommitted != unitsCommitted - unitsShipped - unitsCancelled)
        {
            throw new SimViolation("committed units not conserved: " + sumCommitted + " committed, " + unitsCommitted +
                " in - " + unitsShipped + " shipped - " + unitsCancelled + " cancelled");
        }
    }

    private static String requestOf(final Command c)
    {
        return c.type() + "|" + c.sku() + "|" + c.location() + "|" + c.channel() + "|" + c.quantity() + "|" +
            c.expected() + "|" + c.safety() + "|" + c.ttlSeconds() + "|" + c.reservationId() + "|" + c.orderId() + "|" +
            c.destinationCountry() + "|" + c.destinationPostalCode() + "|" + c.reason() + "|" + c.reference() + "|" +
            SimText.lines(c) + "|" + c.locationSpec() + "|" + c.channelSpec() + "|" + c.skuSpec() + "|" +
            c.priceSpec() + "|" + c.carrier() + "|" + c.carrierSpec();
    }

    /** What makes a channel's order the same order again: everything but who sent it, when and under which key. */
    private static String orderRequestOf(final Command c)
    {
        return c.channel() + "|" + c.orderId() + "|" + SimText.lines(c) + "|" + c.destinationCountry() + "|" +
            c.destinationPostalCode() + "|" + c.reason() + "|" + c.reference();
    }

    private static void expectReject(final Outcome out, final RejectReason reason)
    {
        if (out.accepted() || out.reason() != reason)
        {
            throw new SimViolation("expected rejection " + reason + ", engine answered " + SimText.outcome(out));
        }
    }

    private static void expect(final boolean condition, final String what, final Outcome out)
    {
        if (!condition)
        {
            throw new SimViolation("expected: " + what + "; engine answered " + SimText.outcome(out));
        }
    }
}
