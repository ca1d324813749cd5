package io.truestock.journal;

import io.truestock.engine.Command;
import io.truestock.journal.JournalException.Problem;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.JournalMetaEncoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalReaderTest
{
    @TempDir
    Path dir;

    @Test
    void replaysEverySealedCommandInOrderWithItsStamp()
    {
        JournalSurgery.writeJournal(dir, 4, 3);

        final List<Long> sequences = new ArrayList<>();
        final Command expected = new Command(8);
        final ReplayResult result;
        try (JournalReader reader = JournalReader.open(JournalSurgery.config(dir)))
        {
            result = reader.replay(1, new Command(8), command ->
            {
                Commands.assertSameCommand(command, Commands.nth(expected, command.sequence()));
                sequences.add(command.sequence());
            });
        }

        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(result.lastSequence()).isEqualTo(12);
        assertThat(result.commandsReplayed()).isEqualTo(12);
        assertThat(result.hasUnsealedTail()).isFalse();
    }

    @Test
    void replaysFromAGivenSequence()
    {
        JournalSurgery.writeJournal(dir, 4, 3);

        final List<Long> sequences = new ArrayList<>();
        final ReplayResult result;
        try (JournalReader reader = JournalReader.open(dir))
        {
            result = reader.replay(5, new Command(8), command -> sequences.add(command.sequence()));
        }

        assertThat(sequences).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(result.lastSequence()).isEqualTo(12);
        assertThat(result.commandsReplayed()).isEqualTo(8);
    }

    @Test
    void replayFromJustAfterTheEndDeliversNothing()
    {
        JournalSurgery.writeJournal(dir, 2, 2);

        try (JournalReader reader = JournalReader.open(dir))
        {
            final ReplayResult result = reader.replay(5, new Command(8), command ->
            {
                throw new AssertionError("nothing to deliver: " + command);
            });
            assertThat(result.lastSequence()).isEqualTo(4);
            assertThat(result.commandsReplayed()).isZero();
        }
    }

    @Test
    void replayBeyondTheEndIsRefused()
    {
        JournalSurgery.writeJournal(dir, 2, 2);

        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThatThrownBy(() -> reader.replay(9, new Command(8), command ->
            {
            }))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("last sealed sequence is 4")
                .extracting(ex -> ((JournalException)ex).problem()).isEqualTo(Problem.SEQUENCE_MISMATCH);
        }
    }

    @Test
    void replayFromDeepInALongJournalSeeksAndDeliversExactlyWhatAFullWalkDoes()
    {
        // 150 000 sealed commands, a crashed unsealed tail of 3 (abandoned on reopening, its sequences reused), then
        // 150 000 more: long enough that replay seeks instead of walking from the start.
        final Command command = new Command(8);
        long sequence = 0;
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 0))
        {
            for (int b = 0; b < 3_000; b++)
            {
                for (int i = 0; i < 50; i++)
                {
                    journal.append(Commands.nth(command, ++sequence));
                }
                journal.endOfBatch();
            }
            for (int i = 1; i <= 3; i++)
            {
                journal.append(Commands.nth(command, sequence + i));
            }
        }
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), sequence))
        {
            for (int b = 0; b < 3_000; b++)
            {
                for (int i = 0; i < 50; i++)
                {
                    journal.append(Commands.nth(command, ++sequence));
                }
                journal.endOfBatch();
            }
        }

        final List<Long> all = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.replay(1, new Command(8), c -> all.add(c.sequence()));
        }
        assertThat(all).hasSize(300_000);
        for (final long from : new long[] {50_000, 100_001, 149_990, 150_001, 150_004, 200_000, 299_999, 300_000, 300_001})
        {
            final List<Long> seen = new ArrayList<>();
            final ReplayResult result;
            final boolean sought;
            try (JournalReader reader = JournalReader.open(dir))
            {
                result = reader.replay(from, new Command(8), c ->
                {
                    Commands.assertSameCommand(c, Commands.nth(new Command(8), c.sequence()));
                    seen.add(c.sequence());
                });
                sought = reader.lastReplaySought;
            }
            assertThat(seen).as("from %d", from).isEqualTo(all.stream().filter(s -> s >= from).toList());
            assertThat(sought).as("from %d sought", from).isEqualTo(from >= 100_000);
            assertThat(result.lastSequence()).isEqualTo(300_000);
            assertThat(result.commandsReplayed()).isEqualTo(seen.size());
        }
    }

    @Test
    void unsealedTailIsReportedAndNeverDelivered()
    {
        final Command command = new Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 0))
        {
            journal.append(Commands.nth(command, 1));
            journal.append(Commands.nth(command, 2));
            journal.endOfBatch();
            journal.append(Commands.nth(command, 3));
            journal.append(Commands.nth(command, 4));
            journal.append(Commands.nth(command, 5));
            // crash: no endOfBatch
        }

        final List<Long> sequences = new ArrayList<>();
        final ReplayResult result;
        try (JournalReader reader = JournalReader.open(dir))
        {
            result = reader.replay(1, new Command(8), c -> sequences.add(c.sequence()));
        }

        assertThat(sequences).containsExactly(1L, 2L);
        assertThat(result.lastSequence()).isEqualTo(2);
        assertThat(result.hasUnsealedTail()).isTrue();
        assertThat(result.unsealedRecords()).isEqualTo(3);
        assertThat(result.firstUnsealedSequence()).isEqualTo(3);
        assertThat(result.lastUnsealedSequence()).isEqualTo(5);
    }

    @Test
    void tornLastRecordIsAnUnsealedTailThatReopeningAbandons()
    {
        JournalSurgery.writeJournal(dir, 2, 2);
        final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
        final int length = codec.encodeCommand(Commands.nth(new Command(8), 5));
        appendRaw(dir, Arrays.copyOf(codec.encodedBytes(), length - 9));

        final List<Long> sequences = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            final ReplayResult result = reader.replay(1, new Command(8), c -> sequences.add(c.sequence()));
            assertThat(result.lastSequence()).isEqualTo(4);
            assertThat(result.unsealedRecords()).as("the torn record, never sealed").isEqualTo(1);
        }
        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L);
        assertThat(JournalVerifier.verify(dir).ok()).as("a torn tail is not an edit").isTrue();

        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 4))
        {
            journal.append(Commands.nth(new Command(8), 5));
            journal.endOfBatch();
        }
        sequences.clear();
        try (JournalReader reader = JournalReader.open(dir))
        {
            final ReplayResult result = reader.replay(1, new Command(8), c -> sequences.add(c.sequence()));
            assertThat(result.abandonedRecords()).isEqualTo(1);
            assertThat(result.unsealedRecords()).isZero();
        }
        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L);
        final VerifyResult verified = JournalVerifier.verify(dir);
        assertThat(verified.ok()).as(String.valueOf(verified.failure())).isTrue();
        assertThat(verified.abandonedRecords()).isEqualTo(1);
        assertThat(verified.lastSequence()).isEqualTo(5);
    }

    @Test
    void openSealingTailAbandonsATornTailItCannotSeal()
    {
        JournalSurgery.writeJournal(dir, 2, 2);
        final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
        final int length = codec.encodeCommand(Commands.nth(new Command(8), 5));
        appendRaw(dir, Arrays.copyOf(codec.encodedBytes(), length - 9));

        try (ChronicleCommandJournal journal = ChronicleCommandJournal.openSealingTail(JournalSurgery.config(dir), 4))
        {
            assertThat(journal.lastSequence()).as("the torn record is not sealed").isEqualTo(4);
            journal.append(Commands.nth(new Command(8), 5));
            journal.endOfBatch();
        }

        final VerifyResult verified = JournalVerifier.verify(dir);
        assertThat(verified.ok()).as(String.valueOf(verified.failure())).isTrue();
        assertThat(verified.abandonedRecords()).isEqualTo(1);
        assertThat(verified.lastSequence()).isEqualTo(5);
    }

    @Test
    void truncatedRecordWithRecordsAfterItIsAClearError() throws IOException
    {
        JournalSurgery.writeJournal(dir, 2, 2);
        final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
        final int length = codec.encodeCommand(Commands.nth(new Command(8), 5));
        appendRaw(dir, Arrays.copyOf(codec.encodedBytes(), length - 9));
        final int next = codec.encodeCommand(Commands.nth(new Command(8), 6));
        appendRaw(dir, Arrays.copyOf(codec.encodedBytes(), next));

        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThatThrownBy(() -> reader.replay(1, new Command(8), c ->
            {
            }))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("record at index")
                .hasMessageContaining("truncated or edited")
                .extracting(ex -> ((JournalException)ex).problem()).isEqualTo(Problem.CHECKSUM_MISMATCH);
        }
        assertThat(JournalVerifier.verify(dir).ok()).isFalse();
        assertThat(JournalVerifier.verify(dir).failure().kind()).isEqualTo(VerifyResult.Kind.EDITED);
    }

    @Test
    void recordShorterThanAHeaderIsAClearError() throws IOException
    {
        JournalSurgery.writeJournal(dir, 1, 2);
        appendRaw(dir, new byte[] {1, 2, 3});
        // Followed by another record, so it is not a write torn by a crash at the end of the queue.
        final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
        appendRaw(dir, Arrays.copyOf(codec.encodedBytes(), codec.encodeCommand(Commands.nth(new Command(8), 3))));

        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThatThrownBy(() -> reader.replay(1, new Command(8), c ->
            {
            }))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("shorter than a message header")
                .extracting(ex -> ((JournalException)ex).problem()).isEqualTo(Problem.TRUNCATED);
        }
    }

    @Test
    void recordOfAnUnknownSchemaVersionIsAClearError() throws IOException
    {
        JournalSurgery.writeJournal(dir, 1, 2);
        final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
        final int length = codec.encodeCommand(Commands.nth(new Command(8), 3));
        final byte[] record = Arrays.copyOf(codec.encodedBytes(), length);
        ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).putShort(6, (short)7);
        appendRaw(dir, JournalSurgery.withChecksum(record));

        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThatThrownBy(() -> reader.replay(1, new Command(8), c ->
            {
            }))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("schema version 7")
                .hasMessageContaining("reads versions up to " + JournalCodec.SCHEMA_VERSION)
                .extracting(ex -> ((JournalException)ex).problem()).isEqualTo(Problem.UNKNOWN_VERSION);
        }
    }

    @Test
    void journalOfAnUnknownSchemaVersionIsRefusedEverywhere() throws IOException
    {
        JournalSurgery.writeJournal(dir, 1, 1);
        writeMetaWithVersion(dir, 99);

        assertThatThrownBy(() -> JournalReader.open(dir))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("schema version 99")
            .extracting(ex -> ((JournalException)ex).problem()).isEqualTo(Problem.UNKNOWN_VERSION);
        assertThatThrownBy(() -> ChronicleCommandJournal.open(JournalSurgery.config(dir), 1))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("schema version 99");
        assertThatThrownBy(() -> JournalVerifier.verify(dir))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("schema version 99");
    }

    @Test
    void journalOfAnotherInstanceIsRefused()
    {
        JournalSurgery.writeJournal(dir, 1, 1);
        final JournalConfig other = new JournalConfig().dataDir(dir).instanceId("other-engine");

        assertThatThrownBy(() -> JournalReader.open(other))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("belongs to engine instance 'test-engine', not 'other-engine'")
            .extracting(ex -> ((JournalException)ex).problem()).isEqualTo(Problem.WRONG_INSTANCE);
        assertThatThrownBy(() -> ChronicleCommandJournal.open(
            new JournalConfig().dataDir(dir).instanceId("other-engine"), 1))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("belongs to engine instance 'test-engine', not 'other-engine'");
    }

    @Test
    void queueFilesWithoutMetadataAreRefused() throws IOException
    {
        JournalSurgery.writeJournal(dir, 1, 1);
        Files.delete(JournalMetadata.file(dir));

        assertThatThrownBy(() -> ChronicleCommandJournal.open(JournalSurgery.config(dir), 1))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("no " + JournalMetadata.FILE_NAME)
            .extracting(ex -> ((JournalException)ex).problem()).isEqualTo(Problem.MISSING_METADATA);
    }

    @Test
    void commandWithMoreLinesThanTheTargetHoldsIsAClearError()
    {
        final Command wide = new Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 0))
        {
            journal.append(wide.order("shop", "o-1").addLine("a", 1).addLine("b", 1).addLine("c", 1).stamp(1, 1));
            journal.endOfBatch();
        }

        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThatThrownBy(() -> reader.replay(1, new Command(2), c ->
            {
            }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("carries 3 lines");
        }
    }

    private static void appendRaw(final Path dir, final byte[] record)
    {
        try (SingleChronicleQueue queue = Queues.open(
            dir, JournalConfig.DEFAULT_ROLL_CYCLE, SystemTimeProvider.INSTANCE, false, false);
            ExcerptAppender appender = queue.createAppender())
        {
            appender.writeBytes(Bytes.wrapForRead(record));
        }
    }

    private static void writeMetaWithVersion(final Path dir, final int version) throws IOException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final JournalMetaEncoder meta = new JournalMetaEncoder().wrapAndApplyHeader(buffer, 0, header);
        header.version(version);
        meta.createdAtMillis(1).firstRetainedCycle(JournalMetadata.NO_CYCLE).anchorSequence(0)
            .putAnchorHash(new byte[32], 0, 32);
        meta.instanceId("test-engine").rollCycle("LARGE_HOURLY_SPARSE");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + meta.encodedLength();
        final byte[] record = new byte[length + JournalCodec.CHECKSUM_LENGTH];
        buffer.getBytes(0, record, 0, length);
        Files.write(JournalMetadata.file(dir), JournalSurgery.withChecksum(record));
    }
}
