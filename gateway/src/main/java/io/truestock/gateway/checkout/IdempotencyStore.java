package io.truestock.gateway.checkout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent protocols' idempotency records: per (scope, key), the fingerprint of the first request and, once it is
 * answered, its status and body, so a repeat gets the first answer and a different request under the same key is
 * refused. Answers of 5xx are never kept (the request may be retried). Kept in memory, in arrival order, and in an
 * append-only log under the data dir that is compacted at start, so records survive restart; records older than the
 * window are forgotten. At most {@code maxRecords}: at the bound the oldest records past the window go, and when none
 * is, a new key is refused ({@link Begin.Kind#FULL}). Thread safe.
 */
public final class IdempotencyStore implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyStore.class);

    /** What to do with a request that carries a key. */
    public record Begin(Kind kind, int status, String body)
    {
        public enum Kind
        {
            /** First time: run it, then {@link #finish}. */
            NEW,
            /** Answered before: answer {@link #status()} and {@link #body()} again. */
            REPLAY,
            /** The key was used for a different request. */
            CONFLICT,
            /** The first request under the key is still running. */
            IN_FLIGHT,
            /** No room for another record. */
            FULL
        }
    }

    private static final class Entry
    {
        final String fingerprint;
        final long atMillis;
        int status;
        String body;

        Entry(final String fingerprint, final long atMillis)
        {
            this.fingerprint = fingerprint;
            this.atMillis = atMillis;
        }
    }

    private final Path log;
    private final int maxRecords;
    private final long windowMillis;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private BufferedWriter writer;
    private int loggedLines;

    /**
     * @param log          the log file (created when absent).
     * @param maxRecords   the bound on records kept.
     * @param windowMillis how long a record is kept at least.
     * @param nowMillis    the clock's time at start: older records are dropped.
     */
    public IdempotencyStore(final Path log, final int maxRecords, final long windowMillis, final long nowMillis)
    {
        this.log = log;
        this.maxRecords = maxRecords;
        this.windowMillis = windowMillis;
        load(nowMillis);
        compact();
    }

    private static String id(final String scope, final String key)
    {
        return scope + '\n' + key;
    }

    /** Registers a request under its key, or says what to do instead. */
    public synchronized Begin begin(final String scope, final String key, final String fingerprint, final long now)
    {
        final String id = id(scope, key);
        final Entry entry = entries.get(id);
        if (entry != null)
        {
            if (!entry.fingerprint.equals(fingerprint))
            {
                return new Begin(Begin.Kind.CONFLICT, 0, null);
            }
            if (entry.body == null)
            {
                return new Begin(Begin.Kind.IN_FLIGHT, 0, null);
            }
            return new Begin(Begin.Kind.REPLAY, entry.status, entry.body);
        }
        if (entries.size() >= maxRecords && !evictOne(now))
        {
            return new Begin(Begin.Kind.FULL, 0, null);
        }
        entries.put(id, new Entry(fingerprint, now));
        return new Begin(Begin.Kind.NEW, 0, null);
    }

    /**
     * Records the answer to a request {@link #begin} admitted; a 5xx answer is dropped instead, so the key may be
     * used again.
     */
    public synchronized void finish(final String scope, final String key, final int status, final String body)
    {
        final String id = id(scope, key);
        final Entry entry = entries.get(id);
        if (entry == null)
        {
            return;
        }
        if (status >= 500)
        {
            entries.remove(id);
            return;
        }
        entry.status = status;
        entry.body = body;
        append(id, entry);
    }

    public synchronized int size()
    {
        return entries.size();
    }

    private boolean evictOne(final long now)
    {
        final Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext())
        {
            final Entry oldest = it.next().getValue();
            if (oldest.atMillis + windowMillis > now)
            {
                return false;
            }
            if (oldest.body != null)
            {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private void load(final long now)
    {
        if (!Files.exists(log))
        {
            return;
        }
        try
        {
            final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (final String line : lines)
            {
                if (line.isBlank())
                {
                    continue;
                }
                final JsonNode node;
                try
                {
                    node = SessionStore.JSON.readTree(line);
                }
                catch (final IOException ex)
                {
                    // A crash can leave the last line half written: that answer was never acknowledged as kept.
                    LOG.warn("idempotency log {}: a line that does not parse is skipped", log);
                    continue;
                }
                final long at = node.path("at").asLong();
                if (at + windowMillis <= now)
                {
                    continue;
                }
                final Entry entry = new Entry(node.path("fingerprint").asText(), at);
                entry.status = node.path("status").asInt();
                entry.body = node.path("body").asText();
                entries.remove(node.path("id").asText());
                entries.put(node.path("id").asText(), entry);
            }
            while (entries.size() > maxRecords)
            {
                entries.remove(entries.keySet().iterator().next());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + log, ex);
        }
    }

    /** Rewrites the log with the live records only. */
    private void compact()
    {
        try
        {
            Files.createDirectories(log.getParent());
            closeWriter();
            final Path temporary = log.resolveSibling(log.getFileName() + ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8))
            {
                for (final Map.Entry<String, Entry> e : entries.entrySet())
                {
                    if (e.getValue().body != null)
                    {
                        out.write(line(e.getKey(), e.getValue()));
                        out.newLine();
                    }
                }
            }
            Files.move(temporary, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            loggedLines = entries.size();
            writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot compact " + log, ex);
        }
    }

    private void append(final String id, final Entry entry)
    {
        try
        {
            if (loggedLines >= 2 * maxRecords)
            {
                compact();
                return;
            }
            writer.write(line(id, entry));
            writer.newLine();
            writer.flush();
            loggedLines++;
        }
        catch (final IOException ex)
        {
            LOG.error("cannot append to idempotency log {}; the record stays in memory only", log, ex);
        }
    }

    private static String line(final String id, final Entry entry) throws IOException
    {
        final ObjectNode node = SessionStore.JSON.createObjectNode();
        node.put("id", id).put("fingerprint", entry.fingerprint).put("at", entry.atMillis).put("status", entry.status)
            .put("body", entry.body);
        return SessionStore.JSON.writeValueAsString(node);
    }

    private void closeWriter() throws IOException
    {
        if (writer != null)
        {
            writer.close();
            writer = null;
        }
    }

    @Override
    public synchronized void close()
    {
        try
        {
            closeWriter();
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot close idempotency log {}", log, ex);
        }
    }
}
