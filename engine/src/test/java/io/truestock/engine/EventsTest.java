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
}
