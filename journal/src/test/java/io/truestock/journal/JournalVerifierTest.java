package io.truestock.journal;

import io.truestock.journal.VerifyResult.Kind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class JournalVerifierTest
{
    private static final int BATCHES = 6;
    private static final int PER_BATCH = 5;
    private static final int COMMANDS = BATCHES * PER_BATCH;

    @TempDir
    Path temp;

    private Path source;
    private String headHash;

    @BeforeEach
    void writeSource()
    {
        source = temp.resolve("source");
        headHash = JournalSurgery.writeJournal(source, BATCHES, PER_BATCH);
    }

    @Test
    void untouchedJournalVerifies()
    {
        final VerifyResult result = JournalVerifier.verify(source);

        assertThat(result.ok()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.failure()).isNull();
        assertThat(result.commands()).isEqualTo(COMMANDS);
        assertThat(result.batches()).isEqualTo(BATCHES);
        assertThat(result.records()).isEqualTo(COMMANDS + BATCHES);
        assertThat(result.lastSequence()).isEqualTo(COMMANDS);
        assertThat(result.headHashHex()).isEqualTo(headHash).hasSize(64);
        assertThat(result.unsealedRecords()).isZero();
    }

    @Test
    void verbatimCopyOfTheRecordsVerifiesWithTheSameHead()
    {
        final Path copy = temp.resolve("copy");
        JournalSurgery.writeRecords(source, copy, JournalSurgery.readRecords(source));

        final VerifyResult result = JournalVerifier.verify(copy);

        assertThat(result.ok()).isTrue();
        assertThat(result.headHashHex()).isEqualTo(headHash);
    }

    @Test
    void flippedByteInAQueueFileIsAnEditOfThatRecord()
    {
        final Path copy = temp.resolve("copy");
        JournalSurgery.copyDir(source, copy);
        JournalSurgery.flipByteOf(copy, Commands.marker(17), 3);

        final VerifyResult result = JournalVerifier.verify(copy);

        assertThat(result.ok()).isFalse();
        assertThat(result.failure().kind()).isEqualTo(Kind.EDITED);
        assertThat(result.failure().sequence()).isEqualTo(17);
        assertThat(result.failure().detail()).contains("checksum");
        assertThat(result.commands()).isEqualTo(15);
        assertThat(JournalVerifier.verify(source).ok()).as("the original is untouched").isTrue();
    }

    @Test
    void editWithRecomputedChecksumIsCaughtByTheChain()
    {
        final List<byte[]> records = JournalSurgery.readRecords(source);
        final int at = JournalSurgery.indexOf(records, 13);
        final byte[] edited = records.get(at).clone();
        edited[JournalCodec.HEADER_LENGTH + 30] ^= 0x01;
        records.set(at, JournalSurgery.withChecksum(edited));
        final Path copy = temp.resolve("copy");
        JournalSurgery.writeRecords(source, copy, records);

        final VerifyResult result = JournalVerifier.verify(copy);

        assertThat(result.ok()).isFalse();
        assertThat(result.failure().kind()).isEqualTo(Kind.EDITED);
        assertThat(result.failure().sequence()).as("first record of the batch holding 13").isEqualTo(11);
        assertThat(result.failure().detail()).contains("11..15").contains("chain hash");
        assertThat(result.lastSequence()).isEqualTo(10);
    }

    @Test
    void droppedRecordIsReported()
    {
        final List<byte[]> records = JournalSurgery.readRecords(source);
        records.remove(JournalSurgery.indexOf(records, 8));
        final Path copy = temp.resolve("copy");
        JournalSurgery.writeRecords(source, copy, records);

        final VerifyResult result = JournalVerifier.verify(copy);

        assertThat(result.ok()).isFalse();
        assertThat(result.failure().kind()).isEqualTo(Kind.DROPPED);
        assertThat(result.failure().sequence()).isEqualTo(8);
        assertThat(result.failure().detail()).contains("missing");
    }

    @Test
    void droppedLastRecordOfABatchIsReported()
    {
        final List<byte[]> records = JournalSurgery.readRecords(source);
        records.remove(JournalSurgery.indexOf(records, 10));
        final Path copy = temp.resolve("copy");
        JournalSurgery.writeRecords(source, copy, records);

        final VerifyResult result = JournalVerifier.verify(copy);

        assertThat(result.failure().kind()).isEqualTo(Kind.DROPPED);
        assertThat(result.failure().sequence()).isEqualTo(10);
    }

    @Test
    void droppedSealIsReported()
    {
        final List<byte[]> records = JournalSurgery.readRecords(source);
        records.remove(JournalSurgery.indexOf(records, 5) + 1);
        final Path copy = temp.resolve("copy");
        JournalSurgery.writeRecords(source, copy, records);

        final VerifyResult result = JournalVerifier.verify(copy);

        assertThat(result.failure().kind()).isEqualTo(Kind.DROPPED);
        assertThat(result.failure().sequence()).isEqualTo(1);
        assertThat(result.failure().detail()).contains("seal of sequences 1..5 is missing");
    }

    @Test
    void swappedRecordsAreReportedAsReordered()
    {
        final List<byte[]> records = JournalSurgery.readRecords(source);
        Collections.swap(records, JournalSurgery.indexOf(records, 22), JournalSurgery.indexOf(records, 23));
        final Path copy = temp.resolve("copy");
        JournalSurgery.writeRecords(source, copy, records);

        final VerifyResult result = JournalVerifier.verify(copy);

        assertThat(result.ok()).isFalse();
        assertThat(result.failure().kind()).isEqualTo(Kind.REORDERED);
        assertThat(result.failure().sequence()).isEqualTo(22);
        assertThat(result.commands()).isEqualTo(20);
    }

    @Test
    void recordsSwappedAcrossBatchesAreReportedAsReordered()
    {
        final List<byte[]> records = JournalSurgery.readRecords(source);
        Collections.swap(records, JournalSurgery.indexOf(records, 4), JournalSurgery.indexOf(records, 27));
        final Path copy = temp.resolve("copy");
        JournalSurgery.writeRecords(source, copy, records);

        final VerifyResult result = JournalVerifier.verify(copy);

        assertThat(result.failure().kind()).isEqualTo(Kind.REORDERED);
        assertThat(result.failure().sequence()).isEqualTo(4);
    }

    @Test
    void repeatedRecordIsReportedAsInserted()
    {
        final List<byte[]> records = JournalSurgery.readRecords(source);
        records.add(JournalSurgery.indexOf(records, 20), records.get(JournalSurgery.indexOf(records, 3)));
        final Path copy = temp.resolve("copy");
        JournalSurgery.writeRecords(source, copy, records);

        final VerifyResult result = JournalVerifier.verify(copy);

        assertThat(result.failure().kind()).isEqualTo(Kind.INSERTED);
        assertThat(result.failure().sequence()).isEqualTo(3);
    }

    @Test
    void headHashChangesWhenAnyRecordChangesEvenIfTheChainIsRebuilt()
    {
        final List<byte[]> original = JournalSurgery.readRecords(source);
        final byte[] anchor = JournalMetadata.genesisHash("test-engine");
        final Set<String> heads = new HashSet<>();
        heads.add(headHash);
        for (int i = 0; i < original.size(); i++)
        {
            if (JournalSurgery.template(original.get(i)) != JournalCodec.COMMAND_TEMPLATE)
            {
                continue;
            }
            final List<byte[]> records = new ArrayList<>(original);
            final byte[] edited = records.get(i).clone();
            // The timestamp: still a well-formed record, only its content differs.
            edited[JournalCodec.HEADER_LENGTH + 8] ^= 0x01;
            records.set(i, JournalSurgery.withChecksum(edited));
            final Path copy = temp.resolve("rebuilt-" + i);
            JournalSurgery.writeRecords(source, copy, JournalSurgery.reseal(records, anchor));

            final VerifyResult result = JournalVerifier.verify(copy);

            assertThat(result.ok()).as("a consistently rebuilt chain verifies on its own").isTrue();
            assertThat(heads.add(result.headHashHex())).as("head after changing record " + i + " is new").isTrue();
        }
        assertThat(heads).hasSize(COMMANDS + 1);
    }

    @Test
    void unsealedTailIsReportedNotFailed()
    {
        final Path dir = temp.resolve("tail");
        final io.truestock.engine.Command command = new io.truestock.engine.Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 0))
        {
            journal.append(Commands.nth(command, 1));
            journal.endOfBatch();
            journal.append(Commands.nth(command, 2));
            journal.append(Commands.nth(command, 3));
        }

        final VerifyResult result = JournalVerifier.verify(dir);

        assertThat(result.ok()).isTrue();
        assertThat(result.commands()).isEqualTo(1);
        assertThat(result.unsealedRecords()).isEqualTo(2);
    }
}
