package io.truestock.engine.routing;

import io.truestock.engine.ChannelDef;
import io.truestock.engine.Command;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.StockTable;
import io.truestock.engine.catalog.Catalog;
import io.truestock.engine.delivery.DeliveryPlanner;

import java.util.Arrays;

/**
 * Where units ship from. One algorithm decides both what a confirmation (or a channel's order) commits and what an
 * offer promises, so an agent is promised what routing then does:
 * <ol>
 *   <li>the demand is the units per simple SKU (bundles count as their components, lines sharing a SKU summed);</li>
 *   <li>a location can ship, of each demanded SKU, what the request already holds there plus what is available
 *   there (an offer holds nothing yet, so its capacity is what is available: the same units);</li>
 *   <li>among the channel's locations that can ship everything alone, the earliest promise to the destination (by
 *   latest arrival, then earliest; a location with a promise before one without), then routing order;</li>
 *   <li>when none can alone, a greedy split that each time takes the location able to ship the most remaining
 *   units, earlier in routing order on ties;</li>
 *   <li>one shipment per location used, in location order, each promised from its location.</li>
 * </ol>
 * Stateless apart from its references: every decision is made in a caller's {@link RoutePlan}. The writer reads
 * stock records directly; a reader ({@code concurrent}) reads each once under its seqlock, so a plan is computed
 * over one view of each record and never blocks the writer.
 */
public final class Router
{
    private final EngineConfig config;
    private final StockTable stock;
    private final Catalog catalog;
    private final DeliveryPlanner planner;

    public Router(final EngineConfig config, final StockTable stock, final Catalog catalog)
    {
        this.config = config;
        this.stock = stock;
        this.catalog = catalog;
        this.planner = catalog.planner();
    }

    /**
     * Validates the lines of a reservation or order and builds their summed component demand in the plan.
     *
     * @return false after rejecting.
     */
    public boolean buildDemand(final Command c, final Outcome out, final long seq, final RoutePlan plan)
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
        plan.clearDemand();
        for (int i = 0; i < n; i++)
        {
            final int s = catalog.skus().indexOf(c.lineSku(i));
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
            addDemandOf(plan, s, qty);
        }
        return true;
    }

    /** Adds the units of a SKU, or of a bundle's components, to the plan's demand. */
    public void addDemandOf(final RoutePlan plan, final int sku, final long qty)
    {
        final int[] parts = catalog.components(sku);
        if (parts.length == 0)
        {
            plan.addDemand(sku, qty);
            return;
        }
        final long[] qtys = catalog.componentQtys(sku);
        for (int k = 0; k < parts.length; k++)
        {
            plan.addDemand(parts[k], qty * qtys[k]);
        }
    }

    /** Starts a plan from scratch, for a demand added next with {@link #addDemand}. */
    public void clearDemand(final RoutePlan plan)
    {
        plan.clearDemand();
    }

    /** Adds units of a simple SKU to the plan's demand. */
    public void addDemand(final RoutePlan plan, final int sku, final long qty)
    {
        plan.addDemand(sku, qty);
    }

    public int demandCount(final RoutePlan plan)
    {
        return plan.demandCount;
    }

    public int demandSku(final RoutePlan plan, final int d)
    {
        return plan.demandSku[d];
    }

    public long demandQty(final RoutePlan plan, final int d)
    {
        return plan.demandQty[d];
    }

    /**
     * Sets the plan's candidates (the channel's locations in routing order), the destination and instant of its
     * promises, and what each candidate has available of each demanded SKU. The demand must be complete.
     *
     * @param country    destination country, or null to route without promises.
     * @param concurrent true when called off the writer thread.
     */
    public void prepare(
        final RoutePlan plan, final ChannelDef def, final String country, final String postalCode,
        final long atMillis, final boolean concurrent)
    {
        final int locationCount = catalog.locations().count();
        plan.clearCells(locationCount);
        plan.country = country;
        plan.postalCode = postalCode == null ? "" : postalCode;
        plan.atMillis = atMillis;
        plan.carrier = null;
        plan.service = null;
        int n = 0;
        for (final int l : def.routingOrder())
        {
            plan.candidates[n++] = l;
            for (int d = 0; d < plan.demandCount; d++)
            {
                plan.capacity[d * locationCount + l] = available(plan, plan.demandSku[d], l, concurrent);
            }
        }
        plan.candidateCount = n;
    }

    /**
     * Restricts a prepared plan's promises to one carrier service, the delivery option a buyer chose: a location
     * competes for the whole demand by that service's promise, and a shipment is promised only by it. Call after
     * {@link #prepare}, which clears the restriction.
     *
     * @param carrier the carrier id, or null for the best service of any carrier.
     * @param service the carrier's service id.
     */
    public void restrictTo(final RoutePlan plan, final String carrier, final String service)
    {
        plan.carrier = carrier;
        plan.service = carrier == null ? null : service;
    }

    private long available(final RoutePlan plan, final int sku, final int location, final boolean concurrent)
    {
        if (concurrent)
        {
            stock.read(sku, location, plan.view);
            return Math.max(0, plan.view.available());
        }
        return Math.max(0, stock.available(stock.offset(sku, location)));
    }

    /** Units the request already holds at a location: they can ship from there, or are given back. */
    public void addHeld(final RoutePlan plan, final int sku, final int location, final long qty)
    {
        final int cell = plan.demandIndex(sku) * plan.locationCount + location;
        plan.held[cell] += qty;
        plan.capacity[cell] += qty;
    }

    public long held(final RoutePlan plan, final int d, final int location)
    {
        return plan.held[d * plan.locationCount + location];
    }

    public long assigned(final RoutePlan plan, final int d, final int location)
    {
        return plan.assigned(d, location);
    }

    /**
     * Decides where every demanded unit ships from, then the shipments and their promises.
     *
     * @return false when the candidates cannot ship every unit; the plan then has no shipments and must not be
     * applied.
     */
    public boolean route(final RoutePlan plan)
    {
        if (!assign(plan))
        {
            plan.shipmentCount = 0;
            return false;
        }
        final int locationCount = plan.locationCount;
        for (int l = 0; l < locationCount; l++)
        {
            boolean ships = false;
            for (int d = 0; d < plan.demandCount && !ships; d++)
            {
                ships = plan.assigned[d * locationCount + l] > 0;
            }
            if (!ships)
            {
                continue;
            }
            final int i = plan.shipmentCount++;
            plan.shipmentLocation[i] = l;
            plan.shipmentPromise[i].reset();
            if (l == plan.singleLocation)
            {
                plan.shipmentPromise[i].copyFrom(plan.singlePromise);
                plan.shipmentPromised[i] = plan.singlePromised;
            }
            else
            {
                plan.shipmentPromised[i] = plan.country != null && planner.promise(
                    l, plan.country, plan.postalCode, plan.atMillis, plan.carrier, plan.service, plan.shipmentPromise[i]);
            }
        }
        return true;
    }

    private boolean assign(final RoutePlan plan)
    {
        final int locationCount = plan.locationCount;
        final int demandCount = plan.demandCount;
        final long[] capacity = plan.capacity;
        int single = -1;
        boolean singleHasPromise = false;
        long singleLatest = Long.MAX_VALUE;
        long singleEarliest = Long.MAX_VALUE;
        for (int i = 0; i < plan.candidateCount; i++)
        {
            final int l = plan.candidates[i];
            boolean all = true;
            for (int d = 0; d < demandCount && all; d++)
            {
                all = capacity[d * locationCount + l] >= plan.demandQty[d];
            }
            if (!all)
            {
                continue;
            }
            if (plan.country == null)
            {
                single = l;
                break;
            }
            final boolean hasPromise = planner.promise(
                l, plan.country, plan.postalCode, plan.atMillis, plan.carrier, plan.service, plan.scratch);
            if (single < 0 || (hasPromise && (!singleHasPromise || plan.scratch.latestMillis() < singleLatest ||
                (plan.scratch.latestMillis() == singleLatest && plan.scratch.earliestMillis() < singleEarliest))))
            {
                // Kept, so the single shipment's promise is not computed a second time in route().
                plan.singlePromise.copyFrom(plan.scratch);
                single = l;
                singleHasPromise = hasPromise;
                singleLatest = hasPromise ? plan.scratch.latestMillis() : Long.MAX_VALUE;
                singleEarliest = hasPromise ? plan.scratch.earliestMillis() : Long.MAX_VALUE;
            }
        }
        if (single >= 0)
        {
            for (int d = 0; d < demandCount; d++)
            {
                plan.assigned[d * locationCount + single] = plan.demandQty[d];
            }
            plan.singleLocation = plan.country == null ? -1 : single;
            plan.singlePromised = singleHasPromise;
            return true;
        }
        plan.singleLocation = -1;
        long left = 0;
        for (int d = 0; d < demandCount; d++)
        {
            plan.remaining[d] = plan.demandQty[d];
            left += plan.demandQty[d];
        }
        Arrays.fill(plan.used, false);
        while (left > 0)
        {
            int best = -1;
            long bestUnits = 0;
            for (int i = 0; i < plan.candidateCount; i++)
            {
                final int l = plan.candidates[i];
                if (plan.used[l])
                {
                    continue;
                }
                long units = 0;
                for (int d = 0; d < demandCount; d++)
                {
                    units += Math.min(plan.remaining[d], capacity[d * locationCount + l]);
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
            plan.used[best] = true;
            for (int d = 0; d < demandCount; d++)
            {
                final long take = Math.min(plan.remaining[d], capacity[d * locationCount + best]);
                plan.assigned[d * locationCount + best] = take;
                plan.remaining[d] -= take;
                left -= take;
            }
        }
        return true;
    }

    /**
     * The plan an offer of {@code qty} of a SKU (or bundle) on a channel makes: the shipments a reservation of that
     * quantity confirmed now, to this destination, would make. Lock-free, allocates nothing.
     *
     * @return true when the channel's locations can ship it and every shipment has a promise; false when short (no
     * shipments) or when a shipment cannot be promised (see {@link RoutePlan#shipmentPromised}).
     */
    public boolean offer(
        final int sku, final ChannelDef def, final long qty, final String country, final String postalCode,
        final long atMillis, final RoutePlan plan)
    {
        plan.clearDemand();
        addDemandOf(plan, sku, qty);
        return offerDemand(def, country, postalCode, atMillis, null, null, plan);
    }

    /**
     * The plan an offer of the demand already added to {@code plan} makes on a channel, its promises restricted to
     * one carrier service when {@code carrier} is given: the shipments a reservation of that demand, confirmed now
     * to this destination with that delivery option, would make. Lock-free, allocates nothing.
     *
     * @return true when the channel's locations can ship it and every shipment has a promise (by that service).
     */
    public boolean offerDemand(
        final ChannelDef def, final String country, final String postalCode, final long atMillis,
        final String carrier, final String service, final RoutePlan plan)
    {
        prepare(plan, def, country, postalCode, atMillis, true);
        restrictTo(plan, carrier, service);
        if (!route(plan))
        {
            return false;
        }
        return allPromised(plan);
    }

    /** Whether every shipment of a routed plan has a delivery promise. */
    public boolean allPromised(final RoutePlan plan)
    {
        for (int i = 0; i < plan.shipmentCount; i++)
        {
            if (!plan.shipmentPromised[i])
            {
                return false;
            }
        }
        return true;
    }
}
