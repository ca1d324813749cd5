package io.truestock.gateway.sync;

import io.truestock.gateway.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The marketplace connector types in the config file: their options, defaults, token endpoints and errors. */
class MarketplaceConfigTest
{
    @TempDir
    Path dir;

    private ServerConfig load(final String yaml) throws Exception
    {
        return ConnectorConfigTest.load(dir, yaml);
    }

    @Test
    void readsEveryMarketplaceTypeWithItsOptionsAndDefaults() throws Exception
    {
        Files.writeString(dir.resolve("s"), "secret\n");
        final ServerConfig config = load("""
            connectors:
              tiktok:
                type: tiktok
                base_url: https://open-api.tiktokglobalshop.com
                app_key_file: s
                app_secret_file: s
                refresh_token_file: s
                shop_cipher: ROW_abc
                warehouse_id: "7068517275539719942"
                item_ids: {shoe-42: "1729592969712207013/1729592969712207014"}
              flipkart:
                type: flipkart
                base_url: https://api.flipkart.net/sellers
                client_id_file: s
                client_secret_file: s
                location_id: LOC123
              meta:
                type: meta
                base_url: https://graph.facebook.com
                access_token_file: s
                catalog_id: "1234567890"
              ebay:
                type: ebay
                base_url: https://api.ebay.com
                client_id_file: s
                client_secret_file: s
                refresh_token_file: s
              walmart:
                type: walmart
                base_url: https://marketplace.walmartapis.com
                client_id_file: s
                client_secret_file: s
                feed_threshold: 100
                channel_type: 0f3e4dd4-0514-4346-b39d-af0e00ea066d
            """);
        final Map<String, ConnectorConfig> byId = config.connectors().stream()
            .collect(Collectors.toMap(ConnectorConfig::channel, Function.identity()));
        assertThat(byId.get("tiktok").option("shop_cipher")).isEqualTo("ROW_abc");
        assertThat(byId.get("tiktok").batchSize()).isEqualTo(1);
        assertThat(byId.get("tiktok").tokenUrl().toString()).isEqualTo("https://auth.tiktok-shops.com/api/v2/token/refresh");
        assertThat(byId.get("flipkart").batchSize()).isEqualTo(10);
        assertThat(byId.get("flipkart").tokenUrl().toString()).isEqualTo("https://api.flipkart.net/oauth-service/oauth/token");
        assertThat(byId.get("meta").batchSize()).isEqualTo(5000);
        assertThat(byId.get("ebay").batchSize()).isEqualTo(25);
        assertThat(byId.get("ebay").tokenUrl().toString()).isEqualTo("https://api.ebay.com/identity/v1/oauth2/token");
        assertThat(byId.get("walmart").option("feed_threshold")).isEqualTo("100");
        assertThat(byId.get("walmart").tokenUrl()).isNull();
        assertThat(byId.get("amazon")).isNull();
        for (final ConnectorConfig c : byId.values())
        {
            assertThat(c.toString()).doesNotContain("secret\n").contains("<secret from file");
        }
    }

    @Test
    void refusesMissingRequiredOptionsAndOptionsOfAnotherType() throws Exception
    {
        Files.writeString(dir.resolve("s"), "secret");
        assertThatThrownBy(() -> load("""
            connectors:
              tiktok: {type: tiktok, base_url: "https://x.example", app_key_file: s, app_secret_file: s, refresh_token_file: s}
            """)).hasMessageContaining("'shop_cipher' is required");
        assertThatThrownBy(() -> load("""
            connectors:
              meta: {type: meta, base_url: "https://x.example", access_token_file: s, catalog_id: "cat"}
            """)).hasMessageContaining("numeric catalog id");
        assertThatThrownBy(() -> load("""
            connectors:
              flipkart: {type: flipkart, base_url: "https://x.example", client_id_file: s, client_secret_file: s}
            """)).hasMessageContaining("'location_id'");
        assertThatThrownBy(() -> load("""
            connectors:
              ebay: {type: ebay, base_url: "https://x.example", client_id_file: s, client_secret_file: s, refresh_token_file: s, shop_cipher: x}
            """)).hasMessageContaining("unknown key 'connectors.ebay.shop_cipher'");
        assertThatThrownBy(() -> load("""
            connectors:
              walmart: {type: walmart, base_url: "https://x.example", client_id_file: s, client_secret_file: s, feed_threshold: 1}
            """)).hasMessageContaining("'feed_threshold' must be an integer in [2, 10000]");
        assertThatThrownBy(() -> load("""
            connectors:
              ebay: {type: ebay, base_url: "https://x.example", client_id_file: s, client_secret_file: s}
            """)).hasMessageContaining("credential 'refresh_token' is required");
    }
}
