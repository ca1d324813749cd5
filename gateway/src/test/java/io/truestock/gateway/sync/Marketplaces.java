package io.truestock.gateway.sync;

import java.net.URI;

/**
 * Connector configs pointed at the marketplace fakes, and their item ids for SKU n (the sync tests' harness asks
 * here for the types it does not know itself).
 */
final class Marketplaces
{
    private Marketplaces()
    {
    }

    static ConnectorConfig tiktok(final FakeTikTokShop fake)
    {
        return new ConnectorConfig("tiktok", ConnectorConfig.Type.TIKTOK).baseUrl(fake.baseUrl())
            .tokenUrl(URI.create(fake.baseUrl() + FakeTikTokShop.TOKEN_PATH))
            .secret("app_key", Secret.of(FakeTikTokShop.APP_KEY))
            .secret("app_secret", Secret.of(FakeTikTokShop.APP_SECRET))
            .secret("refresh_token", Secret.of(FakeMarketplace.REFRESH_TOKEN))
            .option("shop_cipher", FakeTikTokShop.SHOP_CIPHER).option("warehouse_id", FakeTikTokShop.WAREHOUSE);
    }

    static ConnectorConfig flipkart(final FakeFlipkart fake)
    {
        return credentials(new ConnectorConfig("flipkart", ConnectorConfig.Type.FLIPKART).baseUrl(fake.baseUrl())
            .tokenUrl(URI.create(fake.baseUrl() + FakeFlipkart.TOKEN_PATH)).locationId(FakeFlipkart.LOCATION));
    }

    static ConnectorConfig meta(final FakeMetaCatalog fake)
    {
        return new ConnectorConfig("meta", ConnectorConfig.Type.META).baseUrl(fake.baseUrl())
            .secret("access_token", Secret.of(FakeMetaCatalog.TOKEN)).option("catalog_id", FakeMetaCatalog.CATALOG);
    }

    static ConnectorConfig ebay(final FakeEbay fake)
    {
        return credentials(new ConnectorConfig("ebay", ConnectorConfig.Type.EBAY).baseUrl(fake.baseUrl())
            .tokenUrl(URI.create(fake.baseUrl() + FakeEbay.TOKEN_PATH)))
            .secret("refresh_token", Secret.of(FakeMarketplace.REFRESH_TOKEN));
    }

    static ConnectorConfig walmart(final FakeWalmart fake)
    {
        return credentials(new ConnectorConfig("walmart", ConnectorConfig.Type.WALMART).baseUrl(fake.baseUrl()));
    }

    private static ConnectorConfig credentials(final ConnectorConfig config)
    {
        return config.secret("client_id", Secret.of(FakeMarketplace.CLIENT_ID))
            .secret("client_secret", Secret.of(FakeMarketplace.CLIENT_SECRET));
    }

    /** Maps SKU n to the item id its fake expects (TikTok product/sku ids, Flipkart FSNs, eBay offer ids). */
    static void mapItem(final ConnectorConfig config, final int n)
    {
        switch (config.type())
        {
            case TIKTOK -> config.itemId(SyncHarness.sku(n), FakeTikTokShop.item(n));
            case FLIPKART -> config.itemId(SyncHarness.sku(n), FakeFlipkart.product(n));
            case EBAY -> config.itemId(SyncHarness.sku(n), FakeEbay.offer(n));
            default ->
            {
            }
        }
    }

    /** The item id a fake records for SKU n. */
    static String itemOf(final ConnectorConfig.Type type, final int n)
    {
        return type == ConnectorConfig.Type.TIKTOK ? FakeTikTokShop.item(n) : SyncHarness.sku(n);
    }
}
