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
import io.truestock.engine.runtime.EngineListener;
import io.truestock.journal.ChronicleCommandJournal;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.JournalException;
import io.truestock.journal.JournalReader;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recovery rebuilds the engine from the newest usable snapshot and the journal after it, tells the listener about
 * every replayed command, and refuses a data directory whose history cannot be accounted for.
 */
class RecoveryTest
{
    private static final long START_MILLIS = 1_800_000_000_000L;

    @TempDir
    Path dir;

    /** What the listener was told: sequence and whether the command was accepted. */
    private final List<String> seen = new ArrayList<>();
    private final EngineListener listener = (command, outcome, events) ->
        seen.add(command.sequence() + (outcome.accepted() ? "" : " " + outcome.reason().code()));
    private final AtomicReference<Engine> before = new AtomicReference<>();
    private long lastSequenceBeforeReplay = -1;

    private static EngineConfig engineConfig()
    {
        return new EngineConfig().maxSkus(16).maxLocations(4).maxChannels(4);
    }

    private JournalConfig journalConfig()
    {
        return new JournalConfig().dataDir(dir.resolve("journal")).instanceId("test-engine");
    }

    /** The n-th command of the history: a location, a channel, a SKU, then receives of one unit each. */
    private static Command nth(final Command into, final long sequence)
    {
        into.clear();
        if (sequence == 1)
        {
            into.defineLocation("oak", LocationSpec.named("Oakland"));
        }
        else if (sequence == 2)
        {
            into.defineChannel("shop", ChannelSpec.named("Shop"));
        }
        else if (sequence == 3)
        {
            into.defineSku("a", SkuSpec.simple("A", 100, "USD"));
        }
        else if (sequence == 7)
        {
            into.receive("ghost", "oak", 1);
        }
        else
        {
            into.receive("a", "oak", 1);
        }
        return into.principal("test").stamp(sequence, START_MILLIS + sequence);
    }

    /**
     * Writes commands 1 to {@code commands} to the journal in batches of two, applies them to a reference engine
     * and keeps its snapshot after each one ({@code snapshots.get(s)} is the state at sequence s).
     */
    private List<byte[]> writeHistory(final JournalConfig config, final int commands, final SetTimeProvider clock)
    {
        final Engine reference = new Engine(engineConfig());
        reference.snapshotCodec(new SbeDefinitionCodec());
        final List<byte[]> snapshots = new ArrayList<>();
        snapshots.add(EngineSnapshot.capture(reference));
        final Command command = new Command(8);
        final Outcome outcome = new Outcome();
        final Events events = new Events();
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(config, 0))
        {
            for (long sequence = 1; sequence <= commands; sequence++)
            {
                journal.append(nth(command, sequence));
                reference.apply(command, outcome, events);
                snapshots.add(EngineSnapshot.capture(reference));
                if (sequence % 2 == 0)
                {
                    journal.endOfBatch();
                    if (clock != null)
                    {
                        clock.advanceMillis(1000);
                    }
                }
            }
            journal.endOfBatch();
        }
        return snapshots;
    }

    private Recovery.Result recover(final JournalConfig config, final SnapshotStore store, final long maxSnapshot)
    {
        return Recovery.recover(engineConfig(), config, store, maxSnapshot, engine ->
        {
            before.set(engine);
            lastSequenceBeforeReplay = engine.lastSequence();
        }, listener);
    }

    private static byte[] digestAt(final List<byte[]> snapshots, final int sequence)
    {
        return EngineSnapshot.restore(engineConfig(), snapshots.get(sequence), new SbeDefinitionCodec()).digest();
    }

    @Test
    void anEmptyOrMissingDirectoryStartsAnEmptyEngine() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        final Recovery.Result missing = recover(journalConfig(), store, Long.MAX_VALUE);
        assertThat(missing.engine().lastSequence()).isZero();
        assertThat(missing.snapshotSequence()).isZero();
        assertThat(missing.snapshotFile()).isNull();
        assertThat(missing.replayed()).isZero();
        assertThat(missing.skippedSnapshots()).isEmpty();
        assertThat(missing.millis()).isBetween(0L, 60_000L);
        assertThat(before.get()).as("the engine is handed over before replay").isSameAs(missing.engine());
        assertThat(seen).isEmpty();

        Files.createDirectories(journalConfig().dataDir());
        Files.writeString(journalConfig().dataDir().resolve("README.txt"), "not a queue file");
        final Recovery.Result empty = recover(journalConfig(), store, Long.MAX_VALUE);
        assertThat(empty.engine().lastSequence()).isZero();
        assertThat(empty.engine()).isNotSameAs(missing.engine());
        assertThat(before.get()).isSameAs(empty.engine());
    }

    @Test
    void queueFilesWithoutTheirMetadataAreRefused() throws Exception
    {
        Files.createDirectories(journalConfig().dataDir());
        Files.write(journalConfig().dataDir().resolve("20270115.cq4"), new byte[16]);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);

        assertThatThrownBy(() -> recover(journalConfig(), store, Long.MAX_VALUE))
            .isInstanceOfSatisfying(JournalException.class, ex ->
                assertThat(ex.problem()).isEqualTo(JournalException.Problem.MISSING_METADATA))
            .hasMessageContaining("journal files without metadata");
    }

    @Test
    void theJournalIsReplayedAfterTheNewestUsableSnapshotAndTheListenerSeesEachCommand()
    {
        final List<byte[]> snapshots = writeHistory(journalConfig(), 10, null);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 3);
        store.write(snapshots.get(4));
        final Path newest = store.write(snapshots.get(8));

        final Recovery.Result result = recover(journalConfig(), store, Long.MAX_VALUE);

        assertThat(result.snapshotSequence()).isEqualTo(8);
        assertThat(result.snapshotFile()).isEqualTo(newest);
        assertThat(lastSequenceBeforeReplay).as("handed over as the snapshot left it").isEqualTo(8);
        assertThat(before.get()).isSameAs(result.engine());
        assertThat(seen).containsExactly("9", "10");
        assertThat(result.replayed()).isEqualTo(2);
        assertThat(result.unsealedRecords()).isZero();
        assertThat(result.engine().lastSequence()).isEqualTo(10);
        assertThat(result.engine().digest()).isEqualTo(digestAt(snapshots, 10));

        // A listener that lags (the audit trail at 6) gets a snapshot no newer than what it has, and sees the rest.
        seen.clear();
        final Recovery.Result lagging = recover(journalConfig(), store, 6);
        assertThat(lagging.snapshotSequence()).isEqualTo(4);
        assertThat(seen).containsExactly("5", "6", "7 unknown_sku", "8", "9", "10");
        assertThat(lagging.replayed()).isEqualTo(6);
        assertThat(lagging.engine().digest()).isEqualTo(digestAt(snapshots, 10));

        seen.clear();
        final Recovery.Result fromScratch = recover(journalConfig(), store, 3);
        assertThat(fromScratch.snapshotFile()).isNull();
        assertThat(fromScratch.snapshotSequence()).isZero();
        assertThat(seen).hasSize(10);
        assertThat(fromScratch.engine().digest()).isEqualTo(digestAt(snapshots, 10));
    }

    @Test
    void anUnreadableSnapshotIsReportedAndTheOlderOneUsed() throws Exception
    {
        final List<byte[]> snapshots = writeHistory(journalConfig(), 6, null);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 3);
        store.write(snapshots.get(4));
        final Path newest = store.write(snapshots.get(6));
        final byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(newest, bytes);

        final Recovery.Result result = recover(journalConfig(), store, Long.MAX_VALUE);

        assertThat(result.snapshotSequence()).isEqualTo(4);
        assertThat(result.skippedSnapshots()).singleElement().asString()
            .startsWith(newest.getFileName().toString()).contains("checksum mismatch");
        assertThat(seen).containsExactly("5", "6");
        assertThat(result.engine().digest()).isEqualTo(digestAt(snapshots, 6));
    }

    @Test
    void aSnapshotDamagedWhereTheRestoreReadsIsSkippedForItsChecksumNotForWhatTheRestoreMadeOfIt() throws Exception
    {
        final List<byte[]> snapshots = writeHistory(journalConfig(), 8, null);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 3);
        store.write(snapshots.get(4));
        final Path newest = store.write(snapshots.get(8));
        final byte[] bytes = Files.readAllBytes(newest);
        // The definition count, after the file header (24 bytes) and the engine snapshot's header (32): huge, so
        // the restore, reading it while the checksum pass runs, fails on its own.
        bytes[24 + 32] = 0x7F;
        Files.write(newest, bytes);

        final Recovery.Result result = recover(journalConfig(), store, Long.MAX_VALUE);

        assertThat(result.snapshotSequence()).isEqualTo(4);
        assertThat(result.skippedSnapshots()).singleElement().asString()
            .startsWith(newest.getFileName().toString()).contains("checksum mismatch");
        assertThat(seen).containsExactly("5", "6", "7 unknown_sku", "8");
        assertThat(result.engine().digest()).isEqualTo(digestAt(snapshots, 8));
    }

    @Test
    void aFailureOfTheChecksumPassItselfIsReportedNotTakenForADamagedFile()
    {
        final List<byte[]> snapshots = writeHistory(journalConfig(), 6, null);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 3);
        store.write(snapshots.get(4));
        store.write(snapshots.get(6));
        final IllegalStateException broken = new IllegalStateException("the checksum pass broke");

        assertThatThrownBy(() -> Recovery.recover(engineConfig(), journalConfig(), store, Long.MAX_VALUE, e -> { },
            listener, file ->
            {
                throw broken;
            }))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("checksum pass").hasCause(broken);
        assertThat(seen).as("nothing replayed").isEmpty();

        // The pass that finds the file bad is a skip, not a failure; both passes see the same file.
        final Recovery.Result result = Recovery.recover(engineConfig(), journalConfig(), store, Long.MAX_VALUE,
            e -> { }, listener, file -> file.equals(store.files().get(0)) ?
                fail(new IllegalArgumentException("refused by the test")) : SnapshotStore.read(file));
        assertThat(result.snapshotSequence()).isEqualTo(4);
        assertThat(result.skippedSnapshots()).singleElement().asString().endsWith(": refused by the test");
        assertThat(result.engine().digest()).isEqualTo(digestAt(snapshots, 6));
    }

    private static SnapshotStore.Loaded fail(final IllegalArgumentException ex)
    {
        throw ex;
    }

    @Test
    void theOverlappedRestoreGivesTheSameEngineAsTheCheckedFileRestoredAlone()
    {
        final List<byte[]> snapshots = writeHistory(journalConfig(), 10, null);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 3);
        final Path file = store.write(snapshots.get(10));

        final Recovery.Result result = recover(journalConfig(), store, Long.MAX_VALUE);

        assertThat(result.snapshotFile()).isEqualTo(file);
        assertThat(result.replayed()).isZero();
        assertThat(result.engine().digest()).isEqualTo(
            EngineSnapshot.restore(engineConfig(), SnapshotStore.read(file).bytes(), new SbeDefinitionCodec()).digest())
            .isEqualTo(digestAt(snapshots, 10));
        assertThat(EngineSnapshot.capture(result.engine())).isEqualTo(snapshots.get(10));
    }

    @Test
    void anotherInstancesJournalIsRefused()
    {
        writeHistory(journalConfig(), 4, null);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);

        assertThatThrownBy(() -> recover(journalConfig().instanceId("other-engine"), store, Long.MAX_VALUE))
            .isInstanceOfSatisfying(JournalException.class, ex ->
                assertThat(ex.problem()).isEqualTo(JournalException.Problem.WRONG_INSTANCE))
            .hasMessageContaining("'test-engine', not 'other-engine'");
        assertThat(seen).isEmpty();
    }

    @Test
    void aSnapshotWhoseJournalIsMissingIsRefused()
    {
        final List<byte[]> snapshots = writeHistory(
            new JournalConfig().dataDir(dir.resolve("elsewhere")).instanceId("test-engine"), 4, null);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        store.write(snapshots.get(4));

        assertThatThrownBy(() -> recover(journalConfig(), store, Long.MAX_VALUE))
            .isInstanceOfSatisfying(JournalException.class, ex ->
                assertThat(ex.problem()).isEqualTo(JournalException.Problem.SEQUENCE_MISMATCH))
            .hasMessageContaining("a snapshot at 4 exists but the journal");
    }

    @Test
    void aJournalThatNoLongerReachesBackToTheSnapshotIsRefused()
    {
        final SetTimeProvider clock = new SetTimeProvider(START_MILLIS * 1_000_000L);
        final JournalConfig config = journalConfig().rollCycle(TestRollCycles.TEST_SECONDLY).retainedCycles(1)
            .cycleClock(clock);
        final int commands = 12;
        final List<byte[]> snapshots = writeHistory(config, commands, clock);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(config, commands))
        {
            assertThat(journal.releaseCyclesBefore(commands + 1)).isPositive();
        }
        final long first;
        try (JournalReader reader = JournalReader.open(config))
        {
            first = reader.firstAvailableSequence();
        }
        assertThat(first).isBetween(2L, (long)commands);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);

        assertThatThrownBy(() -> recover(config, store, Long.MAX_VALUE))
            .isInstanceOfSatisfying(JournalException.class, ex ->
                assertThat(ex.problem()).isEqualTo(JournalException.Problem.SEQUENCE_MISMATCH))
            .hasMessageContaining("the journal starts at " + first + " but the newest usable snapshot is at 0");

        store.write(snapshots.get((int)first - 2));
        assertThatThrownBy(() -> recover(config, store, Long.MAX_VALUE))
            .hasMessageContaining("the journal starts at " + first + " but the newest usable snapshot is at " + (first - 2));

        store.write(snapshots.get((int)first - 1));
        final Recovery.Result result = recover(config, store, Long.MAX_VALUE);
        assertThat(result.snapshotSequence()).isEqualTo(first - 1);
        assertThat(result.replayed()).isEqualTo(commands - first + 1);
        assertThat(result.engine().digest()).isEqualTo(digestAt(snapshots, commands));
    }
}
