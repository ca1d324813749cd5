package io.truestock.journal;

import io.truestock.engine.Command;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Test tools that do to a journal what an attacker or a failing disk would: copy it, patch bytes of its files, and
 * rewrite its records (dropped, swapped, inserted, edited) into a new queue. Shared with other modules' tests
 * through this module's test-jar.
 */
public final class JournalSurgery
{
    private JournalSurgery()
    {
    }

    /** Writes {@code batches} sealed batches of {@code perBatch} {@link Commands#nth} commands to a new journal. */
    static String writeJournal(final Path dir, final int batches, final int perBatch)
    {
        final Command command = new Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(config(dir), 0))
        {
            long sequence = 0;
            for (int b = 0; b < batches; b++)
            {
                for (int i = 0; i < perBatch; i++)
                {
                    journal.append(Commands.nth(command, ++sequence));
                }
                journal.endOfBatch();
            }
            return journal.headHashHex();
        }
    }

    static JournalConfig config(final Path dir)
    {
        return new JournalConfig().dataDir(dir).instanceId("test-engine");
    }

    /** Every raw record of the journal queue in {@code dir}, in order. */
    static List<byte[]> readRecords(final Path dir)
    {
        final JournalMetadata meta = JournalReader.readMeta(dir);
        final List<byte[]> records = new ArrayList<>();
        try (SingleChronicleQueue queue = Queues.openForReading(dir, meta);
            RecordCursor cursor = new RecordCursor(queue, 1024).fromCycle(meta.firstRetainedCycle))
        {
            while (cursor.next())
            {
                records.add(Arrays.copyOf(cursor.bytes(), cursor.length()));
            }
        }
        return records;
    }

    /** A new journal in {@code target}: the metadata of {@code source} and {@code records} as raw documents. */
    static void writeRecords(final Path source, final Path target, final List<byte[]> records)
    {
        try
        {
            Files.createDirectories(target);
            Files.copy(JournalMetadata.file(source), JournalMetadata.file(target));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        try (SingleChronicleQueue queue = Queues.open(
            target, JournalConfig.DEFAULT_ROLL_CYCLE, SystemTimeProvider.INSTANCE, false, false);
            ExcerptAppender appender = queue.createAppender())
        {
            for (final byte[] record : records)
            {
                appender.writeBytes(Bytes.wrapForRead(record));
            }
        }
    }

    static int template(final byte[] record)
    {
        return (record[2] & 0xFF) | (record[3] & 0xFF) << 8;
    }

    static long sequence(final byte[] record)
    {
        return ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).getLong(JournalCodec.HEADER_LENGTH);
    }

    /** Index in {@code records} of the command record of {@code sequence}. */
    static int indexOf(final List<byte[]> records, final long sequence)
    {
        for (int i = 0; i < records.size(); i++)
        {
            if (template(records.get(i)) == JournalCodec.COMMAND_TEMPLATE && sequence(records.get(i)) == sequence)
            {
                return i;
            }
        }
        throw new IllegalArgumentException("no record of sequence " + sequence);
    }

    /** The record with its CRC32C trailer recomputed, as a careful forger would. */
    static byte[] withChecksum(final byte[] record)
    {
        final byte[] copy = record.clone();
        final int messageLength = copy.length - JournalCodec.CHECKSUM_LENGTH;
        final CRC32C crc = new CRC32C();
        crc.update(copy, 0, messageLength);
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(messageLength, (int)crc.getValue());
        return copy;
    }

    /**
     * Recomputes every seal's and Abandon record's hash over the records as they now are, starting from
     * {@code anchor}: the forger's last step, which leaves a chain that verifies on its own.
     */
    static List<byte[]> reseal(final List<byte[]> records, final byte[] anchor)
    {
        final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
        final MessageDigest sha = JournalMetadata.sha256();
        final List<byte[]> out = new ArrayList<>();
        byte[] head = anchor.clone();
        boolean open = false;
        for (final byte[] record : records)
        {
            final int template = template(record);
            if (template == JournalCodec.COMMAND_TEMPLATE)
            {
                if (!open)
                {
                    sha.update(head);
                    open = true;
                }
                sha.update(record);
                out.add(record);
                continue;
            }
            head = sha.digest();
            open = false;
            codec.wrap(record, record.length);
            final int length;
            if (template == JournalCodec.SEAL_TEMPLATE)
            {
                length = codec.encodeSeal(codec.seal().firstSequence(), codec.seal().lastSequence(), codec.seal().count(), head);
            }
            else
            {
                length = codec.encodeAbandon(codec.abandon().firstSequence(), codec.abandon().lastSequence(),
                    codec.abandon().count(), codec.abandon().resumeAfterSequence(), head);
            }
            out.add(Arrays.copyOf(codec.encodedBytes(), length));
        }
        return out;
    }

    static void copyDir(final Path from, final Path to)
    {
        try (Stream<Path> files = Files.list(from))
        {
            Files.createDirectories(to);
            for (final Path file : files.toList())
            {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Flips one bit of the byte at {@code offset} within the first occurrence of {@code marker} in the journal's
     * queue files (in name order), as a failing disk would: the record that carries it no longer matches its
     * checksum. Only that byte is written, so preallocated queue files stay sparse.
     */
    public static void flipByteOf(final Path dir, final String marker, final int offset)
    {
        final byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                final int at = find(bytes, needle);
                if (at >= 0)
                {
                    final int flipped = at + offset;
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
                    {
                        channel.write(ByteBuffer.wrap(new byte[] {(byte)(bytes[flipped] ^ 0x04)}), flipped);
                    }
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        throw new IllegalArgumentException("marker " + marker + " not found in " + dir);
    }

    private static int find(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
