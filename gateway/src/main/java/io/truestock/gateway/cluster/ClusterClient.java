package io.truestock.gateway.cluster;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.logbuffer.Header;
import io.truestock.engine.Command;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.CommandTooLargeException;
import io.truestock.engine.runtime.OutcomeHandler;
import io.truestock.engine.runtime.Sequencer;
import io.truestock.journal.JournalCodec;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's way into the cluster: commands go to the leader through an Aeron Cluster client session (ingress)
 * and their outcomes come back on egress, on one thread of its own ("truestock-cluster-client"), which also calls
 * every {@link OutcomeHandler}.
 * <p>
 * At most {@code capacity} commands are in flight; past that {@link #tryPublish} answers false (backpressure, as a
 * full ring does). The client follows the leader: when a new leader is announced or the session is lost, every
 * unanswered command is sent again, and so is one that has waited a quarter of
 * {@link ClusterConfig#commandTimeoutMillis()}. A command with an
 * idempotency key, and any query, is safe to send twice: the engine answers a repeat with the first outcome. A
 * mutation without a key is not sent twice: it is answered {@link RejectReason#ENGINE_HALTED} (outcome unknown) so
 * that nothing is ever applied twice. A command still unanswered after the whole timeout is answered the same way.
 * <p>
 * An outcome is handed to its handler only once this node's own engine has applied the command too (its sequence has
 * reached the outcome's version), because handlers render from the local state: a client reads its own writes on
 * whichever node it wrote through.
 */
public final class ClusterClient implements Sequencer, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterClient.class);
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RECONNECT_PAUSE_MILLIS = 200;
    /** What {@link #offer} answers for a command it refused itself (never a {@link Publication} result). */
    private static final long REFUSED = Long.MIN_VALUE;

    private final String ingressEndpoints;
    private final String egressChannel;
    private final long commandTimeoutNanos;
    private final long newLeaderTimeoutNanos;
    private final Aeron aeron;
    private final ManyToManyConcurrentArrayQueue<Pending> free;
    private final ManyToOneConcurrentArrayQueue<Pending> submitted;
    private final Long2ObjectHashMap<Pending> inFlight = new Long2ObjectHashMap<>();
    private final java.util.ArrayDeque<Pending> applying = new java.util.ArrayDeque<>();
    private final java.util.function.LongSupplier localSequence;
    private final JournalCodec codec;
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(4096);
    private final IdleStrategy idle = ClusterNode.idle().get();
    private final Thread thread;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean running = true;
    private volatile int leaderMemberId = -1;
    private volatile boolean connected;
    private AeronCluster cluster;
    private long nextCorrelationId = 1;
    private long lastSendNanos;
    private boolean resendAll;

    /** One command between {@link #tryPublish} and its answer. */
    private static final class Pending
    {
        final Command command;
        final Outcome outcome = new Outcome();
        OutcomeHandler handler;
        long correlationId;
        long queuedAtNanos;
        long sentAtNanos;
        boolean sent;

        Pending(final int maxLines)
        {
            command = new Command(maxLines);
        }
    }

    /**
     * @param aeronDir the local media driver's directory (the node's own driver).
     * @param capacity      the most commands in flight.
     * @param localSequence the sequence this node's engine has applied.
     */
    public ClusterClient(
        final String aeronDir, final ClusterConfig config, final int capacity, final int maxLines,
        final int maxRecordBytes, final java.util.function.LongSupplier localSequence)
    {
        this.localSequence = localSequence;
        ingressEndpoints = config.ingressEndpoints();
        // The leader sends outcomes here, so it must be this node's address as the other members reach it.
        egressChannel = "aeron:udp?endpoint=" + config.self().host() + ":0|term-length=256k";
        commandTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.commandTimeoutMillis());
        newLeaderTimeoutNanos = config.leaderHeartbeatTimeoutNanos() * 3;
        codec = new JournalCodec(maxRecordBytes);
        free = new ManyToManyConcurrentArrayQueue<>(capacity);
        submitted = new ManyToOneConcurrentArrayQueue<>(capacity);
        for (int i = 0; i < capacity; i++)
        {
            free.offer(new Pending(maxLines));
        }
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        thread = new Thread(this::run, "truestock-cluster-client");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean tryPublish(final CommandFiller filler, final OutcomeHandler handler)
    {
        if (!running)
        {
            return false;
        }
        final Pending pending = free.poll();
        if (pending == null)
        {
            return false;
        }
        try
        {
            pending.command.clear();
            filler.fill(pending.command);
        }
        catch (final RuntimeException ex)
        {
            free.offer(pending);
            throw ex;
        }
        pending.handler = handler;
        submitted.offer(pending);
        return true;
    }

    @Override
    public Throwable halted()
    {
        return null;
    }

    /** The leader's member id as this client last heard, -1 while it knows none. */
    public int leaderMemberId()
    {
        return leaderMemberId;
    }

    /** True while a session with the leader is open. */
    public boolean connected()
    {
        return connected;
    }

    /** Commands sent again (after a leader change, a lost session or a timeout). */
    public long retries()
    {
        return retries.get();
    }

    /** Sessions opened after the first. */
    public long reconnects()
    {
        return reconnects.get();
    }

    /** Commands waiting for their outcome. */
    public int inFlight()
    {
        return free.capacity() - free.size();
    }

    private void run()
    {
        final EgressListener listener = new EgressListener()
        {
            @Override
            public void onMessage(
                final long clusterSessionId, final long timestamp, final DirectBuffer buffer, final int offset,
                final int length, final Header header)
            {
                onEgress(buffer, offset, length);
            }

            @Override
            public void onNewLeader(
                final long clusterSessionId, final long leadershipTermId, final int leaderMemberId,
                final String ingressEndpoints)
            {
                ClusterClient.this.leaderMemberId = leaderMemberId;
                LOG.info("cluster leader is now member {} (term {}): sending {} unanswered commands again",
                    leaderMemberId, leadershipTermId, inFlight.size());
                resendAll = true;
            }
        };
        while (running)
        {
            try
            {
                if (cluster == null || cluster.isClosed())
                {
                    connect(listener);
                    giveUp(System.nanoTime());
                    continue;
                }
                int work = takeSubmitted();
                work += cluster.pollEgress();
                work += send(System.nanoTime());
                work += release(System.nanoTime());
                idle.idle(work);
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("cluster client error; reconnecting", ex);
                CloseHelper.quietClose(cluster);
                cluster = null;
            }
        }
        CloseHelper.quietClose(cluster);
        failAll();
    }

    private void connect(final EgressListener listener)
    {
        connected = false;
        leaderMemberId = -1;
        CloseHelper.quietClose(cluster);
        cluster = null;
        takeSubmitted();
        try
        {
            cluster = AeronCluster.connect(new AeronCluster.Context()
                .aeron(aeron)
                .ownsAeronClient(false)
                .egressListener(listener)
                .ingressChannel("aeron:udp?term-length=256k")
                .ingressEndpoints(ingressEndpoints)
                .egressChannel(egressChannel)
                .newLeaderTimeoutNs(newLeaderTimeoutNanos)
                .idleStrategy(ClusterNode.idle().get()));
        }
        catch (final RuntimeException ex)
        {
            LOG.debug("no cluster session yet: {}", ex.getMessage());
            try
            {
                Thread.sleep(RECONNECT_PAUSE_MILLIS);
            }
            catch (final InterruptedException interrupted)
            {
                Thread.currentThread().interrupt();
                running = false;
            }
            return;
        }
        leaderMemberId = cluster.leaderMemberId();
        connected = true;
        reconnects.incrementAndGet();
        resendAll = true;
        LOG.info("cluster session {} open with leader {}", cluster.clusterSessionId(), leaderMemberId);
    }

    private int takeSubmitted()
    {
        int taken = 0;
        final long now = System.nanoTime();
        Pending pending;
        while ((pending = submitted.poll()) != null)
        {
            pending.correlationId = nextCorrelationId++;
            pending.queuedAtNanos = now;
            pending.sent = false;
            inFlight.put(pending.correlationId, pending);
            taken++;
        }
        return taken;
    }

    private int send(final long now)
    {
        final boolean all = resendAll;
        resendAll = false;
        giveUp(now);
        int sent = 0;
        final Long2ObjectHashMap<Pending>.ValueIterator values = inFlight.values().iterator();
        while (values.hasNext())
        {
            final Pending pending = values.next();
            final boolean due = all || (pending.sent && now - pending.sentAtNanos > commandTimeoutNanos / 4);
            if (pending.sent && !due)
            {
                continue;
            }
            if (pending.sent)
            {
                if (isUnsafeToRepeat(pending.command))
                {
                    values.remove();
                    unknown(pending);
                    continue;
                }
                retries.incrementAndGet();
            }
            final long result = offer(pending);
            if (result == REFUSED)
            {
                values.remove();
                continue;
            }
            if (result > 0)
            {
                pending.sent = true;
                pending.sentAtNanos = now;
                lastSendNanos = now;
                sent++;
            }
            else
            {
                // Not sent now (back pressure or no leader): left unsent, so the next round tries it again.
                pending.sent = false;
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                {
                    CloseHelper.quietClose(cluster);
                    break;
                }
                if (result == Publication.NOT_CONNECTED)
                {
                    break;
                }
            }
        }
        if (now - lastSendNanos > KEEP_ALIVE_NANOS && cluster != null && !cluster.isClosed())
        {
            if (cluster.sendKeepAlive())
            {
                lastSendNanos = now;
            }
        }
        return sent;
    }

    /** Answers every command that has waited the whole command timeout (no leader for that long): 503. */
    private void giveUp(final long now)
    {
        final Long2ObjectHashMap<Pending>.ValueIterator values = inFlight.values().iterator();
        while (values.hasNext())
        {
            final Pending pending = values.next();
            if (now - pending.queuedAtNanos > commandTimeoutNanos)
            {
                values.remove();
                unknown(pending);
            }
        }
    }

    private static boolean isUnsafeToRepeat(final Command command)
    {
        return command.type().isMutation() && command.idempotencyKey() == null;
    }

    private long offer(final Pending pending)
    {
        final int recordLength;
        try
        {
            recordLength = codec.encodeCommand(pending.command);
        }
        catch (final CommandTooLargeException ex)
        {
            answerRejected(pending, RejectReason.COMMAND_TOO_LARGE);
            return REFUSED;
        }
        message.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.COMMAND, ORDER);
        message.putLong(ClusterMessages.CORRELATION_OFFSET, pending.correlationId, ORDER);
        message.putBytes(ClusterMessages.COMMAND_HEADER_LENGTH, codec.encodedBytes(), 0, recordLength);
        return cluster.offer(message, 0, ClusterMessages.COMMAND_HEADER_LENGTH + recordLength);
    }

    private void onEgress(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < ClusterMessages.OUTCOME_HEADER_LENGTH ||
            buffer.getInt(offset + ClusterMessages.TYPE_OFFSET, ORDER) != ClusterMessages.OUTCOME)
        {
            return;
        }
        final Pending pending = inFlight.remove(buffer.getLong(offset + ClusterMessages.CORRELATION_OFFSET, ORDER));
        if (pending == null)
        {
            // The answer to a copy sent again after the first was already answered.
            return;
        }
        final long sequence = buffer.getLong(offset + ClusterMessages.SEQUENCE_OFFSET, ORDER);
        final long timestamp = buffer.getLong(offset + ClusterMessages.TIMESTAMP_OFFSET, ORDER);
        if (pending.command.type().isMutation())
        {
            pending.command.stamp(sequence, timestamp);
        }
        OutcomeCodec.decode(buffer, offset + ClusterMessages.OUTCOME_HEADER_LENGTH, pending.outcome);
        pending.sentAtNanos = System.nanoTime();
        applying.addLast(pending);
    }

    /** Answers the outcomes this node has applied too, in order; past the timeout, answers 503 (outcome unknown). */
    private int release(final long now)
    {
        int released = 0;
        Pending head;
        while ((head = applying.peekFirst()) != null)
        {
            if (head.outcome.version() <= localSequence.getAsLong())
            {
                applying.pollFirst();
                answer(head);
            }
            else if (now - head.sentAtNanos > commandTimeoutNanos)
            {
                applying.pollFirst();
                unknown(head);
            }
            else
            {
                break;
            }
            released++;
        }
        return released;
    }

    private void unknown(final Pending pending)
    {
        answerRejected(pending, RejectReason.ENGINE_HALTED);
    }

    private void answerRejected(final Pending pending, final RejectReason reason)
    {
        pending.outcome.reset();
        pending.outcome.reject(reason, -1, 0);
        answer(pending);
    }

    private void answer(final Pending pending)
    {
        final OutcomeHandler handler = pending.handler;
        pending.handler = null;
        try
        {
            if (handler != null)
            {
                handler.onOutcome(pending.command, pending.outcome);
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.error("outcome handler failed at {}", pending.command, ex);
        }
        free.offer(pending);
    }

    private void failAll()
    {
        takeSubmitted();
        for (final Pending pending : applying)
        {
            answerRejected(pending, RejectReason.ENGINE_HALTED);
        }
        applying.clear();
        for (final Pending pending : inFlight.values())
        {
            answerRejected(pending, RejectReason.ENGINE_HALTED);
        }
        inFlight.clear();
    }

    /** Stops the client thread; commands still unanswered are answered {@link RejectReason#ENGINE_HALTED}. */
    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.quietClose(aeron);
    }
}
