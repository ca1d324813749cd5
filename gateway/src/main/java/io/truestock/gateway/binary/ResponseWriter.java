package io.truestock.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.truestock.engine.Ids;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.price.Price;
import io.truestock.gateway.offer.Offer;
import io.truestock.gateway.offer.StockLevel;
import io.truestock.sbe.AvailabilityEncoder;
import io.truestock.sbe.BooleanType;
import io.truestock.sbe.ErrorCode;
import io.truestock.sbe.ErrorEncoder;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.OfferEncoder;
import io.truestock.sbe.StockStatus;
import io.truestock.sbe.WelcomeEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Encodes the small responses an I/O thread answers by itself (Welcome, Availability, Offer, Error) into frames.
 * Every one of them is bounded (ids of at most 64 chars, scopes of at most 72, messages cut at
 * {@link BinaryProtocol#MAX_ERROR_MESSAGE_BYTES}), so one fixed scratch buffer holds any of them; the frame is
 * copied once into a buffer of the channel's allocator. Not thread safe: one per event loop.
 */
final class ResponseWriter
{
    private static final int MESSAGE_OFFSET = BinaryProtocol.LENGTH_FIELD_BYTES + BinaryProtocol.CORRELATION_ID_BYTES;
    private static final int MAX_RESPONSE_BYTES = 1024;
    private static final int MAX_SCOPE_BYTES = "channel:".length() + Ids.MAX_LENGTH;

    private final byte[] bytes = new byte[MAX_RESPONSE_BYTES];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final byte[] text = new byte[BinaryProtocol.MAX_ERROR_MESSAGE_BYTES];
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final WelcomeEncoder welcome = new WelcomeEncoder();
    private final AvailabilityEncoder availability = new AvailabilityEncoder();
    private final OfferEncoder offer = new OfferEncoder();
    private final ErrorEncoder error = new ErrorEncoder();

    ByteBuf welcome(
        final ByteBufAllocator allocator, final long correlationId, final int maxFrameBytes, final int maxInFlight,
        final long engineSequence, final String principal, final String scope)
    {
        final WelcomeEncoder e = welcome.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header)
            .maxFrameBytes(maxFrameBytes)
            .maxInFlight(maxInFlight)
            .engineSequence(engineSequence);
        e.putPrincipal(text, 0, Utf8.encode(principal, text, Ids.MAX_LENGTH * 4));
        e.putScope(text, 0, Utf8.encode(scope, text, MAX_SCOPE_BYTES));
        return frame(allocator, correlationId, e.encodedLength());
    }

    ByteBuf availability(
        final ByteBufAllocator allocator, final long correlationId, final long available, final long version,
        final StockLevel status)
    {
        final AvailabilityEncoder e = availability.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header)
            .available(available)
            .version(version)
            .status(stockStatus(status));
        return frame(allocator, correlationId, e.encodedLength());
    }

    ByteBuf offer(final ByteBufAllocator allocator, final long correlationId, final Offer answer)
    {
        final boolean promised = answer.delivers();
        final DeliveryPromise promise = answer.promise();
        final Price price = answer.price();
        final OfferEncoder e = offer.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header)
            .quantity(answer.quantity())
            .available(answer.available())
            .version(answer.version())
            .priceAmountMinor(price.amountMinor())
            .status(stockStatus(answer.status()))
            .quoteExpiresAtMillis(answer.quoteExpiresAtMillis())
            .deliveryEarliestMillis(promised ? promise.earliestMillis() : 0)
            .deliveryLatestMillis(promised ? promise.latestMillis() : 0)
            .deliveryOrderByMillis(promised ? promise.orderByMillis() : 0);
        // A currency is three upper-case letters (the engine refuses anything else); pad defensively.
        final String currency = price.currency();
        for (int i = 0; i < OfferEncoder.currencyLength(); i++)
        {
            e.currency(i, currency != null && i < currency.length() ? (byte)currency.charAt(i) : (byte)' ');
        }
        e.putQuoteId(text, 0, Utf8.encode(answer.quoteId(), text, text.length));
        e.putDeliveryLocation(text, 0, Utf8.encode(promised ? answer.deliveryLocation() : "", text, text.length));
        e.putDeliveryCarrier(text, 0, Utf8.encode(promised ? promise.carrierId() : "", text, text.length));
        e.putDeliveryService(text, 0, Utf8.encode(promised ? promise.serviceId() : "", text, text.length));
        e.putDeliveryReason(text, 0, Utf8.encode(promised ? "" : answer.deliveryReason(), text, text.length));
        return frame(allocator, correlationId, e.encodedLength());
    }

    /** The wire code of a stock level; the enums share names. */
    static StockStatus stockStatus(final StockLevel level)
    {
        return switch (level)
        {
            case IN_STOCK -> StockStatus.IN_STOCK;
            case LOW_STOCK -> StockStatus.LOW_STOCK;
            case OUT_OF_STOCK -> StockStatus.OUT_OF_STOCK;
        };
    }

    ByteBuf error(
        final ByteBufAllocator allocator, final long correlationId, final ErrorCode code, final boolean closing,
        final String message)
    {
        final ErrorEncoder e = error.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header)
            .code(code)
            .closing(closing ? BooleanType.TRUE : BooleanType.FALSE);
        e.putMessage(text, 0, Utf8.encode(message, text, BinaryProtocol.MAX_ERROR_MESSAGE_BYTES));
        return frame(allocator, correlationId, e.encodedLength());
    }

    private ByteBuf frame(final ByteBufAllocator allocator, final long correlationId, final int bodyLength)
    {
        final int frameLength = BinaryProtocol.CORRELATION_ID_BYTES + BinaryProtocol.HEADER_BYTES + bodyLength;
        buffer.putInt(0, frameLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(BinaryProtocol.LENGTH_FIELD_BYTES, correlationId, ByteOrder.LITTLE_ENDIAN);
        final int total = BinaryProtocol.LENGTH_FIELD_BYTES + frameLength;
        return allocator.buffer(total).writeBytes(bytes, 0, total);
    }
}
