package io.truestock.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three cluster nodes in three JVMs on loopback; the leader is SIGKILLed while sixteen writers reserve and confirm
 * through all three nodes. A new leader is elected; every acknowledged reservation and order is on both survivors;
 * the stock shows each acknowledged request applied exactly once and nothing oversold; the killed node, restarted,
 * catches up to the same journal head and, once all three stop, the same state digest.
 */
class ClusterFailoverTest
{
    private static final List<String> SKUS = List.of("s0", "s1", "s2", "s3");
    private static final long UNITS = 25;
    private static final int WRITERS = 16;
    private static final int PAIRS_EACH = 8;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 400, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void leaderKilledUnderLoadLosesNothingAcknowledged() throws Exception
    {
        try (ClusterNodes nodes = new ClusterNodes(dir, 0))
        {
            nodes.startAll();
            final int leader = nodes.awaitLeader();
            ClusterWriters.defineCatalog(nodes.http((leader + 1) % ClusterNodes.SIZE), SKUS, UNITS);

            final ClusterWriters writers = new ClusterWriters(nodes, SKUS, "failover");
            writers.start(WRITERS, PAIRS_EACH);
            writers.awaitAcknowledged(60);
            final int beforeKill = writers.acknowledged();
            writers.mark();
            nodes.kill(leader);
            writers.awaitAcknowledged(beforeKill + 60);
            final int newLeader = nodes.awaitLeader();
            final long failoverMillis = writers.firstAckMillisAfterMark();
            writers.finish();
            System.out.printf("cluster failover: leader %d killed after %d acknowledgements; node %d leads; first " +
                "acknowledged write sent after the kill took %d ms; %d reservations, %d orders, %d out of stock, " +
                "%d requests sent again%n", leader, beforeKill, newLeader, failoverMillis, writers.reservations(),
                writers.confirmations(), writers.outOfStock(), writers.retried());
            assertThat(newLeader).isNotEqualTo(leader);
            assertThat(writers.acknowledged()).as("acknowledged after the kill").isGreaterThan(beforeKill);
            assertThat(writers.outOfStock()).as("the stock ran out: the oversell check had teeth").isPositive();

            nodes.awaitConverged();
            for (int node = 0; node < ClusterNodes.SIZE; node++)
            {
                if (nodes.running(node))
                {
                    assertHoldsExactly(nodes.http(node), writers, "node " + node);
                }
            }

            nodes.start(leader);
            nodes.awaitReady(leader);
            nodes.awaitConverged();
            assertHoldsExactly(nodes.http(leader), writers, "restarted node " + leader);
            final List<String> heads = new ArrayList<>();
            for (int node = 0; node < ClusterNodes.SIZE; node++)
            {
                heads.add(nodes.auditHead(node));
            }
            assertThat(heads).as("journal heads").containsOnly(heads.get(0));

            final List<String> digests = new ArrayList<>();
            for (int node = 0; node < ClusterNodes.SIZE; node++)
            {
                digests.add(nodes.terminate(node));
            }
            assertThat(digests).as("state digests of the stopped nodes").containsOnly(digests.get(0));
        }
    }

    /**
     * Every acknowledged order is there and confirmed; per SKU nothing is oversold; over all SKUs the units held and
     * committed are exactly the acknowledged reservations (one unit each), and the committed ones exactly the orders.
     */
    static void assertHoldsExactly(final HttpCalls http, final ClusterWriters writers, final String who)
    {
        for (final Map.Entry<String, String> order : writers.orders().entrySet())
        {
            final JsonNode body = http.expect(200, "GET", "/v1/orders/" + order.getKey() + "?channel=" +
                ClusterWriters.CHANNEL, null);
            assertThat(body.path("order_id").asText()).as(who).isEqualTo(order.getKey());
        }
        long reserved = 0;
        long committed = 0;
        for (final String sku : SKUS)
        {
            final JsonNode record = http.expect(200, "GET", "/v1/skus/" + sku, null).path("locations").get(0);
            assertThat(record.path("on_hand").asLong()).as("%s %s on hand", who, sku).isEqualTo(UNITS);
            assertThat(record.path("available").asLong()).as("%s %s available", who, sku).isGreaterThanOrEqualTo(0);
            assertThat(record.path("reserved").asLong() + record.path("committed").asLong())
                .as("%s %s held", who, sku).isLessThanOrEqualTo(UNITS);
            reserved += record.path("reserved").asLong();
            committed += record.path("committed").asLong();
        }
        assertThat(reserved + committed).as("%s: units held = acknowledged reservations", who)
            .isEqualTo(writers.reservations());
        assertThat(committed).as("%s: units committed = acknowledged orders", who).isEqualTo(writers.confirmations());
    }
}
