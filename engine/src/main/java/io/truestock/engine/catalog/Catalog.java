package io.truestock.engine.catalog;

import io.truestock.engine.ChannelDef;
import io.truestock.engine.ChannelTable;
import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.Ids;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.Registry;
import io.truestock.engine.RejectReason;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.StateDigest;
import io.truestock.engine.StockTable;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPlanner;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSchedule;
import io.truestock.engine.price.PriceSpec;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the engine sells and where from: the SKUs (and the components of bundles), locations, channels and
 * carriers, each by external id and dense index, as the DEFINE_* commands last set them. The writer defines; any
 * thread may look up ids, indices and specs (the registries publish an index only after its spec is in place).
 * <p>
 * The catalog's snapshot section is the DEFINE_* commands that recreate it ({@link #definitions}), so a spec has one
 * encoding, the journal's, and a restore rebuilds the catalog through the same code as the commands.
 */
public final class Catalog
{
    private static final int[] NO_INTS = new int[0];
    private static final long[] NO_LONGS = new long[0];
    public static final int MAX_TEXT = 256;

    private final EngineConfig config;
    private final StockTable stock;
    private final ChannelTable published;
    private final Registry skus;
    private final Registry locations;
    private final Registry channels;
    private final SkuSpec[] skuSpecs;
    private final int[][] components;
    private final long[][] componentQtys;
    private final int[][] bundlesOf;
    private final LocationSpec[] locationSpecs;
    private final ChannelDef[] channelDefs;
    private final int[][] channelsOfLocation;
    private final TreeMap<String, CarrierSpec> carrierSpecs = new TreeMap<>();
    private volatile Map<String, CarrierSpec> carriersView = Map.of();
    private final DeliveryPlanner planner;
    private boolean lastAdded;
    /**
     * Set during a snapshot restore while another thread clears the new SKUs' rows (see {@link #deferRowClearing}).
     */
    private boolean rowClearingDeferred;

    /**
     * @param stock     the quantity table; a new SKU's rows are cleared before it is published.
     * @param published the channel table; likewise.
     */
    public Catalog(final EngineConfig config, final StockTable stock, final ChannelTable published)
    {
        this(config, stock, published, 0);
    }

    /**
     * @param expectedSkus how many SKUs are about to be defined (a snapshot restore's bound): the SKU registry is
     *                     sized for them up front.
     */
    public Catalog(
        final EngineConfig config, final StockTable stock, final ChannelTable published, final int expectedSkus)
    {
        this.config = config;
        this.stock = stock;
        this.published = published;
        final int maxSkus = config.maxSkus();
        final int maxLocations = config.maxLocations();
        skus = new Registry(maxSkus, expectedSkus);
        locations = new Registry(maxLocations);
        channels = new Registry(config.maxChannels());
        skuSpecs = new SkuSpec[maxSkus];
        components = new int[maxSkus][];
        componentQtys = new long[maxSkus][];
        bundlesOf = new int[maxSkus][];
        locationSpecs = new LocationSpec[maxLocations];
        channelDefs = new ChannelDef[config.maxChannels()];
        channelsOfLocation = new int[maxLocations][];
        // The calendar window only decides which promises take the allocation-free path, never their values, so
        // starting it from the wall clock keeps the engine deterministic.
        planner = new DeliveryPlanner(maxLocations, (int)(System.currentTimeMillis() / 86_400_000L) - 60, 1200);
    }

    public Registry skus()
    {
        return skus;
    }

    public Registry locations()
    {
        return locations;
    }

    public Registry channels()
    {
        return channels;
    }

    public DeliveryPlanner planner()
    {
        return planner;
    }

    public SkuSpec skuSpec(final int sku)
    {
        return skuSpecs[sku];
    }

    public LocationSpec locationSpec(final int location)
    {
        return locationSpecs[location];
    }

    public ChannelDef channel(final int channel)
    {
        return channelDefs[channel];
    }

    /** The component SKUs of a bundle, empty for a simple SKU. Not a copy: read only. */
    public int[] components(final int sku)
    {
        return components[sku];
    }

    /** Units of each component per bundle, parallel to {@link #components}. Not a copy: read only. */
    public long[] componentQtys(final int sku)
    {
        return componentQtys[sku];
    }

    /** The bundles a SKU is a component of. Not a copy: read only. */
    public int[] bundlesOf(final int sku)
    {
        return bundlesOf[sku];
    }

    /** The channels that draw from a location. Not a copy: read only. */
    public int[] channelsOf(final int location)
    {
        return channelsOfLocation[location];
    }

    /** The carriers as last defined, by id; an immutable copy any thread may read. */
    public Map<String, CarrierSpec> carriers()
    {
        return carriersView;
    }

    /** Whether the last definition that was accepted added a new id (rather than changing a known one). */
    public boolean lastAdded()
    {
        return lastAdded;
    }

    // ---- definitions: the writer ----

    /**
     * Defines or redefines a location; channels that draw from every location take a new one in.
     *
     * @return the location index, or -1 after rejecting.
     */
    public int defineLocation(final Command c, final Outcome out, final long seq)
    {
        final String id = c.location();
        final LocationSpec spec = c.locationSpec();
        if (!Ids.isValid(id))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return -1;
        }
        if (spec == null || !validLocation(spec))
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return -1;
        }
        int index = locations.indexOf(id);
        lastAdded = index < 0;
        if (lastAdded)
        {
            if (locations.isFull())
            {
                out.reject(RejectReason.LOCATION_LIMIT, -1, seq);
                return -1;
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
            if ((lastAdded && def.spec().locations().isEmpty()) || (!lastAdded && def.includes(index)))
            {
                channelDefs[ch] = resolveChannel(def.spec(), ch);
            }
        }
        indexChannelLocations();
        return index;
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

    /** @return the channel index, or -1 after rejecting. */
    public int defineChannel(final Command c, final Outcome out, final long seq)
    {
        final String id = c.channel();
        final ChannelSpec spec = c.channelSpec();
        if (!Ids.isValid(id))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return -1;
        }
        if (spec == null || spec.name().isEmpty() || spec.name().length() > MAX_TEXT ||
            spec.percent() < 0 || spec.percent() > 100 || spec.buffer() < 0 || spec.buffer() > config.maxOnHand() ||
            spec.maxListed() < ChannelSpec.UNLIMITED || spec.lowStockThreshold() < 0 ||
            spec.locations().size() > config.maxLocations())
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return -1;
        }
        final Set<String> seen = new HashSet<>();
        for (final String location : spec.locations())
        {
            if (!seen.add(location))
            {
                out.reject(RejectReason.INVALID_CONFIG, -1, seq);
                return -1;
            }
            if (locations.indexOf(location) < 0)
            {
                out.reject(RejectReason.UNKNOWN_LOCATION, -1, seq);
                return -1;
            }
        }
        int index = channels.indexOf(id);
        if (index < 0 && channels.isFull())
        {
            out.reject(RejectReason.CHANNEL_LIMIT, -1, seq);
            return -1;
        }
        lastAdded = index < 0;
        final ChannelDef def = resolveChannel(spec, lastAdded ? channels.count() : index);
        if (lastAdded)
        {
            channelDefs[channels.count()] = def;
            index = channels.add(id);
        }
        else
        {
            channelDefs[index] = def;
        }
        indexChannelLocations();
        return index;
    }

    private ChannelDef resolveChannel(final ChannelSpec spec, final int channelIndex)
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

    private void indexChannelLocations()
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

    /**
     * Defines or redefines a SKU, keeping its price list in step with its base price.
     *
     * @return the SKU index, or -1 after rejecting.
     */
    public int defineSku(
        final Command c, final Outcome out, final long seq, final long now, final PriceSchedule prices,
        final Events events)
    {
        final String id = c.sku();
        final SkuSpec spec = c.skuSpec();
        if (!Ids.isValid(id))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return -1;
        }
        if (spec == null || spec.title().length() > MAX_TEXT || spec.priceAmountMinor() < 0 ||
            !Price.isCurrencyCode(spec.currency()) || spec.componentCount() > config.maxComponentsPerBundle())
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return -1;
        }
        int index = skus.indexOf(id);
        // Most SKUs are not bundles: they share the empty arrays (nothing can be written into one) rather than
        // holding three of their own, a million SKUs' worth of objects less to build and collect at a restore.
        final int[] parts = spec.componentCount() == 0 ? NO_INTS : new int[spec.componentCount()];
        final long[] partQtys = spec.componentCount() == 0 ? NO_LONGS : new long[spec.componentCount()];
        for (int i = 0; i < parts.length; i++)
        {
            final int part = skus.indexOf(spec.componentSku(i));
            if (part < 0)
            {
                out.reject(RejectReason.UNKNOWN_SKU, i, seq);
                return -1;
            }
            final long qty = spec.componentQty(i);
            if (part == index || components[part].length > 0 || qty < 1 || qty > config.maxLineQuantity())
            {
                out.reject(RejectReason.INVALID_CONFIG, i, seq);
                return -1;
            }
            for (int j = 0; j < i; j++)
            {
                if (parts[j] == part)
                {
                    out.reject(RejectReason.INVALID_CONFIG, i, seq);
                    return -1;
                }
            }
            parts[i] = part;
            partQtys[i] = qty;
        }
        if (index < 0 && skus.isFull())
        {
            out.reject(RejectReason.SKU_LIMIT, -1, seq);
            return -1;
        }
        final PriceSpec priceSpec = prices.withBase(index, new Price(spec.priceAmountMinor(), spec.currency()));
        if (priceSpec == null)
        {
            // The SKU's channel or sale prices are in another currency: change them with the price list first.
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return -1;
        }
        if (index >= 0 && parts.length > 0)
        {
            if (bundlesOf[index].length > 0)
            {
                out.reject(RejectReason.INVALID_CONFIG, -1, seq);
                return -1;
            }
            if (components[index].length == 0 && hasStock(index))
            {
                out.reject(RejectReason.SKU_IN_USE, -1, seq);
                return -1;
            }
        }

        lastAdded = index < 0;
        if (lastAdded)
        {
            final int next = skus.count();
            skuSpecs[next] = spec;
            components[next] = parts;
            componentQtys[next] = partQtys;
            bundlesOf[next] = NO_INTS;
            prices.install(next, priceSpec);
            if (!rowClearingDeferred)
            {
                stock.clearSku(next);
                published.clearSku(next);
            }
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
            prices.define(index, priceSpec, now, events, false);
        }
        for (final int part : parts)
        {
            bundlesOf[part] = with(bundlesOf[part], index);
        }
        return index;
    }

    /**
     * Restore only, while no reader can see the tables and no command but a definition is applied: when on, a new
     * SKU's rows are not cleared here but by the caller, which owns clearing the rows of SKUs
     * {@code [0, skus().count())} before any row is read or written, and a SKU counts as holding no stock (as every
     * SKU of a snapshot does until its rows are read, after the definitions). Clearing a million SKUs' rows is mostly
     * first-touch page faults, so a restore does it on a second thread while this one decodes the definitions.
     */
    public void deferRowClearing(final boolean on)
    {
        rowClearingDeferred = on;
    }

    /** Keeps a SKU's spec in step with a new price list's base price. */
    public void rebase(final int sku, final Price base)
    {
        final SkuSpec old = skuSpecs[sku];
        skuSpecs[sku] = new SkuSpec(old.title(), base.amountMinor(), base.currency(), old.componentSkus(),
            old.componentQtys());
    }

    private boolean hasStock(final int sku)
    {
        if (rowClearingDeferred)
        {
            // Restoring: no stock has been read yet, every row is zero as far as the definitions are concerned.
            return false;
        }
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

    /** Kept in index order, so the bundles of a component are republished in an order its history cannot change. */
    private static int[] with(final int[] sortedList, final int value)
    {
        final int at = -Arrays.binarySearch(sortedList, value) - 1;
        final int[] copy = new int[sortedList.length + 1];
        System.arraycopy(sortedList, 0, copy, 0, at);
        copy[at] = value;
        System.arraycopy(sortedList, at, copy, at + 1, sortedList.length - at);
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

    /** @return true when defined, false after rejecting. */
    public boolean defineCarrier(final Command c, final Outcome out, final long seq)
    {
        final String id = c.carrier();
        final CarrierSpec spec = c.carrierSpec();
        if (!Ids.isValid(id))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return false;
        }
        // CarrierSpec and ServiceSpec refuse names over MAX_TEXT and invalid service ids when they are built.
        if (spec == null || spec.name().isEmpty())
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return false;
        }
        for (final ServiceSpec service : spec.services())
        {
            for (final ZoneSpec zone : service.zones())
            {
                if (zone.location() != null && locations.indexOf(zone.location()) < 0)
                {
                    out.reject(RejectReason.UNKNOWN_LOCATION, -1, seq);
                    return false;
                }
            }
        }
        if (!carrierSpecs.containsKey(id) && carrierSpecs.size() >= DeliveryPlanner.MAX_CARRIERS)
        {
            out.reject(RejectReason.CARRIER_LIMIT, -1, seq);
            return false;
        }
        lastAdded = !carrierSpecs.containsKey(id);
        carrierSpecs.put(id, spec);
        carriersView = Collections.unmodifiableMap(new TreeMap<>(carrierSpecs));
        planner.defineCarrier(id, spec);
        return true;
    }

    // ---- snapshot section and digest ----

    /**
     * The DEFINE_* commands that rebuild this catalog in an empty engine, in an order each is valid in: locations,
     * every SKU as a simple one, the bundles again with their components (a SKU may have become a bundle of SKUs
     * defined after it), channels in index order, carriers by id.
     */
    public void definitions(final Command scratch, final Consumer<Command> sink)
    {
        for (int l = 0; l < locations.count(); l++)
        {
            sink.accept(scratch.clear().defineLocation(locations.id(l), locationSpecs[l]));
        }
        for (int s = 0; s < skus.count(); s++)
        {
            final SkuSpec spec = skuSpecs[s];
            sink.accept(scratch.clear().defineSku(skus.id(s),
                spec.isBundle() ? SkuSpec.simple(spec.title(), spec.priceAmountMinor(), spec.currency()) : spec));
        }
        for (int s = 0; s < skus.count(); s++)
        {
            if (skuSpecs[s].isBundle())
            {
                sink.accept(scratch.clear().defineSku(skus.id(s), skuSpecs[s]));
            }
        }
        for (int ch = 0; ch < channels.count(); ch++)
        {
            sink.accept(scratch.clear().defineChannel(channels.id(ch), channelDefs[ch].spec()));
        }
        for (final Map.Entry<String, CarrierSpec> carrier : carrierSpecs.entrySet())
        {
            sink.accept(scratch.clear().defineCarrier(carrier.getKey(), carrier.getValue()));
        }
    }

    /** Every field of every spec, and the derived indices (bundles, channel draw and routing orders). */
    public void digest(final StateDigest d)
    {
        d.section("locations").putInt(locations.count());
        for (int l = 0; l < locations.count(); l++)
        {
            final LocationSpec spec = locationSpecs[l];
            d.putString(locations.id(l)).putString(spec.name()).putString(spec.timezone()).putString(spec.country())
                .putString(spec.postalCode()).putInt(spec.priority()).putInt(spec.cutoffMinute())
                .putInt(spec.handlingDays()).putInt(spec.workingDaysMask()).putInt(spec.holidayCount());
            for (int i = 0; i < spec.holidayCount(); i++)
            {
                d.putInt(spec.holiday(i));
            }
        }
        d.section("skus").putInt(skus.count());
        for (int s = 0; s < skus.count(); s++)
        {
            final SkuSpec spec = skuSpecs[s];
            d.putString(skus.id(s)).putString(spec.title()).putLong(spec.priceAmountMinor())
                .putString(spec.currency()).putInt(spec.componentCount());
            for (int k = 0; k < spec.componentCount(); k++)
            {
                d.putString(spec.componentSku(k)).putLong(spec.componentQty(k));
            }
            d.putInt(bundlesOf[s].length);
            for (final int b : bundlesOf[s])
            {
                d.putInt(b);
            }
        }
        d.section("channels").putInt(channels.count());
        for (int ch = 0; ch < channels.count(); ch++)
        {
            final ChannelDef def = channelDefs[ch];
            final ChannelSpec spec = def.spec();
            d.putString(channels.id(ch)).putString(spec.name()).putInt(spec.locations().size());
            for (final String location : spec.locations())
            {
                d.putString(location);
            }
            d.putInt(spec.percent()).putLong(spec.buffer()).putLong(spec.maxListed())
                .putLong(spec.lowStockThreshold()).putInt(def.locations().length);
            for (int i = 0; i < def.locations().length; i++)
            {
                d.putInt(def.locations()[i]).putInt(def.routingOrder()[i]);
            }
        }
        d.section("carriers").putInt(carrierSpecs.size());
        for (final Map.Entry<String, CarrierSpec> carrier : carrierSpecs.entrySet())
        {
            final CarrierSpec spec = carrier.getValue();
            d.putString(carrier.getKey()).putString(spec.name()).putInt(spec.services().size());
            for (final ServiceSpec service : spec.services())
            {
                d.putString(service.id()).putString(service.name()).putInt(service.workingDaysMask())
                    .putInt(service.zones().size());
                for (final ZoneSpec zone : service.zones())
                {
                    d.putString(zone.location()).putString(zone.country()).putString(zone.postalPrefix())
                        .putInt(zone.minTransitDays()).putInt(zone.maxTransitDays());
                }
            }
        }
    }
}
