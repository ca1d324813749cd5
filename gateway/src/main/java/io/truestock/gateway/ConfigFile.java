package io.truestock.gateway;

import io.truestock.engine.Ids;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.auth.RateLimit;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.CatalogRequests;
import io.truestock.gateway.http.JsonBody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML config file into a {@link ServerConfig}. Unknown keys are an error (a typo must not silently
 * leave a default in place). Every key is optional; see {@code config/truestock.yaml} for all of them.
 */
public final class ConfigFile
{
    private static final Set<String> TOP = Set.of("data_dir", "host", "http_port", "binary_port", "io_threads",
        "io_spin_micros", "native_transport", "fsync", "journal_retained_cycles", "snapshot_every_commands", "snapshots_kept", "ring_size", "wait_strategy",
        "tick_interval_millis", "pipeline", "bounds", "streams", "catalog", "quote_ttl_seconds", "connectors",
        "rate_limits", "agents", "payments", "mcp", "cluster");
    private static final Set<String> BOUNDS = Set.of("max_skus", "max_locations", "max_channels",
        "max_lines_per_command", "max_components_per_bundle", "max_open_reservations", "max_retained_reservations",
        "max_orders", "max_idempotency_entries", "idempotency_window_hours", "max_ttl_seconds");
    private static final Set<String> STREAMS = Set.of("buffer_per_subscriber", "max_subscribers");
    private static final Set<String> RATE_SCOPES = Set.of("admin", "agent", "channel");
    private static final Set<String> RATE_FIELDS = Set.of("reads_per_second", "read_burst", "writes_per_second",
        "write_burst");
    private static final Set<String> MCP = Set.of("allowed_origins", "validate_results");
    private static final int MAX_ALLOWED_ORIGINS = 64;

    private ConfigFile()
    {
    }

    public static void apply(final Path file, final ServerConfig config)
    {
        final JsonNode root;
        try
        {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + ex.getMessage(), ex);
        }
        if (root == null || root.isMissingNode() || root.isNull())
        {
            return;
        }
        if (!root.isObject())
        {
            throw new IllegalArgumentException(file + ": the config file must be a YAML mapping");
        }
        check(root, TOP, "");
        if (root.has("cluster"))
        {
            config.cluster(io.truestock.gateway.cluster.ClusterConfig.parse(root.get("cluster")));
        }
        if (root.has("data_dir"))
        {
            config.dataDir(file.toAbsolutePath().getParent().resolve(text(root, "data_dir")));
        }
        if (root.has("host"))
        {
            config.host(text(root, "host"));
        }
        if (root.has("http_port"))
        {
            config.httpPort(integer(root, "http_port"));
        }
        if (root.has("binary_port"))
        {
            config.binaryPort(integer(root, "binary_port"));
        }
        if (root.has("io_threads"))
        {
            config.ioThreads(integer(root, "io_threads"));
        }
        if (root.has("io_spin_micros"))
        {
            config.ioSpinMicros(integer(root, "io_spin_micros"));
        }
        if (root.has("native_transport"))
        {
            config.preferNativeTransport(bool(root, "native_transport"));
        }
        if (root.has("fsync"))
        {
            config.fsync(bool(root, "fsync"));
        }
        if (root.has("journal_retained_cycles"))
        {
            config.journalRetainedCycles(integer(root, "journal_retained_cycles"));
        }
        if (root.has("snapshot_every_commands"))
        {
            config.snapshotEveryCommands(longValue(root, "snapshot_every_commands"));
        }
        if (root.has("snapshots_kept"))
        {
            config.snapshotsKept(integer(root, "snapshots_kept"));
        }
        if (root.has("ring_size"))
        {
            config.runtime().ringSize(integer(root, "ring_size"));
        }
        if (root.has("wait_strategy"))
        {
            config.runtime().waitStrategy(text(root, "wait_strategy"));
        }
        if (root.has("pipeline"))
        {
            final String pipeline = text(root, "pipeline");
            if (!pipeline.equals("fused") && !pipeline.equals("staged"))
            {
                throw new IllegalArgumentException("config: 'pipeline' must be fused or staged");
            }
            config.runtime().pipeline(io.truestock.engine.runtime.RuntimeConfig.Pipeline.valueOf(
                pipeline.toUpperCase(java.util.Locale.ROOT)));
        }
        if (root.has("tick_interval_millis"))
        {
            config.runtime().tickIntervalMillis(longValue(root, "tick_interval_millis"));
        }
        final JsonNode bounds = root.get("bounds");
        if (bounds != null)
        {
            check(bounds, BOUNDS, "bounds.");
            final var engine = config.engine();
            if (bounds.has("max_skus"))
            {
                engine.maxSkus(integer(bounds, "max_skus"));
            }
            if (bounds.has("max_locations"))
            {
                engine.maxLocations(integer(bounds, "max_locations"));
            }
            if (bounds.has("max_channels"))
            {
                engine.maxChannels(integer(bounds, "max_channels"));
            }
            if (bounds.has("max_lines_per_command"))
            {
                engine.maxLinesPerCommand(integer(bounds, "max_lines_per_command"));
            }
            if (bounds.has("max_components_per_bundle"))
            {
                engine.maxComponentsPerBundle(integer(bounds, "max_components_per_bundle"));
            }
            if (bounds.has("max_open_reservations"))
            {
                engine.maxOpenReservations(integer(bounds, "max_open_reservations"));
            }
            if (bounds.has("max_retained_reservations"))
            {
                engine.maxRetainedReservations(integer(bounds, "max_retained_reservations"));
            }
            if (bounds.has("max_orders"))
            {
                engine.maxOrders(integer(bounds, "max_orders"));
            }
            if (bounds.has("max_idempotency_entries"))
            {
                engine.maxIdempotencyEntries(integer(bounds, "max_idempotency_entries"));
            }
            if (bounds.has("idempotency_window_hours"))
            {
                engine.idempotencyWindowMillis(longValue(bounds, "idempotency_window_hours") * 3_600_000L);
            }
            if (bounds.has("max_ttl_seconds"))
            {
                engine.maxTtlSeconds(integer(bounds, "max_ttl_seconds"));
            }
        }
        if (root.has("quote_ttl_seconds"))
        {
            config.quoteTtlSeconds(integer(root, "quote_ttl_seconds"));
        }
        final JsonNode catalog = root.get("catalog");
        if (catalog != null)
        {
            check(catalog, CATALOG, "catalog.");
            catalogEntries(catalog, "locations", (id, body) -> config.catalogLocation(id,
                CatalogRequests.location(body, config.engine().maxTextLength(), config.engine().maxPostalCodeLength())));
            catalogEntries(catalog, "carriers", (id, body) -> config.catalogCarrier(id, CatalogRequests.carrier(body)));
        }
        if (root.has("agents") || root.has("payments"))
        {
            config.checkout().parse(root.get("agents"), root.get("payments"), file.toAbsolutePath().getParent());
        }
        if (root.has("connectors"))
        {
            config.connectors().addAll(io.truestock.gateway.sync.ConnectorConfig.parseAll(root.get("connectors"),
                file.toAbsolutePath().getParent()));
        }
        final JsonNode rateLimits = root.get("rate_limits");
        if (rateLimits != null)
        {
            check(rateLimits, RATE_SCOPES, "rate_limits.");
            for (final Principal.Scope scope : Principal.Scope.values())
            {
                final String name = scope.name().toLowerCase(java.util.Locale.ROOT);
                final JsonNode limit = rateLimits.get(name);
                if (limit != null)
                {
                    check(limit, RATE_FIELDS, "rate_limits." + name + ".");
                    final RateLimit base = config.rateLimit(scope);
                    config.rateLimit(scope, new RateLimit(
                        rate(limit, base.reads(), "rate_limits." + name + ".", "reads_per_second", "read_burst"),
                        rate(limit, base.writes(), "rate_limits." + name + ".", "writes_per_second", "write_burst")));
                }
            }
        }
        final JsonNode streams = root.get("streams");
        if (streams != null)
        {
            check(streams, STREAMS, "streams.");
            if (streams.has("buffer_per_subscriber"))
            {
                config.streamBufferPerSubscriber(integer(streams, "buffer_per_subscriber"));
            }
            if (streams.has("max_subscribers"))
            {
                config.maxStreamSubscribers(integer(streams, "max_subscribers"));
            }
        }
        final JsonNode mcp = root.get("mcp");
        if (mcp != null)
        {
            check(mcp, MCP, "mcp.");
            config.mcpAllowedOrigins(origins(mcp.get("allowed_origins")));
            if (mcp.has("validate_results"))
            {
                config.mcpValidateResults(bool(mcp, "validate_results"));
            }
        }
    }

    /** Browser origins such as {@code https://console.example.com} or {@code http://intranet:*}. */
    private static java.util.List<String> origins(final JsonNode list)
    {
        if (list == null || list.isNull())
        {
            return java.util.List.of();
        }
        if (!list.isArray() || list.size() > MAX_ALLOWED_ORIGINS)
        {
            throw new IllegalArgumentException("config: 'mcp.allowed_origins' must be a list of at most " +
                MAX_ALLOWED_ORIGINS + " origins");
        }
        final java.util.List<String> origins = new java.util.ArrayList<>();
        for (final JsonNode origin : list)
        {
            if (!origin.isTextual() || !origin.textValue().matches("https?://[^/\\s]{1,253}"))
            {
                throw new IllegalArgumentException("config: each of 'mcp.allowed_origins' must be an origin such " +
                    "as https://console.example.com (scheme, host, optional port or :*), not " + origin);
            }
            origins.add(origin.textValue());
        }
        return origins;
    }

    private static final Set<String> CATALOG = Set.of("locations", "carriers");

    /**
     * Each entry of a catalog map, parsed exactly as its HTTP body would be; a mistake names the entry and field.
     */
    private static void catalogEntries(
        final JsonNode catalog, final String kind, final java.util.function.BiConsumer<String, JsonBody> sink)
    {
        final JsonNode entries = catalog.get(kind);
        if (entries == null || entries.isNull())
        {
            return;
        }
        if (!entries.isObject())
        {
            throw new IllegalArgumentException("catalog." + kind + " must be a mapping of id to object");
        }
        final ObjectMapper json = new ObjectMapper();
        entries.fields().forEachRemaining(entry ->
        {
            final String where = "catalog." + kind + "." + entry.getKey();
            if (!Ids.isValid(entry.getKey()))
            {
                throw new IllegalArgumentException(where + ": ids must match [A-Za-z0-9._:-]{1,64}");
            }
            try
            {
                sink.accept(entry.getKey(), JsonBody.parse(json.writeValueAsBytes(entry.getValue())));
            }
            catch (final ApiException ex)
            {
                throw new IllegalArgumentException(where + ": " + ex.getMessage() +
                    (ex.param() == null ? "" : " (" + ex.param().replaceFirst("^\\$", "") + ")"), ex);
            }
            catch (final IOException | IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
            }
        });
    }

    /**
     * One kind of a scope's limit over the built-in default: {@code unlimited} as the rate lifts it, a rate alone
     * brings a burst of one second's worth, a burst alone keeps the default rate.
     */
    private static RateLimit.Rate rate(
        final JsonNode limit, final RateLimit.Rate base, final String prefix, final String rateName,
        final String burstName)
    {
        final JsonNode rate = limit.get(rateName);
        if (rate != null && rate.isTextual())
        {
            if (!rate.textValue().equals("unlimited") || limit.has(burstName))
            {
                throw new IllegalArgumentException("config: '" + prefix + rateName + "' must be a positive integer" +
                    " or unlimited (then without " + burstName + ")");
            }
            return null;
        }
        final Long perSecond = rate == null ? null : longValue(limit, rateName);
        final Long burst = limit.has(burstName) ? longValue(limit, burstName) : null;
        try
        {
            return RateLimit.over(base, perSecond, burst, prefix + rateName, prefix + burstName);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("config: " + ex.getMessage(), ex);
        }
    }

    /** Refuses a node that is not a mapping, or that has a key outside {@code allowed}; {@code prefix} names it. */
    public static void check(final JsonNode node, final Set<String> allowed, final String prefix)
    {
        if (!node.isObject())
        {
            throw new IllegalArgumentException("config: '" + prefix + "' must be a mapping");
        }
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext())
        {
            final String key = fields.next().getKey();
            if (!allowed.contains(key))
            {
                throw new IllegalArgumentException("config: unknown key '" + prefix + key + "'; known: " + allowed);
            }
        }
    }

    public static String text(final JsonNode node, final String key)
    {
        final JsonNode value = node.get(key);
        if (!value.isTextual())
        {
            throw new IllegalArgumentException("config: '" + key + "' must be a string");
        }
        return value.textValue();
    }

    private static long longValue(final JsonNode node, final String key)
    {
        final JsonNode value = node.get(key);
        if (!value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw new IllegalArgumentException("config: '" + key + "' must be an integer");
        }
        return value.longValue();
    }

    public static int integer(final JsonNode node, final String key)
    {
        final long value = longValue(node, key);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("config: '" + key + "' is out of range");
        }
        return (int)value;
    }

    private static boolean bool(final JsonNode node, final String key)
    {
        final JsonNode value = node.get(key);
        if (!value.isBoolean())
        {
            throw new IllegalArgumentException("config: '" + key + "' must be true or false");
        }
        return value.booleanValue();
    }
}
