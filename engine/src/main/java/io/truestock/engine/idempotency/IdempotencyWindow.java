package io.truestock.engine.idempotency;

import io.truestock.engine.Command;
import io.truestock.engine.OrderStatus;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import io.truestock.engine.StateDigest;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import static io.truestock.engine.SnapshotFields.count;
import static io.truestock.engine.SnapshotFields.writeNullable;
import static io.truestock.engine.SnapshotFields.readNullable;

/**
 * The idempotency keys remembered, with the fingerprint of the command that first used each and the outcome it
 * got, for a bounded window of ingest time and a bounded count. Keys are scoped by principal. Writer thread only.
 */
public final class IdempotencyWindow
{
    /** One remembered key: the principal-scoped key, the first command's fingerprint, when, and what it got. */
    public record Entry(String key, long fingerprint, long atMillis, Outcome outcome)
    {
    }

    private final HashMap<String, Entry> byKey = new HashMap<>();
    private final ArrayDeque<Entry> byAge = new ArrayDeque<>();
    private final long windowMillis;
    private final int maxEntries;

    public IdempotencyWindow(final long windowMillis, final int maxEntries)
    {
        this.windowMillis = windowMillis;
        this.maxEntries = maxEntries;
    }

    /**
     * The principal-scoped key of a command, or null when it carries none or the window is switched off.
     * Length-prefixed, so no choice of characters in a principal or key can make two pairs collide.
     */
    public String keyOf(final Command command)
    {
        final String key = command.idempotencyKey();
        if (key == null || maxEntries == 0)
        {
            return null;
        }
        final String principal = command.principal() == null ? "" : command.principal();
        return principal.length() + ":" + principal + key;
    }

    /** Forgets the keys that are as old as the window at the instant. */
    public void expire(final long nowMillis)
    {
        final long horizon = nowMillis - windowMillis;
        Entry oldest;
        while ((oldest = byAge.peekFirst()) != null && oldest.atMillis() <= horizon)
        {
            byAge.pollFirst();
            byKey.remove(oldest.key());
        }
    }

    public Entry get(final String key)
    {
        return byKey.get(key);
    }

    public boolean isFull()
    {
        return byKey.size() >= maxEntries;
    }

    public int size()
    {
        return byKey.size();
    }

    /** Remembers a key with a copy of the outcome its command got. */
    public void remember(final String key, final long fingerprint, final long atMillis, final Outcome outcome)
    {
        final Entry entry = new Entry(key, fingerprint, atMillis, outcome.copy());
        byKey.put(key, entry);
        byAge.addLast(entry);
    }

    /** The entries, oldest first: for tests and tools; allocates. */
    public List<Entry> byAge()
    {
        return new ArrayList<>(byAge);
    }

    // ---- snapshot and digest ----

    public void write(final DataOutput out) throws IOException
    {
        out.writeInt(byAge.size());
        for (final Entry entry : byAge)
        {
            out.writeUTF(entry.key());
            out.writeLong(entry.fingerprint());
            out.writeLong(entry.atMillis());
            writeOutcome(out, entry.outcome());
        }
    }

    /** Reads what {@link #write} wrote into an empty window. */
    public void read(final DataInput in) throws IOException
    {
        final int entries = count(in, Integer.MAX_VALUE);
        for (int i = 0; i < entries; i++)
        {
            final Entry entry = new Entry(in.readUTF(), in.readLong(), in.readLong(), readOutcome(in));
            byKey.put(entry.key(), entry);
            byAge.addLast(entry);
        }
    }

    /** Every entry in age order: key, fingerprint, instant and every field of the stored outcome. */
    public void digest(final StateDigest d)
    {
        d.section("idempotency").putInt(byAge.size());
        for (final Entry entry : byAge)
        {
            d.putString(entry.key()).putLong(entry.fingerprint()).putLong(entry.atMillis());
            digestOutcome(d, entry.outcome());
        }
    }

    private static void digestOutcome(final StateDigest d, final Outcome o)
    {
        d.putBoolean(o.accepted()).putBoolean(o.duplicate()).putBoolean(o.replayed()).putInt(o.reason().ordinal())
            .putInt(o.rejectedLine()).putLong(o.version()).putInt(o.sku()).putInt(o.location()).putInt(o.channel())
            .putLong(o.onHand()).putLong(o.reserved()).putLong(o.committed()).putLong(o.safety())
            .putLong(o.reservationId())
            .putInt(o.reservationStatus() == null ? -1 : o.reservationStatus().ordinal())
            .putLong(o.expiresAtMillis()).putString(o.orderId())
            .putInt(o.orderStatus() == null ? -1 : o.orderStatus().ordinal()).putInt(o.lineCount());
        for (int i = 0; i < o.lineCount(); i++)
        {
            d.putInt(o.lineSku(i)).putLong(o.lineQty(i)).putLong(o.lineAvailable(i)).putLong(o.lineBackordered(i))
                .putLong(o.linePriceMinor(i)).putString(o.lineCurrency(i));
        }
        d.putInt(o.shipmentCount());
        for (int i = 0; i < o.shipmentCount(); i++)
        {
            d.putInt(o.shipmentLocation(i)).putLong(o.shipmentEarliestMillis(i)).putLong(o.shipmentLatestMillis(i))
                .putLong(o.shipmentOrderByMillis(i)).putString(o.shipmentCarrier(i)).putString(o.shipmentService(i));
        }
        d.putInt(o.allocationCount());
        for (int i = 0; i < o.allocationCount(); i++)
        {
            d.putInt(o.allocationSku(i)).putInt(o.allocationLocation(i)).putLong(o.allocationQty(i));
        }
    }

    private static void writeOutcome(final DataOutput out, final Outcome o) throws IOException
    {
        out.writeBoolean(o.accepted());
        out.writeBoolean(o.duplicate());
        out.writeBoolean(o.replayed());
        out.writeInt(o.reason().ordinal());
        out.writeInt(o.rejectedLine());
        out.writeLong(o.version());
        out.writeInt(o.sku());
        out.writeInt(o.location());
        out.writeInt(o.channel());
        out.writeLong(o.onHand());
        out.writeLong(o.reserved());
        out.writeLong(o.committed());
        out.writeLong(o.safety());
        out.writeLong(o.reservationId());
        out.writeInt(o.reservationStatus() == null ? -1 : o.reservationStatus().ordinal());
        out.writeLong(o.expiresAtMillis());
        writeNullable(out, o.orderId());
        out.writeInt(o.orderStatus() == null ? -1 : o.orderStatus().ordinal());
        out.writeInt(o.lineCount());
        for (int i = 0; i < o.lineCount(); i++)
        {
            out.writeInt(o.lineSku(i));
            out.writeLong(o.lineQty(i));
            out.writeLong(o.lineAvailable(i));
            out.writeLong(o.lineBackordered(i));
            out.writeLong(o.linePriceMinor(i));
            writeNullable(out, o.lineCurrency(i));
        }
        out.writeInt(o.shipmentCount());
        for (int i = 0; i < o.shipmentCount(); i++)
        {
            out.writeInt(o.shipmentLocation(i));
            out.writeLong(o.shipmentEarliestMillis(i));
            out.writeLong(o.shipmentLatestMillis(i));
            out.writeLong(o.shipmentOrderByMillis(i));
            writeNullable(out, o.shipmentCarrier(i));
            writeNullable(out, o.shipmentService(i));
        }
        out.writeInt(o.allocationCount());
        for (int i = 0; i < o.allocationCount(); i++)
        {
            out.writeInt(o.allocationSku(i));
            out.writeInt(o.allocationLocation(i));
            out.writeLong(o.allocationQty(i));
        }
    }

    private static Outcome readOutcome(final DataInput in) throws IOException
    {
        final Outcome o = new Outcome();
        final boolean accepted = in.readBoolean();
        final boolean duplicate = in.readBoolean();
        final boolean replayed = in.readBoolean();
        final RejectReason reason = RejectReason.of(in.readInt());
        final int rejectedLine = in.readInt();
        final long version = in.readLong();
        if (accepted)
        {
            o.accept(version);
        }
        else
        {
            o.reject(reason, rejectedLine, version);
        }
        if (duplicate)
        {
            o.markDuplicate();
        }
        if (replayed)
        {
            o.markReplayed();
        }
        final int sku = in.readInt();
        final int location = in.readInt();
        final int channel = in.readInt();
        o.stockValues(sku, location, in.readLong(), in.readLong(), in.readLong(), in.readLong());
        final long reservationId = in.readLong();
        final int reservationStatus = in.readInt();
        final long expiresAt = in.readLong();
        o.reservation(reservationId, reservationStatus < 0 ? null : ReservationStatus.of(reservationStatus), channel,
            expiresAt);
        final String orderId = readNullable(in);
        final int orderStatus = in.readInt();
        if (orderId != null || orderStatus >= 0)
        {
            o.order(orderId, orderStatus < 0 ? null : OrderStatus.of(orderStatus), channel, reservationId);
        }
        final int lines = count(in, 1 << 20);
        for (int i = 0; i < lines; i++)
        {
            o.addLine(in.readInt(), in.readLong(), in.readLong(), in.readLong());
            o.priceLine(i, in.readLong(), readNullable(in));
        }
        final int shipments = count(in, 1 << 16);
        for (int i = 0; i < shipments; i++)
        {
            o.addShipment(in.readInt(), in.readLong(), in.readLong(), in.readLong(), readNullable(in),
                readNullable(in));
        }
        final int allocations = count(in, 1 << 24);
        for (int i = 0; i < allocations; i++)
        {
            o.addAllocation(in.readInt(), in.readInt(), in.readLong());
        }
        return o;
    }
}
