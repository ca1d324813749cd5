package io.truestock.gateway;

import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineSnapshot;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.EngineRuntime;
import io.truestock.journal.ChronicleCommandJournal;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.audit.AuditLog;
import io.truestock.journal.snapshot.Recovery;
import io.truestock.journal.snapshot.SnapshotStore;
import io.truestock.gateway.http.ApiException;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Everything the server keeps on disk, under the data dir:
 * <pre>
 *   instance.id    the engine instance that owns this directory (its journal refuses any other)
 *   journal/       the write-ahead command journal (Chronicle Queue, hash-chained)
 *   snapshots/     full-state snapshots, the newest few
 *   audit/         the queryable audit trail (derived from the journal)
 *   admin.token, api-keys
 * </pre>
 * Recovery is the newest valid snapshot no newer than the audit trail, plus the sealed journal after it.
 * Snapshots are taken every {@code snapshotEveryCommands} mutations: the writer copies its state between two
 * commands and a background thread writes it, then releases journal cycles no kept snapshot needs.
 */
final class Persistence implements EngineListener, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);

    private final ServerConfig config;
    private final JournalConfig journalConfig;
    private final SnapshotStore snapshots;
    private final AuditLog audit;
    private final Engine engine;
    private final ChronicleCommandJournal journal;
    private final ThreadPoolExecutor snapshotWriter;
    private final Recovery.Result recovery;
    private EngineRuntime runtime;
    private long lastSnapshotRequest;
    /** Snapshots asked for on request, each with the sequence it must hold at least; answered by the next write. */
    private final java.util.List<Requested> requested = new java.util.ArrayList<>();

    private record Requested(long atLeast, java.util.concurrent.CompletableFuture<Long> done)
    {
    }

    /** The most snapshot requests that wait at once; more are refused 503 {@code overloaded}. */
    static final int MAX_REQUESTED = 64;

    Persistence(final ServerConfig config)
    {
        this.config = config;
        final Path dir = config.dataDir();
        final String instanceId = instanceId(dir);
        journalConfig = new JournalConfig().dataDir(dir.resolve("journal")).instanceId(instanceId)
            .fsyncPerBatch(config.fsync()).retainedCycles(config.journalRetainedCycles()).conclude();
        snapshots = new SnapshotStore(dir.resolve("snapshots"), config.snapshotsKept());
        audit = new AuditLog(dir.resolve("audit"));
        try
        {
            recovery = Recovery.recover(config.engine(), journalConfig, snapshots, audit.lastSequence(), audit::attach, audit);
            engine = recovery.engine();
            journal = ChronicleCommandJournal.open(journalConfig, engine.lastSequence());
        }
        catch (final RuntimeException ex)
        {
            audit.close();
            throw ex;
        }
        for (final String skipped : recovery.skippedSnapshots())
        {
            LOG.warn("skipped snapshot {}", skipped);
        }
        LOG.info("recovered to sequence {} in {} ms: snapshot at {}, {} commands replayed, {} unsealed records abandoned",
            engine.lastSequence(), recovery.millis(), recovery.snapshotSequence(), recovery.replayed(),
            recovery.unsealedRecords());
        lastSnapshotRequest = engine.lastSequence();
        snapshotWriter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1), runnable ->
        {
            final Thread thread = new Thread(runnable, "truestock-snapshots");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    private static String instanceId(final Path dir)
    {
        final Path file = dir.resolve("instance.id");
        try
        {
            Files.createDirectories(dir);
            if (Files.exists(file))
            {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            final String id = "ts-" + UUID.randomUUID();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read or create " + file, ex);
        }
    }

    Engine engine()
    {
        return engine;
    }

    ChronicleCommandJournal journal()
    {
        return journal;
    }

    AuditLog audit()
    {
        return audit;
    }

    Path journalDir()
    {
        return journalConfig.dataDir();
    }

    Recovery.Result recovery()
    {
        return recovery;
    }

    void runtime(final EngineRuntime value)
    {
        runtime = value;
    }

    /** Output stage: asks for a snapshot every {@code snapshotEveryCommands} mutations. */
    @Override
    public void onApplied(final Command command, final Outcome outcome, final Events events)
    {
        final long every = config.snapshotEveryCommands();
        if (every > 0 && command.type().isMutation() && command.sequence() - lastSnapshotRequest >= every &&
            snapshotWriter.getQueue().isEmpty() && snapshotWriter.getActiveCount() == 0)
        {
            lastSnapshotRequest = command.sequence();
            runtime.requestSnapshot(bytes -> snapshotWriter.execute(() -> write(bytes)));
        }
    }

    /**
     * Takes a snapshot now: the writer copies its state after the next command it applies (a query sent here, at
     * the latest) and the snapshot thread writes it, as a periodic one.
     *
     * @return completes with the written snapshot's sequence (at least the engine's now); fails with an
     *         {@link ApiException} when too many requests wait.
     */
    java.util.concurrent.CompletableFuture<Long> takeSnapshot()
    {
        final java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
        synchronized (requested)
        {
            if (requested.size() >= MAX_REQUESTED)
            {
                done.completeExceptionally(new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
                    "too many snapshot requests wait; retry later", null));
                return done;
            }
            requested.add(new Requested(engine.lastSequence(), done));
        }
        runtime.requestSnapshot(bytes -> snapshotWriter.execute(() -> write(bytes)));
        // The writer copies its state after the next command it applies: a query that changes nothing makes one
        // come now on an idle server (a full ring has commands coming anyway).
        runtime.tryPublish(command -> command.queryReservation(0).principal("snapshot"), null);
        return done;
    }

    private void answerRequested(final long sequence, final Throwable failure)
    {
        synchronized (requested)
        {
            final java.util.Iterator<Requested> waiting = requested.iterator();
            while (waiting.hasNext())
            {
                final Requested request = waiting.next();
                if (failure != null)
                {
                    request.done().completeExceptionally(failure);
                    waiting.remove();
                }
                else if (request.atLeast() <= sequence)
                {
                    request.done().complete(sequence);
                    waiting.remove();
                }
            }
        }
    }

    private void write(final java.nio.ByteBuffer[] bytes)
    {
        try
        {
            final long start = System.nanoTime();
            final Path file = snapshots.write(bytes);
            final java.util.List<Path> kept = snapshots.files();
            final long oldest = SnapshotStore.sequenceOf(kept.get(kept.size() - 1));
            final long auditAt = audit.lastSequence();
            final int released = journal.releaseCyclesBefore(Math.min(oldest, auditAt) + 1);
            LOG.info("snapshot {} ({} bytes) written in {} ms; {} journal cycles released", file.getFileName(),
                SnapshotStore.remaining(bytes), (System.nanoTime() - start) / 1_000_000, released);
            answerRequested(SnapshotStore.sequenceOfName(file), null);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("snapshot failed; the journal keeps everything, recovery will replay more", ex);
            answerRequested(-1, ex);
        }
    }

    /** After the runtime has drained and closed the journal: a final snapshot, so the next start is quick. */
    @Override
    public void close()
    {
        snapshotWriter.shutdown();
        try
        {
            snapshotWriter.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            if (engine.lastSequence() > recovery.snapshotSequence() && engine.lastSequence() <= audit.lastSequence())
            {
                snapshots.write(EngineSnapshot.captureBuffers(engine));
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.error("final snapshot failed", ex);
        }
        audit.close();
    }
}
