package io.truestock.gateway.crash;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three cluster nodes in three JVMs, snapshots every few commands: a follower killed and restarted catches up from
 * its snapshot and the log; the whole cluster stopped and started again comes back at the same sequence and state
 * digest; a node whose data dir was wiped rejoins and ends with the same journal head and digest as the others.
 */
class ClusterRecoveryTest
{
    private static final List<String> SKUS = List.of("s0", "s1", "s2", "s3");
    private static final long UNITS = 1_000;
    private static final int WRITERS = 4;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 500, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void followerRestartWholeClusterRestartAndWipedNode() throws Exception
    {
        try (ClusterNodes nodes = new ClusterNodes(dir, 20))
        {
            nodes.startAll();
            final int leader = nodes.awaitLeader();
            ClusterWriters.defineCatalog(nodes.http(leader), SKUS, UNITS);
            write(nodes, "first", 10);

            final int follower = (leader + 1) % ClusterNodes.SIZE;
            // The cluster takes its snapshots on its own schedule, after the commands that reach the bound, and a
            // snapshot counts only once the node's consensus module has recorded it (after the service wrote it): a
            // follower killed before that has none to start from, and a busy machine can delay it past the writes.
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (snapshotsCompleted(nodes, follower) < 1 && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            assertThat(snapshotsCompleted(nodes, follower))
                .as("snapshots the follower completed before it was killed").isPositive();
            nodes.kill(follower);
            write(nodes, "while-down", 5);
            nodes.start(follower);
            nodes.awaitReady(follower);
            nodes.awaitConverged();
            assertSameHeads(nodes);
            assertThat(nodes.logged(follower, "restored its engine from a snapshot"))
                .as("the restarted follower started from its snapshot").isTrue();

            final List<String> stopped = terminateAll(nodes);
            nodes.startAll();
            final long restarted = nodes.awaitConverged();
            assertThat(restarted).as("sequence after the whole cluster restarted")
                .isEqualTo(Long.parseLong(stopped.get(0).split(" ")[0]));
            assertSameHeads(nodes);
            write(nodes, "after-restart", 5);

            final int wiped = (nodes.awaitLeader() + 2) % ClusterNodes.SIZE;
            nodes.kill(wiped);
            nodes.wipe(wiped);
            nodes.start(wiped);
            nodes.awaitReady(wiped);
            nodes.awaitConverged();
            assertSameHeads(nodes);
            assertThat(terminateAll(nodes)).as("state digests after a wiped node rejoined").hasSize(1);
        }
    }

    private static void write(final ClusterNodes nodes, final String run, final int pairsEach) throws Exception
    {
        final ClusterWriters writers = new ClusterWriters(nodes, SKUS, run);
        writers.start(WRITERS, pairsEach);
        writers.finish();
        assertThat(writers.confirmations()).as(run + " orders").isEqualTo(WRITERS * pairsEach);
    }

    private static void assertSameHeads(final ClusterNodes nodes)
    {
        final List<String> heads = new ArrayList<>();
        for (int node = 0; node < ClusterNodes.SIZE; node++)
        {
            heads.add(nodes.auditHead(node));
        }
        assertThat(heads).as("journal heads").containsOnly(heads.get(0));
    }

    /** SIGTERM to every node; returns the distinct "sequence digest" lines they logged (one when they agree). */
    private static List<String> terminateAll(final ClusterNodes nodes)
    {
        final List<String> digests = new ArrayList<>();
        for (int node = 0; node < ClusterNodes.SIZE; node++)
        {
            final String digest = nodes.terminate(node);
            if (!digests.contains(digest))
            {
                digests.add(digest);
            }
        }
        assertThat(digests).as("state digests of the stopped nodes").hasSize(1);
        return digests;
    }

    /** The follower's {@code truestock_cluster_snapshots_total}: snapshots its consensus module completed. */
    private static long snapshotsCompleted(final ClusterNodes nodes, final int node)
    {
        final java.util.regex.Matcher count =
            java.util.regex.Pattern.compile("\ntruestock_cluster_snapshots_total (\\d+)\n")
                .matcher(nodes.http(node).admin("GET", "/metrics", null).body());
        return count.find() ? Long.parseLong(count.group(1)) : 0;
    }
}
