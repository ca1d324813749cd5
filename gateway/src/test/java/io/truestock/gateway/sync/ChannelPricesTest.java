package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.truestock.gateway.ConfigFile;
import io.truestock.gateway.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Prices on Shopify ({@code productVariantsBulkUpdate}: price, and compare-at price while a sale runs) and Amazon
 * ({@code purchasable_offer}: our price, and the sale's discounted price with its window): a sale starting and
 * ending each reach both at the engine version that announced it, the quantity untouched; the item mapping with
 * product and variant ids from the config file.
 */
class ChannelPricesTest
{
    @TempDir
    Path dir;

    @Test
    void aSaleStartingAndEndingReachesShopifyAndAmazonAtItsEngineVersion() throws Exception
    {
        try (FakeShopify shopify = new FakeShopify(31, "2026-04", 1_000, 1_000);
             FakeAmazon amazon = new FakeAmazon(32))
        {
            final ConnectorConfig shopifyConfig = SyncHarness.shopify(shopify);
            final ConnectorConfig amazonConfig = SyncHarness.amazon(amazon);
            SyncHarness.mapItems(shopifyConfig, 2);
            try (SyncHarness harness = SyncHarness.start(dir, List.of(shopifyConfig, amazonConfig)))
            {
                harness.catalog(2, "shopify", "amazon");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 5));
                final String variant = FakeShopify.variant(0);
                assertThat(SyncHarness.await(() -> shown(shopify, variant, 1000, 1000) && shown(amazon, "sku-0", 1000, 1000)
                    && shopify.held.containsKey(FakeShopify.item(0)) && amazon.held.containsKey("sku-0")
                    && shopify.heldPrices.containsKey(FakeShopify.variant(1)), 20)).isTrue();
                final long shopifyPrices = shopify.pricesApplied.get();
                final FakeChannel.HeldPrice otherVariant = shopify.heldPrices.get(FakeShopify.variant(1));

                // A stock change alone sends no price: the acknowledged one still stands.
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 2));
                assertThat(SyncHarness.await(() -> shopify.held.get(FakeShopify.item(0)).qty() == 7
                    && amazon.held.get("sku-0").qty() == 7, 20)).isTrue();
                assertThat(shopify.pricesApplied.get()).isEqualTo(shopifyPrices);

                final Instant now = Instant.now();
                final var priced = harness.http("PUT", "/v1/skus/sku-0/prices", SyncHarness.ADMIN,
                    "{\"base\":{\"amount\":1000,\"currency\":\"USD\"},\"sales\":[{\"amount\":899,\"currency\":\"USD\","
                        + "\"start\":\"" + now.minusSeconds(60) + "\",\"end\":\"" + now.plusSeconds(3) + "\"}]}");
                assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
                final long saleVersion = new ObjectMapper().readTree(priced.body()).path("version").asLong();
                assertThat(SyncHarness.await(() -> shown(shopify, variant, 899, 1000) && shown(amazon, "sku-0", 899, 1000), 20))
                    .as("shopify %s, amazon %s", shopify.heldPrices, amazon.heldPrices).isTrue();
                assertThat(shopify.heldPrices.get(variant).version()).isEqualTo(saleVersion);
                assertThat(amazon.heldPrices.get("sku-0").version()).isEqualTo(saleVersion);
                assertThat(shopify.held.get(FakeShopify.item(0)).qty()).isEqualTo(7);

                // The sale ends three seconds later: the tick that announces it takes the compare-at and
                // discounted prices away.
                assertThat(SyncHarness.await(() -> shown(shopify, variant, 1000, 1000) && shown(amazon, "sku-0", 1000, 1000), 30))
                    .as("shopify %s, amazon %s", shopify.heldPrices, amazon.heldPrices).isTrue();
                assertThat(shopify.heldPrices.get(variant).version()).isGreaterThan(saleVersion);
                assertThat(amazon.heldPrices.get("sku-0").version()).isGreaterThan(saleVersion);
                assertThat(amazon.held.get("sku-0").qty()).isEqualTo(7);
                for (final FakeChannel fake : List.of(shopify, amazon))
                {
                    assertThat(fake.shapeErrors).isEmpty();
                    assertThat(fake.priceRegressions.get()).isZero();
                }
                // The other variant of the product kept its price: only the SKU whose price changed was sent one.
                assertThat(shopify.heldPrices.get(FakeShopify.variant(1))).isEqualTo(otherVariant);
            }
        }
    }

    private static boolean shown(final FakeChannel fake, final String item, final long shown, final long regular)
    {
        final FakeChannel.HeldPrice held = fake.heldPrices.get(item);
        return held != null && held.shown() == shown && held.regular() == regular;
    }

    private static final String SHOPIFY = """
        connectors:
          shopify:
            type: shopify
            base_url: https://example.myshopify.com
            access_token_env: HOME
            location_id: "123"
        """;

    @Test
    void shopifyItemMappingsCarryProductAndVariantIds() throws Exception
    {
        Files.writeString(dir.resolve("items.csv"), "sku,inventory_item_id,product_id,variant_id\nsock-1,11,22,33\n");
        final Path file = dir.resolve("truestock.yaml");
        Files.writeString(file, SHOPIFY + """
                item_ids: {shoe-42: {inventory_item_id: "456", product_id: "789", variant_id: "1011"}, hat-1: "5"}
                item_ids_file: items.csv
            """);
        final ServerConfig config = new ServerConfig();
        ConfigFile.apply(file, config);
        final ConnectorConfig shopify = config.connectors().get(0);
        assertThat(shopify.itemId("shoe-42")).isEqualTo("gid://shopify/InventoryItem/456");
        assertThat(shopify.variant("shoe-42")).containsExactly("gid://shopify/Product/789", "gid://shopify/ProductVariant/1011");
        assertThat(shopify.variant("sock-1")).containsExactly("gid://shopify/Product/22", "gid://shopify/ProductVariant/33");
        assertThat(shopify.variant("hat-1")).isNull();

        Files.writeString(file, SHOPIFY + """
                item_ids: {shoe-42: {inventory_item_id: "456", product_id: "789"}}
            """);
        assertThatThrownBy(() -> ConfigFile.apply(file, new ServerConfig()))
            .hasMessageContaining("{inventory_item_id, product_id, variant_id}");
        assertThatThrownBy(() -> new ConnectorConfig("woo", ConnectorConfig.Type.WOOCOMMERCE)
            .baseUrl(java.net.URI.create("https://shop.example.com")).variant("a", "1", "2")
            .secret("consumer_key", Secret.of("k")).secret("consumer_secret", Secret.of("s")).conclude())
            .hasMessageContaining("shopify item mappings only");
    }
}
