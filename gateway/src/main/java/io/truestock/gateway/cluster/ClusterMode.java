package io.truestock.gateway.cluster;

import io.aeron.cluster.service.Cluster;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.Sequencer;
import io.truestock.gateway.http.ApiException;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.audit.AuditLog;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * A server's persistence and sequencing in cluster mode, in place of the ring and its journal: this process's
 * {@link ClusterNode}, the {@link EngineService} it hosts, the {@link ClusterClient} its edges write through, and
 * what every node writes after commit (the audit trail and the hash-chained journal under the data dir).
 * {@link #start} returns once the service has built its engine (from the newest snapshot, if any); the log replays
 * after that, on the service's thread, while the rest of the server is assembled.
 */
public final class ClusterMode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMode.class);
    private static final long START_TIMEOUT_SECONDS = 120;
    /** The most commands a node's gateway has in flight in the cluster. */
    public static final int IN_FLIGHT = 4096;
    /** How long {@link #takeSnapshot} waits for the cluster to complete a snapshot. */
    public static final long SNAPSHOT_WAIT_MILLIS = 30_000;
    private static final long SNAPSHOT_POLL_MILLIS = 20;

    private final ClusterConfig config;
    private final AuditLog audit;
    private final CommittedJournal journal;
    private final EngineService service;
    private final ClusterNode node;
    private final Engine engine;
    private final ClusterClient client;
    private final ScheduledExecutorService tasks;
    private final FollowerLag followerLag;
    private long lastSnapshotSequence;
    private volatile LeaderDuties duties;
    /** The duties' state, on the tasks thread: whether they run, and in which leadership term. */
    private boolean dutiesLeading;
    private long dutiesTerm = -1;

    /** What only the leader does (connectors and order pollers), told of each change of leadership. */
    public interface LeaderDuties
    {
        /** This node leads from leadership term {@code term} on. */
        void lead(long term);

        /** This node no longer leads. */
        void follow();
    }

    private ClusterMode(
        final ClusterConfig config, final Path dataDir, final EngineConfig engineConfig, final int retainedCycles)
        throws InterruptedException
    {
        this.config = config;
        audit = new AuditLog(dataDir.resolve("audit"));
        journal = new CommittedJournal(dataDir.resolve("journal"), retainedCycles);
        final int maxRecordBytes = JournalConfig.DEFAULT_MAX_RECORD_BYTES;
        service = new EngineService(engineConfig, maxRecordBytes, audit::attach, audit, journal);
        tasks = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "truestock-cluster-tasks");
            thread.setDaemon(true);
            return thread;
        });
        service.roleChanged(this::onRoleChange);
        ClusterNode launched = null;
        try
        {
            launched = ClusterNode.launch(config, dataDir, service);
            engine = service.started().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final ExecutionException | TimeoutException | RuntimeException ex)
        {
            CloseHelper.quietClose(launched);
            tasks.shutdownNow();
            audit.close();
            journal.close();
            throw new IllegalStateException("cluster node " + config.nodeId() + " did not start: " + ex.getMessage(), ex);
        }
        node = launched;
        lastSnapshotSequence = engine.lastSequence();
        client = new ClusterClient(node.aeronDir(), config, IN_FLIGHT, engineConfig.maxLinesPerCommand(),
            maxRecordBytes, service::appliedSequence);
        followerLag = new FollowerLag(node.clusterDir(), config.nodeId(), node::commitPosition,
            () -> service.role() == Cluster.Role.LEADER);
        if (config.snapshotEveryCommands() > 0)
        {
            tasks.scheduleWithFixedDelay(this::snapshotOnSchedule, 1, 1, TimeUnit.SECONDS);
        }
        // A role change schedules a check at once; this catches one whose notice raced the duties' registration.
        tasks.scheduleWithFixedDelay(this::checkRole, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Sets what only the leader does. From now on the duties are told {@code lead} when this node becomes leader
     * (and again in each new term it leads) and {@code follow} when it stops, in that order, on one thread.
     */
    public void leaderDuties(final LeaderDuties value)
    {
        duties = value;
        tasks.execute(this::checkRole);
    }

    /** On the service thread: hands the check to the tasks thread, never waits. */
    private void onRoleChange()
    {
        try
        {
            tasks.execute(this::checkRole);
        }
        catch (final java.util.concurrent.RejectedExecutionException ex)
        {
            // Closing: the duties were stopped already.
        }
    }

    private void checkRole()
    {
        final LeaderDuties current = duties;
        if (current == null)
        {
            return;
        }
        final boolean leading = service.role() == Cluster.Role.LEADER;
        final long term = node.leadershipTermId();
        try
        {
            if (leading && (!dutiesLeading || term != dutiesTerm))
            {
                dutiesLeading = true;
                dutiesTerm = term;
                LOG.info("cluster node {} leads term {}: connectors and order pollers start", config.nodeId(), term);
                current.lead(term);
            }
            else if (!leading && dutiesLeading)
            {
                dutiesLeading = false;
                LOG.info("cluster node {} no longer leads: connectors and order pollers stop", config.nodeId());
                current.follow();
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.error("leader duties failed on a role change", ex);
        }
    }



    /** Starts this node and waits until its engine exists. */
    public static ClusterMode start(
        final ClusterConfig config, final Path dataDir, final EngineConfig engineConfig, final int retainedCycles)
        throws InterruptedException
    {
        return new ClusterMode(config, dataDir, engineConfig, retainedCycles);
    }

    private void snapshotOnSchedule()
    {
        final long sequence = engine.lastSequence();
        if (service.role() == Cluster.Role.LEADER && sequence - lastSnapshotSequence >= config.snapshotEveryCommands())
        {
            if (node.requestSnapshot())
            {
                lastSnapshotSequence = sequence;
                LOG.info("asked the cluster for a snapshot at sequence {}", sequence);
            }
        }
    }

    /**
     * Asks the cluster for a snapshot now: every node takes one at the same log position.
     *
     * @return false when this node is not the leader (only a leader's request counts) or one is under way.
     */
    public boolean requestSnapshot()
    {
        return service.role() == Cluster.Role.LEADER && node.requestSnapshot();
    }

    /**
     * {@link #requestSnapshot} for {@code POST /v1/admin/snapshot}: completes once the leader's consensus module
     * has counted the snapshot done, with the engine sequence it holds.
     *
     * @return fails with 409 {@code not_leader} on a follower (the problem names the leader), 409
     *         {@code snapshot_in_progress} while one is under way, 503 {@code snapshot_timeout} when none completes
     *         within {@link #SNAPSHOT_WAIT_MILLIS}.
     */
    public CompletableFuture<Long> takeSnapshot()
    {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        if (service.role() != Cluster.Role.LEADER)
        {
            done.completeExceptionally(new ApiException(HttpResponseStatus.CONFLICT, "not_leader",
                "only the leader takes cluster snapshots; this node is " + role() + ", the leader is node " + leader(),
                null));
            return done;
        }
        final long before = node.snapshotCount();
        if (!node.requestSnapshot())
        {
            done.completeExceptionally(new ApiException(HttpResponseStatus.CONFLICT, "snapshot_in_progress",
                "a snapshot or another cluster action is under way; retry later", null));
            return done;
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_WAIT_MILLIS);
        awaitSnapshot(done, before, deadline);
        return done;
    }

    private void awaitSnapshot(final CompletableFuture<Long> done, final long before, final long deadline)
    {
        if (node.snapshotCount() > before)
        {
            lastSnapshotSequence = service.snapshotSequence();
            done.complete(service.snapshotSequence());
        }
        else if (System.nanoTime() - deadline > 0)
        {
            done.completeExceptionally(new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "snapshot_timeout",
                "the cluster did not complete the snapshot within " + SNAPSHOT_WAIT_MILLIS + " ms", null));
        }
        else
        {
            tasks.schedule(() -> awaitSnapshot(done, before, deadline), SNAPSHOT_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    public Engine engine()
    {
        return engine;
    }

    /** Where the edges send commands. */
    public Sequencer sequencer()
    {
        return client;
    }

    public AuditLog audit()
    {
        return audit;
    }

    /** The hash-chained journal of committed commands ({@code /v1/audit/verify} walks it). */
    public Path journalDir()
    {
        return journal.dir();
    }

    /** Adds the server's listeners after the audit trail and the journal, for every command applied from now on. */
    public void listeners(final EngineListener... listeners)
    {
        final EngineListener[] all = new EngineListener[listeners.length + 2];
        all[0] = audit;
        all[1] = journal;
        System.arraycopy(listeners, 0, all, 2, listeners.length);
        service.listeners(all);
    }

    /** Commands this node's gateway waits on. */
    public long inFlight()
    {
        return client.inFlight();
    }

    /** {@code leader}, {@code follower} or {@code candidate}. */
    public String role()
    {
        return service.role().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The leader's member id as this node's client knows it, -1 while none is known. */
    public int leader()
    {
        return service.role() == Cluster.Role.LEADER ? config.nodeId() : client.leaderMemberId();
    }

    public int nodeId()
    {
        return config.nodeId();
    }

    /** Writes this node's cluster gauges in the Prometheus text format. */
    public void renderMetrics(final StringBuilder out)
    {
        gauge(out, "truestock_cluster_node_id", "This node's member id.", config::nodeId);
        gauge(out, "truestock_cluster_is_leader", "1 while this node leads the cluster.",
            () -> service.role() == Cluster.Role.LEADER ? 1 : 0);
        gauge(out, "truestock_cluster_leader", "The leader's member id as this node knows it (-1: none).",
            this::leader);
        gauge(out, "truestock_cluster_elections_total", "Elections this node has taken part in since it started.",
            node::electionCount);
        gauge(out, "truestock_cluster_commit_position", "Log position a majority holds, as this node knows it.",
            node::commitPosition);
        gauge(out, "truestock_cluster_applied_position", "Log position this node's engine has applied.",
            service::logPosition);
        gauge(out, "truestock_cluster_leadership_term", "The current leadership term.", node::leadershipTermId);
        gauge(out, "truestock_cluster_snapshots_total", "Cluster snapshots this node's consensus module completed.",
            node::snapshotCount);
        followerLag.render(out);
        gauge(out, "truestock_cluster_client_retries_total",
            "Commands this gateway sent again after a leader change, a lost session or a timeout.", client::retries);
        gauge(out, "truestock_cluster_client_in_flight", "Commands this gateway waits on.", client::inFlight);
        gauge(out, "truestock_cluster_egress_dropped_total",
            "Outcomes the leader could not send to a client (the client's retry gets them).", service::egressDropped);
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final LongSupplier value)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" gauge\n")
            .append(name).append(' ').append(value.getAsLong()).append('\n');
    }

    /** Stops the client (unanswered commands are answered 503), the node, then the files it wrote. */
    @Override
    public void close()
    {
        tasks.shutdownNow();
        followerLag.close();
        CloseHelper.quietClose(client);
        CloseHelper.quietClose(node);
        journal.close();
        audit.close();
        // The service has stopped, so this is a quiet state: nodes that applied the same log print the same digest.
        LOG.info("cluster node {} stopped at sequence {} with state digest {}", config.nodeId(), engine.lastSequence(),
            java.util.HexFormat.of().formatHex(engine.digest()));
    }
}
