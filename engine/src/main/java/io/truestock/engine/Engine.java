package io.truestock.engine;

import io.truestock.engine.catalog.Catalog;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.idempotency.IdempotencyWindow;
import io.truestock.engine.order.Order;
import io.truestock.engine.order.OrderBook;
import io.truestock.engine.order.OrderCommands;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSchedule;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.publish.ChannelPublisher;
import io.truestock.engine.reservation.Reservation;
import io.truestock.engine.reservation.ReservationBook;
import io.truestock.engine.reservation.ReservationCommands;
import io.truestock.engine.routing.RoutePlan;
import io.truestock.engine.routing.Router;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The inventory state machine. {@link #apply(Command, Outcome, Events)} is a deterministic function of the current
 * state and the command: time comes only from the command's timestamp, iteration orders are defined, and nothing
 * is random. Every command is validated whole before anything changes, so a rejected command changes nothing.
 * <p>
 * The engine validates what every command shares (order, text, idempotency) and dispatches to the part that owns
 * the concern: the {@link Catalog}, the {@link StockLedger}, the {@link ReservationCommands reservations}, the
 * {@link OrderCommands orders} (routed by the {@link Router}), the {@link PriceSchedule}, the
 * {@link ChannelPublisher} and the {@link IdempotencyWindow}. Each part owns its state, its snapshot section and
 * its digest section.
 * <p>
 * Threading: exactly one thread (the writer) calls {@code apply}. Any thread may call the read methods
 * ({@link #readStock}, {@link #readChannel}, {@link #offerPromise}, {@link #priceAt}, the id lookups and specs):
 * quantities are read under per-record seqlocks from off-heap tables, never blocking the writer.
 */
public final class Engine
{
    /** System property that turns on the invariant checks after every command (tests turn it on). */
    public static final String CHECK_INVARIANTS_PROPERTY = "truestock.engine.checkInvariants";

    private static final ThreadLocal<RoutePlan[]> READ_PLAN = ThreadLocal.withInitial(() -> new RoutePlan[1]);

    private final EngineConfig config;
    private final StockTable stock;
    private final Catalog catalog;
    private final PriceSchedule prices;
    private final ChannelPublisher publisher;
    private final StockLedger ledger;
    private final Router router;
    private final ReservationBook reservationBook;
    private final ReservationCommands reservations;
    private final OrderBook orderBook;
    private final OrderCommands orders;
    private final IdempotencyWindow idempotency;
    private final StockImport stockImport;
    private final Outcome definitionOutcome = new Outcome();
    private final Events definitionEvents = new Events();
    private boolean checkInvariants = Boolean.getBoolean(CHECK_INVARIANTS_PROPERTY);
    /**
     * Set while a snapshot's definitions are restored: the channel records they would republish are read whole from
     * the snapshot right after them, so the definitions are validated and installed but publish nothing.
     */
    private boolean restoringDefinitions;
    /** While a snapshot's definitions are restored: the thread clearing the new SKUs' rows meanwhile. */
    private RowClearing rowClearing;
    private volatile DefinitionCodec snapshotCodec;

    private volatile long lastSequence;
    private long lastTimestampMillis;
    private volatile long nextExpiryMillis = Long.MAX_VALUE;

    public Engine(final EngineConfig config)
    {
        this(config, 0);
    }

    /**
     * @param expectedSkus how many SKUs a snapshot restore is about to define, at most: the catalog's id index is
     *                     sized for them up front.
     */
    Engine(final EngineConfig config, final int expectedSkus)
    {
        this.config = config.isConcluded() ? config : config.conclude();
        stock = new StockTable(config.maxSkus(), config.maxLocations());
        final ChannelTable published = new ChannelTable(config.maxSkus(), config.maxChannels());
        catalog = new Catalog(this.config, stock, published, expectedSkus);
        prices = new PriceSchedule(config.maxSkus(), catalog.channels()::indexOf);
        publisher = new ChannelPublisher(stock, published, catalog);
        ledger = new StockLedger(stock, catalog, publisher);
        router = new Router(this.config, stock, catalog);
        final RoutePlan writerPlan = new RoutePlan(config.maxLocations());
        reservationBook = new ReservationBook(this.config);
        reservations = new ReservationCommands(this.config, catalog, ledger, publisher, router, writerPlan,
            reservationBook);
        orderBook = new OrderBook(catalog.channels());
        orders = new OrderCommands(this.config, catalog, ledger, publisher, prices, router, writerPlan,
            reservationBook, reservations, orderBook);
        idempotency = new IdempotencyWindow(config.idempotencyWindowMillis(), config.maxIdempotencyEntries());
        stockImport = new StockImport(this.config, stock, catalog, prices, publisher, ledger);
    }

    public EngineConfig config()
    {
        return config;
    }

    /**
     * Sets the codec that {@link EngineSnapshot#capture(Engine)} encodes this engine's definitions with: set once
     * where the engine is assembled (recovery sets the journal's), before the writer starts.
     */
    public void snapshotCodec(final DefinitionCodec codec)
    {
        snapshotCodec = codec;
    }

    /** The codec snapshots of this engine use, or null when none was set. */
    public DefinitionCodec snapshotCodec()
    {
        return snapshotCodec;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Reads: any thread.
    // ------------------------------------------------------------------------------------------------------------

    /** Sequence of the last command applied. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** Timestamp of the last mutation applied; the ingress stage never stamps earlier than this. */
    public long lastTimestampMillis()
    {
        return lastTimestampMillis;
    }

    /** Earliest expiry among held reservations or price change, or {@link Long#MAX_VALUE}: lets a ticker skip idle ticks. */
    public long nextExpiryMillis()
    {
        return nextExpiryMillis;
    }

    public int openReservations()
    {
        return reservationBook.openCount();
    }

    public int skuIndex(final String id)
    {
        return catalog.skus().indexOf(id);
    }

    public int locationIndex(final String id)
    {
        return catalog.locations().indexOf(id);
    }

    public int channelIndex(final String id)
    {
        return catalog.channels().indexOf(id);
    }

    public String skuId(final int index)
    {
        return catalog.skus().id(index);
    }

    public String locationId(final int index)
    {
        return catalog.locations().id(index);
    }

    public String channelId(final int index)
    {
        return catalog.channels().id(index);
    }

    public int skuCount()
    {
        return catalog.skus().count();
    }

    public int locationCount()
    {
        return catalog.locations().count();
    }

    public int channelCount()
    {
        return catalog.channels().count();
    }

    public SkuSpec skuSpec(final int index)
    {
        return catalog.skuSpec(index);
    }

    public LocationSpec locationSpec(final int index)
    {
        return catalog.locationSpec(index);
    }

    public ChannelSpec channelSpec(final int index)
    {
        return catalog.channel(index).spec();
    }

    /** Location indices the channel draws from, in draw order (a copy). */
    public int[] channelLocations(final int channelIndex)
    {
        return catalog.channel(channelIndex).locations().clone();
    }

    /** @return false when the SKU or location is unknown. */
    public boolean readStock(final String sku, final String location, final StockView view)
    {
        final int s = catalog.skus().indexOf(sku);
        final int l = catalog.locations().indexOf(location);
        if (s < 0 || l < 0)
        {
            return false;
        }
        stock.read(s, l, view);
        return true;
    }

    public void readStock(final int sku, final int location, final StockView view)
    {
        stock.read(sku, location, view);
    }

    /** @return false when the SKU or channel is unknown. */
    public boolean readChannel(final String sku, final String channel, final ChannelView view)
    {
        final int s = catalog.skus().indexOf(sku);
        final int c = catalog.channels().indexOf(channel);
        if (s < 0 || c < 0)
        {
            return false;
        }
        publisher.read(s, c, view);
        return true;
    }

    public void readChannel(final int sku, final int channel, final ChannelView view)
    {
        publisher.read(sku, channel, view);
    }

    /**
     * The effective unit price of a SKU on a channel at an instant (see {@link io.truestock.engine.price.PriceList#effective}),
     * or null for an index no SKU has. Allocates nothing.
     *
     * @param channel a channel index, or -1 for no channel.
     */
    public Price priceAt(final int sku, final int channel, final long atEpochMillis)
    {
        return sku < 0 || sku >= catalog.skus().count() ? null : prices.priceAt(sku, channel, atEpochMillis);
    }

    /** The SKU's whole price list, or null for an index no SKU has. */
    public PriceSpec priceSpec(final int sku)
    {
        return sku < 0 || sku >= catalog.skus().count() ? null : prices.spec(sku);
    }

    /** The carriers as last defined, by id; an immutable copy any thread may read. */
    public Map<String, CarrierSpec> carriers()
    {
        return catalog.carriers();
    }

    /** A plan for {@link #offerPlan}: one per reading thread, reused. */
    public RoutePlan newRoutePlan()
    {
        return new RoutePlan(config.maxLocations());
    }

    /**
     * The plan of an offer: {@code qty} of a SKU (or bundle) on a channel to a destination, ordered at an instant.
     * The shipments are exactly those a reservation of that quantity confirmed now to the same destination would
     * make, because the same {@link Router} computes both. Lock-free, allocates nothing.
     *
     * @param into a plan from {@link #newRoutePlan()}, owned by the calling thread.
     * @return true when the channel's locations can ship it and every shipment has a delivery promise; false when
     * the arguments name nothing, stock is short ({@code into} has no shipments) or a shipment cannot be promised.
     */
    public boolean offerPlan(
        final int sku, final int channel, final long qty, final String country, final String postalCode,
        final long atEpochMillis, final RoutePlan into)
    {
        into.reset();
        if (sku < 0 || sku >= catalog.skus().count() || channel < 0 || channel >= catalog.channels().count() ||
            qty < 1 || country == null)
        {
            return false;
        }
        return router.offer(sku, catalog.channel(channel), qty, country, postalCode, atEpochMillis, into);
    }

    /**
     * The plan of an offer of a whole cart: {@code lineCount} lines of SKUs (or bundles) on a channel to a
     * destination, ordered at an instant, optionally shipped by one carrier service (the delivery option a buyer
     * picks; see {@link Command#service(String)}). The shipments are exactly those a reservation of these lines,
     * confirmed now to the same destination with the same option, would make. Lock-free, allocates nothing.
     *
     * @param carrier the one carrier service's carrier, or null for the best service at each location.
     * @param into    a plan from {@link #newRoutePlan()}, owned by the calling thread.
     * @return true when the channel's locations can ship every line and every shipment has a delivery promise (by
     * that service, when one is given).
     */
    public boolean offerCart(
        final int channel, final int[] skus, final long[] qtys, final int lineCount, final String country,
        final String postalCode, final long atEpochMillis, final String carrier, final String service,
        final RoutePlan into)
    {
        into.reset();
        if (channel < 0 || channel >= catalog.channels().count() || lineCount < 1 || country == null)
        {
            return false;
        }
        router.clearDemand(into);
        for (int i = 0; i < lineCount; i++)
        {
            if (skus[i] < 0 || skus[i] >= catalog.skus().count() || qtys[i] < 1)
            {
                return false;
            }
            router.addDemandOf(into, skus[i], qtys[i]);
        }
        return router.offerDemand(
            catalog.channel(channel), country, postalCode, atEpochMillis, carrier, service, into);
    }

    /**
     * The delivery promise of an offer (see {@link #offerPlan}): the promise of the shipment that completes the
     * order, the one that arrives last. Lock-free, allocates nothing.
     *
     * @return false when stock is short ({@code into} then keeps location -1), or a shipment cannot be promised
     * ({@code into} then holds that shipment's location and the planner's reason). {@code into} must be fresh
     * (location -1) on entry.
     */
    public boolean offerPromise(
        final int sku, final int channel, final long qty, final String country, final String postalCode,
        final long atEpochMillis, final DeliveryPromise into)
    {
        final RoutePlan[] holder = READ_PLAN.get();
        if (holder[0] == null || holder[0].maxLocations() < config.maxLocations())
        {
            holder[0] = newRoutePlan();
        }
        return offerPromise(sku, channel, qty, country, postalCode, atEpochMillis, into, holder[0]);
    }

    /**
     * {@link #offerPromise(int, int, long, String, String, long, DeliveryPromise)} that leaves the offer's whole plan
     * in {@code plan} (from {@link #newRoutePlan()}, owned by the calling thread), so a caller can list every
     * shipment of a split. Lock-free, allocates nothing.
     */
    public boolean offerPromise(
        final int sku, final int channel, final long qty, final String country, final String postalCode,
        final long atEpochMillis, final DeliveryPromise into, final RoutePlan plan)
    {
        if (offerPlan(sku, channel, qty, country, postalCode, atEpochMillis, plan))
        {
            into.copyFrom(plan.shipment(plan.lastArrival()));
            return true;
        }
        for (int i = 0; i < plan.shipmentCount(); i++)
        {
            if (!plan.shipmentPromised(i))
            {
                into.copyFrom(plan.shipment(i));
                return false;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Apply: the writer thread only.
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Applies one command. Mutations must arrive with strictly increasing sequence numbers and non-decreasing
     * timestamps (the ingress stage stamps them); queries carry neither.
     *
     * @throws IllegalStateException when a command is out of order or an invariant of the core is broken: the
     *                               writer must stop rather than go on from a state it cannot trust.
     */
    public void apply(final Command command, final Outcome out, final Events events)
    {
        out.reset();
        events.reset();
        final CommandType type = command.type();
        if (type == null)
        {
            throw new IllegalArgumentException("command has no type");
        }
        if (!type.isMutation())
        {
            query(command, out);
            return;
        }

        final long seq = command.sequence();
        final long now = command.timestampMillis();
        if (seq <= lastSequence || now < lastTimestampMillis)
        {
            throw new IllegalStateException("out of order command: seq=" + seq + " after " + lastSequence +
                ", at=" + now + " after " + lastTimestampMillis);
        }
        lastTimestampMillis = now;

        idempotency.expire(now);
        final String key = idempotency.keyOf(command);
        long fingerprint = 0;
        if (key != null)
        {
            final IdempotencyWindow.Entry entry = idempotency.get(key);
            fingerprint = command.fingerprint();
            if (entry != null)
            {
                if (entry.fingerprint() == fingerprint)
                {
                    out.copyFrom(entry.outcome());
                    out.markReplayed();
                }
                else
                {
                    out.reject(RejectReason.IDEMPOTENCY_CONFLICT, -1, seq);
                }
                lastSequence = seq;
                return;
            }
            if (idempotency.isFull())
            {
                out.reject(RejectReason.IDEMPOTENCY_LIMIT, -1, seq);
                lastSequence = seq;
                return;
            }
        }

        if (!validCommonText(command))
        {
            out.reject(RejectReason.INVALID_TEXT, -1, seq);
        }
        else
        {
            dispatch(command, out, events, seq, now);
            publisher.republishChanged(seq, events);
            if (checkInvariants)
            {
                publisher.checkPools(events, seq);
            }
        }

        if (key != null)
        {
            idempotency.remember(key, fingerprint, now, out);
        }
        updateNextExpiry();
        lastSequence = seq;
    }

    private boolean validCommonText(final Command command)
    {
        final String key = command.idempotencyKey();
        return textOk(command.reason()) && textOk(command.reference()) && textOk(command.principal()) &&
            (key == null || key.length() <= config.maxIdempotencyKeyLength());
    }

    private boolean textOk(final String text)
    {
        return text == null || text.length() <= config.maxTextLength();
    }

    private void dispatch(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        switch (c.type())
        {
            case DEFINE_LOCATION -> defineLocation(c, out, events, seq);
            case DEFINE_CHANNEL -> defineChannel(c, out, events, seq);
            case DEFINE_SKU -> defineSku(c, out, events, seq, now);
            case DEFINE_PRICES -> definePrices(c, out, events, seq, now);
            case DEFINE_CARRIER ->
            {
                if (catalog.defineCarrier(c, out, seq))
                {
                    out.accept(seq);
                }
            }
            case RECEIVE -> receive(c, out, events, seq);
            case ADJUST -> adjust(c, out, events, seq);
            case SET -> set(c, out, events, seq);
            case IMPORT_STOCK -> stockImport.apply(c, out, events, seq, now);
            case RESERVE -> reservations.reserve(c, out, events, seq, now);
            case EXTEND -> reservations.extend(c, out, seq, now);
            case RELEASE -> reservations.release(c, out, events, seq, now);
            case TICK -> tick(out, events, seq, now);
            case CONFIRM -> orders.confirm(c, out, events, seq, now);
            case ORDER -> orders.order(c, out, events, seq, now);
            case CANCEL -> orders.cancel(c, out, events, seq);
            case SHIP -> orders.ship(c, out, events, seq);
            default -> throw new IllegalStateException("not a mutation: " + c.type());
        }
    }

    // ---- configuration: the catalog defines, the publisher republishes what a definition changed ----

    private void defineLocation(final Command c, final Outcome out, final Events events, final long seq)
    {
        final int index = catalog.defineLocation(c, out, seq);
        if (index < 0)
        {
            return;
        }
        if (catalog.lastAdded() && !restoringDefinitions)
        {
            for (int ch = 0; ch < catalog.channels().count(); ch++)
            {
                if (catalog.channel(ch).spec().locations().isEmpty())
                {
                    publisher.republishChannel(ch, seq, events);
                }
            }
        }
        out.accept(seq);
        out.stockValues(-1, index, 0, 0, 0, 0);
    }

    private void defineChannel(final Command c, final Outcome out, final Events events, final long seq)
    {
        final int index = catalog.defineChannel(c, out, seq);
        if (index < 0)
        {
            return;
        }
        if (!restoringDefinitions)
        {
            publisher.republishChannel(index, seq, events);
        }
        out.accept(seq);
        out.reservation(0, null, index, 0);
    }

    private void defineSku(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final int index = catalog.defineSku(c, out, seq, now, prices, events);
        if (index < 0)
        {
            return;
        }
        if (!restoringDefinitions)
        {
            publisher.republishSku(index, seq, events);
        }
        out.accept(seq);
        out.stockValues(index, -1, 0, 0, 0, 0);
    }

    private void definePrices(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final int index = catalog.skus().indexOf(c.sku());
        if (index < 0)
        {
            out.reject(RejectReason.UNKNOWN_SKU, -1, seq);
            return;
        }
        final PriceSpec spec = c.priceSpec();
        if (spec == null)
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return;
        }
        if (prices.firstUnknownChannel(spec) != null)
        {
            out.reject(RejectReason.UNKNOWN_CHANNEL, -1, seq);
            return;
        }
        catalog.rebase(index, spec.base());
        prices.define(index, spec, now, events, true);
        out.accept(seq);
        out.stockValues(index, -1, 0, 0, 0, 0);
    }

    // ---- stock ----

    /** @return the stock record offset, or -1 after rejecting. */
    private int resolveStockRecord(final Command c, final Outcome out, final long seq)
    {
        final int s = catalog.skus().indexOf(c.sku());
        if (s < 0)
        {
            out.reject(RejectReason.UNKNOWN_SKU, -1, seq);
            return -1;
        }
        final int l = catalog.locations().indexOf(c.location());
        if (l < 0)
        {
            out.reject(RejectReason.UNKNOWN_LOCATION, -1, seq);
            return -1;
        }
        if (catalog.components(s).length > 0)
        {
            out.reject(RejectReason.BUNDLE_HAS_NO_STOCK, -1, seq);
            return -1;
        }
        return stock.offset(s, l);
    }

    private void receive(final Command c, final Outcome out, final Events events, final long seq)
    {
        final int offset = resolveStockRecord(c, out, seq);
        if (offset < 0)
        {
            return;
        }
        final long qty = c.quantity();
        if (qty < 1 || qty > config.maxLineQuantity())
        {
            out.reject(RejectReason.INVALID_QUANTITY, -1, seq);
            return;
        }
        if (stock.onHand(offset) > config.maxOnHand() - qty)
        {
            out.reject(RejectReason.QUANTITY_LIMIT, -1, seq);
            return;
        }
        final int s = catalog.skus().indexOf(c.sku());
        final int l = catalog.locations().indexOf(c.location());
        ledger.change(s, l, qty, 0, 0, seq, events);
        out.accept(seq);
        out.stock(s, l, stock, offset);
    }

    private void adjust(final Command c, final Outcome out, final Events events, final long seq)
    {
        final int offset = resolveStockRecord(c, out, seq);
        if (offset < 0)
        {
            return;
        }
        final long delta = c.quantity();
        if (delta == 0 || delta < -config.maxOnHand() || delta > config.maxLineQuantity())
        {
            out.reject(RejectReason.INVALID_QUANTITY, -1, seq);
            return;
        }
        final long onHand = stock.onHand(offset);
        if (delta > 0 && onHand > config.maxOnHand() - delta)
        {
            out.reject(RejectReason.QUANTITY_LIMIT, -1, seq);
            return;
        }
        if (onHand + delta < stock.reserved(offset) + stock.committed(offset))
        {
            out.reject(RejectReason.BELOW_ALLOCATED, -1, seq);
            return;
        }
        final int s = catalog.skus().indexOf(c.sku());
        final int l = catalog.locations().indexOf(c.location());
        ledger.change(s, l, delta, 0, 0, seq, events);
        out.accept(seq);
        out.stock(s, l, stock, offset);
    }

    private void set(final Command c, final Outcome out, final Events events, final long seq)
    {
        final int offset = resolveStockRecord(c, out, seq);
        if (offset < 0)
        {
            return;
        }
        final long newOnHand = c.quantity();
        final long newSafety = c.safety();
        final boolean setsOnHand = newOnHand != Command.ABSENT;
        final boolean setsSafety = newSafety != Command.ABSENT;
        if ((!setsOnHand && !setsSafety) ||
            (setsOnHand && (newOnHand < 0 || newOnHand > config.maxOnHand())) ||
            (setsSafety && (newSafety < 0 || newSafety > config.maxOnHand())) ||
            (c.expected() != Command.ABSENT && c.expected() < 0))
        {
            out.reject(RejectReason.INVALID_QUANTITY, -1, seq);
            return;
        }
        final int s = catalog.skus().indexOf(c.sku());
        final int l = catalog.locations().indexOf(c.location());
        final long onHand = stock.onHand(offset);
        if (c.expected() != Command.ABSENT && c.expected() != onHand)
        {
            out.reject(RejectReason.EXPECTED_MISMATCH, -1, seq);
            out.stock(s, l, stock, offset);
            return;
        }
        if (setsOnHand && newOnHand < stock.reserved(offset) + stock.committed(offset))
        {
            out.reject(RejectReason.BELOW_ALLOCATED, -1, seq);
            return;
        }
        ledger.write(s, l, offset, setsOnHand ? newOnHand : onHand, stock.reserved(offset), stock.committed(offset),
            setsSafety ? newSafety : stock.safety(offset), seq, events);
        out.accept(seq);
        out.stock(s, l, stock, offset);
    }

    // ---- time ----

    private void tick(final Outcome out, final Events events, final long seq, final long now)
    {
        reservations.expire(events, seq, now);
        prices.tick(now, events);
        reservations.trimRetained();
        out.accept(seq);
    }

    private void updateNextExpiry()
    {
        final long next = Math.min(reservationBook.nextExpiryMillis(), prices.nextChangeMillis());
        if (next != nextExpiryMillis)
        {
            nextExpiryMillis = next;
        }
    }

    // ---- queries ----

    private void query(final Command c, final Outcome out)
    {
        final long version = lastSequence;
        if (c.type() == CommandType.QUERY_RESERVATION)
        {
            final Reservation r = reservations.find(c, out, version);
            if (r != null)
            {
                out.accept(version);
                ReservationCommands.describe(r, out);
            }
        }
        else
        {
            final Order order = orders.find(c, out, version);
            if (order != null)
            {
                out.accept(version);
                OrderCommands.describe(order, out);
            }
        }
    }

    public int idempotencyEntries()
    {
        return idempotency.size();
    }

    // ---- digest ----

    /**
     * SHA-256 over every field of every part of the state, part by part in a defined order: position (sequence,
     * clock), catalog, price lists, stock records, published values and pools, reservations (held and retained),
     * orders (open and closed) and the idempotency window with its stored outcomes. Two engines that applied the
     * same commands have the same digest, whichever way (full replay or snapshot plus replay) they got there; two
     * engines whose state differs in any field have different ones. Writer thread, or any thread while the writer
     * is stopped.
     */
    public byte[] digest()
    {
        final StateDigest d = new StateDigest();
        d.section("position").putLong(lastSequence).putLong(lastTimestampMillis);
        catalog.digest(d);
        prices.digest(d);
        ledger.digest(d);
        publisher.digest(d);
        reservationBook.digest(d);
        orderBook.digest(d);
        idempotency.digest(d);
        return d.finish();
    }

    // ---- parts, for the snapshot and tests (same package) ----

    Catalog catalog()
    {
        return catalog;
    }

    StockLedger ledger()
    {
        return ledger;
    }

    ChannelPublisher publisher()
    {
        return publisher;
    }

    ReservationBook reservationBook()
    {
        return reservationBook;
    }

    OrderBook orderBook()
    {
        return orderBook;
    }

    IdempotencyWindow idempotency()
    {
        return idempotency;
    }

    /** Turns the invariant checks after every command on or off (tests). */
    void checkInvariants(final boolean on)
    {
        checkInvariants = on;
    }

    /** The DEFINE_* commands that rebuild the catalog and the price lists, in an order each is valid in. */
    void definitions(final Consumer<Command> sink)
    {
        final Command scratch = new Command(1);
        catalog.definitions(scratch, sink);
        prices.definitions(catalog.skus()::id, scratch, sink);
    }

    /**
     * Before a snapshot's definitions: they are validated and installed as their commands would be, but publish
     * nothing until {@link #restoreDefinitionsFinished()}, because the snapshot's channel records follow them. A
     * channel defined after a million SKUs would otherwise recompute a million pools only to have them overwritten.
     */
    void restoreDefinitionsStarted()
    {
        restoringDefinitions = true;
        catalog.deferRowClearing(true);
        rowClearing = new RowClearing(catalog.skus(), stock, publisher.table()).start();
    }

    /**
     * After a snapshot's definitions, before its channel records are read: returns once every defined SKU's rows
     * are clear, as defining them one by one would have left them.
     */
    void restoreDefinitionsFinished()
    {
        restoringDefinitions = false;
        catalog.deferRowClearing(false);
        final RowClearing clearing = rowClearing;
        rowClearing = null;
        if (clearing != null)
        {
            clearing.finish();
        }
    }

    /**
     * Applies one definition of a snapshot through the same code as the command, outside the sequence: a snapshot
     * restore, before anything else is restored.
     *
     * @throws IllegalArgumentException when the engine rejects it (a snapshot that does not fit this configuration).
     */
    void restoreDefinition(final Command definition)
    {
        if (definition.type() == null || !definition.type().name().startsWith("DEFINE_"))
        {
            throw new IllegalArgumentException("snapshot definition is a " + definition.type() + " command");
        }
        definitionOutcome.reset();
        definitionEvents.reset();
        dispatch(definition, definitionOutcome, definitionEvents, 0, 0);
        if (!definitionOutcome.accepted())
        {
            throw new IllegalArgumentException("snapshot definition rejected (" + definitionOutcome.reason() + "): " +
                definition);
        }
    }

    void restorePosition(final long sequence, final long timestampMillis)
    {
        lastSequence = sequence;
        lastTimestampMillis = timestampMillis;
    }

    /** After a restore: price changes still to come are announced as they would have been. */
    void restoreFinished()
    {
        prices.rebuild(lastTimestampMillis);
        updateNextExpiry();
    }
}
