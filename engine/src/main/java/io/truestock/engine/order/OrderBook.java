package io.truestock.engine.order;

import io.truestock.engine.OrderStatus;
import io.truestock.engine.Registry;
import io.truestock.engine.StateDigest;
import org.agrona.collections.Object2ObjectHashMap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.truestock.engine.SnapshotFields.count;
import static io.truestock.engine.SnapshotFields.writeNullable;
import static io.truestock.engine.SnapshotFields.readNullable;

/**
 * Every order the engine knows, by (channel, order id), and the closed ones (shipped or cancelled) in the order they
 * closed: those are the ones forgotten first when the table is full. Open addressing, no per-entry nodes, and
 * forgotten orders are recycled, so adding an order allocates nothing once the table has grown.
 * <p>
 * Writer thread only.
 */
public final class OrderBook
{
    private static final int POOL_LIMIT = 1024;

    private final Object2ObjectHashMap<OrderKey, Order> byKey = new Object2ObjectHashMap<>();
    private final OrderKey probe = new OrderKey();
    private final ArrayDeque<Order> pool = new ArrayDeque<>();
    private final ArrayDeque<Order> closed = new ArrayDeque<>();
    private final Registry channels;

    /**
     * @param channels the channel registry, whose ids order the orders in snapshots and digests.
     */
    public OrderBook(final Registry channels)
    {
        this.channels = channels;
    }

    public int size()
    {
        return byKey.size();
    }

    public Order get(final int channel, final String orderId)
    {
        return byKey.get(probe.set(channel, orderId));
    }

    /**
     * Makes room for one more order under the bound by forgetting the oldest closed order.
     *
     * @return false when the table is full of open orders.
     */
    public boolean makeRoom(final int maxOrders)
    {
        if (byKey.size() < maxOrders)
        {
            return true;
        }
        final Order oldest = closed.pollFirst();
        if (oldest == null)
        {
            return false;
        }
        byKey.remove(oldest.key);
        if (pool.size() < POOL_LIMIT)
        {
            pool.addLast(oldest);
        }
        return true;
    }

    /** An order to {@link Order#init} and {@link #add}: a recycled one when there is one. */
    public Order newOrder()
    {
        final Order recycled = pool.pollFirst();
        return recycled != null ? recycled : new Order();
    }

    public void add(final Order order)
    {
        byKey.put(order.key, order);
    }

    /** Moves an open order to a final status. */
    public void close(final Order order, final OrderStatus status)
    {
        order.status = status;
        closed.addLast(order);
    }

    /** Every order, by key text: for snapshots, digests, tests and tools; allocates. */
    public List<Order> byKeyOrder()
    {
        final List<Order> all = new ArrayList<>(byKey.values());
        all.sort(Comparator.comparing(o -> o.keyText(channels)));
        return all;
    }

    /** The closed orders, oldest first: allocates. */
    public List<Order> closed()
    {
        return new ArrayList<>(closed);
    }

    // ---- snapshot and digest ----

    public void write(final DataOutput out) throws IOException
    {
        final List<Order> open = new ArrayList<>();
        for (final Order order : byKeyOrder())
        {
            if (order.status == OrderStatus.CONFIRMED)
            {
                open.add(order);
            }
        }
        out.writeInt(open.size());
        for (final Order order : open)
        {
            writeOrder(out, order);
        }
        out.writeInt(closed.size());
        for (final Order order : closed)
        {
            writeOrder(out, order);
        }
    }

    /** Reads what {@link #write} wrote into an empty book. */
    public void read(final DataInput in) throws IOException
    {
        final int open = count(in, Integer.MAX_VALUE);
        for (int i = 0; i < open; i++)
        {
            add(readOrder(in));
        }
        final int closedCount = count(in, Integer.MAX_VALUE);
        for (int i = 0; i < closedCount; i++)
        {
            final Order order = readOrder(in);
            add(order);
            closed.addLast(order);
        }
    }

    /** Every field of every order, by key, then the order in which closed orders are forgotten. */
    public void digest(final StateDigest d)
    {
        d.section("orders").putInt(byKey.size());
        for (final Order order : byKeyOrder())
        {
            d.putString(order.orderId).putInt(order.channel).putLong(order.reservationId).putLong(order.fingerprint)
                .putLong(order.version).putString(order.destinationCountry).putString(order.destinationPostalCode)
                .putInt(order.status.ordinal()).putInt(order.lineCount);
            for (int i = 0; i < order.lineCount; i++)
            {
                d.putInt(order.lineSku[i]).putLong(order.lineQty[i]).putLong(order.lineBackordered[i])
                    .putLong(order.linePriceMinor[i]).putString(order.lineCurrency[i]);
            }
            d.putInt(order.shipmentCount);
            for (int i = 0; i < order.shipmentCount; i++)
            {
                d.putInt(order.shipmentLocation[i]).putLong(order.shipmentPromise[i * 3])
                    .putLong(order.shipmentPromise[i * 3 + 1]).putLong(order.shipmentPromise[i * 3 + 2])
                    .putString(order.shipmentCarrier[i]).putString(order.shipmentService[i]);
            }
            d.putInt(order.allocationCount);
            for (int i = 0; i < order.allocationCount; i++)
            {
                d.putInt(order.allocationSku[i]).putInt(order.allocationLocation[i]).putLong(order.allocationQty[i]);
            }
        }
        d.section("closed orders").putInt(closed.size());
        for (final Order order : closed)
        {
            d.putInt(order.channel).putString(order.orderId);
        }
    }

    private static void writeOrder(final DataOutput out, final Order order) throws IOException
    {
        out.writeUTF(order.orderId);
        out.writeInt(order.channel);
        out.writeLong(order.reservationId);
        out.writeLong(order.fingerprint);
        out.writeLong(order.version);
        writeNullable(out, order.destinationCountry);
        writeNullable(out, order.destinationPostalCode);
        out.writeByte(order.status.ordinal());
        out.writeInt(order.lineCount);
        for (int i = 0; i < order.lineCount; i++)
        {
            out.writeInt(order.lineSku[i]);
            out.writeLong(order.lineQty[i]);
            out.writeLong(order.lineBackordered[i]);
            out.writeLong(order.linePriceMinor[i]);
            writeNullable(out, order.lineCurrency[i]);
        }
        out.writeInt(order.shipmentCount);
        for (int i = 0; i < order.shipmentCount; i++)
        {
            out.writeInt(order.shipmentLocation[i]);
            out.writeLong(order.shipmentPromise[i * 3]);
            out.writeLong(order.shipmentPromise[i * 3 + 1]);
            out.writeLong(order.shipmentPromise[i * 3 + 2]);
            writeNullable(out, order.shipmentCarrier[i]);
            writeNullable(out, order.shipmentService[i]);
        }
        out.writeInt(order.allocationCount);
        for (int i = 0; i < order.allocationCount; i++)
        {
            out.writeInt(order.allocationSku[i]);
            out.writeInt(order.allocationLocation[i]);
            out.writeLong(order.allocationQty[i]);
        }
    }

    private static Order readOrder(final DataInput in) throws IOException
    {
        final Order order = new Order().init(in.readUTF(), in.readInt(), in.readLong(), in.readLong(),
            in.readLong(), readNullable(in), readNullable(in));
        order.status = OrderStatus.of(in.readByte());
        final int lines = count(in, 1 << 20);
        for (int i = 0; i < lines; i++)
        {
            order.addLine(in.readInt(), in.readLong(), in.readLong(), in.readLong(), readNullable(in));
        }
        final int shipments = count(in, 1 << 16);
        for (int i = 0; i < shipments; i++)
        {
            order.addShipment(in.readInt(), in.readLong(), in.readLong(), in.readLong(), readNullable(in),
                readNullable(in));
        }
        final int allocations = count(in, 1 << 24);
        for (int i = 0; i < allocations; i++)
        {
            order.addAllocation(in.readInt(), in.readInt(), in.readLong());
        }
        return order;
    }
}
