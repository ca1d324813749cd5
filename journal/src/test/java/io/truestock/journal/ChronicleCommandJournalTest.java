package io.truestock.journal;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.CommandTooLargeException;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.engine.runtime.EngineRuntime;
import io.truestock.engine.runtime.RuntimeConfig;
import io.truestock.journal.JournalException.Problem;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChronicleCommandJournalTest
{
    @TempDir
    Path dir;

    @Test
    void reopenedJournalContinuesTheChain()
    {
        JournalSurgery.writeJournal(dir, 2, 3);
        final Command command = new Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 6))
        {
            assertThat(journal.lastSequence()).isEqualTo(6);
            journal.append(Commands.nth(command, 7));
            journal.endOfBatch();
        }

        final VerifyResult result = JournalVerifier.verify(dir);
        assertThat(result.ok()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.lastSequence()).isEqualTo(7);
        assertThat(result.batches()).isEqualTo(3);
    }

    @Test
    void restartAfterACrashMidBatchAbandonsTheTailAndReusesItsSequences()
    {
        final Command command = new Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 0))
        {
            journal.append(Commands.nth(command, 1));
            journal.append(Commands.nth(command, 2));
            journal.endOfBatch();
            journal.append(Commands.nth(command, 3));
            journal.append(Commands.nth(command, 4));
        }

        final Command different = new Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 2))
        {
            assertThat(journal.lastSequence()).isEqualTo(2);
            journal.append(different.receive("other", "oak", 99).stamp(3, Commands.START_MILLIS + 50));
            journal.endOfBatch();
        }

        final List<Long> abandoned = new ArrayList<>();
        final List<Command> replayed = new ArrayList<>();
        final ReplayResult result;
        try (JournalReader reader = JournalReader.open(dir))
        {
            result = reader.replay(1, new Command(8), new ReplayHandler()
            {
                @Override
                public void onCommand(final Command c)
                {
                    final Command copy = new Command(8);
                    copy.copyFrom(c);
                    replayed.add(copy);
                }

                @Override
                public void onAbandoned(final long firstSequence, final long lastSequence, final int count)
                {
                    abandoned.add(firstSequence);
                    abandoned.add(lastSequence);
                    abandoned.add((long)count);
                }
            });
        }
        assertThat(replayed).extracting(Command::sequence).containsExactly(1L, 2L, 3L);
        Commands.assertSameCommand(replayed.get(2), different);
        assertThat(abandoned).containsExactly(3L, 4L, 2L);
        assertThat(result.abandonedBatches()).isEqualTo(1);
        assertThat(result.abandonedRecords()).isEqualTo(2);
        assertThat(result.lastSequence()).isEqualTo(3);
        assertThat(result.hasUnsealedTail()).isFalse();

        final VerifyResult verified = JournalVerifier.verify(dir);
        assertThat(verified.ok()).as(String.valueOf(verified.failure())).isTrue();
        assertThat(verified.abandonedRecords()).isEqualTo(2);
        assertThat(verified.commands()).isEqualTo(3);
    }

    @Test
    void reopeningAfterTheAbandonWritesNoSecondOne()
    {
        final Command command = new Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 0))
        {
            journal.append(Commands.nth(command, 1));
        }
        ChronicleCommandJournal.open(JournalSurgery.config(dir), 0).close();
        ChronicleCommandJournal.open(JournalSurgery.config(dir), 0).close();

        final List<byte[]> records = JournalSurgery.readRecords(dir);
        assertThat(records).extracting(JournalSurgery::template)
            .containsExactly(JournalCodec.COMMAND_TEMPLATE, JournalCodec.ABANDON_TEMPLATE);
    }

    @Test
    void openSealingTailSealsTheTailAsItsWriterWouldHave()
    {
        final Path peer = dir.resolve("peer");
        final Path restarted = dir.resolve("restarted");
        final Command command = new Command(8);
        final String peerHead;
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(peer), 0))
        {
            journal.append(Commands.nth(command, 1));
            journal.append(Commands.nth(command, 2));
            journal.endOfBatch();
            journal.append(Commands.nth(command, 3));
            journal.endOfBatch();
            journal.append(Commands.nth(command, 4));
            journal.endOfBatch();
            peerHead = journal.headHashHex();
        }
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(restarted), 0))
        {
            journal.append(Commands.nth(command, 1));
            journal.append(Commands.nth(command, 2));
            journal.endOfBatch();
            journal.append(Commands.nth(command, 3));
        }

        try (ChronicleCommandJournal journal =
            ChronicleCommandJournal.openSealingTail(JournalSurgery.config(restarted), 2))
        {
            assertThat(journal.lastSequence()).as("the tail, sealed").isEqualTo(3);
            journal.append(Commands.nth(command, 4));
            journal.endOfBatch();
            assertThat(journal.headHashHex()).isEqualTo(peerHead);
        }
        ChronicleCommandJournal.openSealingTail(JournalSurgery.config(restarted), 4).close();

        assertThat(JournalSurgery.readRecords(restarted)).as("the records of a writer that never stopped")
            .usingElementComparator(Arrays::compare)
            .containsExactlyElementsOf(JournalSurgery.readRecords(peer));
        final VerifyResult verified = JournalVerifier.verify(restarted);
        assertThat(verified.ok()).as(String.valueOf(verified.failure())).isTrue();
        assertThat(verified.abandonedRecords()).isZero();
        assertThat(verified.lastSequence()).isEqualTo(4);
        assertThat(verified.headHashHex()).isEqualTo(peerHead);
    }

    @Test
    void openSealingTailRefusesAJournalThatEndsElsewhere()
    {
        JournalSurgery.writeJournal(dir, 2, 3);

        assertThatThrownBy(() -> ChronicleCommandJournal.openSealingTail(JournalSurgery.config(dir), 4))
            .isInstanceOf(JournalException.class)
            .extracting(ex -> ((JournalException)ex).problem()).isEqualTo(Problem.SEQUENCE_MISMATCH);
    }

    @Test
    void openingAtAnotherSequenceThanTheEngineIsRefused()
    {
        JournalSurgery.writeJournal(dir, 2, 3);

        assertThatThrownBy(() -> ChronicleCommandJournal.open(JournalSurgery.config(dir), 4))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("ends at sealed sequence 6 but the engine is at 4")
            .extracting(ex -> ((JournalException)ex).problem()).isEqualTo(Problem.SEQUENCE_MISMATCH);
    }

    @Test
    void appendOutOfSequenceIsRefused()
    {
        final Command command = new Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 0))
        {
            journal.append(Commands.nth(command, 1));
            assertThatThrownBy(() -> journal.append(Commands.nth(command, 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expects sequence 2");
            assertThatThrownBy(() -> journal.append(command.clear().queryReservation(7).stamp(2, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only mutations");
            journal.append(Commands.nth(command, 2));
            journal.endOfBatch();
            assertThat(journal.lastSequence()).isEqualTo(2);
        }
    }

    @Test
    void oversizedCommandIsRefusedAndTheJournalStaysUsable()
    {
        final Command command = new Command(8);
        final JournalConfig config = JournalSurgery.config(dir).maxRecordBytes(JournalCodec.MIN_RECORD_BYTES);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(config, 0))
        {
            assertThatThrownBy(() -> journal.append(Commands.nth(command, 1).reason("x".repeat(2000))))
                .isInstanceOf(CommandTooLargeException.class)
                .hasMessageContaining("does not fit");
            journal.append(Commands.nth(command, 1));
            journal.endOfBatch();
        }
        assertThat(JournalVerifier.verify(dir).commands()).isEqualTo(1);
    }

    @Test
    void theQueueIsMappedInBlocksSizedFromTheRecordBound()
    {
        assertThat(new JournalConfig().blockBytes()).as("256 KB records").isEqualTo(4L << 20);
        assertThat(new JournalConfig().maxRecordBytes(1 << 20).blockBytes()).isEqualTo(8L << 20);
        assertThat(new JournalConfig().maxRecordBytes(JournalConfig.MAX_RECORD_BYTES_LIMIT).blockBytes())
            .as("Chronicle's own, at most").isEqualTo(64L << 20);
    }

    @Test
    void largeRecordsCrossManyBlocksAndReadBackWhole()
    {
        // 100 records of about 120 KB: 12 MB through 4 MB blocks, so records straddle three block boundaries.
        final Command command = new Command(8);
        final String reason = "r".repeat(60_000);
        final String reference = "f".repeat(60_000);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 0))
        {
            for (long sequence = 1; sequence <= 100; sequence++)
            {
                journal.append(Commands.nth(command, sequence).reason(reason + sequence).reference(reference));
                if (sequence % 10 == 0)
                {
                    journal.endOfBatch();
                }
            }
        }
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 100))
        {
            journal.append(Commands.nth(command, 101));
            journal.endOfBatch();
        }
        final VerifyResult result = JournalVerifier.verify(dir);
        assertThat(result.ok()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.commands()).isEqualTo(101);
        final List<String> reasons = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.replay(1, new Command(8), c -> reasons.add(c.reason()));
        }
        assertThat(reasons).hasSize(101);
        assertThat(reasons.get(0)).isEqualTo(reason + 1);
        assertThat(reasons.get(99)).isEqualTo(reason + 100);
    }

    @Test
    void fsyncPerBatchWritesTheSameJournal()
    {
        final Command command = new Command(8);
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(
            JournalSurgery.config(dir).fsyncPerBatch(true), 0))
        {
            for (long sequence = 1; sequence <= 20; sequence++)
            {
                journal.append(Commands.nth(command, sequence));
                if (sequence % 4 == 0)
                {
                    journal.endOfBatch();
                }
            }
        }
        final VerifyResult result = JournalVerifier.verify(dir);
        assertThat(result.ok()).isTrue();
        assertThat(result.commands()).isEqualTo(20);
        assertThat(result.batches()).isEqualTo(5);
    }

    @Test
    void releaseDeletesOnlyCyclesCoveredBySnapshotAndKeepsTheRetainedOnes() throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(Commands.START_MILLIS * 1_000_000L);
        final JournalConfig config = JournalSurgery.config(dir)
            .rollCycle(TestRollCycles.TEST_SECONDLY)
            .retainedCycles(1)
            .cycleClock(clock);
        final Command command = new Command(8);
        long sequence = 0;
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(config, 0))
        {
            // Cycles 0..4 each hold two sealed batches of two.
            for (int cycle = 0; cycle < 5; cycle++)
            {
                for (int batch = 0; batch < 2; batch++)
                {
                    journal.append(Commands.nth(command, ++sequence));
                    journal.append(Commands.nth(command, ++sequence));
                    journal.endOfBatch();
                }
                clock.advanceMillis(1000);
            }
            // Cycle 5 ends mid-batch; the batch is sealed in cycle 6.
            journal.append(Commands.nth(command, ++sequence));
            clock.advanceMillis(1000);
            journal.append(Commands.nth(command, ++sequence));
            journal.endOfBatch();
            clock.advanceMillis(1000);
            journal.append(Commands.nth(command, ++sequence));
            journal.endOfBatch();
            assertThat(cycleFiles()).hasSize(8);

            // A snapshot at 10 covers cycles 0..2 (sequences 1..12 would need 3 too).
            assertThat(journal.releaseCyclesBefore(11)).isEqualTo(2);
            assertThat(cycleFiles()).hasSize(6);
            final VerifyResult afterFirst = JournalVerifier.verify(dir);
            assertThat(afterFirst.ok()).as(String.valueOf(afterFirst.failure())).isTrue();
            assertThat(afterFirst.firstSequence()).isEqualTo(9);
            assertThat(afterFirst.lastSequence()).isEqualTo(sequence);

            // Everything is covered now, but cycle 5 ends mid-batch, and the newest two files stay.
            assertThat(journal.releaseCyclesBefore(sequence + 1)).isEqualTo(3);
            assertThat(cycleFiles()).hasSize(3);
            assertThat(journal.releaseCyclesBefore(sequence + 1)).isZero();
        }

        final VerifyResult result = JournalVerifier.verify(dir);
        assertThat(result.ok()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.firstSequence()).isEqualTo(21);
        assertThat(result.commands()).isEqualTo(3);
        try (JournalReader reader = JournalReader.open(config))
        {
            assertThat(reader.firstAvailableSequence()).isEqualTo(21);
            final List<Long> sequences = new ArrayList<>();
            reader.replay(21, new Command(8), c -> sequences.add(c.sequence()));
            assertThat(sequences).containsExactly(21L, 22L, 23L);
            assertThatThrownBy(() -> reader.replay(20, new Command(8), c ->
            {
            }))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("no longer holds sequence 20");
        }
        try (ChronicleCommandJournal reopened = ChronicleCommandJournal.open(config, sequence))
        {
            assertThat(reopened.lastSequence()).isEqualTo(sequence);
        }
    }

    private List<Path> cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    @Test
    // A journal failure kills the ingress stage and the runtime's close then waits forever: fail instead of hanging.
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void engineRuntimeJournalReplaysToTheSameState() throws Exception
    {
        final EngineConfig engineConfig = new EngineConfig().maxSkus(64).maxLocations(4).maxChannels(4);
        final Engine live = new Engine(engineConfig);
        final ChronicleCommandJournal journal = ChronicleCommandJournal.open(JournalSurgery.config(dir), 0);
        final RuntimeConfig runtimeConfig = new RuntimeConfig().tickIntervalMillis(0).ringSize(256);
        final List<CommandFiller> script = new ArrayList<>();
        script.add(c -> c.defineLocation("oak", LocationSpec.named("Oakland")));
        script.add(c -> c.defineLocation("nj", LocationSpec.named("Newark").withPriority(2)));
        script.add(c -> c.defineChannel("shop", ChannelSpec.named("Shop", "oak", "nj")));
        for (int i = 0; i < 8; i++)
        {
            final String sku = "sku-" + i;
            script.add(c -> c.defineSku(sku, SkuSpec.simple("Item " + sku, 1999, "USD")));
            script.add(c -> c.receive(sku, "oak", 5).principal("admin").reference("po-1"));
            script.add(c -> c.receive(sku, "nj", 3));
        }
        for (int i = 0; i < 40; i++)
        {
            final String sku = "sku-" + i % 8;
            script.add(c -> c.reserve("shop", 600).addLine(sku, 2).idempotencyKey("k-" + sku).principal("agent"));
        }
        script.add(c -> c.order("shop", "mkt-1").addLine("sku-1", 50).destination("US", "10001"));

        try (EngineRuntime runtime = new EngineRuntime(live, runtimeConfig, journal, EngineListener.NONE).start())
        {
            // Many in flight at once, so batches of several commands form.
            final List<java.util.concurrent.CompletableFuture<Outcome>> pending = new ArrayList<>();
            for (final CommandFiller filler : script)
            {
                pending.add(runtime.submit(filler));
            }
            for (final java.util.concurrent.CompletableFuture<Outcome> outcome : pending)
            {
                outcome.get(10, TimeUnit.SECONDS);
            }
        }

        final Engine replayed = new Engine(new EngineConfig().maxSkus(64).maxLocations(4).maxChannels(4));
        final Outcome outcome = new Outcome();
        final Events events = new Events();
        final ReplayResult result;
        try (JournalReader reader = JournalReader.open(JournalSurgery.config(dir)))
        {
            result = reader.replay(1, new Command(engineConfig.maxLinesPerCommand()),
                command -> replayed.apply(command, outcome, events));
        }

        assertThat(result.lastSequence()).isEqualTo(script.size());
        assertThat(replayed.lastSequence()).isEqualTo(live.lastSequence());
        assertThat(replayed.digest()).isEqualTo(live.digest());
        assertThat(JournalVerifier.verify(dir).ok()).isTrue();
    }
}
