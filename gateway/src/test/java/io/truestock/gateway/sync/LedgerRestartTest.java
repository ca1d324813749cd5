package io.truestock.gateway.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The persisted acknowledgement ledger across a real restart of the server on the same data directory: with
 * 10 000 SKUs synced to Shopify, Amazon, WooCommerce and a webhook, of which 10 change while no connector runs
 * (five in stock, five in price), the restarted server sends exactly those 10 to each channel. A damaged ledger
 * record makes its SKU unacknowledged (resent), never acknowledged.
 */
class LedgerRestartTest
{
    private static final int SKUS = 10_000;

    @TempDir
    Path dir;

    @Test
    void aRestartSendsOnlyTheSkusWhoseStockOrPriceChanged() throws Exception
    {
        try (FakeShopify shopify = new FakeShopify(21, "2026-04", 4_000, 40_000);
             FakeAmazon amazon = new FakeAmazon(22);
             FakeWooCommerce woo = new FakeWooCommerce(23);
             FakeWebhookReceiver partner = new FakeWebhookReceiver(24))
        {
            final List<FakeChannel> fakes = List.of(shopify, amazon, woo, partner);
            final List<ConnectorConfig> configs = List.of(SyncHarness.shopify(shopify), SyncHarness.amazon(amazon),
                SyncHarness.woo(woo), SyncHarness.webhook(partner));
            for (final ConnectorConfig config : configs)
            {
                SyncHarness.mapItems(config, SKUS);
                config.rate(5_000, 500).maxInFlight(8);
            }
            try (SyncHarness harness = SyncHarness.start(dir, configs, 16_384))
            {
                harness.catalog(SKUS, "shopify", "amazon", "woo", "partner");
                for (int n = 0; n < SKUS; n++)
                {
                    final String sku = SyncHarness.sku(n);
                    final long qty = 1 + n % 50;
                    harness.submit(c -> c.receive(sku, SyncHarness.LOCATION, qty));
                }
                awaitInSync(harness, fakes, configs);
            }
            final long[] before = new long[fakes.size()];
            final long[] pricesBefore = new long[fakes.size()];
            for (int i = 0; i < fakes.size(); i++)
            {
                before[i] = fakes.get(i).applied.get();
                pricesBefore[i] = fakes.get(i).pricesApplied.get();
            }
            try (SyncHarness harness = SyncHarness.start(dir, List.of(), 16_384))
            {
                for (int n = 0; n < 5; n++)
                {
                    final String sku = SyncHarness.sku(n * 997);
                    harness.submit(c -> c.receive(sku, SyncHarness.LOCATION, 3));
                }
                for (int n = 5; n < 10; n++)
                {
                    final var priced = harness.http("PUT", "/v1/skus/" + SyncHarness.sku(n * 997) + "/prices",
                        SyncHarness.ADMIN, "{\"base\":{\"amount\":" + (1500 + n) + ",\"currency\":\"USD\"}}");
                    assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
                }
            }
            try (SyncHarness harness = SyncHarness.start(dir, configs, 16_384))
            {
                awaitInSync(harness, fakes, configs);
                for (int i = 0; i < fakes.size(); i++)
                {
                    final FakeChannel fake = fakes.get(i);
                    final String name = fake.getClass().getSimpleName();
                    assertThat(fake.applied.get() - before[i]).as("SKUs sent to %s after the restart", name)
                        .isEqualTo(10);
                    // Shopify and Amazon send a price only when it changed; the others carry it with every update.
                    final boolean separatePrice = fake == shopify || fake == amazon;
                    assertThat(fake.pricesApplied.get() - pricesBefore[i]).as("prices sent to %s", name)
                        .isEqualTo(separatePrice ? 5 : 10);
                    assertThat(fake.shapeErrors).as(name).isEmpty();
                    assertThat(fake.regressions.get() + fake.priceRegressions.get()).as(name).isZero();
                }
                for (final ConnectorConfig config : configs)
                {
                    assertThat(harness.server.sync().connector(config.channel()).acked.get()).as(config.channel())
                        .isEqualTo(10);
                }
            }
        }
    }

    @Test
    void aDamagedLedgerRecordMakesItsSkuUnacknowledgedAndItIsResent() throws Exception
    {
        try (FakeWebhookReceiver partner = new FakeWebhookReceiver(25))
        {
            final List<ConnectorConfig> configs = List.of(SyncHarness.webhook(partner));
            try (SyncHarness harness = SyncHarness.start(dir, configs))
            {
                harness.catalog(20, "partner");
                for (int n = 0; n < 20; n++)
                {
                    final String sku = SyncHarness.sku(n);
                    final long qty = 10 + n;
                    harness.submit(c -> c.receive(sku, SyncHarness.LOCATION, qty));
                }
                final Connector connector = harness.server.sync().connector("partner");
                assertThat(SyncHarness.await(() -> harness.inSync(partner, "partner", ConnectorConfig.Type.WEBHOOK, 20)
                    && connector.outbox().pendingCount() == 0, 60)).isTrue();
            }
            // Damage the earliest record that is some SKU's last one (an acknowledgement, as the ledger was closed
            // cleanly): that SKU's last readable record is now an older one, so it is unknown; every other SKU's last
            // record comes later and still stands.
            final Path file = dir.resolve("sync-ledger").resolve(AckLedger.fileName("partner"));
            final byte[] bytes = Files.readAllBytes(file);
            final java.util.Map<String, Integer> last = new java.util.HashMap<>();
            for (int slot = 1; slot < bytes.length / AckLedger.RECORD; slot++)
            {
                final int at = slot * AckLedger.RECORD;
                if (bytes[at + 12] == AckLedger.ACK || bytes[at + 12] == AckLedger.SENT)
                {
                    last.put(new String(bytes, at + 14, bytes[at + 13], java.nio.charset.StandardCharsets.UTF_8), slot);
                }
            }
            final int at = java.util.Collections.min(last.values()) * AckLedger.RECORD;
            assertThat(bytes[at + 12]).isEqualTo(AckLedger.ACK);
            final String damagedSku = new String(bytes, at + 14, bytes[at + 13], java.nio.charset.StandardCharsets.UTF_8);
            // A reserved byte: only the checksum can tell the record was damaged.
            bytes[at + 120] ^= 0x10;
            Files.write(file, bytes);
            final long before = partner.applied.get();
            partner.held.clear();
            try (SyncHarness harness = SyncHarness.start(dir, configs))
            {
                final Connector connector = harness.server.sync().connector("partner");
                assertThat(SyncHarness.await(() -> partner.held.containsKey(damagedSku)
                    && connector.outbox().pendingCount() == 0, 60)).isTrue();
                assertThat(partner.held.keySet()).containsExactly(damagedSku);
                assertThat(partner.applied.get() - before).isEqualTo(1);
                assertThat(partner.held.get(damagedSku).qty())
                    .isEqualTo(harness.engineValue("partner", Integer.parseInt(damagedSku.substring(4))));
            }
        }
    }

    private static void awaitInSync(final SyncHarness harness, final List<FakeChannel> fakes,
        final List<ConnectorConfig> configs) throws InterruptedException
    {
        for (int i = 0; i < fakes.size(); i++)
        {
            final FakeChannel fake = fakes.get(i);
            final ConnectorConfig config = configs.get(i);
            final Connector connector = harness.server.sync().connector(config.channel());
            assertThat(SyncHarness.await(() -> connector.outbox().pendingCount() == 0
                && harness.inSync(fake, config.channel(), config.type(), SKUS)
                && harness.pricesInSync(fake, config.channel(), config.type(), SKUS), 300))
                .as("%s in sync", config.channel()).isTrue();
        }
    }
}
