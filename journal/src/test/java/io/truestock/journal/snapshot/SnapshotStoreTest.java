package io.truestock.journal.snapshot;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.EngineSnapshot;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotStoreTest
{
    @TempDir
    Path dir;

    private static EngineConfig config()
    {
        return new EngineConfig().maxSkus(16).maxLocations(4).maxChannels(4);
    }

    /** An engine that applied {@code receives} receives after a small catalog. */
    private static Engine engine(final int receives)
    {
        final Engine engine = new Engine(config());
        engine.snapshotCodec(new SbeDefinitionCodec());
        final Command c = new Command(8);
        final Outcome out = new Outcome();
        final Events events = new Events();
        long seq = 0;
        engine.apply(c.clear().defineLocation("oak", LocationSpec.named("Oakland")).stamp(++seq, 1000), out, events);
        engine.apply(c.clear().defineChannel("shop", ChannelSpec.named("Shop")).stamp(++seq, 1000), out, events);
        engine.apply(c.clear().defineSku("a", SkuSpec.simple("A", 100, "USD")).stamp(++seq, 1000), out, events);
        for (int i = 0; i < receives; i++)
        {
            engine.apply(c.clear().receive("a", "oak", 1).stamp(++seq, 1000 + i), out, events);
        }
        return engine;
    }

    @Test
    void keepsTheNewestAndLoadsTheNewestValidOne() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir, 2);
        store.write(EngineSnapshot.capture(engine(1)));
        store.write(EngineSnapshot.capture(engine(2)));
        final Path newest = store.write(EngineSnapshot.capture(engine(3)));
        assertThat(store.files()).hasSize(2);
        assertThat(store.files().get(0)).isEqualTo(newest);

        final List<String> skipped = new ArrayList<>();
        final SnapshotStore.Loaded loaded = store.newest(Long.MAX_VALUE, skipped::add);
        assertThat(loaded.sequence()).isEqualTo(6);
        assertThat(skipped).isEmpty();
        assertThat(EngineSnapshot.restore(config(), loaded.bytes(), new SbeDefinitionCodec()).digest()).isEqualTo(engine(3).digest());
        assertThat(store.newest(5, skipped::add).sequence()).isEqualTo(5);
        assertThat(store.newest(4, skipped::add)).isNull();
    }

    @Test
    void aCorruptOrPartialSnapshotIsSkippedForTheNextOlderOne() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir, 3);
        store.write(EngineSnapshot.capture(engine(1)));
        final Path middle = store.write(EngineSnapshot.capture(engine(2)));
        final Path newest = store.write(EngineSnapshot.capture(engine(3)));

        final byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(newest, bytes);
        final byte[] partial = Files.readAllBytes(middle);
        Files.write(middle, Arrays.copyOf(partial, partial.length - 10));

        final List<String> skipped = new ArrayList<>();
        final SnapshotStore.Loaded loaded = store.newest(Long.MAX_VALUE, skipped::add);
        assertThat(loaded.sequence()).isEqualTo(4);
        assertThat(skipped).hasSize(2);
        assertThat(skipped.get(0)).contains("checksum mismatch");
        assertThat(skipped.get(1)).contains("partial");
        assertThatThrownBy(() -> SnapshotStore.read(newest)).hasMessageContaining("corrupt");
    }

    @Test
    void aFileThatIsNotASnapshotIsRefused() throws Exception
    {
        final Path bogus = dir.resolve("snapshot-00000000000000000009.bin");
        Files.writeString(bogus, "this is not a snapshot at all, just some text long enough");
        assertThatThrownBy(() -> SnapshotStore.read(bogus)).hasMessageContaining("bad magic");
        final Path tiny = dir.resolve("snapshot-00000000000000000010.bin");
        Files.write(tiny, new byte[3]);
        assertThatThrownBy(() -> SnapshotStore.read(tiny)).hasMessageContaining("truncated");
        assertThat(new SnapshotStore(dir, 1).newest(Long.MAX_VALUE, s -> { })).isNull();
    }
}
