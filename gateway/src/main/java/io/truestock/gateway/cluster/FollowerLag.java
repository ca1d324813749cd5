package io.truestock.gateway.cluster;

import io.aeron.cluster.ClusterMember;
import io.aeron.cluster.ClusterMembership;
import io.aeron.cluster.ClusterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The log lag of each follower, as the leader knows it. Aeron 1.51 keeps each member's appended log position (from
 * its append-position messages) in the leader's consensus module and hands it out only through the cluster members
 * query of {@link ClusterTool#listMembers(ClusterMembership, File, long)}, which goes over the node's own media
 * driver (it opens a short-lived client). So every {@link #REFRESH_SECONDS} s, on a thread of its own and only
 * while this node leads, the query is made and the result kept; {@code /metrics} renders the last one. A follower's
 * lag is the leader's own position (the larger of its appended position and the commit position) minus the
 * follower's. A node that does not lead renders no per-follower lines.
 */
final class FollowerLag implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FollowerLag.class);
    static final long REFRESH_SECONDS = 2;
    private static final long QUERY_TIMEOUT_MILLIS = 1_000;

    private final File clusterDir;
    private final int self;
    private final LongSupplier commitPosition;
    private final BooleanSupplier leading;
    private final ScheduledExecutorService refresher;
    private volatile long[][] rows = new long[0][];

    FollowerLag(final File clusterDir, final int self, final LongSupplier commitPosition, final BooleanSupplier leading)
    {
        this.clusterDir = clusterDir;
        this.self = self;
        this.commitPosition = commitPosition;
        this.leading = leading;
        refresher = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "truestock-cluster-follower-lag");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    private void refresh()
    {
        if (!leading.getAsBoolean())
        {
            rows = new long[0][];
            return;
        }
        try
        {
            final ClusterMembership membership = new ClusterMembership();
            if (!ClusterTool.listMembers(membership, clusterDir, QUERY_TIMEOUT_MILLIS) ||
                membership.activeMembers == null || membership.leaderMemberId != self)
            {
                return;
            }
            final List<ClusterMember> members = membership.activeMembers;
            long own = commitPosition.getAsLong();
            for (final ClusterMember member : members)
            {
                if (member.id() == self)
                {
                    own = Math.max(own, member.logPosition());
                }
            }
            final long[][] next = new long[members.size() - 1][];
            int n = 0;
            for (final ClusterMember member : members)
            {
                if (member.id() != self && n < next.length)
                {
                    next[n++] = new long[] {member.id(), member.logPosition(), Math.max(0, own - member.logPosition())};
                }
            }
            rows = next;
        }
        catch (final RuntimeException ex)
        {
            LOG.debug("cluster members query failed: {}", ex.getMessage());
        }
    }

    /** Writes {@code truestock_cluster_follower_log_position} and {@code ..._log_lag_bytes} per follower. */
    void render(final StringBuilder out)
    {
        final long[][] current = rows;
        out.append("# HELP truestock_cluster_follower_log_position Log position each follower has appended, as the ")
            .append("leader knows it (only the leader reports it).\n")
            .append("# TYPE truestock_cluster_follower_log_position gauge\n");
        for (final long[] row : current)
        {
            out.append("truestock_cluster_follower_log_position{member=\"").append(row[0]).append("\"} ")
                .append(row[1]).append('\n');
        }
        out.append("# HELP truestock_cluster_follower_log_lag_bytes How far each follower's appended log is ")
            .append("behind the leader's, in bytes of log (only the leader reports it).\n")
            .append("# TYPE truestock_cluster_follower_log_lag_bytes gauge\n");
        for (final long[] row : current)
        {
            out.append("truestock_cluster_follower_log_lag_bytes{member=\"").append(row[0]).append("\"} ")
                .append(row[2]).append('\n');
        }
    }

    @Override
    public void close()
    {
        refresher.shutdownNow();
    }
}
