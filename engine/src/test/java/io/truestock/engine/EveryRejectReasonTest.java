package io.truestock.engine;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scenario (at least) for every reason the engine can reject a command with: each checks the reason and that
 * the rejected command changed nothing and raised no event.
 */
class EveryRejectReasonTest
{
    /**
     * Reasons only the runtime gives (a halted writer, a command the journal cannot hold), never {@link Engine#apply};
     * named as text so that this list does not tie the engine's tests to the runtime's choices.
     */
    private static final Set<String> NOT_FROM_THE_ENGINE = Set.of("NONE", "ENGINE_HALTED", "COMMAND_TOO_LARGE");

    private record Scenario(
        RejectReason reason, String name, UnaryOperator<EngineConfig> bounds, Function<EngineDriver, Consumer<Command>> setup)
    {
    }

    private static final List<Scenario> SCENARIOS = new ArrayList<>();

    private static void scenario(final RejectReason reason, final String name, final Function<EngineDriver, Consumer<Command>> setup)
    {
        SCENARIOS.add(new Scenario(reason, name, UnaryOperator.identity(), setup));
    }

    private static void scenario(
        final RejectReason reason, final String name, final UnaryOperator<EngineConfig> bounds,
        final Function<EngineDriver, Consumer<Command>> setup)
    {
        SCENARIOS.add(new Scenario(reason, name, bounds, setup));
    }

    static
    {
        scenario(RejectReason.INVALID_ID, "a location id with a space", d -> c -> c.defineLocation("a b", LocationSpec.named("x")));
        scenario(RejectReason.INVALID_ID, "a channel id that is too long",
            d -> c -> c.defineChannel("c".repeat(65), ChannelSpec.named("x")));
        scenario(RejectReason.INVALID_ID, "a sku id with a slash", d -> c -> c.defineSku("a/b", SkuSpec.simple("x", 1, "USD")));
        scenario(RejectReason.INVALID_ID, "confirming into an order id with a space", d ->
        {
            final long id = d.reserve("web", 60, "shoe", 1).reservationId();
            return c -> c.confirm(id, "order 1");
        });
        scenario(RejectReason.INVALID_ID, "a channel order with an empty id", d -> c -> c.order("web", "").addLine("shoe", 1));
        scenario(RejectReason.INVALID_ID, "shipping an order id with a slash", d -> c -> c.ship("web", "o/1"));
        scenario(RejectReason.INVALID_QUANTITY, "receiving nothing", d -> c -> c.receive("shoe", "east", 0));
        scenario(RejectReason.INVALID_QUANTITY, "reserving a negative line", d -> c -> c.reserve("web", 60).addLine("shoe", -1));
        scenario(RejectReason.INVALID_QUANTITY, "a set of nothing",
            d -> c -> c.set("shoe", "east", Command.ABSENT, Command.ABSENT, Command.ABSENT));
        scenario(RejectReason.INVALID_TTL, "reserving for zero seconds", d -> c -> c.reserve("web", 0).addLine("shoe", 1));
        scenario(RejectReason.INVALID_TTL, "extending beyond the maximum ttl", d ->
        {
            final long id = d.reserve("web", 60, "shoe", 1).reservationId();
            return c -> c.extend(id, 86_401);
        });
        scenario(RejectReason.INVALID_LINES, "reserving no lines", d -> c -> c.reserve("web", 60));
        scenario(RejectReason.INVALID_LINES, "ordering no lines", d -> c -> c.order("web", "o-1"));
        scenario(RejectReason.TOO_MANY_LINES, "one line past the bound", b -> b.maxLinesPerCommand(2),
            d -> c -> c.reserve("web", 60).addLine("shoe", 1).addLine("lace", 1).addLine("kit", 1));
        scenario(RejectReason.INVALID_CONFIG, "a channel at 101 percent",
            d -> c -> c.defineChannel("web", ChannelSpec.named("web").with(101, 0, ChannelSpec.UNLIMITED)));
        scenario(RejectReason.INVALID_CONFIG, "a location in an unknown time zone",
            d -> c -> c.defineLocation("east", new LocationSpec("e", "Nowhere/City", "", "", 1, 0, 0, 1, new int[0])));
        scenario(RejectReason.INVALID_CONFIG, "a bundle of a bundle",
            d -> c -> c.defineSku("box", new SkuSpec("box", 1, "USD", new String[]{"kit"}, new long[]{1})));
        scenario(RejectReason.INVALID_TEXT, "a reason longer than 256 characters",
            d -> c -> c.receive("shoe", "east", 1).reason("r".repeat(257)));
        scenario(RejectReason.INVALID_TEXT, "a reference longer than 256 characters",
            d -> c -> c.receive("shoe", "east", 1).reference("r".repeat(257)));
        scenario(RejectReason.BUNDLE_HAS_NO_STOCK, "receiving a bundle", d -> c -> c.receive("kit", "east", 1));
        scenario(RejectReason.UNKNOWN_SKU, "receiving an unknown sku", d -> c -> c.receive("boot", "east", 1));
        scenario(RejectReason.UNKNOWN_SKU, "a bundle of an unknown sku",
            d -> c -> c.defineSku("box", new SkuSpec("box", 1, "USD", new String[]{"boot"}, new long[]{1})));
        scenario(RejectReason.UNKNOWN_SKU, "ordering an unknown sku", d -> c -> c.order("web", "o-1").addLine("boot", 1));
        scenario(RejectReason.UNKNOWN_LOCATION, "adjusting at an unknown location", d -> c -> c.adjust("shoe", "north", 1));
        scenario(RejectReason.UNKNOWN_LOCATION, "a channel over an unknown location",
            d -> c -> c.defineChannel("mall", ChannelSpec.named("mall", "north")));
        scenario(RejectReason.UNKNOWN_CHANNEL, "reserving on an unknown channel", d -> c -> c.reserve("mall", 60).addLine("shoe", 1));
        scenario(RejectReason.UNKNOWN_CHANNEL, "an order on an unknown channel", d -> c -> c.order("mall", "o-1").addLine("shoe", 1));
        scenario(RejectReason.RESERVATION_NOT_FOUND, "releasing an id never issued", d -> c -> c.release(42));
        scenario(RejectReason.RESERVATION_NOT_FOUND, "querying an id never issued", d -> c -> c.queryReservation(42));
        scenario(RejectReason.ORDER_NOT_FOUND, "shipping an unknown order", d -> c -> c.ship("web", "o-9"));
        scenario(RejectReason.ORDER_NOT_FOUND, "querying an unknown order", d -> c -> c.queryOrder(null, "o-9"));
        scenario(RejectReason.OUT_OF_STOCK, "reserving more than there is", d -> c -> c.reserve("web", 60).addLine("shoe", 11));
        scenario(RejectReason.OUT_OF_STOCK, "confirming when the channel no longer reaches the units", d ->
        {
            final long id = d.reserve("web", 60, "shoe", 2).reservationId();
            d.channel("web", "west");
            return c -> c.confirm(id, "o-1");
        });
        scenario(RejectReason.EXPECTED_MISMATCH, "a compare-and-set on a stale value",
            d -> c -> c.set("shoe", "east", 3, Command.ABSENT, 9));
        scenario(RejectReason.BELOW_ALLOCATED, "adjusting below what is reserved", d ->
        {
            d.reserve("web", 60, "shoe", 5);
            return c -> c.adjust("shoe", "east", -6);
        });
        scenario(RejectReason.BELOW_ALLOCATED, "setting below what is committed", d ->
        {
            d.order("web", "o-1", "shoe", 5);
            return c -> c.set("shoe", "east", 4, Command.ABSENT, Command.ABSENT);
        });
        scenario(RejectReason.QUANTITY_LIMIT, "receiving past max on hand", b -> b.maxOnHand(10).maxLineQuantity(10),
            d -> c -> c.receive("shoe", "east", 1));
        scenario(RejectReason.RESERVATION_NOT_HELD, "releasing twice", d ->
        {
            final long id = d.reserve("web", 60, "shoe", 1).reservationId();
            d.release(id);
            return c -> c.release(id);
        });
        scenario(RejectReason.RESERVATION_NOT_HELD, "extending a confirmed reservation", d ->
        {
            final long id = d.reserve("web", 60, "shoe", 1).reservationId();
            d.confirm(id, "o-1");
            return c -> c.extend(id, 60);
        });
        scenario(RejectReason.RESERVATION_EXPIRED, "confirming at the expiry instant", d ->
        {
            final long id = d.reserve("web", 60, "shoe", 1).reservationId();
            d.advanceMillis(60_000);
            return c -> c.confirm(id, "o-1");
        });
        scenario(RejectReason.RESERVATION_EXPIRED, "releasing after a tick expired it", d ->
        {
            final long id = d.reserve("web", 60, "shoe", 1).reservationId();
            d.advanceMillis(61_000);
            d.tick();
            return c -> c.release(id);
        });
        scenario(RejectReason.ORDER_EXISTS, "confirming into an existing order id", d ->
        {
            d.order("web", "o-1", "shoe", 1);
            final long id = d.reserve("web", 60, "shoe", 1).reservationId();
            return c -> c.confirm(id, "o-1");
        });
        scenario(RejectReason.ORDER_EXISTS, "a different channel order under an existing id", d ->
        {
            d.order("web", "o-1", "shoe", 1);
            return c -> c.order("web", "o-1").addLine("shoe", 2);
        });
        scenario(RejectReason.ORDER_NOT_OPEN, "shipping a shipped order", d ->
        {
            d.order("web", "o-1", "shoe", 1);
            d.ship("web", "o-1");
            return c -> c.ship("web", "o-1");
        });
        scenario(RejectReason.ORDER_AMBIGUOUS, "cancelling by an id two channels use", d ->
        {
            d.order("web", "o-1", "shoe", 1);
            d.order("shop", "o-1", "shoe", 1);
            return c -> c.cancel(null, "o-1");
        });
        scenario(RejectReason.SKU_IN_USE, "turning a stocked sku into a bundle", d ->
        {
            d.sku("sock");
            d.receive("sock", "west", 1);
            return c -> c.defineSku("sock", new SkuSpec("sock", 1, "USD", new String[]{"lace"}, new long[]{1}));
        });
        scenario(RejectReason.CHANNEL_MISMATCH, "releasing through another channel", d ->
        {
            final long id = d.reserve("web", 60, "shoe", 1).reservationId();
            return c -> c.release(id).channel("shop");
        });
        scenario(RejectReason.IDEMPOTENCY_CONFLICT, "a key reused for another request", d ->
        {
            d.apply(c -> c.receive("shoe", "east", 1).principal("admin").idempotencyKey("k-1"));
            return c -> c.receive("shoe", "east", 2).principal("admin").idempotencyKey("k-1");
        });
        scenario(RejectReason.SKU_LIMIT, "a sku past the bound", b -> b.maxSkus(3),
            d -> c -> c.defineSku("sock", SkuSpec.simple("sock", 1, "USD")));
        scenario(RejectReason.LOCATION_LIMIT, "a location past the bound", b -> b.maxLocations(2),
            d -> c -> c.defineLocation("north", LocationSpec.named("north")));
        scenario(RejectReason.CHANNEL_LIMIT, "a channel past the bound", b -> b.maxChannels(2),
            d -> c -> c.defineChannel("mall", ChannelSpec.named("mall")));
        scenario(RejectReason.RESERVATION_LIMIT, "a reservation past the bound", b -> b.maxOpenReservations(1), d ->
        {
            d.reserve("web", 60, "shoe", 1);
            return c -> c.reserve("web", 60).addLine("shoe", 1);
        });
        scenario(RejectReason.ORDER_LIMIT, "an order past the bound with none closed", b -> b.maxOrders(1), d ->
        {
            d.order("web", "o-1", "shoe", 1);
            return c -> c.order("web", "o-2").addLine("shoe", 1);
        });
        scenario(RejectReason.QUOTE_EXPIRED, "a confirmation citing a quote that expired", b -> b, d ->
        {
            final long id = d.apply(c -> c.reserve("web", 60).addLine("shoe", 1)).reservationId();
            final long expired = d.now();
            return c -> c.confirm(id, "o-1").addQuote("shoe", "web", 100, "USD", expired);
        });
        scenario(RejectReason.QUOTE_MISMATCH, "a quote for another channel", b -> b, d ->
        {
            final long id = d.apply(c -> c.reserve("web", 60).addLine("shoe", 1)).reservationId();
            final long live = d.now() + 60_000;
            return c -> c.confirm(id, "o-1").addQuote("shoe", "shop", 100, "USD", live);
        });
        scenario(RejectReason.DELIVERY_OPTION_UNAVAILABLE, "a confirmation by a carrier service with no zone there",
            b -> b, d ->
        {
            final long id = d.apply(c -> c.reserve("web", 60).addLine("shoe", 1)).reservationId();
            return c -> c.confirm(id, "o-1").destination("US", "10001").carrier("nobody").service("ground");
        });
        scenario(RejectReason.CARRIER_LIMIT, "a new carrier past the bound", b -> b, d ->
        {
            for (int i = 0; i < io.truestock.engine.delivery.DeliveryPlanner.MAX_CARRIERS; i++)
            {
                final String id = "carrier-" + i;
                d.apply(c -> c.defineCarrier(id, new io.truestock.engine.delivery.CarrierSpec(id, java.util.List.of())));
            }
            return c -> c.defineCarrier("one-more", new io.truestock.engine.delivery.CarrierSpec("x", java.util.List.of()));
        });
        scenario(RejectReason.IDEMPOTENCY_LIMIT, "a new key past the bound", b -> b.maxIdempotencyEntries(1), d ->
        {
            d.apply(c -> c.receive("shoe", "east", 1).principal("admin").idempotencyKey("k-1"));
            return c -> c.receive("shoe", "east", 1).principal("admin").idempotencyKey("k-2");
        });
    }

    private static EngineDriver world(final UnaryOperator<EngineConfig> bounds)
    {
        final EngineDriver d = new EngineDriver(bounds.apply(new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(4)));
        d.location("east", 1);
        d.location("west", 2);
        d.channel("web", "east", "west");
        d.channel("shop", "west");
        d.sku("shoe");
        d.sku("lace");
        d.bundle("kit", new String[]{"shoe", "lace"}, new long[]{1, 2});
        d.receive("shoe", "east", 10);
        d.receive("lace", "east", 10);
        return d;
    }

    @TestFactory
    Stream<DynamicTest> eachScenarioIsRejectedForItsReasonAndChangesNothing()
    {
        return SCENARIOS.stream().map(s -> DynamicTest.dynamicTest(s.reason() + ": " + s.name(), () ->
        {
            final EngineDriver d = world(s.bounds());
            final Consumer<Command> command = s.setup().apply(d);

            final Outcome out = d.assertRejected(s.reason(), command);

            assertThat(out.reason().category()).isNotEqualTo(RejectReason.Category.NONE);
        }));
    }

    @Test
    void everyReasonTheEngineCanGiveHasAScenario()
    {
        final Set<RejectReason> covered = SCENARIOS.stream().map(Scenario::reason).collect(Collectors.toSet());
        final Set<RejectReason> expected = EnumSet.allOf(RejectReason.class);
        expected.removeIf(reason -> NOT_FROM_THE_ENGINE.contains(reason.name()));

        assertThat(covered).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyReasonHasAStableCodeAndACategory()
    {
        for (final RejectReason reason : RejectReason.values())
        {
            assertThat(reason.code()).isEqualTo(reason.name().toLowerCase(Locale.ROOT));
            assertThat(RejectReason.of(reason.ordinal())).isSameAs(reason);
            assertThat(reason.category() == RejectReason.Category.NONE).isEqualTo(reason == RejectReason.NONE);
        }
    }
}
