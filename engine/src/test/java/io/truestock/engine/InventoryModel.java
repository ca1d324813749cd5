package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPlanner;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test oracle: a plain, slow, map-based model of the inventory contract in DESIGN.md, written from the contract and
 * not from the engine's code. It predicts the outcome of every command (the rejection reason, the units held,
 * routed, backordered and expired) and keeps the quantities it implies: on hand and safety as a ledger of
 * receipts, shipments, adjustments and sets; reserved as the sum of the holds of open reservations; committed as
 * the sum of the shipments of open orders.
 */
final class InventoryModel
{
    private static final int MAX_TEXT = 256;
    private static final int MAX_KEY = 255;

    record Cell(String sku, String location)
    {
        @Override
        public String toString()
        {
            return sku + '@' + location;
        }
    }

    record Line(String sku, long qty)
    {
    }

    /** On hand, safety and the ledger that must add up to on hand. */
    static final class Ledger
    {
        long onHand;
        long safety;
        long receipts;
        long shipments;
        long adjustments;
        long setDeltas;
    }

    static final class Res
    {
        final long id;
        final String channel;
        final List<Line> lines;
        final Map<Cell, Long> holds;
        long expiresAtMillis;
        ReservationStatus status = ReservationStatus.HELD;
        String orderId;

        Res(final long id, final String channel, final List<Line> lines, final Map<Cell, Long> holds, final long expiresAtMillis)
        {
            this.id = id;
            this.channel = channel;
            this.lines = lines;
            this.holds = holds;
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    static final class Ord
    {
        final String channel;
        final String orderId;
        final long reservationId;
        final List<Object> request;
        final List<Line> lines;
        final List<Long> backordered;
        final Map<Cell, Long> shipments;
        OrderStatus status = OrderStatus.CONFIRMED;
        /** Sequence of the command that created it: a repeat answers with this version. */
        long version;

        Ord(
            final String channel, final String orderId, final long reservationId, final List<Object> request,
            final List<Line> lines, final List<Long> backordered, final Map<Cell, Long> shipments)
        {
            this.channel = channel;
            this.orderId = orderId;
            this.reservationId = reservationId;
            this.request = request;
            this.lines = lines;
            this.backordered = backordered;
            this.shipments = shipments;
        }
    }

    record IdempotencyKey(String principal, String key)
    {
    }

    record Remembered(IdempotencyKey key, List<Object> request, long atMillis, Outcome outcome)
    {
    }

    /** What the model says one command must do. */
    static final class Expected
    {
        RejectReason reason = RejectReason.NONE;
        boolean replayed;
        Outcome replayOf;
        Ord order;
        Res reservation;
        Map<Cell, Long> allocations;
        List<Long> lineAvailable;
        Map<String, Long> oversold = new TreeMap<>();
        /** For a repeat of an order or confirmation that already happened: the version of the first answer. */
        Long firstVersion;
        List<Long> expired = new ArrayList<>();
        Remembered toRemember;

        boolean accepted()
        {
            return reason == RejectReason.NONE;
        }
    }

    private final EngineConfig config;
    final LinkedHashMap<String, LocationSpec> locations = new LinkedHashMap<>();
    final LinkedHashMap<String, ChannelSpec> channels = new LinkedHashMap<>();
    final LinkedHashMap<String, SkuSpec> skus = new LinkedHashMap<>();
    final LinkedHashMap<String, PriceSpec> prices = new LinkedHashMap<>();
    /** Per SKU: the next sale start or end the engine will announce at a tick. */
    private final Map<String, Long> pendingPriceChange = new HashMap<>();
    final TreeMap<String, CarrierSpec> carriers = new TreeMap<>();
    /** Promises come from a planner of the model's own, configured from the model's state. */
    private final DeliveryPlanner planner = new DeliveryPlanner(64, 20_800, 1_000);
    private final Map<Cell, Ledger> ledgers = new HashMap<>();
    final TreeMap<Long, Res> reservations = new TreeMap<>();
    private final ArrayDeque<Long> retained = new ArrayDeque<>();
    private final Set<Long> everResolved = new HashSet<>();
    private long lastReservationId;
    final LinkedHashMap<String, Ord> orders = new LinkedHashMap<>();
    private final ArrayDeque<String> closedOrders = new ArrayDeque<>();
    private final Map<IdempotencyKey, Remembered> remembered = new HashMap<>();
    private final ArrayDeque<Remembered> rememberedByAge = new ArrayDeque<>();

    InventoryModel(final EngineConfig config)
    {
        this.config = config;
    }

    // ---- derived quantities ----

    Ledger ledger(final Cell cell)
    {
        return ledgers.computeIfAbsent(cell, c -> new Ledger());
    }

    long reserved(final Cell cell)
    {
        long sum = 0;
        for (final Res r : reservations.values())
        {
            if (r.status == ReservationStatus.HELD)
            {
                sum += r.holds.getOrDefault(cell, 0L);
            }
        }
        return sum;
    }

    long committed(final Cell cell)
    {
        long sum = 0;
        for (final Ord order : orders.values())
        {
            if (order.status == OrderStatus.CONFIRMED)
            {
                sum += order.shipments.getOrDefault(cell, 0L);
            }
        }
        return sum;
    }

    /** Units for sale at one record; negative when safety or a count-down left it short. */
    long available(final Cell cell)
    {
        final Ledger ledger = ledger(cell);
        return ledger.onHand - reserved(cell) - committed(cell) - ledger.safety;
    }

    boolean isBundle(final String sku)
    {
        return skus.get(sku).isBundle();
    }

    List<String> drawOrder(final String channel)
    {
        final List<String> listed = channels.get(channel).locations();
        return listed.isEmpty() ? new ArrayList<>(locations.keySet()) : listed;
    }

    /** Draw order, stably sorted by location priority. */
    List<String> routingOrder(final String channel)
    {
        final List<String> order = new ArrayList<>(drawOrder(channel));
        order.sort(Comparator.comparingInt(l -> locations.get(l).priority()));
        return order;
    }

    long rawPool(final String sku, final String channel)
    {
        long sum = 0;
        for (final String location : drawOrder(channel))
        {
            sum += Math.max(0, available(new Cell(sku, location)));
        }
        return sum;
    }

    /** What the channel could supply of a SKU (a bundle: whole bundles) before percent and buffer. */
    long pool(final String sku, final String channel)
    {
        final SkuSpec spec = skus.get(sku);
        if (!spec.isBundle())
        {
            return rawPool(sku, channel);
        }
        long min = Long.MAX_VALUE;
        for (int k = 0; k < spec.componentCount(); k++)
        {
            min = Math.min(min, rawPool(spec.componentSku(k), channel) / spec.componentQty(k));
        }
        return min;
    }

    int openReservations()
    {
        int n = 0;
        for (final Res r : reservations.values())
        {
            if (r.status == ReservationStatus.HELD)
            {
                n++;
            }
        }
        return n;
    }

    long nextExpiryMillis()
    {
        long next = Long.MAX_VALUE;
        for (final long change : pendingPriceChange.values())
        {
            next = Math.min(next, change);
        }
        for (final Res r : reservations.values())
        {
            if (r.status == ReservationStatus.HELD)
            {
                next = Math.min(next, r.expiresAtMillis);
            }
        }
        return next;
    }

    int idempotencyEntries()
    {
        return remembered.size();
    }

    // ---- commands ----

    Expected apply(final Command c, final long nowMillis)
    {
        final Expected e = new Expected();
        switch (c.type())
        {
            case QUERY_RESERVATION ->
            {
                e.reservation = findReservation(c, e);
                e.allocations = e.reservation == null ? null : e.reservation.holds;
                return e;
            }
            case QUERY_ORDER ->
            {
                e.order = findOrder(c, e);
                e.allocations = e.order == null ? null : e.order.shipments;
                return e;
            }
            default ->
            {
            }
        }
        forgetKeysOlderThanTheWindow(nowMillis);
        if (c.idempotencyKey() != null && config.maxIdempotencyEntries() > 0)
        {
            final IdempotencyKey key = new IdempotencyKey(c.principal() == null ? "" : c.principal(), c.idempotencyKey());
            final Remembered first = remembered.get(key);
            if (first != null)
            {
                if (first.request().equals(request(c)))
                {
                    e.replayed = true;
                    e.replayOf = first.outcome();
                    e.reason = first.outcome().reason();
                }
                else
                {
                    e.reason = RejectReason.IDEMPOTENCY_CONFLICT;
                }
                return e;
            }
            if (remembered.size() >= config.maxIdempotencyEntries())
            {
                e.reason = RejectReason.IDEMPOTENCY_LIMIT;
                return e;
            }
            e.toRemember = new Remembered(key, request(c), nowMillis, null);
        }
        if (tooLong(c.reason(), MAX_TEXT) || tooLong(c.reference(), MAX_TEXT) || tooLong(c.principal(), MAX_TEXT) ||
            tooLong(c.idempotencyKey(), MAX_KEY))
        {
            e.reason = RejectReason.INVALID_TEXT;
            return e;
        }
        switch (c.type())
        {
            case DEFINE_LOCATION -> defineLocation(c, e);
            case DEFINE_CHANNEL -> defineChannel(c, e);
            case DEFINE_SKU -> defineSku(c, e, nowMillis);
            case DEFINE_PRICES -> definePrices(c, e, nowMillis);
            case DEFINE_CARRIER -> defineCarrier(c, e);
            case RECEIVE -> receive(c, e);
            case ADJUST -> adjust(c, e);
            case SET -> set(c, e);
            case IMPORT_STOCK -> importStock(c, e);
            case RESERVE -> reserve(c, e, nowMillis);
            case EXTEND -> extend(c, e, nowMillis);
            case RELEASE -> release(c, e, nowMillis);
            case TICK -> tick(e, nowMillis);
            case CONFIRM -> confirm(c, e, nowMillis);
            case ORDER -> order(c, e, nowMillis);
            case CANCEL, SHIP -> close(c, e);
            default -> throw new IllegalStateException("unexpected " + c.type());
        }
        return e;
    }

    /** Keeps the first outcome of a keyed request, as the engine answered it. */
    void remember(final Expected e, final Outcome outcome)
    {
        if (e.toRemember != null)
        {
            final Remembered entry = new Remembered(e.toRemember.key(), e.toRemember.request(), e.toRemember.atMillis(),
                outcome.copy());
            remembered.put(entry.key(), entry);
            rememberedByAge.addLast(entry);
        }
    }

    private void forgetKeysOlderThanTheWindow(final long nowMillis)
    {
        final Iterator<Remembered> oldestFirst = rememberedByAge.iterator();
        while (oldestFirst.hasNext())
        {
            final Remembered entry = oldestFirst.next();
            if (nowMillis - entry.atMillis() < config.idempotencyWindowMillis())
            {
                break;
            }
            oldestFirst.remove();
            remembered.remove(entry.key());
        }
    }

    private static boolean tooLong(final String text, final int max)
    {
        return text != null && text.length() > max;
    }

    /** Everything a request asks for, so that two requests are the same exactly when these lists are equal. */
    static List<Object> request(final Command c)
    {
        final List<Line> lines = new ArrayList<>();
        for (int i = 0; i < c.lineCount(); i++)
        {
            lines.add(new Line(c.lineSku(i), c.lineQuantity(i)));
        }
        return Arrays.asList(c.type(), c.sku(), c.location(), c.channel(), c.quantity(), c.expected(), c.safety(),
            c.ttlSeconds(), c.reservationId(), c.orderId(), c.destinationCountry(), c.destinationPostalCode(),
            c.reason(), c.reference(), lines, c.locationSpec(), c.channelSpec(), c.skuSpec(), c.priceSpec(),
            c.carrier(), c.carrierSpec(), quotes(c), c.service(), c.stockImport());
    }

    private static List<List<Object>> quotes(final Command c)
    {
        final List<List<Object>> quotes = new ArrayList<>();
        for (int q = 0; q < c.quoteCount(); q++)
        {
            quotes.add(List.of(c.quoteSku(q), c.quoteChannel(q), c.quoteAmountMinor(q), c.quoteCurrency(q),
                c.quoteExpiresAtMillis(q)));
        }
        return quotes;
    }

    static boolean validId(final String id)
    {
        return id != null && id.matches("[A-Za-z0-9._:-]{1,64}");
    }

    private void defineLocation(final Command c, final Expected e)
    {
        final LocationSpec spec = c.locationSpec();
        if (!validId(c.location()))
        {
            e.reason = RejectReason.INVALID_ID;
        }
        else if (spec == null || !validLocation(spec))
        {
            e.reason = RejectReason.INVALID_CONFIG;
        }
        else if (!locations.containsKey(c.location()) && locations.size() == config.maxLocations())
        {
            e.reason = RejectReason.LOCATION_LIMIT;
        }
        else
        {
            locations.put(c.location(), spec);
            planner.defineLocation(new ArrayList<>(locations.keySet()).indexOf(c.location()), c.location(), spec);
        }
    }

    private static boolean validLocation(final LocationSpec spec)
    {
        try
        {
            ZoneId.of(spec.timezone());
        }
        catch (final DateTimeException ex)
        {
            return false;
        }
        return !spec.name().isEmpty() && spec.name().length() <= MAX_TEXT && spec.country().length() <= 2 &&
            spec.postalCode().length() <= 32 && spec.priority() >= 0 && spec.priority() <= 1_000_000 &&
            spec.cutoffMinute() >= 0 && spec.cutoffMinute() < 1440 && spec.handlingDays() >= 0 &&
            spec.handlingDays() <= 365 && spec.workingDaysMask() >= 1 && spec.workingDaysMask() <= 127 &&
            spec.holidays().length <= LocationSpec.MAX_HOLIDAYS;
    }

    private void defineChannel(final Command c, final Expected e)
    {
        final ChannelSpec spec = c.channelSpec();
        if (!validId(c.channel()))
        {
            e.reason = RejectReason.INVALID_ID;
            return;
        }
        if (spec == null || spec.name().isEmpty() || spec.name().length() > MAX_TEXT || spec.percent() < 0 ||
            spec.percent() > 100 || spec.buffer() < 0 || spec.buffer() > config.maxOnHand() || spec.maxListed() < -1 ||
            spec.lowStockThreshold() < 0 || spec.locations().size() > config.maxLocations())
        {
            e.reason = RejectReason.INVALID_CONFIG;
            return;
        }
        final Set<String> seen = new HashSet<>();
        for (final String location : spec.locations())
        {
            if (!seen.add(location))
            {
                e.reason = RejectReason.INVALID_CONFIG;
                return;
            }
            if (!locations.containsKey(location))
            {
                e.reason = RejectReason.UNKNOWN_LOCATION;
                return;
            }
        }
        if (!channels.containsKey(c.channel()) && channels.size() == config.maxChannels())
        {
            e.reason = RejectReason.CHANNEL_LIMIT;
            return;
        }
        channels.put(c.channel(), spec);
    }

    private static long nextPriceChange(final PriceSpec spec, final long afterMillis)
    {
        long next = Long.MAX_VALUE;
        for (final SaleSpec sale : spec.sales())
        {
            if (sale.startMillis() > afterMillis)
            {
                next = Math.min(next, sale.startMillis());
            }
            if (sale.endMillis() > afterMillis)
            {
                next = Math.min(next, sale.endMillis());
            }
        }
        return next;
    }

    private void schedulePrices(final String sku, final PriceSpec spec, final long nowMillis)
    {
        final long next = nextPriceChange(spec, nowMillis);
        if (next == Long.MAX_VALUE)
        {
            pendingPriceChange.remove(sku);
        }
        else
        {
            pendingPriceChange.put(sku, next);
        }
    }

    private void definePrices(final Command c, final Expected e, final long nowMillis)
    {
        final PriceSpec spec = c.priceSpec();
        if (!skus.containsKey(c.sku()))
        {
            e.reason = RejectReason.UNKNOWN_SKU;
            return;
        }
        if (spec == null)
        {
            e.reason = RejectReason.INVALID_CONFIG;
            return;
        }
        final List<String> named = new ArrayList<>(spec.channels().keySet());
        spec.sales().forEach(sale -> named.addAll(sale.channels()));
        if (!channels.keySet().containsAll(named))
        {
            e.reason = RejectReason.UNKNOWN_CHANNEL;
            return;
        }
        final SkuSpec old = skus.get(c.sku());
        skus.put(c.sku(), new SkuSpec(old.title(), spec.base().amountMinor(), spec.base().currency(),
            old.componentSkus(), old.componentQtys()));
        prices.put(c.sku(), spec);
        schedulePrices(c.sku(), spec, nowMillis);
    }

    private void defineCarrier(final Command c, final Expected e)
    {
        final CarrierSpec spec = c.carrierSpec();
        if (!validId(c.carrier()))
        {
            e.reason = RejectReason.INVALID_ID;
            return;
        }
        if (spec == null)
        {
            e.reason = RejectReason.INVALID_CONFIG;
            return;
        }
        for (final ServiceSpec service : spec.services())
        {
            for (final ZoneSpec zone : service.zones())
            {
                if (zone.location() != null && !locations.containsKey(zone.location()))
                {
                    e.reason = RejectReason.UNKNOWN_LOCATION;
                    return;
                }
            }
        }
        carriers.put(c.carrier(), spec);
        planner.defineCarrier(c.carrier(), spec);
    }

    /** The unit price the engine must charge on a channel at an instant, without quotes. */
    Price priceAt(final String sku, final String channel, final long atMillis)
    {
        final PriceSpec spec = prices.get(sku);
        Price best = null;
        for (final SaleSpec sale : spec.sales())
        {
            if (sale.startMillis() <= atMillis && atMillis < sale.endMillis() &&
                (sale.channels().isEmpty() || sale.channels().contains(channel)) &&
                (best == null || sale.price().amountMinor() < best.amountMinor()))
            {
                best = sale.price();
            }
        }
        if (best != null)
        {
            return best;
        }
        return spec.channels().getOrDefault(channel, spec.base());
    }

    private void defineSku(final Command c, final Expected e, final long nowMillis)
    {
        final String id = c.sku();
        final SkuSpec spec = c.skuSpec();
        if (!validId(id))
        {
            e.reason = RejectReason.INVALID_ID;
            return;
        }
        if (spec == null || spec.title().length() > MAX_TEXT || spec.priceAmountMinor() < 0 ||
            !spec.currency().matches("[A-Z]{3}") || spec.componentCount() > config.maxComponentsPerBundle())
        {
            e.reason = RejectReason.INVALID_CONFIG;
            return;
        }
        final boolean exists = skus.containsKey(id);
        for (int i = 0; i < spec.componentCount(); i++)
        {
            final String part = spec.componentSku(i);
            final long qty = spec.componentQty(i);
            if (!skus.containsKey(part))
            {
                e.reason = RejectReason.UNKNOWN_SKU;
                return;
            }
            if (part.equals(id) || isBundle(part) || qty < 1 || qty > config.maxLineQuantity())
            {
                e.reason = RejectReason.INVALID_CONFIG;
                return;
            }
            for (int j = 0; j < i; j++)
            {
                if (spec.componentSku(j).equals(part))
                {
                    e.reason = RejectReason.INVALID_CONFIG;
                    return;
                }
            }
        }
        if (!exists && skus.size() == config.maxSkus())
        {
            e.reason = RejectReason.SKU_LIMIT;
            return;
        }
        if (exists && spec.isBundle())
        {
            if (isAComponent(id))
            {
                e.reason = RejectReason.INVALID_CONFIG;
                return;
            }
            if (!isBundle(id) && hasStock(id))
            {
                e.reason = RejectReason.SKU_IN_USE;
                return;
            }
        }
        final Price base = new Price(spec.priceAmountMinor(), spec.currency());
        final PriceSpec oldPrices = prices.get(id);
        final PriceSpec newPrices;
        try
        {
            newPrices = oldPrices == null ? PriceSpec.baseOnly(base) : oldPrices.withBase(base);
        }
        catch (final IllegalArgumentException ex)
        {
            e.reason = RejectReason.INVALID_CONFIG;
            return;
        }
        skus.put(id, spec);
        prices.put(id, newPrices);
        if (oldPrices != null && !oldPrices.equals(newPrices))
        {
            schedulePrices(id, newPrices, nowMillis);
        }
    }

    private boolean isAComponent(final String sku)
    {
        for (final SkuSpec spec : skus.values())
        {
            for (int k = 0; k < spec.componentCount(); k++)
            {
                if (spec.componentSku(k).equals(sku))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean hasStock(final String sku)
    {
        for (final String location : locations.keySet())
        {
            final Cell cell = new Cell(sku, location);
            if (ledger(cell).onHand != 0 || reserved(cell) != 0 || committed(cell) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /** @return the record, or null with the reason set. */
    private Cell stockRecord(final Command c, final Expected e)
    {
        if (!skus.containsKey(c.sku()))
        {
            e.reason = RejectReason.UNKNOWN_SKU;
            return null;
        }
        if (!locations.containsKey(c.location()))
        {
            e.reason = RejectReason.UNKNOWN_LOCATION;
            return null;
        }
        if (isBundle(c.sku()))
        {
            e.reason = RejectReason.BUNDLE_HAS_NO_STOCK;
            return null;
        }
        return new Cell(c.sku(), c.location());
    }

    private void receive(final Command c, final Expected e)
    {
        final Cell cell = stockRecord(c, e);
        if (cell == null)
        {
            return;
        }
        final Ledger ledger = ledger(cell);
        if (c.quantity() < 1 || c.quantity() > config.maxLineQuantity())
        {
            e.reason = RejectReason.INVALID_QUANTITY;
        }
        else if (ledger.onHand + c.quantity() > config.maxOnHand())
        {
            e.reason = RejectReason.QUANTITY_LIMIT;
        }
        else
        {
            ledger.onHand += c.quantity();
            ledger.receipts += c.quantity();
        }
    }

    private void adjust(final Command c, final Expected e)
    {
        final Cell cell = stockRecord(c, e);
        if (cell == null)
        {
            return;
        }
        final Ledger ledger = ledger(cell);
        final long delta = c.quantity();
        if (delta == 0 || delta > config.maxLineQuantity() || delta < -config.maxOnHand())
        {
            e.reason = RejectReason.INVALID_QUANTITY;
        }
        else if (ledger.onHand + delta > config.maxOnHand())
        {
            e.reason = RejectReason.QUANTITY_LIMIT;
        }
        else if (ledger.onHand + delta < reserved(cell) + committed(cell))
        {
            e.reason = RejectReason.BELOW_ALLOCATED;
        }
        else
        {
            ledger.onHand += delta;
            ledger.adjustments += delta;
        }
    }

    private void set(final Command c, final Expected e)
    {
        final Cell cell = stockRecord(c, e);
        if (cell == null)
        {
            return;
        }
        final Ledger ledger = ledger(cell);
        final boolean setsOnHand = c.quantity() != Command.ABSENT;
        final boolean setsSafety = c.safety() != Command.ABSENT;
        final boolean guarded = c.expected() != Command.ABSENT;
        if ((!setsOnHand && !setsSafety) || (setsOnHand && (c.quantity() < 0 || c.quantity() > config.maxOnHand())) ||
            (setsSafety && (c.safety() < 0 || c.safety() > config.maxOnHand())) || (guarded && c.expected() < 0))
        {
            e.reason = RejectReason.INVALID_QUANTITY;
        }
        else if (guarded && c.expected() != ledger.onHand)
        {
            e.reason = RejectReason.EXPECTED_MISMATCH;
        }
        else if (setsOnHand && c.quantity() < reserved(cell) + committed(cell))
        {
            e.reason = RejectReason.BELOW_ALLOCATED;
        }
        else
        {
            if (setsOnHand)
            {
                ledger.setDeltas += c.quantity() - ledger.onHand;
                ledger.onHand = c.quantity();
            }
            if (setsSafety)
            {
                ledger.safety = c.safety();
            }
        }
    }

    /** Every row or none, rows checked in order: ids, quantity, location, duplicate, SKU, bundle, allocation. */
    private void importStock(final Command c, final Expected e)
    {
        final StockImportSpec spec = c.stockImport();
        if (spec == null)
        {
            e.reason = RejectReason.INVALID_CONFIG;
            return;
        }
        final Set<Cell> seen = new HashSet<>();
        for (int i = 0; i < spec.rowCount(); i++)
        {
            final Cell cell = new Cell(spec.sku(i), spec.location(i));
            final long onHand = spec.onHand(i);
            if (!Ids.isValid(cell.sku()) || !Ids.isValid(cell.location()))
            {
                e.reason = RejectReason.INVALID_ID;
            }
            else if (onHand < 0 || onHand > config.maxOnHand())
            {
                e.reason = RejectReason.INVALID_QUANTITY;
            }
            else if (!locations.containsKey(cell.location()))
            {
                e.reason = RejectReason.UNKNOWN_LOCATION;
            }
            else if (!seen.add(cell))
            {
                e.reason = RejectReason.INVALID_LINES;
            }
            else if (!skus.containsKey(cell.sku()))
            {
                e.reason = RejectReason.UNKNOWN_SKU;
            }
            else if (isBundle(cell.sku()))
            {
                e.reason = RejectReason.BUNDLE_HAS_NO_STOCK;
            }
            else if (onHand < reserved(cell) + committed(cell))
            {
                e.reason = RejectReason.BELOW_ALLOCATED;
            }
            if (e.reason != RejectReason.NONE)
            {
                return;
            }
        }
        for (int i = 0; i < spec.rowCount(); i++)
        {
            final Ledger ledger = ledger(new Cell(spec.sku(i), spec.location(i)));
            ledger.setDeltas += spec.onHand(i) - ledger.onHand;
            ledger.onHand = spec.onHand(i);
        }
    }

    /** Valid lines as the simple-SKU units they need, summed per SKU in first-seen order; null with a reason. */
    private LinkedHashMap<String, Long> demand(final Command c, final Expected e)
    {
        if (c.lineCount() == 0)
        {
            e.reason = RejectReason.INVALID_LINES;
            return null;
        }
        if (c.lineCount() > config.maxLinesPerCommand())
        {
            e.reason = RejectReason.TOO_MANY_LINES;
            return null;
        }
        final LinkedHashMap<String, Long> demand = new LinkedHashMap<>();
        for (int i = 0; i < c.lineCount(); i++)
        {
            final String sku = c.lineSku(i);
            final long qty = c.lineQuantity(i);
            if (!skus.containsKey(sku))
            {
                e.reason = RejectReason.UNKNOWN_SKU;
                return null;
            }
            if (qty < 1 || qty > config.maxLineQuantity())
            {
                e.reason = RejectReason.INVALID_QUANTITY;
                return null;
            }
            final SkuSpec spec = skus.get(sku);
            if (spec.isBundle())
            {
                for (int k = 0; k < spec.componentCount(); k++)
                {
                    demand.merge(spec.componentSku(k), qty * spec.componentQty(k), Long::sum);
                }
            }
            else
            {
                demand.merge(sku, qty, Long::sum);
            }
        }
        return demand;
    }

    private static List<Line> lines(final Command c)
    {
        final List<Line> lines = new ArrayList<>();
        for (int i = 0; i < c.lineCount(); i++)
        {
            lines.add(new Line(c.lineSku(i), c.lineQuantity(i)));
        }
        return lines;
    }

    private void reserve(final Command c, final Expected e, final long nowMillis)
    {
        if (!channels.containsKey(c.channel()))
        {
            e.reason = RejectReason.UNKNOWN_CHANNEL;
            return;
        }
        if (c.ttlSeconds() < 1 || c.ttlSeconds() > config.maxTtlSeconds())
        {
            e.reason = RejectReason.INVALID_TTL;
            return;
        }
        final LinkedHashMap<String, Long> demand = demand(c, e);
        if (demand == null)
        {
            return;
        }
        if (openReservations() >= config.maxOpenReservations())
        {
            e.reason = RejectReason.RESERVATION_LIMIT;
            return;
        }
        for (final Map.Entry<String, Long> need : demand.entrySet())
        {
            if (rawPool(need.getKey(), c.channel()) < need.getValue())
            {
                e.reason = RejectReason.OUT_OF_STOCK;
                e.lineAvailable = new ArrayList<>();
                for (int i = 0; i < c.lineCount(); i++)
                {
                    e.lineAvailable.add(pool(c.lineSku(i), c.channel()));
                }
                return;
            }
        }
        final Map<Cell, Long> holds = new LinkedHashMap<>();
        for (final Map.Entry<String, Long> need : demand.entrySet())
        {
            long left = need.getValue();
            for (final String location : drawOrder(c.channel()))
            {
                final Cell cell = new Cell(need.getKey(), location);
                final long take = Math.min(left, Math.max(0, available(cell)));
                if (take > 0)
                {
                    holds.put(cell, take);
                    left -= take;
                }
            }
        }
        final Res r = new Res(++lastReservationId, c.channel(), lines(c), holds, nowMillis + c.ttlSeconds() * 1000L);
        reservations.put(r.id, r);
        e.reservation = r;
        e.allocations = holds;
    }

    private Res findReservation(final Command c, final Expected e)
    {
        final Res r = reservations.get(c.reservationId());
        if (r == null)
        {
            e.reason = RejectReason.RESERVATION_NOT_FOUND;
            return null;
        }
        if (c.channel() != null && !c.channel().equals(r.channel))
        {
            e.reason = RejectReason.CHANNEL_MISMATCH;
            return null;
        }
        return r;
    }

    private Res findHeld(final Command c, final Expected e, final long nowMillis)
    {
        final Res r = findReservation(c, e);
        if (r == null)
        {
            return null;
        }
        if (r.status == ReservationStatus.EXPIRED || (r.status == ReservationStatus.HELD && nowMillis >= r.expiresAtMillis))
        {
            e.reason = RejectReason.RESERVATION_EXPIRED;
            return null;
        }
        if (r.status != ReservationStatus.HELD)
        {
            e.reason = RejectReason.RESERVATION_NOT_HELD;
            return null;
        }
        return r;
    }

    private void extend(final Command c, final Expected e, final long nowMillis)
    {
        if (c.ttlSeconds() < 1 || c.ttlSeconds() > config.maxTtlSeconds())
        {
            e.reason = RejectReason.INVALID_TTL;
            return;
        }
        final Res r = findHeld(c, e, nowMillis);
        if (r != null)
        {
            r.expiresAtMillis = nowMillis + c.ttlSeconds() * 1000L;
            e.reservation = r;
            e.allocations = r.holds;
        }
    }

    private void release(final Command c, final Expected e, final long nowMillis)
    {
        final Res r = findHeld(c, e, nowMillis);
        if (r != null)
        {
            resolve(r, ReservationStatus.RELEASED);
            e.reservation = r;
            e.allocations = r.holds;
        }
    }

    private void tick(final Expected e, final long nowMillis)
    {
        final List<Res> due = new ArrayList<>();
        for (final Res r : reservations.values())
        {
            if (r.status == ReservationStatus.HELD && r.expiresAtMillis <= nowMillis)
            {
                due.add(r);
            }
        }
        due.sort(Comparator.<Res>comparingLong(r -> r.expiresAtMillis).thenComparingLong(r -> r.id));
        for (final Res r : due)
        {
            e.expired.add(r.id);
            resolve(r, ReservationStatus.EXPIRED);
        }
        for (final String sku : new ArrayList<>(pendingPriceChange.keySet()))
        {
            if (pendingPriceChange.get(sku) <= nowMillis)
            {
                schedulePrices(sku, prices.get(sku), nowMillis);
            }
        }
    }

    /** A reservation resolves once: confirmed, released or expired, never twice. */
    private void resolve(final Res r, final ReservationStatus status)
    {
        if (r.status != ReservationStatus.HELD || !everResolved.add(r.id))
        {
            throw new AssertionError("reservation " + r.id + " resolved twice: " + r.status + " then " + status);
        }
        r.status = status;
        retained.addLast(r.id);
        while (retained.size() > config.maxRetainedReservations())
        {
            reservations.remove(retained.pollFirst());
        }
    }

    private void confirm(final Command c, final Expected e, final long nowMillis)
    {
        if (!validId(c.orderId()))
        {
            e.reason = RejectReason.INVALID_ID;
            return;
        }
        final Res done = reservations.get(c.reservationId());
        if (done != null && done.status == ReservationStatus.CONFIRMED && c.orderId().equals(done.orderId) &&
            (c.channel() == null || c.channel().equals(done.channel)))
        {
            final Ord order = orders.get(done.channel + '/' + done.orderId);
            if (order != null)
            {
                e.replayed = true;
                e.firstVersion = order.version;
                e.order = order;
                e.allocations = order.shipments;
                return;
            }
        }
        final Res r = findHeld(c, e, nowMillis);
        if (r == null)
        {
            return;
        }
        final String key = r.channel + '/' + c.orderId();
        if (orders.containsKey(key))
        {
            e.reason = RejectReason.ORDER_EXISTS;
            return;
        }
        final Set<String> quoted = new HashSet<>();
        for (int q = 0; q < c.quoteCount(); q++)
        {
            final String sku = c.quoteSku(q);
            final boolean inReservation = r.lines.stream().anyMatch(line -> line.sku().equals(sku));
            if (!inReservation || !quoted.add(sku) || !r.channel.equals(c.quoteChannel(q)))
            {
                e.reason = RejectReason.QUOTE_MISMATCH;
                return;
            }
            if (c.quoteExpiresAtMillis(q) <= nowMillis)
            {
                e.reason = RejectReason.QUOTE_EXPIRED;
                return;
            }
        }
        final LinkedHashMap<String, Long> demand = new LinkedHashMap<>();
        for (final Map.Entry<Cell, Long> hold : r.holds.entrySet())
        {
            demand.merge(hold.getKey().sku(), hold.getValue(), Long::sum);
        }
        final Map<Cell, Long> plan = route(demand, routingOrder(r.channel), r.holds, c.destinationCountry(),
            c.destinationPostalCode(), nowMillis);
        if (plan == null)
        {
            e.reason = RejectReason.OUT_OF_STOCK;
            return;
        }
        if (!makeRoomForAnOrder(e))
        {
            return;
        }
        final List<Long> noBackorders = new ArrayList<>();
        for (int i = 0; i < r.lines.size(); i++)
        {
            noBackorders.add(0L);
        }
        final Ord order = new Ord(r.channel, c.orderId(), r.id, request(c), r.lines, noBackorders, plan);
        resolve(r, ReservationStatus.CONFIRMED);
        r.orderId = c.orderId();
        order.version = c.sequence();
        orders.put(key, order);
        e.order = order;
        e.allocations = plan;
    }

    private boolean makeRoomForAnOrder(final Expected e)
    {
        if (orders.size() < config.maxOrders())
        {
            return true;
        }
        final String oldestClosed = closedOrders.pollFirst();
        if (oldestClosed == null)
        {
            e.reason = RejectReason.ORDER_LIMIT;
            return false;
        }
        orders.remove(oldestClosed);
        return true;
    }

    /**
     * Routing: the first location, in the channel's routing order, that can ship every unit; else a split that
     * each time takes the location able to ship the most of what is left (the earlier on a tie). A location can
     * ship what the request holds there plus what is available there.
     *
     * @return units per record, or null when the locations cannot ship everything.
     */
    private Map<Cell, Long> route(
        final LinkedHashMap<String, Long> demand, final List<String> candidates, final Map<Cell, Long> held,
        final String country, final String postalCode, final long nowMillis)
    {
        final List<String> locationIds = new ArrayList<>(locations.keySet());
        final DeliveryPromise bestPromise = new DeliveryPromise();
        final DeliveryPromise promise = new DeliveryPromise();
        final Map<Cell, Long> capacity = new HashMap<>();
        for (final String sku : demand.keySet())
        {
            for (final String location : candidates)
            {
                final Cell cell = new Cell(sku, location);
                capacity.put(cell, held.getOrDefault(cell, 0L) + Math.max(0, available(cell)));
            }
        }
        final Map<Cell, Long> plan = new TreeMap<>(Comparator.comparing(Cell::toString));
        String single = null;
        for (final String location : candidates)
        {
            boolean all = true;
            for (final Map.Entry<String, Long> need : demand.entrySet())
            {
                all &= capacity.get(new Cell(need.getKey(), location)) >= need.getValue();
            }
            if (all && country == null)
            {
                single = location;
                break;
            }
            if (all)
            {
                planner.promise(locationIds.indexOf(location), country, postalCode == null ? "" : postalCode,
                    nowMillis, promise);
                if (single == null || promise.compareArrival(bestPromise) < 0)
                {
                    single = location;
                    bestPromise.copyFrom(promise);
                }
            }
        }
        if (single != null)
        {
            for (final Map.Entry<String, Long> need : demand.entrySet())
            {
                if (need.getValue() > 0)
                {
                    plan.put(new Cell(need.getKey(), single), need.getValue());
                }
            }
            return plan;
        }
        final Map<String, Long> left = new LinkedHashMap<>(demand);
        final List<String> unused = new ArrayList<>(candidates);
        while (left.values().stream().mapToLong(Long::longValue).sum() > 0)
        {
            String best = null;
            long bestUnits = 0;
            for (final String location : unused)
            {
                long units = 0;
                for (final Map.Entry<String, Long> need : left.entrySet())
                {
                    units += Math.min(need.getValue(), capacity.get(new Cell(need.getKey(), location)));
                }
                if (units > bestUnits)
                {
                    best = location;
                    bestUnits = units;
                }
            }
            if (best == null)
            {
                return null;
            }
            unused.remove(best);
            for (final Map.Entry<String, Long> need : left.entrySet())
            {
                final Cell cell = new Cell(need.getKey(), best);
                final long take = Math.min(need.getValue(), capacity.get(cell));
                if (take > 0)
                {
                    plan.put(cell, take);
                    need.setValue(need.getValue() - take);
                }
            }
        }
        return plan;
    }

    private void order(final Command c, final Expected e, final long nowMillis)
    {
        if (!channels.containsKey(c.channel()))
        {
            e.reason = RejectReason.UNKNOWN_CHANNEL;
            return;
        }
        if (!validId(c.orderId()))
        {
            e.reason = RejectReason.INVALID_ID;
            return;
        }
        if (demand(c, e) == null)
        {
            return;
        }
        final String key = c.channel() + '/' + c.orderId();
        final Ord existing = orders.get(key);
        if (existing != null)
        {
            if (existing.request.equals(request(c)))
            {
                e.replayed = true;
                e.firstVersion = existing.version;
                e.order = existing;
                e.allocations = existing.shipments;
            }
            else
            {
                e.reason = RejectReason.ORDER_EXISTS;
            }
            return;
        }
        if (!makeRoomForAnOrder(e))
        {
            return;
        }
        final Map<String, Long> poolLeft = new HashMap<>();
        final LinkedHashMap<String, Long> demand = new LinkedHashMap<>();
        final List<Long> backordered = new ArrayList<>();
        for (int i = 0; i < c.lineCount(); i++)
        {
            final String sku = c.lineSku(i);
            final long qty = c.lineQuantity(i);
            final SkuSpec spec = skus.get(sku);
            long units = qty;
            if (spec.isBundle())
            {
                for (int k = 0; k < spec.componentCount(); k++)
                {
                    final String part = spec.componentSku(k);
                    units = Math.min(units, poolLeft.computeIfAbsent(part, p -> rawPool(p, c.channel())) / spec.componentQty(k));
                }
                for (int k = 0; k < spec.componentCount(); k++)
                {
                    final long take = units * spec.componentQty(k);
                    poolLeft.merge(spec.componentSku(k), -take, Long::sum);
                    demand.merge(spec.componentSku(k), take, Long::sum);
                }
            }
            else
            {
                units = Math.min(qty, poolLeft.computeIfAbsent(sku, p -> rawPool(p, c.channel())));
                poolLeft.merge(sku, -units, Long::sum);
                demand.merge(sku, units, Long::sum);
            }
            backordered.add(qty - units);
            if (units < qty)
            {
                e.oversold.merge(sku, qty - units, Long::sum);
            }
        }
        final Map<Cell, Long> plan = route(demand, routingOrder(c.channel()), Map.of(), c.destinationCountry(),
            c.destinationPostalCode(), nowMillis);
        if (plan == null)
        {
            throw new AssertionError("the model could not route units it took from the pool");
        }
        final Ord order = new Ord(c.channel(), c.orderId(), 0, request(c), lines(c), backordered, plan);
        order.version = c.sequence();
        orders.put(key, order);
        e.order = order;
        e.allocations = plan;
    }

    private Ord findOrder(final Command c, final Expected e)
    {
        if (!validId(c.orderId()))
        {
            e.reason = RejectReason.INVALID_ID;
            return null;
        }
        if (c.channel() != null)
        {
            final Ord order = orders.get(c.channel() + '/' + c.orderId());
            if (order == null)
            {
                e.reason = RejectReason.ORDER_NOT_FOUND;
            }
            return order;
        }
        Ord found = null;
        for (final String channel : channels.keySet())
        {
            final Ord order = orders.get(channel + '/' + c.orderId());
            if (order != null)
            {
                if (found != null)
                {
                    e.reason = RejectReason.ORDER_AMBIGUOUS;
                    return null;
                }
                found = order;
            }
        }
        if (found == null)
        {
            e.reason = RejectReason.ORDER_NOT_FOUND;
        }
        return found;
    }

    private void close(final Command c, final Expected e)
    {
        final Ord order = findOrder(c, e);
        if (order == null)
        {
            return;
        }
        if (order.status != OrderStatus.CONFIRMED)
        {
            e.reason = RejectReason.ORDER_NOT_OPEN;
            return;
        }
        if (c.type() == CommandType.SHIP)
        {
            for (final Map.Entry<Cell, Long> shipment : order.shipments.entrySet())
            {
                final Ledger ledger = ledger(shipment.getKey());
                ledger.onHand -= shipment.getValue();
                ledger.shipments += shipment.getValue();
            }
            order.status = OrderStatus.SHIPPED;
        }
        else
        {
            order.status = OrderStatus.CANCELLED;
        }
        closedOrders.addLast(order.channel + '/' + order.orderId);
        e.order = order;
        e.allocations = order.shipments;
    }
}
