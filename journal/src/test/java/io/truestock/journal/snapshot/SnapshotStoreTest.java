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

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
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
    void aSnapshotWrittenFromBuffersIsTheFileItsBytesMake() throws Exception
    {
        final Engine engine = engine(3);
        final Path fromBytes = new SnapshotStore(dir.resolve("bytes"), 1).write(EngineSnapshot.capture(engine));
        final ByteBuffer[] buffers = EngineSnapshot.captureBuffers(engine);
        final ByteBuffer[] split = splitEvery(buffers[0], 5);
        final Path fromBuffers = new SnapshotStore(dir.resolve("buffers"), 1).write(split);
        assertThat(Files.readAllBytes(fromBuffers)).isEqualTo(Files.readAllBytes(fromBytes));
        assertThat(split).allMatch(b -> b.position() == 0, "positions left as they were");
        assertThat(EngineSnapshot.restore(config(), SnapshotStore.read(fromBuffers).bytes(), new SbeDefinitionCodec())
            .digest()).isEqualTo(engine.digest());
    }

    /** One buffer as several of {@code every} bytes, so the sequence in the header spans buffers. */
    private static ByteBuffer[] splitEvery(final ByteBuffer buffer, final int every)
    {
        final List<ByteBuffer> parts = new ArrayList<>();
        for (int at = 0; at < buffer.remaining(); at += every)
        {
            parts.add(buffer.duplicate().position(at).limit(Math.min(buffer.remaining(), at + every)).slice());
        }
        return parts.toArray(new ByteBuffer[0]);
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
    void theStreamGivesTheEngineSnapshotBytesByTheByteInBulkAndAcrossItsBuffer() throws Exception
    {
        // A body larger than the stream's 1 MiB buffer, with every byte value, so refills and the end are crossed.
        final byte[] body = new byte[(1 << 20) * 2 + 12_345];
        for (int i = 0; i < body.length; i++)
        {
            body[i] = (byte)(i * 31 + (i >>> 11));
        }
        final Path file = dir.resolve("big.bin");
        Files.write(file, file(7, body.length, body));
        final SnapshotStore.Loaded loaded = SnapshotStore.header(file);
        assertThat(loaded.sequence()).isEqualTo(7);
        assertThat(loaded.length()).isEqualTo(body.length);

        try (InputStream in = loaded.open())
        {
            assertThat(in.readAllBytes()).isEqualTo(body);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
        }
        try (InputStream in = loaded.open())
        {
            final byte[] read = new byte[body.length];
            int at = 0;
            int step = 1;
            while (at < body.length)
            {
                if (step % 3 == 0)
                {
                    read[at++] = (byte)in.read();
                }
                else
                {
                    final int n = in.read(read, at, Math.min(step * 1_000, body.length - at));
                    assertThat(n).isPositive();
                    at += n;
                }
                step++;
            }
            assertThat(read).isEqualTo(body);
            assertThat(in.available()).isZero();
            assertThat(in.read()).isEqualTo(-1);
        }
        try (InputStream in = loaded.open())
        {
            assertThat(in.skip(10)).isEqualTo(10);
            assertThat(in.read()).isEqualTo(body[10] & 0xFF);
            assertThat(in.skip(3L << 20)).isEqualTo(body.length - 11);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void theHeaderCheckRefusesWhatTheChecksumPassWouldBeforeItsChecksum() throws Exception
    {
        final Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, new byte[3]);
        assertThatThrownBy(() -> SnapshotStore.header(tiny)).hasMessage("truncated (3 bytes)");
        final Path longer = dir.resolve("longer.bin");
        Files.write(longer, file(3, 10, new byte[20]));
        assertThatThrownBy(() -> SnapshotStore.header(longer)).hasMessage("partial: header says 10 bytes, file holds 20");
        final Path bogus = dir.resolve("bogus.bin");
        Files.writeString(bogus, "this is not a snapshot at all, just some text long enough");
        assertThatThrownBy(() -> SnapshotStore.header(bogus)).hasMessageContaining("bad magic");
        assertThatThrownBy(() -> SnapshotStore.header(dir.resolve("missing.bin"))).hasMessageContaining("unreadable");

        // The header check does not read the checksum: a damaged body passes it and fails the full pass.
        final byte[] snapshot = EngineSnapshot.capture(engine(1));
        final byte[] damaged = file(4, snapshot.length, snapshot);
        damaged[damaged.length - 1] ^= 0x01;
        final Path file = dir.resolve("damaged.bin");
        Files.write(file, damaged);
        assertThat(SnapshotStore.header(file).sequence()).isEqualTo(4);
        assertThatThrownBy(() -> SnapshotStore.read(file)).hasMessageContaining("checksum mismatch");
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

    @Test
    void theStoreNamesItsFilesBySequence()
    {
        final SnapshotStore store = new SnapshotStore(dir.resolve("nested").resolve("snapshots"), 1);
        assertThat(store.dir()).isEqualTo(dir.resolve("nested").resolve("snapshots")).isDirectory();
        final Path file = store.write(EngineSnapshot.capture(engine(2)));
        assertThat(file.getFileName().toString()).isEqualTo("snapshot-00000000000000000005.bin");
        assertThat(SnapshotStore.sequenceOf(file)).isEqualTo(5);
        assertThat(SnapshotStore.sequenceOfName(file)).isEqualTo(5);
        assertThat(SnapshotStore.sequenceOf(dir.resolve("snapshot-latest.bin"))).isEqualTo(-1);
        assertThat(SnapshotStore.sequenceOfName(dir.resolve("snapshot-.bin"))).isEqualTo(-1);
        assertThatThrownBy(() -> new SnapshotStore(dir, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNameThatIsNotASnapshotsGivesMinusOneWhateverItsLength()
    {
        for (final String name : new String[] {"x.bin", ".bin", "a", "snapshot-", "snapshot-.bin", "snapshot.bin",
            "snapshot-5", "snapshot-5.tmp", "snapshot-5.bin.tmp", "snapshot--5.bin", "snapshot-+5.bin",
            "snapshot- 5.bin", "snapshot-5x.bin", "snapshot-99999999999999999999.bin", "Snapshot-5.bin",
            "other-00000000000000000005.bin"})
        {
            assertThat(SnapshotStore.sequenceOfName(dir.resolve(name))).as(name).isEqualTo(-1);
            assertThat(SnapshotStore.sequenceOf(dir.resolve(name))).as(name).isEqualTo(-1);
        }
        assertThat(SnapshotStore.sequenceOfName(dir.getRoot())).as("a path without a file name").isEqualTo(-1);
        assertThat(SnapshotStore.sequenceOfName(Path.of("snapshot-0.bin"))).isZero();
        assertThat(SnapshotStore.sequenceOfName(Path.of("snapshot-9223372036854775807.bin"))).isEqualTo(Long.MAX_VALUE);
        assertThat(SnapshotStore.sequenceOfName(dir.resolve("snapshot-00000000000000000042.bin"))).isEqualTo(42);
    }

    @Test
    void aFileIsCheckedAgainstItsOwnSizeToTheByte() throws Exception
    {
        final Path tooShort = dir.resolve("short.bin");
        Files.write(tooShort, new byte[55]);
        assertThatThrownBy(() -> SnapshotStore.read(tooShort)).hasMessage("truncated (55 bytes)");
        final Path headerAndHashOnly = dir.resolve("zeros.bin");
        Files.write(headerAndHashOnly, new byte[56]);
        assertThatThrownBy(() -> SnapshotStore.read(headerAndHashOnly)).hasMessageContaining("bad magic");

        final byte[] body = new byte[20];
        final Path longer = dir.resolve("longer.bin");
        Files.write(longer, file(3, 10, body));
        assertThatThrownBy(() -> SnapshotStore.read(longer)).hasMessage("partial: header says 10 bytes, file holds 20");
        final Path negative = dir.resolve("negative.bin");
        Files.write(negative, file(3, -1, body));
        assertThatThrownBy(() -> SnapshotStore.read(negative)).hasMessage("partial: header says -1 bytes, file holds 20");

        // An empty body is not partial: its checksum holds, and it is refused for what it is, no engine snapshot.
        final Path empty = dir.resolve("empty.bin");
        Files.write(empty, file(3, 0, new byte[0]));
        assertThatThrownBy(() -> SnapshotStore.read(empty)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a Truestock snapshot").hasMessageNotContaining("partial");

        final byte[] snapshot = EngineSnapshot.capture(engine(1));
        final Path relabelled = dir.resolve("relabelled.bin");
        Files.write(relabelled, file(9, snapshot.length, snapshot));
        assertThatThrownBy(() -> SnapshotStore.read(relabelled)).hasMessageContaining("disagree on the sequence");
        final Path sound = dir.resolve("sound.bin");
        Files.write(sound, file(4, snapshot.length, snapshot));
        assertThat(SnapshotStore.read(sound).sequence()).isEqualTo(4);
        assertThat(SnapshotStore.read(sound).length()).isEqualTo(snapshot.length);
    }

    /** A snapshot file as the store writes one, with whatever header the test wants and a matching checksum. */
    private static byte[] file(final long sequence, final long length, final byte[] body) throws Exception
    {
        final ByteBuffer file = ByteBuffer.allocate(24 + body.length + 32);
        file.putLong(0x5453534E41503031L).putLong(sequence).putLong(length).put(body);
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(file.array(), 0, file.position());
        file.put(sha.digest());
        return file.array();
    }

    @Test
    void theStreamOfALoadedSnapshotEndsWhereTheSnapshotEnds() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir, 1);
        final byte[] snapshot = EngineSnapshot.capture(engine(3));
        final SnapshotStore.Loaded loaded = SnapshotStore.read(store.write(snapshot));
        assertThat(loaded.length()).isEqualTo(snapshot.length);
        assertThat(loaded.bytes()).isEqualTo(snapshot);

        try (InputStream in = loaded.open())
        {
            assertThat(in.available()).as("the checksum after it is not offered").isEqualTo(snapshot.length);
            final byte[] large = new byte[4 << 20];
            assertThat(in.read(large, 0, large.length)).isEqualTo(snapshot.length);
            assertThat(Arrays.copyOf(large, snapshot.length)).isEqualTo(snapshot);
            assertThat(in.read(large, 0, large.length)).isEqualTo(-1);
            assertThat(in.read()).isEqualTo(-1);
        }
        try (InputStream in = loaded.open())
        {
            assertThat(in.skip(10)).isEqualTo(10);
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(snapshot, 10, snapshot.length));
        }
        try (InputStream in = loaded.open())
        {
            assertThat(in.skip(snapshot.length + 1000L)).isEqualTo(snapshot.length);
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
