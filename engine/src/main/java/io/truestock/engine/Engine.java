package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPlanner;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceList;
import io.truestock.engine.price.PriceSpec;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2ObjectHashMap;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inventory state machine. {@link #apply(Command, Outcome, Events)} is a deterministic function of the current
 * state and the command: time comes only from the command's timestamp, iteration orders are defined, and nothing
 * is random. Every command is validated whole before anything changes, so a rejected command changes nothing.
 * <p>
 * Threading: exactly one thread (the writer) calls {@code apply}. Any thread may call the read methods
 * ({@link #readStock}, {@link #readChannel}, the id lookups and specs): quantities are read under per-record
 * seqlocks from off-heap tables, never blocking the writer.
 */
public final class Engine
{
    private static final int ON_HAND = 0;
    private static final int RESERVED = 1;
    private static final int COMMITTED = 2;
    private static final int SAFETY = 3;
    private static final int MAX_TEXT = 256;
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final EngineConfig config;
    final StockTable stock;
    final ChannelTable published;
    final Registry skus;
    final Registry locations;
    final Registry channels;

    final SkuSpec[] skuSpecs;
    final int[][] components;
    final long[][] componentQtys;
    final int[][] bundlesOf;
    final LocationSpec[] locationSpecs;
    final ChannelDef[] channelDefs;
    final int[][] channelsOfLocation;
    final PriceList[] priceLists;
    final TreeMap<String, CarrierSpec> carrierSpecs = new TreeMap<>();
    final DeliveryPlanner planner;
    private final DeliveryPromise writerPromise = new DeliveryPromise();
    private final PriorityQueue<PriceBoundary> priceBoundaries = new PriorityQueue<>();
    private volatile java.util.Map<String, CarrierSpec> carriersView = java.util.Map.of();

    final Long2ObjectHashMap<Reservation> reservations = new Long2ObjectHashMap<>();
    private Reservation[] heap = new Reservation[64];
    private int heapSize;
    final ArrayDeque<Reservation> retained = new ArrayDeque<>();
    private final ArrayDeque<Reservation> pool = new ArrayDeque<>();
    long nextReservationId;

    /** Open addressing, no per-entry nodes: adding an order allocates nothing once the table has grown. */
    final Object2ObjectHashMap<OrderKey, Order> orders = new Object2ObjectHashMap<>();
    private final OrderKey probe = new OrderKey();
    private final ArrayDeque<Order> orderPool = new ArrayDeque<>();
    private static final int ORDER_POOL_LIMIT = 1024;
    final ArrayDeque<Order> closedOrders = new ArrayDeque<>();

    final HashMap<String, IdempotencyEntry> idempotency = new HashMap<>();
    final ArrayDeque<IdempotencyEntry> idempotencyByAge = new ArrayDeque<>();

    private volatile long lastSequence;
    long lastTimestampMillis;
    private volatile long nextExpiryMillis = Long.MAX_VALUE;
    private volatile int openReservations;

    private int demandCount;
    private int[] demandSku = new int[16];
    private long[] demandQty = new long[16];
    private int poolCount;
    private int[] poolSku = new int[16];
    private long[] poolLeft = new long[16];
    private long[] held = new long[64];
    private long[] assigned = new long[64];
    private long[] remaining = new long[16];
    private int[] candidates;
    private boolean[] used;
    private String routeCountry;
    private String routePostalCode = "";
    private long routeAtMillis;

    public Engine(final EngineConfig config)
    {
        this.config = config.isConcluded() ? config : config.conclude();
        final int maxSkus = config.maxSkus();
        final int maxLocations = config.maxLocations();
        final int maxChannels = config.maxChannels();
        stock = new StockTable(maxSkus, maxLocations);
        published = new ChannelTable(maxSkus, maxChannels);
        skus = new Registry(maxSkus);
        locations = new Registry(maxLocations);
        channels = new Registry(maxChannels);
        skuSpecs = new SkuSpec[maxSkus];
        components = new int[maxSkus][];
        componentQtys = new long[maxSkus][];
        bundlesOf = new int[maxSkus][];
        locationSpecs = new LocationSpec[maxLocations];
        channelDefs = new ChannelDef[maxChannels];
        channelsOfLocation = new int[maxLocations][];
        priceLists = new PriceList[maxSkus];
        // The calendar window only decides which promises take the allocation-free path, never their values, so
        // starting it from the wall clock keeps the engine deterministic.
        planner = new DeliveryPlanner(maxLocations, (int)(System.currentTimeMillis() / 86_400_000L) - 60, 1200);
        candidates = new int[maxLocations];
        used = new boolean[maxLocations];
    }

    public EngineConfig config()
    {
        return config;
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

    /** Earliest expiry among held reservations, or {@link Long#MAX_VALUE}: lets a ticker skip idle ticks. */
    public long nextExpiryMillis()
    {
        return nextExpiryMillis;
    }

    public int openReservations()
    {
        return openReservations;
    }

    public int skuIndex(final String id)
    {
        return skus.indexOf(id);
    }

    public int locationIndex(final String id)
    {
        return locations.indexOf(id);
    }

    public int channelIndex(final String id)
    {
        return channels.indexOf(id);
    }

    public String skuId(final int index)
    {
        return skus.id(index);
    }

    public String locationId(final int index)
    {
        return locations.id(index);
    }

    public String channelId(final int index)
    {
        return channels.id(index);
    }

    public int skuCount()
    {
        return skus.count();
    }

    public int locationCount()
    {
        return locations.count();
    }

    public int channelCount()
    {
        return channels.count();
    }

    public SkuSpec skuSpec(final int index)
    {
        return skuSpecs[index];
    }

    public LocationSpec locationSpec(final int index)
    {
        return locationSpecs[index];
    }

    public ChannelSpec channelSpec(final int index)
    {
        return channelDefs[index].spec();
    }

    /** Location indices the channel draws from, in draw order (a copy). */
    public int[] channelLocations(final int channelIndex)
    {
        return channelDefs[channelIndex].locations().clone();
    }

    /** @return false when the SKU or location is unknown. */
    public boolean readStock(final String sku, final String location, final StockView view)
    {
        final int s = skus.indexOf(sku);
        final int l = locations.indexOf(location);
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
    /**
     * The effective unit price of a SKU on a channel at an instant (see {@link PriceList#effective}), or null for an
     * index no SKU has. Allocates nothing.
     *
     * @param channel a channel index, or -1 for no channel.
     */
    public Price priceAt(final int sku, final int channel, final long atEpochMillis)
    {
        if (sku < 0 || sku >= skus.count())
        {
            return null;
        }
        final PriceList list = priceLists[sku];
        return list == null ? null : list.effective(channel, atEpochMillis);
    }

    /** The SKU's whole price list, or null for an index no SKU has. */
    public PriceSpec priceSpec(final int sku)
    {
        if (sku < 0 || sku >= skus.count())
        {
            return null;
        }
        final PriceList list = priceLists[sku];
        return list == null ? null : list.spec();
    }

    /** The carriers as last defined, by id; an immutable copy any thread may read. */
    public java.util.Map<String, CarrierSpec> carriers()
    {
        return carriersView;
    }

    /**
     * The delivery promise of an offer: {@code qty} of a SKU on a channel to a destination, ordered at an instant.
     * Picks what confirmation routing would pick from current stock: among the channel's locations that can ship
     * the whole quantity alone, the earliest promise (then routing order); when none can alone, the locations a
     * split would use, in routing order, and the latest of their promises (the order is complete only when its
     * last shipment arrives). Lock-free, allocates nothing.
     *
     * @return false when no location can ship, or no carrier serves the destination from a location that has the
     * stock; {@code into} then holds that location and the planner's reason, or location -1 when stock is short.
     * {@code into} must be fresh (location -1) on entry.
     */
    public boolean offerPromise(
        final int sku, final int channel, final long qty, final String country, final String postalCode,
        final long atEpochMillis, final DeliveryPromise into)
    {
        if (sku < 0 || sku >= skus.count() || channel < 0 || channel >= channels.count() || qty < 1 || country == null)
        {
            return false;
        }
        final ChannelDef def = channelDefs[channel];
        final ReadScratch scratch = READ_SCRATCH.get();
        final String postal = postalCode == null ? "" : postalCode;
        boolean found = false;
        for (final int l : def.routingOrder())
        {
            if (shippable(sku, l, scratch.view) < qty)
            {
                continue;
            }
            if (planner.promise(l, country, postal, atEpochMillis, scratch.promise))
            {
                if (!found || scratch.promise.compareArrival(into) < 0)
                {
                    into.copyFrom(scratch.promise);
                    found = true;
                }
            }
            else if (!found)
            {
                // Keeps why a location with the stock cannot promise, for an answer without delivery.
                into.copyFrom(scratch.promise);
            }
        }
        if (found || into.locationIndex() >= 0)
        {
            return found;
        }
        // No location can ship it alone. Before asking for promises, make sure the split can ship it at all: when
        // the channel's locations together are short, the answer is "not enough stock" (location -1), never the
        // promise or the reason of some location the split would have used.
        long total = 0;
        for (final int l : def.routingOrder())
        {
            total += shippable(sku, l, scratch.view);
        }
        if (total < qty)
        {
            return false;
        }
        long left = qty;
        for (final int l : def.routingOrder())
        {
            final long units = Math.min(left, shippable(sku, l, scratch.view));
            if (units <= 0)
            {
                continue;
            }
            if (!planner.promise(l, country, postal, atEpochMillis, scratch.promise))
            {
                into.copyFrom(scratch.promise);
                return false;
            }
            if (!found || scratch.promise.compareArrival(into) > 0)
            {
                into.copyFrom(scratch.promise);
                found = true;
            }
            left -= units;
            if (left == 0)
            {
                return true;
            }
        }
        // The writer took stock between the two passes: short after all.
        into.reset();
        return false;
    }

    /** Units of a SKU (or whole bundles) one location can ship now. */
    private long shippable(final int sku, final int location, final StockView view)
    {
        final int[] parts = components[sku];
        if (parts.length == 0)
        {
            readStock(sku, location, view);
            return Math.max(0, view.available());
        }
        final long[] qtys = componentQtys[sku];
        long bundles = Long.MAX_VALUE;
        for (int k = 0; k < parts.length; k++)
        {
            readStock(parts[k], location, view);
            bundles = Math.min(bundles, Math.max(0, view.available()) / qtys[k]);
        }
        return bundles;
    }

    private static final ThreadLocal<ReadScratch> READ_SCRATCH = ThreadLocal.withInitial(ReadScratch::new);

    private static final class ReadScratch
    {
        final StockView view = new StockView();
        final DeliveryPromise promise = new DeliveryPromise();
    }

    public boolean readChannel(final String sku, final String channel, final ChannelView view)
    {
        final int s = skus.indexOf(sku);
        final int c = channels.indexOf(channel);
        if (s < 0 || c < 0)
        {
            return false;
        }
        published.read(s, c, view);
        return true;
    }

    public void readChannel(final int sku, final int channel, final ChannelView view)
    {
        published.read(sku, channel, view);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Apply: the writer thread only.
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Applies one command. Mutations must arrive with strictly increasing sequence numbers and non-decreasing
     * timestamps (the ingress stage stamps them); queries carry neither.
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

        expireIdempotency(now);
        final String key = idempotencyKeyOf(command);
        IdempotencyEntry entry = null;
        long fingerprint = 0;
        if (key != null)
        {
            entry = idempotency.get(key);
            fingerprint = command.fingerprint();
            if (entry != null)
            {
                if (entry.fingerprint == fingerprint)
                {
                    out.copyFrom(entry.outcome);
                    out.markReplayed();
                }
                else
                {
                    out.reject(RejectReason.IDEMPOTENCY_CONFLICT, -1, seq);
                }
                lastSequence = seq;
                return;
            }
            if (idempotency.size() >= config.maxIdempotencyEntries())
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
        }

        if (key != null)
        {
            entry = new IdempotencyEntry(key, fingerprint, now, out.copy());
            idempotency.put(key, entry);
            idempotencyByAge.addLast(entry);
        }
        updateNextExpiry();
        lastSequence = seq;
    }

    private String idempotencyKeyOf(final Command command)
    {
        final String key = command.idempotencyKey();
        if (key == null || config.maxIdempotencyEntries() == 0)
        {
            return null;
        }
        final String principal = command.principal() == null ? "" : command.principal();
        // Length-prefixed, so no choice of characters in a principal or key can make two pairs collide.
        return principal.length() + ":" + principal + key;
    }

    private boolean validCommonText(final Command command)
    {
        return textOk(command.reason()) && textOk(command.reference()) && textOk(command.principal()) &&
            (command.idempotencyKey() == null || command.idempotencyKey().length() <= MAX_IDEMPOTENCY_KEY);
    }

    private static boolean textOk(final String text)
    {
        return text == null || text.length() <= MAX_TEXT;
    }

    private void dispatch(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        switch (c.type())
        {
            case DEFINE_LOCATION -> defineLocation(c, out, events, seq);
            case DEFINE_CHANNEL -> defineChannel(c, out, events, seq);
            case DEFINE_SKU -> defineSku(c, out, events, seq, now);
            case RECEIVE -> receive(c, out, events, seq);
            case ADJUST -> adjust(c, out, events, seq);
            case SET -> set(c, out, events, seq);
            case RESERVE -> reserve(c, out, events, seq, now);
            case EXTEND -> extend(c, out, seq, now);
            case RELEASE -> release(c, out, events, seq, now);
            case TICK -> tick(out, events, seq, now);
            case CONFIRM -> confirm(c, out, events, seq, now);
            case ORDER -> order(c, out, events, seq, now);
            case CANCEL -> cancel(c, out, events, seq);
            case SHIP -> ship(c, out, events, seq);
            case DEFINE_PRICES -> definePrices(c, out, events, seq, now);
            case DEFINE_CARRIER -> defineCarrier(c, out, seq);
            default -> throw new IllegalStateException("not a mutation: " + c.type());
        }
    }

    // ---- configuration ----

    private void defineLocation(final Command c, final Outcome out, final Events events, final long seq)
    {
        final String id = c.location();
        final LocationSpec spec = c.locationSpec();
        if (!Ids.isValid(id))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return;
        }
        if (spec == null || !validLocation(spec))
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return;
        }
        int index = locations.indexOf(id);
        final boolean added = index < 0;
        if (added)
        {
            if (locations.isFull())
            {
                out.reject(RejectReason.LOCATION_LIMIT, -1, seq);
                return;
            }
            locationSpecs[locations.count()] = spec;
            channelsOfLocation[locations.count()] = new int[0];
            index = locations.add(id);
        }
        else
        {
            locationSpecs[index] = spec;
        }
        planner.defineLocation(index, id, spec);
        for (int ch = 0; ch < channels.count(); ch++)
        {
            final ChannelDef def = channelDefs[ch];
            if (added && def.spec().locations().isEmpty())
            {
                channelDefs[ch] = resolveChannel(def.spec(), ch);
                indexChannelLocations();
                republishChannel(ch, seq, events);
            }
            else if (!added && def.includes(index))
            {
                channelDefs[ch] = resolveChannel(def.spec(), ch);
            }
        }
        out.accept(seq);
        out.stockValues(-1, index, 0, 0, 0, 0);
    }

    private static boolean validLocation(final LocationSpec spec)
    {
        if (spec.name().isEmpty() || spec.name().length() > MAX_TEXT || spec.country().length() > 2 ||
            spec.postalCode().length() > 32)
        {
            return false;
        }
        try
        {
            ZoneId.of(spec.timezone());
        }
        catch (final DateTimeException ex)
        {
            return false;
        }
        return spec.priority() >= 0 && spec.priority() <= 1_000_000 &&
            spec.cutoffMinute() >= 0 && spec.cutoffMinute() < 24 * 60 &&
            spec.handlingDays() >= 0 && spec.handlingDays() <= 365 &&
            spec.workingDaysMask() > 0 && spec.workingDaysMask() < 128 &&
            spec.holidayCount() <= LocationSpec.MAX_HOLIDAYS && DeliveryPlanner.problemWith(spec) == null;
    }

    private void definePrices(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final int index = skus.indexOf(c.sku());
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
        if (PriceList.firstUnknownChannel(spec, channels::indexOf) != null)
        {
            out.reject(RejectReason.UNKNOWN_CHANNEL, -1, seq);
            return;
        }
        final SkuSpec sku = skuSpecs[index];
        skuSpecs[index] = new SkuSpec(sku.title(), spec.base().amountMinor(), spec.base().currency(),
            sku.componentSkus(), sku.componentQtys());
        final PriceList list = new PriceList(spec, channels::indexOf);
        priceLists[index] = list;
        schedulePriceChange(index, list, now);
        events.priced(index);
        out.accept(seq);
        out.stockValues(index, -1, 0, 0, 0, 0);
    }

    /** Queues the list's next sale start or end after the instant, so a tick announces the price change then. */
    private void schedulePriceChange(final int sku, final PriceList list, final long afterMillis)
    {
        final long next = list.nextChangeAfter(afterMillis);
        if (next != Long.MAX_VALUE)
        {
            priceBoundaries.add(new PriceBoundary(next, sku, list));
        }
        // Superseded lists leave stale entries behind; past a bound, rebuild from the live lists.
        if (priceBoundaries.size() > 2 * skus.count() + 1024)
        {
            compactPriceBoundaries();
        }
    }

    private void compactPriceBoundaries()
    {
        priceBoundaries.removeIf(boundary -> priceLists[boundary.sku] != boundary.list);
    }

    private void rebuildPriceBoundaries(final long afterMillis)
    {
        priceBoundaries.clear();
        for (int s = 0; s < skus.count(); s++)
        {
            final PriceList list = priceLists[s];
            final long next = list == null ? Long.MAX_VALUE : list.nextChangeAfter(afterMillis);
            if (next != Long.MAX_VALUE)
            {
                priceBoundaries.add(new PriceBoundary(next, s, list));
            }
        }
    }

    /** Called after a snapshot restore: price changes still to come are announced as they would have been. */
    void restorePriceSchedule()
    {
        rebuildPriceBoundaries(lastTimestampMillis);
        updateNextExpiry();
    }

    private void defineCarrier(final Command c, final Outcome out, final long seq)
    {
        final String id = c.carrier();
        final CarrierSpec spec = c.carrierSpec();
        if (!Ids.isValid(id))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return;
        }
        if (spec == null || spec.name().isEmpty() || spec.name().length() > MAX_TEXT)
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return;
        }
        for (final ServiceSpec service : spec.services())
        {
            if (!Ids.isValid(service.id()) || service.name().length() > MAX_TEXT)
            {
                out.reject(RejectReason.INVALID_CONFIG, -1, seq);
                return;
            }
            for (final ZoneSpec zone : service.zones())
            {
                if (zone.location() != null && locations.indexOf(zone.location()) < 0)
                {
                    out.reject(RejectReason.UNKNOWN_LOCATION, -1, seq);
                    return;
                }
            }
        }
        if (!carrierSpecs.containsKey(id) && carrierSpecs.size() >= DeliveryPlanner.MAX_CARRIERS)
        {
            out.reject(RejectReason.CARRIER_LIMIT, -1, seq);
            return;
        }
        carrierSpecs.put(id, spec);
        carriersView = java.util.Collections.unmodifiableMap(new TreeMap<>(carrierSpecs));
        planner.defineCarrier(id, spec);
        out.accept(seq);
    }

    private static final class PriceBoundary implements Comparable<PriceBoundary>
    {
        final long atMillis;
        final int sku;
        final PriceList list;

        PriceBoundary(final long atMillis, final int sku, final PriceList list)
        {
            this.atMillis = atMillis;
            this.sku = sku;
            this.list = list;
        }

        @Override
        public int compareTo(final PriceBoundary o)
        {
            final int byTime = Long.compare(atMillis, o.atMillis);
            return byTime != 0 ? byTime : Integer.compare(sku, o.sku);
        }
    }

    private void defineChannel(final Command c, final Outcome out, final Events events, final long seq)
    {
        final String id = c.channel();
        final ChannelSpec spec = c.channelSpec();
        if (!Ids.isValid(id))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return;
        }
        if (spec == null || spec.name().isEmpty() || spec.name().length() > MAX_TEXT ||
            spec.percent() < 0 || spec.percent() > 100 || spec.buffer() < 0 || spec.buffer() > config.maxOnHand() ||
            spec.maxListed() < ChannelSpec.UNLIMITED || spec.lowStockThreshold() < 0 ||
            spec.locations().size() > config.maxLocations())
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return;
        }
        final Set<String> seen = new HashSet<>();
        for (final String location : spec.locations())
        {
            if (!seen.add(location))
            {
                out.reject(RejectReason.INVALID_CONFIG, -1, seq);
                return;
            }
            if (locations.indexOf(location) < 0)
            {
                out.reject(RejectReason.UNKNOWN_LOCATION, -1, seq);
                return;
            }
        }
        int index = channels.indexOf(id);
        if (index < 0 && channels.isFull())
        {
            out.reject(RejectReason.CHANNEL_LIMIT, -1, seq);
            return;
        }
        final ChannelDef def = resolveChannel(spec, index < 0 ? channels.count() : index);
        if (index < 0)
        {
            channelDefs[channels.count()] = def;
            index = channels.add(id);
        }
        else
        {
            channelDefs[index] = def;
        }
        indexChannelLocations();
        republishChannel(index, seq, events);
        out.accept(seq);
        out.reservation(0, null, index, 0);
    }

    ChannelDef resolveChannel(final ChannelSpec spec, final int channelIndex)
    {
        final int[] resolved;
        if (spec.locations().isEmpty())
        {
            resolved = new int[locations.count()];
            for (int i = 0; i < resolved.length; i++)
            {
                resolved[i] = i;
            }
        }
        else
        {
            resolved = new int[spec.locations().size()];
            for (int i = 0; i < resolved.length; i++)
            {
                resolved[i] = locations.indexOf(spec.locations().get(i));
            }
        }
        final Integer[] order = new Integer[resolved.length];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) ->
        {
            final int byPriority = Integer.compare(
                locationSpecs[resolved[a]].priority(), locationSpecs[resolved[b]].priority());
            return byPriority != 0 ? byPriority : Integer.compare(a, b);
        });
        final int[] routing = new int[resolved.length];
        for (int i = 0; i < routing.length; i++)
        {
            routing[i] = resolved[order[i]];
        }
        return new ChannelDef(channelIndex, spec, resolved, routing);
    }

    void indexChannelLocations()
    {
        for (int l = 0; l < locations.count(); l++)
        {
            int n = 0;
            final int[] list = new int[channels.count()];
            for (int ch = 0; ch < channels.count(); ch++)
            {
                if (channelDefs[ch].includes(l))
                {
                    list[n++] = ch;
                }
            }
            channelsOfLocation[l] = Arrays.copyOf(list, n);
        }
    }

    private void defineSku(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final String id = c.sku();
        final SkuSpec spec = c.skuSpec();
        if (!Ids.isValid(id))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return;
        }
        if (spec == null || spec.title().length() > MAX_TEXT || spec.priceAmountMinor() < 0 ||
            !spec.currency().matches("[A-Z]{3}") || spec.componentCount() > config.maxComponentsPerBundle())
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return;
        }
        int index = skus.indexOf(id);
        final int[] parts = new int[spec.componentCount()];
        final long[] partQtys = new long[spec.componentCount()];
        for (int i = 0; i < parts.length; i++)
        {
            final int part = skus.indexOf(spec.componentSku(i));
            if (part < 0)
            {
                out.reject(RejectReason.UNKNOWN_SKU, i, seq);
                return;
            }
            final long qty = spec.componentQty(i);
            if (part == index || components[part].length > 0 || qty < 1 || qty > config.maxLineQuantity())
            {
                out.reject(RejectReason.INVALID_CONFIG, i, seq);
                return;
            }
            for (int j = 0; j < i; j++)
            {
                if (parts[j] == part)
                {
                    out.reject(RejectReason.INVALID_CONFIG, i, seq);
                    return;
                }
            }
            parts[i] = part;
            partQtys[i] = qty;
        }
        if (index < 0 && skus.isFull())
        {
            out.reject(RejectReason.SKU_LIMIT, -1, seq);
            return;
        }
        final Price base = new Price(spec.priceAmountMinor(), spec.currency());
        final PriceList oldPrices = index < 0 ? null : priceLists[index];
        final PriceSpec prices;
        try
        {
            prices = oldPrices == null ? PriceSpec.baseOnly(base) : oldPrices.spec().withBase(base);
        }
        catch (final IllegalArgumentException e)
        {
            // The SKU's channel or sale prices are in another currency: change them with the price list first.
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return;
        }
        if (index >= 0 && parts.length > 0)
        {
            if (bundlesOf[index].length > 0)
            {
                out.reject(RejectReason.INVALID_CONFIG, -1, seq);
                return;
            }
            if (components[index].length == 0 && hasStock(index))
            {
                out.reject(RejectReason.SKU_IN_USE, -1, seq);
                return;
            }
        }

        if (index < 0)
        {
            final int next = skus.count();
            skuSpecs[next] = spec;
            components[next] = parts;
            componentQtys[next] = partQtys;
            bundlesOf[next] = new int[0];
            priceLists[next] = new PriceList(prices, channels::indexOf);
            index = skus.add(id);
        }
        else
        {
            for (final int oldPart : components[index])
            {
                bundlesOf[oldPart] = without(bundlesOf[oldPart], index);
            }
            skuSpecs[index] = spec;
            componentQtys[index] = partQtys;
            components[index] = parts;
            if (!prices.equals(oldPrices.spec()))
            {
                final PriceList list = new PriceList(prices, channels::indexOf);
                priceLists[index] = list;
                schedulePriceChange(index, list, now);
                events.priced(index);
            }
        }
        for (final int part : parts)
        {
            bundlesOf[part] = with(bundlesOf[part], index);
        }
        for (int ch = 0; ch < channels.count(); ch++)
        {
            republish(index, ch, seq, events);
        }
        out.accept(seq);
        out.stockValues(index, -1, 0, 0, 0, 0);
    }

    private boolean hasStock(final int sku)
    {
        for (int l = 0; l < locations.count(); l++)
        {
            final int o = stock.offset(sku, l);
            if (stock.onHand(o) != 0 || stock.reserved(o) != 0 || stock.committed(o) != 0)
            {
                return true;
            }
        }
        return false;
    }

    private static int[] with(final int[] list, final int value)
    {
        final int[] copy = Arrays.copyOf(list, list.length + 1);
        copy[list.length] = value;
        return copy;
    }

    private static int[] without(final int[] list, final int value)
    {
        int n = 0;
        final int[] copy = new int[list.length];
        for (final int v : list)
        {
            if (v != value)
            {
                copy[n++] = v;
            }
        }
        return Arrays.copyOf(copy, n);
    }

    // ---- stock ----

    /** @return the stock record offset, or -1 after rejecting. */
    private int resolveStockRecord(final Command c, final Outcome out, final long seq)
    {
        final int s = skus.indexOf(c.sku());
        if (s < 0)
        {
            out.reject(RejectReason.UNKNOWN_SKU, -1, seq);
            return -1;
        }
        final int l = locations.indexOf(c.location());
        if (l < 0)
        {
            out.reject(RejectReason.UNKNOWN_LOCATION, -1, seq);
            return -1;
        }
        if (components[s].length > 0)
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
        final int s = skus.indexOf(c.sku());
        final int l = locations.indexOf(c.location());
        change(s, l, qty, 0, 0, seq, events);
        republishChanged(seq, events);
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
        final int s = skus.indexOf(c.sku());
        final int l = locations.indexOf(c.location());
        change(s, l, delta, 0, 0, seq, events);
        republishChanged(seq, events);
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
        final long onHand = stock.onHand(offset);
        if (c.expected() != Command.ABSENT && c.expected() != onHand)
        {
            out.reject(RejectReason.EXPECTED_MISMATCH, -1, seq);
            out.stock(skus.indexOf(c.sku()), locations.indexOf(c.location()), stock, offset);
            return;
        }
        if (setsOnHand && newOnHand < stock.reserved(offset) + stock.committed(offset))
        {
            out.reject(RejectReason.BELOW_ALLOCATED, -1, seq);
            return;
        }
        final int s = skus.indexOf(c.sku());
        final int l = locations.indexOf(c.location());
        final long deltaOnHand = setsOnHand ? newOnHand - onHand : 0;
        write(s, l, offset, onHand + deltaOnHand, stock.reserved(offset), stock.committed(offset),
            setsSafety ? newSafety : stock.safety(offset), seq, events);
        republishChanged(seq, events);
        out.accept(seq);
        out.stock(s, l, stock, offset);
    }

    // ---- reservations ----

    /** Validates the lines and builds the summed component demand. @return false after rejecting. */
    private boolean buildDemand(final Command c, final Outcome out, final long seq)
    {
        final int n = c.lineCount();
        if (n == 0)
        {
            out.reject(RejectReason.INVALID_LINES, -1, seq);
            return false;
        }
        if (n > config.maxLinesPerCommand())
        {
            out.reject(RejectReason.TOO_MANY_LINES, -1, seq);
            return false;
        }
        demandCount = 0;
        for (int i = 0; i < n; i++)
        {
            final int s = skus.indexOf(c.lineSku(i));
            if (s < 0)
            {
                out.reject(RejectReason.UNKNOWN_SKU, i, seq);
                return false;
            }
            final long qty = c.lineQuantity(i);
            if (qty < 1 || qty > config.maxLineQuantity())
            {
                out.reject(RejectReason.INVALID_QUANTITY, i, seq);
                return false;
            }
            final int[] parts = components[s];
            if (parts.length == 0)
            {
                addDemand(s, qty);
            }
            else
            {
                final long[] qtys = componentQtys[s];
                for (int k = 0; k < parts.length; k++)
                {
                    addDemand(parts[k], qty * qtys[k]);
                }
            }
        }
        return true;
    }

    private void addDemand(final int sku, final long qty)
    {
        for (int i = 0; i < demandCount; i++)
        {
            if (demandSku[i] == sku)
            {
                demandQty[i] += qty;
                return;
            }
        }
        if (demandCount == demandSku.length)
        {
            demandSku = Arrays.copyOf(demandSku, demandCount * 2);
            demandQty = Arrays.copyOf(demandQty, demandCount * 2);
        }
        demandSku[demandCount] = sku;
        demandQty[demandCount] = qty;
        demandCount++;
    }

    private void reserve(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final int ch = channels.indexOf(c.channel());
        if (ch < 0)
        {
            out.reject(RejectReason.UNKNOWN_CHANNEL, -1, seq);
            return;
        }
        if (c.ttlSeconds() < 1 || c.ttlSeconds() > config.maxTtlSeconds())
        {
            out.reject(RejectReason.INVALID_TTL, -1, seq);
            return;
        }
        if (!buildDemand(c, out, seq))
        {
            return;
        }
        if (openReservations >= config.maxOpenReservations())
        {
            out.reject(RejectReason.RESERVATION_LIMIT, -1, seq);
            return;
        }
        final ChannelDef def = channelDefs[ch];
        boolean short_ = false;
        for (int d = 0; d < demandCount; d++)
        {
            if (rawPool(demandSku[d], def) < demandQty[d])
            {
                short_ = true;
                break;
            }
        }
        if (short_)
        {
            int firstShort = -1;
            for (int i = 0; i < c.lineCount(); i++)
            {
                final int s = skus.indexOf(c.lineSku(i));
                final long available = poolOf(s, def);
                if (firstShort < 0 && available < c.lineQuantity(i))
                {
                    firstShort = i;
                }
                out.addLine(s, c.lineQuantity(i), available, 0);
            }
            out.reject(RejectReason.OUT_OF_STOCK, Math.max(firstShort, 0), seq);
            out.reservation(0, null, ch, 0);
            return;
        }

        final Reservation r = pool.isEmpty() ? new Reservation() : pool.pollFirst();
        r.reset();
        r.id = ++nextReservationId;
        r.channel = ch;
        r.status = ReservationStatus.HELD;
        r.expiresAtMillis = now + c.ttlSeconds() * 1000L;
        for (int i = 0; i < c.lineCount(); i++)
        {
            r.addLine(skus.indexOf(c.lineSku(i)), c.lineQuantity(i));
        }
        for (int d = 0; d < demandCount; d++)
        {
            long left = demandQty[d];
            final int s = demandSku[d];
            for (final int l : def.locations())
            {
                if (left == 0)
                {
                    break;
                }
                final long take = Math.min(left, Math.max(0, stock.available(stock.offset(s, l))));
                if (take > 0)
                {
                    change(s, l, 0, take, 0, seq, events);
                    r.addHold(s, l, take);
                    left -= take;
                }
            }
            if (left != 0)
            {
                throw new IllegalStateException("reserve: pool check passed but " + left + " units not held");
            }
        }
        reservations.put(r.id, r);
        heapAdd(r);
        openReservations++;
        republishChanged(seq, events);
        out.accept(seq);
        describe(r, out);
    }

    private Reservation findReservation(final Command c, final Outcome out, final long seq)
    {
        final Reservation r = reservations.get(c.reservationId());
        if (r == null)
        {
            out.reject(RejectReason.RESERVATION_NOT_FOUND, -1, seq);
            return null;
        }
        if (c.channel() != null && !c.channel().equals(channels.id(r.channel)))
        {
            out.reject(RejectReason.CHANNEL_MISMATCH, -1, seq);
            return null;
        }
        return r;
    }

    /** @return the reservation if it is held and live, else null after rejecting. */
    private Reservation findHeld(final Command c, final Outcome out, final long seq, final long now)
    {
        final Reservation r = findReservation(c, out, seq);
        if (r == null)
        {
            return null;
        }
        if (r.status == ReservationStatus.EXPIRED || (r.status == ReservationStatus.HELD && now >= r.expiresAtMillis))
        {
            out.reject(RejectReason.RESERVATION_EXPIRED, -1, seq);
            describe(r, out);
            return null;
        }
        if (r.status != ReservationStatus.HELD)
        {
            out.reject(RejectReason.RESERVATION_NOT_HELD, -1, seq);
            describe(r, out);
            return null;
        }
        return r;
    }

    private void extend(final Command c, final Outcome out, final long seq, final long now)
    {
        if (c.ttlSeconds() < 1 || c.ttlSeconds() > config.maxTtlSeconds())
        {
            out.reject(RejectReason.INVALID_TTL, -1, seq);
            return;
        }
        final Reservation r = findHeld(c, out, seq, now);
        if (r == null)
        {
            return;
        }
        r.expiresAtMillis = now + c.ttlSeconds() * 1000L;
        heapRemove(r);
        heapAdd(r);
        out.accept(seq);
        describe(r, out);
    }

    private void release(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final Reservation r = findHeld(c, out, seq, now);
        if (r == null)
        {
            return;
        }
        releaseHolds(r, seq, events);
        resolve(r, ReservationStatus.RELEASED);
        republishChanged(seq, events);
        out.accept(seq);
        describe(r, out);
        // Only after describing it: with no room to retain resolved reservations, trimming recycles this one.
        trimRetained();
    }

    private void tick(final Outcome out, final Events events, final long seq, final long now)
    {
        while (heapSize > 0 && heap[0].expiresAtMillis <= now)
        {
            final Reservation r = heap[0];
            events.expired(r.id);
            releaseHolds(r, seq, events);
            resolve(r, ReservationStatus.EXPIRED);
        }
        while (!priceBoundaries.isEmpty() && priceBoundaries.peek().atMillis <= now)
        {
            final PriceBoundary boundary = priceBoundaries.poll();
            if (priceLists[boundary.sku] == boundary.list)
            {
                events.priced(boundary.sku);
                schedulePriceChange(boundary.sku, boundary.list, boundary.atMillis);
            }
        }
        trimRetained();
        republishChanged(seq, events);
        out.accept(seq);
    }

    private void releaseHolds(final Reservation r, final long seq, final Events events)
    {
        for (int i = 0; i < r.holdCount; i++)
        {
            change(r.holdSku[i], r.holdLocation[i], 0, -r.holdQty[i], 0, seq, events);
        }
    }

    /**
     * Moves a held reservation to a final status and into the list of retained ones; the caller bounds that list
     * with {@link #trimRetained()} once it no longer reads the reservation.
     */
    private void resolve(final Reservation r, final ReservationStatus status)
    {
        heapRemove(r);
        r.status = status;
        openReservations--;
        retained.addLast(r);
    }

    /** Forgets the oldest resolved reservations beyond the bound and recycles them. */
    private void trimRetained()
    {
        while (retained.size() > config.maxRetainedReservations())
        {
            final Reservation oldest = retained.pollFirst();
            reservations.remove(oldest.id);
            oldest.reset();
            pool.addLast(oldest);
        }
    }

    private void describe(final Reservation r, final Outcome out)
    {
        out.reservation(r.id, r.status, r.channel, r.expiresAtMillis);
        if (r.orderId != null)
        {
            out.order(r.orderId, null, r.channel, r.id);
        }
        for (int i = 0; i < r.lineCount; i++)
        {
            out.addLine(r.lineSku[i], r.lineQty[i], 0, 0);
        }
        for (int i = 0; i < r.holdCount; i++)
        {
            out.addAllocation(r.holdSku[i], r.holdLocation[i], r.holdQty[i]);
        }
    }

    // ---- orders ----

    private void confirm(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        if (!Ids.isValid(c.orderId()))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return;
        }
        final Reservation confirmed = reservations.get(c.reservationId());
        if (confirmed != null && confirmed.status == ReservationStatus.CONFIRMED &&
            c.orderId().equals(confirmed.orderId) &&
            (c.channel() == null || c.channel().equals(channels.id(confirmed.channel))))
        {
            final Order order = orders.get(probe.set(confirmed.channel, confirmed.orderId));
            if (order != null)
            {
                // Confirming again into the same order (a retry after a lost answer): the order, unchanged.
                out.accept(order.version);
                describe(order, out);
                out.markReplayed();
                out.markDuplicate();
                return;
            }
        }
        final Reservation r = findHeld(c, out, seq, now);
        if (r == null)
        {
            return;
        }
        if (orders.containsKey(probe.set(r.channel, c.orderId())))
        {
            out.reject(RejectReason.ORDER_EXISTS, -1, seq);
            return;
        }
        if (!quotesFit(c, r, out, seq, now))
        {
            return;
        }
        final ChannelDef def = channelDefs[r.channel];
        demandCount = 0;
        for (int i = 0; i < r.holdCount; i++)
        {
            addDemand(r.holdSku[i], r.holdQty[i]);
        }
        final int locationCount = locations.count();
        clearPlan(locationCount);
        for (int i = 0; i < r.holdCount; i++)
        {
            held[demandIndex(r.holdSku[i]) * locationCount + r.holdLocation[i]] += r.holdQty[i];
        }
        final int candidateCount = candidatesFor(def);
        routeTo(c.destinationCountry(), c.destinationPostalCode(), now);
        // The channel may have stopped drawing from a location where this reservation holds units since it was
        // made; those holds are given back, and if the channel's locations cannot ship the rest, nothing changes.
        if (!route(candidateCount, locationCount))
        {
            out.reject(RejectReason.OUT_OF_STOCK, -1, seq);
            describe(r, out);
            return;
        }
        if (!makeRoomForOrder(out, seq))
        {
            return;
        }

        final Order order = newOrder().init(c.orderId(), r.channel, r.id, c.fingerprint(), seq,
            c.destinationCountry(), c.destinationPostalCode());
        for (int i = 0; i < r.lineCount; i++)
        {
            final int quote = quoteFor(c, r.lineSku[i]);
            if (quote >= 0)
            {
                order.addLine(r.lineSku[i], r.lineQty[i], 0, c.quoteAmountMinor(quote), c.quoteCurrency(quote));
            }
            else
            {
                final Price price = priceLists[r.lineSku[i]].effective(r.channel, now);
                order.addLine(r.lineSku[i], r.lineQty[i], 0, price.amountMinor(), price.currency());
            }
        }
        commitPlan(order, locationCount, seq, events);
        addShipments(order, locationCount);
        orders.put(order.key, order);
        r.orderId = c.orderId();
        resolve(r, ReservationStatus.CONFIRMED);
        trimRetained();
        republishChanged(seq, events);
        out.accept(seq);
        describe(order, out);
    }

    private void order(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final int ch = channels.indexOf(c.channel());
        if (ch < 0)
        {
            out.reject(RejectReason.UNKNOWN_CHANNEL, -1, seq);
            return;
        }
        if (!Ids.isValid(c.orderId()))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return;
        }
        if (!buildDemand(c, out, seq))
        {
            return;
        }
        final Order existing = orders.get(probe.set(ch, c.orderId()));
        if (existing != null)
        {
            if (existing.fingerprint == c.fingerprint())
            {
                // A channel redelivering an order it already sent: the first answer, and nothing changes.
                out.accept(existing.version);
                describe(existing, out);
                out.markReplayed();
                out.markDuplicate();
            }
            else
            {
                out.reject(RejectReason.ORDER_EXISTS, -1, seq);
            }
            return;
        }
        if (!makeRoomForOrder(out, seq))
        {
            return;
        }

        final ChannelDef def = channelDefs[ch];
        final Order order = newOrder().init(c.orderId(), ch, 0, c.fingerprint(), seq,
            c.destinationCountry(), c.destinationPostalCode());
        poolCount = 0;
        demandCount = 0;
        for (int i = 0; i < c.lineCount(); i++)
        {
            final int s = skus.indexOf(c.lineSku(i));
            final long qty = c.lineQuantity(i);
            final int[] parts = components[s];
            final long units;
            if (parts.length == 0)
            {
                units = Math.min(qty, poolLeft(s, def));
                takeFromPool(s, units);
                addDemand(s, units);
            }
            else
            {
                final long[] qtys = componentQtys[s];
                long possible = qty;
                for (int k = 0; k < parts.length; k++)
                {
                    possible = Math.min(possible, poolLeft(parts[k], def) / qtys[k]);
                }
                units = possible;
                for (int k = 0; k < parts.length; k++)
                {
                    takeFromPool(parts[k], units * qtys[k]);
                    addDemand(parts[k], units * qtys[k]);
                }
            }
            final Price price = priceLists[s].effective(ch, now);
            order.addLine(s, qty, qty - units, price.amountMinor(), price.currency());
            if (units < qty)
            {
                events.oversold(s, qty - units);
            }
        }
        final int locationCount = locations.count();
        clearPlan(locationCount);
        final int candidateCount = candidatesFor(def);
        routeTo(c.destinationCountry(), c.destinationPostalCode(), now);
        if (!route(candidateCount, locationCount))
        {
            throw new IllegalStateException("order: units taken from the channel's pool have no location");
        }
        commitPlan(order, locationCount, seq, events);
        addShipments(order, locationCount);
        orders.put(order.key, order);
        republishChanged(seq, events);
        out.accept(seq);
        describe(order, out);
    }

    private long poolLeft(final int sku, final ChannelDef def)
    {
        for (int i = 0; i < poolCount; i++)
        {
            if (poolSku[i] == sku)
            {
                return poolLeft[i];
            }
        }
        if (poolCount == poolSku.length)
        {
            poolSku = Arrays.copyOf(poolSku, poolCount * 2);
            poolLeft = Arrays.copyOf(poolLeft, poolCount * 2);
        }
        poolSku[poolCount] = sku;
        poolLeft[poolCount] = rawPool(sku, def);
        return poolLeft[poolCount++];
    }

    private void takeFromPool(final int sku, final long qty)
    {
        for (int i = 0; i < poolCount; i++)
        {
            if (poolSku[i] == sku)
            {
                poolLeft[i] -= qty;
                return;
            }
        }
    }

    private boolean makeRoomForOrder(final Outcome out, final long seq)
    {
        if (orders.size() < config.maxOrders())
        {
            return true;
        }
        final Order oldest = closedOrders.pollFirst();
        if (oldest == null)
        {
            out.reject(RejectReason.ORDER_LIMIT, -1, seq);
            return false;
        }
        orders.remove(oldest.key);
        if (orderPool.size() < ORDER_POOL_LIMIT)
        {
            orderPool.addLast(oldest);
        }
        return true;
    }

    private Order newOrder()
    {
        final Order recycled = orderPool.pollFirst();
        return recycled != null ? recycled : new Order();
    }

    private int demandIndex(final int sku)
    {
        for (int i = 0; i < demandCount; i++)
        {
            if (demandSku[i] == sku)
            {
                return i;
            }
        }
        throw new IllegalStateException("no demand for sku " + sku);
    }

    private void clearPlan(final int locationCount)
    {
        final int cells = demandCount * locationCount;
        if (held.length < cells)
        {
            held = new long[Math.max(cells, held.length * 2)];
            assigned = new long[held.length];
        }
        Arrays.fill(held, 0, cells, 0);
        Arrays.fill(assigned, 0, cells, 0);
        if (remaining.length < demandCount)
        {
            remaining = new long[Math.max(demandCount, remaining.length * 2)];
        }
    }

    /** Candidate locations in routing order: the channel's locations by priority, then draw order. */
    private int candidatesFor(final ChannelDef def)
    {
        int n = 0;
        for (final int l : def.routingOrder())
        {
            candidates[n++] = l;
        }
        return n;
    }

    /**
     * What a location can ship of one demanded SKU: what the request already holds there plus what is
     * available there. Holds at a location the channel no longer draws from are given back, not shipped.
     */
    private long capacity(final int d, final int location, final int locationCount)
    {
        return held[d * locationCount + location] +
            Math.max(0, stock.available(stock.offset(demandSku[d], location)));
    }

    /**
     * Routing: the first location in routing order that can ship every unit; otherwise a greedy split that each
     * time takes the location able to ship the most remaining units (earlier in routing order on ties).
     * Capacity at a location is what the request already holds there plus what is available there.
     *
     * @return false when the candidates cannot ship every unit; the plan is then incomplete and must not be applied.
     */
    private boolean route(final int candidateCount, final int locationCount)
    {
        int single = -1;
        boolean singleHasPromise = false;
        long singleLatest = Long.MAX_VALUE;
        long singleEarliest = Long.MAX_VALUE;
        for (int i = 0; i < candidateCount; i++)
        {
            final int l = candidates[i];
            boolean all = true;
            for (int d = 0; d < demandCount && all; d++)
            {
                all = capacity(d, l, locationCount) >= demandQty[d];
            }
            if (!all)
            {
                continue;
            }
            if (routeCountry == null)
            {
                single = l;
                break;
            }
            // Among locations that ship everything: the earliest promise to the destination (by its latest
            // arrival, then its earliest), a location with a promise before one without, then routing order.
            final boolean hasPromise = planner.promise(l, routeCountry, routePostalCode, routeAtMillis, writerPromise);
            if (single < 0 || (hasPromise && (!singleHasPromise || writerPromise.latestMillis() < singleLatest ||
                (writerPromise.latestMillis() == singleLatest && writerPromise.earliestMillis() < singleEarliest))))
            {
                single = l;
                singleHasPromise = hasPromise;
                singleLatest = hasPromise ? writerPromise.latestMillis() : Long.MAX_VALUE;
                singleEarliest = hasPromise ? writerPromise.earliestMillis() : Long.MAX_VALUE;
            }
        }
        if (single >= 0)
        {
            for (int d = 0; d < demandCount; d++)
            {
                assigned[d * locationCount + single] = demandQty[d];
            }
            return true;
        }
        long left = 0;
        for (int d = 0; d < demandCount; d++)
        {
            remaining[d] = demandQty[d];
            left += demandQty[d];
        }
        Arrays.fill(used, false);
        while (left > 0)
        {
            int best = -1;
            long bestUnits = 0;
            for (int i = 0; i < candidateCount; i++)
            {
                final int l = candidates[i];
                if (used[l])
                {
                    continue;
                }
                long units = 0;
                for (int d = 0; d < demandCount; d++)
                {
                    units += Math.min(remaining[d], capacity(d, l, locationCount));
                }
                if (units > bestUnits)
                {
                    best = l;
                    bestUnits = units;
                }
            }
            if (best < 0)
            {
                return false;
            }
            used[best] = true;
            for (int d = 0; d < demandCount; d++)
            {
                final long take = Math.min(remaining[d], capacity(d, best, locationCount));
                assigned[d * locationCount + best] = take;
                remaining[d] -= take;
                left -= take;
            }
        }
        return true;
    }

    private void routeTo(final String country, final String postalCode, final long atMillis)
    {
        routeCountry = country;
        routePostalCode = postalCode == null ? "" : postalCode;
        routeAtMillis = atMillis;
    }

    /** One shipment per location the plan assigns units to, each with its promise to the order's destination. */
    private void addShipments(final Order order, final int locationCount)
    {
        for (int l = 0; l < locationCount; l++)
        {
            boolean ships = false;
            for (int d = 0; d < demandCount && !ships; d++)
            {
                ships = assigned[d * locationCount + l] > 0;
            }
            if (!ships)
            {
                continue;
            }
            if (routeCountry != null &&
                planner.promise(l, routeCountry, routePostalCode, routeAtMillis, writerPromise))
            {
                order.addShipment(l, writerPromise.earliestMillis(), writerPromise.latestMillis(),
                    writerPromise.orderByMillis(), writerPromise.carrierId(), writerPromise.serviceId());
            }
            else
            {
                order.addShipment(l, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, null, null);
            }
        }
    }

    /**
     * Checks the quotes a confirmation cites: each names a SKU of the reservation, on its channel, at most once,
     * and is live at the command's time. Rejects the whole confirmation otherwise.
     */
    private boolean quotesFit(final Command c, final Reservation r, final Outcome out, final long seq, final long now)
    {
        for (int q = 0; q < c.quoteCount(); q++)
        {
            final int sku = skus.indexOf(c.quoteSku(q));
            boolean inReservation = false;
            for (int i = 0; i < r.lineCount && !inReservation; i++)
            {
                inReservation = r.lineSku[i] == sku;
            }
            boolean repeated = false;
            for (int p = 0; p < q && !repeated; p++)
            {
                repeated = c.quoteSku(p).equals(c.quoteSku(q));
            }
            if (sku < 0 || !inReservation || repeated || channels.indexOf(c.quoteChannel(q)) != r.channel ||
                !Price.isCurrencyCode(c.quoteCurrency(q)) || c.quoteAmountMinor(q) < 0 ||
                c.quoteAmountMinor(q) > Price.MAX_AMOUNT_MINOR)
            {
                out.reject(RejectReason.QUOTE_MISMATCH, q, seq);
                return false;
            }
            if (c.quoteExpiresAtMillis(q) <= now)
            {
                out.reject(RejectReason.QUOTE_EXPIRED, q, seq);
                return false;
            }
        }
        return true;
    }

    private int quoteFor(final Command c, final int sku)
    {
        for (int q = 0; q < c.quoteCount(); q++)
        {
            if (skus.indexOf(c.quoteSku(q)) == sku)
            {
                return q;
            }
        }
        return -1;
    }

    /** Applies the routing plan: holds come off reserved, assigned units go on committed, per location. */
    private void commitPlan(final Order order, final int locationCount, final long seq, final Events events)
    {
        for (int d = 0; d < demandCount; d++)
        {
            final int s = demandSku[d];
            for (int l = 0; l < locationCount; l++)
            {
                final long h = held[d * locationCount + l];
                final long a = assigned[d * locationCount + l];
                if (h != 0 || a != 0)
                {
                    change(s, l, 0, -h, a, seq, events);
                }
                if (a > 0)
                {
                    order.addAllocation(s, l, a);
                }
            }
        }
    }

    private Order findOrder(final Command c, final Outcome out, final long seq)
    {
        if (!Ids.isValid(c.orderId()))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return null;
        }
        if (c.channel() != null)
        {
            final int ch = channels.indexOf(c.channel());
            final Order order = ch < 0 ? null : orders.get(probe.set(ch, c.orderId()));
            if (order == null)
            {
                out.reject(RejectReason.ORDER_NOT_FOUND, -1, seq);
            }
            return order;
        }
        Order found = null;
        for (int ch = 0; ch < channels.count(); ch++)
        {
            final Order order = orders.get(probe.set(ch, c.orderId()));
            if (order != null)
            {
                if (found != null)
                {
                    out.reject(RejectReason.ORDER_AMBIGUOUS, -1, seq);
                    return null;
                }
                found = order;
            }
        }
        if (found == null)
        {
            out.reject(RejectReason.ORDER_NOT_FOUND, -1, seq);
        }
        return found;
    }

    private void cancel(final Command c, final Outcome out, final Events events, final long seq)
    {
        final Order order = findOrder(c, out, seq);
        if (order == null)
        {
            return;
        }
        if (order.status != OrderStatus.CONFIRMED)
        {
            out.reject(RejectReason.ORDER_NOT_OPEN, -1, seq);
            describe(order, out);
            return;
        }
        for (int i = 0; i < order.allocationCount; i++)
        {
            change(order.allocationSku[i], order.allocationLocation[i], 0, 0, -order.allocationQty[i], seq, events);
        }
        order.status = OrderStatus.CANCELLED;
        closedOrders.addLast(order);
        republishChanged(seq, events);
        out.accept(seq);
        describe(order, out);
    }

    private void ship(final Command c, final Outcome out, final Events events, final long seq)
    {
        final Order order = findOrder(c, out, seq);
        if (order == null)
        {
            return;
        }
        if (order.status != OrderStatus.CONFIRMED)
        {
            out.reject(RejectReason.ORDER_NOT_OPEN, -1, seq);
            describe(order, out);
            return;
        }
        for (int i = 0; i < order.allocationCount; i++)
        {
            final long qty = order.allocationQty[i];
            change(order.allocationSku[i], order.allocationLocation[i], -qty, 0, -qty, seq, events);
        }
        order.status = OrderStatus.SHIPPED;
        closedOrders.addLast(order);
        republishChanged(seq, events);
        out.accept(seq);
        describe(order, out);
    }

    private void describe(final Order order, final Outcome out)
    {
        out.order(order.orderId, order.status, order.channel, order.reservationId);
        for (int i = 0; i < order.lineCount; i++)
        {
            out.addLine(order.lineSku[i], order.lineQty[i], 0, order.lineBackordered[i]);
            out.priceLine(i, order.linePriceMinor[i], order.lineCurrency[i]);
        }
        for (int i = 0; i < order.shipmentCount; i++)
        {
            out.addShipment(order.shipmentLocation[i], order.shipmentPromise[i * 3],
                order.shipmentPromise[i * 3 + 1], order.shipmentPromise[i * 3 + 2], order.shipmentCarrier[i],
                order.shipmentService[i]);
        }
        for (int i = 0; i < order.allocationCount; i++)
        {
            out.addAllocation(order.allocationSku[i], order.allocationLocation[i], order.allocationQty[i]);
        }
    }

    // ---- queries ----

    private void query(final Command c, final Outcome out)
    {
        final long version = lastSequence;
        if (c.type() == CommandType.QUERY_RESERVATION)
        {
            final Reservation r = findReservation(c, out, version);
            if (r != null)
            {
                out.accept(version);
                describe(r, out);
            }
        }
        else
        {
            final Order order = findOrder(c, out, version);
            if (order != null)
            {
                out.accept(version);
                describe(order, out);
            }
        }
    }

    // ---- the primitive mutation and publication ----

    private void change(
        final int sku, final int location, final long dOnHand, final long dReserved, final long dCommitted,
        final long seq, final Events events)
    {
        final int o = stock.offset(sku, location);
        write(sku, location, o, stock.onHand(o) + dOnHand, stock.reserved(o) + dReserved,
            stock.committed(o) + dCommitted, stock.safety(o), seq, events);
    }

    private void write(
        final int sku, final int location, final int o,
        final long onHand, final long reserved, final long committed, final long safety,
        final long seq, final Events events)
    {
        if (onHand < 0 || reserved < 0 || committed < 0 || safety < 0)
        {
            throw new IllegalStateException("broken invariant at sku=" + skus.id(sku) + " location=" +
                locations.id(location) + ": on_hand=" + onHand + " reserved=" + reserved + " committed=" + committed +
                " safety=" + safety + " (seq " + seq + ')');
        }
        events.stockChanged(sku, location,
            stock.onHand(o), stock.reserved(o), stock.committed(o), stock.safety(o),
            onHand, reserved, committed, safety);
        final long availableBefore = Math.max(0, stock.available(o));
        final long availableAfter = Math.max(0, onHand - reserved - committed - safety);
        stock.write(o, onHand, reserved, committed, safety, seq);
        if (availableAfter != availableBefore)
        {
            final long delta = availableAfter - availableBefore;
            for (final int ch : channelsOfLocation[location])
            {
                final int po = published.offset(sku, ch);
                published.pool(po, published.pool(po) + delta);
            }
        }
    }

    /** Republishes every (SKU, channel) and (bundle, channel) that the stock changes of this command touch. */
    private void republishChanged(final long seq, final Events events)
    {
        final int changes = events.stockCount();
        for (int i = 0; i < changes; i++)
        {
            final int s = events.stockSku(i);
            final int[] chs = channelsOfLocation[events.stockLocation(i)];
            final int[] bundles = bundlesOf[s];
            for (final int ch : chs)
            {
                republish(s, ch, seq, events);
                for (final int b : bundles)
                {
                    republish(b, ch, seq, events);
                }
            }
        }
    }

    /** After a channel's locations changed: recomputes its pools from the stock records, then republishes. */
    private void republishChannel(final int ch, final long seq, final Events events)
    {
        final int[] drawFrom = channelDefs[ch].locations();
        for (int s = 0; s < skus.count(); s++)
        {
            long sum = 0;
            for (final int l : drawFrom)
            {
                sum += Math.max(0, stock.available(stock.offset(s, l)));
            }
            published.pool(published.offset(s, ch), sum);
        }
        for (int s = 0; s < skus.count(); s++)
        {
            republish(s, ch, seq, events);
        }
    }

    private void republish(final int sku, final int ch, final long seq, final Events events)
    {
        final ChannelDef def = channelDefs[ch];
        final long value = publishedValue(poolOf(sku, def), def.spec());
        final int o = published.offset(sku, ch);
        if (published.available(o) != value || published.version(o) == 0)
        {
            published.write(o, value, seq);
            events.published(sku, ch, value);
        }
    }

    static long publishedValue(final long pool, final ChannelSpec spec)
    {
        long value = pool * spec.percent() / 100 - spec.buffer();
        if (value < 0)
        {
            value = 0;
        }
        if (spec.maxListed() != ChannelSpec.UNLIMITED && value > spec.maxListed())
        {
            value = spec.maxListed();
        }
        return value;
    }

    /** Units of a simple SKU available across the channel's locations. */
    private long rawPool(final int sku, final ChannelDef def)
    {
        return published.pool(published.offset(sku, def.index()));
    }

    /** Units of a SKU (simple or bundle) the channel could supply before percent and buffer. */
    private long poolOf(final int sku, final ChannelDef def)
    {
        final int[] parts = components[sku];
        if (parts.length == 0)
        {
            return rawPool(sku, def);
        }
        final long[] qtys = componentQtys[sku];
        long min = Long.MAX_VALUE;
        for (int k = 0; k < parts.length; k++)
        {
            min = Math.min(min, rawPool(parts[k], def) / qtys[k]);
        }
        return min;
    }

    // ---- idempotency ----

    static final class IdempotencyEntry
    {
        final String key;
        final long fingerprint;
        final long atMillis;
        final Outcome outcome;

        IdempotencyEntry(final String key, final long fingerprint, final long atMillis, final Outcome outcome)
        {
            this.key = key;
            this.fingerprint = fingerprint;
            this.atMillis = atMillis;
            this.outcome = outcome;
        }
    }

    private void expireIdempotency(final long now)
    {
        final long horizon = now - config.idempotencyWindowMillis();
        IdempotencyEntry oldest;
        while ((oldest = idempotencyByAge.peekFirst()) != null && oldest.atMillis <= horizon)
        {
            idempotencyByAge.pollFirst();
            idempotency.remove(oldest.key);
        }
    }

    public int idempotencyEntries()
    {
        return idempotency.size();
    }

    // ---- expiry heap ----

    private void updateNextExpiry()
    {
        while (!priceBoundaries.isEmpty() && priceLists[priceBoundaries.peek().sku] != priceBoundaries.peek().list)
        {
            priceBoundaries.poll();
        }
        final long nextPriceChange = priceBoundaries.isEmpty() ? Long.MAX_VALUE : priceBoundaries.peek().atMillis;
        final long next = Math.min(heapSize == 0 ? Long.MAX_VALUE : heap[0].expiresAtMillis, nextPriceChange);
        if (next != nextExpiryMillis)
        {
            nextExpiryMillis = next;
        }
    }

    private void heapAdd(final Reservation r)
    {
        if (heapSize == heap.length)
        {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        heap[heapSize] = r;
        r.heapIndex = heapSize;
        heapSize++;
        siftUp(r.heapIndex);
    }

    private void heapRemove(final Reservation r)
    {
        final int i = r.heapIndex;
        if (i < 0)
        {
            return;
        }
        heapSize--;
        final Reservation last = heap[heapSize];
        heap[heapSize] = null;
        r.heapIndex = -1;
        if (i < heapSize)
        {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
    }

    private void siftUp(final int index)
    {
        int i = index;
        final Reservation r = heap[i];
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            final Reservation p = heap[parent];
            if (!r.expiresBefore(p))
            {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = r;
        r.heapIndex = i;
    }

    private void siftDown(final int index)
    {
        int i = index;
        final Reservation r = heap[i];
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= heapSize)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < heapSize && heap[right].expiresBefore(heap[left]) ? right : left;
            if (!heap[child].expiresBefore(r))
            {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = r;
        r.heapIndex = i;
    }

    // ---- snapshot restore (EngineSnapshot) ----

    void restorePosition(final long sequence, final long timestampMillis, final long reservationCounter)
    {
        lastSequence = sequence;
        lastTimestampMillis = timestampMillis;
        nextReservationId = reservationCounter;
    }

    void restoreHeld(final Reservation r)
    {
        reservations.put(r.id, r);
        heapAdd(r);
        openReservations++;
    }

    void restoreFinished()
    {
        restorePriceSchedule();
    }

    void restoreCarrier(final String id, final CarrierSpec spec)
    {
        carrierSpecs.put(id, spec);
        carriersView = java.util.Collections.unmodifiableMap(new TreeMap<>(carrierSpecs));
        planner.defineCarrier(id, spec);
    }

        // ---- digest ----

    /**
     * SHA-256 over every quantity, every published channel value, every reservation (open and retained, in id
     * order), every order (in key order) and the idempotency window. Two engines that applied the same commands
     * have the same digest, whichever way (full replay or snapshot plus replay) they got there. Writer thread, or
     * any thread while the writer is stopped.
     */
    public byte[] digest()
    {
        final MessageDigest sha;
        try
        {
            sha = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
        final ByteBuffer scratch = ByteBuffer.allocate(8);
        final LongConsumerDigest d = value ->
        {
            scratch.clear();
            scratch.putLong(value);
            sha.update(scratch.array());
        };
        d.accept(lastSequence);
        d.accept(skus.count());
        d.accept(locations.count());
        d.accept(channels.count());
        for (int s = 0; s < skus.count(); s++)
        {
            sha.update(skus.id(s).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (int l = 0; l < locations.count(); l++)
            {
                final int o = stock.offset(s, l);
                d.accept(stock.onHand(o));
                d.accept(stock.reserved(o));
                d.accept(stock.committed(o));
                d.accept(stock.safety(o));
            }
            for (int ch = 0; ch < channels.count(); ch++)
            {
                d.accept(published.available(published.offset(s, ch)));
            }
        }
        d.accept(nextReservationId);
        final List<Long> ids = new ArrayList<>(reservations.keySet());
        ids.sort(null);
        for (final long id : ids)
        {
            final Reservation r = reservations.get(id);
            d.accept(r.id);
            d.accept(r.channel);
            d.accept(r.status.ordinal());
            d.accept(r.expiresAtMillis);
            for (int i = 0; i < r.holdCount; i++)
            {
                d.accept(r.holdSku[i]);
                d.accept(r.holdLocation[i]);
                d.accept(r.holdQty[i]);
            }
        }
        final List<Order> byKey = new ArrayList<>(orders.values());
        byKey.sort(java.util.Comparator.comparing(o -> o.keyText(channels)));
        for (final Order order : byKey)
        {
            sha.update(order.keyText(channels).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            d.accept(order.status.ordinal());
            for (int i = 0; i < order.allocationCount; i++)
            {
                d.accept(order.allocationSku[i]);
                d.accept(order.allocationLocation[i]);
                d.accept(order.allocationQty[i]);
            }
            for (int i = 0; i < order.lineCount; i++)
            {
                d.accept(order.linePriceMinor[i]);
            }
            for (int i = 0; i < order.shipmentCount; i++)
            {
                d.accept(order.shipmentLocation[i]);
                d.accept(order.shipmentPromise[i * 3 + 1]);
            }
        }
        for (int s = 0; s < skus.count(); s++)
        {
            d.accept(priceLists[s].spec().hashCode());
        }
        sha.update(carrierSpecs.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        d.accept(idempotency.size());
        return sha.digest();
    }

    @FunctionalInterface
    private interface LongConsumerDigest
    {
        void accept(long value);
    }
}
