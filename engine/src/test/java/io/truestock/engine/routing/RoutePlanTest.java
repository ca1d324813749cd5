package io.truestock.engine.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RoutePlan}'s own tables: its bound, demand past the first capacity, and ties of arrival. */
class RoutePlanTest
{
    @Test
    void aPlanIsSizedForTheLocationsItIsGiven()
    {
        assertThat(new RoutePlan(5).maxLocations()).isEqualTo(5);
        assertThat(new RoutePlan(1).maxLocations()).isEqualTo(1);
    }

    @Test
    void demandGrowsPastItsFirstCapacityAndSumsRepeatedSkus()
    {
        final RoutePlan plan = new RoutePlan(4);
        final int skus = 40;
        for (int sku = 0; sku < skus; sku++)
        {
            plan.addDemand(sku, sku + 1);
        }
        plan.addDemand(7, 100);
        assertThat(plan.demandCount).isEqualTo(skus);
        for (int sku = 0; sku < skus; sku++)
        {
            assertThat(plan.demandIndex(sku)).isEqualTo(sku);
            assertThat(plan.demandQty[sku]).isEqualTo(sku == 7 ? 108 : sku + 1);
        }
        plan.clearCells(4);
        for (int sku = 0; sku < skus; sku++)
        {
            for (int location = 0; location < 4; location++)
            {
                assertThat(plan.assigned(sku, location)).isZero();
            }
        }
    }

    @Test
    void ofShipmentsArrivingAlikeTheEarlierInLocationOrderCompletesTheOrder()
    {
        final RoutePlan plan = new RoutePlan(3);
        plan.shipmentCount = 3;
        for (int i = 0; i < 3; i++)
        {
            plan.shipmentPromise[i].reset();
        }
        assertThat(plan.lastArrival()).isZero();
        plan.shipmentCount = 0;
        assertThat(plan.lastArrival()).isEqualTo(-1);
    }
}
