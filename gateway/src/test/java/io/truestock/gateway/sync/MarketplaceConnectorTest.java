package io.truestock.gateway.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The marketplace connectors one behaviour at a time against a real server and their fakes: each OAuth channel
 * refreshes a revoked token, each channel's per-item refusal is dead-lettered without retries while the rest of the
 * batch is acknowledged, Meta and eBay carry prices with the stock and TikTok Shop, Flipkart and Walmart on their
 * price endpoints (a sale starting and ending included; Flipkart refuses fractional prices), and Walmart sends a small
 * batch item by item and a large one as a bulk feed whose status it polls.
 */
class MarketplaceConnectorTest
{
    @TempDir
    Path dir;

    private static void sync(final SyncHarness harness, final FakeChannel fake, final ConnectorConfig config,
        final int skus) throws Exception
    {
        assertThat(SyncHarness.await(() -> harness.inSync(fake, config.channel(), config.type(), skus), 30))
            .as("%s in sync", config.channel()).isTrue();
    }

    /** One import setting the on hand of sku-0, sku-1, ... at once, so a channel gets them in one batch. */
    private static io.truestock.engine.StockImportSpec imported(final long... onHand)
    {
        final String[] skus = new String[onHand.length];
        final String[] locations = new String[onHand.length];
        for (int n = 0; n < onHand.length; n++)
        {
            skus[n] = SyncHarness.sku(n);
            locations[n] = SyncHarness.LOCATION;
        }
        return new io.truestock.engine.StockImportSpec(skus, locations, onHand, new String[onHand.length], "USD");
    }

    @Test
    void everyOAuthChannelRefreshesARevokedToken() throws Exception
    {
        try (FakeTikTokShop tiktok = new FakeTikTokShop(21);
             FakeFlipkart flipkart = new FakeFlipkart(22);
             FakeEbay ebay = new FakeEbay(23);
             FakeWalmart walmart = new FakeWalmart(24))
        {
            final List<FakeMarketplace> fakes = List.of(tiktok, flipkart, ebay, walmart);
            final List<ConnectorConfig> configs = List.of(Marketplaces.tiktok(tiktok), Marketplaces.flipkart(flipkart),
                Marketplaces.ebay(ebay), Marketplaces.walmart(walmart));
            configs.forEach(c ->
            {
                SyncHarness.mapItems(c, 2);
                c.retry(20, 5, 50);
            });
            try (SyncHarness harness = SyncHarness.start(dir, configs))
            {
                harness.catalog(2, "tiktok", "flipkart", "ebay", "walmart");
                harness.submit(c -> c.receive("sku-1", SyncHarness.LOCATION, 4));
                for (int i = 0; i < fakes.size(); i++)
                {
                    sync(harness, fakes.get(i), configs.get(i), 2);
                    fakes.get(i).revokeTokens();
                }
                harness.submit(c -> c.receive("sku-1", SyncHarness.LOCATION, 4));
                for (int i = 0; i < fakes.size(); i++)
                {
                    final FakeMarketplace fake = fakes.get(i);
                    final String item = SyncHarness.itemOf(configs.get(i).type(), 1);
                    assertThat(SyncHarness.await(() -> fake.held.get(item).qty() == 8, 30)).as(configs.get(i).channel())
                        .isTrue();
                    assertThat(fake.tokensIssued.get()).as(configs.get(i).channel()).isGreaterThanOrEqualTo(2);
                    assertThat(fake.authFailures.get()).as(configs.get(i).channel()).isPositive();
                    assertThat(fake.shapeErrors).isEmpty();
                }
            }
        }
    }

    @Test
    void aRefusedItemIsDeadLetteredWhileTheRestOfItsBatchIsAcknowledged() throws Exception
    {
        try (FakeFlipkart flipkart = new FakeFlipkart(31);
             FakeMetaCatalog meta = new FakeMetaCatalog(32);
             FakeEbay ebay = new FakeEbay(33);
             FakeWalmart walmart = new FakeWalmart(34))
        {
            final List<ConnectorConfig> configs = List.of(
                Marketplaces.flipkart(flipkart).itemId("sku-0", "BADF5D4DEAFDEWSG").itemId("sku-1", FakeFlipkart.product(1)),
                Marketplaces.meta(meta).itemId("sku-0", "missing-0"),
                Marketplaces.ebay(ebay).itemId("sku-0", "off-0-gone").itemId("sku-1", FakeEbay.offer(1)),
                Marketplaces.walmart(walmart).itemId("sku-0", "bad-0").option("feed_threshold", "2")
                    .option("feed_poll_millis", "10"));
            try (SyncHarness harness = SyncHarness.start(dir, configs))
            {
                harness.catalog(2, "flipkart", "meta", "ebay", "walmart");
                harness.submit(c -> c.importStock(imported(2, 3)));
                final List<FakeChannel> fakes = List.of(flipkart, meta, ebay, walmart);
                for (int i = 0; i < configs.size(); i++)
                {
                    final Connector connector = harness.server.sync().connector(configs.get(i).channel());
                    final FakeChannel fake = fakes.get(i);
                    // The SKUs' definitions publish their first values one by one before the import: the refused SKU
                    // may be dead-lettered once per value, alone or in a batch.
                    assertThat(SyncHarness.await(() -> connector.deadLettered.get() >= 1
                        && fake.held.containsKey("sku-1") && fake.held.get("sku-1").qty() == 3, 30))
                        .as(configs.get(i).channel()).isTrue();
                    final DeadLetter letter = connector.deadLetters().get(connector.deadLetters().size() - 1);
                    assertThat(letter.sku()).isEqualTo("sku-0");
                    assertThat(letter.attempts()).isEqualTo(1);
                    assertThat(connector.retries.get()).isZero();
                    assertThat(fake.shapeErrors).isEmpty();
                }
                assertThat(harness.server.sync().connector("flipkart").deadLetters().get(0).error()).contains("INVALID_PRODUCT");
                assertThat(harness.server.sync().connector("meta").deadLetters().get(0).error()).contains("does not exist");
                assertThat(harness.server.sync().connector("ebay").deadLetters().get(0).error()).contains("25713");
                // Alone, the refused SKU goes as a single update (404); with sku-1, in a feed (DATA_ERROR).
                assertThat(harness.server.sync().connector("walmart").deadLetters().get(0).error())
                    .containsAnyOf("ERR_EXT_DATA_0101", "CONTENT_NOT_FOUND");
            }
        }
    }

    @Test
    void metaAndEbayCarryPricesAndASaleEndingClearsIt() throws Exception
    {
        try (FakeMetaCatalog meta = new FakeMetaCatalog(41);
             FakeEbay ebay = new FakeEbay(42))
        {
            final ConnectorConfig ebayConfig = Marketplaces.ebay(ebay);
            SyncHarness.mapItems(ebayConfig, 1);
            try (SyncHarness harness = SyncHarness.start(dir, List.of(Marketplaces.meta(meta), ebayConfig)))
            {
                harness.catalog(1, "meta", "ebay");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 5));
                assertThat(SyncHarness.await(() -> "10.00 USD/".equals(meta.prices.get("sku-0"))
                    && "10.00 USD".equals(ebay.prices.get("sku-0")), 20)).as("%s %s", meta.prices, ebay.prices).isTrue();

                final java.time.Instant now = java.time.Instant.now();
                final HttpResponse<String> priced = harness.http("PUT", "/v1/skus/sku-0/prices", SyncHarness.ADMIN,
                    "{\"base\":{\"amount\":1000,\"currency\":\"USD\"},\"channels\":{\"meta\":{\"amount\":1200,\"currency\":\"USD\"}},"
                    + "\"sales\":[{\"amount\":899,\"currency\":\"USD\",\"start\":\"" + now.minusSeconds(60)
                    + "\",\"end\":\"" + now.plusSeconds(3) + "\"}]}");
                assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
                assertThat(SyncHarness.await(() -> "12.00 USD/8.99 USD".equals(meta.prices.get("sku-0"))
                    && "8.99 USD".equals(ebay.prices.get("sku-0")), 20)).as("%s %s", meta.prices, ebay.prices).isTrue();
                // The sale ends three seconds later: a tick announces it and both channels get the regular price.
                assertThat(SyncHarness.await(() -> "12.00 USD/".equals(meta.prices.get("sku-0"))
                    && "10.00 USD".equals(ebay.prices.get("sku-0")), 30)).as("%s %s", meta.prices, ebay.prices).isTrue();
                assertThat(meta.held.get("sku-0").qty()).isEqualTo(5);
                assertThat(ebay.held.get("sku-0").qty()).isEqualTo(5);
            }
        }
    }

    @Test
    void tikTokFlipkartAndWalmartSendPricesOnTheirPriceEndpointsAndASaleEndingClearsIt() throws Exception
    {
        try (FakeTikTokShop tiktok = new FakeTikTokShop(43);
             FakeFlipkart flipkart = new FakeFlipkart(44);
             FakeWalmart walmart = new FakeWalmart(45))
        {
            final List<ConnectorConfig> configs = List.of(Marketplaces.tiktok(tiktok), Marketplaces.flipkart(flipkart),
                Marketplaces.walmart(walmart));
            configs.forEach(c -> SyncHarness.mapItems(c, 2));
            try (SyncHarness harness = SyncHarness.start(dir, configs))
            {
                harness.catalog(2, "tiktok", "flipkart", "walmart");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 5));
                final String tiktokItem = FakeTikTokShop.item(0);
                assertThat(SyncHarness.await(() -> shows(tiktok, tiktokItem, 1000, 1000) && shows(flipkart, "sku-0", 1000, 1000)
                    && shows(walmart, "sku-0", 1000, 1000), 20)).as("%s %s %s", tiktok.heldPrices, flipkart.heldPrices,
                    walmart.heldPrices).isTrue();

                final java.time.Instant now = java.time.Instant.now();
                final String window = ",\"currency\":\"USD\",\"start\":\"" + now.minusSeconds(60) + "\",\"end\":\""
                    + now.plusSeconds(3) + "\"";
                final HttpResponse<String> priced = harness.http("PUT", "/v1/skus/sku-0/prices", SyncHarness.ADMIN,
                    "{\"base\":{\"amount\":1000,\"currency\":\"USD\"},\"channels\":{\"flipkart\":{\"amount\":1200,"
                    + "\"currency\":\"USD\"}},\"sales\":[{\"amount\":899" + window + ",\"channels\":[\"tiktok\",\"walmart\"]},"
                    + "{\"amount\":900" + window + ",\"channels\":[\"flipkart\"]}]}");
                assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
                // TikTok Shop shows the sale's price; Flipkart the selling price under its MRP; Walmart a REDUCED
                // price with the regular one as its comparison price.
                assertThat(SyncHarness.await(() -> shows(tiktok, tiktokItem, 899, 899) && shows(flipkart, "sku-0", 900, 1200)
                    && shows(walmart, "sku-0", 899, 1000), 20)).as("%s %s %s", tiktok.heldPrices, flipkart.heldPrices,
                    walmart.heldPrices).isTrue();
                assertThat(walmart.prices.get("sku-0")).startsWith("8.99/10");
                // The sale ends three seconds later: a tick announces it and every channel gets the regular price.
                assertThat(SyncHarness.await(() -> shows(tiktok, tiktokItem, 1000, 1000) && shows(flipkart, "sku-0", 1200, 1200)
                    && shows(walmart, "sku-0", 1000, 1000), 30)).as("%s %s %s", tiktok.heldPrices, flipkart.heldPrices,
                    walmart.heldPrices).isTrue();
                assertThat(tiktok.held.get(tiktokItem).qty()).isEqualTo(5);
                assertThat(flipkart.held.get("sku-0").qty()).isEqualTo(5);
                assertThat(walmart.held.get("sku-0").qty()).isEqualTo(5);
                assertThat(walmart.singlePrices.get()).isPositive();

                // Flipkart takes whole units: a price with paise is refused (dead-lettered, never rounded).
                final HttpResponse<String> fractional = harness.http("PUT", "/v1/skus/sku-1/prices", SyncHarness.ADMIN,
                    "{\"base\":{\"amount\":1099,\"currency\":\"USD\"}}");
                assertThat(fractional.statusCode()).as(fractional.body()).isEqualTo(200);
                final Connector connector = harness.server.sync().connector("flipkart");
                assertThat(SyncHarness.await(() -> !connector.deadLetters().isEmpty(), 20)).isTrue();
                assertThat(connector.deadLetters().get(0).sku()).isEqualTo("sku-1");
                assertThat(connector.deadLetters().get(0).error()).contains("whole units").contains("10.99");
                assertThat(flipkart.heldPrices.get("sku-1").shown()).isEqualTo(1000);
                for (final FakeChannel fake : List.of(tiktok, flipkart, walmart))
                {
                    assertThat(fake.shapeErrors).isEmpty();
                    assertThat(fake.priceRegressions.get()).isZero();
                }
            }
        }
    }

    private static boolean shows(final FakeChannel fake, final String item, final long shown, final long regular)
    {
        final FakeChannel.HeldPrice held = fake.heldPrices.get(item);
        return held != null && held.shown() == shown && held.regular() == regular;
    }

    @Test
    void walmartSendsOneChangeItemByItemAndABurstAsAPolledFeed() throws Exception
    {
        try (FakeWalmart walmart = new FakeWalmart(51))
        {
            // One request a second: while the first is answered the burst accumulates into one batch.
            final ConnectorConfig config = Marketplaces.walmart(walmart).rate(1, 1).option("feed_threshold", "10")
                .option("feed_poll_millis", "10");
            try (SyncHarness harness = SyncHarness.start(dir, List.of(config)))
            {
                harness.catalog(40, "walmart");
                sync(harness, walmart, config, 40);
                // Prices travel beside the stock (and charge the rate limit): wait until they are all there too.
                final Outbox outbox = harness.server.sync().connector("walmart").outbox();
                assertThat(SyncHarness.await(() -> harness.pricesInSync(walmart, "walmart", config.type(), 40)
                    && outbox.pendingCount() == 0, 30)).isTrue();
                final long singles = walmart.singles.get();
                final long feeds = walmart.feedsReceived.get();
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 1));
                assertThat(SyncHarness.await(() -> walmart.held.containsKey("sku-0")
                    && walmart.held.get("sku-0").qty() == 1, 30)).isTrue();
                assertThat(walmart.singles.get()).isEqualTo(singles + 1);
                assertThat(walmart.feedsReceived.get()).isEqualTo(feeds);
                final long[] onHand = new long[40];
                for (int n = 0; n < 40; n++)
                {
                    onHand[n] = n + 1;
                }
                harness.submit(c -> c.importStock(imported(onHand)));
                sync(harness, walmart, config, 40);
                assertThat(walmart.feedsReceived.get()).isGreaterThan(feeds);
                assertThat(walmart.shapeErrors).isEmpty();
            }
        }
    }
}
