package io.truestock.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What happens at each bound of {@link EngineConfig}: a rejection with a reason, or the documented forgetting of
 * closed history, never growth.
 */
class EngineBoundsTest
{
    private static EngineDriver driver(final UnaryOperator<EngineConfig> bounds)
    {
        return new EngineDriver(bounds.apply(new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(4)));
    }

    private static void stocked(final EngineDriver d, final long units)
    {
        d.location("east", 1);
        d.channel("web");
        d.sku("shoe");
        d.receive("shoe", "east", units);
    }

    @Test
    void maxSkus()
    {
        final EngineDriver d = driver(c -> c.maxSkus(2));
        d.sku("shoe");
        d.sku("lace");

        d.assertRejected(RejectReason.SKU_LIMIT, c -> c.defineSku("sock", SkuSpec.simple("sock", 1, "USD")));
        assertThat(d.sku("lace").accepted()).as("redefining at the bound").isTrue();
        assertThat(d.engine.skuCount()).isEqualTo(2);
    }

    @Test
    void maxLocations()
    {
        final EngineDriver d = driver(c -> c.maxLocations(2));
        d.location("east", 1);
        d.location("west", 2);

        d.assertRejected(RejectReason.LOCATION_LIMIT, c -> c.defineLocation("north", LocationSpec.named("north")));
        assertThat(d.location("west", 3).accepted()).as("redefining at the bound").isTrue();
        assertThat(d.engine.locationCount()).isEqualTo(2);
    }

    @Test
    void maxChannels()
    {
        final EngineDriver d = driver(c -> c.maxChannels(2));
        d.channel("web");
        d.channel("shop");

        d.assertRejected(RejectReason.CHANNEL_LIMIT, c -> c.defineChannel("mall", ChannelSpec.named("mall")));
        assertThat(d.channel("shop").accepted()).as("redefining at the bound").isTrue();
        assertThat(d.engine.channelCount()).isEqualTo(2);
    }

    @Test
    void maxLinesPerCommand()
    {
        final EngineDriver d = driver(c -> c.maxLinesPerCommand(3));
        stocked(d, 100);

        assertThat(d.reserve("web", 60, "shoe", 1, "shoe", 1, "shoe", 1).accepted()).isTrue();
        d.assertRejected(RejectReason.TOO_MANY_LINES,
            c -> c.reserve("web", 60).addLine("shoe", 1).addLine("shoe", 1).addLine("shoe", 1).addLine("shoe", 1));
        d.assertRejected(RejectReason.TOO_MANY_LINES,
            c -> c.order("web", "o-1").addLine("shoe", 1).addLine("shoe", 1).addLine("shoe", 1).addLine("shoe", 1));
        assertThat(d.order("web", "o-1", "shoe", 1, "shoe", 1, "shoe", 1).accepted()).isTrue();
    }

    @Test
    void maxComponentsPerBundle()
    {
        final EngineDriver d = driver(c -> c.maxComponentsPerBundle(2));
        d.sku("a");
        d.sku("b");
        d.sku("c");

        d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineSku("kit",
            new SkuSpec("kit", 1, "USD", new String[]{"a", "b", "c"}, new long[]{1, 1, 1})));
        assertThat(d.bundle("kit", new String[]{"a", "b"}, new long[]{1, 1}).accepted()).isTrue();
    }

    @Test
    void maxLineQuantity()
    {
        final EngineDriver d = driver(c -> c.maxLineQuantity(50).maxOnHand(1_000));
        stocked(d, 50);
        d.receive("shoe", "east", 50);

        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.receive("shoe", "east", 51));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.adjust("shoe", "east", 51));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.reserve("web", 60).addLine("shoe", 51));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.order("web", "o-1").addLine("shoe", 51));
        d.assertRejected(RejectReason.INVALID_CONFIG,
            c -> c.defineSku("kit", new SkuSpec("kit", 1, "USD", new String[]{"shoe"}, new long[]{51})));
        assertThat(d.reserve("web", 60, "shoe", 50).accepted()).isTrue();
        assertThat(d.adjust("shoe", "east", -50).accepted()).as("a decrease may exceed a line").isTrue();
    }

    @Test
    void maxOnHand()
    {
        final EngineDriver d = driver(c -> c.maxLineQuantity(100).maxOnHand(250));
        stocked(d, 100);
        d.receive("shoe", "east", 100);

        d.assertRejected(RejectReason.QUANTITY_LIMIT, c -> c.receive("shoe", "east", 51));
        d.assertRejected(RejectReason.QUANTITY_LIMIT, c -> c.adjust("shoe", "east", 51));
        d.assertRejected(RejectReason.INVALID_QUANTITY,
            c -> c.set("shoe", "east", 251, Command.ABSENT, Command.ABSENT));
        d.assertRejected(RejectReason.INVALID_QUANTITY,
            c -> c.set("shoe", "east", Command.ABSENT, 251, Command.ABSENT));
        assertThat(d.receive("shoe", "east", 50).onHand()).isEqualTo(250);
        assertThat(d.setOnHand("shoe", "east", 250).accepted()).isTrue();
    }

    @Test
    void maxTtlSeconds()
    {
        final EngineDriver d = driver(c -> c.maxTtlSeconds(600));
        stocked(d, 10);

        d.assertRejected(RejectReason.INVALID_TTL, c -> c.reserve("web", 601).addLine("shoe", 1));
        final long id = d.reserve("web", 600, "shoe", 1).reservationId();
        d.assertRejected(RejectReason.INVALID_TTL, c -> c.extend(id, 601));
        assertThat(d.extend(id, 600).accepted()).isTrue();
    }

    @Test
    void maxOpenReservations()
    {
        final EngineDriver d = driver(c -> c.maxOpenReservations(2));
        stocked(d, 10);
        final long first = d.reserve("web", 60, "shoe", 1).reservationId();
        final long second = d.reserve("web", 30, "shoe", 1).reservationId();

        final Outcome full = d.assertRejected(RejectReason.RESERVATION_LIMIT, c -> c.reserve("web", 60).addLine("shoe", 1));

        assertThat(full.reason().category()).isEqualTo(RejectReason.Category.CAPACITY);
        d.release(first);
        final long third = d.reserve("web", 60, "shoe", 1).reservationId();
        d.assertRejected(RejectReason.RESERVATION_LIMIT, c -> c.reserve("web", 60).addLine("shoe", 1));
        d.confirm(third, "o-1");
        assertThat(d.reserve("web", 60, "shoe", 1).accepted()).isTrue();
        d.advanceMillis(30_000);
        d.tick();
        assertThat(d.expiredEvents()).containsExactly(second);
        assertThat(d.reserve("web", 60, "shoe", 1).accepted()).as("an expiry makes room").isTrue();
        assertThat(d.engine.openReservations()).isEqualTo(2);
    }

    @Test
    void maxRetainedReservationsForgetsTheOldestResolvedOnes()
    {
        final EngineDriver d = driver(c -> c.maxRetainedReservations(2));
        stocked(d, 10);
        final long a = d.reserve("web", 60, "shoe", 1).reservationId();
        final long b = d.reserve("web", 60, "shoe", 1).reservationId();
        final long c = d.reserve("web", 60, "shoe", 1).reservationId();
        final long open = d.reserve("web", 60, "shoe", 1).reservationId();
        d.release(a);
        d.confirm(b, "o-1");
        assertThat(d.queryReservation(a).reservationStatus()).isEqualTo(ReservationStatus.RELEASED);

        d.release(c);

        d.assertRejected(RejectReason.RESERVATION_NOT_FOUND, x -> x.queryReservation(a));
        d.assertRejected(RejectReason.RESERVATION_NOT_FOUND, x -> x.release(a));
        assertThat(d.queryReservation(b).reservationStatus()).isEqualTo(ReservationStatus.CONFIRMED);
        assertThat(d.queryReservation(c).reservationStatus()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(d.queryReservation(open).reservationStatus()).as("held ones are never forgotten")
            .isEqualTo(ReservationStatus.HELD);
    }

    @Test
    void withNoRetainedReservationsAResolutionStillAnswersWithWhatWasResolved()
    {
        final EngineDriver d = driver(c -> c.maxRetainedReservations(0));
        stocked(d, 10);
        final long released = d.reserve("web", 60, "shoe", 2).reservationId();
        final long confirmed = d.reserve("web", 60, "shoe", 3).reservationId();

        final Outcome out = d.release(released).copy();

        assertThat(out.accepted()).isTrue();
        assertThat(out.reservationId()).isEqualTo(released);
        assertThat(out.reservationStatus()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(d.allocations(out)).containsExactly(entry("shoe@east", 2L));
        d.assertRejected(RejectReason.RESERVATION_NOT_FOUND, x -> x.queryReservation(released));
        final Outcome order = d.confirm(confirmed, "o-1").copy();
        assertThat(order.reservationId()).isEqualTo(confirmed);
        assertThat(order.orderStatus()).isEqualTo(OrderStatus.CONFIRMED);
        d.assertRejected(RejectReason.RESERVATION_NOT_FOUND, x -> x.queryReservation(confirmed));
        assertThat(d.stock("shoe", "east").reserved()).isZero();
        assertThat(d.stock("shoe", "east").committed()).isEqualTo(3);
    }

    @Test
    void maxOrdersForgetsTheOldestClosedOrderToMakeRoomButNeverAnOpenOne()
    {
        final EngineDriver d = driver(c -> c.maxOrders(3));
        stocked(d, 100);
        d.order("web", "o-1", "shoe", 1);
        d.order("web", "o-2", "shoe", 1);
        d.confirm(d.reserve("web", 60, "shoe", 1).reservationId(), "o-3");
        final long pending = d.reserve("web", 60, "shoe", 1).reservationId();

        final Outcome full = d.assertRejected(RejectReason.ORDER_LIMIT, c -> c.order("web", "o-4").addLine("shoe", 1));
        assertThat(full.reason().category()).isEqualTo(RejectReason.Category.CAPACITY);
        d.assertRejected(RejectReason.ORDER_LIMIT, c -> c.confirm(pending, "o-4"));

        d.ship("web", "o-2");
        d.cancel("web", "o-1");
        assertThat(d.order("web", "o-4", "shoe", 1).accepted()).isTrue();

        d.assertRejected(RejectReason.ORDER_NOT_FOUND, c -> c.queryOrder("web", "o-2"));
        assertThat(d.queryOrder("web", "o-1").orderStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(d.confirm(pending, "o-5").accepted()).isTrue();
        d.assertRejected(RejectReason.ORDER_NOT_FOUND, c -> c.queryOrder("web", "o-1"));
        d.assertRejected(RejectReason.ORDER_LIMIT, c -> c.order("web", "o-6").addLine("shoe", 1));
        assertThat(List.of("o-3", "o-4", "o-5")).allSatisfy(
            id -> assertThat(d.queryOrder("web", id).orderStatus()).isEqualTo(OrderStatus.CONFIRMED));
        assertThat(d.stock("shoe", "east").committed()).isEqualTo(3);
        assertThat(d.stock("shoe", "east").onHand()).isEqualTo(99);
    }

    @Test
    void maxIdempotencyEntries()
    {
        final EngineDriver d = driver(c -> c.maxIdempotencyEntries(1));
        stocked(d, 10);
        d.apply(c -> c.receive("shoe", "east", 1).principal("admin").idempotencyKey("k-1"));

        d.assertRejected(RejectReason.IDEMPOTENCY_LIMIT,
            c -> c.receive("shoe", "east", 1).principal("admin").idempotencyKey("k-2"));
        assertThat(d.apply(c -> c.receive("shoe", "east", 1).principal("admin").idempotencyKey("k-1")).replayed())
            .isTrue();
        assertThat(d.stock("shoe", "east").onHand()).isEqualTo(11);
    }

    @Test
    void aConfigurationOutsideItsRangesIsRefusedAtConcludeAndFrozenAfter()
    {
        assertThatThrownBy(() -> new EngineConfig().maxSkus(0).conclude()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EngineConfig().maxOrders(0).conclude()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EngineConfig().idempotencyWindowMillis(0).conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EngineConfig().maxLineQuantity(10).maxOnHand(9).conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EngineConfig().maxSkus(1 << 24).maxLocations(1024).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
        final EngineConfig concluded = new EngineConfig().maxSkus(4).conclude();
        assertThatThrownBy(() -> concluded.maxSkus(8)).isInstanceOf(IllegalStateException.class);
        assertThat(concluded.maxSkus()).isEqualTo(4);
    }
}
