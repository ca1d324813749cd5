package io.truestock.gateway.sync;

import io.truestock.engine.StockView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders of the channels read by polling (TikTok Shop, Flipkart, eBay, Walmart) against their fakes: every page of
 * orders becomes idempotent channel orders, lines of SKUs the engine does not know are skipped, the cursor is
 * persisted and a restart neither skips nor doubles an order, a corrupted cursor re-reads (duplicates only), a
 * fault-injecting API is polled again, and a verified TikTok Shop push reads at once while a badly signed one is
 * 401 and changes nothing.
 */
class OrderPollingTest
{
    private static final int SKUS = 4;

    @TempDir
    Path dir;

    private static long committed(final SyncHarness harness, final int n)
    {
        final StockView view = new StockView();
        harness.server.engine().readStock(SyncHarness.sku(n), SyncHarness.LOCATION, view);
        return view.committed();
    }

    /** Five orders on each fake (three pages of two), one of them with an unknown SKU only. */
    private static void seed(final FakeMarketplace fake, final String prefix, final long createdMillis)
    {
        fake.orders.add(new FakeMarketplace.FakeOrder(prefix + "1", createdMillis, Map.of("sku-0", 1L)));
        fake.orders.add(new FakeMarketplace.FakeOrder(prefix + "2", createdMillis + 1_000, Map.of("sku-1", 2L)));
        fake.orders.add(new FakeMarketplace.FakeOrder(prefix + "3", createdMillis + 2_000, Map.of("sku-0", 1L, "sku-2", 3L)));
        fake.orders.add(new FakeMarketplace.FakeOrder(prefix + "4", createdMillis + 3_000, Map.of("not-ours", 5L)));
        fake.orders.add(new FakeMarketplace.FakeOrder(prefix + "5", createdMillis + 4_000, Map.of("sku-3", 4L)));
    }

    private record Channels(FakeTikTokShop tiktok, FakeFlipkart flipkart, FakeEbay ebay, FakeWalmart walmart,
        List<ConnectorConfig> configs) implements AutoCloseable
    {
        static Channels start(final int seed, final long createdMillis)
        {
            final FakeTikTokShop tiktok = new FakeTikTokShop(seed);
            final FakeFlipkart flipkart = new FakeFlipkart(seed + 1);
            final FakeEbay ebay = new FakeEbay(seed + 2);
            final FakeWalmart walmart = new FakeWalmart(seed + 3);
            seed(tiktok, "577086512123", createdMillis);
            seed(flipkart, "OD4281", createdMillis);
            seed(ebay, "12-03456-", createdMillis);
            seed(walmart, "10882", createdMillis);
            return new Channels(tiktok, flipkart, ebay, walmart, configs(tiktok, flipkart, ebay, walmart));
        }

        static List<ConnectorConfig> configs(final FakeTikTokShop tiktok, final FakeFlipkart flipkart, final FakeEbay ebay,
            final FakeWalmart walmart)
        {
            final List<ConnectorConfig> configs = List.of(Marketplaces.tiktok(tiktok), Marketplaces.flipkart(flipkart),
                Marketplaces.ebay(ebay), Marketplaces.walmart(walmart));
            configs.forEach(c ->
            {
                SyncHarness.mapItems(c, SKUS);
                c.option("orders_poll_seconds", "1");
            });
            return configs;
        }

        List<FakeMarketplace> fakes()
        {
            return List.of(tiktok, flipkart, ebay, walmart);
        }

        @Override
        public void close()
        {
            fakes().forEach(FakeChannel::close);
        }
    }

    private static void catalog(final SyncHarness harness) throws Exception
    {
        harness.catalog(SKUS, "tiktok", "flipkart", "ebay", "walmart");
        for (int n = 0; n < SKUS; n++)
        {
            final String sku = SyncHarness.sku(n);
            harness.submit(c -> c.receive(sku, SyncHarness.LOCATION, 100));
        }
    }

    /** Each channel's four orders of our SKUs: sku-0 twice (1 + 1), sku-1 2, sku-2 3, sku-3 4, on four channels. */
    private static boolean allRecorded(final SyncHarness harness)
    {
        return committed(harness, 0) == 8 && committed(harness, 1) == 8 && committed(harness, 2) == 12
            && committed(harness, 3) == 16;
    }

    @Test
    void everyPageBecomesChannelOrdersOnceAcrossRestartsAndACorruptedCursor() throws Exception
    {
        // The orders were taken just after the connectors start reading (a new connector reads from its start).
        try (Channels channels = Channels.start(60, System.currentTimeMillis() + 2_000))
        {
            try (SyncHarness harness = SyncHarness.start(dir, channels.configs()))
            {
                catalog(harness);
                assertThat(SyncHarness.await(() -> allRecorded(harness), 60)).as("orders recorded").isTrue();
                // A poll moves its cursor after recording every order it read: wait for that last step too.
                for (final String channel : List.of("tiktok", "flipkart", "ebay", "walmart"))
                {
                    final Path cursor = dir.resolve("orders").resolve(channel + ".cursor");
                    assertThat(SyncHarness.await(() -> Files.exists(cursor), 30)).as(channel + " cursor").isTrue();
                    assertThat(Files.readString(cursor)).startsWith("v1 ");
                }
                assertThat(harness.http("GET", "/v1/orders/5770865121233?channel=tiktok", SyncHarness.ADMIN, null)
                    .statusCode()).isEqualTo(200);
                assertThat(harness.http("GET", "/v1/orders/OD42815?channel=flipkart", SyncHarness.ADMIN, null)
                    .statusCode()).isEqualTo(200);
                assertThat(harness.http("GET", "/v1/orders/10882" + "4?channel=walmart", SyncHarness.ADMIN, null)
                    .statusCode()).as("an order of unknown SKUs only is not recorded").isEqualTo(404);
            }
            // A restart reads from the persisted cursor: the orders already recorded stay recorded once.
            Files.writeString(dir.resolve("orders").resolve("ebay.cursor"), "v1 12345 0\n");
            try (SyncHarness harness = SyncHarness.start(dir, Channels.configs(channels.tiktok(), channels.flipkart(),
                channels.ebay(), channels.walmart())))
            {
                final long reads = channels.ebay().orderReads.get();
                channels.walmart().orders.add(new FakeMarketplace.FakeOrder("108826", System.currentTimeMillis(),
                    Map.of("sku-1", 1L)));
                assertThat(SyncHarness.await(() -> committed(harness, 1) == 9, 60)).as("a new order").isTrue();
                assertThat(SyncHarness.await(() -> channels.ebay().orderReads.get() > reads + 2
                    && harness.server.orderPoller().duplicates.get("ebay").get() >= 4, 60))
                    .as("the corrupted eBay cursor re-read its orders as duplicates").isTrue();
                assertThat(committed(harness, 0)).isEqualTo(8);
                assertThat(committed(harness, 2)).isEqualTo(12);
                assertThat(committed(harness, 3)).isEqualTo(16);
                assertThat(harness.server.orderPoller().recorded.get("ebay").get()).isZero();
                for (final FakeMarketplace fake : channels.fakes())
                {
                    assertThat(fake.shapeErrors).isEmpty();
                    assertThat(fake.authFailures.get()).isZero();
                }
            }
        }
    }

    @Test
    void aFaultyOrderApiIsReadAgainUntilEveryOrderIsRecorded() throws Exception
    {
        try (Channels channels = Channels.start(70, System.currentTimeMillis() + 2_000))
        {
            channels.fakes().forEach(f ->
            {
                f.faults = FakeChannel.Faults.storm();
                f.faults.throttle = 0.2;
                f.faults.serverError = 0.2;
                f.faults.blackHoleMillis = 300;
            });
            channels.configs().forEach(c -> c.timeoutMillis(250));
            try (SyncHarness harness = SyncHarness.start(dir, channels.configs()))
            {
                catalog(harness);
                assertThat(SyncHarness.await(() -> allRecorded(harness), 90)).as("orders recorded").isTrue();
                for (final FakeMarketplace fake : channels.fakes())
                {
                    assertThat(fake.faultsInjected()).isPositive();
                    assertThat(fake.shapeErrors).isEmpty();
                }
            }
        }
    }

    @Test
    void aVerifiedTikTokPushReadsOrdersAtOnceAndABadSignatureChangesNothing() throws Exception
    {
        try (FakeTikTokShop tiktok = new FakeTikTokShop(80))
        {
            final ConnectorConfig config = Marketplaces.tiktok(tiktok).option("orders_poll_seconds", "86400");
            SyncHarness.mapItems(config, SKUS);
            try (SyncHarness harness = SyncHarness.start(dir, List.of(config)))
            {
                harness.catalog(SKUS, "tiktok");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 10));
                assertThat(SyncHarness.await(() -> tiktok.orderReads.get() >= 1
                    && Files.exists(dir.resolve("orders").resolve("tiktok.cursor")), 30)).isTrue();
                tiktok.orders.add(new FakeMarketplace.FakeOrder("576461413038785752", System.currentTimeMillis(),
                    Map.of("sku-0", 2L)));
                final String body = "{\"type\":1,\"tts_notification_id\":\"7327112393057371910\",\"shop_id\":\"7494\","
                    + "\"timestamp\":" + System.currentTimeMillis() / 1000 + ",\"data\":{\"order_id\":\"576461413038785752\","
                    + "\"order_status\":\"AWAITING_SHIPMENT\",\"update_time\":" + System.currentTimeMillis() / 1000 + "}}";
                final String good = HexFormat.of().formatHex(Signatures.hmac(Secret.of(FakeTikTokShop.APP_SECRET),
                    FakeTikTokShop.APP_KEY.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8)));
                final String bad = HexFormat.of().formatHex(Signatures.hmac(Secret.of("not-the-secret"),
                    FakeTikTokShop.APP_KEY.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8)));
                final long reads = tiktok.orderReads.get();
                final var refused = harness.http("POST", "/v1/channels/tiktok/webhooks/orders", null, body,
                    "Authorization", bad);
                assertThat(refused.statusCode()).isEqualTo(401);
                assertThat(harness.http("POST", "/v1/channels/tiktok/webhooks/orders", null, body).statusCode())
                    .isEqualTo(401);
                assertThat(tiktok.orderReads.get()).isEqualTo(reads);
                assertThat(committed(harness, 0)).isZero();

                final var accepted = harness.http("POST", "/v1/channels/tiktok/webhooks/orders", null, body,
                    "Authorization", good);
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
                assertThat(SyncHarness.await(() -> committed(harness, 0) == 2, 30)).isTrue();
                assertThat(harness.http("POST", "/v1/channels/ebay/webhooks/orders", null, "{}").statusCode())
                    .isEqualTo(404);
            }
        }
    }
}
