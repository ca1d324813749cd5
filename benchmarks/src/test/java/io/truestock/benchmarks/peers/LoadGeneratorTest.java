package io.truestock.benchmarks.peers;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against in-memory systems: the operation mix is exact, a design that oversells is reported
 * as overselling, and one that answers with errors is not counted as selling.
 */
class LoadGeneratorTest
{
    @Test
    void theMixHasExactlyTheReservationsAskedForSpreadEvenly()
    {
        final Workload workload = Workload.flashSale("hot", 1_000, 10, 90, 50);
        assertThat(workload.stock()).isEqualTo(100);
        assertThat(workload.totalOps()).isEqualTo(10_000);
        long reservations = 0;
        long longestReadRun = 0;
        long run = 0;
        for (long i = 0; i < workload.totalOps(); i++)
        {
            if (workload.isReserve(i))
            {
                reservations++;
                run = 0;
            }
            else
            {
                longestReadRun = Math.max(longestReadRun, ++run);
                assertThat(workload.readSkuIndex(i)).isBetween(0, 49);
            }
        }
        assertThat(reservations).isEqualTo(1_000);
        assertThat(longestReadRun).isEqualTo(9);
    }

    @Test
    void aSystemThatOversellsIsReportedAsOverselling() throws Exception
    {
        final Workload workload = Workload.flashSale("hot", 200, 10, 50, 10);
        final PhaseResult result = LoadGenerator.closedLoop(new CounterTarget(false), "closed", workload, 4, 60_000);

        assertThat(result.reserved()).isEqualTo(200);
        assertThat(result.oversells()).isEqualTo(200 - workload.stock());
        assertThat(result.finalState().remaining()).isNegative();
    }

    @Test
    void aSystemThatChecksStockSellsExactlyItInBothModes() throws Exception
    {
        final CounterTarget target = new CounterTarget(true);
        final PhaseResult closed = LoadGenerator.closedLoop(target, "closed",
            Workload.flashSale("a", 300, 10, 90, 10), 4, 60_000);
        final PhaseResult open = LoadGenerator.openLoop(target, "open",
            Workload.flashSale("b", 100, 10, 90, 10), 4, 2_000, 60_000);

        for (final PhaseResult result : new PhaseResult[] {closed, open})
        {
            assertThat(result.clean()).isTrue();
            assertThat(result.reserved()).isEqualTo(result.workload().stock());
            assertThat(result.oversells()).isZero();
            assertThat(result.consistent()).isTrue();
            assertThat(result.reserveLatency().count() + result.readLatency().count()).isEqualTo(result.ops());
        }
        assertThat(open.ops()).isEqualTo(1_000);
    }

    /** Stock counters in a map; with {@code checked} false it holds every request, as a broken design would. */
    private static final class CounterTarget implements Target
    {
        private final boolean checked;
        private final Map<String, AtomicLong> stock = new ConcurrentHashMap<>();
        private final Map<String, AtomicLong> held = new ConcurrentHashMap<>();

        CounterTarget(final boolean checked)
        {
            this.checked = checked;
        }

        @Override
        public String name()
        {
            return "counter";
        }

        @Override
        public Map<String, String> describe()
        {
            return Map.of();
        }

        @Override
        public void loadCatalog(final int skus, final long unitsEach)
        {
        }

        @Override
        public void addHotSku(final String sku, final long units)
        {
            stock.put(sku, new AtomicLong(units));
            held.put(sku, new AtomicLong());
        }

        @Override
        public boolean reserve(final String sku, final int qty, final int ttlSeconds)
        {
            final AtomicLong left = stock.get(sku);
            if (checked)
            {
                long now;
                do
                {
                    now = left.get();
                    if (now < qty)
                    {
                        return false;
                    }
                }
                while (!left.compareAndSet(now, now - qty));
            }
            else
            {
                left.addAndGet(-qty);
            }
            held.get(sku).addAndGet(qty);
            return true;
        }

        @Override
        public long available(final String sku)
        {
            return 0;
        }

        @Override
        public FinalState finalState(final String sku)
        {
            return new FinalState(held.get(sku).get(), stock.get(sku).get(), "in memory");
        }

        @Override
        public void close()
        {
        }
    }
}
