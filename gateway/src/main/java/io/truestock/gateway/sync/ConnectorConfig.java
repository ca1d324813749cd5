package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.engine.Ids;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One channel's connector: which API it speaks, where, with which credentials, how engine SKUs map to the
 * channel's item ids, and its rate, retry and batch bounds. Built from the {@code connectors:} section of the config
 * file ({@link #parseAll}) or in code; {@link #conclude()} validates it once and fills the per-type defaults.
 * See {@code docs/channel-sync.md}.
 */
public final class ConnectorConfig
{
    /** The channel API a connector speaks. */
    public enum Type
    {
        SHOPIFY("shopify", 5, 10, 250, 2, Set.of("access_token", "webhook_secret")),
        AMAZON("amazon", 5, 10, 1, 4, Set.of("client_id", "client_secret", "refresh_token")),
        WOOCOMMERCE("woocommerce", 5, 10, 100, 2, Set.of("consumer_key", "consumer_secret", "webhook_secret")),
        WEBHOOK("webhook", 50, 50, 100, 4, Set.of("secret")),
        TIKTOK("tiktok", 5, 5, 1, 2, Set.of("app_key", "app_secret", "refresh_token")),
        FLIPKART("flipkart", 5, 5, 10, 2, Set.of("client_id", "client_secret")),
        META("meta", 1, 2, 5000, 1, Set.of("access_token", "app_secret", "verify_token")),
        EBAY("ebay", 5, 10, 25, 2, Set.of("client_id", "client_secret", "refresh_token")),
        WALMART("walmart", 5, 5, 10_000, 2, Set.of("client_id", "client_secret"));

        final String text;
        final double defaultRate;
        final int defaultBurst;
        final int maxBatch;
        final int defaultInFlight;
        final Set<String> credentials;

        Type(final String text, final double defaultRate, final int defaultBurst, final int maxBatch,
            final int defaultInFlight, final Set<String> credentials)
        {
            this.text = text;
            this.defaultRate = defaultRate;
            this.defaultBurst = defaultBurst;
            this.maxBatch = maxBatch;
            this.defaultInFlight = defaultInFlight;
            this.credentials = credentials;
        }

        public String text()
        {
            return text;
        }

        public int maxBatch()
        {
            return maxBatch;
        }

        static Type of(final String text)
        {
            for (final Type type : values())
            {
                if (type.text.equals(text))
                {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown connector type '" + text
                + "' (shopify, amazon, woocommerce, webhook, tiktok, flipkart, meta, ebay, walmart)");
        }
    }

    public static final int MAX_CONNECTORS = 256;
    public static final int MAX_ITEM_IDS = 1 << 20;
    public static final int MAX_ATTEMPTS = 1000;

    private final String channel;
    private final Type type;
    private URI baseUrl;
    private URI tokenUrl;
    private String apiVersion = "2026-04";
    private String locationId;
    private String sellerId;
    private String marketplaceId;
    private String productType = "PRODUCT";
    private final Map<String, String> itemIds = new HashMap<>();
    private final Map<String, String[]> variants = new HashMap<>();
    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, String> options = new HashMap<>();
    private double requestsPerSecond = -1;
    private int burst = -1;
    private int maxAttempts = 10;
    private long baseDelayMillis = 200;
    private long maxDelayMillis = 60_000;
    private long timeoutMillis = 10_000;
    private int batchSize = -1;
    private int maxInFlight = -1;
    private boolean reconcileOnStart = true;
    private long signatureToleranceSeconds = 300;
    private int deadLetterCapacity = 1024;

    public ConnectorConfig(final String channel, final Type type)
    {
        if (!Ids.isValid(channel))
        {
            throw new IllegalArgumentException("connector channel id must match [A-Za-z0-9._:-]{1,64}");
        }
        this.channel = channel;
        this.type = type;
    }

    /** Validates once and fills the per-type defaults (rate, burst, batch size, in-flight requests). */
    public ConnectorConfig conclude()
    {
        final String where = "connectors." + channel + ": ";
        if (baseUrl == null)
        {
            throw new IllegalArgumentException(where + (type == Type.WEBHOOK ? "'url'" : "'base_url'") + " is required");
        }
        final String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || baseUrl.getHost() == null)
        {
            throw new IllegalArgumentException(where + "the URL must be an absolute http(s) URL");
        }
        for (final String name : type.credentials)
        {
            if (!secrets.containsKey(name) && !ChannelOptions.optionalCredential(type, name))
            {
                throw new IllegalArgumentException(where + "credential '" + name + "' is required (" + name + "_env or "
                    + name + "_file)");
            }
        }
        switch (type)
        {
            case SHOPIFY ->
            {
                if (locationId == null)
                {
                    throw new IllegalArgumentException(where + "'location_id' is required");
                }
                if (!apiVersion.matches("[0-9]{4}-[0-9]{2}|unstable"))
                {
                    throw new IllegalArgumentException(where + "'api_version' must look like 2026-04");
                }
                locationId = gid("Location", locationId);
            }
            case AMAZON ->
            {
                if (sellerId == null || marketplaceId == null)
                {
                    throw new IllegalArgumentException(where + "'seller_id' and 'marketplace_id' are required");
                }
            }
            default -> ChannelOptions.conclude(this, where);
        }
        if (requestsPerSecond < 0)
        {
            requestsPerSecond = type.defaultRate;
        }
        if (burst < 0)
        {
            burst = type.defaultBurst;
        }
        if (batchSize < 0)
        {
            batchSize = type.maxBatch;
        }
        if (maxInFlight < 0)
        {
            maxInFlight = type.defaultInFlight;
        }
        if (requestsPerSecond <= 0 || requestsPerSecond > 100_000 || burst < 1 || burst > 100_000)
        {
            throw new IllegalArgumentException(where + "rate.requests_per_second must be in (0, 100000] and burst in [1, 100000]");
        }
        if (batchSize < 1 || batchSize > type.maxBatch)
        {
            throw new IllegalArgumentException(where + "batch_size must be in [1, " + type.maxBatch + "] for " + type.text);
        }
        if (maxInFlight < 1 || maxInFlight > 64)
        {
            throw new IllegalArgumentException(where + "max_in_flight must be in [1, 64]");
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS || baseDelayMillis < 1 || maxDelayMillis < baseDelayMillis)
        {
            throw new IllegalArgumentException(where + "retry needs max_attempts in [1, 1000] and 1 <= base_delay_millis <= max_delay_millis");
        }
        if (timeoutMillis < 1 || timeoutMillis > 600_000)
        {
            throw new IllegalArgumentException(where + "timeout_millis must be in [1, 600000]");
        }
        if (deadLetterCapacity < 1 || deadLetterCapacity > 1 << 20)
        {
            throw new IllegalArgumentException(where + "dead_letter_capacity must be in [1, 1048576]");
        }
        if (type == Type.SHOPIFY)
        {
            itemIds.replaceAll((sku, id) -> gid("InventoryItem", id));
            variants.replaceAll((sku, ids) -> new String[] {gid("Product", ids[0]), gid("ProductVariant", ids[1])});
        }
        else if (!variants.isEmpty())
        {
            throw new IllegalArgumentException(where + "product and variant ids belong to shopify item mappings only");
        }
        return this;
    }

    private static String gid(final String kind, final String id)
    {
        return id.startsWith("gid://") ? id : "gid://shopify/" + kind + "/" + id;
    }

    // ---- the config file ----

    private static final Set<String> COMMON = Set.of("type", "base_url", "url", "item_ids", "item_ids_file", "rate",
        "retry", "timeout_millis", "batch_size", "max_in_flight", "reconcile_on_start", "signature_tolerance_seconds",
        "dead_letter_capacity", "api_version", "location_id", "token_url", "seller_id", "marketplace_id", "product_type");
    private static final Set<String> RATE = Set.of("requests_per_second", "burst");
    private static final Set<String> RETRY = Set.of("max_attempts", "base_delay_millis", "max_delay_millis");

    /**
     * Parses the {@code connectors:} mapping (channel id -> connector); relative file paths resolve against
     * {@code baseDir}. Unknown keys, a key that does not belong to the connector's type, and missing credentials
     * are errors.
     */
    public static List<ConnectorConfig> parseAll(final JsonNode node, final Path baseDir)
    {
        if (!node.isObject())
        {
            throw new IllegalArgumentException("config: 'connectors' must be a mapping of channel id to connector");
        }
        if (node.size() > MAX_CONNECTORS)
        {
            throw new IllegalArgumentException("config: at most " + MAX_CONNECTORS + " connectors");
        }
        final List<ConnectorConfig> all = new ArrayList<>();
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> entry = fields.next();
            all.add(parse(entry.getKey(), entry.getValue(), baseDir));
        }
        return all;
    }

    static ConnectorConfig parse(final String channel, final JsonNode node, final Path baseDir)
    {
        final String where = "connectors." + channel;
        if (!node.isObject() || !node.has("type"))
        {
            throw new IllegalArgumentException("config: '" + where + "' must be a mapping with a 'type'");
        }
        final ConnectorConfig config = new ConnectorConfig(channel, Type.of(text(node, "type", where)));
        final Iterator<String> keys = node.fieldNames();
        while (keys.hasNext())
        {
            final String key = keys.next();
            if (COMMON.contains(key))
            {
                continue;
            }
            if (ChannelOptions.allowed(config.type).contains(key))
            {
                config.option(key, node.get(key).isIntegralNumber() ? node.get(key).asText() : text(node, key, where));
                continue;
            }
            final String credential = key.endsWith("_env") ? key.substring(0, key.length() - 4) :
                key.endsWith("_file") ? key.substring(0, key.length() - 5) : null;
            if (credential == null || !config.type.credentials.contains(credential))
            {
                throw new IllegalArgumentException("config: unknown key '" + where + "." + key + "'; credentials of a "
                    + config.type.text + " connector: " + config.type.credentials + " (as <name>_env or <name>_file)");
            }
            if (config.secrets.containsKey(credential))
            {
                throw new IllegalArgumentException("config: '" + where + "." + credential + "' is given twice");
            }
            config.secrets.put(credential, key.endsWith("_env") ? Secret.fromEnv(text(node, key, where)) :
                Secret.fromFile(baseDir.resolve(text(node, key, where))));
        }
        if (node.has("base_url"))
        {
            config.baseUrl(URI.create(text(node, "base_url", where)));
        }
        if (node.has("url"))
        {
            config.baseUrl(URI.create(text(node, "url", where)));
        }
        if (node.has("token_url"))
        {
            config.tokenUrl = URI.create(text(node, "token_url", where));
        }
        if (node.has("api_version"))
        {
            config.apiVersion = text(node, "api_version", where);
        }
        if (node.has("location_id"))
        {
            config.locationId = text(node, "location_id", where);
        }
        if (node.has("seller_id"))
        {
            config.sellerId = text(node, "seller_id", where);
        }
        if (node.has("marketplace_id"))
        {
            config.marketplaceId = text(node, "marketplace_id", where);
        }
        if (node.has("product_type"))
        {
            config.productType = text(node, "product_type", where);
        }
        final JsonNode items = node.get("item_ids");
        if (items != null)
        {
            if (!items.isObject())
            {
                throw new IllegalArgumentException("config: '" + where + ".item_ids' must be a mapping of SKU to item id");
            }
            items.fields().forEachRemaining(e -> config.item(e.getKey(), e.getValue(), where));
        }
        if (node.has("item_ids_file"))
        {
            config.itemIdsFile(baseDir.resolve(text(node, "item_ids_file", where)));
        }
        final JsonNode rate = node.get("rate");
        if (rate != null)
        {
            check(rate, RATE, where + ".rate");
            if (rate.has("requests_per_second"))
            {
                config.requestsPerSecond = number(rate, "requests_per_second", where);
            }
            if (rate.has("burst"))
            {
                config.burst = (int)integer(rate, "burst", where);
            }
        }
        final JsonNode retry = node.get("retry");
        if (retry != null)
        {
            check(retry, RETRY, where + ".retry");
            if (retry.has("max_attempts"))
            {
                config.maxAttempts = (int)integer(retry, "max_attempts", where);
            }
            if (retry.has("base_delay_millis"))
            {
                config.baseDelayMillis = integer(retry, "base_delay_millis", where);
            }
            if (retry.has("max_delay_millis"))
            {
                config.maxDelayMillis = integer(retry, "max_delay_millis", where);
            }
        }
        if (node.has("timeout_millis"))
        {
            config.timeoutMillis = integer(node, "timeout_millis", where);
        }
        if (node.has("batch_size"))
        {
            config.batchSize = (int)integer(node, "batch_size", where);
        }
        if (node.has("max_in_flight"))
        {
            config.maxInFlight = (int)integer(node, "max_in_flight", where);
        }
        if (node.has("dead_letter_capacity"))
        {
            config.deadLetterCapacity = (int)integer(node, "dead_letter_capacity", where);
        }
        if (node.has("signature_tolerance_seconds"))
        {
            config.signatureToleranceSeconds = integer(node, "signature_tolerance_seconds", where);
        }
        if (node.has("reconcile_on_start"))
        {
            final JsonNode value = node.get("reconcile_on_start");
            if (!value.isBoolean())
            {
                throw new IllegalArgumentException("config: '" + where + ".reconcile_on_start' must be true or false");
            }
            config.reconcileOnStart = value.booleanValue();
        }
        return config.conclude();
    }

    private static void check(final JsonNode node, final Set<String> allowed, final String where)
    {
        if (!node.isObject())
        {
            throw new IllegalArgumentException("config: '" + where + "' must be a mapping");
        }
        node.fieldNames().forEachRemaining(key ->
        {
            if (!allowed.contains(key))
            {
                throw new IllegalArgumentException("config: unknown key '" + where + "." + key + "'; known: " + allowed);
            }
        });
    }

    private static String text(final JsonNode node, final String key, final String where)
    {
        final JsonNode value = node.get(key);
        if (!value.isTextual() || value.textValue().isEmpty())
        {
            throw new IllegalArgumentException("config: '" + where + "." + key + "' must be a non-empty string");
        }
        return value.textValue();
    }

    private static long integer(final JsonNode node, final String key, final String where)
    {
        final JsonNode value = node.get(key);
        if (!value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw new IllegalArgumentException("config: '" + where + "." + key + "' must be an integer");
        }
        return value.longValue();
    }

    private static double number(final JsonNode node, final String key, final String where)
    {
        final JsonNode value = node.get(key);
        if (!value.isNumber())
        {
            throw new IllegalArgumentException("config: '" + where + "." + key + "' must be a number");
        }
        return value.doubleValue();
    }

    // ---- in code ----

    public ConnectorConfig baseUrl(final URI value)
    {
        baseUrl = value;
        return this;
    }

    public ConnectorConfig tokenUrl(final URI value)
    {
        tokenUrl = value;
        return this;
    }

    public ConnectorConfig apiVersion(final String value)
    {
        apiVersion = value;
        return this;
    }

    public ConnectorConfig locationId(final String value)
    {
        locationId = value;
        return this;
    }

    public ConnectorConfig seller(final String seller, final String marketplace)
    {
        sellerId = seller;
        marketplaceId = marketplace;
        return this;
    }

    public ConnectorConfig secret(final String name, final Secret value)
    {
        if (!type.credentials.contains(name))
        {
            throw new IllegalArgumentException("a " + type.text + " connector has no credential '" + name + "'");
        }
        secrets.put(name, value);
        return this;
    }

    /** Maps an engine SKU to the channel's item id (Shopify inventory item, WooCommerce product, Amazon seller SKU). */
    public ConnectorConfig itemId(final String sku, final String itemId)
    {
        if (!Ids.isValid(sku) || itemId == null || itemId.isEmpty() || itemId.length() > 256)
        {
            throw new IllegalArgumentException("connectors." + channel + ".item_ids: bad entry for '" + sku + "'");
        }
        if (itemIds.size() >= MAX_ITEM_IDS && !itemIds.containsKey(sku))
        {
            throw new IllegalArgumentException("connectors." + channel + ".item_ids: at most " + MAX_ITEM_IDS + " entries");
        }
        itemIds.put(sku, itemId);
        return this;
    }

    /** Reads {@code sku,item_id} lines (a header line starting with {@code sku} and blank lines are skipped). */
    public ConnectorConfig itemIdsFile(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("connectors." + channel + ": cannot read item_ids_file " + file);
        }
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("sku")))
            {
                continue;
            }
            final int comma = line.indexOf(',');
            if (comma < 0)
            {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'sku,item_id'");
            }
            final String[] columns = line.split(",", -1);
            if (columns.length == 4)
            {
                itemId(columns[0].strip(), columns[1].strip());
                variant(columns[0].strip(), columns[2].strip(), columns[3].strip());
                continue;
            }
            itemId(line.substring(0, comma).strip(), line.substring(comma + 1).strip());
        }
        return this;
    }

    /** An {@code item_ids} value: an item id, or (Shopify) {@code {inventory_item_id, product_id, variant_id}}. */
    private void item(final String sku, final JsonNode value, final String where)
    {
        if (!value.isObject())
        {
            itemId(sku, value.asText());
            return;
        }
        final JsonNode inventory = value.get("inventory_item_id");
        final JsonNode product = value.get("product_id");
        final JsonNode variant = value.get("variant_id");
        if (value.size() != 3 || inventory == null || product == null || variant == null)
        {
            throw new IllegalArgumentException("config: '" + where + ".item_ids." + sku
                + "' must be an item id or {inventory_item_id, product_id, variant_id}");
        }
        itemId(sku, inventory.asText());
        variant(sku, product.asText(), variant.asText());
    }

    /**
     * Maps an engine SKU to its Shopify product and variant (beside the inventory item of {@link #itemId}), so that
     * its price reaches the variant through {@code productVariantsBulkUpdate}.
     */
    public ConnectorConfig variant(final String sku, final String productId, final String variantId)
    {
        if (!Ids.isValid(sku) || productId == null || productId.isEmpty() || productId.length() > 256
            || variantId == null || variantId.isEmpty() || variantId.length() > 256)
        {
            throw new IllegalArgumentException("connectors." + channel + ".item_ids: bad product or variant for '" + sku + "'");
        }
        if (variants.size() >= MAX_ITEM_IDS && !variants.containsKey(sku))
        {
            throw new IllegalArgumentException("connectors." + channel + ".item_ids: at most " + MAX_ITEM_IDS + " entries");
        }
        variants.put(sku, new String[] {productId, variantId});
        return this;
    }

    /** The SKU's product and variant ids ({@code [product, variant]}), or null when not mapped. */
    public String[] variant(final String sku)
    {
        final String[] ids = variants.get(sku);
        return ids == null ? null : ids.clone();
    }

    /** True when some SKU is mapped to a product variant (its connector then carries prices). */
    public boolean hasVariants()
    {
        return !variants.isEmpty();
    }

    public ConnectorConfig rate(final double perSecond, final int burstSize)
    {
        requestsPerSecond = perSecond;
        burst = burstSize;
        return this;
    }

    public ConnectorConfig retry(final int attempts, final long baseDelay, final long maxDelay)
    {
        maxAttempts = attempts;
        baseDelayMillis = baseDelay;
        maxDelayMillis = maxDelay;
        return this;
    }

    public ConnectorConfig timeoutMillis(final long value)
    {
        timeoutMillis = value;
        return this;
    }

    public ConnectorConfig batchSize(final int value)
    {
        batchSize = value;
        return this;
    }

    public ConnectorConfig maxInFlight(final int value)
    {
        maxInFlight = value;
        return this;
    }

    public ConnectorConfig reconcileOnStart(final boolean value)
    {
        reconcileOnStart = value;
        return this;
    }

    public ConnectorConfig signatureToleranceSeconds(final long value)
    {
        signatureToleranceSeconds = value;
        return this;
    }

    public ConnectorConfig deadLetterCapacity(final int value)
    {
        deadLetterCapacity = value;
        return this;
    }

    public String channel()
    {
        return channel;
    }

    public Type type()
    {
        return type;
    }

    public URI baseUrl()
    {
        return baseUrl;
    }

    /** The OAuth token endpoint: the configured one, else the channel's public one. */
    public URI tokenUrl()
    {
        return tokenUrl != null ? tokenUrl : ChannelOptions.defaultTokenUrl(type);
    }

    /** Sets a per-type option ({@link ChannelOptions} lists them: shop_cipher, catalog_id, ...). */
    public ConnectorConfig option(final String name, final String value)
    {
        if (!ChannelOptions.allowed(type).contains(name))
        {
            throw new IllegalArgumentException("a " + type.text + " connector has no option '" + name + "'");
        }
        options.put(name, value);
        return this;
    }

    /** A per-type option, or null when it is not set. */
    public String option(final String name)
    {
        return options.get(name);
    }

    public String apiVersion()
    {
        return apiVersion;
    }

    public String locationId()
    {
        return locationId;
    }

    public String sellerId()
    {
        return sellerId;
    }

    public String marketplaceId()
    {
        return marketplaceId;
    }

    public String productType()
    {
        return productType;
    }

    /** The channel's item id for a SKU, or null when the SKU is not mapped. */
    public String itemId(final String sku)
    {
        return itemIds.get(sku);
    }

    /** SKU -> item id, for reverse lookups of inbound orders. */
    public Map<String, String> itemIds()
    {
        return new LinkedHashMap<>(itemIds);
    }

    /** The named credential, or null when it is not configured. */
    public Secret secret(final String name)
    {
        return secrets.get(name);
    }

    public double requestsPerSecond()
    {
        return requestsPerSecond;
    }

    public int burst()
    {
        return burst;
    }

    public int maxAttempts()
    {
        return maxAttempts;
    }

    public long baseDelayMillis()
    {
        return baseDelayMillis;
    }

    public long maxDelayMillis()
    {
        return maxDelayMillis;
    }

    public long timeoutMillis()
    {
        return timeoutMillis;
    }

    public int batchSize()
    {
        return batchSize;
    }

    public int maxInFlight()
    {
        return maxInFlight;
    }

    public boolean reconcileOnStart()
    {
        return reconcileOnStart;
    }

    public long signatureToleranceSeconds()
    {
        return signatureToleranceSeconds;
    }

    public int deadLetterCapacity()
    {
        return deadLetterCapacity;
    }

    @Override
    public String toString()
    {
        return "connector " + channel + " (" + type.text + " at " + baseUrl + ", credentials " + secrets.values() + ")";
    }
}
