package io.truestock.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.OutcomeHandler;
import io.truestock.gateway.auth.Principal;
import io.truestock.protocol.BinaryProtocol;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's decoding pipeline on an {@link EmbeddedChannel}, in front of a small real engine, with the ring
 * replaced by a publisher the test drives: it applies each command at once (as the ring would, with a sequence and
 * a clock), parks them until the test delivers their outcomes, or refuses them as a full ring does. Every buffer
 * comes from one counting allocator, so a test can check that nothing leaked.
 */
final class EmbeddedBinary implements AutoCloseable
{
    static final String ADMIN = "admin-token";
    static final String AGENT = "agent-token";
    static final String SHOP = "shop-token";
    static final long START_MILLIS = 1_800_000_000_000L;

    enum Ring
    {
        APPLY, PARK, FULL
    }

    /** A command the ring holds, with the handler its outcome goes to. */
    private record Parked(Command command, OutcomeHandler handler)
    {
    }

    final Engine engine;
    final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
    final EmbeddedChannel channel;
    final List<Throwable> engineFailures = new ArrayList<>();
    private final BinaryService service;
    private final ArrayDeque<Parked> parked = new ArrayDeque<>();
    private final Command slot;
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private Ring ring = Ring.APPLY;
    private long sequence;
    private long nowMillis = START_MILLIS;
    private int published;

    EmbeddedBinary(final int maxInFlight)
    {
        final EngineConfig config = new EngineConfig().maxSkus(16).maxLocations(4).maxChannels(4)
            .maxOpenReservations(64).maxRetainedReservations(64).maxOrders(64).maxIdempotencyEntries(64);
        engine = new Engine(config);
        slot = new Command(engine.config().maxLinesPerCommand());
        apply(new Command(0).defineLocation("oak", LocationSpec.named("Oakland")));
        apply(new Command(0).defineChannel("shopify", ChannelSpec.named("Shopify")));
        apply(new Command(0).defineChannel("amazon", ChannelSpec.named("Amazon")));
        apply(new Command(0).defineSku("shoe", SkuSpec.simple("Shoe", 8999, "USD")));
        apply(new Command(0).receive("shoe", "oak", 10));
        service = new BinaryService(engine, this::tryPublish, EmbeddedBinary::authenticate,
            BinaryProtocol.MAX_REQUEST_FRAME_BYTES, maxInFlight);
        channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        service.install(channel.pipeline(), service.newScratch());
    }

    private static Principal authenticate(final String token)
    {
        return switch (token)
        {
            case ADMIN -> new Principal("admin", Principal.Scope.ADMIN, null);
            case AGENT -> new Principal("key_agent", Principal.Scope.AGENT, null);
            case SHOP -> new Principal("key_shop", Principal.Scope.CHANNEL, "shopify");
            default -> null;
        };
    }

    void ring(final Ring mode)
    {
        ring = mode;
    }

    /** Commands the publisher accepted. */
    int published()
    {
        return published;
    }

    int parked()
    {
        return parked.size();
    }

    private boolean tryPublish(final CommandFiller filler, final OutcomeHandler handler)
    {
        if (ring == Ring.FULL)
        {
            return false;
        }
        final Command command = new Command(engine.config().maxLinesPerCommand());
        filler.fill(command);
        published++;
        if (ring == Ring.PARK)
        {
            parked.addLast(new Parked(command, handler));
        }
        else
        {
            handler.onOutcome(command, apply(command));
        }
        return true;
    }

    /** Applies the oldest {@code count} parked commands and hands their outcomes over, then runs the event loop. */
    void deliver(final int count)
    {
        for (int i = 0; i < count && !parked.isEmpty(); i++)
        {
            final Parked next = parked.pollFirst();
            next.handler().onOutcome(next.command(), apply(next.command()));
        }
        channel.runPendingTasks();
    }

    /** What the ring's stages do: stamp a mutation, apply it, and halt (reject) rather than throw. */
    private Outcome apply(final Command command)
    {
        slot.copyFrom(command);
        if (slot.type().isMutation())
        {
            nowMillis += 7;
            slot.stamp(++sequence, nowMillis);
        }
        try
        {
            engine.apply(slot, outcome, events);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            engineFailures.add(ex);
            outcome.reset();
            outcome.reject(RejectReason.ENGINE_HALTED, -1, slot.sequence());
        }
        return outcome;
    }

    /**
     * Feeds bytes to the pipeline as one read, then runs what the read scheduled. Bytes sent after the server
     * closed the connection go nowhere, as on a socket.
     */
    void write(final byte[] bytes)
    {
        if (!channel.isOpen())
        {
            return;
        }
        final ByteBuf in = allocator.heapBuffer(Math.max(1, bytes.length)).writeBytes(bytes);
        channel.writeInbound(in);
        channel.runPendingTasks();
    }

    /** The next response frame written, or null when none is waiting. Fails on a frame that is not one. */
    Frames.Response next()
    {
        final ByteBuf out = channel.readOutbound();
        if (out == null)
        {
            return null;
        }
        try
        {
            return parse(out);
        }
        finally
        {
            out.release();
        }
    }

    /** Every response waiting, in the order written. */
    List<Frames.Response> drain()
    {
        final List<Frames.Response> responses = new ArrayList<>();
        Frames.Response next;
        while ((next = next()) != null)
        {
            responses.add(next);
        }
        return responses;
    }

    /** One written buffer must be exactly one well-formed response frame of the schema. */
    static Frames.Response parse(final ByteBuf out)
    {
        final int readable = out.readableBytes();
        if (readable < BinaryProtocol.LENGTH_FIELD_BYTES + BinaryProtocol.MIN_FRAME_BYTES)
        {
            throw new AssertionError("a response of " + readable + " bytes");
        }
        final int length = out.getIntLE(out.readerIndex());
        if (length != readable - BinaryProtocol.LENGTH_FIELD_BYTES)
        {
            throw new AssertionError("a length prefix of " + length + " on a " + readable + "-byte response");
        }
        final byte[] frame = new byte[length];
        out.getBytes(out.readerIndex() + BinaryProtocol.LENGTH_FIELD_BYTES, frame);
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        final long correlationId = view.getLong(0, ByteOrder.LITTLE_ENDIAN);
        final UnsafeBuffer message = new UnsafeBuffer(frame, BinaryProtocol.CORRELATION_ID_BYTES,
            length - BinaryProtocol.CORRELATION_ID_BYTES);
        final int schemaId = message.getShort(4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int templateId = message.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (schemaId != BinaryProtocol.SCHEMA_ID || templateId < BinaryProtocol.WELCOME || templateId > BinaryProtocol.ERROR)
        {
            throw new AssertionError("a response of schema " + schemaId + ", type " + templateId);
        }
        return new Frames.Response(correlationId, templateId, message);
    }

    /** Failures the connection met on no designed path. */
    long unexpectedErrors()
    {
        return service.unexpectedErrors();
    }

    /** Bytes of buffers allocated and not yet released. */
    long liveBytes()
    {
        return allocator.metric().usedHeapMemory() + allocator.metric().usedDirectMemory();
    }

    @Override
    public void close()
    {
        channel.finishAndReleaseAll();
    }
}
