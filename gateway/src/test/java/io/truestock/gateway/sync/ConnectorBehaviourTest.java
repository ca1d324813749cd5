package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truestock.engine.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One behaviour at a time against a real server and fake channels: dead letters (with their audit entry, metric
 * and ledger flag) and recovery by reconcile, compare-and-swap drift on Shopify, the Login-with-Amazon refresh,
 * WooCommerce item rejections, a newer value superseding a waiting retry, startup reconciliation, and
 * credentials never showing up in what the server says.
 */
class ConnectorBehaviourTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode json(final HttpResponse<String> response) throws Exception
    {
        return JSON.readTree(response.body());
    }

    private static JsonNode channelEntry(final JsonNode sku, final String channel)
    {
        for (final JsonNode entry : sku.path("channels"))
        {
            if (entry.path("channel").asText().equals(channel))
            {
                return entry;
            }
        }
        throw new AssertionError("no channel " + channel + " in " + sku);
    }

    @Test
    void aPriceTheChannelNeverAcknowledgedIsDriftUntilAReconcileSendsIt() throws Exception
    {
        try (FakeWebhookReceiver partner = new FakeWebhookReceiver(8))
        {
            partner.faults = FakeChannel.Faults.none();
            final ConnectorConfig config = SyncHarness.webhook(partner).retry(2, 5, 20);
            try (SyncHarness harness = SyncHarness.start(dir, List.of(config)))
            {
                harness.catalog(1, "partner");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 5));
                final Connector connector = harness.server.sync().connector("partner");
                assertThat(SyncHarness.await(() -> harness.inSync(partner, "partner", config.type(), 1)
                    && harness.pricesInSync(partner, "partner", config.type(), 1)
                    && harness.server.sync().drift(connector) == 0, 30)).isTrue();

                // The channel fails every request: the new price is dead-lettered while the stock is unchanged.
                partner.faults.serverError = 1.0;
                final HttpResponse<String> priced = harness.http("PUT", "/v1/skus/sku-0/prices", SyncHarness.ADMIN,
                    "{\"base\":{\"amount\":1250,\"currency\":\"USD\"}}");
                assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
                assertThat(SyncHarness.await(() -> connector.outbox().deadCount() == 1, 30)).isTrue();
                assertThat(connector.outbox().row(0).ackedQty()).isEqualTo(5);
                assertThat(harness.server.sync().drift(connector)).as("the price differs from the acknowledged one")
                    .isEqualTo(1);
                assertThat(harness.http("GET", "/metrics", null, null).body())
                    .contains("truestock_sync_drift_skus{channel=\"partner\"} 1");

                partner.faults = FakeChannel.Faults.none();
                assertThat(harness.http("POST", "/v1/channels/partner/reconcile", SyncHarness.ADMIN, null).statusCode())
                    .isEqualTo(202);
                assertThat(SyncHarness.await(() -> harness.pricesInSync(partner, "partner", config.type(), 1)
                    && harness.server.sync().drift(connector) == 0, 30)).isTrue();
                assertThat(partner.heldPrices.get("sku-0").shown()).isEqualTo(1250);
            }
        }
    }

    @Test
    void deadLetterAfterTheRetryBoundIsAuditedCountedAndRecoveredByReconcile() throws Exception
    {
        try (FakeWebhookReceiver partner = new FakeWebhookReceiver(7))
        {
            partner.faults = FakeChannel.Faults.none();
            partner.faults.serverError = 1.0;
            final ConnectorConfig config = SyncHarness.webhook(partner).retry(3, 5, 20);
            try (SyncHarness harness = SyncHarness.start(dir, List.of(config)))
            {
                harness.catalog(1, "partner");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 5));
                final Connector connector = harness.server.sync().connector("partner");
                assertThat(SyncHarness.await(() -> connector.outbox().deadCount() == 1
                    && connector.outbox().row(0).pendingQty() == 5, 30)).isTrue();
                assertThat(partner.held.get("sku-0")).isNull();

                final JsonNode audit = json(harness.http("GET", "/v1/audit?sku=sku-0", SyncHarness.ADMIN, null));
                assertThat(SyncHarness.await(() ->
                {
                    try
                    {
                        return json(harness.http("GET", "/v1/audit?sku=sku-0", SyncHarness.ADMIN, null)).toString()
                            .contains("available=5");
                    }
                    catch (final Exception ex)
                    {
                        return false;
                    }
                }, 10)).as(audit.toString()).isTrue();
                final JsonNode entries = json(harness.http("GET", "/v1/audit?sku=sku-0", SyncHarness.ADMIN, null))
                    .path("entries");
                JsonNode letter = null;
                for (final JsonNode entry : entries)
                {
                    if (entry.path("type").asText().equals("dead_letter") && entry.path("reference").asText().contains("available=5"))
                    {
                        letter = entry;
                    }
                }
                assertThat(letter).isNotNull();
                assertThat(letter.path("principal").asText()).isEqualTo("sync:partner");
                assertThat(letter.path("reason").asText()).contains("http 50");
                assertThat(letter.path("reference").asText()).contains("available=5").contains("attempts=3");

                final String metrics = harness.http("GET", "/metrics", null, null).body();
                assertThat(metrics).contains("truestock_sync_dead_letters_total{channel=\"partner\"} " + connector.deadLettered.get())
                    .contains("truestock_sync_pending_skus{channel=\"partner\"} 1")
                    .contains("truestock_sync_drift_skus{channel=\"partner\"}")
                    .contains("truestock_sync_lag_seconds{channel=\"partner\"}");
                final JsonNode status = json(harness.http("GET", "/v1/channels/partner/sync", SyncHarness.ADMIN, null));
                assertThat(status.path("dead").asInt()).isEqualTo(1);
                assertThat(status.path("dead_letters").get(status.path("dead_letters").size() - 1).path("available").asLong())
                    .isEqualTo(5);
                final JsonNode ledger = channelEntry(json(harness.http("GET", "/v1/skus/sku-0", SyncHarness.ADMIN, null)),
                    "partner").path("sync");
                assertThat(ledger.path("dead_letter").asBoolean()).isTrue();
                assertThat(ledger.path("pending_available").asLong()).isEqualTo(5);
                for (final String said : List.of(metrics, status.toString(), entries.toString(), ledger.toString()))
                {
                    assertThat(said).doesNotContain(FakeWebhookReceiver.SECRET);
                }

                partner.faults = FakeChannel.Faults.none();
                final HttpResponse<String> reconcile = harness.http("POST", "/v1/channels/partner/reconcile",
                    SyncHarness.ADMIN, null);
                assertThat(reconcile.statusCode()).isEqualTo(202);
                assertThat(json(reconcile).path("queued").asInt()).isGreaterThanOrEqualTo(1);
                assertThat(SyncHarness.await(() -> harness.inSync(partner, "partner", ConnectorConfig.Type.WEBHOOK, 1), 30))
                    .isTrue();
                assertThat(SyncHarness.await(() -> connector.outbox().pendingCount() == 0, 10)).isTrue();
                final JsonNode synced = channelEntry(json(harness.http("GET", "/v1/skus/sku-0", SyncHarness.ADMIN, null)),
                    "partner").path("sync");
                assertThat(synced.path("acked_available").asLong()).isEqualTo(5);
                assertThat(synced.path("dead_letter").asBoolean()).isFalse();
                assertThat(synced.path("lag_ms").asLong()).isZero();
                assertThat(harness.http("GET", "/metrics", null, null).body())
                    .contains("truestock_sync_drift_skus{channel=\"partner\"} 0");

                assertThat(harness.http("POST", "/v1/channels/partner/reconcile", null, null).statusCode()).isEqualTo(401);
                assertThat(harness.http("POST", "/v1/channels/nope/reconcile", SyncHarness.ADMIN, null).statusCode())
                    .isEqualTo(404);
            }
        }
    }

    @Test
    void shopifyCompareAndSwapMismatchReadsTheLevelAndWritesAgain() throws Exception
    {
        try (FakeShopify shopify = new FakeShopify(8, "2026-04", 1000, 1000))
        {
            final ConnectorConfig config = SyncHarness.shopify(shopify);
            SyncHarness.mapItems(config, 2);
            try (SyncHarness harness = SyncHarness.start(dir, List.of(config)))
            {
                harness.catalog(2, "shopify");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 10));
                assertThat(SyncHarness.await(() -> harness.inSync(shopify, "shopify", ConnectorConfig.Type.SHOPIFY, 2), 30))
                    .isTrue();
                shopify.setExternally(FakeShopify.item(0), 999);
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 3));
                assertThat(SyncHarness.await(() -> harness.inSync(shopify, "shopify", ConnectorConfig.Type.SHOPIFY, 2), 30))
                    .isTrue();
                assertThat(shopify.held.get(FakeShopify.item(0)).qty()).isEqualTo(13);
                assertThat(shopify.stale.get()).isPositive();
                assertThat(shopify.levelReads.get()).isPositive();
                assertThat(shopify.shapeErrors).isEmpty();
            }
        }
    }

    @Test
    void amazonRefreshesARevokedAccessToken() throws Exception
    {
        try (FakeAmazon amazon = new FakeAmazon(9))
        {
            try (SyncHarness harness = SyncHarness.start(dir, List.of(SyncHarness.amazon(amazon).retry(10, 5, 50))))
            {
                harness.catalog(2, "amazon");
                harness.submit(c -> c.receive("sku-1", SyncHarness.LOCATION, 4));
                assertThat(SyncHarness.await(() -> harness.inSync(amazon, "amazon", ConnectorConfig.Type.AMAZON, 2), 30))
                    .isTrue();
                amazon.revokeTokens();
                harness.submit(c -> c.receive("sku-1", SyncHarness.LOCATION, 4));
                assertThat(SyncHarness.await(() -> amazon.held.get("sku-1").qty() == 8, 30)).isTrue();
                assertThat(amazon.tokensIssued.get()).isGreaterThanOrEqualTo(2);
                assertThat(amazon.authFailures.get()).isPositive();
                assertThat(amazon.shapeErrors).isEmpty();
            }
        }
    }

    @Test
    void aWooCommerceItemErrorIsDeadLetteredWithoutRetries() throws Exception
    {
        try (FakeWooCommerce woo = new FakeWooCommerce(10))
        {
            final ConnectorConfig config = SyncHarness.woo(woo).itemId("sku-0", "2000000").itemId("sku-1", "5001");
            try (SyncHarness harness = SyncHarness.start(dir, List.of(config)))
            {
                harness.catalog(2, "woo");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 2));
                harness.submit(c -> c.receive("sku-1", SyncHarness.LOCATION, 3));
                final Connector connector = harness.server.sync().connector("woo");
                // One dead letter per value of sku-0 sent: one if the receive's value replaced the definition's
                // before the connector sent it, two if the definition's went first (both happen).
                assertThat(SyncHarness.await(() -> connector.deadLettered.get() >= 1
                    && woo.held.containsKey("5001") && woo.held.get("5001").qty() == 3, 30)).isTrue();
                assertThat(connector.deadLettered.get()).isBetween(1L, 2L);
                for (final DeadLetter letter : connector.deadLetters())
                {
                    assertThat(letter.sku()).isEqualTo("sku-0");
                    assertThat(letter.attempts()).isEqualTo(1);
                    assertThat(letter.error()).contains("woocommerce_rest_product_invalid_id");
                }
                assertThat(connector.retries.get()).isZero();
            }
        }
    }

    @Test
    void aNewerValueSupersedesARetryWaitingOutItsBackoff() throws Exception
    {
        try (FakeWebhookReceiver partner = new FakeWebhookReceiver(11))
        {
            partner.faults = FakeChannel.Faults.none();
            partner.faults.throttle = 1.0;
            partner.faults.retryAfter = null;
            // A first retry waits at least 60 s: only a superseding value can reach the channel within the test.
            final ConnectorConfig config = SyncHarness.webhook(partner).retry(100, 120_000, 240_000);
            try (SyncHarness harness = SyncHarness.start(dir, List.of(config)))
            {
                harness.catalog(1, "partner");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 1));
                final Connector connector = harness.server.sync().connector("partner");
                assertThat(SyncHarness.await(() -> connector.retries.get() >= 1, 30)).isTrue();
                partner.faults = FakeChannel.Faults.none();
                harness.submit(c -> c.set("sku-0", SyncHarness.LOCATION, 7, Command.ABSENT, Command.ABSENT));
                assertThat(SyncHarness.await(() -> partner.held.containsKey("sku-0"), 20)).isTrue();
                assertThat(partner.held.get("sku-0").qty()).isEqualTo(7);
                assertThat(partner.applied.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void aPriceChangeReachesAWebhookChannelWithItsOwnVersion() throws Exception
    {
        try (FakeWebhookReceiver partner = new FakeWebhookReceiver(15))
        {
            partner.faults = FakeChannel.Faults.none();
            try (SyncHarness harness = SyncHarness.start(dir, List.of(SyncHarness.webhook(partner))))
            {
                harness.catalog(1, "partner");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 5));
                assertThat(SyncHarness.await(() -> partner.held.containsKey("sku-0") &&
                    partner.held.get("sku-0").qty() == 5, 20)).isTrue();

                final var priced = harness.http("PUT", "/v1/skus/sku-0/prices", SyncHarness.ADMIN,
                    "{\"base\":{\"amount\":4200,\"currency\":\"EUR\"},\"channels\":{\"partner\":{\"amount\":3900,\"currency\":\"EUR\"}}}");
                assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
                final long version = new com.fasterxml.jackson.databind.ObjectMapper().readTree(priced.body())
                    .path("version").asLong();

                assertThat(SyncHarness.await(() -> "3900 EUR".equals(partner.prices.get("sku-0")), 20))
                    .as("prices seen: %s", partner.prices).isTrue();
                assertThat(partner.held.get("sku-0").qty()).isEqualTo(5);
                assertThat(partner.held.get("sku-0").version()).isEqualTo(version);
            }
        }
    }

    @Test
    void aWooCommerceShopGetsRegularAndSalePricesAndASaleEndingClearsIt() throws Exception
    {
        try (FakeWooCommerce shop = new FakeWooCommerce(16))
        {
            shop.faults = FakeChannel.Faults.none();
            final ConnectorConfig config = SyncHarness.woo(shop);
            SyncHarness.mapItems(config, 1);
            try (SyncHarness harness = SyncHarness.start(dir, List.of(config)))
            {
                harness.catalog(1, "woo");
                harness.submit(c -> c.receive("sku-0", SyncHarness.LOCATION, 5));
                final String item = SyncHarness.itemOf(ConnectorConfig.Type.WOOCOMMERCE, 0);
                assertThat(SyncHarness.await(() -> "10.00/".equals(shop.prices.get(item)), 20))
                    .as("prices seen: %s", shop.prices).isTrue();

                final java.time.Instant now = java.time.Instant.now();
                final var priced = harness.http("PUT", "/v1/skus/sku-0/prices", SyncHarness.ADMIN,
                    "{\"base\":{\"amount\":1000,\"currency\":\"USD\"},\"channels\":{\"woo\":{\"amount\":1200,\"currency\":\"USD\"}}," +
                    "\"sales\":[{\"amount\":899,\"currency\":\"USD\",\"start\":\"" + now.minusSeconds(60) +
                    "\",\"end\":\"" + now.plusSeconds(3) + "\"}]}");
                assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
                assertThat(SyncHarness.await(() -> "12.00/8.99".equals(shop.prices.get(item)), 20))
                    .as("prices seen: %s", shop.prices).isTrue();
                // The sale ends three seconds later: a tick announces it and the shop's sale price is cleared.
                assertThat(SyncHarness.await(() -> "12.00/".equals(shop.prices.get(item)), 30))
                    .as("prices seen: %s", shop.prices).isTrue();
                assertThat(shop.held.get(item).qty()).isEqualTo(5);
            }
        }
    }

    @Test
    void startupReconcileSendsTheEnginesValuesToAChannelAddedLater() throws Exception
    {
        try (SyncHarness harness = SyncHarness.start(dir, List.of()))
        {
            harness.catalog(3, "partner");
            for (int n = 0; n < 3; n++)
            {
                final String sku = SyncHarness.sku(n);
                final long qty = 10 + n;
                harness.submit(c -> c.receive(sku, SyncHarness.LOCATION, qty));
            }
            assertThat(harness.http("POST", "/v1/channels/partner/reconcile", SyncHarness.ADMIN, null).statusCode())
                .isEqualTo(404);
        }
        try (FakeWebhookReceiver partner = new FakeWebhookReceiver(12);
             SyncHarness harness = SyncHarness.start(dir, List.of(SyncHarness.webhook(partner))))
        {
            assertThat(SyncHarness.await(() -> harness.inSync(partner, "partner", ConnectorConfig.Type.WEBHOOK, 3), 30))
                .isTrue();
            assertThat(partner.held.get("sku-2").qty()).isEqualTo(12);
        }
    }

    @Test
    void aChannelThatNeverAnswersDoesNotHoldBackAnother() throws Exception
    {
        try (FakeWebhookReceiver stuck = new FakeWebhookReceiver(13);
             FakeWebhookReceiver healthy = new FakeWebhookReceiver(14))
        {
            stuck.faults = FakeChannel.Faults.none();
            stuck.faults.blackHole = 1.0;
            stuck.faults.blackHoleMillis = 60_000;
            final ConnectorConfig stuckConfig = new ConnectorConfig("stuck", ConnectorConfig.Type.WEBHOOK)
                .baseUrl(java.net.URI.create(stuck.baseUrl() + FakeWebhookReceiver.PATH))
                .secret("secret", Secret.of(FakeWebhookReceiver.SECRET)).timeoutMillis(60_000).batchSize(1);
            try (SyncHarness harness = SyncHarness.start(dir, List.of(stuckConfig, SyncHarness.webhook(healthy).batchSize(1))))
            {
                harness.catalog(20, "stuck", "partner");
                for (int n = 0; n < 20; n++)
                {
                    final String sku = SyncHarness.sku(n);
                    harness.submit(c -> c.receive(sku, SyncHarness.LOCATION, 3));
                }
                assertThat(SyncHarness.await(() -> harness.inSync(healthy, "partner", ConnectorConfig.Type.WEBHOOK, 20), 30))
                    .isTrue();
                final Connector stuckConnector = harness.server.sync().connector("stuck");
                assertThat(stuckConnector.outbox().pendingCount()).isEqualTo(20);
                assertThat(stuckConnector.outbox().inFlightCount()).isEqualTo(stuckConfig.maxInFlight());
                assertThat(stuck.held).isEmpty();
            }
        }
    }
}
