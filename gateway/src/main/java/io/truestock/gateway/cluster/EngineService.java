package io.truestock.gateway.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.ImageFragmentAssembler;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.EngineSnapshot;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.journal.JournalCodec;
import io.truestock.journal.JournalException;
import io.truestock.journal.snapshot.SbeDefinitionCodec;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The {@link Engine} as an Aeron Cluster service: every node applies the same committed log, in the same order, with
 * the log's timestamps as the only clock, so every node holds the same state at the same log position.
 * <ul>
 *   <li>a command arrives as a {@link ClusterMessages#COMMAND}; a mutation is stamped with the next engine sequence
 *       and the log timestamp (never earlier than the last), applied, shown to the listeners, and its outcome is
 *       offered back to the client's session (on followers and during replay that offer goes nowhere);</li>
 *   <li>reservation expiry is a cluster timer at {@link Engine#nextExpiryMillis()}; when it fires a tick is applied
 *       like any command;</li>
 *   <li>snapshots are the {@link EngineSnapshot} bytes in chunks; {@link #onStart} restores from them.</li>
 * </ul>
 * Everything here runs on the service container's thread; {@link #engine()} and the gauges are read by others.
 */
final class EngineService implements ClusteredService
{
    private static final Logger LOG = LoggerFactory.getLogger(EngineService.class);
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final long EXPIRY_TIMER_ID = 1;
    private static final int SNAPSHOT_CHUNK = 32 * 1024;
    private static final int SNAPSHOT_CHUNK_HEADER = 8;
    private static final int EGRESS_ATTEMPTS = 100;

    private final EngineConfig engineConfig;
    private final SbeDefinitionCodec definitions;
    private final JournalCodec codec;
    private final CompletableFuture<Engine> started = new CompletableFuture<>();
    private final Consumer<Engine> onEngine;
    private final Command command;
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private final ExpandableArrayBuffer egress = new ExpandableArrayBuffer(4096);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong egressDropped = new AtomicLong();
    private byte[] record;
    private volatile EngineListener[] listeners;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private volatile long logPosition;
    private volatile long appliedSequence;
    private volatile long snapshotSequence = -1;
    private volatile Runnable roleChanged = () -> {};
    private Cluster cluster;
    private Engine engine;
    private long scheduledExpiry = Long.MIN_VALUE;

    /**
     * @param onEngine  told of the engine once it exists (restored or new), before any command is applied.
     * @param listeners told of every applied command until {@link #listeners} replaces them.
     */
    EngineService(
        final EngineConfig engineConfig, final int maxRecordBytes, final Consumer<Engine> onEngine,
        final EngineListener... listeners)
    {
        this.engineConfig = engineConfig.isConcluded() ? engineConfig : engineConfig.conclude();
        definitions = new SbeDefinitionCodec(maxRecordBytes);
        codec = new JournalCodec(maxRecordBytes);
        record = new byte[4096];
        command = new Command(this.engineConfig.maxLinesPerCommand());
        this.onEngine = onEngine;
        this.listeners = listeners.clone();
    }

    /** Completes with the engine once {@link #onStart} has built it. */
    CompletableFuture<Engine> started()
    {
        return started;
    }

    /** Replaces the listeners; they see every command applied after the service thread next reads them. */
    void listeners(final EngineListener... value)
    {
        listeners = value.clone();
    }

    /** Told (on the service thread: must return at once) after every role change. */
    void roleChanged(final Runnable listener)
    {
        roleChanged = listener;
    }

    /** The engine sequence of the last snapshot this node took, -1 before the first. */
    long snapshotSequence()
    {
        return snapshotSequence;
    }

    Cluster.Role role()
    {
        return role;
    }

    /** The log position the service last saw: every command up to it is applied. */
    long logPosition()
    {
        return logPosition;
    }

    /** Log messages applied since this process started (replay included). */
    long applied()
    {
        return applied.get();
    }

    /** Outcomes the leader could not send to a client (the client retries and gets the replayed outcome). */
    long egressDropped()
    {
        return egressDropped.get();
    }

    @Override
    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        try
        {
            if (snapshotImage != null)
            {
                engine = EngineSnapshot.restore(engineConfig, loadSnapshot(snapshotImage, cluster.idleStrategy()),
                    definitions);
                LOG.info("cluster node restored its engine from a snapshot at sequence {}", engine.lastSequence());
            }
            else
            {
                engine = new Engine(engineConfig);
                engine.snapshotCodec(definitions);
            }
            onEngine.accept(engine);
            appliedSequence = engine.lastSequence();
            started.complete(engine);
        }
        catch (final RuntimeException ex)
        {
            started.completeExceptionally(ex);
            throw ex;
        }
    }

    private static byte[] loadSnapshot(final Image image, final IdleStrategy idle)
    {
        final byte[][] bytes = new byte[1][];
        final int[] filled = {0};
        // A chunk is longer than the MTU, so it arrives in fragments: the assembler hands over whole chunks.
        final FragmentHandler chunks = (buffer, offset, length, header) ->
        {
            final int total = buffer.getInt(offset, ORDER);
            final int at = buffer.getInt(offset + 4, ORDER);
            if (bytes[0] == null)
            {
                bytes[0] = new byte[total];
            }
            buffer.getBytes(offset + SNAPSHOT_CHUNK_HEADER, bytes[0], at, length - SNAPSHOT_CHUNK_HEADER);
            filled[0] = at + length - SNAPSHOT_CHUNK_HEADER;
        };
        final ImageFragmentAssembler handler = new ImageFragmentAssembler(chunks);
        while (bytes[0] == null || filled[0] < bytes[0].length)
        {
            if (image.isEndOfStream() || image.isClosed())
            {
                throw new IllegalStateException("the snapshot ended after " + filled[0] + " bytes");
            }
            idle.idle(image.poll(handler, 1));
        }
        return bytes[0];
    }

    @Override
    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
        LOG.debug("cluster session {} opened", session.id());
    }

    @Override
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        LOG.debug("cluster session {} closed: {}", session.id(), closeReason);
    }

    @Override
    public void onSessionMessage(
        final ClientSession session, final long timestamp, final DirectBuffer buffer, final int offset,
        final int length, final Header header)
    {
        logPosition = header.position();
        if (length < ClusterMessages.COMMAND_HEADER_LENGTH ||
            buffer.getInt(offset + ClusterMessages.TYPE_OFFSET, ORDER) != ClusterMessages.COMMAND)
        {
            LOG.warn("ignored a cluster message of {} bytes that is not a command", length);
            return;
        }
        final long correlationId = buffer.getLong(offset + ClusterMessages.CORRELATION_OFFSET, ORDER);
        final int recordLength = length - ClusterMessages.COMMAND_HEADER_LENGTH;
        if (record.length < recordLength)
        {
            record = new byte[BitUtil.findNextPositivePowerOfTwo(recordLength)];
        }
        buffer.getBytes(offset + ClusterMessages.COMMAND_HEADER_LENGTH, record, 0, recordLength);
        boolean decoded;
        try
        {
            decoded = codec.wrap(record, 0, recordLength) == JournalCodec.COMMAND_TEMPLATE;
            if (decoded)
            {
                codec.decodeCommand(command);
            }
        }
        catch (final JournalException | IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            decoded = false;
        }
        if (!decoded)
        {
            // Every node reaches the same verdict on the same bytes, so refusing keeps them equal.
            outcome.reset();
            outcome.reject(RejectReason.INVALID_TEXT, -1, engine.lastSequence());
            reply(session, correlationId, 0, timestamp);
            return;
        }
        apply(timestamp);
        reply(session, correlationId, command.sequence(), command.timestampMillis());
        scheduleExpiry();
    }

    @Override
    public void onTimerEvent(final long correlationId, final long timestamp)
    {
        scheduledExpiry = Long.MIN_VALUE;
        if (timestamp >= engine.nextExpiryMillis())
        {
            command.clear();
            command.tick();
            apply(timestamp);
        }
        scheduleExpiry();
    }

    private void apply(final long timestamp)
    {
        if (command.type().isMutation())
        {
            command.stamp(engine.lastSequence() + 1, Math.max(timestamp, engine.lastTimestampMillis()));
        }
        engine.apply(command, outcome, events);
        applied.incrementAndGet();
        for (final EngineListener listener : listeners)
        {
            try
            {
                listener.onApplied(command, outcome, events);
            }
            catch (final RuntimeException ex)
            {
                LOG.error("listener {} failed at {}", listener, command, ex);
            }
        }
        appliedSequence = engine.lastSequence();
    }

    /** The engine sequence this node has applied and shown to every listener. */
    long appliedSequence()
    {
        return appliedSequence;
    }

    private void reply(final ClientSession session, final long correlationId, final long sequence, final long at)
    {
        if (session == null || role != Cluster.Role.LEADER)
        {
            return;
        }
        egress.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.OUTCOME, ORDER);
        egress.putLong(ClusterMessages.CORRELATION_OFFSET, correlationId, ORDER);
        egress.putLong(ClusterMessages.SEQUENCE_OFFSET, sequence, ORDER);
        egress.putLong(ClusterMessages.TIMESTAMP_OFFSET, at, ORDER);
        egress.checkLimit(ClusterMessages.OUTCOME_HEADER_LENGTH + OutcomeCodec.maxLength(outcome));
        final int length = ClusterMessages.OUTCOME_HEADER_LENGTH +
            OutcomeCodec.encode(outcome, egress, ClusterMessages.OUTCOME_HEADER_LENGTH);
        final IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        for (int i = 0; i < EGRESS_ATTEMPTS; i++)
        {
            final long result = session.offer(egress, 0, length);
            if (result > 0 || result == ClientSession.MOCKED_OFFER)
            {
                return;
            }
            if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED ||
                result == Publication.MAX_POSITION_EXCEEDED)
            {
                break;
            }
            idle.idle();
        }
        egressDropped.incrementAndGet();
    }

    private void scheduleExpiry()
    {
        final long next = engine.nextExpiryMillis();
        if (next != Long.MAX_VALUE && next != scheduledExpiry)
        {
            // One timer id: scheduling again moves the deadline.
            if (cluster.scheduleTimer(EXPIRY_TIMER_ID, next))
            {
                scheduledExpiry = next;
            }
        }
    }

    @Override
    public void onTakeSnapshot(final ExclusivePublication publication)
    {
        final byte[] bytes = EngineSnapshot.capture(engine);
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[SNAPSHOT_CHUNK + SNAPSHOT_CHUNK_HEADER]);
        final IdleStrategy idle = cluster.idleStrategy();
        int at = 0;
        do
        {
            final int length = Math.min(SNAPSHOT_CHUNK, bytes.length - at);
            chunk.putInt(0, bytes.length, ORDER);
            chunk.putInt(4, at, ORDER);
            chunk.putBytes(SNAPSHOT_CHUNK_HEADER, bytes, at, length);
            idle.reset();
            while (true)
            {
                final long result = publication.offer(chunk, 0, SNAPSHOT_CHUNK_HEADER + length);
                if (result > 0)
                {
                    break;
                }
                if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED ||
                    result == Publication.MAX_POSITION_EXCEEDED)
                {
                    throw new IllegalStateException("snapshot publication refused: " + Publication.errorString(result));
                }
                idle.idle();
            }
            at += length;
        }
        while (at < bytes.length);
        snapshotSequence = engine.lastSequence();
        LOG.info("cluster snapshot at sequence {} ({} bytes)", engine.lastSequence(), bytes.length);
    }

    @Override
    public void onRoleChange(final Cluster.Role newRole)
    {
        role = newRole;
        LOG.info("cluster node {} is now {}", cluster.memberId(), newRole);
        roleChanged.run();
    }

    @Override
    public void onTerminate(final Cluster cluster)
    {
        LOG.info("cluster service terminating at sequence {}", engine == null ? 0 : engine.lastSequence());
    }

    @Override
    public int doBackgroundWork(final long nowNs)
    {
        final Cluster c = cluster;
        if (c != null)
        {
            logPosition = Math.max(logPosition, c.logPosition());
        }
        return 0;
    }
}
