package io.truestock.engine.order;

import io.truestock.engine.OrderStatus;
import io.truestock.engine.Registry;

import java.util.Arrays;

/**
 * An order as the writer holds it: lines (with backordered units) and the committed allocations per location.
 */
public final class Order
{
    public final OrderKey key = new OrderKey();
    public String orderId;
    public int channel;
    public long reservationId;
    public long fingerprint;
    public long version;
    public String destinationCountry;
    public String destinationPostalCode;
    public OrderStatus status = OrderStatus.CONFIRMED;

    public int lineCount;
    public int[] lineSku = new int[4];
    public long[] lineQty = new long[4];
    public long[] lineBackordered = new long[4];
    public long[] linePriceMinor = new long[4];
    public String[] lineCurrency = new String[4];

    public int shipmentCount;
    public int[] shipmentLocation = new int[2];
    /** Per shipment: earliest, latest and order-by instants, all {@link Long#MIN_VALUE} when there is no promise. */
    public long[] shipmentPromise = new long[6];
    public String[] shipmentCarrier = new String[2];
    public String[] shipmentService = new String[2];

    public int allocationCount;
    public int[] allocationSku = new int[4];
    public int[] allocationLocation = new int[4];
    public long[] allocationQty = new long[4];

    /**
     * (Re)initialises the order, keeping its arrays: the engine recycles orders it forgets, so that a steady
     * stream of orders allocates nothing once the order table is full.
     */
    public Order init(
        final String orderId, final int channel, final long reservationId, final long fingerprint,
        final long version, final String destinationCountry, final String destinationPostalCode)
    {
        this.orderId = orderId;
        this.channel = channel;
        this.reservationId = reservationId;
        this.fingerprint = fingerprint;
        this.version = version;
        this.destinationCountry = destinationCountry;
        this.destinationPostalCode = destinationPostalCode;
        key.set(channel, orderId);
        status = OrderStatus.CONFIRMED;
        for (int i = 0; i < lineCount; i++)
        {
            lineCurrency[i] = null;
        }
        for (int i = 0; i < shipmentCount; i++)
        {
            shipmentCarrier[i] = null;
            shipmentService[i] = null;
        }
        lineCount = 0;
        shipmentCount = 0;
        allocationCount = 0;
        return this;
    }

    /** The key as text, {@code channelId/orderId}: the order in which snapshots and digests list orders. */
    public String keyText(final Registry channels)
    {
        return channels.id(channel) + '/' + orderId;
    }

    public void addLine(final int sku, final long qty, final long backordered, final long priceMinor, final String currency)
    {
        if (lineCount == lineSku.length)
        {
            final int n = lineCount * 2;
            lineSku = Arrays.copyOf(lineSku, n);
            lineQty = Arrays.copyOf(lineQty, n);
            lineBackordered = Arrays.copyOf(lineBackordered, n);
            linePriceMinor = Arrays.copyOf(linePriceMinor, n);
            lineCurrency = Arrays.copyOf(lineCurrency, n);
        }
        lineSku[lineCount] = sku;
        lineQty[lineCount] = qty;
        lineBackordered[lineCount] = backordered;
        linePriceMinor[lineCount] = priceMinor;
        lineCurrency[lineCount] = currency;
        lineCount++;
    }

    /** A shipment from a location; the promise fields are {@link Long#MIN_VALUE} and null when there is none. */
    public void addShipment(
        final int location, final long earliest, final long latest, final long orderBy,
        final String carrier, final String service)
    {
        if (shipmentCount == shipmentLocation.length)
        {
            final int n = shipmentCount * 2;
            shipmentLocation = Arrays.copyOf(shipmentLocation, n);
            shipmentPromise = Arrays.copyOf(shipmentPromise, n * 3);
            shipmentCarrier = Arrays.copyOf(shipmentCarrier, n);
            shipmentService = Arrays.copyOf(shipmentService, n);
        }
        shipmentLocation[shipmentCount] = location;
        shipmentPromise[shipmentCount * 3] = earliest;
        shipmentPromise[shipmentCount * 3 + 1] = latest;
        shipmentPromise[shipmentCount * 3 + 2] = orderBy;
        shipmentCarrier[shipmentCount] = carrier;
        shipmentService[shipmentCount] = service;
        shipmentCount++;
    }

    public void addAllocation(final int sku, final int location, final long qty)
    {
        for (int i = 0; i < allocationCount; i++)
        {
            if (allocationSku[i] == sku && allocationLocation[i] == location)
            {
                allocationQty[i] += qty;
                return;
            }
        }
        if (allocationCount == allocationSku.length)
        {
            final int n = allocationCount * 2;
            allocationSku = Arrays.copyOf(allocationSku, n);
            allocationLocation = Arrays.copyOf(allocationLocation, n);
            allocationQty = Arrays.copyOf(allocationQty, n);
        }
        allocationSku[allocationCount] = sku;
        allocationLocation[allocationCount] = location;
        allocationQty[allocationCount] = qty;
        allocationCount++;
    }
}
