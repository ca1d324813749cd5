package io.truestock.gateway.sync;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The outbox against a model, over random interleavings of engine publications, takes, acknowledgements,
 * retryable failures, rejections, passing time and reconciles: a SKU is never in flight twice, what is taken is
 * always the SKU's latest value, the channel never applies an older version over a newer one, nothing grows past
 * one entry per SKU, and once the channel answers again everything converges to the engine's values.
 */
class OutboxProperties
{
    private static final int SKUS = 8;
    private static final int MAX_ATTEMPTS = 3;

    private static final Outbox.SkuNames NAMES = new Outbox.SkuNames()
    {
        @Override
        public String skuId(final int sku)
        {
            return "s" + sku;
        }

        @Override
        public String itemId(final int sku)
        {
            return "i" + sku;
        }
    };

    private static Gen<List<int[]>> actions()
    {
        // [kind, a, b]: 0 offer(sku a, qty b), 1 take(max a), 2 ack(in-flight index a), 3 retry(a), 4 reject(a),
        // 5 advance time by a * 10 ms, 6 reconcile sku a
        final Gen<int[]> action = integers().between(0, 6).zip(integers().between(0, 40), integers().between(0, 5),
            (kind, a, b) -> new int[] {kind, a, b});
        return lists().of(action).ofType(lists().<int[], List<int[]>>arrayList()).ofSizeBetween(0, 300)
            .describedAs(list -> list.stream().map(Arrays::toString).collect(Collectors.joining(", ", "[", "]")));
    }

    @Test
    void convergesWithoutRegressionOrDuplicateFlight()
    {
        qt().withExamples(300).forAll(actions()).checkAssert(OutboxProperties::converges);
    }

    private static void converges(final List<int[]> actions)
    {
        final Outbox outbox = new Outbox(SKUS);
        final long[] engineQty = new long[SKUS];
        final long[] engineVersion = new long[SKUS];
        final Map<Integer, long[]> channel = new HashMap<>();
        final List<Update> inFlight = new ArrayList<>();
        long version = 0;
        long now = 1_000;
        for (final int[] action : actions)
        {
            final int sku = action[1] % SKUS;
            switch (action[0])
            {
                case 0, 6 ->
                {
                    if (action[0] == 0)
                    {
                        version++;
                        engineQty[sku] = action[2];
                        engineVersion[sku] = version;
                        outbox.offer(sku, engineQty[sku], version, now);
                    }
                    else
                    {
                        outbox.reconcile(sku, engineQty[sku], engineVersion[sku], now);
                    }
                }
                case 1 ->
                {
                    final List<Update> taken = new ArrayList<>();
                    outbox.take(1 + action[1] % 4, now, NAMES, taken);
                    for (final Update update : taken)
                    {
                        assertThat(inFlight).noneMatch(u -> u.sku() == update.sku());
                        assertThat(update.qty()).isEqualTo(engineQty[update.sku()]);
                        inFlight.add(update);
                    }
                }
                case 2, 3, 4 ->
                {
                    if (inFlight.isEmpty())
                    {
                        continue;
                    }
                    final Update update = inFlight.remove(action[1] % inFlight.size());
                    if (action[0] == 2)
                    {
                        final long[] held = channel.get(update.sku());
                        assertThat(held == null || held[1] <= update.version()).as("no regression").isTrue();
                        channel.put(update.sku(), new long[] {update.qty(), update.version()});
                        outbox.acknowledged(update.sku(), now);
                    }
                    else
                    {
                        outbox.failed(update.sku(), action[0] == 3, "fault", MAX_ATTEMPTS, now + 50);
                    }
                }
                default -> now += action[1] * 10L;
            }
            assertThat(outbox.pendingCount()).isLessThanOrEqualTo(SKUS);
            assertThat(outbox.inFlightCount()).isEqualTo(inFlight.size());
        }
        // The channel recovers: answer everything in flight, reconcile dead letters, drain.
        for (final Update update : inFlight)
        {
            channel.put(update.sku(), new long[] {update.qty(), update.version()});
            outbox.acknowledged(update.sku(), now);
        }
        for (int s = 0; s < SKUS; s++)
        {
            outbox.reconcile(s, engineQty[s], engineVersion[s], now);
        }
        for (int round = 0; round < 10 && outbox.pendingCount() > 0; round++)
        {
            now += 1_000_000;
            final List<Update> taken = new ArrayList<>();
            outbox.take(SKUS, now, NAMES, taken);
            for (final Update update : taken)
            {
                channel.put(update.sku(), new long[] {update.qty(), update.version()});
                outbox.acknowledged(update.sku(), now);
            }
        }
        assertThat(outbox.pendingCount()).isZero();
        for (int s = 0; s < SKUS; s++)
        {
            if (engineVersion[s] > 0)
            {
                final long expected = engineQty[s];
                final long[] held = channel.get(s);
                // A SKU whose value never changed from what the channel showed needs no request at all.
                assertThat(held == null ? outbox.ackedQty(s) : held[0]).as("sku %d", s).isEqualTo(expected);
                assertThat(outbox.row(s).ackedQty()).isEqualTo(expected);
                assertThat(outbox.row(s).dead()).isFalse();
            }
        }
    }
}
