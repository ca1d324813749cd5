package io.truestock.engine.price;

import io.truestock.engine.Command;
import io.truestock.engine.Events;
import io.truestock.engine.StateDigest;

import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Every SKU's price list, and the queue of instants at which a sale starts or ends, so that a tick announces each
 * price change as it happens. The writer replaces lists; any thread may read {@link #priceAt} and {@link #spec}.
 */
public final class PriceSchedule
{
    private final PriceList[] lists;
    private final PriorityQueue<Boundary> boundaries = new PriorityQueue<>();
    private final ToIntFunction<String> channelIndexes;
    private int skuCount;

    /**
     * @param maxSkus        the bound on SKUs.
     * @param channelIndexes channel id to index, -1 when unknown.
     */
    public PriceSchedule(final int maxSkus, final ToIntFunction<String> channelIndexes)
    {
        this.lists = new PriceList[maxSkus];
        this.channelIndexes = channelIndexes;
    }

    /** The effective price of a SKU on a channel (-1 for none) at an instant, or null when it has no list. */
    public Price priceAt(final int sku, final int channel, final long atEpochMillis)
    {
        final PriceList list = sku < 0 || sku >= lists.length ? null : lists[sku];
        return list == null ? null : list.effective(channel, atEpochMillis);
    }

    /** The SKU's whole price list, or null when it has none. */
    public PriceSpec spec(final int sku)
    {
        final PriceList list = sku < 0 || sku >= lists.length ? null : lists[sku];
        return list == null ? null : list.spec();
    }

    /** @return the first channel the spec names that is not defined, or null. */
    public String firstUnknownChannel(final PriceSpec spec)
    {
        return PriceList.firstUnknownChannel(spec, channelIndexes);
    }

    /**
     * The list a SKU would have with a new base price: its current list with the base replaced, or the base alone
     * for a new SKU.
     *
     * @return null when the SKU's channel or sale prices are in another currency than the new base.
     */
    public PriceSpec withBase(final int sku, final Price base)
    {
        final PriceList old = sku < 0 ? null : lists[sku];
        try
        {
            return old == null ? PriceSpec.baseOnly(base) : old.spec().withBase(base);
        }
        catch (final IllegalArgumentException e)
        {
            return null;
        }
    }

    /** A new SKU's first list; announces nothing, as the SKU itself is new. */
    public void install(final int sku, final PriceSpec spec)
    {
        lists[sku] = new PriceList(spec, channelIndexes);
        skuCount = Math.max(skuCount, sku + 1);
    }

    /** Replaces a SKU's list when it differs, announces the change and schedules the list's next one. */
    public void define(final int sku, final PriceSpec spec, final long nowMillis, final Events events, final boolean always)
    {
        if (!always && lists[sku] != null && spec.equals(lists[sku].spec()))
        {
            return;
        }
        final PriceList list = new PriceList(spec, channelIndexes);
        lists[sku] = list;
        skuCount = Math.max(skuCount, sku + 1);
        schedule(sku, list, nowMillis);
        events.priced(sku);
    }

    /** Announces every sale start or end up to the instant. */
    public void tick(final long nowMillis, final Events events)
    {
        while (!boundaries.isEmpty() && boundaries.peek().atMillis <= nowMillis)
        {
            final Boundary boundary = boundaries.poll();
            if (lists[boundary.sku] == boundary.list)
            {
                events.priced(boundary.sku);
                schedule(boundary.sku, boundary.list, boundary.atMillis);
            }
        }
    }

    /** The next instant a live list changes price, or {@link Long#MAX_VALUE}. */
    public long nextChangeMillis()
    {
        while (!boundaries.isEmpty() && lists[boundaries.peek().sku] != boundaries.peek().list)
        {
            boundaries.poll();
        }
        return boundaries.isEmpty() ? Long.MAX_VALUE : boundaries.peek().atMillis;
    }

    /** After a restore: the changes still to come after the instant, as they would have been scheduled. */
    public void rebuild(final long afterMillis)
    {
        boundaries.clear();
        for (int s = 0; s < skuCount; s++)
        {
            final PriceList list = lists[s];
            final long next = list == null ? Long.MAX_VALUE : list.nextChangeAfter(afterMillis);
            if (next != Long.MAX_VALUE)
            {
                boundaries.add(new Boundary(next, s, list));
            }
        }
    }

    /**
     * The DEFINE_PRICES command of every SKU whose list is more than its base price, in index order: the snapshot
     * section of the price lists. A base-only list is left out because its DEFINE_SKU recreates it (the catalog keeps
     * a SKU's base price and its list's in step), which halves the definitions of a plain catalog.
     */
    public void definitions(final IntFunction<String> skuIds, final Command scratch, final Consumer<Command> sink)
    {
        for (int s = 0; s < skuCount; s++)
        {
            final PriceSpec spec = lists[s].spec();
            if (!spec.channels().isEmpty() || !spec.sales().isEmpty())
            {
                sink.accept(scratch.clear().definePrices(skuIds.apply(s), spec));
            }
        }
    }

    /** Every field of every list, in SKU order: base, channel prices by channel id, sales in order. */
    public void digest(final StateDigest d)
    {
        d.section("prices").putInt(skuCount);
        for (int s = 0; s < skuCount; s++)
        {
            final PriceSpec spec = lists[s].spec();
            digest(d, spec.base());
            d.putInt(spec.channels().size());
            spec.channels().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
            {
                d.putString(e.getKey());
                digest(d, e.getValue());
            });
            d.putInt(spec.sales().size());
            for (final SaleSpec sale : spec.sales())
            {
                digest(d, sale.price());
                d.putLong(sale.startMillis()).putLong(sale.endMillis()).putInt(sale.channels().size());
                for (final String channel : sale.channels())
                {
                    d.putString(channel);
                }
            }
        }
    }

    private static void digest(final StateDigest d, final Price price)
    {
        d.putLong(price.amountMinor()).putString(price.currency());
    }

    private void schedule(final int sku, final PriceList list, final long afterMillis)
    {
        final long next = list.nextChangeAfter(afterMillis);
        if (next != Long.MAX_VALUE)
        {
            boundaries.add(new Boundary(next, sku, list));
        }
        // Superseded lists leave stale entries behind; past a bound, drop them.
        if (boundaries.size() > 2 * skuCount + 1024)
        {
            boundaries.removeIf(boundary -> lists[boundary.sku] != boundary.list);
        }
    }

    private static final class Boundary implements Comparable<Boundary>
    {
        final long atMillis;
        final int sku;
        final PriceList list;

        Boundary(final long atMillis, final int sku, final PriceList list)
        {
            this.atMillis = atMillis;
            this.sku = sku;
            this.list = list;
        }

        @Override
        public int compareTo(final Boundary o)
        {
            final int byTime = Long.compare(atMillis, o.atMillis);
            return byTime != 0 ? byTime : Integer.compare(sku, o.sku);
        }
    }
}
