package io.truestock.gateway.crash;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster's measurements, not part of {@code mvn verify} (tag {@code cluster-bench}; run by
 * {@code benchmarks/run-cluster.sh}): the failover time over ten leader kills, and reservations per second with
 * their latency, in cluster mode and on a single node, same writers, same run. Prints the numbers; asserts only that
 * the runs did what they claim.
 */
@Tag("cluster-bench")
class ClusterBenchmarkTest
{
    private static final List<String> SKUS = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");
    private static final long UNITS = 1_000_000;
    private static final int KILLS = Integer.getInteger("truestock.cluster.kills", 10);
    private static final int WRITERS = 16;
    private static final long THROUGHPUT_SECONDS = Long.getLong("truestock.cluster.seconds", 30);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 1800, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void failoverTimeOverTenLeaderKills() throws Exception
    {
        try (ClusterNodes nodes = new ClusterNodes(dir, 100_000))
        {
            nodes.startAll();
            ClusterWriters.defineCatalog(nodes.http(nodes.awaitLeader()), SKUS, UNITS);
            final ClusterWriters writers = new ClusterWriters(nodes, SKUS, "bench-failover");
            writers.start(4, Integer.MAX_VALUE);
            final List<Long> failovers = new ArrayList<>();
            for (int kill = 0; kill < KILLS; kill++)
            {
                final int leader = nodes.awaitLeader();
                writers.awaitAcknowledged(writers.acknowledged() + 20);
                writers.mark();
                nodes.kill(leader);
                while (writers.firstAckMillisAfterMark() < 0)
                {
                    ServerProcess.pause(10);
                }
                failovers.add(writers.firstAckMillisAfterMark());
                System.out.printf("kill %d: leader %d; first acknowledged write sent after the kill: %d ms%n",
                    kill + 1, leader, failovers.get(failovers.size() - 1));
                nodes.start(leader);
                nodes.awaitReady(leader);
            }
            writers.stop();
            Collections.sort(failovers);
            System.out.printf("failover over %d kills: p50 %d ms, max %d ms (all: %s)%n", KILLS,
                failovers.get((failovers.size() - 1) / 2), failovers.get(failovers.size() - 1), failovers);
            assertThat(failovers).hasSize(KILLS);
        }
    }

    @Test
    @Timeout(value = 900, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void reservationsPerSecondClusterAgainstSingleNode() throws Exception
    {
        final String cluster;
        try (ClusterNodes nodes = new ClusterNodes(dir.resolve("cluster"), 100_000))
        {
            nodes.startAll();
            ClusterWriters.defineCatalog(nodes.http(nodes.awaitLeader()), SKUS, UNITS);
            cluster = measure(new ClusterWriters(nodes, SKUS, "bench-cluster"), "cluster (3 nodes)");
        }
        final String single;
        final Path singleDir = Files.createDirectories(dir.resolve("single"));
        final Path config = Files.writeString(singleDir.resolve("server.yaml"), "io_threads: 2\n",
            StandardCharsets.UTF_8);
        try (ServerProcess server = ServerProcess.startServer(singleDir.resolve("data"), config,
            singleDir.resolve("server.log")))
        {
            final int port = server.awaitReady();
            final HttpCalls http = new HttpCalls(port);
            ClusterWriters.defineCatalog(http, SKUS, UNITS);
            single = measure(new ClusterWriters(node -> http, SKUS, "bench-single", new int[] {0}),
                "single node");
        }
        System.out.println(cluster);
        System.out.println(single);
    }

    private static String measure(final ClusterWriters writers, final String what) throws InterruptedException
    {
        writers.start(WRITERS, Integer.MAX_VALUE);
        writers.awaitAcknowledged(200);
        final int startReservations = writers.reservations();
        final long start = System.nanoTime();
        ServerProcess.pause(THROUGHPUT_SECONDS * 1000);
        final int reservations = writers.reservations() - startReservations;
        final double seconds = (System.nanoTime() - start) / 1e9;
        writers.stop();
        final Histogram micros = writers.reserveMicros();
        assertThat(reservations).as(what + " reservations").isPositive();
        return String.format("%s: %d writers (reserve then confirm, one HTTP request at a time each), %.0f " +
            "reservations/s (%.0f requests/s), reservation latency p50 %.2f ms, p99 %.2f ms, max %.2f ms", what,
            WRITERS, reservations / seconds, 2 * reservations / seconds, micros.getValueAtPercentile(50) / 1000.0,
            micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0);
    }
}
