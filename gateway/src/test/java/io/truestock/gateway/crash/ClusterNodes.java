package io.truestock.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.IoUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.fail;

/**
 * Three cluster nodes as three real server JVMs on loopback: free ports, one config file and data dir per node,
 * start, SIGKILL, SIGTERM, wipe. {@link #close} kills whatever still runs and removes the media drivers' files a
 * killed node left in {@code /dev/shm}.
 */
final class ClusterNodes implements AutoCloseable
{
    static final int SIZE = 3;
    static final long AWAIT_SECONDS = 90;
    private static final Pattern DIGEST = Pattern.compile("stopped at sequence (\\d+) with state digest ([0-9a-f]+)");

    private final Path dir;
    private final int[] httpPorts = new int[SIZE];
    private final int[] aeronBases = new int[SIZE];
    private final ServerProcess[] nodes = new ServerProcess[SIZE];
    private final String[] hosts;
    private final List<List<String>> launchers;

    ClusterNodes(final Path dir, final long snapshotEveryCommands)
    {
        this(dir, snapshotEveryCommands, new String[] {"127.0.0.1", "127.0.0.1", "127.0.0.1"},
            List.of(List.of(), List.of(), List.of()));
    }

    /**
     * @param hosts     each node's address (its HTTP edge and its Aeron ports listen there).
     * @param launchers what each node's java runs under (see {@link ServerProcess#startClusterNode}).
     */
    ClusterNodes(
        final Path dir, final long snapshotEveryCommands, final String[] hosts, final List<List<String>> launchers)
    {
        this.dir = dir;
        this.hosts = hosts.clone();
        this.launchers = List.copyOf(launchers);
        final Random random = new Random();
        for (int i = 0; i < SIZE; i++)
        {
            httpPorts[i] = freeTcpPort();
            aeronBases[i] = freeUdpRange(random);
        }
        for (int i = 0; i < SIZE; i++)
        {
            final StringBuilder yaml = new StringBuilder("host: ").append(hosts[i]).append("\ncluster:\n  node_id: ")
                .append(i)
                .append("\n  snapshot_every_commands: ").append(snapshotEveryCommands).append("\n  members:\n");
            for (int m = 0; m < SIZE; m++)
            {
                yaml.append("    - {id: ").append(m).append(", host: ").append(hosts[m]).append(", http_port: ")
                    .append(httpPorts[m])
                    .append(", binary_port: -1, aeron_port_base: ").append(aeronBases[m]).append("}\n");
            }
            try
            {
                Files.createDirectories(dataDir(i));
                Files.writeString(config(i), yaml.toString(), StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private static int freeTcpPort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** A base with ten free UDP ports above it (the member's Aeron ports). */
    private static int freeUdpRange(final Random random)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final int base = 30_000 + random.nextInt(2_500) * 10;
            boolean free = true;
            for (int p = 0; p < 10 && free; p++)
            {
                try (DatagramSocket socket = new DatagramSocket(base + p, InetAddress.getLoopbackAddress()))
                {
                    free = socket.isBound();
                }
                catch (final IOException ex)
                {
                    free = false;
                }
            }
            if (free)
            {
                return base;
            }
        }
        return fail("no free UDP port range found");
    }

    Path dataDir(final int node)
    {
        return dir.resolve("node-" + node);
    }

    private Path config(final int node)
    {
        return dir.resolve("node-" + node + ".yaml");
    }

    private Path log(final int node)
    {
        return dir.resolve("node-" + node + ".log");
    }

    /** Appends top-level YAML (connectors, say) to a node's config file; before the node starts. */
    void appendConfig(final int node, final String yaml)
    {
        try
        {
            Files.writeString(config(node), yaml, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    void startAll()
    {
        for (int i = 0; i < SIZE; i++)
        {
            start(i);
        }
        for (int i = 0; i < SIZE; i++)
        {
            nodes[i].awaitReady(hosts[i], AWAIT_SECONDS);
        }
    }

    /** Starts one node; does not wait. */
    void start(final int node)
    {
        nodes[node] = ServerProcess.startClusterNode(dataDir(node), config(node), log(node), launchers.get(node));
    }

    void awaitReady(final int node)
    {
        nodes[node].awaitReady(hosts[node], AWAIT_SECONDS);
    }

    void kill(final int node)
    {
        nodes[node].kill();
        nodes[node] = null;
    }

    /** SIGTERM, waits for the exit; returns the "sequence digest" the node logged as it stopped. */
    String terminate(final int node)
    {
        final ServerProcess process = nodes[node];
        nodes[node] = null;
        final int exitCode = process.terminateKeepingOutput();
        try
        {
            final Matcher matcher = DIGEST.matcher(Files.readString(log(node), StandardCharsets.UTF_8));
            String last = null;
            while (matcher.find())
            {
                last = matcher.group(1) + " " + matcher.group(2);
            }
            return last != null ? last : fail("node " + node + " logged no state digest (exit code " + exitCode +
                "):\n" + process.outputTail());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Whether a node's log (every run of it) holds {@code text}. */
    boolean logged(final int node, final String text)
    {
        try
        {
            return Files.exists(log(node)) && Files.readString(log(node), StandardCharsets.UTF_8).contains(text);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The lines of a node's log (every run of it) that contain {@code text}. */
    List<String> logLines(final int node, final String text)
    {
        try
        {
            return Files.exists(log(node)) ? Files.readAllLines(log(node), StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(text)).toList() : List.of();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Removes a (stopped) node's data dir, as a lost disk would. */
    void wipe(final int node) throws IOException
    {
        IoUtil.delete(dataDir(node).toFile(), false);
        Files.createDirectories(dataDir(node));
    }

    boolean running(final int node)
    {
        return nodes[node] != null;
    }

    HttpCalls http(final int node)
    {
        return new HttpCalls(hosts[node], httpPorts[node]);
    }

    /** GET /health of a node, or null when it does not answer. */
    JsonNode health(final int node)
    {
        try
        {
            final HttpCalls.Reply reply = http(node).send("GET", "/health", null, null, null);
            return reply.status() == 200 ? reply.json() : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** Waits until a running node reports itself leader; returns its id. */
    int awaitLeader()
    {
        return awaitNode(health -> "leader".equals(health.path("role").asText()), "a leader");
    }

    private int awaitNode(final Predicate<JsonNode> test, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        while (System.nanoTime() < deadline)
        {
            for (int i = 0; i < SIZE; i++)
            {
                if (running(i))
                {
                    final JsonNode health = health(i);
                    if (health != null && test.test(health))
                    {
                        return i;
                    }
                }
            }
            ServerProcess.pause(100);
        }
        return fail("no node became " + what + " within " + AWAIT_SECONDS + " s");
    }

    /** Waits until every running node has applied up to the same sequence, for a while, and returns it. */
    long awaitConverged()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        long stableSince = -1;
        long last = -1;
        while (System.nanoTime() < deadline)
        {
            final List<Long> sequences = new ArrayList<>();
            for (int i = 0; i < SIZE; i++)
            {
                if (running(i))
                {
                    final JsonNode health = health(i);
                    sequences.add(health == null ? -1 : health.path("sequence").asLong());
                }
            }
            final boolean same = sequences.stream().distinct().count() == 1 && sequences.get(0) >= 0;
            if (same && sequences.get(0) == last)
            {
                if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(1))
                {
                    return last;
                }
            }
            else
            {
                last = same ? sequences.get(0) : -1;
                stableSince = System.nanoTime();
            }
            ServerProcess.pause(100);
        }
        return fail("the running nodes did not converge within " + AWAIT_SECONDS + " s");
    }

    /** {@code GET /v1/audit/verify}'s last sequence and head hash on a node. */
    String auditHead(final int node)
    {
        final JsonNode verify = http(node).expect(200, "GET", "/v1/audit/verify", null);
        if (!verify.path("ok").asBoolean())
        {
            return fail("node " + node + "'s journal does not verify: " + verify);
        }
        return verify.path("last_sequence").asLong() + " " + verify.path("head").asText();
    }

    String outputTail(final int node)
    {
        return nodes[node] == null ? "(stopped)" : nodes[node].outputTail();
    }

    @Override
    public void close()
    {
        for (int i = 0; i < SIZE; i++)
        {
            if (nodes[i] != null)
            {
                nodes[i].close();
                nodes[i] = null;
            }
            final String tag = Integer.toHexString(dataDir(i).toAbsolutePath().normalize().toString().hashCode());
            final Path driverDir = Paths.get("/dev/shm", "truestock-" + i + "-" + tag);
            // Best effort: a start with the same data dir would wipe it anyway.
            IoUtil.delete(driverDir.toFile(), true);
        }
    }
}
