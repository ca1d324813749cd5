package io.truestock.client;

import io.truestock.sbe.CommandCode;
import io.truestock.sbe.OrderState;
import io.truestock.sbe.RejectCode;
import io.truestock.sbe.ReservationState;

import java.util.List;

/**
 * What a command did: the engine's outcome, as the binary protocol carries it. Which fields are meaningful depends
 * on the command: stock commands fill {@code sku}, {@code location} and the record's quantities; reservations the
 * reservation id, status, expiry, channel, lines and the holds as allocations; orders the order id, status,
 * channel, lines with backordered units and the allocations (the shipments); an out-of-stock rejection fills
 * {@code lines} with what was still available per line. Absent ids are null, absent numbers 0. Types, reasons and
 * states are the protocol's wire codes; a code this client does not know (a newer server) reads as null.
 *
 * @param type              the command's type, or null for a type this client does not know.
 * @param accepted          false when the engine rejected the command; it then changed nothing.
 * @param reason            why it was rejected ({@link RejectCode#NONE} when accepted); null for a reason this
 *                          client does not know (a newer server).
 * @param rejectedLine      index of the request line a rejection is about, or -1.
 * @param version           engine sequence of the command (of the first one, for a replay).
 * @param replayed          the answer is the stored first answer of an idempotent repeat.
 * @param duplicate         the command repeated an order or confirmation that had already happened.
 * @param reservationId     the reservation, or 0.
 * @param reservationStatus its status, or null.
 * @param expiresAtMillis   when it expires (epoch milliseconds), or 0.
 * @param orderId           the order, or null.
 * @param orderStatus       its status, or null.
 * @param channel           the reservation's or order's channel, or null.
 * @param sku               a stock command's SKU, or null.
 * @param location          a stock command's location, or null.
 * @param onHand            the stock record after the command.
 * @param reserved          the stock record after the command.
 * @param committed         the stock record after the command.
 * @param safety            the stock record after the command.
 * @param available         the stock record's available after the command.
 * @param lines             the lines, in request order.
 * @param allocations       units held or shipped per SKU and location.
 * @param shipments         orders: one per location shipped from, with its delivery promise.
 */
public record CommandResult(
    CommandCode type,
    boolean accepted,
    RejectCode reason,
    int rejectedLine,
    long version,
    boolean replayed,
    boolean duplicate,
    long reservationId,
    ReservationState reservationStatus,
    long expiresAtMillis,
    String orderId,
    OrderState orderStatus,
    String channel,
    String sku,
    String location,
    long onHand,
    long reserved,
    long committed,
    long safety,
    long available,
    List<LineResult> lines,
    List<Allocation> allocations,
    List<Shipment> shipments)
{
    public CommandResult
    {
        lines = List.copyOf(lines);
        allocations = List.copyOf(allocations);
        shipments = List.copyOf(shipments);
    }

    /**
     * One line of the outcome.
     *
     * @param available   for an out-of-stock rejection: what the channel could still supply of this line's SKU.
     * @param backordered units of an order line that were sold without stock.
     * @param priceAmountMinor orders: the unit price charged; 0 with a null currency when not priced.
     */
    public record LineResult(
        String sku, long qty, long available, long backordered, long priceAmountMinor, String currency)
    {
    }

    /**
     * The part of an order that ships from one location, with its delivery promise to the destination ({@code
     * carrier} null and the instants 0 when there is none).
     */
    public record Shipment(
        String location, long earliestMillis, long latestMillis, long orderByMillis, String carrier, String service)
    {
    }

    /** Units of a SKU held (a reservation) or to ship (an order) at one location. */
    public record Allocation(String sku, String location, long qty)
    {
    }
}
