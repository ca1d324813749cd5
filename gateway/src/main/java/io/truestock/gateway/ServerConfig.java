package io.truestock.gateway;

import io.truestock.engine.EngineConfig;
import io.truestock.engine.runtime.RuntimeConfig;
import io.truestock.gateway.auth.ApiKeys;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.auth.RateLimit;
import org.agrona.concurrent.EpochClock;

import java.nio.file.Path;

/**
 * Everything a server needs to start: where it keeps its data, where it listens, and the engine's bounds.
 * Built from defaults, the YAML config file and command-line options (in that order of precedence, last wins);
 * {@link #conclude()} validates it once.
 */
public final class ServerConfig
{
    /** The longest {@link #ioSpinMicros()}: a second. */
    public static final int MAX_IO_SPIN_MICROS = 1_000_000;

    private Path dataDir = Path.of("data");
    private String host = "127.0.0.1";
    private int httpPort = 8080;
    private int binaryPort = 9090;
    private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private boolean preferNativeTransport = true;
    private int ioSpinMicros;
    private String adminToken;
    private boolean fsync;
    private long snapshotEveryCommands = 1_000_000;
    private int snapshotsKept = 2;
    private int journalRetainedCycles = 24;
    private int streamBufferPerSubscriber = 4096;
    private int quoteTtlSeconds = 900;
    private final java.util.LinkedHashMap<String, io.truestock.engine.LocationSpec> catalogLocations =
        new java.util.LinkedHashMap<>();
    private final java.util.LinkedHashMap<String, io.truestock.engine.delivery.CarrierSpec> catalogCarriers =
        new java.util.LinkedHashMap<>();
    private int maxStreamSubscribers = 1024;
    private final io.truestock.gateway.checkout.CheckoutConfig checkout =
        new io.truestock.gateway.checkout.CheckoutConfig();
    private java.util.List<String> mcpAllowedOrigins = java.util.List.of();
    private boolean mcpValidateResults;
    private final EngineConfig engine = new EngineConfig();
    private final RuntimeConfig runtime = new RuntimeConfig();
    private final java.util.List<io.truestock.gateway.sync.ConnectorConfig> connectors = new java.util.ArrayList<>();
    private final java.util.Map<Principal.Scope, RateLimit> rateLimits = ApiKeys.defaultLimits();
    private io.truestock.gateway.cluster.ClusterConfig cluster;

    public ServerConfig conclude()
    {
        if (cluster != null && (httpPort != cluster.self().httpPort() || binaryPort != cluster.self().binaryPort()))
        {
            throw new IllegalArgumentException("in cluster mode the HTTP and binary ports must be the member's (" +
                cluster.self().httpPort() + ", " + cluster.self().binaryPort() + ")");
        }
        engine.conclude();
        runtime.conclude();
        checkout.conclude();
        if (httpPort < 0 || httpPort > 65535 || binaryPort < -1 || binaryPort > 65535)
        {
            throw new IllegalArgumentException("ports must be in [0, 65535] (0 picks a free port; binary -1 disables it)");
        }
        if (ioThreads < 1 || ioThreads > 64)
        {
            throw new IllegalArgumentException("ioThreads must be in [1, 64]");
        }
        if (ioSpinMicros < 0 || ioSpinMicros > MAX_IO_SPIN_MICROS)
        {
            throw new IllegalArgumentException("io_spin_micros must be in [0, " + MAX_IO_SPIN_MICROS + "]: " +
                ioSpinMicros);
        }
        if (snapshotEveryCommands < 0 || snapshotsKept < 1)
        {
            throw new IllegalArgumentException("snapshotEveryCommands must be >= 0 (0 = never) and snapshotsKept >= 1");
        }
        if (quoteTtlSeconds < 1 || quoteTtlSeconds > 86_400)
        {
            throw new IllegalArgumentException("quoteTtlSeconds must be 1..86400: " + quoteTtlSeconds);
        }
        if (streamBufferPerSubscriber < 16 || maxStreamSubscribers < 1)
        {
            throw new IllegalArgumentException("streamBufferPerSubscriber >= 16 and maxStreamSubscribers >= 1");
        }
        return this;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    public ServerConfig dataDir(final Path value)
    {
        dataDir = value;
        return this;
    }

    public String host()
    {
        return host;
    }

    public ServerConfig host(final String value)
    {
        host = value;
        return this;
    }

    public int httpPort()
    {
        return httpPort;
    }

    public ServerConfig httpPort(final int value)
    {
        httpPort = value;
        return this;
    }

    public int binaryPort()
    {
        return binaryPort;
    }

    public ServerConfig binaryPort(final int value)
    {
        binaryPort = value;
        return this;
    }

    public int ioThreads()
    {
        return ioThreads;
    }

    public ServerConfig ioThreads(final int value)
    {
        ioThreads = value;
        return this;
    }

    /**
     * How long an I/O thread keeps polling its sockets after it last found work before it blocks (0, the
     * default: at once). See {@link io.truestock.gateway.net.SpinThenBlock}.
     */
    public int ioSpinMicros()
    {
        return ioSpinMicros;
    }

    public ServerConfig ioSpinMicros(final int value)
    {
        ioSpinMicros = value;
        return this;
    }

    public boolean preferNativeTransport()
    {
        return preferNativeTransport;
    }

    public ServerConfig preferNativeTransport(final boolean value)
    {
        preferNativeTransport = value;
        return this;
    }

    /** Admin bearer token; null means: take it from the data dir, or generate it there. */
    public String adminToken()
    {
        return adminToken;
    }

    public ServerConfig adminToken(final String value)
    {
        adminToken = value;
        return this;
    }

    public boolean fsync()
    {
        return fsync;
    }

    /** fsync the journal at the end of every ring batch (survives machine crashes; costs latency). */
    public ServerConfig fsync(final boolean value)
    {
        fsync = value;
        return this;
    }

    public long snapshotEveryCommands()
    {
        return snapshotEveryCommands;
    }

    public ServerConfig snapshotEveryCommands(final long value)
    {
        snapshotEveryCommands = value;
        return this;
    }

    public int snapshotsKept()
    {
        return snapshotsKept;
    }

    public ServerConfig snapshotsKept(final int value)
    {
        snapshotsKept = value;
        return this;
    }

    public int journalRetainedCycles()
    {
        return journalRetainedCycles;
    }

    /** Hourly journal files kept beyond what recovery needs (the history {@code audit verify} can still check). */
    public ServerConfig journalRetainedCycles(final int value)
    {
        journalRetainedCycles = value;
        return this;
    }

    /**
     * A location the config file defines: applied at start (journaled like an HTTP PUT) when the engine's
     * definition differs, so the file and the running engine agree.
     */
    public ServerConfig catalogLocation(final String id, final io.truestock.engine.LocationSpec spec)
    {
        catalogLocations.put(id, spec);
        return this;
    }

    /** A carrier the config file defines, applied at start like {@link #catalogLocation}. */
    public ServerConfig catalogCarrier(final String id, final io.truestock.engine.delivery.CarrierSpec spec)
    {
        catalogCarriers.put(id, spec);
        return this;
    }

    public java.util.Map<String, io.truestock.engine.LocationSpec> catalogLocations()
    {
        return java.util.Collections.unmodifiableMap(catalogLocations);
    }

    public java.util.Map<String, io.truestock.engine.delivery.CarrierSpec> catalogCarriers()
    {
        return java.util.Collections.unmodifiableMap(catalogCarriers);
    }

    /** How long a quote from an offer holds its price at confirmation; 1 second to 1 day, default 15 minutes. */
    public int quoteTtlSeconds()
    {
        return quoteTtlSeconds;
    }

    public ServerConfig quoteTtlSeconds(final int value)
    {
        quoteTtlSeconds = value;
        return this;
    }

    public int streamBufferPerSubscriber()
    {
        return streamBufferPerSubscriber;
    }

    public ServerConfig streamBufferPerSubscriber(final int value)
    {
        streamBufferPerSubscriber = value;
        return this;
    }

    public int maxStreamSubscribers()
    {
        return maxStreamSubscribers;
    }

    public ServerConfig maxStreamSubscribers(final int value)
    {
        maxStreamSubscribers = value;
        return this;
    }

    /**
     * The server's one clock: the runtime stamps every command with it, and the edges answer offers, quotes and
     * prices by it. The system clock unless a test sets another (a controllable clock moves time without sleeping).
     */
    public EpochClock clock()
    {
        return runtime.clock();
    }

    public ServerConfig clock(final EpochClock value)
    {
        runtime.clock(value);
        return this;
    }

    /** Agent checkouts and payments (the config file's {@code agents} and {@code payments}). */
    public io.truestock.gateway.checkout.CheckoutConfig checkout()
    {
        return checkout;
    }

    /**
     * Browser origins, besides loopback ones, allowed to call the MCP endpoint (a request with another Origin is
     * 403), e.g. {@code https://console.example.com}; a trailing {@code :*} allows any port.
     */
    public java.util.List<String> mcpAllowedOrigins()
    {
        return mcpAllowedOrigins;
    }

    public ServerConfig mcpAllowedOrigins(final java.util.List<String> value)
    {
        mcpAllowedOrigins = java.util.List.copyOf(value);
        return this;
    }

    /**
     * Whether every successful MCP tool result is checked against the tool's output schema before it is sent (a
     * result that breaks it then reaches the agent as a tool error). Off by default: the results come from the same
     * renderers the test suite checks against those schemas on every call, and the check costs more than the rest of
     * a read's work (20-30 us per {@code get_offer}); turn it on to check in production too.
     */
    public boolean mcpValidateResults()
    {
        return mcpValidateResults;
    }

    public ServerConfig mcpValidateResults(final boolean value)
    {
        mcpValidateResults = value;
        return this;
    }

    public EngineConfig engine()
    {
        return engine;
    }

    public RuntimeConfig runtime()
    {
        return runtime;
    }

    /**
     * The rate limit of a scope's keys, for keys created without one of their own (defaults: agent
     * {@link RateLimit#AGENT_DEFAULT}, channel {@link RateLimit#CHANNEL_DEFAULT}, admin unlimited).
     */
    public RateLimit rateLimit(final Principal.Scope scope)
    {
        return rateLimits.get(scope);
    }

    public ServerConfig rateLimit(final Principal.Scope scope, final RateLimit value)
    {
        rateLimits.put(scope, java.util.Objects.requireNonNull(value, "a rate limit (RateLimit.UNLIMITED for none)"));
        return this;
    }

    /** Every scope's rate limit. */
    public java.util.Map<Principal.Scope, RateLimit> rateLimits()
    {
        return java.util.Collections.unmodifiableMap(rateLimits);
    }

    /** Channel connectors (opt-in; none by default). See docs/channel-sync.md. */
    public java.util.List<io.truestock.gateway.sync.ConnectorConfig> connectors()
    {
        return connectors;
    }

    /** Cluster mode's settings, or null for a single node (the default). */
    public io.truestock.gateway.cluster.ClusterConfig cluster()
    {
        return cluster;
    }

    /** Runs this server as one node of a cluster; its HTTP and binary ports become the member's. */
    public ServerConfig cluster(final io.truestock.gateway.cluster.ClusterConfig value)
    {
        cluster = value;
        if (value != null)
        {
            httpPort = value.self().httpPort();
            binaryPort = value.self().binaryPort();
        }
        return this;
    }
}
