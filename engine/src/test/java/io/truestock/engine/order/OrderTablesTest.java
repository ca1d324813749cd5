package io.truestock.engine.order;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Order}'s line and allocation tables past their first capacity, and a repeated allocation. */
class OrderTablesTest
{
    @Test
    void linesGrowPastTheFirstCapacityAndAllocationsOfTheSameRecordAdd()
    {
        final Order order = new Order();
        for (int i = 0; i < 9; i++)
        {
            order.addLine(i, i + 1, 0, 100 + i, "EUR");
        }
        assertThat(order.lineCount).isEqualTo(9);
        for (int i = 0; i < 9; i++)
        {
            assertThat(order.lineSku[i]).isEqualTo(i);
            assertThat(order.lineQty[i]).isEqualTo(i + 1);
            assertThat(order.linePriceMinor[i]).isEqualTo(100 + i);
        }
        order.addAllocation(3, 1, 2);
        order.addAllocation(3, 1, 5);
        order.addAllocation(3, 2, 1);
        assertThat(order.allocationCount).isEqualTo(2);
        assertThat(order.allocationQty[0]).isEqualTo(7);
        assertThat(order.allocationQty[1]).isEqualTo(1);
    }
}
