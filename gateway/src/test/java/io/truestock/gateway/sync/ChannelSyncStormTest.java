package io.truestock.gateway.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storm: 10 000 stock and price changes over 1 000 SKUs while nine fake channels (Shopify, Amazon,
 * WooCommerce, a signed webhook, TikTok Shop, Flipkart, a Meta catalog, eBay and Walmart) throttle with 429s, fail with
 * 5xx, swallow requests until the client times out, and answer slowly. Afterwards every fake holds exactly the
 * engine's final published value of every SKU and its final price (every channel carries prices), no fake
 * ever applied an older version over a newer one, every request had the right auth and shape, and nothing was
 * dead-lettered.
 */
class ChannelSyncStormTest
{
    private static final int SKUS = 1_000;
    private static final int CHANGES = 10_000;

    @TempDir
    Path dir;

    @Test
    void everyChannelEndsWithTheEnginesFinalValueAndNeverRegresses() throws Exception
    {
        try (FakeShopify shopify = new FakeShopify(1, "2026-04", 400, 2_000);
             FakeAmazon amazon = new FakeAmazon(2);
             FakeWooCommerce woo = new FakeWooCommerce(3);
             FakeWebhookReceiver partner = new FakeWebhookReceiver(4);
             FakeTikTokShop tiktok = new FakeTikTokShop(5);
             FakeFlipkart flipkart = new FakeFlipkart(6);
             FakeMetaCatalog meta = new FakeMetaCatalog(7);
             FakeEbay ebay = new FakeEbay(8);
             FakeWalmart walmart = new FakeWalmart(9))
        {
            final List<FakeChannel> fakes = List.of(shopify, amazon, woo, partner, tiktok, flipkart, meta, ebay, walmart);
            fakes.forEach(f ->
            {
                f.faults = FakeChannel.Faults.storm();
                f.faults.blackHoleMillis = 400;
                f.faults.slowMillis = 150;
            });
            final ConnectorConfig shopifyConfig = SyncHarness.shopify(shopify).batchSize(50);
            final ConnectorConfig amazonConfig = SyncHarness.amazon(amazon).rate(2_000, 50).maxInFlight(8);
            final ConnectorConfig wooConfig = SyncHarness.woo(woo).batchSize(100);
            final ConnectorConfig partnerConfig = SyncHarness.webhook(partner).batchSize(100);
            final List<ConnectorConfig> configs = List.of(shopifyConfig, amazonConfig, wooConfig, partnerConfig,
                Marketplaces.tiktok(tiktok).maxInFlight(8), Marketplaces.flipkart(flipkart).maxInFlight(4),
                Marketplaces.meta(meta).batchSize(100).maxInFlight(2), Marketplaces.ebay(ebay).maxInFlight(4),
                Marketplaces.walmart(walmart).batchSize(100).option("feed_threshold", "20").option("feed_poll_millis", "20"));
            for (final ConnectorConfig config : configs)
            {
                SyncHarness.mapItems(config, SKUS);
                final boolean single = config.type().maxBatch() == 1;
                config.rate(single ? 2_000 : 200, 50).retry(1000, 5, 200).timeoutMillis(250);
            }
            try (SyncHarness harness = SyncHarness.start(dir, configs))
            {
                harness.catalog(SKUS, "shopify", "amazon", "woo", "partner", "tiktok", "flipkart", "meta", "ebay", "walmart");
                final Random random = new Random(42);
                for (int i = 0; i < CHANGES; i++)
                {
                    final String sku = SyncHarness.sku(i < SKUS ? i : random.nextInt(SKUS));
                    if (i % 50 == 49)
                    {
                        reprice(harness, random, sku);
                    }
                    else if (random.nextBoolean())
                    {
                        final long qty = 1 + random.nextInt(20);
                        harness.submit(c -> c.receive(sku, SyncHarness.LOCATION, qty));
                    }
                    else
                    {
                        final long onHand = random.nextInt(100);
                        harness.submit(c -> c.set(sku, SyncHarness.LOCATION, onHand, io.truestock.engine.Command.ABSENT,
                            io.truestock.engine.Command.ABSENT));
                    }
                }
                final boolean synced = SyncHarness.await(() ->
                    harness.inSync(shopify, "shopify", ConnectorConfig.Type.SHOPIFY, SKUS)
                        && harness.inSync(amazon, "amazon", ConnectorConfig.Type.AMAZON, SKUS)
                        && harness.inSync(woo, "woo", ConnectorConfig.Type.WOOCOMMERCE, SKUS)
                        && harness.inSync(partner, "partner", ConnectorConfig.Type.WEBHOOK, SKUS)
                        && configs.stream().skip(4).allMatch(c -> harness.inSync(fakes.get(configs.indexOf(c)),
                            c.channel(), c.type(), SKUS)), 240);
                harness.assertInSync(shopify, "shopify", ConnectorConfig.Type.SHOPIFY, SKUS);
                harness.assertInSync(amazon, "amazon", ConnectorConfig.Type.AMAZON, SKUS);
                harness.assertInSync(woo, "woo", ConnectorConfig.Type.WOOCOMMERCE, SKUS);
                harness.assertInSync(partner, "partner", ConnectorConfig.Type.WEBHOOK, SKUS);
                for (int i = 4; i < configs.size(); i++)
                {
                    harness.assertInSync(fakes.get(i), configs.get(i).channel(), configs.get(i).type(), SKUS);
                }
                assertThat(synced).isTrue();
                // Every fake (fakes and configs in the same order) ends showing the engine's final price too: every
                // channel carries prices.
                final List<Integer> pricedChannels = java.util.stream.IntStream.range(0, fakes.size())
                    .filter(i -> harness.server.sync().connector(configs.get(i).channel()).carriesPrices())
                    .boxed().toList();
                assertThat(pricedChannels).hasSize(fakes.size());
                final boolean priced = SyncHarness.await(() -> pricedChannels.stream()
                    .allMatch(i -> harness.pricesInSync(fakes.get(i), configs.get(i).channel(), configs.get(i).type(), SKUS)), 120);
                for (final int i : pricedChannels)
                {
                    harness.assertPricesInSync(fakes.get(i), configs.get(i).channel(), configs.get(i).type(), SKUS);
                }
                assertThat(priced).isTrue();
                for (final FakeChannel fake : fakes)
                {
                    assertThat(fake.shapeErrors).as(fake.getClass().getSimpleName()).isEmpty();
                    assertThat(fake.regressions.get()).as(fake.getClass().getSimpleName()).isZero();
                    assertThat(fake.priceRegressions.get()).as(fake.getClass().getSimpleName()).isZero();
                    assertThat(fake.authFailures.get()).as(fake.getClass().getSimpleName()).isZero();
                    assertThat(fake.throttled.get()).as("429s injected").isPositive();
                    assertThat(fake.serverErrors.get()).as("5xx injected").isPositive();
                    assertThat(fake.blackHoled.get()).as("timeouts injected").isPositive();
                    assertThat(fake.slowed.get()).as("slow answers injected").isPositive();
                }
                for (final ConnectorConfig config : configs)
                {
                    final Connector connector = harness.server.sync().connector(config.channel());
                    assertThat(connector.deadLettered.get()).as(config.channel()).isZero();
                    assertThat(SyncHarness.await(() -> connector.outbox().pendingCount() == 0, 30)).isTrue();
                    assertThat(connector.retries.get()).as("retries on " + config.channel()).isPositive();
                }
            }
        }
    }

    /**
     * A new price list for the SKU: a new base, sometimes a channel override, sometimes a sale running for an hour.
     * Flipkart takes whole units only, so its channel always has a whole-unit override and a sale of its own.
     */
    private static void reprice(final SyncHarness harness, final Random random, final String sku) throws Exception
    {
        final java.time.Instant now = java.time.Instant.now();
        final long base = 500 + random.nextInt(2_000);
        final long flipkart = (base / 100 + 1) * 100;
        final String override = ",\"channels\":{\"flipkart\":{\"amount\":" + flipkart + ",\"currency\":\"USD\"}"
            + (random.nextBoolean() ? "" : ",\"amazon\":{\"amount\":" + (base + 100) + ",\"currency\":\"USD\"}") + "}";
        final String window = ",\"currency\":\"USD\",\"start\":\"" + now.minusSeconds(60) + "\",\"end\":\""
            + now.plusSeconds(3_600) + "\"";
        final String sale = random.nextBoolean() ? "" : ",\"sales\":[{\"amount\":" + (base / 2) + window
            + ",\"channels\":[\"shopify\",\"amazon\",\"woo\",\"partner\",\"tiktok\",\"meta\",\"ebay\",\"walmart\"]},"
            + "{\"amount\":" + (flipkart / 200 * 100) + window + ",\"channels\":[\"flipkart\"]}]";
        final var answer = harness.http("PUT", "/v1/skus/" + sku + "/prices", SyncHarness.ADMIN,
            "{\"base\":{\"amount\":" + base + ",\"currency\":\"USD\"}" + override + sale + "}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
}
