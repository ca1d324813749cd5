package io.truestock.engine;

import java.util.Arrays;

/**
 * What one command did, written by the writer into the command's ring slot and read by the output stage.
 * Which fields are meaningful depends on the command type:
 * <ul>
 *   <li>stock commands: {@link #sku()}, {@link #location()} and the record after the change;</li>
 *   <li>reservations: id, status, expiry, channel, lines, and the holds as allocations;</li>
 *   <li>orders: order id, status, channel, lines with backordered units, and allocations (the shipments);</li>
 *   <li>an {@link RejectReason#OUT_OF_STOCK} rejection: per-line available counts.</li>
 * </ul>
 * Indices (SKU, location, channel) resolve to ids through the engine's registries.
 */
public final class Outcome
{
    private boolean accepted;
    private RejectReason reason = RejectReason.NONE;
    private int rejectedLine = -1;
    private long version;
    private boolean replayed;
    private boolean duplicate;

    private int sku = -1;
    private int location = -1;
    private int channel = -1;
    private long onHand;
    private long reserved;
    private long committed;
    private long safety;

    private long reservationId;
    private ReservationStatus reservationStatus;
    private long expiresAtMillis;
    private String orderId;
    private OrderStatus orderStatus;

    private int lineCount;
    private int[] lineSku = new int[8];
    private long[] lineQty = new long[8];
    private long[] lineAvailable = new long[8];
    private long[] lineBackordered = new long[8];
    private long[] linePriceMinor = new long[8];
    private String[] lineCurrency = new String[8];

    private int shipmentCount;
    private int[] shipmentLocation = new int[4];
    private long[] shipmentPromise = new long[12];
    private String[] shipmentCarrier = new String[4];
    private String[] shipmentService = new String[4];

    private int allocationCount;
    private int[] allocationSku = new int[8];
    private int[] allocationLocation = new int[8];
    private long[] allocationQty = new long[8];

    public Outcome reset()
    {
        accepted = false;
        reason = RejectReason.NONE;
        rejectedLine = -1;
        version = 0;
        replayed = false;
        duplicate = false;
        sku = -1;
        location = -1;
        channel = -1;
        onHand = 0;
        reserved = 0;
        committed = 0;
        safety = 0;
        reservationId = 0;
        reservationStatus = null;
        expiresAtMillis = 0;
        orderId = null;
        orderStatus = null;
        for (int i = 0; i < lineCount; i++)
        {
            lineCurrency[i] = null;
        }
        lineCount = 0;
        allocationCount = 0;
        for (int i = 0; i < shipmentCount; i++)
        {
            shipmentCarrier[i] = null;
            shipmentService[i] = null;
        }
        shipmentCount = 0;
        return this;
    }

    public void copyFrom(final Outcome other)
    {
        reset();
        accepted = other.accepted;
        reason = other.reason;
        rejectedLine = other.rejectedLine;
        version = other.version;
        replayed = other.replayed;
        duplicate = other.duplicate;
        sku = other.sku;
        location = other.location;
        channel = other.channel;
        onHand = other.onHand;
        reserved = other.reserved;
        committed = other.committed;
        safety = other.safety;
        reservationId = other.reservationId;
        reservationStatus = other.reservationStatus;
        expiresAtMillis = other.expiresAtMillis;
        orderId = other.orderId;
        orderStatus = other.orderStatus;
        for (int i = 0; i < other.lineCount; i++)
        {
            addLine(other.lineSku[i], other.lineQty[i], other.lineAvailable[i], other.lineBackordered[i]);
            priceLine(i, other.linePriceMinor[i], other.lineCurrency[i]);
        }
        for (int i = 0; i < other.allocationCount; i++)
        {
            addAllocation(other.allocationSku[i], other.allocationLocation[i], other.allocationQty[i]);
        }
        for (int i = 0; i < other.shipmentCount; i++)
        {
            addShipment(other.shipmentLocation[i], other.shipmentPromise[i * 3], other.shipmentPromise[i * 3 + 1],
                other.shipmentPromise[i * 3 + 2], other.shipmentCarrier[i], other.shipmentService[i]);
        }
    }

    public Outcome copy()
    {
        final Outcome copy = new Outcome();
        copy.copyFrom(this);
        return copy;
    }

    public void accept(final long engineVersion)
    {
        accepted = true;
        reason = RejectReason.NONE;
        version = engineVersion;
    }

    /** Marks the outcome rejected; also used by the runtime when the writer has halted. */
    public void reject(final RejectReason why, final int line, final long engineVersion)
    {
        accepted = false;
        reason = why;
        rejectedLine = line;
        version = engineVersion;
    }

    public void markReplayed()
    {
        replayed = true;
    }

    public void markDuplicate()
    {
        duplicate = true;
    }

    public void stock(final int skuIndex, final int locationIndex, final StockTable table, final int offset)
    {
        sku = skuIndex;
        location = locationIndex;
        onHand = table.onHand(offset);
        reserved = table.reserved(offset);
        committed = table.committed(offset);
        safety = table.safety(offset);
    }

    public void stockValues(
        final int skuIndex, final int locationIndex,
        final long newOnHand, final long newReserved, final long newCommitted, final long newSafety)
    {
        sku = skuIndex;
        location = locationIndex;
        onHand = newOnHand;
        reserved = newReserved;
        committed = newCommitted;
        safety = newSafety;
    }

    public void reservation(final long id, final ReservationStatus status, final int channelIndex, final long expiresAt)
    {
        reservationId = id;
        reservationStatus = status;
        channel = channelIndex;
        expiresAtMillis = expiresAt;
    }

    public void order(final String id, final OrderStatus status, final int channelIndex, final long fromReservation)
    {
        orderId = id;
        orderStatus = status;
        channel = channelIndex;
        reservationId = fromReservation;
    }

    public void addLine(final int skuIndex, final long qty, final long available, final long backordered)
    {
        if (lineCount == lineSku.length)
        {
            final int n = lineCount * 2;
            lineSku = Arrays.copyOf(lineSku, n);
            lineQty = Arrays.copyOf(lineQty, n);
            lineAvailable = Arrays.copyOf(lineAvailable, n);
            lineBackordered = Arrays.copyOf(lineBackordered, n);
            linePriceMinor = Arrays.copyOf(linePriceMinor, n);
            lineCurrency = Arrays.copyOf(lineCurrency, n);
        }
        linePriceMinor[lineCount] = 0;
        lineCurrency[lineCount] = null;
        lineSku[lineCount] = skuIndex;
        lineQty[lineCount] = qty;
        lineAvailable[lineCount] = available;
        lineBackordered[lineCount] = backordered;
        lineCount++;
    }

    /** The unit price a line of a confirmed order is charged; the currency is null for lines without a price. */
    public void priceLine(final int line, final long amountMinor, final String currency)
    {
        linePriceMinor[line] = amountMinor;
        lineCurrency[line] = currency;
    }

    public void addShipment(
        final int locationIndex, final long earliest, final long latest, final long orderBy,
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
        shipmentLocation[shipmentCount] = locationIndex;
        shipmentPromise[shipmentCount * 3] = earliest;
        shipmentPromise[shipmentCount * 3 + 1] = latest;
        shipmentPromise[shipmentCount * 3 + 2] = orderBy;
        shipmentCarrier[shipmentCount] = carrier;
        shipmentService[shipmentCount] = service;
        shipmentCount++;
    }

    /** Unit price charged for a line of an order, in minor units; 0 with a null currency when not priced. */
    public long linePriceMinor(final int i)
    {
        return linePriceMinor[i];
    }

    public String lineCurrency(final int i)
    {
        return lineCurrency[i];
    }

    /** Shipments of an order: one per location it ships from, in location order. */
    public int shipmentCount()
    {
        return shipmentCount;
    }

    public int shipmentLocation(final int i)
    {
        return shipmentLocation[i];
    }

    /** True when the shipment has a delivery promise (the order had a destination some carrier serves). */
    public boolean shipmentHasPromise(final int i)
    {
        return shipmentCarrier[i] != null;
    }

    public long shipmentEarliestMillis(final int i)
    {
        return shipmentPromise[i * 3];
    }

    public long shipmentLatestMillis(final int i)
    {
        return shipmentPromise[i * 3 + 1];
    }

    public long shipmentOrderByMillis(final int i)
    {
        return shipmentPromise[i * 3 + 2];
    }

    public String shipmentCarrier(final int i)
    {
        return shipmentCarrier[i];
    }

    public String shipmentService(final int i)
    {
        return shipmentService[i];
    }

    public void addAllocation(final int skuIndex, final int locationIndex, final long qty)
    {
        if (allocationCount == allocationSku.length)
        {
            final int n = allocationCount * 2;
            allocationSku = Arrays.copyOf(allocationSku, n);
            allocationLocation = Arrays.copyOf(allocationLocation, n);
            allocationQty = Arrays.copyOf(allocationQty, n);
        }
        allocationSku[allocationCount] = skuIndex;
        allocationLocation[allocationCount] = locationIndex;
        allocationQty[allocationCount] = qty;
        allocationCount++;
    }

    public boolean accepted()
    {
        return accepted;
    }

    public RejectReason reason()
    {
        return reason;
    }

    /** Index of the request line a rejection is about, or -1. */
    public int rejectedLine()
    {
        return rejectedLine;
    }

    /** Engine sequence of the command (for a replayed outcome: of the first command). */
    public long version()
    {
        return version;
    }

    /** True when this outcome is the stored first outcome of an idempotent repeat. */
    public boolean replayed()
    {
        return replayed;
    }

    /**
     * True when the command repeated an order or confirmation that had already happened (same channel and order
     * id, same lines): the outcome is that order's first answer and nothing changed.
     */
    public boolean duplicate()
    {
        return duplicate;
    }

    public int sku()
    {
        return sku;
    }

    public int location()
    {
        return location;
    }

    public int channel()
    {
        return channel;
    }

    public long onHand()
    {
        return onHand;
    }

    public long reserved()
    {
        return reserved;
    }

    public long committed()
    {
        return committed;
    }

    public long safety()
    {
        return safety;
    }

    public long available()
    {
        return Math.max(0, onHand - reserved - committed - safety);
    }

    public long reservationId()
    {
        return reservationId;
    }

    public ReservationStatus reservationStatus()
    {
        return reservationStatus;
    }

    public long expiresAtMillis()
    {
        return expiresAtMillis;
    }

    public String orderId()
    {
        return orderId;
    }

    public OrderStatus orderStatus()
    {
        return orderStatus;
    }

    public int lineCount()
    {
        return lineCount;
    }

    public int lineSku(final int i)
    {
        return lineSku[i];
    }

    public long lineQty(final int i)
    {
        return lineQty[i];
    }

    /** For an out-of-stock rejection: what the channel could still supply of that line's SKU. */
    public long lineAvailable(final int i)
    {
        return lineAvailable[i];
    }

    public long lineBackordered(final int i)
    {
        return lineBackordered[i];
    }

    public int allocationCount()
    {
        return allocationCount;
    }

    public int allocationSku(final int i)
    {
        return allocationSku[i];
    }

    public int allocationLocation(final int i)
    {
        return allocationLocation[i];
    }

    public long allocationQty(final int i)
    {
        return allocationQty[i];
    }

    @Override
    public String toString()
    {
        return "Outcome{" + (accepted ? "accepted" : "rejected " + reason) + " version=" + version +
            (replayed ? " replayed" : "") + (reservationId != 0 ? " reservation=" + reservationId + ' ' + reservationStatus : "") +
            (orderId != null ? " order=" + orderId + ' ' + orderStatus : "") + '}';
    }
}
