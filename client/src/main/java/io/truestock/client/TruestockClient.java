package io.truestock.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.sbe.AvailabilityQueryEncoder;
import io.truestock.sbe.CommandRecordEncoder;
import io.truestock.sbe.ConfirmRequestEncoder;
import io.truestock.sbe.HelloEncoder;
import io.truestock.sbe.MessageHeaderDecoder;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.OfferQueryEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of Truestock's binary TCP protocol (docs/binary-protocol.md): one authenticated connection over which
 * requests are pipelined and answered out of order, matched by correlation id.
 * <p>
 * Every request method returns at once with a future. A command the engine rejects completes normally with a
 * {@link CommandResult} whose {@code accepted()} is false; a request that got no answer (an Error from the server,
 * a closed connection) completes exceptionally with a {@link TruestockException} saying why.
 * <p>
 * Back-pressure: at most {@link ClientConfig#maxInFlight()} requests are outstanding. Past that bound a call does
 * not block and does not queue: its future fails at once with {@code too_many_in_flight} (see
 * {@link TruestockException#retryable()}), so a caller is never stalled by the client and decides itself whether
 * to wait, retry or shed the request.
 * <p>
 * Futures complete on the connection's I/O thread: callbacks attached with {@code thenApply} and friends run there
 * and must not block (use the {@code ...Async} variants for work that may). Thread safe: any thread may send.
 */
public final class TruestockClient implements AutoCloseable
{
    private static final int MESSAGE_OFFSET = BinaryProtocol.LENGTH_FIELD_BYTES + BinaryProtocol.CORRELATION_ID_BYTES;
    private static final int COMMAND_STAMP_OFFSET = MESSAGE_OFFSET + BinaryProtocol.HEADER_BYTES;

    private final Channel channel;
    private final ClientEventLoops ownLoops;
    private final ResponseReader reader;
    private final AtomicLong nextCorrelationId = new AtomicLong(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long timeoutMillis;

    private final Object encoding = new Object();
    private final byte[] scratch = new byte[BinaryProtocol.LENGTH_FIELD_BYTES + BinaryProtocol.MAX_REQUEST_FRAME_BYTES];
    private final UnsafeBuffer buffer = new UnsafeBuffer(scratch);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final HelloEncoder hello = new HelloEncoder();
    private final AvailabilityQueryEncoder availabilityQuery = new AvailabilityQueryEncoder();
    private final OfferQueryEncoder offerQuery = new OfferQueryEncoder();
    private final CommandRecordEncoder command = new CommandRecordEncoder();
    private final MessageHeaderDecoder commandHeader = new MessageHeaderDecoder();
    private final ConfirmRequestEncoder confirmRequest = new ConfirmRequestEncoder();

    private volatile int maxFrameBytes = BinaryProtocol.MAX_REQUEST_FRAME_BYTES;
    private volatile String principal;
    private volatile String scope;

    private TruestockClient(
        final Channel channel, final ClientEventLoops ownLoops, final ResponseReader reader, final long timeoutMillis)
    {
        this.channel = channel;
        this.ownLoops = ownLoops;
        this.reader = reader;
        this.timeoutMillis = timeoutMillis;
    }

    /** Connects with the default {@link ClientConfig}. */
    public static TruestockClient connect(final String host, final int port, final String token)
    {
        return connect(host, port, token, new ClientConfig());
    }

    /**
     * Opens a connection and authenticates it with {@code token} (a bearer token, as HTTP takes it). Blocks for
     * at most twice the configured connect timeout.
     *
     * @throws TruestockException {@code unauthorized} for a token the server does not know,
     *                            {@code connection_failed} when the server cannot be reached or does not answer.
     */
    public static TruestockClient connect(final String host, final int port, final String token, final ClientConfig config)
    {
        config.conclude();
        final ClientEventLoops shared = config.eventLoops();
        final ClientEventLoops loops = shared != null ? shared : new ClientEventLoops(1);
        final EventLoopGroup group = loops.group();
        final Class<? extends SocketChannel> type = loops.channelType();
        final ResponseReader reader = new ResponseReader(config.maxInFlight());
        final Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(type)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.min(Integer.MAX_VALUE, config.connectTimeoutMillis()))
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline()
                        // Requests written from many threads each flush; batching flushes saves syscalls.
                        .addLast("flushes", new FlushConsolidationHandler(256, true))
                        .addLast("frames", new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN,
                            BinaryProtocol.LENGTH_FIELD_BYTES + config.maxResponseFrameBytes(), 0,
                            BinaryProtocol.LENGTH_FIELD_BYTES, 0, BinaryProtocol.LENGTH_FIELD_BYTES, true))
                        .addLast("answers", reader);
                }
            });
        final ChannelFuture connected = bootstrap.connect(host, port);
        connected.awaitUninterruptibly();
        if (!connected.isSuccess())
        {
            if (shared == null)
            {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            throw new TruestockException("connection_failed", "cannot connect to " + host + ':' + port,
                connected.cause());
        }
        final TruestockClient client = new TruestockClient(connected.channel(), shared == null ? loops : null, reader,
            config.connectTimeoutMillis());
        try
        {
            client.hello(token, config.clientName());
        }
        catch (final RuntimeException ex)
        {
            client.close();
            throw ex;
        }
        return client;
    }

    private void hello(final String token, final String clientName)
    {
        final CompletableFuture<ResponseReader.Welcome> welcome = send(BinaryProtocol.WELCOME, null, null,
            (allocator, correlationId) ->
            {
                final HelloEncoder e = hello.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header);
                e.token(token);
                e.clientName(clientName);
                return frame(allocator, correlationId, e.encodedLength());
            });
        final ResponseReader.Welcome answer;
        try
        {
            answer = welcome.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof TruestockException cause ? cause :
                new TruestockException("connection_failed", "no Welcome", ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new TruestockException("connection_failed", "no answer to the Hello within " + timeoutMillis + " ms");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new TruestockException("connection_failed", "interrupted while waiting for the Welcome", ex);
        }
        principal = answer.principal();
        scope = answer.scope();
        maxFrameBytes = Math.min(answer.maxFrameBytes(), BinaryProtocol.MAX_REQUEST_FRAME_BYTES);
    }

    /** The key id this connection acts as ({@code admin} for the admin token). */
    public String principal()
    {
        return principal;
    }

    /** {@code admin}, {@code agent} or {@code channel:<id>}. */
    public String scope()
    {
        return scope;
    }

    /** Requests sent and not yet answered. */
    public int inFlight()
    {
        return reader.inFlight();
    }

    public boolean isOpen()
    {
        return channel.isActive();
    }

    // ---- queries: answered by the server at once from published state ----

    /** What {@code channel} shows for {@code sku}. Fails with {@code not_found} for an unknown SKU or channel. */
    public CompletableFuture<Availability> availability(final String sku, final String channel)
    {
        return send(BinaryProtocol.AVAILABILITY, sku, channel, (allocator, correlationId) ->
        {
            final AvailabilityQueryEncoder e = availabilityQuery.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header);
            e.sku(sku);
            e.channel(channel);
            return frame(allocator, correlationId, e.encodedLength());
        });
    }

    /**
     * Availability, unit price and a quote for {@code qty} units (1 to 1 000 000) of {@code sku} on
     * {@code channel}, without a delivery promise.
     */
    public CompletableFuture<Offer> offer(final String sku, final String channel, final long qty)
    {
        return offer(sku, channel, qty, null, null);
    }

    /**
     * Availability, unit price, a quote and the delivery promise to a destination ({@code country} ISO 3166-1
     * alpha-2, {@code postalCode} optional) for {@code qty} units of {@code sku} on {@code channel}.
     */
    public CompletableFuture<Offer> offer(
        final String sku, final String channel, final long qty, final String country, final String postalCode)
    {
        return send(BinaryProtocol.OFFER, sku, channel, (allocator, correlationId) ->
        {
            final OfferQueryEncoder e = offerQuery.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header).quantity(qty);
            e.sku(sku);
            e.channel(channel);
            e.destinationCountry(country == null ? "" : country);
            e.destinationPostalCode(postalCode == null ? "" : postalCode);
            return frame(allocator, correlationId, e.encodedLength());
        });
    }

    // ---- commands: applied in the engine's single ordered stream ----

    /** Holds every line or none, for {@code ttlSeconds} (1 to 86 400); rejected {@code OUT_OF_STOCK} when short. */
    public CompletableFuture<CommandResult> reserve(final String channel, final List<Line> lines, final int ttlSeconds)
    {
        final CommandRequest request = new CommandRequest().reserve(channel, ttlSeconds);
        for (final Line line : lines)
        {
            request.addLine(line.sku(), line.qty());
        }
        return submit(request);
    }

    /** Turns a held reservation into order {@code orderId}. */
    public CompletableFuture<CommandResult> confirm(final long reservationId, final String orderId)
    {
        return confirm(reservationId, orderId, null, null, List.of(), null);
    }

    /** Turns a held reservation into order {@code orderId}, routed for delivery to a destination. */
    public CompletableFuture<CommandResult> confirm(
        final long reservationId, final String orderId, final String country, final String postalCode)
    {
        return confirm(reservationId, orderId, country, postalCode, List.of(), null);
    }

    /**
     * Turns a held reservation into order {@code orderId}, routed for delivery to a destination, charging each line
     * the price of the quote it cites: {@code quoteIds} are {@link Offer#quoteId()}s, as HTTP's {@code quote_ids}.
     * The server refuses an id it did not sign ({@code invalid_request}); the engine rejects a quote that expired
     * before the confirmation ({@code QUOTE_EXPIRED}) or that is for another SKU or channel ({@code QUOTE_MISMATCH}),
     * naming it by {@link CommandResult#rejectedLine()}.
     *
     * @param country        ISO 3166-1 alpha-2, or null for no destination.
     * @param postalCode     optional.
     * @param quoteIds       quotes to honour, at most one per line; may be empty.
     * @param idempotencyKey 1 to 255 characters, or null.
     */
    public CompletableFuture<CommandResult> confirm(
        final long reservationId, final String orderId, final String country, final String postalCode,
        final List<String> quoteIds, final String idempotencyKey)
    {
        Objects.requireNonNull(quoteIds, "quoteIds");
        return send(BinaryProtocol.COMMAND_OUTCOME, null, null, (allocator, correlationId) ->
        {
            final ConfirmRequestEncoder e = confirmRequest.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header)
                .reservationId(reservationId);
            final ConfirmRequestEncoder.QuoteIdsEncoder quotes = e.quoteIdsCount(quoteIds.size());
            for (final String quoteId : quoteIds)
            {
                quotes.next().quoteId(quoteId);
            }
            e.orderId(orderId == null ? "" : orderId);
            e.destinationCountry(country == null ? "" : country);
            e.destinationPostalCode(postalCode == null ? "" : postalCode);
            e.idempotencyKey(idempotencyKey == null ? "" : idempotencyKey);
            return frame(allocator, correlationId, e.encodedLength());
        });
    }

    /** Gives a held reservation's units back. */
    public CompletableFuture<CommandResult> release(final long reservationId)
    {
        return submit(new CommandRequest().release(reservationId));
    }

    /** Adds {@code qty} units on hand at a location (admin scope). */
    public CompletableFuture<CommandResult> receive(final String sku, final String location, final long qty)
    {
        return submit(new CommandRequest().receive(sku, location, qty));
    }

    /**
     * Sends any command {@link CommandRequest} builds (with {@code idempotencyKey}, {@code reason},
     * {@code reference} where wanted). The request is encoded before this returns, so it may be reused at once.
     * The engine stamps the sequence and timestamp and the connection's key is the principal. The server refuses
     * what the key's scope may not do ({@code forbidden}), as over HTTP.
     *
     * @throws IllegalArgumentException (through the future) for a request that does not fit a request frame.
     */
    public CompletableFuture<CommandResult> submit(final CommandRequest request)
    {
        Objects.requireNonNull(request, "request");
        if (request.type() == null)
        {
            return CompletableFuture.failedFuture(new IllegalArgumentException("the command has no type"));
        }
        return send(BinaryProtocol.COMMAND_OUTCOME, null, null, (allocator, correlationId) ->
            frame(allocator, correlationId, request.encode(command, header, buffer, MESSAGE_OFFSET) -
                BinaryProtocol.HEADER_BYTES));
    }

    /**
     * Sends a command already encoded as a CommandRecord message of the protocol's schema, header first (the
     * journal's record without its checksum), such as the catalog's definitions, which {@link CommandRequest} does
     * not build. The bytes are copied before this returns. Their sequence and timestamp are sent as 0 and their
     * principal is ignored: the engine stamps the first two and the connection's key is the third.
     *
     * @throws IllegalArgumentException (through the future) for bytes that are not a CommandRecord of this schema
     *                                  or do not fit a request frame.
     */
    public CompletableFuture<CommandResult> submit(final DirectBuffer message, final int offset, final int length)
    {
        Objects.requireNonNull(message, "message");
        return send(BinaryProtocol.COMMAND_OUTCOME, null, null, (allocator, correlationId) ->
        {
            if (length < BinaryProtocol.HEADER_BYTES + CommandRecordEncoder.BLOCK_LENGTH || offset < 0 ||
                offset + length > message.capacity())
            {
                throw new IllegalArgumentException("not a CommandRecord message: " + length + " bytes");
            }
            commandHeader.wrap(message, offset);
            if (commandHeader.schemaId() != BinaryProtocol.SCHEMA_ID ||
                commandHeader.templateId() != BinaryProtocol.COMMAND)
            {
                throw new IllegalArgumentException("not a CommandRecord message of this schema: schema " +
                    commandHeader.schemaId() + ", template " + commandHeader.templateId());
            }
            if (MESSAGE_OFFSET + length > scratch.length)
            {
                throw new IllegalArgumentException("a command of " + length + " bytes is beyond the frame bound of " +
                    maxFrameBytes);
            }
            buffer.putBytes(MESSAGE_OFFSET, message, offset, length);
            buffer.putLong(COMMAND_STAMP_OFFSET + CommandRecordEncoder.sequenceEncodingOffset(), 0, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(COMMAND_STAMP_OFFSET + CommandRecordEncoder.timestampMillisEncodingOffset(), 0,
                ByteOrder.LITTLE_ENDIAN);
            return frame(allocator, correlationId, length - BinaryProtocol.HEADER_BYTES);
        });
    }

    // ---- plumbing ----

    /** Writes one request frame into a buffer of the channel's allocator; runs under the encoding lock. */
    @FunctionalInterface
    private interface FrameEncoder
    {
        ByteBuf encode(ByteBufAllocator allocator, long correlationId);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> send(
        final int expectedTemplate, final String sku, final String channelId, final FrameEncoder encoder)
    {
        final CompletableFuture<T> future = new CompletableFuture<>();
        final TruestockException closedBy = closedBy();
        if (closedBy != null)
        {
            future.completeExceptionally(closedBy);
            return future;
        }
        if (!reader.tryAcquire())
        {
            future.completeExceptionally(new TruestockException("too_many_in_flight",
                "this client's bound of outstanding requests is reached; retry once answers have come back"));
            return future;
        }
        final long correlationId = nextCorrelationId.getAndIncrement();
        reader.register(correlationId, new ResponseReader.Request(
            (CompletableFuture<Object>)(CompletableFuture<?>)future, expectedTemplate, sku, channelId));
        final ByteBuf frame;
        try
        {
            synchronized (encoding)
            {
                frame = encoder.encode(channel.alloc(), correlationId);
            }
        }
        catch (final RuntimeException ex)
        {
            reader.fail(correlationId, ex instanceof IllegalArgumentException ? ex :
                new IllegalArgumentException("the request cannot be encoded: " + ex.getMessage(), ex));
            return future;
        }
        // Registered before this check, so a close after it fails the request when the connection's end is seen.
        if (!channel.isActive())
        {
            frame.release();
            reader.fail(correlationId, closedBy() != null ? closedBy() :
                new TruestockException("connection_closed", "the connection is closed"));
            return future;
        }
        channel.writeAndFlush(frame, channel.voidPromise());
        return future;
    }

    private TruestockException closedBy()
    {
        final TruestockException cause = reader.closedBy();
        if (cause != null)
        {
            return cause;
        }
        return closed.get() ? new TruestockException("connection_closed", "the client is closed") : null;
    }

    private ByteBuf frame(final ByteBufAllocator allocator, final long correlationId, final int bodyLength)
    {
        final int frameLength = BinaryProtocol.CORRELATION_ID_BYTES + BinaryProtocol.HEADER_BYTES + bodyLength;
        if (frameLength > maxFrameBytes)
        {
            throw new IllegalArgumentException("a request of " + frameLength + " bytes is beyond the server's frame " +
                "bound of " + maxFrameBytes);
        }
        buffer.putInt(0, frameLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(BinaryProtocol.LENGTH_FIELD_BYTES, correlationId, ByteOrder.LITTLE_ENDIAN);
        final int total = BinaryProtocol.LENGTH_FIELD_BYTES + frameLength;
        return allocator.buffer(total).writeBytes(scratch, 0, total);
    }

    /**
     * Closes the connection; requests still outstanding fail with {@code connection_closed}. Waits for the close
     * unless called on the client's own I/O thread (from a future's callback), where waiting could never end.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        final boolean onIoThread = channel.eventLoop().inEventLoop();
        final ChannelFuture closing = channel.close();
        if (!onIoThread)
        {
            closing.awaitUninterruptibly(timeoutMillis);
        }
        if (ownLoops != null)
        {
            final io.netty.util.concurrent.Future<?> stopped = ownLoops.group().shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (!onIoThread)
            {
                stopped.awaitUninterruptibly(timeoutMillis);
            }
        }
    }
}
