package io.truestock.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.gateway.auth.KeyGuard;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.auth.RateLimit;
import io.truestock.gateway.net.LoopMailbox;
import io.truestock.gateway.offer.Offer;
import io.truestock.gateway.offer.OfferQuery;
import io.truestock.gateway.offer.StockLevel;
import io.truestock.journal.JournalException;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.AvailabilityQueryDecoder;
import io.truestock.sbe.ConfirmRequestDecoder;
import io.truestock.sbe.ErrorCode;
import io.truestock.sbe.HelloDecoder;
import io.truestock.sbe.MessageHeaderDecoder;
import io.truestock.sbe.OfferQueryDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One connection of the binary protocol: authenticates it with its first frame, answers queries from the engine's
 * state at once, and sends commands into the ring, answering each when its outcome comes back.
 * <p>
 * Bounds: at most {@link BinaryService#maxInFlight()} commands of a connection are in the ring; at that bound, or
 * while the socket's write buffer is full (the client does not read its answers), the {@link FrameDecoder} cuts no
 * more frames and reading stops, so what a connection holds is one read buffer plus its commands' answers. Reading
 * resumes once half the commands have been answered. A frame that cannot be read (a bad length, a foreign schema, a
 * body that runs past its frame) is answered with a closing Error and the connection is closed; a frame that reads
 * but asks for something that cannot be done gets an Error and the connection goes on. Nothing a client sends
 * escapes this handler as an exception.
 */
final class BinaryConnection extends ChannelInboundHandlerAdapter implements FrameDecoder.Gate
{
    private static final Logger LOG = LoggerFactory.getLogger(BinaryConnection.class);
    private static final int MESSAGE_OFFSET = BinaryProtocol.CORRELATION_ID_BYTES;
    private static final int BODY_OFFSET = MESSAGE_OFFSET + BinaryProtocol.HEADER_BYTES;

    private final BinaryService service;
    private final Engine engine;
    private final IoScratch io;
    private final ArrayDeque<PendingCommand> idle = new ArrayDeque<>();
    private final Runnable flushTask = this::flushNow;
    private final Runnable resumeTask = this::resumeIfRoom;
    private final Runnable revokedTask = this::revoked;
    private KeyGuard.Watch revocation;
    private FrameDecoder decoder;
    private ChannelHandlerContext ctx;
    private LoopMailbox mailbox;
    private ScheduledFuture<?> helloDeadline;
    private Principal principal;
    private int inFlight;
    private int created;
    private boolean closing;
    private boolean flushScheduled;

    BinaryConnection(final BinaryService service, final IoScratch io)
    {
        this.service = service;
        this.engine = service.engine();
        this.io = io;
    }

    void decoder(final FrameDecoder frames)
    {
        decoder = frames;
    }

    ByteBufAllocator allocator()
    {
        return ctx.alloc();
    }

    EventExecutor executor()
    {
        return ctx.executor();
    }

    /** Where the output stage hands this connection's outcomes to its event loop. */
    LoopMailbox mailbox()
    {
        return mailbox;
    }

    // ---- lifecycle ----

    @Override
    public void handlerAdded(final ChannelHandlerContext context)
    {
        ctx = context;
        mailbox = LoopMailbox.of(context.executor());
        if (context.channel().isActive())
        {
            startHelloDeadline();
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext context) throws Exception
    {
        startHelloDeadline();
        super.channelActive(context);
    }

    private void startHelloDeadline()
    {
        if (helloDeadline == null && principal == null && !closing)
        {
            helloDeadline = ctx.executor().schedule(this::helloTimedOut, BinaryProtocol.HELLO_TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext context) throws Exception
    {
        closing = true;
        cancelHelloDeadline();
        if (revocation != null)
        {
            revocation.close();
        }
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
    {
        if (cause instanceof IOException)
        {
            LOG.debug("binary connection {} failed: {}", context.channel().remoteAddress(), cause.toString());
        }
        else
        {
            service.unexpectedError();
            LOG.warn("closing binary connection {} after an unexpected error", context.channel().remoteAddress(), cause);
        }
        closing = true;
        context.close();
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext context)
    {
        context.flush();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext context) throws Exception
    {
        if (context.channel().isWritable() && decoder.holding())
        {
            // Not inline: this can fire from within a flush, which may itself run inside the decoder's read.
            context.executor().execute(resumeTask);
        }
        super.channelWritabilityChanged(context);
    }

    @Override
    public boolean acceptsFrame()
    {
        return !closing && inFlight < service.maxInFlight() && ctx.channel().isWritable();
    }

    // ---- frames ----

    @Override
    public void channelRead(final ChannelHandlerContext context, final Object msg)
    {
        if (msg instanceof ByteBuf frame)
        {
            try
            {
                if (!closing)
                {
                    onFrame(frame);
                }
            }
            catch (final IndexOutOfBoundsException ex)
            {
                fail(correlationIdOf(frame), ErrorCode.MALFORMED, "the message runs past the end of its frame");
            }
            catch (final RuntimeException ex)
            {
                service.unexpectedError();
                LOG.warn("binary connection {}: a frame could not be handled", context.channel().remoteAddress(), ex);
                fail(correlationIdOf(frame), ErrorCode.INTERNAL, "the server could not handle this frame");
            }
            finally
            {
                frame.release();
            }
        }
        else if (msg instanceof FrameDecoder.BadLength bad)
        {
            fail(0, bad.tooLarge() ? ErrorCode.FRAME_TOO_LARGE : ErrorCode.MALFORMED, bad.tooLarge() ?
                "a frame of " + bad.length() + " bytes is longer than the bound of " + bad.maxFrameBytes() :
                "a frame length of " + bad.length() + " is shorter than a correlation id and a message header");
        }
        else
        {
            ReferenceCountUtil.release(msg);
        }
    }

    private static long correlationIdOf(final ByteBuf frame)
    {
        return frame.readableBytes() >= BinaryProtocol.CORRELATION_ID_BYTES ? frame.getLongLE(frame.readerIndex()) : 0;
    }

    private void onFrame(final ByteBuf frame)
    {
        final UnsafeBuffer view = io.wrap(frame);
        final int frameLength = view.capacity();
        final long correlationId = view.getLong(0, ByteOrder.LITTLE_ENDIAN);
        final MessageHeaderDecoder header = io.header.wrap(view, MESSAGE_OFFSET);
        final int schemaId = header.schemaId();
        final int version = header.version();
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        if (schemaId != BinaryProtocol.SCHEMA_ID)
        {
            fail(correlationId, ErrorCode.MALFORMED,
                "schema id " + schemaId + " is not Truestock's (" + BinaryProtocol.SCHEMA_ID + ")");
            return;
        }
        if (BODY_OFFSET + blockLength > frameLength)
        {
            fail(correlationId, ErrorCode.MALFORMED, "a message of type " + templateId + " declares a " +
                blockLength + "-byte block in a " + frameLength + "-byte frame");
            return;
        }
        if (principal == null)
        {
            if (templateId != BinaryProtocol.HELLO)
            {
                fail(correlationId, ErrorCode.UNAUTHORIZED, "the first frame of a connection must be a Hello");
            }
            else if (version > BinaryProtocol.SCHEMA_VERSION)
            {
                fail(correlationId, ErrorCode.UNSUPPORTED_VERSION, unsupported(version));
            }
            else
            {
                hello(view, correlationId, blockLength, version);
            }
            return;
        }
        if (version > BinaryProtocol.SCHEMA_VERSION)
        {
            answerError(correlationId, ErrorCode.UNSUPPORTED_VERSION, unsupported(version));
            return;
        }
        if (!admitted(correlationId, templateId))
        {
            return;
        }
        switch (templateId)
        {
            case BinaryProtocol.AVAILABILITY_QUERY -> availability(view, correlationId, blockLength, version);
            case BinaryProtocol.OFFER_QUERY -> offer(view, correlationId, blockLength, version);
            case BinaryProtocol.COMMAND -> command(view, correlationId);
            case BinaryProtocol.CONFIRM_REQUEST -> confirm(view, correlationId, blockLength, version);
            case BinaryProtocol.HELLO ->
                answerError(correlationId, ErrorCode.INVALID_REQUEST, "this connection is already authenticated");
            default -> answerError(correlationId, ErrorCode.UNKNOWN_MESSAGE,
                "message type " + templateId + " is not a request this server knows");
        }
    }

    private static String unsupported(final int version)
    {
        return "schema version " + version + " is newer than this server's (" + BinaryProtocol.SCHEMA_VERSION + ")";
    }

    private boolean endsAtFrame(final int limit, final long correlationId, final UnsafeBuffer view)
    {
        if (limit != view.capacity())
        {
            fail(correlationId, ErrorCode.MALFORMED, (view.capacity() - limit) + " bytes follow the message in its frame");
            return false;
        }
        return true;
    }

    // ---- Hello ----

    private void hello(final UnsafeBuffer view, final long correlationId, final int blockLength, final int version)
    {
        final HelloDecoder hello = io.hello.wrap(view, BODY_OFFSET, blockLength, version);
        final String token = hello.token();
        hello.skipClientName();
        if (!endsAtFrame(hello.limit(), correlationId, view))
        {
            return;
        }
        final Principal authenticated = service.authenticate(token);
        if (authenticated == null)
        {
            fail(correlationId, ErrorCode.UNAUTHORIZED, "unknown token");
            return;
        }
        principal = authenticated;
        cancelHelloDeadline();
        revocation = service.keys().watch(authenticated, () -> ctx.executor().execute(revokedTask));
        ctx.write(io.responses.welcome(ctx.alloc(), correlationId, service.maxFrameBytes(), service.maxInFlight(),
            engine.lastSequence(), authenticated.id(), authenticated.scopeText()));
    }

    /**
     * Whether the connection's key still holds and the request fits its rate limit; else answers why. An expired
     * key closes the connection as a revoked one does; a request over the limit is answered {@code overloaded}
     * (the code a client already retries on) with a message that starts {@code rate_limited}, and the connection
     * goes on.
     */
    private boolean admitted(final long correlationId, final int templateId)
    {
        final KeyGuard keys = service.keys();
        if (!keys.isLive(principal))
        {
            fail(correlationId, ErrorCode.UNAUTHORIZED, "this connection's key was revoked or has expired");
            return false;
        }
        final RateLimit.Kind kind;
        if (templateId == BinaryProtocol.AVAILABILITY_QUERY || templateId == BinaryProtocol.OFFER_QUERY)
        {
            kind = RateLimit.Kind.READ;
        }
        else if (templateId == BinaryProtocol.COMMAND || templateId == BinaryProtocol.CONFIRM_REQUEST)
        {
            kind = RateLimit.Kind.WRITE;
        }
        else
        {
            return true;
        }
        final long waitNanos = keys.acquire(principal, kind);
        if (waitNanos > 0)
        {
            answerError(correlationId, ErrorCode.OVERLOADED, "rate_limited: this key's " +
                (kind == RateLimit.Kind.READ ? "reads" : "writes") + " are over their rate limit; retry in " +
                (waitNanos + 999_999L) / 1_000_000L + " ms");
            return false;
        }
        return true;
    }

    /** The connection's key was revoked (on this connection's event loop). */
    private void revoked()
    {
        if (ctx.channel().isActive())
        {
            fail(0, ErrorCode.UNAUTHORIZED, "this connection's key was revoked");
        }
    }

    private void helloTimedOut()
    {
        if (principal == null && ctx.channel().isActive())
        {
            fail(0, ErrorCode.UNAUTHORIZED, "no Hello within " + BinaryProtocol.HELLO_TIMEOUT_SECONDS + " s");
        }
    }

    private void cancelHelloDeadline()
    {
        if (helloDeadline != null)
        {
            helloDeadline.cancel(false);
            helloDeadline = null;
        }
    }

    // ---- queries: answered here, from the engine's published state ----

    private void availability(final UnsafeBuffer view, final long correlationId, final int blockLength, final int version)
    {
        final AvailabilityQueryDecoder query = io.availabilityQuery.wrap(view, BODY_OFFSET, blockLength, version);
        final String sku = query.sku();
        final String channel = query.channel();
        if (!endsAtFrame(query.limit(), correlationId, view))
        {
            return;
        }
        final int s = skuIndex(correlationId, sku);
        final int c = s < 0 ? -1 : channelIndex(correlationId, channel);
        if (c < 0)
        {
            return;
        }
        final ChannelView published = io.channelView;
        engine.readChannel(s, c, published);
        ctx.write(io.responses.availability(ctx.alloc(), correlationId, published.available(), published.version(),
            StockLevel.of(published.available(), engine.channelSpec(c).lowStockThreshold())));
    }

    private void offer(final UnsafeBuffer view, final long correlationId, final int blockLength, final int version)
    {
        final OfferQueryDecoder query = io.offerQuery.wrap(view, BODY_OFFSET, blockLength, version);
        final long quantity = query.quantity();
        final String sku = query.sku();
        final String channel = query.channel();
        final String countryText = query.destinationCountry();
        final String postalText = query.destinationPostalCode();
        if (!endsAtFrame(query.limit(), correlationId, view))
        {
            return;
        }
        if (!Ids.isValid(channel))
        {
            answerError(correlationId, ErrorCode.INVALID_REQUEST, "a channel id must match [A-Za-z0-9._:-]{1,64}");
            return;
        }
        final OfferQuery offers = service.offers();
        final Offer offer = io.offer;
        CommandGate.Refusal refusal = CommandGate.refusal(offers.find(sku, channel, offer));
        if (refusal == null)
        {
            refusal = CommandGate.refusal(offers.answer(quantity, countryText.isEmpty() ? null : countryText,
                postalText.isEmpty() ? null : postalText, offer));
        }
        if (refusal != null)
        {
            answerError(correlationId, refusal.code(), refusal.message());
            return;
        }
        ctx.write(io.responses.offer(ctx.alloc(), correlationId, offer));
    }

    /** @return the SKU's index, or -1 after answering why there is none. */
    private int skuIndex(final long correlationId, final String sku)
    {
        if (!Ids.isValid(sku))
        {
            answerError(correlationId, ErrorCode.INVALID_REQUEST, "a SKU id must match [A-Za-z0-9._:-]{1,64}");
            return -1;
        }
        final int index = engine.skuIndex(sku);
        if (index < 0)
        {
            answerError(correlationId, ErrorCode.NOT_FOUND, "unknown SKU '" + sku + "'");
        }
        return index;
    }

    /** @return the channel's index, or -1 after answering why there is none. */
    private int channelIndex(final long correlationId, final String channel)
    {
        if (!Ids.isValid(channel))
        {
            answerError(correlationId, ErrorCode.INVALID_REQUEST, "a channel id must match [A-Za-z0-9._:-]{1,64}");
            return -1;
        }
        final int index = engine.channelIndex(channel);
        if (index < 0)
        {
            answerError(correlationId, ErrorCode.NOT_FOUND, "unknown channel '" + channel + "'");
        }
        return index;
    }

    // ---- commands: through the ring ----

    private void command(final UnsafeBuffer view, final long correlationId)
    {
        try
        {
            io.codec.wrapMessage(view, MESSAGE_OFFSET, view.capacity() - MESSAGE_OFFSET);
            io.codec.decodeCommand(io.command);
        }
        catch (final JournalException ex)
        {
            fail(correlationId, ErrorCode.MALFORMED, "the command cannot be decoded: " + ex.getMessage());
            return;
        }
        catch (final IllegalArgumentException ex)
        {
            // Framing is intact and only the line count is beyond the bound: the connection can go on.
            answerError(correlationId, ErrorCode.INVALID_REQUEST,
                "at most " + io.command.lineCapacity() + " lines a command");
            return;
        }
        final CommandGate.Refusal refusal = io.gate.admit(io.command, principal);
        io.command.clear();
        if (refusal != null)
        {
            answerError(correlationId, refusal.code(), refusal.message());
            return;
        }
        publish(correlationId);
    }

    private void confirm(final UnsafeBuffer view, final long correlationId, final int blockLength, final int version)
    {
        final ConfirmRequestDecoder request = io.confirmRequest.wrap(view, BODY_OFFSET, blockLength, version);
        final CommandGate.Refusal refusal = io.gate.admitConfirm(request, principal);
        if (!endsAtFrame(request.limit(), correlationId, view))
        {
            return;
        }
        if (refusal != null)
        {
            answerError(correlationId, refusal.code(), refusal.message());
            return;
        }
        publish(correlationId);
    }

    /** Sends the command the gate admitted into the ring; its outcome is answered when it comes back. */
    private void publish(final long correlationId)
    {
        final PendingCommand pending = acquire();
        pending.correlationId = correlationId;
        boolean published = false;
        try
        {
            published = service.publisher().tryPublish(io.gate, pending);
        }
        catch (final RuntimeException ex)
        {
            service.unexpectedError();
            LOG.warn("binary connection {}: a command could not be published", ctx.channel().remoteAddress(), ex);
        }
        if (!published)
        {
            release(pending);
            answerError(correlationId, ErrorCode.OVERLOADED, "the engine's ring is full: retry later");
        }
    }

    private PendingCommand acquire()
    {
        PendingCommand pending = idle.pollFirst();
        if (pending == null)
        {
            // Bounded: the gate admits no frame while maxInFlight commands are out, so at most that many exist.
            pending = new PendingCommand(this, service);
            created++;
            assert created <= service.maxInFlight() : "more pending commands than the in-flight bound";
        }
        inFlight++;
        return pending;
    }

    private void release(final PendingCommand pending)
    {
        pending.response = null;
        idle.addFirst(pending);
        inFlight--;
    }

    /** The outcome of a command arrived (on this connection's event loop): write it, and read more if there is room. */
    void complete(final PendingCommand pending)
    {
        final ByteBuf frame = pending.response;
        final long correlationId = pending.correlationId;
        release(pending);
        if (closing || !ctx.channel().isActive())
        {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (frame == null)
        {
            ctx.write(io.responses.error(ctx.alloc(), correlationId, ErrorCode.INTERNAL, false,
                "the outcome could not be encoded"));
        }
        else
        {
            ctx.write(frame);
        }
        scheduleFlush();
        resumeIfRoom();
    }

    private void resumeIfRoom()
    {
        if (!closing && decoder.holding() && inFlight <= service.maxInFlight() / 2 && ctx.channel().isWritable())
        {
            decoder.resume();
        }
    }

    /** Answers flush once per run of the event loop, however many outcomes arrived in it. */
    private void scheduleFlush()
    {
        if (!flushScheduled)
        {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    private void flushNow()
    {
        flushScheduled = false;
        ctx.flush();
    }

    // ---- errors ----

    /** An Error for one request; the connection goes on. Flushed with the rest of the read. */
    private void answerError(final long correlationId, final ErrorCode code, final String message)
    {
        ctx.write(io.responses.error(ctx.alloc(), correlationId, code, false, message));
    }

    /** A closing Error: nothing more is read, the answer is flushed, then the connection is closed. */
    private void fail(final long correlationId, final ErrorCode code, final String message)
    {
        if (closing)
        {
            return;
        }
        closing = true;
        cancelHelloDeadline();
        ctx.channel().config().setAutoRead(false);
        LOG.debug("closing binary connection {}: {} {}", ctx.channel().remoteAddress(), code, message);
        ctx.writeAndFlush(io.responses.error(ctx.alloc(), correlationId, code, true, message))
            .addListener(ChannelFutureListener.CLOSE);
    }
}
