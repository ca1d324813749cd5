package io.truestock.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.AvailabilityDecoder;
import io.truestock.sbe.BooleanType;
import io.truestock.sbe.CommandCode;
import io.truestock.sbe.CommandOutcomeDecoder;
import io.truestock.sbe.ErrorCode;
import io.truestock.sbe.ErrorDecoder;
import io.truestock.sbe.MessageHeaderDecoder;
import io.truestock.sbe.OfferDecoder;
import io.truestock.sbe.OrderState;
import io.truestock.sbe.OutcomeFlagsDecoder;
import io.truestock.sbe.RejectCode;
import io.truestock.sbe.ReservationState;
import io.truestock.sbe.WelcomeDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The client's inbound half: the requests waiting for answers, keyed by correlation id, and the decoding of the
 * answers that complete them, in any order. A permit of the in-flight bound is taken per request and returned
 * exactly once, by whoever removes the request from the map. Runs on the connection's event loop; requests are
 * added from any thread.
 */
final class ResponseReader extends ChannelInboundHandlerAdapter
{
    private static final int MESSAGE_OFFSET = BinaryProtocol.CORRELATION_ID_BYTES;
    private static final int BODY_OFFSET = MESSAGE_OFFSET + BinaryProtocol.HEADER_BYTES;

    /** A request waiting for its answer. */
    static final class Request
    {
        final CompletableFuture<Object> future;
        final int expectedTemplate;
        final String sku;
        final String channel;

        Request(final CompletableFuture<Object> future, final int expectedTemplate, final String sku, final String channel)
        {
            this.future = future;
            this.expectedTemplate = expectedTemplate;
            this.sku = sku;
            this.channel = channel;
        }
    }

    /** What the Welcome said. */
    record Welcome(String principal, String scope, int maxFrameBytes, int maxInFlight, long engineSequence)
    {
    }

    private final ConcurrentHashMap<Long, Request> pending = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final WelcomeDecoder welcome = new WelcomeDecoder();
    private final AvailabilityDecoder availability = new AvailabilityDecoder();
    private final OfferDecoder offer = new OfferDecoder();
    private final CommandOutcomeDecoder outcome = new CommandOutcomeDecoder();
    private final ErrorDecoder error = new ErrorDecoder();
    private volatile TruestockException closedBy;

    ResponseReader(final int maxInFlight)
    {
        permits = new Semaphore(maxInFlight);
    }

    /** Takes a permit; false when the in-flight bound is reached. */
    boolean tryAcquire()
    {
        return permits.tryAcquire();
    }

    void register(final long correlationId, final Request request)
    {
        pending.put(correlationId, request);
    }

    /** Removes a request, returning its permit; null when it was already answered or failed. */
    Request take(final long correlationId)
    {
        final Request request = pending.remove(correlationId);
        if (request != null)
        {
            permits.release();
        }
        return request;
    }

    void fail(final long correlationId, final Throwable cause)
    {
        final Request request = take(correlationId);
        if (request != null)
        {
            request.future.completeExceptionally(cause);
        }
    }

    int inFlight()
    {
        return pending.size();
    }

    /** Why the connection closed, or null while it is open. */
    TruestockException closedBy()
    {
        return closedBy;
    }

    // ---- connection events ----

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (closedBy == null)
        {
            closedBy = new TruestockException("connection_closed", "the connection is closed");
        }
        failAll(closedBy);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (closedBy == null)
        {
            closedBy = cause instanceof TooLongFrameException ?
                new TruestockException("protocol_error", "the server sent a frame beyond this client's bound", cause) :
                new TruestockException("connection_closed", "the connection failed: " + cause, cause);
        }
        ctx.close();
    }

    private void failAll(final TruestockException cause)
    {
        for (final Long correlationId : pending.keySet())
        {
            fail(correlationId, cause);
        }
    }

    private void protocolError(final ChannelHandlerContext ctx, final String what)
    {
        if (closedBy == null)
        {
            closedBy = new TruestockException("protocol_error", what);
        }
        ctx.close();
    }

    // ---- answers ----

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof ByteBuf frame))
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        try
        {
            onFrame(ctx, frame);
        }
        catch (final RuntimeException ex)
        {
            protocolError(ctx, "an answer could not be decoded: " + ex);
        }
        finally
        {
            frame.release();
        }
    }

    private void onFrame(final ChannelHandlerContext ctx, final ByteBuf frame)
    {
        if (frame.readableBytes() < BinaryProtocol.MIN_FRAME_BYTES)
        {
            protocolError(ctx, "a frame of " + frame.readableBytes() + " bytes is shorter than a header");
            return;
        }
        view(frame);
        final long correlationId = view.getLong(0, ByteOrder.LITTLE_ENDIAN);
        header.wrap(view, MESSAGE_OFFSET);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        if (header.schemaId() != BinaryProtocol.SCHEMA_ID)
        {
            protocolError(ctx, "an answer of schema id " + header.schemaId() + " is not Truestock's");
            return;
        }
        if (templateId == BinaryProtocol.ERROR)
        {
            final ErrorDecoder e = error.wrap(view, BODY_OFFSET, blockLength, version);
            final ErrorCode code = e.code();
            final boolean closing = e.closing() == BooleanType.TRUE;
            final TruestockException cause = new TruestockException(BinaryProtocol.codeText(code), e.message());
            final Request request = take(correlationId);
            if (request != null)
            {
                request.future.completeExceptionally(cause);
            }
            if (closing && closedBy == null)
            {
                closedBy = cause;
            }
            return;
        }
        final Request request = take(correlationId);
        if (request == null)
        {
            protocolError(ctx, "an answer to correlation id " + correlationId + ", which no request has");
            return;
        }
        if (request.expectedTemplate != templateId)
        {
            request.future.completeExceptionally(new TruestockException("protocol_error",
                "expected an answer of type " + request.expectedTemplate + ", got " + templateId));
            protocolError(ctx, "an answer of the wrong type");
            return;
        }
        final Object answer = switch (templateId)
        {
            case BinaryProtocol.WELCOME -> welcome(blockLength, version);
            case BinaryProtocol.AVAILABILITY -> availability(request, blockLength, version);
            case BinaryProtocol.OFFER -> offer(request, blockLength, version);
            default -> outcome(blockLength, version);
        };
        request.future.complete(answer);
    }

    private Welcome welcome(final int blockLength, final int version)
    {
        final WelcomeDecoder d = welcome.wrap(view, BODY_OFFSET, blockLength, version);
        final int maxFrameBytes = d.maxFrameBytes();
        final int maxInFlight = d.maxInFlight();
        final long sequence = d.engineSequence();
        return new Welcome(d.principal(), d.scope(), maxFrameBytes, maxInFlight, sequence);
    }

    private Availability availability(final Request request, final int blockLength, final int version)
    {
        final AvailabilityDecoder d = availability.wrap(view, BODY_OFFSET, blockLength, version);
        return new Availability(request.sku, request.channel, d.available(), status(d.statusRaw()), d.version());
    }

    private Offer offer(final Request request, final int blockLength, final int version)
    {
        final OfferDecoder d = offer.wrap(view, BODY_OFFSET, blockLength, version);
        final char[] currency = new char[OfferDecoder.currencyLength()];
        for (int i = 0; i < currency.length; i++)
        {
            currency[i] = (char)d.currency(i);
        }
        final long earliest = d.deliveryEarliestMillis();
        final long latest = d.deliveryLatestMillis();
        final long orderBy = d.deliveryOrderByMillis();
        final long quoteExpiresAt = d.quoteExpiresAtMillis();
        final String quoteId = d.quoteId();
        final String location = d.deliveryLocation();
        final String carrier = d.deliveryCarrier();
        final String service = d.deliveryService();
        final String reason = d.deliveryReason();
        final Offer.Delivery delivery = location.isEmpty() ? null :
            new Offer.Delivery(earliest, latest, orderBy, location, carrier, service);
        return new Offer(request.sku, request.channel, d.quantity(), d.available(), status(d.statusRaw()),
            d.priceAmountMinor(), new String(currency).strip(), d.version(), quoteId.isEmpty() ? null : quoteId,
            quoteExpiresAt, delivery, reason.isEmpty() ? null : reason);
    }

    private CommandResult outcome(final int blockLength, final int version)
    {
        final CommandOutcomeDecoder d = outcome.wrap(view, BODY_OFFSET, blockLength, version);
        final CommandCode type = commandCode(d.commandTypeRaw());
        final OutcomeFlagsDecoder flags = d.flags();
        final boolean accepted = flags.accepted();
        final boolean replayed = flags.replayed();
        final boolean duplicate = flags.duplicate();
        final RejectCode reason = rejectCode(d.rejectReasonRaw());
        final int rejectedLine = d.rejectedLine();
        final long sequence = d.version();
        final long reservationId = d.reservationId();
        final ReservationState reservationState = reservationState(d.reservationStatusRaw());
        final long expiresAt = d.expiresAtMillis();
        final OrderState orderState = orderState(d.orderStatusRaw());
        final long onHand = d.onHand();
        final long reserved = d.reservedQuantity();
        final long committed = d.committed();
        final long safety = d.safety();
        final long available = d.available();
        final List<CommandResult.LineResult> lines = new ArrayList<>();
        for (final CommandOutcomeDecoder.LinesDecoder line : d.lines())
        {
            final long qty = line.quantity();
            final long lineAvailable = line.available();
            final long backordered = line.backordered();
            final long price = line.priceAmountMinor();
            final char[] currency = new char[CommandOutcomeDecoder.LinesDecoder.currencyLength()];
            for (int k = 0; k < currency.length; k++)
            {
                currency[k] = (char)line.currency(k);
            }
            final String currencyCode = new String(currency).strip();
            lines.add(new CommandResult.LineResult(line.sku(), qty, lineAvailable, backordered, price,
                currencyCode.isEmpty() || currency[0] == 0 ? null : currencyCode));
        }
        final List<CommandResult.Allocation> allocations = new ArrayList<>();
        for (final CommandOutcomeDecoder.AllocationsDecoder allocation : d.allocations())
        {
            final long qty = allocation.quantity();
            final String sku = allocation.sku();
            allocations.add(new CommandResult.Allocation(sku, allocation.location(), qty));
        }
        final List<CommandResult.Shipment> shipments = new ArrayList<>();
        for (final CommandOutcomeDecoder.ShipmentsDecoder shipment : d.shipments())
        {
            final long earliest = shipment.earliestMillis();
            final long latest = shipment.latestMillis();
            final long orderBy = shipment.orderByMillis();
            final String shipFrom = shipment.location();
            final String carrier = absentIfEmpty(shipment.carrier());
            final String service = absentIfEmpty(shipment.service());
            shipments.add(new CommandResult.Shipment(shipFrom, earliest, latest, orderBy, carrier, service));
        }
        final String channel = absentIfEmpty(d.channel());
        final String orderId = absentIfEmpty(d.orderId());
        final String sku = absentIfEmpty(d.sku());
        final String location = absentIfEmpty(d.location());
        return new CommandResult(type, accepted, reason, rejectedLine, sequence, replayed, duplicate, reservationId,
            reservationState, expiresAt, orderId, orderState, channel, sku, location, onHand, reserved, committed, safety,
            available, lines, allocations, shipments);
    }

    /**
     * Points the view at the frame's readable bytes without copying them, where the buffer allows; the decoders over
     * it are bounds-checked.
     */
    private void view(final ByteBuf frame)
    {
        final int index = frame.readerIndex();
        final int length = frame.readableBytes();
        if (frame.hasArray())
        {
            view.wrap(frame.array(), frame.arrayOffset() + index, length);
        }
        else if (frame.hasMemoryAddress())
        {
            view.wrap(frame.memoryAddress() + index, length);
        }
        else
        {
            final ByteBuffer nio = frame.nioBuffer(index, length);
            view.wrap(nio, nio.position(), length);
        }
    }

    private static String absentIfEmpty(final String value)
    {
        return value.isEmpty() ? null : value;
    }

    // Unknown codes (from a newer server) read as absent rather than failing the whole answer.

    private static StockStatus status(final short raw)
    {
        final io.truestock.sbe.StockStatus wire;
        try
        {
            wire = io.truestock.sbe.StockStatus.get(raw);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
        return switch (wire)
        {
            case IN_STOCK -> StockStatus.IN_STOCK;
            case LOW_STOCK -> StockStatus.LOW_STOCK;
            case OUT_OF_STOCK -> StockStatus.OUT_OF_STOCK;
            case NULL_VAL -> null;
        };
    }

    private static CommandCode commandCode(final short raw)
    {
        try
        {
            final CommandCode code = CommandCode.get(raw);
            return code == CommandCode.NULL_VAL ? null : code;
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static RejectCode rejectCode(final short raw)
    {
        try
        {
            final RejectCode code = RejectCode.get(raw);
            return code == RejectCode.NULL_VAL ? null : code;
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static ReservationState reservationState(final short raw)
    {
        try
        {
            final ReservationState state = ReservationState.get(raw);
            return state == ReservationState.NULL_VAL ? null : state;
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static OrderState orderState(final short raw)
    {
        try
        {
            final OrderState state = OrderState.get(raw);
            return state == OrderState.NULL_VAL ? null : state;
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }
}
