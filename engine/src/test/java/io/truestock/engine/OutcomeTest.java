package io.truestock.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The outcome as a value: what each setter leaves readable, its growth past the first arrays, and its reset. */
class OutcomeTest
{
    @Test
    void stockValuesAreReadBackAndAvailableSubtractsEveryClaim()
    {
        final Outcome out = new Outcome();
        out.stockValues(3, 2, 100, 20, 7, 5);

        assertThat(out.sku()).isEqualTo(3);
        assertThat(out.location()).isEqualTo(2);
        assertThat(out.available()).isEqualTo(68);
        out.stockValues(3, 2, 10, 6, 5, 0);
        assertThat(out.available()).as("never negative").isZero();
    }

    @Test
    void linesAllocationsAndShipmentsGrowPastTheirFirstArrays()
    {
        final Outcome out = new Outcome();
        for (int i = 0; i < 20; i++)
        {
            out.addLine(i, i + 1, 0, 0);
            out.addAllocation(i, i % 3, i + 1);
            out.addShipment(i, i, i + 1, i + 2, "c" + i, "s" + i);
        }

        assertThat(out.lineCount()).isEqualTo(20);
        assertThat(out.allocationCount()).isEqualTo(20);
        assertThat(out.shipmentCount()).isEqualTo(20);
        for (int i = 0; i < 20; i++)
        {
            assertThat(out.lineSku(i)).isEqualTo(i);
            assertThat(out.lineQty(i)).isEqualTo(i + 1);
            assertThat(out.allocationSku(i)).isEqualTo(i);
            assertThat(out.allocationLocation(i)).isEqualTo(i % 3);
            assertThat(out.allocationQty(i)).isEqualTo(i + 1);
            assertThat(out.shipmentLocation(i)).isEqualTo(i);
            assertThat(out.shipmentLatestMillis(i)).isEqualTo(i + 1);
            assertThat(out.shipmentCarrier(i)).isEqualTo("c" + i);
        }
    }

    /** Exactly as many lines and shipments as the first arrays hold: a reset clearing one slot too many throws. */
    @Test
    void resetOfFullArraysClearsEverythingAndReturnsTheOutcome()
    {
        final Outcome out = new Outcome();
        out.accept(7);
        out.markDuplicate();
        out.stockValues(1, 1, 5, 0, 0, 0);
        for (int i = 0; i < 8; i++)
        {
            out.addLine(i, 1, 0, 0);
            out.priceLine(i, 100, "USD");
        }
        for (int i = 0; i < 4; i++)
        {
            out.addShipment(i, 1, 2, 3, "ups", "ground");
        }

        assertThat(out.duplicate()).isTrue();
        assertThat(out.reset()).isSameAs(out);
        assertThat(out.duplicate()).isFalse();
        assertThat(out.accepted()).isFalse();
        assertThat(out.lineCount()).isZero();
        assertThat(out.shipmentCount()).isZero();
        assertThat(out.sku()).isEqualTo(-1);
        assertThat(out.location()).isEqualTo(-1);
        out.addLine(0, 1, 0, 0);
        assertThat(out.lineCurrency(0)).isNull();
    }
}
