package io.truestock.benchmarks;

import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.price.Quotes;
import io.truestock.gateway.offer.Offer;
import io.truestock.gateway.offer.OfferQuery;
import io.truestock.gateway.rules.Limits;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Where an offer read's time goes on a large catalog: the engine loaded directly (no ring, no journal) with the
 * catalog of {@link CatalogScaleMain} (N SKUs, 4 locations, 8 channels drawing from all of them), then, for one hot
 * SKU and for random SKUs over the whole catalog: the offer both edges answer ({@link OfferQuery} find and answer,
 * with its signed quote, no destination), the offer read as {@code CatalogScaleMain} times it, and each step alone:
 * the id's lookup ({@code Engine.skuIndex}: the registry's slot, the stored id, its bytes), the channel row
 * ({@code Engine.readChannel}, off the heap), the SKU's spec ({@code Engine.skuSpec}), the effective price
 * ({@code Engine.priceAt}). A last row is the
 * machine's floor for one random memory line: a load from a random place in a {@code long[]} the size of the
 * channel table, which no cache holds.
 * <p>
 * The id is built before each timed call, as the HTTP edge builds it from the request line, so the id's own bytes
 * are in the cache for hot and random alike and only the engine's lines are measured.
 * <p>
 * {@code java <jvm flags> -Xmx4g -cp benchmarks/target/benchmarks.jar io.truestock.benchmarks.OfferReadCostMain
 * [skus (1048576)] [rounds (3)]}: each round measures every row once, interleaved, so drift shows as spread.
 */
public final class OfferReadCostMain
{
    private static final int SAMPLES = 1_000_000;
    private static final long NOW = 1_800_000_000_000L;
    private static volatile long consumed;

    private OfferReadCostMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int skus = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final Engine engine = new Engine(CatalogScaleMain.config(4, 8));
        final CatalogScaleMain.Catalog catalog = new CatalogScaleMain.Catalog(skus);
        final Command command = new Command(16);
        final Outcome outcome = new Outcome();
        final Events events = new Events();
        final long loadStart = System.nanoTime();
        long seq = engine.lastSequence();
        while (catalog.next())
        {
            command.clear();
            catalog.fill(command);
            seq = EngineApplyBenchmark.apply(engine, command, outcome, events.reset(), seq, 1_800_000_000_000L);
        }
        System.out.printf("loaded %,d SKUs in %.1f s; load average %s%n", skus,
            (System.nanoTime() - loadStart) / 1e9, Files.readString(Path.of("/proc/loadavg")).trim());

        final OfferQuery query = new OfferQuery(engine, new Limits(engine.config()), () -> NOW, new Quotes(new byte[32]),
            900_000L);
        // A long[] as large as the channel table (8 channels x 32 B a SKU) for the one-line floor.
        final long[] far = new long[skus * 8 * 32 / 8];
        for (int i = 0; i < far.length; i += 512)
        {
            far[i] = i;
        }
        System.out.println("| round | what | hot p50 / p99 (ns) | random p50 / p99 (ns) | random p99 / hot p99 |");
        System.out.println("|---|---|---|---|---|");
        for (int round = 1; round <= rounds; round++)
        {
            for (final Step step : Step.values())
            {
                        final Histogram hot = step.time(engine, query, far, skus, true);
                final Histogram random = step.time(engine, query, far, skus, false);
                System.out.printf("| %d | %s | %d / %d | %d / %d | %.1f |%n", round, step.label,
                    hot.getValueAtPercentile(50), hot.getValueAtPercentile(99),
                    random.getValueAtPercentile(50), random.getValueAtPercentile(99),
                    random.getValueAtPercentile(99) / (double)Math.max(1, hot.getValueAtPercentile(99)));
            }
        }
        System.out.printf("load average after %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private enum Step
    {
        EDGE_OFFER("the edges' offer (OfferQuery find + answer, quote signed)"),
        OFFER("offer read (ReadWhileWritingBenchmark.offer)"),
        SKU_INDEX("skuIndex (id to index)"),
        CHANNEL_ROW("readChannel (the channel row)"),
        SKU_SPEC("skuSpec (price, currency)"),
        PRICE("priceAt (the effective price)"),
        FLOOR("one random line of a long[] (floor)");

        final String label;

        Step(final String label)
        {
            this.label = label;
        }

        Histogram time(final Engine engine, final OfferQuery query, final long[] far, final int skus, final boolean hot)
        {
            final Histogram histogram = new Histogram(3);
            final ChannelView view = new ChannelView();
            final SplittableRandom random = new SplittableRandom(42);
            long sink = 0;
            for (int i = 0; i < SAMPLES; i++)
            {
                final int k = hot ? 0 : random.nextInt(skus);
                final String id = CatalogScaleMain.sku(k);
                final String channelId = CatalogScaleMain.CHANNELS[i & 7];
                final long start;
                switch (this)
                {
                    case EDGE_OFFER ->
                    {
                        final Offer offer = new Offer();
                        start = System.nanoTime();
                        if (query.find(id, channelId, offer) != null || query.answer(1, null, null, offer) != null)
                        {
                            throw new IllegalStateException("no offer for " + id);
                        }
                        sink += offer.available() + offer.quoteId().length();
                    }
                    case OFFER ->
                    {
                        start = System.nanoTime();
                        sink += ReadWhileWritingBenchmark.offer(engine, id, channelId, 1, view);
                    }
                    case SKU_INDEX ->
                    {
                        start = System.nanoTime();
                        sink += engine.skuIndex(id);
                    }
                    case CHANNEL_ROW ->
                    {
                        start = System.nanoTime();
                        engine.readChannel(k, i & 7, view);
                        sink += view.available();
                    }
                    case SKU_SPEC ->
                    {
                        start = System.nanoTime();
                        sink += engine.skuSpec(k).priceAmountMinor();
                    }
                    case PRICE ->
                    {
                        start = System.nanoTime();
                        sink += engine.priceAt(k, i & 7, NOW).amountMinor();
                    }
                    default ->
                    {
                        final int at = hot ? 0 : (int)((k * 0x9E3779B97F4A7C15L >>> 20) % far.length);
                        start = System.nanoTime();
                        sink += far[at];
                    }
                }
                histogram.recordValue(System.nanoTime() - start);
            }
            consumed += sink;
            return histogram;
        }
    }
}
