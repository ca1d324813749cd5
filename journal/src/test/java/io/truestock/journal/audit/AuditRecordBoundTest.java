package io.truestock.journal.audit;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.StockImportSpec;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.journal.JournalConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit record's bound: what a command adds beyond it is left out whole entries at a time, said in the detail
 * and counted; a record at the bound is written, read back and kept across a reopen; the queue's blocks are sized
 * from the bound; a trail written with Chronicle's 64 MB blocks opens with the small ones.
 */
class AuditRecordBoundTest
{
    private static final long T0 = Instant.parse("2026-03-04T12:00:00Z").toEpochMilli();
    /** Ids as long as the engine allows, so entries are as large as they get. */
    private static final int ID_CHARS = 64;

    @TempDir
    Path dir;

    private final Command command = new Command(8);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private Engine engine;
    private AuditLog audit;
    private long sequence;

    @BeforeEach
    void open()
    {
        engine = new Engine(new EngineConfig().maxSkus(8192).maxLocations(4).maxChannels(4));
        audit = new AuditLog(dir);
        audit.attach(engine);
    }

    @AfterEach
    void close()
    {
        audit.close();
    }

    private Outcome apply(final Consumer<Command> build)
    {
        build.accept(command.clear());
        sequence++;
        command.stamp(sequence, T0 + sequence);
        engine.apply(command, outcome, events);
        audit.onApplied(command, outcome, events);
        return outcome;
    }

    /** Location oak and two channels: sequences 1 to 3. */
    private void catalog()
    {
        assertThat(apply(c -> c.defineLocation("oak", new LocationSpec("Oakland", "UTC", "US", "94607", 1, 23 * 60 + 59,
            0, LocationSpec.MON_TO_FRI, new int[0]))).accepted()).isTrue();
        assertThat(apply(c -> c.defineChannel("shop", ChannelSpec.named("Shop"))).accepted()).isTrue();
        assertThat(apply(c -> c.defineChannel("web", ChannelSpec.named("Web"))).accepted()).isTrue();
    }

    private static String skuId(final int i)
    {
        final String prefix = "sku-" + i + "-";
        return prefix + "x".repeat(ID_CHARS - prefix.length());
    }

    /** An import that creates {@code rows} SKUs with the longest ids, each with stock at oak. */
    private Outcome importNewSkus(final int rows)
    {
        final String[] skus = new String[rows];
        final String[] locations = new String[rows];
        final long[] onHand = new long[rows];
        final String[] titles = new String[rows];
        for (int i = 0; i < rows; i++)
        {
            skus[i] = skuId(i);
            locations[i] = "oak";
            onHand[i] = i + 1;
            titles[i] = "T" + i;
        }
        return apply(c -> c.importStock(new StockImportSpec(skus, locations, onHand, titles, "USD")).principal("ops"));
    }

    @Test
    void theBlockIsSizedFromTheRecordBoundAsTheJournalsIs()
    {
        assertThat(audit.blockBytes()).isEqualTo(JournalConfig.blockBytesFor(AuditLog.MAX_RECORD_BYTES))
            .isEqualTo(4L * 1024 * 1024);
        assertThat(AuditLog.MAX_RECORD_BYTES).as("a record fits in a block's overlap, a quarter of it")
            .isLessThanOrEqualTo((int)(audit.blockBytes() / 4));
    }

    @Test
    void aRecordWithinTheBoundIsWrittenWholeAndNotCounted()
    {
        catalog();
        assertThat(importNewSkus(1000).accepted()).isTrue();

        assertThat(audit.truncatedRecords()).isZero();
        assertThat(audit.lastRecordBytes()).isLessThan(AuditLog.MAX_RECORD_BYTES);
        final List<AuditLog.Entry> entries = audit.query(null, 0, 10_000).entries();
        assertThat(entries).hasSize(1000);
        assertThat(entries.get(999).sku()).isEqualTo(skuId(999));
        assertThat(entries.get(999).after()).containsExactly(1000, 0, 0, 0);
        assertThat(entries.get(0).detail()).isNull();
    }

    /**
     * Written a ring batch at a time, a batch's document keeps to the record bound: a record near the bound joins the
     * batch while it fits, and the next one that would take the document past the bound writes the batch first and
     * starts the next; all read back in order after a reopen.
     */
    @Test
    void inBatchesADocumentKeepsToTheBoundAndRecordsNearItReadBackInOrder()
    {
        catalog();
        audit.writePerRingBatch();
        assertThat(apply(c -> c.receive("small-1", "oak", 1)).accepted()).isFalse();
        assertThat(importNewSkus(3000).accepted()).isTrue();
        final long first = audit.lastRecordBytes();
        assertThat(first).isGreaterThan(AuditLog.MAX_RECORD_BYTES - 64 * 1024);
        assertThat(audit.lastSequence()).as("the two share the batch: nothing written yet").isEqualTo(3);
        final String[] more = new String[3000];
        final long[] ones = new long[3000];
        for (int i = 0; i < more.length; i++)
        {
            more[i] = "more-" + i + "-" + "y".repeat(40);
            ones[i] = 1;
        }
        assertThat(apply(c -> c.importStock(new StockImportSpec(more, repeat("oak", 3000), ones,
            repeat("T", 3000), "USD")).principal("ops")).accepted()).isTrue();
        assertThat(audit.lastSequence()).as("the batch so far written before this record passed the bound")
            .isEqualTo(5);
        assertThat(apply(c -> c.receive(skuId(0), "oak", 2)).accepted()).isTrue();
        audit.onEndOfBatch();
        assertThat(audit.lastSequence()).isEqualTo(7);
        audit.close();
        audit = new AuditLog(dir);
        audit.attach(engine);
        assertThat(audit.lastSequence()).isEqualTo(7);
        final List<AuditLog.Entry> entries = audit.query(null, 0, 10_000).entries();
        assertThat(entries).hasSize(1 + 3000 + 3000 + 1);
        assertThat(entries.get(0).sku()).isEqualTo("small-1");
        assertThat(entries.get(3000).sku()).isEqualTo(skuId(2999));
        assertThat(entries.get(3001).sku()).isEqualTo(more[0]);
        assertThat(entries.get(6001).sku()).isEqualTo(skuId(0));
        assertThat(entries.get(6001).after()).containsExactly(3, 0, 0, 0);
    }

    private static String[] repeat(final String value, final int count)
    {
        final String[] values = new String[count];
        java.util.Arrays.fill(values, value);
        return values;
    }

    @Test
    void aCommandWhoseEventsPassTheBoundIsRecordedUpToItSaysWhatItLeftOutAndIsCounted()
    {
        catalog();
        // 3 000 new SKUs: 3 000 stock changes (about 400 KB), then a value on each of two channels for each SKU
        // (6 000 more, about 470 KB): the changes fit, the channel values only in part.
        assertThat(importNewSkus(3000).accepted()).isTrue();
        assertThat(events.publishedCount()).as("the command published more than fits").isGreaterThan(3000);

        assertThat(audit.truncatedRecords()).isEqualTo(1);
        assertThat(audit.lastRecordBytes()).as("at the bound, short of it by less than the room kept for the detail")
            .isLessThanOrEqualTo(AuditLog.MAX_RECORD_BYTES)
            .isGreaterThan(AuditLog.MAX_RECORD_BYTES - 64 * 1024);
        final List<AuditLog.Entry> entries = audit.query(null, 0, 10_000).entries();
        assertThat(entries).as("every stock change, first to last").hasSize(3000);
        assertThat(entries.get(2999).sku()).isEqualTo(skuId(2999));
        assertThat(entries.get(2999).after()).containsExactly(3000, 0, 0, 0);
        final String detail = entries.get(0).detail();
        assertThat(detail).startsWith(AuditLog.TRUNCATED_MARKER)
            .contains("kept 3000 of 3000 stock changes")
            .contains(" of " + events.publishedCount() + " channel values")
            .endsWith("the journal holds the whole command]");

        // The next command is recorded whole after it, and both read back the same after a reopen.
        apply(c -> c.receive(skuId(7), "oak", 5));
        assertThat(audit.truncatedRecords()).isEqualTo(1);
        final List<AuditLog.Entry> before = audit.query(null, 0, 10_000).entries();
        assertThat(before).hasSize(3001);
        audit.close();
        audit = new AuditLog(dir);
        audit.attach(engine);
        assertThat(audit.lastSequence()).isEqualTo(sequence);
        assertThat(audit.query(null, 0, 10_000).entries()).usingRecursiveFieldByFieldElementComparator()
            .isEqualTo(before);
        assertThat(audit.query(skuId(7), 0, 10).entries()).extracting(AuditLog.Entry::type)
            .containsExactly("import_stock", "receive");
    }

    @Test
    void aSmallerBoundKeepsFewerStockChangesAndPagingStillListsWholeCommands()
    {
        audit.close();
        audit = new AuditLog(dir, AuditLog.MAX_SCAN, AuditLog.MIN_RECORD_BYTES, 0);
        audit.attach(engine);
        catalog();
        assertThat(importNewSkus(500).accepted()).isTrue();
        apply(c -> c.receive(skuId(1), "oak", 5));

        assertThat(audit.lastRecordBytes()).isLessThan(AuditLog.MIN_RECORD_BYTES / 8);
        final List<AuditLog.Entry> all = audit.query(null, 0, 10_000).entries();
        final int kept = all.size() - 1;
        assertThat(kept).as("what fits in the room left besides the texts and the detail").isBetween(1, 499);
        assertThat(all.get(0).detail()).contains("kept " + kept + " of 500 stock changes");
        assertThat(audit.truncatedRecords()).isEqualTo(1);

        final AuditLog.Page first = audit.query(null, 0, 1);
        assertThat(first.entries()).as("one command's entries go together").hasSize(kept);
        final AuditLog.Page second = audit.query(null, first.next(), 1);
        assertThat(second.entries()).extracting(AuditLog.Entry::type).containsExactly("receive");
    }

    @Test
    void aRejectedCommandsTextPastItsBoundIsClippedWithTheMarker()
    {
        catalog();
        // The engine refuses texts over its bound (256), and the rejection is recorded with the text it refused.
        final String longText = "r".repeat(AuditLog.MAX_TEXT_CHARS * 3);
        assertThat(apply(c -> c.receive("ghost", "oak", 1).principal("ops").reason(longText)).accepted()).isFalse();

        final AuditLog.Entry entry = audit.query("ghost", 0, 10).entries().get(0);
        assertThat(entry.reason()).isEqualTo(longText.substring(0, AuditLog.MAX_TEXT_CHARS));
        assertThat(entry.principal()).isEqualTo("ops");
        assertThat(entry.detail()).startsWith(AuditLog.TRUNCATED_MARKER).contains("; 1 texts clipped;");
        assertThat(audit.truncatedRecords()).isEqualTo(1);
    }

    @Test
    void aDetailPastItsBoundIsClippedWithTheMarker()
    {
        catalog();
        // Eight services of 250 zones (a service holds at most 256): about 30 000 characters of detail.
        final List<ServiceSpec> services = new ArrayList<>();
        for (int s = 0; s < 8; s++)
        {
            final List<ZoneSpec> zones = new ArrayList<>();
            for (int i = 0; i < 250; i++)
            {
                zones.add(new ZoneSpec(null, "US", String.valueOf(10000 + i), 3, 5));
            }
            services.add(new ServiceSpec("ground" + s, "Ground", LocationSpec.MON_TO_FRI, zones));
        }
        final CarrierSpec wide = new CarrierSpec("Wide", services);
        assertThat(apply(c -> c.defineCarrier("wide", wide).principal("ops")).accepted()).isTrue();

        final AuditLog.Entry entry = audit.query(null, 0, 10).entries().get(0);
        assertThat(entry.principal()).isEqualTo("ops");
        assertThat(entry.detail()).startsWith("carrier wide (Wide): ground0[")
            .containsPattern(", " + AuditLog.MAX_DETAIL_CHARS + " of [0-9]+ detail characters;")
            .contains("; 0 texts clipped;");
        assertThat(entry.detail().indexOf(AuditLog.TRUNCATED_MARKER)).isEqualTo(AuditLog.MAX_DETAIL_CHARS + 1);
        assertThat(audit.truncatedRecords()).isEqualTo(1);
    }

    @Test
    void aClippedTextNeverSplitsASurrogatePair()
    {
        final String text = "a".repeat(9) + "\uD83D\uDE00";
        assertThat(AuditLog.clip(text, 10)).isEqualTo("a".repeat(9));
        assertThat(AuditLog.clip(text, 11)).isSameAs(text);
        assertThat(AuditLog.clip(null, 1)).isNull();
    }

    @Test
    void aDeadLettersErrorPastItsBoundIsClippedWithTheMarker()
    {
        catalog();
        final String error = "e".repeat(AuditLog.MAX_DETAIL_CHARS * 2);
        audit.appendDeadLetter("shop", "a", 5, 7, 3, error, T0 + 500);

        final AuditLog.Entry letter = audit.query(null, 0, 10).entries().get(0);
        assertThat(letter.reason()).startsWith("e".repeat(AuditLog.MAX_DETAIL_CHARS) + " " + AuditLog.TRUNCATED_MARKER)
            .contains("kept " + AuditLog.MAX_DETAIL_CHARS + " of " + error.length() + " error characters");
        assertThat(audit.truncatedRecords()).isEqualTo(1);
    }

    @Test
    void aTrailWrittenWithChroniclesDefaultBlocksOpensWithTheSmallOnes()
    {
        audit.close();
        audit = new AuditLog(dir, AuditLog.MAX_SCAN, AuditLog.MAX_RECORD_BYTES, 0);
        audit.attach(engine);
        assertThat(audit.blockBytes()).isGreaterThan(JournalConfig.blockBytesFor(AuditLog.MAX_RECORD_BYTES));
        catalog();
        assertThat(importNewSkus(1000).accepted()).isTrue();
        apply(c -> c.receive(skuId(3), "oak", 5));
        final List<AuditLog.Entry> written = audit.query(null, 0, 10_000).entries();
        audit.close();

        audit = new AuditLog(dir);
        audit.attach(engine);
        assertThat(audit.blockBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(audit.lastSequence()).isEqualTo(sequence);
        assertThat(audit.query(null, 0, 10_000).entries()).usingRecursiveFieldByFieldElementComparator()
            .isEqualTo(written);
        apply(c -> c.receive(skuId(3), "oak", 1));
        assertThat(audit.query(skuId(3), 0, 10).entries()).extracting(AuditLog.Entry::seq)
            .containsExactly(4L, 5L, 6L);
    }

    @Test
    void aBoundOrBlockThatCannotHoldARecordIsRefused()
    {
        final Path other = dir.resolve("other");
        assertThatThrownBy(() -> new AuditLog(other, 1, AuditLog.MIN_RECORD_BYTES - 1, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordBytes");
        assertThatThrownBy(() -> new AuditLog(other, 1, AuditLog.MAX_RECORD_BYTES + 1, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordBytes");
        assertThatThrownBy(() -> new AuditLog(other, 1, AuditLog.MAX_RECORD_BYTES, AuditLog.MAX_RECORD_BYTES * 2L))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
    }
}
