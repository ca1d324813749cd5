package io.truestock.engine;

import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A snapshot restore clears the restored SKUs' table rows on a second thread while it decodes the definitions
 * ({@link RowClearing}): every row of a defined SKU must end clear, whichever thread took it, no row beyond them is
 * touched, and the restored engine must be the live one, digest and snapshot bytes alike.
 */
class ParallelRowClearingTest
{
    /** Large enough that the tables are not zeroed when allocated (see {@link TableMemory}). */
    private static EngineConfig config()
    {
        return new EngineConfig().maxSkus(1 << 14).maxLocations(4).maxChannels(8).maxRetainedReservations(64)
            .maxOrders(64);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, RowClearing.CHUNK_SKUS - 1, RowClearing.CHUNK_SKUS, 3 * RowClearing.CHUNK_SKUS + 17})
    void clearsEveryRowOfTheSkusAddedWhileItRunsAndNoOther(final int skus)
    {
        final int maxSkus = 4 * RowClearing.CHUNK_SKUS;
        final StockTable stock = new StockTable(maxSkus, 4);
        final ChannelTable channels = new ChannelTable(maxSkus, 8);
        for (int s = 0; s < maxSkus; s++)
        {
            for (int l = 0; l < 4; l++)
            {
                stock.write(stock.offset(s, l), 7, 6, 5, 4, 3);
            }
            for (int ch = 0; ch < 8; ch++)
            {
                channels.write(channels.offset(s, ch), 9, 8);
                channels.pool(channels.offset(s, ch), 11);
            }
        }
        final Registry registry = new Registry(maxSkus);
        final RowClearing clearing = new RowClearing(registry, stock, channels).start();
        for (int s = 0; s < skus; s++)
        {
            registry.add("sku-" + s);
        }
        clearing.finish();

        final StockView stockView = new StockView();
        final ChannelView channelView = new ChannelView();
        for (int s = 0; s < maxSkus; s++)
        {
            final boolean defined = s < skus;
            for (int l = 0; l < 4; l++)
            {
                stock.read(s, l, stockView);
                assertThat(stockView.onHand()).as("stock row %d/%d", s, l).isEqualTo(defined ? 0 : 7);
                assertThat(stockView.version()).isEqualTo(defined ? 0 : 3);
            }
            for (int ch = 0; ch < 8; ch++)
            {
                channels.read(s, ch, channelView);
                assertThat(channelView.available()).as("channel row %d/%d", s, ch).isEqualTo(defined ? 0 : 9);
                assertThat(channels.pool(channels.offset(s, ch))).isEqualTo(defined ? 0 : 11);
            }
        }
    }

    @Test
    void aRestoreOfThousandsOfSkusWithBundlesIsTheLiveEngine()
    {
        final EngineDriver live = new EngineDriver(config());
        for (final String location : new String[] {"oak", "nj", "tx", "ams"})
        {
            live.location(location, 1);
        }
        // A SKU that becomes a bundle of SKUs defined after it: a snapshot defines it twice, and the second time
        // checks that it holds no stock, which must not be read from rows still being cleared.
        assertThat(live.sku("kit-a").accepted()).isTrue();
        final int skus = 3 * RowClearing.CHUNK_SKUS + 101;
        for (int s = 0; s < skus; s++)
        {
            live.sku("sku-" + s);
            live.receive("sku-" + s, "oak", 10 + s % 7);
            live.receive("sku-" + s, "ams", 1 + s % 3);
        }
        for (int ch = 0; ch < 8; ch++)
        {
            live.channel("ch-" + ch, "oak", "nj", "tx", "ams");
        }
        assertThat(live.bundle("kit-a", new String[] {"sku-6", "sku-3000"}, new long[] {1, 2}).accepted()).isTrue();
        assertThat(live.bundle("kit-b", new String[] {"sku-1"}, new long[] {3}).accepted()).isTrue();
        assertThat(live.reserve("ch-2", 600, "kit-a", 2L, "sku-3001", 1L).accepted()).isTrue();
        assertThat(live.reserve("ch-7", 600, "kit-b", 1L).accepted()).isTrue();

        final byte[] snapshot = EngineSnapshot.capture(live.engine, InternedDefinitionCodec.INSTANCE);
        final Engine restored = EngineSnapshot.restore(config(), snapshot, InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(live.engine.digest());
        assertThat(EngineState.of(restored)).isEqualTo(live.state());
        assertThat(EngineSnapshot.capture(restored, InternedDefinitionCodec.INSTANCE)).isEqualTo(snapshot);
    }

    @Test
    void aRestoreThatFailsPartWayLeavesNoClearingThreadBehind()
    {
        final EngineDriver live = new EngineDriver(config());
        live.location("oak", 1);
        for (int s = 0; s < 2 * RowClearing.CHUNK_SKUS; s++)
        {
            live.sku("sku-" + s);
        }
        final byte[] snapshot = EngineSnapshot.capture(live.engine, InternedDefinitionCodec.INSTANCE);
        assertThatThrownBy(() -> EngineSnapshot.restore(config(), Arrays.copyOf(snapshot, snapshot.length / 2),
            InternedDefinitionCodec.INSTANCE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("truestock-restore-rows")).toList()).isEmpty();
    }

    @Test
    void specsShareOneInstanceOfACurrencyAndTheEmptyChannelPricesYetCompareByValue()
    {
        final SkuSpec a = SkuSpec.simple("A", 100, new String("USD".toCharArray()));
        final SkuSpec b = SkuSpec.simple("B", 100, new String("USD".toCharArray()));
        assertThat(a.currency()).isSameAs(b.currency()).isEqualTo("USD");
        assertThat(new Price(5, new String("EUR".toCharArray())).currency()).isSameAs(new Price(6, "EUR").currency());
        assertThat(Price.canonicalCurrency("usd")).isEqualTo("usd");

        final PriceSpec empty = new PriceSpec(new Price(100, "USD"), new LinkedHashMap<>(), List.of());
        assertThat(empty.channels()).isSameAs(Map.of());
        assertThat(empty).isEqualTo(PriceSpec.baseOnly(new Price(100, "USD")))
            .hasSameHashCodeAs(PriceSpec.baseOnly(new Price(100, "USD")));
        final Map<String, Price> ordered = new LinkedHashMap<>();
        ordered.put("b", new Price(1, "USD"));
        ordered.put("a", new Price(2, "USD"));
        assertThat(new PriceSpec(new Price(100, "USD"), ordered, List.of()).channels().keySet())
            .containsExactly("b", "a");
    }
}
