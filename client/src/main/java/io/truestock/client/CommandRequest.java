package io.truestock.client;

import io.truestock.sbe.BooleanType;
import io.truestock.sbe.CommandCode;
import io.truestock.sbe.CommandRecordEncoder;
import io.truestock.sbe.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A command of the engine's stream as a caller builds it, one builder per command type, for
 * {@link TruestockClient#submit(CommandRequest)}: the stock, reservation and order commands. The catalog's
 * definitions are sent encoded, through {@link TruestockClient#submit(org.agrona.DirectBuffer, int, int)}.
 * <p>
 * Not thread safe; {@code submit} encodes a request before it returns, so a request may be reused at once.
 */
public final class CommandRequest
{
    /** A quantity left unset: {@code set} leaves the stock record's value as it is, or checks no expected value. */
    public static final long ABSENT = CommandRecordEncoder.quantityNullValue();

    private CommandCode type;
    private String idempotencyKey;
    private String reason;
    private String reference;
    private String sku;
    private String location;
    private String channel;
    private long quantity;
    private long expected = ABSENT;
    private long safety = ABSENT;
    private int ttlSeconds;
    private long reservationId;
    private String orderId;
    private String destinationCountry;
    private String destinationPostalCode;
    private final List<Line> lines = new ArrayList<>();

    /** The command type, or null before a builder set it. */
    public CommandCode type()
    {
        return type;
    }

    /** Adds {@code qty} units on hand at a location (admin scope). */
    public CommandRequest receive(final String skuId, final String locationId, final long qty)
    {
        type = CommandCode.RECEIVE;
        sku = skuId;
        location = locationId;
        quantity = qty;
        return this;
    }

    /** Changes on hand at a location by {@code delta}, which may be negative (admin scope). */
    public CommandRequest adjust(final String skuId, final String locationId, final long delta)
    {
        type = CommandCode.ADJUST;
        sku = skuId;
        location = locationId;
        quantity = delta;
        return this;
    }

    /**
     * Sets a stock record (admin scope).
     *
     * @param onHand         new on hand, or {@link #ABSENT} to leave it.
     * @param newSafety      new safety stock, or {@link #ABSENT} to leave it.
     * @param expectedOnHand compare-and-set guard, or {@link #ABSENT}.
     */
    public CommandRequest set(
        final String skuId, final String locationId, final long onHand, final long newSafety, final long expectedOnHand)
    {
        type = CommandCode.SET;
        sku = skuId;
        location = locationId;
        quantity = onHand;
        safety = newSafety;
        expected = expectedOnHand;
        return this;
    }

    /** Holds every line or none for {@code ttl} seconds; lines are added with {@link #addLine(String, long)}. */
    public CommandRequest reserve(final String channelId, final int ttl)
    {
        type = CommandCode.RESERVE;
        channel = channelId;
        ttlSeconds = ttl;
        return this;
    }

    public CommandRequest extend(final long id, final int ttl)
    {
        type = CommandCode.EXTEND;
        reservationId = id;
        ttlSeconds = ttl;
        return this;
    }

    public CommandRequest release(final long id)
    {
        type = CommandCode.RELEASE;
        reservationId = id;
        return this;
    }

    public CommandRequest confirm(final long id, final String newOrderId)
    {
        type = CommandCode.CONFIRM;
        reservationId = id;
        orderId = newOrderId;
        return this;
    }

    /** A channel order that cannot be refused; lines are added with {@link #addLine(String, long)}. */
    public CommandRequest order(final String channelId, final String newOrderId)
    {
        type = CommandCode.ORDER;
        channel = channelId;
        orderId = newOrderId;
        return this;
    }

    /** @param channelId the order's channel, or null to find it by order id alone. */
    public CommandRequest cancel(final String channelId, final String existingOrderId)
    {
        type = CommandCode.CANCEL;
        channel = channelId;
        orderId = existingOrderId;
        return this;
    }

    /** @param channelId the order's channel, or null to find it by order id alone. */
    public CommandRequest ship(final String channelId, final String existingOrderId)
    {
        type = CommandCode.SHIP;
        channel = channelId;
        orderId = existingOrderId;
        return this;
    }

    public CommandRequest queryReservation(final long id)
    {
        type = CommandCode.QUERY_RESERVATION;
        reservationId = id;
        return this;
    }

    public CommandRequest queryOrder(final String channelId, final String existingOrderId)
    {
        type = CommandCode.QUERY_ORDER;
        channel = channelId;
        orderId = existingOrderId;
        return this;
    }

    public CommandRequest addLine(final String skuId, final long qty)
    {
        lines.add(new Line(skuId, qty));
        return this;
    }

    /** Where a confirmation or order ships to: ISO 3166-1 alpha-2 {@code country}, {@code postalCode} optional. */
    public CommandRequest destination(final String country, final String postalCode)
    {
        destinationCountry = country;
        destinationPostalCode = postalCode;
        return this;
    }

    /** A repeat with the same key and the same command gets the first answer again, applied once. */
    public CommandRequest idempotencyKey(final String value)
    {
        idempotencyKey = value;
        return this;
    }

    /** Free text the journal keeps with the command, for the audit trail. */
    public CommandRequest reason(final String value)
    {
        reason = value;
        return this;
    }

    /** A caller's reference the journal keeps with the command, for the audit trail. */
    public CommandRequest reference(final String value)
    {
        reference = value;
        return this;
    }

    /**
     * Writes this request as a CommandRecord message, header first, at {@code offset}, exactly as the client sends
     * it: for tools that write the protocol's frames themselves (a load generator in another language). Allocates
     * its encoders.
     *
     * @return the message length.
     * @throws IndexOutOfBoundsException when it does not fit in {@code buffer}.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        return encode(new CommandRecordEncoder(), new MessageHeaderEncoder(), buffer, offset);
    }

    /**
     * Writes this request as a CommandRecord message, header first, at {@code offset}: sequence, timestamp and
     * principal are left for the server to stamp, and the catalog's groups are empty.
     *
     * @return the message length.
     * @throws IndexOutOfBoundsException when it does not fit in {@code buffer}.
     */
    int encode(
        final CommandRecordEncoder encoder, final MessageHeaderEncoder header, final MutableDirectBuffer buffer,
        final int offset)
    {
        final CommandRecordEncoder e = encoder.wrapAndApplyHeader(buffer, offset, header);
        e.sequence(0).timestampMillis(0).commandType(type);
        e.present().clear()
            .idempotencyKey(idempotencyKey != null)
            .reason(reason != null)
            .reference(reference != null)
            .sku(sku != null)
            .location(location != null)
            .channel(channel != null)
            .orderId(orderId != null)
            .destinationCountry(destinationCountry != null)
            .destinationPostalCode(destinationPostalCode != null);
        e.quantity(quantity)
            .expected(expected)
            .safety(safety)
            .ttlSeconds(ttlSeconds)
            .reservationId(reservationId);
        final CommandRecordEncoder.LinesEncoder lineEncoder = e.linesCount(lines.size());
        for (final Line line : lines)
        {
            lineEncoder.next().quantity(line.qty()).skuPresent(line.sku() != null ? BooleanType.TRUE : BooleanType.FALSE);
            lineEncoder.sku(text(line.sku()));
        }
        e.locationSpecCount(0);
        e.channelSpecCount(0);
        e.skuSpecCount(0);
        e.priceSpecCount(0);
        e.carrierSpecCount(0);
        e.quotesCount(0);
        e.stockImportCount(0);
        e.principal("");
        e.idempotencyKey(text(idempotencyKey));
        e.reason(text(reason));
        e.reference(text(reference));
        e.sku(text(sku));
        e.location(text(location));
        e.channel(text(channel));
        e.orderId(text(orderId));
        e.destinationCountry(text(destinationCountry));
        e.destinationPostalCode(text(destinationPostalCode));
        e.carrier("");
        e.service("");
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private static String text(final String value)
    {
        return value == null ? "" : value;
    }

    @Override
    public String toString()
    {
        return "CommandRequest{" + type + ", channel=" + channel + ", sku=" + sku + ", location=" + location +
            ", reservationId=" + reservationId + ", orderId=" + orderId + ", lines=" + lines + '}';
    }
}
