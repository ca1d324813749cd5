package io.truestock.journal.snapshot;

import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.EngineSnapshot;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.JournalException;
import io.truestock.journal.JournalReader;
import io.truestock.journal.ReplayHandler;
import io.truestock.journal.ReplayResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds an engine from a data directory: the newest valid snapshot at or below {@code maxSnapshotSequence}
 * (so that listeners such as the audit trail, which may lag the journal, see every command they missed), then the
 * sealed journal after it. Records after the last seal were never acknowledged and are not applied; the journal
 * abandons them when it is reopened for appending.
 */
public final class Recovery
{
    /** The journal's metadata file: its presence is what makes a directory a journal. */
    private static final String JOURNAL_METADATA_FILE = "journal.meta";

    private Recovery()
    {
    }

    /** What recovery did, for the log and for tests. */
    public record Result(
        Engine engine, long snapshotSequence, Path snapshotFile, long replayed, long unsealedRecords,
        List<String> skippedSnapshots, long millis)
    {
    }

    /**
     * @param beforeReplay   given the engine (restored or new) before any command is replayed.
     * @param listener told about every replayed command (with its outcome and events), in order; may skip what it
     *                 already has by sequence.
     * @throws JournalException when the journal cannot be fully accounted for: another instance's, an unknown
     *                          schema version, a damaged record, or commands after the snapshot already released.
     */
    public static Result recover(
        final EngineConfig engineConfig, final JournalConfig journalConfig, final SnapshotStore snapshots,
        final long maxSnapshotSequence, final java.util.function.Consumer<Engine> beforeReplay,
        final EngineListener listener)
    {
        final long start = System.nanoTime();
        final List<String> skipped = new ArrayList<>();
        final SnapshotStore.Loaded snapshot = snapshots.newest(maxSnapshotSequence, skipped::add);
        final SbeDefinitionCodec codec = new SbeDefinitionCodec(journalConfig.maxRecordBytes());
        Engine engine = null;
        if (snapshot != null)
        {
            try (InputStream in = snapshot.open())
            {
                engine = EngineSnapshot.restore(engineConfig, in, codec);
            }
            catch (final IllegalArgumentException | IOException | UncheckedIOException ex)
            {
                skipped.add(snapshot.file().getFileName() + ": " + ex.getMessage());
            }
        }
        if (engine == null)
        {
            engine = new Engine(engineConfig);
            engine.snapshotCodec(codec);
        }
        final long snapshotSequence = engine.lastSequence();
        beforeReplay.accept(engine);

        long replayed = 0;
        long unsealed = 0;
        if (Files.exists(journalConfig.dataDir().resolve(JOURNAL_METADATA_FILE)))
        {
            try (JournalReader reader = JournalReader.open(journalConfig))
            {
                if (!reader.instanceId().equals(journalConfig.instanceId()))
                {
                    throw new JournalException(JournalException.Problem.WRONG_INSTANCE, "journal at " +
                        journalConfig.dataDir() + " belongs to engine instance '" + reader.instanceId() + "', not '" +
                        journalConfig.instanceId() + "'");
                }
                if (reader.firstAvailableSequence() > snapshotSequence + 1)
                {
                    throw new JournalException(JournalException.Problem.SEQUENCE_MISMATCH, "the journal starts at " +
                        reader.firstAvailableSequence() + " but the newest usable snapshot is at " + snapshotSequence +
                        ": the commands between are gone; refusing to start on a partial history");
                }
                final Engine target = engine;
                final Outcome outcome = new Outcome();
                final Events events = new Events();
                final ReplayResult result = reader.replay(snapshotSequence + 1,
                    new Command(engineConfig.maxLinesPerCommand()), new ReplayHandler()
                    {
                        @Override
                        public void onCommand(final Command command)
                        {
                            target.apply(command, outcome, events);
                            listener.onApplied(command, outcome, events);
                        }
                    });
                replayed = result.commandsReplayed();
                unsealed = result.unsealedRecords();
            }
        }
        else if (snapshotSequence > 0)
        {
            throw new JournalException(JournalException.Problem.SEQUENCE_MISMATCH, "a snapshot at " + snapshotSequence +
                " exists but the journal in " + journalConfig.dataDir() + " is missing; refusing to start");
        }
        else if (hasQueueFiles(journalConfig.dataDir()))
        {
            throw new JournalException(JournalException.Problem.MISSING_METADATA, "journal files without metadata in " +
                journalConfig.dataDir() + "; refusing to start on a journal that cannot be accounted for");
        }
        return new Result(engine, snapshotSequence, snapshot == null ? null : snapshot.file(), replayed, unsealed,
            skipped, (System.nanoTime() - start) / 1_000_000);
    }

    private static boolean hasQueueFiles(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (var files = Files.list(dir))
        {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".cq4"));
        }
        catch (final java.io.IOException ex)
        {
            return true;
        }
    }
}
