package io.truestock.gateway.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger file read back after damage: a truncated last record, a garbage tail, a flipped byte, a request that
 * was in flight, a machine restart without a clean close. Whatever the damage, no SKU is read back as
 * acknowledged unless a readable record written after the damage vouches for it.
 */
class AckLedgerTest
{
    private static final int SKUS = 10;
    private static final long TARGET = 42;

    @TempDir
    Path dir;

    private Outbox outbox = new Outbox(64);
    private final Outbox.SkuNames names = new Outbox.SkuNames()
    {
        @Override
        public String skuId(final int sku)
        {
            return "sku-" + sku;
        }

        @Override
        public String itemId(final int sku)
        {
            return "sku-" + sku;
        }
    };

    /** Header, SENT for SKUs 0-9 (slots 1-10), ACK for SKUs 0-9 (slots 11-20), and CLOSE (slot 21) when asked. */
    private byte[] ledger(final boolean close) throws Exception
    {
        outbox = new Outbox(64);
        final AckLedger ledger = new AckLedger(dir, "shop", TARGET);
        ledger.rewrite(outbox, names, SKUS);
        final List<Update> batch = new ArrayList<>();
        for (int s = 0; s < SKUS; s++)
        {
            outbox.offer(s, 100 + s, 1 + s, 0);
        }
        outbox.take(SKUS, 0, names, batch);
        ledger.beforeSend(outbox, names, batch);
        for (int s = 0; s < SKUS; s++)
        {
            outbox.acknowledged(s, 5);
        }
        ledger.flushAcknowledged(outbox, names);
        if (close)
        {
            ledger.close(outbox, names);
        }
        else
        {
            ledger.close();
        }
        return Files.readAllBytes(ledger.file());
    }

    private static AckLedger.Loaded read(final byte[] bytes)
    {
        return AckLedger.parse(bytes, "shop", TARGET, AckLedger.bootId());
    }

    @Test
    void aCleanlyClosedLedgerRestoresEveryAcknowledgement() throws Exception
    {
        final AckLedger.Loaded loaded = read(ledger(true));
        assertThat(loaded.cleanClose()).isTrue();
        assertThat(loaded.damaged()).isZero();
        assertThat(loaded.acknowledged()).hasSize(SKUS);
        assertThat(loaded.acknowledged().get("sku-3")).isEqualTo(new AckLedger.Entry(103, 4, 5, 0));
        // Read back through the file as a restarting connector does.
        assertThat(new AckLedger(dir, "shop", TARGET).load().acknowledged()).hasSize(SKUS);
    }

    @Test
    void aRecordTruncatedMidwayLeavesNothingAcknowledged() throws Exception
    {
        final byte[] bytes = ledger(false);
        final AckLedger.Loaded loaded = read(Arrays.copyOf(bytes, 20 * AckLedger.RECORD + 50));
        assertThat(loaded.damaged()).isEqualTo(1);
        assertThat(loaded.acknowledged()).isEmpty();
    }

    @Test
    void aGarbageTailLeavesNothingAcknowledged() throws Exception
    {
        final byte[] bytes = ledger(true);
        final byte[] garbage = new byte[3 * AckLedger.RECORD + 17];
        new Random(7).nextBytes(garbage);
        final byte[] torn = Arrays.copyOf(bytes, bytes.length + garbage.length);
        System.arraycopy(garbage, 0, torn, bytes.length, garbage.length);
        final AckLedger.Loaded loaded = read(torn);
        assertThat(loaded.cleanClose()).isFalse();
        assertThat(loaded.damaged()).isEqualTo(4);
        assertThat(loaded.acknowledged()).isEmpty();
    }

    @Test
    void aFlippedByteUnacknowledgesEverySkuNotVouchedForByALaterRecord() throws Exception
    {
        final byte[] bytes = ledger(true);
        // Slot 13 is the acknowledgement of sku-2; flip a reserved byte only the checksum covers.
        bytes[13 * AckLedger.RECORD + 120] ^= 0x01;
        final AckLedger.Loaded loaded = read(bytes);
        assertThat(loaded.damaged()).isEqualTo(1);
        assertThat(loaded.cleanClose()).isTrue();
        assertThat(loaded.acknowledged().keySet())
            .containsExactlyInAnyOrder("sku-3", "sku-4", "sku-5", "sku-6", "sku-7", "sku-8", "sku-9");
    }

    @Test
    void aFlippedByteInTheHeaderLeavesNothingAcknowledged() throws Exception
    {
        final byte[] bytes = ledger(true);
        bytes[20] ^= 0x01;
        assertThat(read(bytes).acknowledged()).isEmpty();
    }

    @Test
    void aRequestInFlightAtTheCrashLeavesItsSkuUnknown() throws Exception
    {
        final AckLedger ledger = new AckLedger(dir, "shop", TARGET);
        ledger(true);
        outbox.offer(4, 7, 50, 10);
        final List<Update> batch = new ArrayList<>();
        outbox.take(1, 10, names, batch);
        ledger.rewrite(outbox, names, SKUS);
        ledger.beforeSend(outbox, names, batch);
        ledger.close();
        final AckLedger.Loaded loaded = read(Files.readAllBytes(ledger.file()));
        assertThat(loaded.cleanClose()).isFalse();
        assertThat(loaded.acknowledged()).hasSize(SKUS - 1).doesNotContainKey("sku-4");
    }

    @Test
    void withoutACleanCloseAnotherBootTrustsNothing() throws Exception
    {
        final byte[] open = ledger(false);
        final long otherBoot = AckLedger.bootId() + 1;
        assertThat(AckLedger.parse(open, "shop", TARGET, otherBoot).acknowledged()).isEmpty();
        assertThat(AckLedger.parse(open, "shop", TARGET, 0).acknowledged()).isEmpty();
        final byte[] closed = ledger(true);
        assertThat(AckLedger.parse(closed, "shop", TARGET, otherBoot).acknowledged()).hasSize(SKUS);
    }

    @Test
    void aLedgerWrittenForAnotherChannelOrTargetIsIgnored() throws Exception
    {
        final byte[] bytes = ledger(true);
        assertThat(AckLedger.parse(bytes, "other", TARGET, AckLedger.bootId()).acknowledged()).isEmpty();
        assertThat(AckLedger.parse(bytes, "shop", TARGET + 1, AckLedger.bootId()).acknowledged()).isEmpty();
    }

    @Test
    void theLogIsRewrittenBeforeItOutgrowsFourRecordsPerSku() throws Exception
    {
        final AckLedger ledger = new AckLedger(dir, "shop", TARGET);
        ledger.rewrite(outbox, names, SKUS);
        long version = 1;
        boolean rewritten = false;
        for (int round = 0; round < 2_000 && !rewritten; round++)
        {
            final List<Update> batch = new ArrayList<>();
            for (int s = 0; s < SKUS; s++)
            {
                outbox.offer(s, round, version++, 0);
            }
            outbox.take(SKUS, 0, names, batch);
            ledger.beforeSend(outbox, names, batch);
            batch.forEach(u -> outbox.acknowledged(u.sku(), 1));
            rewritten = ledger.maintain(outbox, names, SKUS, 0);
            assertThat(Files.size(ledger.file())).isLessThanOrEqualTo((16_384L + 2 * SKUS + 2) * AckLedger.RECORD);
        }
        assertThat(rewritten).isTrue();
        assertThat(Files.size(ledger.file())).isEqualTo((1 + SKUS) * (long)AckLedger.RECORD);
        ledger.close(outbox, names);
        assertThat(new AckLedger(dir, "shop", TARGET).load().acknowledged()).hasSize(SKUS);
    }
}
