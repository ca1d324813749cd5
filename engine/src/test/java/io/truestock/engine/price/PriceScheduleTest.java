package io.truestock.engine.price;

import io.truestock.engine.Command;
import io.truestock.engine.Events;
import io.truestock.engine.StateDigest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The price lists alone: their count, their digest, the index bound, and the bound on superseded boundaries. */
class PriceScheduleTest
{
    private static final long T = 1_800_000_000_000L;

    private static PriceSchedule schedule()
    {
        return new PriceSchedule(2, channel -> -1);
    }

    private static PriceSpec base(final long amount)
    {
        return PriceSpec.baseOnly(new Price(amount, "USD"));
    }

    private static List<String> definitions(final PriceSchedule schedule)
    {
        final List<String> out = new ArrayList<>();
        schedule.definitions(s -> "s" + s, new Command(1), c -> out.add(c.sku() + " " + c.priceSpec().base()));
        return out;
    }

    private static byte[] digest(final PriceSchedule schedule)
    {
        final StateDigest d = new StateDigest();
        schedule.digest(d);
        return d.finish();
    }

    @Test
    void theFirstListInstalledOrDefinedIsCounted()
    {
        final byte[] none = digest(schedule());
        final PriceSchedule installed = schedule();
        installed.install(0, base(100));
        assertThat(digest(installed)).isNotEqualTo(none);

        final PriceSchedule defined = schedule();
        defined.define(0, base(200), T, new Events(), true);
        assertThat(digest(defined)).isNotEqualTo(none).isNotEqualTo(digest(installed));
    }

    @Test
    void aBaseOnlyListIsLeftToItsSkuDefinitionInTheSnapshot()
    {
        final PriceSchedule schedule = schedule();
        schedule.install(0, base(100));
        schedule.install(1, base(300));
        assertThat(definitions(schedule)).isEmpty();
    }

    @Test
    void theDigestSeesTheBasePrice()
    {
        final PriceSchedule a = schedule();
        a.install(0, base(100));
        final PriceSchedule b = schedule();
        b.install(0, base(101));
        final PriceSchedule same = schedule();
        same.install(0, base(100));

        assertThat(digest(a)).isNotEqualTo(digest(b)).isEqualTo(digest(same));
    }

    @Test
    void anIndexPastTheTableHasNoPrice()
    {
        final PriceSchedule schedule = schedule();
        schedule.install(1, base(100));

        assertThat(schedule.priceAt(1, -1, T)).isEqualTo(new Price(100, "USD"));
        assertThat(schedule.priceAt(2, -1, T)).isNull();
        assertThat(schedule.spec(2)).isNull();
    }

    /**
     * Past 2 x SKUs + 1 024 boundaries, the superseded ones are dropped and the live one is kept: the 1 027th
     * definition of one SKU's list is the one that drops them.
     */
    @Test
    void manyRedefinitionsKeepTheLiveBoundaryOnly()
    {
        final PriceSchedule schedule = schedule();
        final long start = T + 60_000;
        final PriceSpec sale = new PriceSpec(new Price(100, "USD"), Map.of(),
            List.of(new SaleSpec(new Price(80, "USD"), start, start + 60_000, List.of())));
        for (int i = 0; i < 1_027; i++)
        {
            schedule.define(0, sale, T, new Events(), true);
        }

        assertThat(schedule.nextChangeMillis()).isEqualTo(start);
        final Events events = new Events();
        schedule.tick(start, events);
        assertThat(events.pricedCount()).isEqualTo(1);
        assertThat(schedule.nextChangeMillis()).isEqualTo(start + 60_000);
    }
}
