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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * Rebuilds an engine from a data directory: the newest valid snapshot at or below {@code maxSnapshotSequence}
 * (so that listeners such as the audit trail, which may lag the journal, see every command they missed), then the
 * sealed journal after it. Records after the last seal were never acknowledged and are not applied; the journal
 * abandons them when it is reopened for appending.
 * <p>
 * A snapshot's checksum pass runs on a thread of its own while the calling thread restores from the same file; the
 * restored engine is used only once the pass has found the file sound, so a damaged file is skipped for the next
 * older one as if it had been checked first.
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
        return recover(engineConfig, journalConfig, snapshots, maxSnapshotSequence, beforeReplay, listener,
            SnapshotStore::read);
    }

    /** {@link #recover} with the checksum pass given: tests make it fail. */
    static Result recover(
        final EngineConfig engineConfig, final JournalConfig journalConfig, final SnapshotStore snapshots,
        final long maxSnapshotSequence, final java.util.function.Consumer<Engine> beforeReplay,
        final EngineListener listener, final Function<Path, SnapshotStore.Loaded> checksumPass)
    {
        final long start = System.nanoTime();
        final List<String> skipped = new ArrayList<>();
        final SbeDefinitionCodec codec = new SbeDefinitionCodec(journalConfig.maxRecordBytes());
        SnapshotStore.Loaded snapshot = null;
        Engine engine = null;
        for (final Path file : snapshots.files())
        {
            if (SnapshotStore.sequenceOfName(file) > maxSnapshotSequence)
            {
                continue;
            }
            final Restored restored = restoreWhileChecking(engineConfig, file, codec, checksumPass);
            if (restored.snapshot == null)
            {
                skipped.add(file.getFileName() + ": " + restored.problem);
                continue;
            }
            snapshot = restored.snapshot;
            engine = restored.engine;
            if (engine == null)
            {
                // As before the overlap: a snapshot that checks out but does not restore is reported, and recovery
                // goes on from an empty engine (which the journal's checks then refuse unless it reaches back).
                skipped.add(file.getFileName() + ": " + restored.problem);
            }
            break;
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

    /** A snapshot that passed its checksum (null if it did not), and the engine restored from it or the problem. */
    private record Restored(SnapshotStore.Loaded snapshot, Engine engine, String problem)
    {
    }

    /**
     * Restores the snapshot in {@code file} on the calling thread while its checksum pass runs on another: at a
     * million SKUs the pass reads 300 MB and the restore needs none of its result until the end, so the two overlap
     * instead of adding up. Until the pass has succeeded nothing the restore did is trusted: a corrupt file may make
     * it fail in any way, or succeed with wrong state, so the checksum's verdict is awaited and decides first.
     *
     * @return the checked snapshot with its engine, the checked snapshot with the restore's problem (as an
     * {@link IllegalArgumentException} or I/O failure, the reasons a restore of a sound file fails), or no snapshot
     * with the checksum pass's problem.
     * @throws IllegalStateException when the checksum pass fails other than by finding the file bad (it is not
     *                               swallowed), or the restore of a file that checks out fails unexpectedly.
     */
    private static Restored restoreWhileChecking(
        final EngineConfig engineConfig, final Path file, final SbeDefinitionCodec codec,
        final Function<Path, SnapshotStore.Loaded> checksumPass)
    {
        final SnapshotStore.Loaded unchecked;
        try
        {
            unchecked = SnapshotStore.header(file);
        }
        catch (final IllegalArgumentException ex)
        {
            return new Restored(null, null, ex.getMessage());
        }
        final FutureTask<SnapshotStore.Loaded> checksum = new FutureTask<>(() -> checksumPass.apply(file));
        final Thread checker = new Thread(checksum, "truestock-snapshot-checksum");
        checker.setDaemon(true);
        checker.start();

        Engine engine = null;
        Throwable restoreFailure = null;
        try (InputStream in = unchecked.open())
        {
            engine = EngineSnapshot.restore(engineConfig, in, codec);
        }
        catch (final Throwable ex)
        {
            restoreFailure = ex;
        }

        final SnapshotStore.Loaded checked;
        try
        {
            checked = awaitUninterruptibly(checksum);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof IllegalArgumentException)
            {
                return new Restored(null, null, cause.getMessage());
            }
            final IllegalStateException failure = new IllegalStateException(
                "the checksum pass over snapshot " + file + " failed", cause);
            if (restoreFailure != null)
            {
                failure.addSuppressed(restoreFailure);
            }
            throw failure;
        }
        if (checked.sequence() != unchecked.sequence() || checked.length() != unchecked.length())
        {
            return new Restored(null, null, "changed while it was read");
        }
        if (restoreFailure == null)
        {
            return new Restored(checked, engine, null);
        }
        if (restoreFailure instanceof IllegalArgumentException || restoreFailure instanceof IOException ||
            restoreFailure instanceof UncheckedIOException)
        {
            return new Restored(checked, null, restoreFailure.getMessage());
        }
        throw new IllegalStateException("restoring snapshot " + file + " failed", restoreFailure);
    }

    private static <T> T awaitUninterruptibly(final FutureTask<T> task) throws ExecutionException
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return task.get();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
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
