package io.truestock.gateway.sync;

import io.truestock.gateway.ConfigFile;
import io.truestock.gateway.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code connectors:} section of the config file: strict keys, credentials from files, per-type defaults. */
class ConnectorConfigTest
{
    @TempDir
    Path dir;

    private ServerConfig load(final String yaml) throws Exception
    {
        return load(dir, yaml);
    }

    /** The server config of this YAML written to {@code dir}/truestock.yaml. */
    static ServerConfig load(final Path dir, final String yaml) throws Exception
    {
        final Path file = dir.resolve("truestock.yaml");
        Files.writeString(file, yaml);
        final ServerConfig config = new ServerConfig();
        ConfigFile.apply(file, config);
        return config;
    }

    @Test
    void readsEveryConnectorTypeWithCredentialsFromFiles() throws Exception
    {
        Files.writeString(dir.resolve("shopify.token"), "shpat_from_file\n");
        Files.writeString(dir.resolve("lwa.id"), "client-id");
        Files.writeString(dir.resolve("lwa.secret"), "client-secret");
        Files.writeString(dir.resolve("lwa.refresh"), "refresh");
        Files.writeString(dir.resolve("woo.key"), "ck");
        Files.writeString(dir.resolve("woo.secret"), "cs");
        Files.writeString(dir.resolve("hook.secret"), "whsec");
        Files.writeString(dir.resolve("woo-items.csv"), "sku,item_id\nshoe-42,93\nsock-1,94\n");
        final ServerConfig config = load("""
            connectors:
              shopify:
                type: shopify
                base_url: https://example.myshopify.com
                access_token_file: shopify.token
                location_id: "123"
                item_ids: {shoe-42: "456"}
                rate: {requests_per_second: 2, burst: 4}
                retry: {max_attempts: 5, base_delay_millis: 100, max_delay_millis: 5000}
              amazon:
                type: amazon
                base_url: https://sellingpartnerapi-na.amazon.com
                seller_id: A2SELLER
                marketplace_id: ATVPDKIKX0DER
                client_id_file: lwa.id
                client_secret_file: lwa.secret
                refresh_token_file: lwa.refresh
              woocommerce:
                type: woocommerce
                base_url: https://shop.example.com
                consumer_key_file: woo.key
                consumer_secret_file: woo.secret
                item_ids_file: woo-items.csv
              partner:
                type: webhook
                url: https://partner.example.com/stock
                secret_file: hook.secret
                batch_size: 10
            """);
        assertThat(config.connectors()).hasSize(4);
        final ConnectorConfig shopify = config.connectors().get(0);
        assertThat(shopify.secret("access_token").reveal()).isEqualTo("shpat_from_file");
        assertThat(shopify.locationId()).isEqualTo("gid://shopify/Location/123");
        assertThat(shopify.itemId("shoe-42")).isEqualTo("gid://shopify/InventoryItem/456");
        assertThat(shopify.requestsPerSecond()).isEqualTo(2.0);
        assertThat(shopify.maxAttempts()).isEqualTo(5);
        assertThat(shopify.toString()).doesNotContain("shpat_from_file");
        final ConnectorConfig amazon = config.connectors().get(1);
        assertThat(amazon.requestsPerSecond()).isEqualTo(5.0);
        assertThat(amazon.burst()).isEqualTo(10);
        assertThat(amazon.batchSize()).isEqualTo(1);
        assertThat(config.connectors().get(2).itemId("sock-1")).isEqualTo("94");
        assertThat(config.connectors().get(2).batchSize()).isEqualTo(100);
        assertThat(config.connectors().get(3).batchSize()).isEqualTo(10);
    }

    @Test
    void rejectsTyposMissingCredentialsAndOutOfRangeBounds()
    {
        assertThatThrownBy(() -> load("connectors:\n  s:\n    type: shopify\n    base_url: https://x\n    location_id: '1'\n"
            + "    acess_token_env: X\n")).hasMessageContaining("unknown key 'connectors.s.acess_token_env'");
        assertThatThrownBy(() -> load("connectors:\n  s:\n    type: shopify\n    base_url: https://x\n    location_id: '1'\n"))
            .hasMessageContaining("credential 'access_token' is required");
        assertThatThrownBy(() -> load("connectors:\n  s:\n    type: etsy\n")).hasMessageContaining("unknown connector type");
        assertThatThrownBy(() -> load("connectors:\n  w:\n    type: woocommerce\n    base_url: https://x\n"
            + "    consumer_key_env: TRUESTOCK_TEST_UNSET_VARIABLE\n    consumer_secret_env: TRUESTOCK_TEST_UNSET_VARIABLE\n"))
            .hasMessageContaining("TRUESTOCK_TEST_UNSET_VARIABLE is not set");
        assertThatThrownBy(() -> load("connectors:\n  w:\n    type: webhook\n    url: https://x\n    secret_file: nope\n"))
            .hasMessageContaining("cannot read secret file");
        assertThatThrownBy(() -> load("connectors:\n  w:\n    type: webhook\n    url: ftp://x\n    secret_env: PATH\n"))
            .hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> load("connectors:\n  w:\n    type: woocommerce\n    base_url: https://x\n"
            + "    consumer_key_env: PATH\n    consumer_secret_env: PATH\n    batch_size: 101\n"))
            .hasMessageContaining("batch_size must be in [1, 100]");
        assertThatThrownBy(() -> load("connectors:\n  w:\n    type: webhook\n    url: https://x\n    secret_env: PATH\n"
            + "    retry: {max_attempts: 0}\n")).hasMessageContaining("max_attempts");
    }

    @Test
    void secretsNeverPrintThemselves()
    {
        final Secret secret = Secret.of("hunter2");
        assertThat(secret.toString()).doesNotContain("hunter2");
        assertThat(new ConnectorConfig("w", ConnectorConfig.Type.WEBHOOK).secret("secret", secret).toString())
            .doesNotContain("hunter2");
    }
}
