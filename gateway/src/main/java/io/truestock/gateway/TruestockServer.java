package io.truestock.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.truestock.engine.Engine;
import io.truestock.engine.price.Quotes;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.EngineRuntime;
import io.truestock.engine.runtime.Sequencer;
import io.truestock.gateway.cluster.ClusterMode;
import io.truestock.journal.audit.AuditLog;
import io.truestock.gateway.auth.ApiKeys;
import io.truestock.gateway.acp.AcpHandler;
import io.truestock.gateway.ucp.CheckoutTools;
import io.truestock.gateway.ucp.UcpHandler;
import io.truestock.gateway.binary.BinaryServer;
import io.truestock.gateway.checkout.CheckoutConfig;
import io.truestock.gateway.checkout.CheckoutService;
import io.truestock.gateway.checkout.IdempotencyStore;
import io.truestock.gateway.console.ConsoleEndpoint;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.AuditEndpoint;
import io.truestock.gateway.http.HttpServer;
import io.truestock.gateway.http.OpenApiEndpoint;
import io.truestock.gateway.http.SnapshotEndpoint;
import io.truestock.gateway.mcp.CatalogIndex;
import io.truestock.gateway.mcp.CommerceTools;
import io.truestock.gateway.mcp.McpEndpoint;
import io.truestock.gateway.mcp.McpToolRegistry;
import io.truestock.gateway.mcp.ToolCalls;
import io.truestock.gateway.mcp.ToolSchemaValidator;
import io.truestock.gateway.mcp.ToolSchemas;
import io.truestock.gateway.metrics.LiveSamples;
import io.truestock.gateway.metrics.Metrics;
import io.truestock.gateway.net.AnswerBatches;
import io.truestock.gateway.net.PassPublisher;
import io.truestock.gateway.net.Transport;
import io.truestock.gateway.offer.OfferQuery;
import io.truestock.gateway.offer.QuoteVerifier;
import io.truestock.gateway.payment.PaymentHandler;
import io.truestock.gateway.payment.PaymentHandlers;
import io.truestock.gateway.payment.SandboxPaymentHandler;
import io.truestock.gateway.payment.StripePaymentHandler;
import io.truestock.gateway.rules.Limits;
import io.truestock.gateway.rules.ReadClock;
import io.truestock.gateway.stream.ChannelStreams;
import io.truestock.gateway.stream.MetricsStreamEndpoint;
import io.truestock.gateway.stream.StreamEndpoint;
import io.truestock.gateway.sync.ChannelSync;
import io.truestock.gateway.sync.OrderPoller;
import io.truestock.gateway.sync.SyncEndpoint;
import io.truestock.gateway.sync.inbound.OrderWebhookEndpoint;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one place where the parts are assembled: recovery of the engine from the data dir, the journal, the
 * single-writer runtime, and the network edges. {@link #close()} stops accepting, drains the ring, flushes the
 * journal and writes a snapshot.
 */
public final class TruestockServer implements AutoCloseable
{
    /** The server's version, as the MCP endpoint reports it. */
    public static final String VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(TruestockServer.class);

    private final ServerConfig config;
    private final ApiKeys keys;
    private final Engine engine;
    private final Metrics metrics;
    private final Persistence persistence;
    private final ChannelStreams streams;
    private final ChannelSync sync;
    private final OrderPoller orderPoller;
    private final EngineRuntime runtime;
    private final ClusterMode cluster;
    private final Sequencer sequencer;
    private final AuditLog audit;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final HttpServer http;
    private final BinaryServer binary;
    private final Transport transport;
    private final ScheduledExecutorService keyUsage =
        Executors.newSingleThreadScheduledExecutor(task -> daemon("truestock-key-usage", task));
    private final CheckoutService checkout;
    private final IdempotencyStore idempotency;
    private final McpToolRegistry mcpTools;
    private final MetricsStreamEndpoint metricsStream;
    private volatile boolean closed;

    private TruestockServer(final ServerConfig config) throws Exception
    {
        this.config = config.conclude();
        // The MCP endpoint's schema validator loads the JSON Schema 2020-12 meta-schema (about half a second on a
        // cold JVM): on a thread of its own while the engine recovers, joined when the endpoint is built.
        final ObjectMapper mcpMapper = McpEndpoint.newMapper();
        final CompletableFuture<ToolSchemaValidator> mcpValidator = CompletableFuture.supplyAsync(
            () -> new ToolSchemaValidator(mcpMapper, config.mcpValidateResults()),
            task -> daemon("truestock-mcp-schemas", task).start());
        keys = new ApiKeys(config.dataDir(), config.adminToken() != null ?
            config.adminToken() : System.getenv("TRUESTOCK_ADMIN_TOKEN"), config.clock(), config.rateLimits());
        cluster = config.cluster() == null ? null : ClusterMode.start(config.cluster(), config.dataDir(),
            config.engine(), config.journalRetainedCycles());
        persistence = cluster == null ? new Persistence(config) : null;
        engine = cluster == null ? persistence.engine() : cluster.engine();
        audit = cluster == null ? persistence.audit() : cluster.audit();
        metrics = new Metrics();
        streams = new ChannelStreams(engine, config.streamBufferPerSubscriber(), config.maxStreamSubscribers());
        final List<EngineListener> listeners = new ArrayList<>();
        if (cluster == null)
        {
            listeners.add(persistence.audit());
            listeners.add(persistence);
        }
        listeners.add(metrics);
        listeners.add(streams);
        // A small catalog's index is built before the server listens; a large one's on a thread of its own once it
        // listens, so it does not hold up the start (search answers 503 until done).
        final CatalogIndex catalog = CatalogIndex.building(engine);
        listeners.add(catalog);
        sync = new ChannelSync(engine, config.connectors(), letter -> audit.appendDeadLetter(
            letter.channel(), letter.sku(), letter.qty(), letter.version(), letter.attempts(), letter.error(),
            letter.atMillis()), config.dataDir().resolve("sync-ledger"));
        listeners.add(sync);
        if (cluster != null)
        {
            // Only the leader sends to the channels and reads their orders; streams are served by every node.
            sync.standby();
        }
        if (cluster == null)
        {
            // Last: the answers of a ring batch wait in their event loops' mailboxes until it has ended.
            listeners.add(AnswerBatches.INSTANCE);
            // The ring's output stage ends every batch, and its answers wait for that end in their mailboxes.
            persistence.audit().writePerRingBatch();
            runtime = new EngineRuntime(engine, config.runtime(), persistence.journal(),
                listeners.toArray(new EngineListener[0]));
            persistence.runtime(runtime);
            runtime.start();
            sequencer = runtime;
        }
        else
        {
            runtime = null;
            cluster.listeners(listeners.toArray(new EngineListener[0]));
            sequencer = cluster.sequencer();
        }
        applyCatalog();
        final boolean indexBeforeListening = catalog.skusToBuild() <= CatalogIndex.BUILD_BEFORE_LISTENING_SKUS;
        if (indexBeforeListening)
        {
            catalog.build(Runnable::run);
        }

        transport = new Transport(config.preferNativeTransport());
        boss = transport.group(1, "truestock-accept");
        workers = transport.group(config.ioThreads(), "truestock-io", config.ioSpinMicros());
        final Map<String, Api.Extension> extensions = new HashMap<>();
        final EpochClock clock = config.clock();
        final StreamEndpoint updates = new StreamEndpoint(engine, streams, new ReadClock(clock, engine), keys);
        extensions.put("channels/updates", updates);
        extensions.put("updates", updates);
        extensions.put("openapi.json", new OpenApiEndpoint());
        extensions.put("console", new ConsoleEndpoint());
        metricsStream = new MetricsStreamEndpoint(new LiveSamples(metrics, this::backlog, this::ringSize,
            engine::lastSequence), keys, clock, workers.next(), MetricsStreamEndpoint.DEFAULT_MAX_SUBSCRIBERS);
        extensions.put("metrics", metricsStream);
        extensions.put("audit", new AuditEndpoint(audit, cluster == null ? persistence.journalDir() :
            cluster.journalDir()));
        final SyncEndpoint syncEndpoint = new SyncEndpoint(engine, sync);
        extensions.put("channels/reconcile", syncEndpoint);
        extensions.put("channels/sync", syncEndpoint);
        orderPoller = OrderPoller.start(engine, sequencer, sync, config.dataDir(), cluster != null);
        extensions.put("admin", cluster == null ?
            new SnapshotEndpoint(persistence::takeSnapshot, "single", -1) :
            new SnapshotEndpoint(cluster::takeSnapshot, "cluster", cluster.nodeId()));
        extensions.put("channels/webhooks", new OrderWebhookEndpoint(engine, sequencer, sync, clock::time, orderPoller));
        final Quotes quotes = new Quotes(keys.quoteKey());
        final long quoteTtlMillis = config.quoteTtlSeconds() * 1000L;
        checkout = agentCheckout(config, clock, quotes, quoteTtlMillis);
        idempotency = new IdempotencyStore(config.dataDir().resolve("checkout").resolve("idempotency.log"),
            config.checkout().maxIdempotencyRecords(), config.checkout().idempotencyWindowMillis(), clock.time());
        final AcpHandler acp = new AcpHandler(checkout, idempotency, new Limits(engine.config()), clock);
        extensions.put("acp", acp);
        extensions.put(".well-known/acp.json", acp);
        final UcpHandler ucp = new UcpHandler(checkout, idempotency, engine, catalog, clock,
            new ReadClock(clock, engine));
        extensions.put("ucp", ucp);
        extensions.put(".well-known/ucp", ucp);
        final Api api = new Api(engine, sequencer, keys, metrics, extensions, clock, quotes, quoteTtlMillis);
        if (cluster != null)
        {
            api.clusterStatus(cluster::role, cluster::leader);
            metrics.section(cluster::renderMetrics);
        }
        mcpTools = new McpToolRegistry();
        final ToolCalls toolCalls = new ToolCalls(mcpMapper, api);
        new CommerceTools(toolCalls, new ToolSchemas(mcpMapper), api, catalog, new ReadClock(clock, engine))
            .register(mcpTools);
        new CheckoutTools(mcpMapper, new ToolSchemas(mcpMapper), ucp, acp).register(mcpTools);
        extensions.put("mcp", McpEndpoint.start(mcpMapper, mcpTools, keys, config.mcpAllowedOrigins(),
            joined(mcpValidator), VERSION));
        if (!sync.isEmpty())
        {
            api.render().channelDetail(sync::writeLedger);
            metrics.section(sync::renderMetrics);
        }
        http = new HttpServer(transport, boss, workers, config.host(), config.httpPort(), api, metrics, null);
        binary = config.binaryPort() < 0 ? null : new BinaryServer(transport, boss, workers, config.host(),
            config.binaryPort(), engine, new PassPublisher(sequencer)::tryPublish, keys, clock, quotes, quoteTtlMillis);

        metrics.gauge("truestock_ring_occupancy", this::backlog);
        metrics.gauge("truestock_ring_size", this::ringSize);
        if (runtime != null)
        {
            metrics.counter("truestock_listener_failures_total",
                "Output-stage listener calls that threw; each was logged and the other listeners still ran.",
                runtime::listenerFailures);
            metrics.counter("truestock_outcome_handler_failures_total",
                "Calls answering a caller's command that threw; each was logged.", runtime::handlerFailures);
            metrics.gauge("truestock_journal_sequence", persistence.journal()::lastSequence);
        }
        metrics.gauge("truestock_engine_sequence", engine::lastSequence);
        metrics.gauge("truestock_audit_sequence", audit::lastSequence);
        metrics.counter("truestock_audit_records_truncated_total",
            "Audit records (since start) that left entries or text out at the record bound; each says what in its detail.",
            audit::truncatedRecords);
        metrics.gauge("truestock_open_reservations", engine::openReservations);
        metrics.gauge("truestock_stream_subscribers", streams::subscriberCount);
        metrics.gauge("truestock_metrics_stream_subscribers", metricsStream::subscriberCount);
        final java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        metrics.gauge("truestock_jvm_heap_used_bytes", () -> memory.getHeapMemoryUsage().getUsed());
        metrics.gauge("truestock_jvm_heap_committed_bytes", () -> memory.getHeapMemoryUsage().getCommitted());
        metrics.section(keys::renderMetrics);
        // Last-use times reach the disk here, off the I/O threads, never per request.
        keyUsage.scheduleWithFixedDelay(keys::flushUsage, ApiKeys.USAGE_FLUSH_SECONDS, ApiKeys.USAGE_FLUSH_SECONDS,
            TimeUnit.SECONDS);
        if (binary != null)
        {
            metrics.gauge("truestock_binary_unexpected_errors", binary::unexpectedErrors);
        }
        sync.start();
        if (cluster != null)
        {
            cluster.leaderDuties(new ClusterMode.LeaderDuties()
            {
                @Override
                public void lead(final long term)
                {
                    sync.lead(term);
                    orderPoller.lead();
                }

                @Override
                public void follow()
                {
                    orderPoller.follow();
                    sync.follow();
                }
            });
        }
        if (!indexBeforeListening)
        {
            catalog.build(task -> daemon("truestock-catalog-index", task).start());
        }
        LOG.info("truestock listening: http={} binary={} transport={} data={}", http.port(),
            binary == null ? "off" : binary.port(), transport.name(), config.dataDir());
    }

    /** The future's value, or what it failed with as it was thrown. */
    private static <T> T joined(final CompletableFuture<T> future) throws Exception
    {
        try
        {
            return future.join();
        }
        catch (final CompletionException ex)
        {
            if (ex.getCause() instanceof Exception cause)
            {
                throw cause;
            }
            if (ex.getCause() instanceof Error error)
            {
                throw error;
            }
            throw ex;
        }
    }

    /** A daemon thread, not started. */
    private static Thread daemon(final String name, final Runnable task)
    {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The checkout core agent protocols share, with the payment handlers the config turns on. */
    private CheckoutService agentCheckout(
        final ServerConfig config, final EpochClock clock, final Quotes quotes, final long quoteTtlMillis)
    {
        final CheckoutConfig settings = config.checkout();
        final List<PaymentHandler> handlers = new ArrayList<>();
        if (settings.stripeBaseUrl() != null)
        {
            handlers.add(new StripePaymentHandler(settings.stripeBaseUrl(), StripePaymentHandler.secretKey(
                settings.stripeSecretKeyEnv(), settings.stripeSecretKeyFile()), settings.stripeTimeoutMillis(),
                settings.stripeAttempts(), settings.stripeApiVersion()));
        }
        if (settings.sandbox())
        {
            handlers.add(new SandboxPaymentHandler());
        }
        final Limits limits = new Limits(engine.config());
        final OfferQuery offers = new OfferQuery(engine, limits, new ReadClock(clock, engine), quotes, quoteTtlMillis);
        return new CheckoutService(engine, sequencer, offers, new QuoteVerifier(engine, quotes), clock, settings,
            new PaymentHandlers(handlers.toArray(new PaymentHandler[0])), config.dataDir());
    }

    /**
     * Applies the config file's locations and carriers that differ from the engine's, as journaled commands, before
     * any request is served. A definition the engine refuses stops the start with the reason.
     */
    private void applyCatalog() throws Exception
    {
        for (final var location : config.catalogLocations().entrySet())
        {
            final int index = engine.locationIndex(location.getKey());
            if (index < 0 || !engine.locationSpec(index).equals(location.getValue()))
            {
                requireAccepted("catalog.locations." + location.getKey(), sequencer.submit(c -> c
                    .defineLocation(location.getKey(), location.getValue()).principal("config")).get());
            }
        }
        for (final var carrier : config.catalogCarriers().entrySet())
        {
            if (!carrier.getValue().equals(engine.carriers().get(carrier.getKey())))
            {
                requireAccepted("catalog.carriers." + carrier.getKey(), sequencer.submit(c -> c
                    .defineCarrier(carrier.getKey(), carrier.getValue()).principal("config")).get());
            }
        }
    }

    private void requireAccepted(final String what, final io.truestock.engine.Outcome outcome)
    {
        if (!outcome.accepted())
        {
            // Nothing listens yet: stop the writer and release the data dir before refusing to start.
            closeCore();
            throw new IllegalArgumentException(what + " was refused: " + outcome.reason().code());
        }
    }

    public static TruestockServer start(final ServerConfig config) throws Exception
    {
        return new TruestockServer(config);
    }

    public int httpPort()
    {
        return http.port();
    }

    /** The binary protocol's port, or -1 when it is disabled. */
    public int binaryPort()
    {
        return binary == null ? -1 : binary.port();
    }

    public String adminToken()
    {
        return keys.adminToken();
    }

    /** The names of the tools the MCP endpoint at {@code /mcp} serves. */
    public java.util.List<String> mcpToolNames()
    {
        return mcpTools.names();
    }

    public ApiKeys keys()
    {
        return keys;
    }

    public Engine engine()
    {
        return engine;
    }

    /** The single-node ring, or null in cluster mode. */
    public EngineRuntime runtime()
    {
        return runtime;
    }

    /** Where the edges send commands: the ring, or the cluster client in cluster mode. */
    public Sequencer sequencer()
    {
        return sequencer;
    }

    /** This node's part of a cluster, or null for a single node. */
    public ClusterMode cluster()
    {
        return cluster;
    }

    private long backlog()
    {
        return runtime != null ? runtime.backlog() : cluster.inFlight();
    }

    private long ringSize()
    {
        return runtime != null ? runtime.ringSize() : ClusterMode.IN_FLIGHT;
    }

    private void closeCore()
    {
        if (cluster != null)
        {
            cluster.close();
        }
        else
        {
            runtime.close();
            persistence.close();
        }
    }

    public ServerConfig config()
    {
        return config;
    }

    /** Outbound channel sync (empty when no connector is configured). */
    public OrderPoller orderPoller()
    {
        return orderPoller;
    }

    public ChannelSync sync()
    {
        return sync;
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        http.close();
        metricsStream.close();
        if (binary != null)
        {
            binary.close();
        }
        orderPoller.close();
        sync.close();
        keyUsage.shutdown();
        keys.flushUsage();
        checkout.close();
        idempotency.close();
        closeCore();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("truestock stopped at sequence {}", engine.lastSequence());
    }
}
