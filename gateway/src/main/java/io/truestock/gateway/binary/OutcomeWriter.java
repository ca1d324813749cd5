package io.truestock.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Outcome;
import io.truestock.journal.JournalCodec;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.CommandOutcomeEncoder;
import io.truestock.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;

/**
 * Encodes a command's {@link Outcome} as a CommandOutcome frame, turning the engine's indices into ids. Runs on the
 * ring's output stage, where the outcome lives in a ring slot that is reused once the handler returns: encoding
 * there, straight from the slot, needs no copy of the outcome.
 * <p>
 * The scratch buffer grows to the largest outcome seen (bounded by the engine's limits on lines, bundle components
 * and locations) and is then reused, so steady state allocates only the pooled frame. Not thread safe: one
 * thread at a time, the output stage.
 */
final class OutcomeWriter
{
    private static final int MESSAGE_OFFSET = BinaryProtocol.LENGTH_FIELD_BYTES + BinaryProtocol.CORRELATION_ID_BYTES;
    private static final int INITIAL_BYTES = 4096;
    /** A group's count is a uint16; the engine's bounds keep outcomes far below it. */
    private static final int MAX_GROUP_ENTRIES = 65_534;

    private final Engine engine;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(INITIAL_BYTES);
    private final byte[] text = new byte[4 * 1024];
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final CommandOutcomeEncoder encoder = new CommandOutcomeEncoder();

    OutcomeWriter(final Engine engine)
    {
        this.engine = engine;
    }

    ByteBuf encode(final ByteBufAllocator allocator, final long correlationId, final Command command, final Outcome outcome)
    {
        final CommandOutcomeEncoder e = encoder.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header);
        e.commandType(JournalCodec.codeOf(command.type()));
        e.flags().clear()
            .accepted(outcome.accepted())
            .replayed(outcome.replayed())
            .duplicate(outcome.duplicate());
        e.rejectReason(WireCodes.rejectCode(outcome.reason()))
            .rejectedLine(outcome.rejectedLine())
            .version(outcome.version())
            .reservationId(outcome.reservationId())
            .reservationStatus(WireCodes.reservationState(outcome.reservationStatus()))
            .expiresAtMillis(outcome.expiresAtMillis())
            .orderStatus(WireCodes.orderState(outcome.orderStatus()))
            .onHand(outcome.onHand())
            .reservedQuantity(outcome.reserved())
            .committed(outcome.committed())
            .safety(outcome.safety())
            .available(outcome.available());

        final int lineCount = bounded(outcome.lineCount(), "lines");
        final CommandOutcomeEncoder.LinesEncoder lines = e.linesCount(lineCount);
        for (int i = 0; i < lineCount; i++)
        {
            lines.next()
                .quantity(outcome.lineQty(i))
                .available(outcome.lineAvailable(i))
                .backordered(outcome.lineBackordered(i))
                .priceAmountMinor(outcome.linePriceMinor(i));
            final String currency = outcome.lineCurrency(i);
            for (int k = 0; k < CommandOutcomeEncoder.LinesEncoder.currencyLength(); k++)
            {
                lines.currency(k, currency != null && k < currency.length() ? (byte)currency.charAt(k) : (byte)' ');
            }
            lines.putSku(text, 0, id(skuId(outcome.lineSku(i))));
        }
        final int allocationCount = bounded(outcome.allocationCount(), "allocations");
        final CommandOutcomeEncoder.AllocationsEncoder allocations = e.allocationsCount(allocationCount);
        for (int i = 0; i < allocationCount; i++)
        {
            allocations.next().quantity(outcome.allocationQty(i));
            allocations.putSku(text, 0, id(skuId(outcome.allocationSku(i))));
            allocations.putLocation(text, 0, id(locationId(outcome.allocationLocation(i))));
        }
        final int shipmentCount = bounded(outcome.shipmentCount(), "shipments");
        final CommandOutcomeEncoder.ShipmentsEncoder shipments = e.shipmentsCount(shipmentCount);
        for (int i = 0; i < shipmentCount; i++)
        {
            final boolean promised = outcome.shipmentHasPromise(i);
            shipments.next()
                .earliestMillis(promised ? outcome.shipmentEarliestMillis(i) : 0)
                .latestMillis(promised ? outcome.shipmentLatestMillis(i) : 0)
                .orderByMillis(promised ? outcome.shipmentOrderByMillis(i) : 0);
            shipments.putLocation(text, 0, id(locationId(outcome.shipmentLocation(i))));
            shipments.putCarrier(text, 0, id(promised ? outcome.shipmentCarrier(i) : null));
            shipments.putService(text, 0, id(promised ? outcome.shipmentService(i) : null));
        }
        e.putChannel(text, 0, id(outcome.channel() >= 0 ? engine.channelId(outcome.channel()) : null));
        e.putOrderId(text, 0, id(outcome.orderId()));
        e.putSku(text, 0, id(skuId(outcome.sku())));
        e.putLocation(text, 0, id(locationId(outcome.location())));

        final int frameLength = BinaryProtocol.CORRELATION_ID_BYTES + BinaryProtocol.HEADER_BYTES + e.encodedLength();
        buffer.putInt(0, frameLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(BinaryProtocol.LENGTH_FIELD_BYTES, correlationId, ByteOrder.LITTLE_ENDIAN);
        final int total = BinaryProtocol.LENGTH_FIELD_BYTES + frameLength;
        return allocator.buffer(total).writeBytes(buffer.byteArray(), 0, total);
    }

    private String skuId(final int index)
    {
        return index >= 0 ? engine.skuId(index) : null;
    }

    private String locationId(final int index)
    {
        return index >= 0 ? engine.locationId(index) : null;
    }

    private int id(final String value)
    {
        return Utf8.encode(value, text, text.length);
    }

    private static int bounded(final int count, final String group)
    {
        if (count > MAX_GROUP_ENTRIES)
        {
            throw new IllegalStateException("an outcome with " + count + " " + group + " does not fit a frame");
        }
        return count;
    }
}
