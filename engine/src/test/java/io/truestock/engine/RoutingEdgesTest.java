package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing at the size of its first tables: 16 SKUs over 4 locations fill the plan's cells exactly; a confirmation
 * split over 4 locations fills the remembered outcome's shipments exactly.
 */
class RoutingEdgesTest
{
    private static final long WEDNESDAY_NOON = Instant.parse("2026-03-04T12:00:00Z").toEpochMilli();
    private static final String[] LOCATIONS = {"A", "B", "C", "D"};

    private static EngineDriver world(final int skus)
    {
        final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(skus).maxLocations(4).maxChannels(1)
            .maxLinesPerCommand(skus), WEDNESDAY_NOON);
        final List<ZoneSpec> zones = new ArrayList<>();
        for (int i = 0; i < LOCATIONS.length; i++)
        {
            final String id = LOCATIONS[i];
            final int priority = i + 1;
            d.assertAccepted(c -> c.defineLocation(id, new LocationSpec(id, "UTC", "US", "", priority, 23 * 60 + 59, 0,
                LocationSpec.MON_TO_FRI, new int[0])));
            zones.add(new ZoneSpec(id, "US", "", 1, 2 + i));
        }
        d.channel("web");
        d.assertAccepted(c -> c.defineCarrier("ups", new CarrierSpec("UPS", List.of(new ServiceSpec("ground", "Ground",
            LocationSpec.MON_TO_FRI, zones)))));
        for (int i = 0; i < skus; i++)
        {
            d.sku("s" + i);
        }
        return d;
    }

    private static Object[] lines(final int skus, final int qty)
    {
        final Object[] lines = new Object[2 * skus];
        for (int i = 0; i < skus; i++)
        {
            lines[2 * i] = "s" + i;
            lines[2 * i + 1] = qty;
        }
        return lines;
    }

    @Test
    void sixteenSkusFromTheOneLocationThatHoldsThemAll()
    {
        final EngineDriver d = world(16);
        for (int i = 0; i < 16; i++)
        {
            d.receive("s" + i, "C", 2);
            d.receive("s" + i, "A", 1);
        }

        final Outcome out = d.order("web", "o1", lines(16, 2));
        assertThat(out.accepted()).as(String.valueOf(out.reason())).isTrue();
        for (int i = 0; i < 16; i++)
        {
            assertThat(d.stock("s" + i, "C").committed()).isEqualTo(2);
            assertThat(d.stock("s" + i, "A").committed()).isZero();
        }
    }

    @Test
    void aRememberedConfirmationOfFourShipmentsIsDigestedAndRestored()
    {
        final EngineDriver d = world(1);
        for (final String location : LOCATIONS)
        {
            d.receive("s0", location, 1);
        }
        final long id = d.reserve("web", 600, "s0", 4).reservationId();

        final Outcome order = d.assertAccepted(c -> c.confirm(id, "o1").destination("US", "10001")
            .principal("agent").idempotencyKey("k-1"));
        assertThat(order.shipmentCount()).isEqualTo(4);

        final Engine restored = EngineSnapshot.restore(d.engine.config(), EngineSnapshot.capture(d.engine),
            InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(d.engine.digest());
    }
}
