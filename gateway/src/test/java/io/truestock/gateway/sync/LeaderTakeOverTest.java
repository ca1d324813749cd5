package io.truestock.gateway.sync;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.CommandJournal;
import io.truestock.engine.runtime.EngineRuntime;
import io.truestock.engine.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channel sync in cluster mode ({@link ChannelSync#standby}): nothing is sent until {@link ChannelSync#lead}; a node
 * that led the term before trusts its acknowledgement ledger and sends only what changed, one that did not (another
 * node may have sent meanwhile) forgets it and sends every SKU again; the led term survives a restart.
 */
class LeaderTakeOverTest
{
    private static final int SKUS = 5;

    @TempDir
    Path dir;

    @Test
    void aNewLeaderTrustsItsLedgerOnlyAfterLeadingTheTermBefore() throws Exception
    {
        final Path ledgers = dir.resolve("sync-ledger");
        try (FakeWebhookReceiver partner = new FakeWebhookReceiver(31))
        {
            final Engine engine = new Engine(new EngineConfig().maxSkus(64).maxLocations(4).maxChannels(4).conclude());
            try (ChannelSync sync = new ChannelSync(engine, List.of(SyncHarness.webhook(partner)), null, ledgers)
                     .standby();
                 EngineRuntime runtime = new EngineRuntime(engine, new RuntimeConfig(), CommandJournal.NONE, sync))
            {
                runtime.start();
                sync.start();
                submit(runtime, c -> c.defineLocation("oak", LocationSpec.named("Oak")));
                submit(runtime, c -> c.defineChannel("partner", ChannelSpec.named("Partner", "oak")));
                for (int n = 0; n < SKUS; n++)
                {
                    final String sku = SyncHarness.sku(n);
                    submit(runtime, c -> c.defineSku(sku, SkuSpec.simple(sku, 100, "USD")));
                    submit(runtime, c -> c.receive(sku, "oak", 10));
                }
                assertThat(sync.active()).isFalse();
                assertThat(partner.applied.get()).as("sent while standing by").isZero();

                sync.lead(1);
                awaitHolds(partner, engine, sync);
                assertThat(partner.applied.get()).as("first take-over, no ledger: every SKU").isEqualTo(SKUS);

                sync.follow();
                submit(runtime, c -> c.receive(SyncHarness.sku(0), "oak", 1));
                sync.lead(2);
                awaitHolds(partner, engine, sync);
                assertThat(partner.applied.get()).as("led term 1, leads term 2: the one change").isEqualTo(SKUS + 1);

                sync.follow();
                submit(runtime, c -> c.receive(SyncHarness.sku(1), "oak", 1));
                sync.lead(4);
                awaitHolds(partner, engine, sync);
                assertThat(partner.applied.get()).as("led term 2, leads term 4: unsure, every SKU")
                    .isEqualTo(2L * SKUS + 1);
                assertThat(partner.regressions()).isZero();
            }
            assertThat(new LedTerm(ledgers).read()).as("the led term on disk").isEqualTo(4);
        }
    }

    private static void submit(final EngineRuntime runtime, final CommandFiller filler) throws Exception
    {
        assertThat(runtime.submit(filler).get().accepted()).isTrue();
    }

    /** Waits until the channel holds the engine's values and nothing is left to send. */
    private static void awaitHolds(final FakeWebhookReceiver partner, final Engine engine, final ChannelSync sync)
        throws InterruptedException
    {
        final Outbox outbox = sync.connector("partner").outbox();
        final ChannelView view = new ChannelView();
        assertThat(SyncHarness.await(() ->
        {
            final Map<String, Long> expected = new TreeMap<>();
            for (int n = 0; n < SKUS; n++)
            {
                engine.readChannel(SyncHarness.sku(n), "partner", view);
                expected.put(SyncHarness.sku(n), view.available());
            }
            return partner.quantities().equals(expected) && outbox.pendingCount() == 0 && outbox.inFlightCount() == 0;
        }, 30)).as("the channel holds the engine's values").isTrue();
    }
}
