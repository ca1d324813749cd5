package io.truestock.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code cluster:} section of the config file: this node's id, every member's addresses, and the few timings
 * worth changing. A member's Aeron ports are {@code aeron_port_base} + {@link #INGRESS_PORT} ...
 * {@link #LOG_CONTROL_PORT}.
 */
public final class ClusterConfig
{
    /** Offsets from a member's {@code aeron_port_base}. */
    public static final int INGRESS_PORT = 0;
    public static final int CONSENSUS_PORT = 1;
    public static final int LOG_PORT = 2;
    public static final int CATCHUP_PORT = 3;
    public static final int ARCHIVE_CONTROL_PORT = 4;
    public static final int LOG_CONTROL_PORT = 5;
    /** Ports a member reserves from its base. */
    public static final int PORTS_PER_MEMBER = 10;

    /** Leader heartbeat timeout on a 2-core machine: long enough that a busy box does not start elections. */
    public static final long DEFAULT_LEADER_HEARTBEAT_TIMEOUT_MILLIS = 3_000;
    public static final long DEFAULT_ELECTION_TIMEOUT_MILLIS = 1_000;
    public static final long DEFAULT_SNAPSHOT_EVERY_COMMANDS = 100_000;
    public static final long DEFAULT_COMMAND_TIMEOUT_MILLIS = 10_000;

    private static final Set<String> KEYS = Set.of("node_id", "members", "leader_heartbeat_timeout_millis",
        "election_timeout_millis", "snapshot_every_commands", "command_timeout_millis");
    private static final Set<String> MEMBER_KEYS = Set.of("id", "host", "http_port", "binary_port", "aeron_port_base");
    private static final int MAX_MEMBERS = 7;

    /** One member of the cluster, as every node's config lists it. */
    public record Member(int id, String host, int httpPort, int binaryPort, int aeronPortBase)
    {
        public String endpoint(final int offset)
        {
            return host + ':' + (aeronPortBase + offset);
        }
    }

    private final int nodeId;
    private final List<Member> members;
    private final long leaderHeartbeatTimeoutMillis;
    private final long electionTimeoutMillis;
    private final long snapshotEveryCommands;
    private final long commandTimeoutMillis;

    public ClusterConfig(
        final int nodeId, final List<Member> members, final long leaderHeartbeatTimeoutMillis,
        final long electionTimeoutMillis, final long snapshotEveryCommands, final long commandTimeoutMillis)
    {
        this.nodeId = nodeId;
        this.members = List.copyOf(members);
        this.leaderHeartbeatTimeoutMillis = leaderHeartbeatTimeoutMillis;
        this.electionTimeoutMillis = electionTimeoutMillis;
        this.snapshotEveryCommands = snapshotEveryCommands;
        this.commandTimeoutMillis = commandTimeoutMillis;
        if (members.size() < 1 || members.size() > MAX_MEMBERS)
        {
            throw new IllegalArgumentException("cluster.members must list 1 to " + MAX_MEMBERS + " members");
        }
        for (int i = 0; i < members.size(); i++)
        {
            if (members.get(i).id() != i)
            {
                throw new IllegalArgumentException("cluster.members must be listed by id, 0 first: member " + i +
                    " has id " + members.get(i).id());
            }
        }
        if (nodeId < 0 || nodeId >= members.size())
        {
            throw new IllegalArgumentException("cluster.node_id " + nodeId + " is not one of the members");
        }
        if (leaderHeartbeatTimeoutMillis < 200 || electionTimeoutMillis < 100 ||
            electionTimeoutMillis >= leaderHeartbeatTimeoutMillis)
        {
            throw new IllegalArgumentException("cluster: election_timeout_millis (>= 100) must be below " +
                "leader_heartbeat_timeout_millis (>= 200)");
        }
        if (snapshotEveryCommands < 0 || commandTimeoutMillis < 100)
        {
            throw new IllegalArgumentException(
                "cluster: snapshot_every_commands must be >= 0 and command_timeout_millis >= 100");
        }
    }

    /** Reads the section; unknown keys and missing member fields are errors. */
    public static ClusterConfig parse(final JsonNode node)
    {
        if (node == null || !node.isObject())
        {
            throw new IllegalArgumentException("config: 'cluster' must be a mapping");
        }
        check(node, KEYS, "cluster");
        final JsonNode list = node.get("members");
        if (list == null || !list.isArray())
        {
            throw new IllegalArgumentException("config: 'cluster.members' must be a list");
        }
        final List<Member> members = new ArrayList<>();
        for (final JsonNode m : list)
        {
            if (!m.isObject())
            {
                throw new IllegalArgumentException("config: each of 'cluster.members' must be a mapping");
            }
            check(m, MEMBER_KEYS, "cluster.members[]");
            final int base = integer(m, "aeron_port_base", -1, "cluster.members[]");
            if (base < 1 || base > 65535 - PORTS_PER_MEMBER)
            {
                throw new IllegalArgumentException("config: cluster.members[].aeron_port_base must be 1 to " +
                    (65535 - PORTS_PER_MEMBER));
            }
            final JsonNode host = m.get("host");
            if (host == null || !host.isTextual() || host.asText().isBlank())
            {
                throw new IllegalArgumentException("config: cluster.members[].host is required");
            }
            members.add(new Member(integer(m, "id", -1, "cluster.members[]"), host.asText(),
                integer(m, "http_port", -1, "cluster.members[]"), integer(m, "binary_port", -1, "cluster.members[]"),
                base));
        }
        return new ClusterConfig(integer(node, "node_id", -1, "cluster"), members,
            longValue(node, "leader_heartbeat_timeout_millis", DEFAULT_LEADER_HEARTBEAT_TIMEOUT_MILLIS),
            longValue(node, "election_timeout_millis", DEFAULT_ELECTION_TIMEOUT_MILLIS),
            longValue(node, "snapshot_every_commands", DEFAULT_SNAPSHOT_EVERY_COMMANDS),
            longValue(node, "command_timeout_millis", DEFAULT_COMMAND_TIMEOUT_MILLIS));
    }

    private static void check(final JsonNode node, final Set<String> allowed, final String where)
    {
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            if (!allowed.contains(name))
            {
                throw new IllegalArgumentException("config: unknown key '" + where + "." + name + "'");
            }
        }
    }

    private static int integer(final JsonNode node, final String key, final int fallback, final String where)
    {
        final JsonNode value = node.get(key);
        if (value == null)
        {
            if (fallback < 0)
            {
                throw new IllegalArgumentException("config: '" + where + "." + key + "' is required");
            }
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber())
        {
            throw new IllegalArgumentException("config: '" + where + "." + key + "' must be an integer");
        }
        return value.intValue();
    }

    private static long longValue(final JsonNode node, final String key, final long fallback)
    {
        final JsonNode value = node.get(key);
        if (value == null)
        {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw new IllegalArgumentException("config: 'cluster." + key + "' must be an integer");
        }
        return value.longValue();
    }

    public int nodeId()
    {
        return nodeId;
    }

    public List<Member> members()
    {
        return members;
    }

    public Member self()
    {
        return members.get(nodeId);
    }

    public long leaderHeartbeatTimeoutNanos()
    {
        return TimeUnit.MILLISECONDS.toNanos(leaderHeartbeatTimeoutMillis);
    }

    public long electionTimeoutNanos()
    {
        return TimeUnit.MILLISECONDS.toNanos(electionTimeoutMillis);
    }

    /** Committed commands between two scheduled snapshots (the leader asks for one); 0 for none on schedule. */
    public long snapshotEveryCommands()
    {
        return snapshotEveryCommands;
    }

    /** How long the gateway waits for a command's outcome before sending it again. */
    public long commandTimeoutMillis()
    {
        return commandTimeoutMillis;
    }

    /** Aeron Cluster's members string: {@code id,ingress,consensus,log,catchup,archive|...}. */
    public String membersString()
    {
        final StringBuilder out = new StringBuilder();
        for (final Member m : members)
        {
            if (out.length() > 0)
            {
                out.append('|');
            }
            out.append(m.id()).append(',').append(m.endpoint(INGRESS_PORT)).append(',')
                .append(m.endpoint(CONSENSUS_PORT)).append(',').append(m.endpoint(LOG_PORT)).append(',')
                .append(m.endpoint(CATCHUP_PORT)).append(',').append(m.endpoint(ARCHIVE_CONTROL_PORT));
        }
        return out.toString();
    }

    /** The client's ingress endpoints: {@code 0=host:port,1=...}. */
    public String ingressEndpoints()
    {
        final StringBuilder out = new StringBuilder();
        for (final Member m : members)
        {
            if (out.length() > 0)
            {
                out.append(',');
            }
            out.append(m.id()).append('=').append(m.endpoint(INGRESS_PORT));
        }
        return out.toString();
    }
}
