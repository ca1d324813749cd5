package io.truestock.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Events} grows past its first capacity without losing an event, and resets in place. */
class EventsTest
{
    @Test
    void oversoldAndPricedEventsGrowPastTheFirstCapacityInOrder()
    {
        final Events events = new Events();
        for (int i = 0; i < 40; i++)
        {
            events.oversold(i, 100L + i);
            events.priced(i);
        }
        assertThat(events.oversoldCount()).isEqualTo(40);
        assertThat(events.pricedCount()).isEqualTo(40);
        for (int i = 0; i < 40; i++)
        {
            assertThat(events.oversoldSku(i)).isEqualTo(i);
            assertThat(events.oversoldQty(i)).isEqualTo(100L + i);
            assertThat(events.pricedSku(i)).isEqualTo(i);
        }
        assertThat(events.reset()).isSameAs(events);
        assertThat(events.oversoldCount()).isZero();
        assertThat(events.pricedCount()).isZero();
    }

    @Test
    void aLargeCommandsArraysAreGivenBackAtTheNextReset()
    {
        final Events events = new Events();
        final int many = 10_000;
        for (int i = 0; i < many; i++)
        {
            events.stockChanged(i, i % 3, i, 1, 2, 3, i + 1, 4, 5, 6);
            events.published(i, i % 5, i);
            events.oversold(i, i);
            events.priced(i);
            events.expired(i);
        }
        assertThat(events.capacity()).isGreaterThanOrEqualTo(many);
        assertThat(events.stockAfter(many - 1, 0)).isEqualTo(many);
        assertThat(events.expiredReservation(many - 1)).isEqualTo(many - 1);

        events.reset();
        assertThat(events.capacity()).isLessThanOrEqualTo(Math.max(Events.RETAINED_STOCK,
            Math.max(Events.RETAINED_PUBLISHED, Events.RETAINED_OTHER)));

        // The slot still records, in order, after giving its arrays back, and keeps what a usual command needs.
        for (int i = 0; i < 3; i++)
        {
            events.stockChanged(7, i, 10, 0, 0, 0, 9 - i, 1, 0, 0);
            events.expired(100 + i);
        }
        assertThat(events.stockCount()).isEqualTo(3);
        assertThat(events.stockLocation(2)).isEqualTo(2);
        assertThat(events.stockAfter(2, 0)).isEqualTo(7);
        assertThat(events.expiredReservation(2)).isEqualTo(102);
        final int kept = events.capacity();
        events.reset();
        assertThat(events.capacity()).isEqualTo(kept);
    }
}
