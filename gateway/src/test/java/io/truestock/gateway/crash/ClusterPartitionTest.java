package io.truestock.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A minority partition, not a stop: node 2 runs in a network namespace of its own (a veth pair to this one), and
 * the test drops every UDP packet between it and the rest with iptables (on arrival, in both namespaces), while all three keep running and the
 * test still reaches every node's HTTP edge. The majority keeps accepting writes; the isolated node answers a write
 * 503 and a read with its (older) version; when the rules are removed it catches up to the same journal head and
 * state digest. Needs root, {@code ip} and {@code iptables} ({@code .ci/run} installs iptables); skipped otherwise.
 */
class ClusterPartitionTest
{
    private static final List<String> SKUS = List.of("s0", "s1");
    private static final long UNITS = 1_000;
    private static final int ISOLATED = 2;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 400, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void isolatedNodeRefusesWritesServesReadsAndCatchesUpWhenHealed() throws Exception
    {
        assumeTrue(run("id", "-u").strip().equals("0"), "the partition test needs root (network namespaces)");
        assumeTrue(succeeds("iptables", "-L", "-n"), "the partition test needs iptables (.ci/run installs it)");
        final int net = ThreadLocalRandom.current().nextInt(10, 250);
        final String namespace = "ts-part-" + net;
        final String outer = "10.213." + net + ".1";
        final String inner = "10.213." + net + ".2";
        // Dropped where they arrive, on each side: a drop on the way out fails the sender's send (EPERM), which a
        // real partition does not do.
        final List<String[]> rules = List.of(
            new String[] {"INPUT", "-s", inner, "-p", "udp", "-j", "DROP"},
            new String[] {"ip", "netns", "exec", namespace, "INPUT", "-s", outer, "-p", "udp", "-j", "DROP"});
        boolean partitioned = false;
        try
        {
            assumeTrue(succeeds("ip", "netns", "add", namespace), "cannot create a network namespace");
            sh("ip", "link", "add", namespace + "-o", "type", "veth", "peer", "name", namespace + "-i");
            sh("ip", "link", "set", namespace + "-i", "netns", namespace);
            sh("ip", "addr", "add", outer + "/24", "dev", namespace + "-o");
            sh("ip", "link", "set", namespace + "-o", "up");
            sh("ip", "netns", "exec", namespace, "ip", "addr", "add", inner + "/24", "dev", namespace + "-i");
            sh("ip", "netns", "exec", namespace, "ip", "link", "set", namespace + "-i", "up");
            sh("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");

            try (ClusterNodes nodes = new ClusterNodes(dir, 0, new String[] {outer, outer, inner},
                List.of(List.of(), List.of(), List.of("ip", "netns", "exec", namespace))))
            {
                nodes.startAll();
                final int leader = nodes.awaitLeader();
                ClusterWriters.defineCatalog(nodes.http(leader), SKUS, UNITS);
                nodes.awaitConverged();
                final JsonNode before = nodes.http(ISOLATED).expect(200, "GET", "/v1/skus/s0", null);

                for (final String[] rule : rules)
                {
                    sh(iptables("-I", rule));
                }
                partitioned = true;
                final ClusterWriters majority = new ClusterWriters(nodes, SKUS, "majority", new int[] {0, 1});
                majority.start(4, 5);
                try
                {
                    majority.finish();
                }
                catch (final AssertionError ex)
                {
                    for (int node = 0; node < ClusterNodes.SIZE; node++)
                    {
                        System.out.println("node " + node + " (leader before: " + leader + "): " + nodes.health(node) +
                            "\n" + nodes.outputTail(node));
                    }
                    throw ex;
                }
                assertThat(majority.confirmations()).as("orders through the majority").isEqualTo(20);

                final HttpCalls.Reply refused = nodes.http(ISOLATED).send("POST", "/v1/stock/receive",
                    "{\"sku\":\"s0\",\"location\":\"" + ClusterWriters.LOCATION + "\",\"qty\":1}", "isolated-1",
                    ServerProcess.ADMIN_TOKEN);
                assertThat(refused.status()).as("a write through the isolated node: %s", refused.body())
                    .isEqualTo(503);
                final JsonNode stale = nodes.http(ISOLATED).expect(200, "GET", "/v1/skus/s0", null);
                assertThat(stale.path("version").asLong()).as("the isolated node's read, with its version")
                    .isEqualTo(before.path("version").asLong());
                final JsonNode current = nodes.http((ISOLATED + 1) % 3).expect(200, "GET", "/v1/skus/s0", null);
                assertThat(current.path("version").asLong()).isGreaterThan(stale.path("version").asLong());

                for (final String[] rule : rules)
                {
                    sh(iptables("-D", rule));
                }
                partitioned = false;
                nodes.awaitConverged();
                final List<String> heads = new ArrayList<>();
                final List<String> digests = new ArrayList<>();
                for (int node = 0; node < ClusterNodes.SIZE; node++)
                {
                    heads.add(nodes.auditHead(node));
                }
                for (int node = 0; node < ClusterNodes.SIZE; node++)
                {
                    digests.add(nodes.terminate(node));
                }
                assertThat(heads).as("journal heads after the partition healed").containsOnly(heads.get(0));
                assertThat(digests).as("state digests after the partition healed").containsOnly(digests.get(0));
            }
        }
        finally
        {
            if (partitioned)
            {
                for (final String[] rule : rules)
                {
                    succeeds(iptables("-D", rule));
                }
            }
            succeeds("ip", "link", "del", namespace + "-o");
            succeeds("ip", "netns", "del", namespace);
        }
    }

    /** {@code iptables ACTION RULE}, run in the namespace a rule starting {@code ip netns exec NS} names. */
    private static String[] iptables(final String action, final String[] rule)
    {
        final int prefix = rule[0].equals("ip") ? 4 : 0;
        final List<String> command = new ArrayList<>(List.of(rule).subList(0, prefix));
        command.add("iptables");
        command.add(action);
        command.addAll(List.of(rule).subList(prefix, rule.length));
        return command.toArray(new String[0]);
    }

    private static void sh(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }

    private static boolean succeeds(final String... command)
    {
        try
        {
            sh(command);
            return true;
        }
        catch (final IOException | InterruptedException | AssertionError ex)
        {
            return false;
        }
    }

    private static String run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
