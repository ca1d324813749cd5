package io.truestock.gateway.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One channel's acknowledgement ledger on disk: an append-only log of fixed-size records, each with its own
 * CRC32C and its position, so that after a restart only SKUs whose value changed since the channel acknowledged it
 * are sent again. It lives beside the journal, not in it: acknowledgements are facts of the channels, not of the
 * engine, and are not covered by the journal's hash chain.
 * <p>
 * Two kinds of record matter. {@code ACK} holds what the channel confirmed for a SKU (quantity, version, time,
 * price digest). {@code SENT} says a request for the SKU is about to leave, so what the channel holds is unknown
 * until its answer; it is written before the request, on the sync scheduler thread (never the engine's writer).
 * A SKU's last readable record decides its state: an {@code ACK} restores the acknowledgement, a {@code SENT}
 * leaves it unknown (resent after the restart).
 * <p>
 * Damage never turns into a wrong "acknowledged": a record whose checksum or position does not match is skipped,
 * and because a skipped record may have been any SKU's newer {@code SENT}, every SKU whose last readable record
 * lies before the last damaged one is unknown. A torn last write is the same case, so a crash in the middle of a
 * write costs a full resend, never a missed one. Records reach the operating system before the request they
 * announce leaves (a crashed process loses nothing) and the disk once a second; after a machine crash (the
 * file was not closed cleanly and the boot id differs) the last second of {@code SENT} records may be missing, so
 * nothing in the file is trusted. The log is rewritten (a temporary file, fsync, atomic rename) at start and when
 * it holds more than max(4 x SKUs, 16 384) records, so it stays within a few records per SKU.
 */
final class AckLedger implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(AckLedger.class);
    static final int RECORD = 128;
    static final byte HEADER = 1;
    static final byte ACK = 2;
    static final byte SENT = 3;
    static final byte CLOSE = 4;
    static final long FORMAT = 1;
    static final int MAX_ID = 64;
    private static final long SYNC_MILLIS = 1_000;
    private static final int DRAIN = 1024;

    /** What the channel acknowledged for one SKU, as read back from the file. */
    record Entry(long qty, long version, long atMillis, long priceDigest)
    {
    }

    /** The outcome of reading a ledger file. */
    record Loaded(Map<String, Entry> acknowledged, int records, int damaged, boolean cleanClose, String distrust)
    {
    }

    private final Path file;
    private final String channel;
    private final long target;
    private final long bootId;
    private final ByteBuffer record = ByteBuffer.allocate(RECORD).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private final int[] drainSkus = new int[DRAIN];
    private final long[] drainValues = new long[DRAIN * 4];
    private FileChannel out;
    private long seq;
    private long recordsSinceRewrite;
    private boolean unsynced;
    private long syncedAtMillis;
    private boolean broken;

    /**
     * @param dir     the ledger directory (created when missing).
     * @param channel the channel id, also recorded in the file.
     * @param target  a fingerprint of where the connector sends (type, base URL, account): a ledger written for
     *                another target is ignored.
     */
    AckLedger(final Path dir, final String channel, final long target)
    {
        this.file = dir.resolve(fileName(channel));
        this.channel = channel;
        this.target = target;
        this.bootId = bootId();
    }

    /** A file name safe on every file system for any channel id (ids may hold '.' and ':'). */
    static String fileName(final String channel)
    {
        return channel.matches("[A-Za-z0-9_-]{1,64}") ? "c-" + channel + ".ledger" :
            "h-" + HexFormat.of().formatHex(channel.getBytes(StandardCharsets.UTF_8)) + ".ledger";
    }

    Path file()
    {
        return file;
    }

    /** True once a write failed: the file no longer follows the channel (it is rewritten at the next start). */
    synchronized boolean broken()
    {
        return broken;
    }

    /** Reads the file; a missing file is an empty ledger. Never throws for damage: damaged entries are unknown. */
    Loaded load()
    {
        final byte[] bytes;
        try
        {
            if (!Files.exists(file))
            {
                return new Loaded(Map.of(), 0, 0, false, null);
            }
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            LOG.warn("channel sync {}: cannot read the acknowledgement ledger {}: everything is resent", channel, file, ex);
            return new Loaded(Map.of(), 0, 0, false, "unreadable");
        }
        return parse(bytes, channel, target, bootId);
    }

    static Loaded parse(final byte[] bytes, final String channel, final long target, final long currentBootId)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final int slots = bytes.length / RECORD;
        final boolean partialTail = bytes.length % RECORD != 0;
        if (slots == 0 || !valid(buffer, 0, 0) || buffer.get(12) != HEADER)
        {
            return new Loaded(Map.of(), slots, slots + (partialTail ? 1 : 0), false, "no readable header");
        }
        if (!channel.equals(id(buffer, 0)) || buffer.getLong(78) != FORMAT || buffer.getLong(86) != target)
        {
            return new Loaded(Map.of(), slots, 0, false, "written for another channel, format or target");
        }
        final long fileBootId = buffer.getLong(102);
        final Map<String, Integer> lastSlot = new HashMap<>();
        final Map<String, Entry> entries = new HashMap<>();
        int lastDamaged = partialTail ? slots : -1;
        int damaged = partialTail ? 1 : 0;
        boolean closed = false;
        for (int i = 1; i < slots; i++)
        {
            final int at = i * RECORD;
            final byte kind = buffer.get(at + 12);
            if (!valid(buffer, at, i) || kind < ACK || kind > CLOSE)
            {
                lastDamaged = i;
                damaged++;
                closed = false;
                continue;
            }
            closed = kind == CLOSE;
            if (kind == CLOSE)
            {
                continue;
            }
            final String sku = id(buffer, at);
            lastSlot.put(sku, i);
            if (kind == ACK)
            {
                entries.put(sku, new Entry(buffer.getLong(at + 78), buffer.getLong(at + 86), buffer.getLong(at + 94),
                    buffer.getLong(at + 102)));
            }
            else
            {
                entries.remove(sku);
            }
        }
        final boolean cleanClose = closed && !partialTail;
        if (!cleanClose && (currentBootId == 0 || currentBootId != fileBootId))
        {
            return new Loaded(Map.of(), slots, damaged, false, "not closed cleanly before the machine restarted");
        }
        if (lastDamaged >= 0)
        {
            final int bound = lastDamaged;
            entries.keySet().removeIf(sku -> lastSlot.get(sku) < bound);
        }
        return new Loaded(entries, slots, damaged, cleanClose, null);
    }

    private static boolean valid(final ByteBuffer buffer, final int at, final long expectedSeq)
    {
        final CRC32C check = new CRC32C();
        check.update(buffer.array(), at + 4, RECORD - 4);
        final int length = buffer.get(at + 13);
        return (int)check.getValue() == buffer.getInt(at) && buffer.getLong(at + 4) == expectedSeq
            && length >= 1 && length <= MAX_ID;
    }

    private static String id(final ByteBuffer buffer, final int at)
    {
        return new String(buffer.array(), at + 14, buffer.get(at + 13), StandardCharsets.UTF_8);
    }

    /**
     * Starts a fresh file holding exactly {@code acknowledged} (temporary file, fsync, atomic rename) and opens it
     * for appending. On failure the ledger is disabled and the old file removed, so a restart resends everything.
     */
    synchronized void rewrite(final Outbox outbox, final Outbox.SkuNames ids, final int skuCount)
    {
        if (broken)
        {
            return;
        }
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            Files.createDirectories(file.getParent());
            if (out != null)
            {
                out.close();
                out = null;
            }
            try (FileChannel channelFile = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                seq = 0;
                write(channelFile, HEADER, channel, FORMAT, target, System.currentTimeMillis(), bootId);
                final int[] counted = new int[1];
                int from = 0;
                while (from >= 0)
                {
                    from = outbox.copyAcknowledged(from, skuCount, drainSkus, drainValues, counted);
                    for (int i = 0; i < counted[0]; i++)
                    {
                        write(channelFile, ACK, ids.skuId(drainSkus[i]), drainValues[i * 4], drainValues[i * 4 + 1],
                            drainValues[i * 4 + 2], drainValues[i * 4 + 3]);
                    }
                }
                channelFile.force(true);
            }
            try
            {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.getParent());
            out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            recordsSinceRewrite = 0;
            unsynced = false;
        }
        catch (final IOException | RuntimeException ex)
        {
            fail("rewrite", ex);
        }
    }

    /**
     * Appends the acknowledgements recorded since the last call, then a {@code SENT} record for each update of
     * the batch. Called on the scheduler thread before the batch's request leaves, so the file never shows a SKU
     * acknowledged while a request for it may have reached the channel.
     */
    synchronized void beforeSend(final Outbox outbox, final Outbox.SkuNames ids, final List<Update> batch)
    {
        flushAcknowledged(outbox, ids);
        if (broken)
        {
            return;
        }
        try
        {
            for (final Update update : batch)
            {
                write(out, SENT, update.skuId(), update.qty(), update.version(), 0, 0);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            fail("append", ex);
        }
    }

    /** Appends the acknowledgements recorded since the last call (scheduler thread). */
    synchronized void flushAcknowledged(final Outbox outbox, final Outbox.SkuNames ids)
    {
        if (broken || out == null)
        {
            return;
        }
        try
        {
            int n;
            while ((n = outbox.drainAcknowledged(drainSkus, drainValues)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    write(out, ACK, ids.skuId(drainSkus[i]), drainValues[i * 4], drainValues[i * 4 + 1],
                        drainValues[i * 4 + 2], drainValues[i * 4 + 3]);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            fail("append", ex);
        }
    }

    /**
     * Periodic work on the scheduler thread: appends pending acknowledgements, forces the file to disk once a
     * second when something was written, and rewrites it when it has grown past max(4 x SKUs, 16 384) records.
     *
     * @return true when the file was rewritten.
     */
    synchronized boolean maintain(final Outbox outbox, final Outbox.SkuNames ids, final int skuCount,
        final long nowMillis)
    {
        flushAcknowledged(outbox, ids);
        if (broken || out == null)
        {
            return false;
        }
        if (recordsSinceRewrite > Math.max(4L * skuCount, 16_384))
        {
            rewrite(outbox, ids, skuCount);
            return true;
        }
        if (unsynced && nowMillis - syncedAtMillis >= SYNC_MILLIS)
        {
            try
            {
                out.force(false);
                unsynced = false;
                syncedAtMillis = nowMillis;
            }
            catch (final IOException ex)
            {
                fail("fsync", ex);
            }
        }
        return false;
    }

    private void write(final FileChannel channelFile, final byte kind, final String id, final long a, final long b,
        final long c, final long d) throws IOException
    {
        final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        if (idBytes.length < 1 || idBytes.length > MAX_ID)
        {
            throw new IOException("id of " + idBytes.length + " bytes");
        }
        java.util.Arrays.fill(record.array(), (byte)0);
        record.putLong(4, seq);
        record.put(12, kind);
        record.put(13, (byte)idBytes.length);
        record.put(14, idBytes);
        record.putLong(78, a);
        record.putLong(86, b);
        record.putLong(94, c);
        record.putLong(102, d);
        crc.reset();
        crc.update(record.array(), 4, RECORD - 4);
        record.putInt(0, (int)crc.getValue());
        record.clear();
        while (record.hasRemaining())
        {
            channelFile.write(record);
        }
        seq++;
        recordsSinceRewrite++;
        unsynced = true;
    }

    private void fail(final String what, final Exception ex)
    {
        broken = true;
        LOG.error("channel sync {}: acknowledgement ledger {} failed ({}); it is discarded and a restart resends "
            + "every SKU", channel, file, what, ex);
        try
        {
            if (out != null)
            {
                out.close();
            }
            Files.deleteIfExists(file);
        }
        catch (final IOException suppressed)
        {
            LOG.error("channel sync {}: cannot remove the ledger {}; remove it before the next start", channel, file);
        }
        out = null;
    }

    /** Appends what is pending and a {@code CLOSE} record, and forces the file to disk. */
    synchronized void close(final Outbox outbox, final Outbox.SkuNames ids)
    {
        flushAcknowledged(outbox, ids);
        if (broken || out == null)
        {
            return;
        }
        try
        {
            write(out, CLOSE, channel, 0, 0, System.currentTimeMillis(), 0);
            out.force(true);
            out.close();
            out = null;
        }
        catch (final IOException ex)
        {
            fail("close", ex);
        }
    }

    @Override
    public synchronized void close()
    {
        if (out != null)
        {
            try
            {
                out.close();
            }
            catch (final IOException ex)
            {
                LOG.warn("channel sync {}: closing the ledger", channel, ex);
            }
            out = null;
        }
    }

    private static void syncDirectory(final Path dir)
    {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ))
        {
            d.force(true);
        }
        catch (final IOException ex)
        {
            // Some file systems cannot open a directory; the rename is still atomic there.
        }
    }

    /** This boot of the machine (Linux), or 0 when unknown: tells a process crash from a machine crash. */
    static long bootId()
    {
        try
        {
            final String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            long h = 1125899906842597L;
            for (int i = 0; i < id.length(); i++)
            {
                h = 31 * h + id.charAt(i);
            }
            return h == 0 ? 1 : h;
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
    }
}
