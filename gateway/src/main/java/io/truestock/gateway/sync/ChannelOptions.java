package io.truestock.gateway.sync;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * The per-type settings of the marketplace connectors (TikTok Shop, Flipkart, Meta catalog, eBay, Walmart) beside
 * the common ones of {@link ConnectorConfig}: which option keys each type takes, which are required, which
 * credentials are optional, and each channel's public OAuth token endpoint.
 */
final class ChannelOptions
{
    private static final Map<ConnectorConfig.Type, Set<String>> ALLOWED = Map.of(
        ConnectorConfig.Type.TIKTOK, Set.of("shop_cipher", "warehouse_id", "orders_poll_seconds"),
        ConnectorConfig.Type.FLIPKART, Set.of("orders_poll_seconds"),
        ConnectorConfig.Type.META, Set.of("catalog_id", "graph_version"),
        ConnectorConfig.Type.EBAY, Set.of("scope", "orders_poll_seconds"),
        ConnectorConfig.Type.WALMART, Set.of("service_name", "channel_type", "ship_node", "feed_threshold",
            "feed_poll_millis", "orders_poll_seconds"));

    private static final Map<ConnectorConfig.Type, String> TOKEN_URLS = Map.of(
        ConnectorConfig.Type.AMAZON, "https://api.amazon.com/auth/o2/token",
        ConnectorConfig.Type.TIKTOK, "https://auth.tiktok-shops.com/api/v2/token/refresh",
        ConnectorConfig.Type.FLIPKART, "https://api.flipkart.net/oauth-service/oauth/token",
        ConnectorConfig.Type.EBAY, "https://api.ebay.com/identity/v1/oauth2/token");

    static final String DEFAULT_GRAPH_VERSION = "v23.0";
    static final String DEFAULT_EBAY_SCOPE = "https://api.ebay.com/oauth/api_scope/sell.inventory "
        + "https://api.ebay.com/oauth/api_scope/sell.fulfillment";
    static final String DEFAULT_WALMART_SERVICE = "Walmart Marketplace";

    private ChannelOptions()
    {
    }

    /** The option keys a connector of this type takes (none for the four original types). */
    static Set<String> allowed(final ConnectorConfig.Type type)
    {
        return ALLOWED.getOrDefault(type, Set.of());
    }

    /** Credentials that may be left out: the secrets only inbound orders need. */
    static boolean optionalCredential(final ConnectorConfig.Type type, final String name)
    {
        return name.equals("webhook_secret") || (type == ConnectorConfig.Type.META
            && (name.equals("app_secret") || name.equals("verify_token")));
    }

    /**
     * The public token endpoint of the channel; Walmart's is {@code <base_url>/v3/token}, so that the sandbox and
     * production differ only in the base URL.
     */
    static URI defaultTokenUrl(final ConnectorConfig.Type type)
    {
        final String url = TOKEN_URLS.get(type);
        return url == null ? null : URI.create(url);
    }

    /** Checks the required options of the marketplace types; a missing or malformed one names the key. */
    static void conclude(final ConnectorConfig config, final String where)
    {
        switch (config.type())
        {
            case TIKTOK -> require(config, where, "shop_cipher");
            case FLIPKART ->
            {
                if (config.locationId() == null)
                {
                    throw new IllegalArgumentException(where + "'location_id' (the Flipkart selling location) is required");
                }
            }
            case META ->
            {
                require(config, where, "catalog_id");
                if (!config.option("catalog_id").matches("[0-9]{1,32}"))
                {
                    throw new IllegalArgumentException(where + "'catalog_id' must be the numeric catalog id");
                }
                final String version = config.option("graph_version");
                if (version != null && !version.matches("v[0-9]{1,3}\\.[0-9]{1,3}"))
                {
                    throw new IllegalArgumentException(where + "'graph_version' must look like v23.0");
                }
            }
            case WALMART ->
            {
                positive(config, where, "feed_threshold", 2, 10_000);
                positive(config, where, "feed_poll_millis", 1, 3_600_000);
            }
            default ->
            {
            }
        }
        positive(config, where, "orders_poll_seconds", 1, 86_400);
    }

    /** An integer option's value, or {@code fallback} when unset (validated by {@link #conclude}). */
    static long number(final ConnectorConfig config, final String name, final long fallback)
    {
        final String value = config.option(name);
        return value == null ? fallback : Long.parseLong(value);
    }

    private static void require(final ConnectorConfig config, final String where, final String name)
    {
        if (config.option(name) == null || config.option(name).isEmpty())
        {
            throw new IllegalArgumentException(where + "'" + name + "' is required");
        }
    }

    private static void positive(final ConnectorConfig config, final String where, final String name, final long min,
        final long max)
    {
        final String value = config.option(name);
        if (value == null)
        {
            return;
        }
        try
        {
            final long n = Long.parseLong(value);
            if (n >= min && n <= max)
            {
                return;
            }
        }
        catch (final NumberFormatException ex)
        {
            // reported below
        }
        throw new IllegalArgumentException(where + "'" + name + "' must be an integer in [" + min + ", " + max + "]");
    }
}
