package io.truestock.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.sync.FakeWebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What only the leader does, in three JVMs with one webhook channel configured on every node (each node posts to
 * its own sender URL, so the fake tells them apart): only the leader sends; {@code /metrics} on the leader reports
 * each follower's log lag; a snapshot asked of the leader with {@code POST /v1/admin/snapshot} (a follower answers
 * 409) is the one a restarted follower starts from; after the leader is killed, the new leader sends the changes
 * made since and the channel ends holding the engine's values, with no older value applied over a newer one.
 */
class ClusterLeaderDutiesTest
{
    private static final List<String> SKUS = List.of("s0", "s1", "s2", "s3");
    private static final long UNITS = 100;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 500, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void onlyTheLeaderSendsAndTheNextLeaderTakesOver() throws Exception
    {
        try (FakeWebhookReceiver channel = new FakeWebhookReceiver(17);
             ClusterNodes nodes = new ClusterNodes(dir, 0))
        {
            final Path secret = dir.resolve("webhook.secret");
            Files.writeString(secret, FakeWebhookReceiver.SECRET, StandardCharsets.UTF_8);
            for (int node = 0; node < ClusterNodes.SIZE; node++)
            {
                nodes.appendConfig(node, "connectors:\n  " + ClusterWriters.CHANNEL + ":\n    type: webhook\n" +
                    "    url: " + channel.url(sender(node)) + "\n    secret_file: " + secret.toAbsolutePath() + "\n");
            }
            nodes.startAll();
            final int leader = nodes.awaitLeader();
            final int follower = (leader + 1) % ClusterNodes.SIZE;
            final int other = (leader + 2) % ClusterNodes.SIZE;
            ClusterWriters.defineCatalog(nodes.http(follower), SKUS, UNITS);
            awaitChannelHolds(channel, nodes, leader);
            assertThat(channel.requestsFrom(sender(leader))).as("requests from the leader").isPositive();
            assertThat(channel.requestsFrom(sender(follower)) + channel.requestsFrom(sender(other)))
                .as("requests from the followers").isZero();

            await("the leader's follower lag lines", () ->
            {
                final String metrics = nodes.http(leader).admin("GET", "/metrics", null).body();
                return metrics.contains("truestock_cluster_follower_log_lag_bytes{member=\"" + follower + "\"}") &&
                    metrics.contains("truestock_cluster_follower_log_lag_bytes{member=\"" + other + "\"}");
            });
            assertThat(nodes.http(follower).admin("GET", "/metrics", null).body())
                .as("a follower reports no follower lag").doesNotContain("truestock_cluster_follower_log_lag_bytes{");

            final HttpCalls.Reply refused = nodes.http(follower).admin("POST", "/v1/admin/snapshot", null);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().path("code").asText()).isEqualTo("not_leader");
            final JsonNode taken = nodes.http(leader).expect(200, "POST", "/v1/admin/snapshot", null);
            assertThat(taken.path("mode").asText()).isEqualTo("cluster");
            final long snapshotAt = taken.path("sequence").asLong();
            assertThat(snapshotAt).isPositive();
            // The leader counts its own snapshot; each follower takes one when it reaches the same log position.
            await("the follower's snapshot", () -> nodes.http(follower).admin("GET", "/metrics", null).body()
                .contains("\ntruestock_cluster_snapshots_total 1\n"));
            nodes.kill(follower);
            nodes.start(follower);
            nodes.awaitReady(follower);
            assertThat(nodes.logLines(follower, "restored its engine from a snapshot"))
                .as("the restarted follower started from the snapshot taken on request (%s; its snapshots: %s)",
                    taken, nodes.logLines(follower, "cluster snapshot at sequence"))
                .anyMatch(line -> line.endsWith("from a snapshot at sequence " + snapshotAt));

            final Map<String, Long> beforeFailover = channel.quantities();
            nodes.kill(leader);
            final int next = nodes.awaitLeader();
            assertThat(next).isNotEqualTo(leader);
            final int third = next == follower ? other : follower;
            for (final String sku : SKUS)
            {
                // Keyed and repeated on 503: right after a failover the gateway may not know the outcome yet.
                final String body = "{\"sku\":\"" + sku + "\",\"location\":\"" + ClusterWriters.LOCATION +
                    "\",\"qty\":5}";
                await("receiving " + sku + " after the failover", () ->
                {
                    try
                    {
                        return nodes.http(third).send("POST", "/v1/stock/receive", body, "after-" + sku,
                            ServerProcess.ADMIN_TOKEN).status() == 200;
                    }
                    catch (final java.io.IOException ex)
                    {
                        return false;
                    }
                });
            }
            final Map<String, Long> finalValues = awaitChannelHolds(channel, nodes, next);
            for (final String sku : SKUS)
            {
                assertThat(finalValues.get(sku)).as("%s changed after the failover", sku)
                    .isEqualTo(beforeFailover.get(sku) + 5);
            }
            assertThat(channel.requestsFrom(sender(next))).as("requests from the new leader").isPositive();
            assertThat(channel.requestsFrom(sender(third))).as("requests from the node that never led").isZero();
            assertThat(channel.regressions()).as("older values applied over newer ones").isZero();
        }
    }

    private static String sender(final int node)
    {
        return "node-" + node;
    }

    /** Waits until the channel holds, for every SKU, what the node's engine makes available on it; returns that. */
    private static Map<String, Long> awaitChannelHolds(
        final FakeWebhookReceiver channel, final ClusterNodes nodes, final int node)
    {
        final Map<String, Long> engine = new TreeMap<>();
        await("the channel to hold the engine's values", () ->
        {
            engine.clear();
            for (final String sku : SKUS)
            {
                for (final JsonNode row : nodes.http(node).expect(200, "GET", "/v1/skus/" + sku, null).path("channels"))
                {
                    if (row.path("channel").asText().equals(ClusterWriters.CHANNEL))
                    {
                        engine.put(sku, row.path("available").asLong());
                    }
                }
            }
            return engine.size() == SKUS.size() && channel.quantities().equals(engine);
        });
        return engine;
    }

    private static void await(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ClusterNodes.AWAIT_SECONDS);
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return;
            }
            ServerProcess.pause(200);
        }
        fail("timed out waiting for " + what);
    }
}
