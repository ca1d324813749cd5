package io.truestock.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.gateway.crash.HttpCalls.Reply;
import io.truestock.gateway.crash.Workload.Call;
import io.truestock.gateway.crash.Workload.Kind;
import io.truestock.gateway.crash.Workload.Line;
import io.truestock.gateway.crash.Workload.Request;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the clients were told, and what a recovered server must therefore show. A command that was answered is
 * settled: accepted ones must all be there, rejected ones changed nothing. A command that was sent but never
 * answered may or may not have been applied, but only whole: each of them widens what is allowed by exactly its
 * own effect, and nothing else.
 */
final class AcknowledgedHistory
{
    /** Past the last short-lived reservation's expiry, room for the ticker's next round. */
    private static final long EXPIRY_MARGIN_MILLIS = 500;
    private static final long EXPIRY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_AUDIT_PAGES = 1000;

    private final TreeMap<Long, ExpectedReservation> reservations = new TreeMap<>();
    private final List<Request> unansweredReserves = new ArrayList<>();
    private final Map<String, ExpectedOrder> orders = new LinkedHashMap<>();
    private final Map<String, PossibleOrder> possibleOrders = new LinkedHashMap<>();
    private final Map<String, Long> settledStockDelta = new TreeMap<>();
    private final Map<String, List<Long>> unsettledStockDeltas = new TreeMap<>();
    private final List<Call> keyedAnswers = new ArrayList<>();
    private final List<Call> acceptedStockChanges = new ArrayList<>();
    private final List<Call> acceptedChannelOrders = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final long endedAtMillis;
    private final Map<String, Integer> recoveredStatuses = new TreeMap<>();
    private int answered;
    private int unanswered;

    private static final class ExpectedReservation
    {
        final long id;
        final String channel;
        final List<Line> lines;
        final Set<String> statuses = new TreeSet<>(Set.of("held"));
        /** Null once an extension lost its answer: either expiry is then possible. */
        String expiresAt;
        String orderId;

        ExpectedReservation(final long id, final String channel, final List<Line> lines, final String expiresAt)
        {
            this.id = id;
            this.channel = channel;
            this.lines = lines;
            this.expiresAt = expiresAt;
        }
    }

    private static final class ExpectedOrder
    {
        final String channel;
        final String orderId;
        final JsonNode created;
        final Set<String> statuses = new TreeSet<>(Set.of("confirmed"));

        ExpectedOrder(final String channel, final String orderId, final JsonNode created)
        {
            this.channel = channel;
            this.orderId = orderId;
            this.created = created;
        }
    }

    /** An order whose creation was never answered; {@code reservationId} is set for a confirmation. */
    private record PossibleOrder(String channel, String orderId, List<Line> lines, Long reservationId)
    {
    }

    private AcknowledgedHistory(final long endedAtMillis)
    {
        this.endedAtMillis = endedAtMillis;
    }

    /**
     * Builds the expectations from every call, each client's calls in the order it made them.
     *
     * @param endedAtMillis when the run ended: no command of it was stamped later.
     */
    static AcknowledgedHistory of(final List<Call> calls, final long endedAtMillis)
    {
        final AcknowledgedHistory history = new AcknowledgedHistory(endedAtMillis);
        calls.forEach(history::learn);
        return history;
    }

    int answered()
    {
        return answered;
    }

    int unanswered()
    {
        return unanswered;
    }

    int reservationCount()
    {
        return reservations.size();
    }

    int orderCount()
    {
        return orders.size();
    }

    /** How many reservations and orders the last check found in each status. */
    Map<String, Integer> recoveredStatuses()
    {
        return recoveredStatuses;
    }

    private static String orderKey(final String channel, final String orderId)
    {
        return channel + '/' + orderId;
    }

    private static String stockKey(final String sku, final String location)
    {
        return sku + '@' + location;
    }

    static long reservationNumber(final String id)
    {
        return Long.parseLong(id.substring("r-".length()));
    }

    private void learn(final Call call)
    {
        final Request request = call.request();
        final Reply reply = call.reply();
        if (reply == null)
        {
            unanswered++;
            learnUnanswered(request);
            return;
        }
        answered++;
        if (reply.status() >= 500 && reply.status() != 503)
        {
            problems.add("unexpected answer " + reply.status() + " to " + request.method() + " " + request.path() +
                ": " + reply.body());
        }
        if (request.key() != null && reply.status() != 503)
        {
            keyedAnswers.add(call);
        }
        if (!call.accepted())
        {
            return;
        }
        final JsonNode body = reply.json();
        if (request.kind() != Kind.ORDER && request.kind() != Kind.EXTEND)
        {
            acceptedStockChanges.add(call);
        }
        switch (request.kind())
        {
            case RECEIVE, ADJUST -> settledStockDelta.merge(stockKey(request.sku(), request.location()),
                request.quantity(), Long::sum);
            case RESERVE ->
            {
                final long id = reservationNumber(body.path("id").asText());
                if (!sameLines(body.path("lines"), request.lines()))
                {
                    problems.add("reservation r-" + id + " was answered with other lines than requested: " + body);
                }
                final ExpectedReservation reservation = new ExpectedReservation(id, request.channel(), request.lines(),
                    body.path("expires_at").asText());
                if (expiresSoon(request))
                {
                    reservation.statuses.add("expired");
                }
                reservations.put(id, reservation);
            }
            case EXTEND ->
            {
                final ExpectedReservation reservation = reservations.get(reservationNumber(request.reservationId()));
                reservation.expiresAt = body.path("expires_at").asText();
                reservation.statuses.clear();
                reservation.statuses.add("held");
                if (expiresSoon(request))
                {
                    reservation.statuses.add("expired");
                }
            }
            case CONFIRM ->
            {
                final ExpectedReservation reservation = reservations.get(reservationNumber(request.reservationId()));
                reservation.statuses.clear();
                reservation.statuses.add("confirmed");
                reservation.orderId = request.orderId();
                orders.put(orderKey(request.channel(), request.orderId()),
                    new ExpectedOrder(request.channel(), request.orderId(), body));
            }
            case RELEASE ->
            {
                final ExpectedReservation reservation = reservations.get(reservationNumber(request.reservationId()));
                reservation.statuses.clear();
                reservation.statuses.add("released");
            }
            case ORDER ->
            {
                orders.put(orderKey(request.channel(), request.orderId()),
                    new ExpectedOrder(request.channel(), request.orderId(), body));
                acceptedChannelOrders.add(call);
            }
            case CANCEL, SHIP ->
            {
                final ExpectedOrder order = orders.get(orderKey(request.channel(), request.orderId()));
                order.statuses.clear();
                order.statuses.add(request.kind() == Kind.CANCEL ? "cancelled" : "shipped");
            }
            default -> throw new IllegalStateException("unknown kind " + request.kind());
        }
    }

    /** The request's whole effect is allowed, or none of it. */
    private void learnUnanswered(final Request request)
    {
        switch (request.kind())
        {
            case RECEIVE, ADJUST -> unsettledStockDeltas.computeIfAbsent(stockKey(request.sku(), request.location()),
                k -> new ArrayList<>()).add(request.quantity());
            case RESERVE -> unansweredReserves.add(request);
            case EXTEND ->
            {
                final ExpectedReservation reservation = reservations.get(reservationNumber(request.reservationId()));
                reservation.expiresAt = null;
                if (expiresSoon(request))
                {
                    reservation.statuses.add("expired");
                }
            }
            case CONFIRM ->
            {
                final ExpectedReservation reservation = reservations.get(reservationNumber(request.reservationId()));
                reservation.statuses.add("confirmed");
                reservation.orderId = request.orderId();
                possibleOrders.put(orderKey(request.channel(), request.orderId()), new PossibleOrder(request.channel(),
                    request.orderId(), request.lines(), reservation.id));
            }
            case RELEASE -> reservations.get(reservationNumber(request.reservationId())).statuses.add("released");
            case ORDER -> possibleOrders.put(orderKey(request.channel(), request.orderId()),
                new PossibleOrder(request.channel(), request.orderId(), request.lines(), null));
            case CANCEL, SHIP -> orders.get(orderKey(request.channel(), request.orderId())).statuses
                .add(request.kind() == Kind.CANCEL ? "cancelled" : "shipped");
            default -> throw new IllegalStateException("unknown kind " + request.kind());
        }
    }

    private static boolean sameLines(final JsonNode json, final List<Line> lines)
    {
        if (!json.isArray() || json.size() != lines.size())
        {
            return false;
        }
        for (int i = 0; i < lines.size(); i++)
        {
            if (!json.get(i).path("sku").asText().equals(lines.get(i).sku()) ||
                json.get(i).path("qty").asLong() != lines.get(i).qty())
            {
                return false;
            }
        }
        return true;
    }

    /** Units of each plain SKU that {@code lines} take, bundles counted as their components. */
    private static Map<String, Long> unitsOf(final List<Line> lines)
    {
        final Map<String, Long> units = new HashMap<>();
        for (final Line line : lines)
        {
            final Map<String, Long> parts = Workload.BUNDLES.get(line.sku());
            if (parts == null)
            {
                units.merge(line.sku(), line.qty(), Long::sum);
            }
            else
            {
                parts.forEach((part, qty) -> units.merge(part, qty * line.qty(), Long::sum));
            }
        }
        return units;
    }

    private static List<Line> linesOf(final JsonNode json)
    {
        final List<Line> lines = new ArrayList<>();
        for (final JsonNode line : json)
        {
            lines.add(new Line(line.path("sku").asText(), line.path("qty").asLong()));
        }
        return lines;
    }

    // ---- the checks ----

    /**
     * Checks the recovered server against the history: every answered command is there as answered, no
     * unanswered one is half there, and the counters add up to exactly what the reservations and orders hold.
     */
    void checkRecovered(final HttpCalls http)
    {
        final List<String> found = new ArrayList<>(problems);
        final Map<String, Long> heldUnits = checkReservations(http, found);
        final Map<String, Long> committed = new HashMap<>();
        final Map<String, Long> shipped = new HashMap<>();
        checkOrders(http, found, committed, shipped);
        checkStock(http, found, heldUnits, committed, shipped);
        checkAuditTrail(http, found);
        assertThat(found).as("what the recovered server shows against what the clients were told").isEmpty();
    }

    /** A reservation or extension whose ttl runs out within seconds. */
    private static boolean expiresSoon(final Request request)
    {
        return request.quantity() <= Workload.MAX_SHORT_TTL_SECONDS;
    }

    /**
     * Every reservation id up to one past the last possible, read once every short-lived one is due and the
     * ticker has expired it; returns the units that held ones hold per SKU.
     */
    private Map<String, Long> checkReservations(final HttpCalls http, final List<String> found)
    {
        final long allDueAtMillis = endedAtMillis + Workload.MAX_SHORT_TTL_SECONDS * 1000L + EXPIRY_MARGIN_MILLIS;
        while (System.currentTimeMillis() < allDueAtMillis)
        {
            ServerProcess.pause(50);
        }
        final long lastKnown = reservations.isEmpty() ? 0 : reservations.lastKey();
        final long lastPossible = lastKnown + unansweredReserves.size();
        final Map<Long, Reply> replies = new TreeMap<>();
        for (long id = 1; id <= lastPossible + 1; id++)
        {
            replies.put(id, awaitExpiryIfDue(http, id));
        }
        final Map<String, Long> heldUnits = new HashMap<>();
        final List<Request> unmatched = new ArrayList<>(unansweredReserves);
        for (final Map.Entry<Long, Reply> entry : replies.entrySet())
        {
            final long id = entry.getKey();
            final Reply reply = entry.getValue();
            final ExpectedReservation expected = reservations.get(id);
            if (reply.status() == 404)
            {
                if (expected != null)
                {
                    found.add("acknowledged reservation r-" + id + " is gone");
                }
                else if (id <= lastKnown)
                {
                    found.add("reservation ids have a gap at r-" + id + " below acknowledged r-" + lastKnown);
                }
                continue;
            }
            if (reply.status() != 200)
            {
                found.add("GET r-" + id + " answered " + reply.status() + ": " + reply.body());
                continue;
            }
            final JsonNode actual = reply.json();
            final String status = actual.path("status").asText();
            final List<Line> lines = linesOf(actual.path("lines"));
            recoveredStatuses.merge("reservations " + status, 1, Integer::sum);
            if (status.equals("held") && isDue(actual))
            {
                found.add("r-" + id + " is still held after it expired: " + actual);
            }
            if (expected != null)
            {
                if (!expected.statuses.contains(status))
                {
                    found.add("r-" + id + " is " + status + ", acknowledged as " + expected.statuses);
                }
                if (!lines.equals(expected.lines) || !actual.path("channel").asText().equals(expected.channel) ||
                    expected.expiresAt != null && !actual.path("expires_at").asText().equals(expected.expiresAt))
                {
                    found.add("r-" + id + " differs from its acknowledgement: " + actual + " vs lines " +
                        expected.lines + " expiring " + expected.expiresAt);
                }
                if (status.equals("confirmed") && !actual.path("order_id").asText().equals(expected.orderId))
                {
                    found.add("r-" + id + " confirmed into " + actual.path("order_id") + ", not " + expected.orderId);
                }
            }
            else
            {
                final Request match = unmatched.stream().filter(r -> r.lines().equals(lines) &&
                    r.channel().equals(actual.path("channel").asText()) &&
                    (status.equals("held") || status.equals("expired") && expiresSoon(r))).findFirst().orElse(null);
                if (match == null)
                {
                    found.add("r-" + id + " matches no unanswered reservation request: " + actual);
                    continue;
                }
                unmatched.remove(match);
            }
            if (status.equals("held"))
            {
                unitsOf(lines).forEach((sku, units) -> heldUnits.merge(sku, units, Long::sum));
            }
        }
        return heldUnits;
    }

    /** GET of one reservation; while it is held past its expiry, polls (bounded) for the ticker to expire it. */
    private static Reply awaitExpiryIfDue(final HttpCalls http, final long id)
    {
        final long deadline = System.nanoTime() + EXPIRY_WAIT_NANOS;
        Reply reply = http.admin("GET", "/v1/reservations/r-" + id, null);
        while (reply.status() == 200 && reply.json().path("status").asText().equals("held") && isDue(reply.json()) &&
            System.nanoTime() < deadline)
        {
            ServerProcess.pause(50);
            reply = http.admin("GET", "/v1/reservations/r-" + id, null);
        }
        return reply;
    }

    private static boolean isDue(final JsonNode reservation)
    {
        return !Instant.parse(reservation.path("expires_at").asText()).isAfter(Instant.now());
    }

    /** Every acknowledged order as acknowledged; every unanswered one whole or absent. Sums the allocations. */
    private void checkOrders(
        final HttpCalls http, final List<String> found, final Map<String, Long> committed, final Map<String, Long> shipped)
    {
        for (final ExpectedOrder expected : orders.values())
        {
            final Reply reply = http.admin("GET", "/v1/orders/" + expected.orderId + "?channel=" + expected.channel, null);
            if (reply.status() != 200)
            {
                found.add("acknowledged order " + expected.orderId + " answers " + reply.status() + ": " + reply.body());
                continue;
            }
            final JsonNode actual = reply.json();
            final String status = actual.path("status").asText();
            recoveredStatuses.merge("orders " + status, 1, Integer::sum);
            if (!expected.statuses.contains(status))
            {
                found.add("order " + expected.orderId + " is " + status + ", acknowledged as " + expected.statuses);
            }
            for (final String field : List.of("order_id", "channel", "reservation_id", "lines", "backordered", "shipments"))
            {
                if (!actual.path(field).equals(expected.created.path(field)))
                {
                    found.add("order " + expected.orderId + " has " + field + " " + actual.path(field) +
                        ", acknowledged with " + expected.created.path(field));
                }
            }
            addAllocations(actual, status, committed, shipped);
        }
        for (final PossibleOrder possible : possibleOrders.values())
        {
            final Reply reply = http.admin("GET", "/v1/orders/" + possible.orderId() + "?channel=" + possible.channel(),
                null);
            final boolean exists = reply.status() == 200;
            if (!exists && reply.status() != 404)
            {
                found.add("GET order " + possible.orderId() + " answered " + reply.status() + ": " + reply.body());
                continue;
            }
            if (possible.reservationId() != null)
            {
                final Reply reservation = http.admin("GET", "/v1/reservations/r-" + possible.reservationId(), null);
                final boolean confirmed = reservation.json().path("status").asText().equals("confirmed");
                if (confirmed != exists)
                {
                    found.add("unanswered confirmation half applied: order " + possible.orderId() + " exists=" + exists +
                        " but r-" + possible.reservationId() + " is " + reservation.body());
                }
            }
            if (exists)
            {
                final JsonNode actual = reply.json();
                if (!linesOf(actual.path("lines")).equals(possible.lines()) ||
                    !actual.path("status").asText().equals("confirmed"))
                {
                    found.add("unanswered order " + possible.orderId() + " is not whole: " + actual);
                }
                addAllocations(actual, actual.path("status").asText(), committed, shipped);
            }
        }
    }

    private static void addAllocations(
        final JsonNode order, final String status, final Map<String, Long> committed, final Map<String, Long> shipped)
    {
        final Map<String, Long> target = status.equals("confirmed") ? committed : status.equals("shipped") ? shipped : null;
        if (target == null)
        {
            return;
        }
        for (final JsonNode shipment : order.path("shipments"))
        {
            final String location = shipment.path("location").asText();
            for (final JsonNode line : shipment.path("lines"))
            {
                target.merge(stockKey(line.path("sku").asText(), location), line.path("qty").asLong(), Long::sum);
            }
        }
    }

    /**
     * Per SKU and location: reserved adds up to what held reservations hold, committed to what open orders
     * allocate, on_hand to the settled receipts and adjustments less shipments plus some of the unanswered
     * ones; per channel: the published availability is the pool of its locations (bundles: of their parts).
     */
    private void checkStock(
        final HttpCalls http, final List<String> found, final Map<String, Long> heldUnits,
        final Map<String, Long> committed, final Map<String, Long> shipped)
    {
        final Map<String, Map<String, Long>> channelAvailable = new HashMap<>();
        for (final String sku : Workload.PLAIN_SKUS)
        {
            final JsonNode record = http.expect(200, "GET", "/v1/skus/" + sku, null);
            long reservedTotal = 0;
            final Map<String, Long> availableAt = new HashMap<>();
            for (final JsonNode at : record.path("locations"))
            {
                final String location = at.path("location").asText();
                final String key = stockKey(sku, location);
                final long onHand = at.path("on_hand").asLong();
                final long reserved = at.path("reserved").asLong();
                final long committedHere = at.path("committed").asLong();
                final long safety = at.path("safety").asLong();
                reservedTotal += reserved;
                availableAt.put(location, Math.max(0, at.path("available").asLong()));
                if (reserved < 0 || committedHere < 0 || onHand < reserved + committedHere + safety ||
                    at.path("available").asLong() != onHand - reserved - committedHere - safety)
                {
                    found.add(key + " breaks an invariant: " + at);
                }
                if (committedHere != committed.getOrDefault(key, 0L))
                {
                    found.add(key + " committed " + committedHere + " but open orders allocate " +
                        committed.getOrDefault(key, 0L));
                }
                final long settled = settledStockDelta.getOrDefault(key, 0L) - shipped.getOrDefault(key, 0L);
                final Set<Long> allowed = subsetSums(unsettledStockDeltas.getOrDefault(key, List.of()));
                if (!allowed.contains(onHand - settled))
                {
                    found.add(key + " on_hand " + onHand + " is not settled " + settled + " plus a subset of unanswered " +
                        unsettledStockDeltas.getOrDefault(key, List.of()));
                }
            }
            if (reservedTotal != heldUnits.getOrDefault(sku, 0L))
            {
                found.add(sku + " reserved " + reservedTotal + " but held reservations hold " +
                    heldUnits.getOrDefault(sku, 0L));
            }
            for (final JsonNode channel : record.path("channels"))
            {
                final long pool = availableAt.values().stream().mapToLong(Long::longValue).sum();
                channelAvailable.computeIfAbsent(channel.path("channel").asText(), c -> new HashMap<>()).put(sku, pool);
                if (channel.path("available").asLong() != pool)
                {
                    found.add(sku + " publishes " + channel + " but its locations have " + pool + " available");
                }
            }
        }
        for (final Map.Entry<String, Map<String, Long>> bundle : Workload.BUNDLES.entrySet())
        {
            final JsonNode record = http.expect(200, "GET", "/v1/skus/" + bundle.getKey(), null);
            for (final JsonNode channel : record.path("channels"))
            {
                final Map<String, Long> parts = channelAvailable.get(channel.path("channel").asText());
                final long expected = bundle.getValue().entrySet().stream()
                    .mapToLong(part -> parts.get(part.getKey()) / part.getValue()).min().orElse(0);
                if (channel.path("available").asLong() != expected)
                {
                    found.add(bundle.getKey() + " publishes " + channel + " but its parts allow " + expected);
                }
            }
        }
    }

    /**
     * The audit trail, derived from the journal and re-derived where a crash cut it short: per SKU and location its
     * changes chain without a gap or a repeat (each starts from the quantities the one before left, the first from
     * zero, the last leaves what the server shows now), and every accepted command that changed stock has its
     * entries at the sequence it was answered with (a receipt or adjustment with the on_hand it answered).
     */
    private void checkAuditTrail(final HttpCalls http, final List<String> found)
    {
        final Map<String, JsonNode> lastChange = new HashMap<>();
        final Map<String, JsonNode> changeAt = new HashMap<>();
        final Set<Long> sequences = new HashSet<>();
        long after = 0;
        for (int page = 0; page < MAX_AUDIT_PAGES; page++)
        {
            final JsonNode answer = http.expect(200, "GET", "/v1/audit?after=" + after + "&limit=1000", null);
            for (final JsonNode entry : answer.path("entries"))
            {
                final long seq = entry.path("seq").asLong();
                sequences.add(seq);
                if (entry.path("location").isNull())
                {
                    continue;
                }
                final String key = stockKey(entry.path("sku").asText(), entry.path("location").asText());
                final JsonNode previous = lastChange.put(key, entry);
                final JsonNode expectedBefore = previous == null ? null : previous.path("after");
                if (!sameQuantities(entry.path("before"), expectedBefore) ||
                    previous != null && previous.path("seq").asLong() > seq)
                {
                    found.add("the audit trail of " + key + " breaks its chain at " + seq + ": " + entry +
                        " after " + previous);
                }
                changeAt.put(seq + " " + key, entry);
            }
            if (answer.path("next").isNull())
            {
                break;
            }
            after = answer.path("next").asLong();
        }
        for (final String sku : Workload.PLAIN_SKUS)
        {
            for (final JsonNode now : http.expect(200, "GET", "/v1/skus/" + sku, null).path("locations"))
            {
                final String key = stockKey(sku, now.path("location").asText());
                if (!sameQuantities(now, lastChange.containsKey(key) ? lastChange.get(key).path("after") : null))
                {
                    found.add("the audit trail of " + key + " ends at " + lastChange.get(key) + " but the stock is " +
                        now);
                }
            }
        }
        for (final Call call : acceptedStockChanges)
        {
            final Request request = call.request();
            final long version = call.reply().json().path("version").asLong();
            if (!sequences.contains(version))
            {
                found.add("the audit trail has nothing at " + version + " for " + request.method() + " " +
                    request.path() + " answered " + call.reply().body());
                continue;
            }
            if (request.kind() == Kind.RECEIVE || request.kind() == Kind.ADJUST)
            {
                final JsonNode entry = changeAt.get(version + " " + stockKey(request.sku(), request.location()));
                final long onHand = call.reply().json().path("on_hand").asLong();
                if (entry == null || entry.path("after").path("on_hand").asLong() != onHand)
                {
                    found.add("the audit trail at " + version + " shows " + entry + " for a " + request.kind() +
                        " answered with on_hand " + onHand);
                }
            }
        }
    }

    /** The four quantities of a stock record or audit side; null stands for a record never touched (all zero). */
    private static boolean sameQuantities(final JsonNode actual, final JsonNode expected)
    {
        for (final String field : List.of("on_hand", "reserved", "committed", "safety"))
        {
            if (actual.path(field).asLong() != (expected == null ? 0 : expected.path(field).asLong()))
            {
                return false;
            }
        }
        return true;
    }

    private static Set<Long> subsetSums(final List<Long> values)
    {
        final Set<Long> sums = new HashSet<>(Set.of(0L));
        for (final long value : values)
        {
            for (final long sum : List.copyOf(sums))
            {
                sums.add(sum + value);
            }
        }
        return sums;
    }

    // ---- idempotent replays ----

    /**
     * Sends again up to {@code limit} keyed requests that were answered before the crash (spread over the run):
     * each must answer its first outcome, marked as replayed. Then redelivers some channel orders without a key,
     * as a channel does: each must answer 200 with the first order (in its current status), marked as replayed.
     * None of it may change any stock.
     */
    int checkReplays(final HttpCalls http, final int limit)
    {
        final Map<String, JsonNode> before = stockState(http);
        final List<String> found = new ArrayList<>();
        final List<Call> replayed = spread(keyedAnswers, limit);
        for (final Call call : replayed)
        {
            final Request request = call.request();
            final Reply again = sendAgain(http, request, request.key(), found);
            if (again != null &&
                (again.status() != call.reply().status() || !again.json().equals(call.reply().json()) || !again.replayed()))
            {
                found.add("replay of " + request.method() + " " + request.path() + " key " + request.key() +
                    " answered " + again.status() + " " + again.body() + " (replayed " + again.replayed() +
                    "), first answer " + call.reply().status() + " " + call.reply().body());
            }
        }
        final List<Call> redelivered = spread(acceptedChannelOrders, Math.max(1, limit / 4));
        for (final Call call : redelivered)
        {
            final Request request = call.request();
            final Reply again = sendAgain(http, request, null, found);
            if (again == null)
            {
                continue;
            }
            final ObjectNode first = (ObjectNode)call.reply().json();
            final ObjectNode repeat = (ObjectNode)again.json();
            final String status = repeat.path("status").asText();
            first.remove("status");
            repeat.remove("status");
            if (again.status() != 200 || !again.replayed() || !repeat.equals(first) ||
                !orders.get(orderKey(request.channel(), request.orderId())).statuses.contains(status))
            {
                found.add("redelivery of order " + request.orderId() + " answered " + again.status() + " " +
                    again.body() + " (replayed " + again.replayed() + "), first answer " + call.reply().body());
            }
        }
        assertThat(found).as("idempotent replays after the restart").isEmpty();
        assertThat(stockState(http)).as("stock after the replays").isEqualTo(before);
        return replayed.size() + redelivered.size();
    }

    private static List<Call> spread(final List<Call> calls, final int limit)
    {
        final List<Call> sample = new ArrayList<>();
        final int step = Math.max(1, calls.size() / Math.max(1, limit));
        for (int i = 0; i < calls.size() && sample.size() < limit; i += step)
        {
            sample.add(calls.get(i));
        }
        return sample;
    }

    private static Reply sendAgain(final HttpCalls http, final Request request, final String key, final List<String> found)
    {
        try
        {
            return http.send(request.method(), request.path(), request.body(), key, ServerProcess.ADMIN_TOKEN);
        }
        catch (final IOException ex)
        {
            found.add(request.method() + " " + request.path() + " sent again got no answer: " + ex);
            return null;
        }
    }

    /** GET /v1/skus/{sku} of every SKU, without the top-level version (it counts replays too). */
    static Map<String, JsonNode> stockState(final HttpCalls http)
    {
        final Map<String, JsonNode> state = new TreeMap<>();
        final List<String> skus = new ArrayList<>(Workload.PLAIN_SKUS);
        skus.addAll(Workload.BUNDLES.keySet());
        for (final String sku : skus)
        {
            final ObjectNode record = (ObjectNode)http.expect(200, "GET", "/v1/skus/" + sku, null);
            record.remove("version");
            state.put(sku, record);
        }
        return state;
    }
}
