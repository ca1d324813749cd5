package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.EngineSnapshot;
import io.truestock.gateway.api.ApiHarness.Reply;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.snapshot.SbeDefinitionCodec;
import io.truestock.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/admin/snapshot} on a single node: admin only, answered once the snapshot is written, with the
 * sequence it holds; the file is the newest valid snapshot recovery would load, and restored it holds the state the
 * API showed at that sequence.
 */
class SnapshotApiTest
{
    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @Test
    void aSnapshotOnRequestIsWrittenAtTheCurrentSequenceAndLoadsBack() throws Exception
    {
        api.standardCatalog(10, "shoe");
        api.receive("shoe", "oak", 7);
        final JsonNode before = api.sku("shoe");
        final long version = before.path("version").asLong();

        final Reply taken = api.send("POST", "/v1/admin/snapshot", null);

        assertThat(taken.status()).as(taken.body()).isEqualTo(200);
        assertThat(taken.json().path("mode").asText()).isEqualTo("single");
        final long sequence = taken.json().path("sequence").asLong();
        assertThat(sequence).isGreaterThanOrEqualTo(version);
        final List<String> skipped = new ArrayList<>();
        final SnapshotStore.Loaded newest = new SnapshotStore(api.dataDir().resolve("snapshots"), 3)
            .newest(Long.MAX_VALUE, skipped::add);
        assertThat(skipped).isEmpty();
        assertThat(newest).isNotNull();
        assertThat(newest.sequence()).isEqualTo(sequence);
        final EngineConfig config = new EngineConfig().maxSkus(1024).maxLocations(8).maxChannels(8);
        final Engine restored = EngineSnapshot.restore(config.conclude(), newest.bytes(),
            new SbeDefinitionCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES));
        assertThat(restored.lastSequence()).isEqualTo(sequence);
        final ChannelView view = new ChannelView();
        assertThat(restored.readChannel("shoe", "shopify", view)).isTrue();
        assertThat(view.available()).as("shoe on shopify in the snapshot").isEqualTo(17);

        api.restart();
        assertThat(api.sku("shoe").path("version").asLong()).isGreaterThanOrEqualTo(sequence);
    }

    @Test
    void onlyAnAdminTakesSnapshotsAndOnlyByPost()
    {
        api.standardCatalog(10, "shoe");
        final String agent = api.createKey("agent");

        final Reply forbidden = api.sendAs(agent, "POST", "/v1/admin/snapshot", null);
        assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
        final Reply wrongMethod = api.send("GET", "/v1/admin/snapshot", null);
        assertThat(wrongMethod.status()).as(wrongMethod.body()).isEqualTo(405);
        final Reply unknown = api.send("POST", "/v1/admin/backup", null);
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
    }
}
