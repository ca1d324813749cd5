package io.truestock.gateway.cluster;

import io.truestock.engine.OrderStatus;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Every field of an {@link Outcome}, as the clustered service sends it back on egress: fixed fields, then the lines,
 * allocations and shipments, strings as a length (-1 for null) and UTF-8 bytes. Both ends run the same build, so
 * the layout carries no version of its own; the message framing in {@link ClusterMessages} does.
 */
final class OutcomeCodec
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private static final ReservationStatus[] RESERVATION_STATUSES = ReservationStatus.values();
    private static final OrderStatus[] ORDER_STATUSES = OrderStatus.values();

    private OutcomeCodec()
    {
    }

    /** The most bytes {@link #encode} can write for {@code outcome}, strings at their longest UTF-8 form. */
    static int maxLength(final Outcome outcome)
    {
        int length = 128 + maxString(outcome.orderId());
        length += outcome.lineCount() * 40;
        for (int i = 0; i < outcome.lineCount(); i++)
        {
            length += maxString(outcome.lineCurrency(i));
        }
        length += outcome.allocationCount() * 16;
        length += outcome.shipmentCount() * 36;
        for (int i = 0; i < outcome.shipmentCount(); i++)
        {
            length += maxString(outcome.shipmentCarrier(i)) + maxString(outcome.shipmentService(i));
        }
        return length;
    }

    private static int maxString(final String value)
    {
        return 4 + (value == null ? 0 : value.length() * 3);
    }

    /** @return the bytes written from {@code offset}. */
    static int encode(final Outcome outcome, final MutableDirectBuffer buffer, final int offset)
    {
        int at = offset;
        int flags = 0;
        flags |= outcome.accepted() ? 1 : 0;
        flags |= outcome.replayed() ? 2 : 0;
        flags |= outcome.duplicate() ? 4 : 0;
        buffer.putByte(at, (byte)flags);
        at += 1;
        buffer.putShort(at, (short)outcome.reason().ordinal(), ORDER);
        at += 2;
        buffer.putInt(at, outcome.rejectedLine(), ORDER);
        at += 4;
        buffer.putLong(at, outcome.version(), ORDER);
        at += 8;
        buffer.putInt(at, outcome.sku(), ORDER);
        buffer.putInt(at + 4, outcome.location(), ORDER);
        buffer.putInt(at + 8, outcome.channel(), ORDER);
        at += 12;
        buffer.putLong(at, outcome.onHand(), ORDER);
        buffer.putLong(at + 8, outcome.reserved(), ORDER);
        buffer.putLong(at + 16, outcome.committed(), ORDER);
        buffer.putLong(at + 24, outcome.safety(), ORDER);
        at += 32;
        buffer.putLong(at, outcome.reservationId(), ORDER);
        buffer.putByte(at + 8, ordinal(outcome.reservationStatus()));
        buffer.putLong(at + 9, outcome.expiresAtMillis(), ORDER);
        buffer.putByte(at + 17, ordinal(outcome.orderStatus()));
        at += 18;
        at += putString(buffer, at, outcome.orderId());
        buffer.putInt(at, outcome.lineCount(), ORDER);
        at += 4;
        for (int i = 0; i < outcome.lineCount(); i++)
        {
            buffer.putInt(at, outcome.lineSku(i), ORDER);
            buffer.putLong(at + 4, outcome.lineQty(i), ORDER);
            buffer.putLong(at + 12, outcome.lineAvailable(i), ORDER);
            buffer.putLong(at + 20, outcome.lineBackordered(i), ORDER);
            buffer.putLong(at + 28, outcome.linePriceMinor(i), ORDER);
            at += 36;
            at += putString(buffer, at, outcome.lineCurrency(i));
        }
        buffer.putInt(at, outcome.allocationCount(), ORDER);
        at += 4;
        for (int i = 0; i < outcome.allocationCount(); i++)
        {
            buffer.putInt(at, outcome.allocationSku(i), ORDER);
            buffer.putInt(at + 4, outcome.allocationLocation(i), ORDER);
            buffer.putLong(at + 8, outcome.allocationQty(i), ORDER);
            at += 16;
        }
        buffer.putInt(at, outcome.shipmentCount(), ORDER);
        at += 4;
        for (int i = 0; i < outcome.shipmentCount(); i++)
        {
            buffer.putInt(at, outcome.shipmentLocation(i), ORDER);
            buffer.putLong(at + 4, outcome.shipmentEarliestMillis(i), ORDER);
            buffer.putLong(at + 12, outcome.shipmentLatestMillis(i), ORDER);
            buffer.putLong(at + 20, outcome.shipmentOrderByMillis(i), ORDER);
            at += 28;
            at += putString(buffer, at, outcome.shipmentCarrier(i));
            at += putString(buffer, at, outcome.shipmentService(i));
        }
        return at - offset;
    }

    /**
     * Reads what {@link #encode} wrote into {@code into}, which is reset first.
     *
     * @throws IndexOutOfBoundsException or {@link IllegalArgumentException} when the bytes are not an outcome.
     */
    static Outcome decode(final DirectBuffer buffer, final int offset, final Outcome into)
    {
        into.reset();
        int at = offset;
        final int flags = buffer.getByte(at);
        at += 1;
        final RejectReason reason = RejectReason.of(buffer.getShort(at, ORDER));
        at += 2;
        final int rejectedLine = buffer.getInt(at, ORDER);
        at += 4;
        final long version = buffer.getLong(at, ORDER);
        at += 8;
        if ((flags & 1) != 0)
        {
            into.accept(version);
        }
        else
        {
            into.reject(reason, rejectedLine, version);
        }
        if ((flags & 2) != 0)
        {
            into.markReplayed();
        }
        if ((flags & 4) != 0)
        {
            into.markDuplicate();
        }
        final int sku = buffer.getInt(at, ORDER);
        final int location = buffer.getInt(at + 4, ORDER);
        final int channel = buffer.getInt(at + 8, ORDER);
        at += 12;
        into.stockValues(sku, location, buffer.getLong(at, ORDER), buffer.getLong(at + 8, ORDER),
            buffer.getLong(at + 16, ORDER), buffer.getLong(at + 24, ORDER));
        at += 32;
        final long reservationId = buffer.getLong(at, ORDER);
        final ReservationStatus reservationStatus = enumAt(RESERVATION_STATUSES, buffer.getByte(at + 8));
        final long expiresAt = buffer.getLong(at + 9, ORDER);
        final OrderStatus orderStatus = enumAt(ORDER_STATUSES, buffer.getByte(at + 17));
        at += 18;
        final int orderIdLength = buffer.getInt(at, ORDER);
        final String orderId = getString(buffer, at);
        at += 4 + Math.max(orderIdLength, 0);
        into.reservation(reservationId, reservationStatus, channel, expiresAt);
        if (orderId != null || orderStatus != null)
        {
            into.order(orderId, orderStatus, channel, reservationId);
        }
        final int lines = buffer.getInt(at, ORDER);
        at += 4;
        for (int i = 0; i < lines; i++)
        {
            into.addLine(buffer.getInt(at, ORDER), buffer.getLong(at + 4, ORDER), buffer.getLong(at + 12, ORDER),
                buffer.getLong(at + 20, ORDER));
            final long price = buffer.getLong(at + 28, ORDER);
            at += 36;
            final String currency = getString(buffer, at);
            at += 4 + Math.max(buffer.getInt(at, ORDER), 0);
            into.priceLine(i, price, currency);
        }
        final int allocations = buffer.getInt(at, ORDER);
        at += 4;
        for (int i = 0; i < allocations; i++)
        {
            into.addAllocation(buffer.getInt(at, ORDER), buffer.getInt(at + 4, ORDER), buffer.getLong(at + 8, ORDER));
            at += 16;
        }
        final int shipments = buffer.getInt(at, ORDER);
        at += 4;
        for (int i = 0; i < shipments; i++)
        {
            final int shipLocation = buffer.getInt(at, ORDER);
            final long earliest = buffer.getLong(at + 4, ORDER);
            final long latest = buffer.getLong(at + 12, ORDER);
            final long orderBy = buffer.getLong(at + 20, ORDER);
            at += 28;
            final String carrier = getString(buffer, at);
            at += 4 + Math.max(buffer.getInt(at, ORDER), 0);
            final String service = getString(buffer, at);
            at += 4 + Math.max(buffer.getInt(at, ORDER), 0);
            into.addShipment(shipLocation, earliest, latest, orderBy, carrier, service);
        }
        return into;
    }

    private static byte ordinal(final Enum<?> value)
    {
        return (byte)(value == null ? -1 : value.ordinal());
    }

    private static <E> E enumAt(final E[] values, final byte ordinal)
    {
        if (ordinal < 0)
        {
            return null;
        }
        if (ordinal >= values.length)
        {
            throw new IllegalArgumentException("unknown status " + ordinal);
        }
        return values[ordinal];
    }

    private static int putString(final MutableDirectBuffer buffer, final int at, final String value)
    {
        if (value == null)
        {
            buffer.putInt(at, -1, ORDER);
            return 4;
        }
        return buffer.putStringUtf8(at, value, ORDER);
    }

    private static String getString(final DirectBuffer buffer, final int at)
    {
        return buffer.getInt(at, ORDER) < 0 ? null : buffer.getStringUtf8(at, ORDER);
    }
}
