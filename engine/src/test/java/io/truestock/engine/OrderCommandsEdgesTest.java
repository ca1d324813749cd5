package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What orders answer at the edges the main order tests leave: a confirmation repeated, the description that comes
 * with a refusal, an order of more SKUs than the channel pool's first table holds, and quoted prices at their bounds.
 */
class OrderCommandsEdgesTest
{
    private static final long WEDNESDAY_NOON = Instant.parse("2026-03-04T12:00:00Z").toEpochMilli();

    private static EngineDriver world(final int skus)
    {
        final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(skus).maxLocations(2).maxChannels(2)
            .maxLinesPerCommand(skus), WEDNESDAY_NOON);
        d.assertAccepted(c -> c.defineLocation("A", new LocationSpec("A", "UTC", "US", "", 1, 23 * 60 + 59, 0,
            LocationSpec.MON_TO_FRI, new int[0])));
        d.channel("web");
        d.assertAccepted(c -> c.defineCarrier("ups", new CarrierSpec("UPS", List.of(new ServiceSpec("ground", "Ground",
            LocationSpec.MON_TO_FRI, List.of(new ZoneSpec("A", "US", "", 1, 2)))))));
        for (int i = 0; i < skus; i++)
        {
            final String sku = "s" + i;
            d.sku(sku);
            d.receive(sku, "A", 10);
        }
        return d;
    }

    @Test
    void aRepeatedConfirmationAnswersTheOrderAsADuplicate()
    {
        final EngineDriver d = world(2);
        final long id = d.reserve("web", 600, "s0", 2).reservationId();
        d.assertAccepted(c -> c.confirm(id, "o1"));

        final Outcome again = d.assertAccepted(c -> c.confirm(id, "o1"));
        assertThat(again.replayed()).isTrue();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.orderId()).isEqualTo("o1");
        final Outcome onItsChannel = d.assertAccepted(c -> c.confirm(id, "o1").channel("web"));
        assertThat(onItsChannel.duplicate()).isTrue();
        assertThat(onItsChannel.orderStatus()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(d.apply(c -> c.confirm(id, "o1").channel("mall")).duplicate()).as("another channel").isFalse();
    }

    @Test
    void aDeliveryOptionRefusedDescribesTheReservation()
    {
        final EngineDriver d = world(2);
        final long id = d.reserve("web", 600, "s0", 2).reservationId();

        final Outcome out = d.assertRejected(RejectReason.DELIVERY_OPTION_UNAVAILABLE,
            c -> c.confirm(id, "o1").destination("US", "10001").carrier("ups").service("boat"));
        assertThat(out.reservationId()).isEqualTo(id);
        assertThat(out.reservationStatus()).isEqualTo(ReservationStatus.HELD);
    }

    @Test
    void anOrderNotOpenIsDescribedWithItsStatus()
    {
        final EngineDriver d = world(2);
        d.order("web", "o1", "s0", 1);
        d.assertAccepted(c -> c.ship("web", "o1"));

        final Outcome out = d.assertRejected(RejectReason.ORDER_NOT_OPEN, c -> c.cancel("web", "o1"));
        assertThat(out.orderId()).isEqualTo("o1");
        assertThat(out.orderStatus()).isEqualTo(OrderStatus.SHIPPED);
    }

    /** 17 SKUs in one order: the channel pool's table of 16 grows. */
    @Test
    void anOrderOfMoreSkusThanThePoolTableHolds()
    {
        final EngineDriver d = world(17);
        final Object[] lines = new Object[34];
        for (int i = 0; i < 17; i++)
        {
            lines[2 * i] = "s" + i;
            lines[2 * i + 1] = 3;
        }

        final Outcome out = d.order("web", "o1", lines);
        assertThat(out.accepted()).as(String.valueOf(out.reason())).isTrue();
        for (int i = 0; i < 17; i++)
        {
            assertThat(d.stock("s" + i, "A").committed()).isEqualTo(3);
            assertThat(d.published("s" + i, "web")).isEqualTo(7);
        }
    }

    @Test
    void quotedAmountsAtTheirBounds()
    {
        final EngineDriver d = world(2);
        final long expires = d.now() + 60_000;
        final long free = d.reserve("web", 600, "s0", 1).reservationId();
        final long dearest = d.reserve("web", 600, "s0", 1).reservationId();
        final long negative = d.reserve("web", 600, "s0", 1).reservationId();
        final long tooDear = d.reserve("web", 600, "s0", 1).reservationId();

        final Outcome zero = d.assertAccepted(c -> c.confirm(free, "o1").addQuote("s0", "web", 0, "USD", expires));
        assertThat(zero.linePriceMinor(0)).isZero();
        final Outcome max = d.assertAccepted(c -> c.confirm(dearest, "o2")
            .addQuote("s0", "web", Price.MAX_AMOUNT_MINOR, "USD", expires));
        assertThat(max.linePriceMinor(0)).isEqualTo(Price.MAX_AMOUNT_MINOR);
        d.assertRejected(RejectReason.QUOTE_MISMATCH, c -> c.confirm(negative, "o3")
            .addQuote("s0", "web", -1, "USD", expires));
        d.assertRejected(RejectReason.QUOTE_MISMATCH, c -> c.confirm(tooDear, "o4")
            .addQuote("s0", "web", Price.MAX_AMOUNT_MINOR + 1, "USD", expires));
    }
}
