package io.truestock.engine.routing;

import io.truestock.engine.StockView;
import io.truestock.engine.delivery.DeliveryPromise;

import java.util.Arrays;

/**
 * One routing decision and the scratch space that computes it: the demand (units per simple SKU), what each
 * candidate location can ship of it, the units assigned per (SKU, location), and the resulting shipments, one per
 * location used, in location index order, each with its delivery promise. Preallocated and reused: a plan belongs
 * to one thread (the writer has its own; readers keep one each), and filling it again allocates nothing once its
 * arrays have grown to the largest request seen.
 */
public final class RoutePlan
{
    int demandCount;
    int[] demandSku = new int[16];
    long[] demandQty = new long[16];

    int locationCount;
    /** Per (demand, location): units the request already holds there (confirmation only). */
    long[] held = new long[64];
    /** Per (demand, location): units the location can ship, held plus available. */
    long[] capacity = new long[64];
    long[] assigned = new long[64];
    long[] remaining = new long[16];
    final int[] candidates;
    int candidateCount;
    final boolean[] used;

    String country;
    String postalCode = "";
    long atMillis;
    /** The one carrier service the plan's promises may use, or null for the best of all of them. */
    String carrier;
    String service;

    int shipmentCount;
    final int[] shipmentLocation;
    final DeliveryPromise[] shipmentPromise;
    final boolean[] shipmentPromised;
    final DeliveryPromise scratch = new DeliveryPromise();
    /** The promise of the location that ships everything alone, when one does (see {@code singleLocation}). */
    final DeliveryPromise singlePromise = new DeliveryPromise();
    int singleLocation = -1;
    boolean singlePromised;
    final StockView view = new StockView();

    /**
     * @param maxLocations the engine's bound on locations.
     */
    public RoutePlan(final int maxLocations)
    {
        candidates = new int[maxLocations];
        used = new boolean[maxLocations];
        shipmentLocation = new int[maxLocations];
        shipmentPromise = new DeliveryPromise[maxLocations];
        shipmentPromised = new boolean[maxLocations];
        for (int i = 0; i < maxLocations; i++)
        {
            shipmentPromise[i] = new DeliveryPromise();
        }
    }

    public int maxLocations()
    {
        return candidates.length;
    }

    /** Empties the plan: no demand, no shipments. */
    public void reset()
    {
        demandCount = 0;
        shipmentCount = 0;
    }

    /** Shipments the plan makes: one per location it takes units from. */
    public int shipmentCount()
    {
        return shipmentCount;
    }

    public int shipmentLocation(final int i)
    {
        return shipmentLocation[i];
    }

    /** Whether the shipment has a delivery promise to the destination. */
    public boolean shipmentPromised(final int i)
    {
        return shipmentPromised[i];
    }

    /**
     * The shipment's promise (location, carrier, service, earliest, latest, order-by), or when it has none, the
     * location and the planner's reason. Owned by the plan: copy what must outlive its next use.
     */
    public DeliveryPromise shipment(final int i)
    {
        return shipmentPromise[i];
    }

    /**
     * The shipment that completes the order: the one that arrives last by {@link DeliveryPromise#compareArrival}
     * (a shipment without a promise first of all), the earlier in location order on ties; -1 with no shipments.
     */
    public int lastArrival()
    {
        int last = -1;
        for (int i = 0; i < shipmentCount; i++)
        {
            if (last < 0 || shipmentPromise[i].compareArrival(shipmentPromise[last]) > 0)
            {
                last = i;
            }
        }
        return last;
    }

    /** Units of a demanded SKU the plan assigns to a location. */
    long assigned(final int demand, final int location)
    {
        return assigned[demand * locationCount + location];
    }

    void clearDemand()
    {
        demandCount = 0;
        shipmentCount = 0;
    }

    void addDemand(final int sku, final long qty)
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

    int demandIndex(final int sku)
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

    void clearCells(final int locations)
    {
        locationCount = locations;
        final int cells = demandCount * locations;
        if (held.length < cells)
        {
            final int n = Math.max(cells, held.length * 2);
            held = new long[n];
            capacity = new long[n];
            assigned = new long[n];
        }
        Arrays.fill(held, 0, cells, 0);
        Arrays.fill(capacity, 0, cells, 0);
        Arrays.fill(assigned, 0, cells, 0);
        if (remaining.length < demandCount)
        {
            remaining = new long[Math.max(demandCount, remaining.length * 2)];
        }
        shipmentCount = 0;
    }
}
