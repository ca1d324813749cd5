package io.truestock.client;

import io.truestock.engine.Command;
import io.truestock.engine.SkuSpec;
import io.truestock.sbe.CommandCode;
import io.truestock.sbe.OrderState;
import io.truestock.sbe.RejectCode;
import io.truestock.sbe.ReservationState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.truestock.client.BinaryHarness.accepted;
import static io.truestock.client.BinaryHarness.await;
import static io.truestock.client.BinaryHarness.failure;
import static io.truestock.client.BinaryHarness.one;
import static io.truestock.client.BinaryHarness.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every request of the binary protocol against a real server, through the Java client: authentication, the two
 * queries, each command and its outcome, the scope rules shared with HTTP, idempotent repeats and pipelining.
 */
class BinaryClientTest
{
    @TempDir
    Path dir;
    private BinaryHarness harness;
    private TruestockClient admin;

    @BeforeEach
    void start() throws Exception
    {
        harness = BinaryHarness.start(dir);
        admin = harness.admin();
        harness.standardCatalog(10, "shoe", "hat");
    }

    @AfterEach
    void stop()
    {
        harness.close();
    }

    // ---- Hello ----

    @Test
    void welcomeNamesTheKeyAndItsScope()
    {
        assertThat(admin.principal()).isEqualTo("admin");
        assertThat(admin.scope()).isEqualTo("admin");
        try (TruestockClient shop = harness.connect(harness.createKey("channel:shopify")))
        {
            assertThat(shop.principal()).startsWith("key_");
            assertThat(shop.scope()).isEqualTo("channel:shopify");
        }
    }

    @Test
    void anUnknownTokenIsRefusedAndTheServerGoesOn()
    {
        assertThatThrownBy(() -> harness.connect("not-a-token"))
            .isInstanceOfSatisfying(TruestockException.class, ex -> assertThat(ex.code()).isEqualTo("unauthorized"));
        assertThatThrownBy(() -> harness.connect(""))
            .isInstanceOfSatisfying(TruestockException.class, ex -> assertThat(ex.code()).isEqualTo("unauthorized"));
        assertThat(await(admin.availability("shoe", "shopify")).available()).isEqualTo(10);
    }

    // ---- queries ----

    @Test
    void availabilityReadsWhatTheChannelPublishes()
    {
        final Availability shoe = await(admin.availability("shoe", "shopify"));
        assertThat(shoe.sku()).isEqualTo("shoe");
        assertThat(shoe.channel()).isEqualTo("shopify");
        assertThat(shoe.available()).isEqualTo(10);
        assertThat(shoe.status()).isEqualTo(StockStatus.IN_STOCK);
        assertThat(shoe.version()).isPositive();

        accepted(admin.reserve("shopify", one("shoe", 6), 900));
        final Availability low = await(admin.availability("shoe", "amazon"));
        assertThat(low.available()).isEqualTo(4);
        assertThat(low.status()).isEqualTo(StockStatus.LOW_STOCK);
        assertThat(low.version()).isGreaterThan(shoe.version());

        assertThat(failure(admin.availability("boot", "shopify")).code()).isEqualTo("not_found");
        assertThat(failure(admin.availability("shoe", "ebay")).code()).isEqualTo("not_found");
        assertThat(failure(admin.availability("no spaces", "shopify")).code()).isEqualTo("invalid_request");
    }

    @Test
    void anOfferPricesAQuantity()
    {
        final Offer offer = await(admin.offer("hat", "shopify", 3));
        assertThat(offer.quantity()).isEqualTo(3);
        assertThat(offer.available()).isEqualTo(10);
        assertThat(offer.status()).isEqualTo(StockStatus.IN_STOCK);
        assertThat(offer.priceAmountMinor()).isEqualTo(8999);
        assertThat(offer.currency()).isEqualTo("USD");
        assertThat(offer.version()).isPositive();

        assertThat(await(admin.offer("hat", "shopify", 11)).status()).isEqualTo(StockStatus.OUT_OF_STOCK);
        assertThat(failure(admin.offer("hat", "shopify", 0)).code()).isEqualTo("invalid_request");
        assertThat(failure(admin.offer("boot", "shopify", 1)).code()).isEqualTo("not_found");
    }

    // ---- commands ----

    @Test
    void receiveAnswersTheStockRecord()
    {
        final CommandResult received = accepted(admin.receive("shoe", "oak", 5));
        assertThat(received.type()).isEqualTo(CommandCode.RECEIVE);
        assertThat(received.reason()).isEqualTo(RejectCode.NONE);
        assertThat(received.sku()).isEqualTo("shoe");
        assertThat(received.location()).isEqualTo("oak");
        assertThat(received.onHand()).isEqualTo(15);
        assertThat(received.reserved()).isZero();
        assertThat(received.committed()).isZero();
        assertThat(received.safety()).isZero();
        assertThat(received.available()).isEqualTo(15);
        assertThat(received.version()).isPositive();

        final CommandResult unknown = await(admin.receive("boot", "oak", 5));
        assertThat(unknown.accepted()).isFalse();
        assertThat(unknown.reason()).isEqualTo(RejectCode.UNKNOWN_SKU);
    }

    @Test
    void aReservationIsHeldConfirmedIntoAnOrderOrReleased()
    {
        final CommandResult held = accepted(admin.reserve("shopify", List.of(new Line("shoe", 2), new Line("hat", 1)), 60));
        assertThat(held.type()).isEqualTo(CommandCode.RESERVE);
        assertThat(held.reservationId()).isPositive();
        assertThat(held.reservationStatus()).isEqualTo(ReservationState.HELD);
        assertThat(held.expiresAtMillis()).isPositive();
        assertThat(held.channel()).isEqualTo("shopify");
        assertThat(held.lines()).extracting(CommandResult.LineResult::sku, CommandResult.LineResult::qty)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("shoe", 2L), org.assertj.core.groups.Tuple.tuple("hat", 1L));
        assertThat(held.allocations()).containsExactly(
            new CommandResult.Allocation("shoe", "oak", 2), new CommandResult.Allocation("hat", "oak", 1));
        assertThat(await(admin.availability("shoe", "shopify")).available()).isEqualTo(8);

        final CommandResult order = accepted(admin.confirm(held.reservationId(), "o-1", "US", "94607"));
        assertThat(order.type()).isEqualTo(CommandCode.CONFIRM);
        assertThat(order.orderId()).isEqualTo("o-1");
        assertThat(order.orderStatus()).isEqualTo(OrderState.CONFIRMED);
        assertThat(order.reservationId()).isEqualTo(held.reservationId());
        assertThat(order.channel()).isEqualTo("shopify");
        assertThat(order.allocations()).contains(new CommandResult.Allocation("shoe", "oak", 2));

        final CommandResult again = await(admin.confirm(held.reservationId(), "o-2"));
        assertThat(again.accepted()).isFalse();
        assertThat(again.reason()).isEqualTo(RejectCode.RESERVATION_NOT_HELD);

        final CommandResult second = accepted(admin.reserve("amazon", one("hat", 4), 60));
        final CommandResult released = accepted(admin.release(second.reservationId()));
        assertThat(released.reservationStatus()).isEqualTo(ReservationState.RELEASED);
        assertThat(await(admin.availability("hat", "amazon")).available()).isEqualTo(9);
        assertThat(await(admin.release(second.reservationId())).reason()).isEqualTo(RejectCode.RESERVATION_NOT_HELD);
    }

    @Test
    void anOutOfStockRejectionSaysWhatEachLineCouldHave()
    {
        accepted(admin.reserve("shopify", one("hat", 9), 60));
        final long before = await(admin.availability("shoe", "shopify")).available();

        final CommandResult rejected = await(admin.reserve("shopify",
            List.of(new Line("shoe", 3), new Line("hat", 2)), 60));

        assertThat(rejected.accepted()).isFalse();
        assertThat(rejected.reason()).isEqualTo(RejectCode.OUT_OF_STOCK);
        assertThat(rejected.rejectedLine()).isEqualTo(1);
        assertThat(rejected.reservationId()).isZero();
        assertThat(rejected.lines()).containsExactly(
            new CommandResult.LineResult("shoe", 3, 10, 0, 0, null), new CommandResult.LineResult("hat", 2, 1, 0, 0, null));
        assertThat(await(admin.availability("shoe", "shopify")).available()).as("all or nothing").isEqualTo(before);
    }

    @Test
    void everyOtherCommandGoesThroughAGenericSubmit()
    {
        final CommandResult held = accepted(admin.reserve("shopify", one("shoe", 1), 60));
        final CommandResult extended = accepted(admin.submit(new CommandRequest().extend(held.reservationId(), 600)));
        assertThat(extended.expiresAtMillis()).isGreaterThan(held.expiresAtMillis());
        final CommandResult queried = accepted(admin.submit(new CommandRequest().queryReservation(held.reservationId())));
        assertThat(queried.type()).isEqualTo(CommandCode.QUERY_RESERVATION);
        assertThat(queried.reservationStatus()).isEqualTo(ReservationState.HELD);

        final CommandResult sold = accepted(admin.submit(new CommandRequest().order("amazon", "amz-1").addLine("hat", 12)));
        assertThat(sold.orderStatus()).isEqualTo(OrderState.CONFIRMED);
        assertThat(sold.lines()).extracting(CommandResult.LineResult::sku, CommandResult.LineResult::qty,
            CommandResult.LineResult::backordered, CommandResult.LineResult::currency)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("hat", 12L, 2L, "USD"));
        assertThat(sold.lines().get(0).priceAmountMinor()).isPositive();
        assertThat(sold.shipments()).extracting(CommandResult.Shipment::location).isNotEmpty();
        assertThat(sold.shipments()).allSatisfy(shipment -> assertThat(shipment.carrier()).isNull());
        final CommandResult duplicate = accepted(admin.submit(new CommandRequest().order("amazon", "amz-1").addLine("hat", 12)));
        assertThat(duplicate.duplicate()).isTrue();
        assertThat(accepted(admin.submit(new CommandRequest().queryOrder("amazon", "amz-1"))).orderId()).isEqualTo("amz-1");
        assertThat(accepted(admin.submit(new CommandRequest().cancel("amazon", "amz-1"))).orderStatus())
            .isEqualTo(OrderState.CANCELLED);

        accepted(admin.submit(new CommandRequest().order("amazon", "amz-2").addLine("shoe", 2)));
        final CommandResult shipped = accepted(admin.submit(new CommandRequest().ship(null, "amz-2")));
        assertThat(shipped.orderStatus()).isEqualTo(OrderState.SHIPPED);

        final CommandResult adjusted = accepted(admin.submit(new CommandRequest().adjust("shoe", "oak", -1)));
        assertThat(adjusted.onHand()).isEqualTo(7);
        final CommandResult mismatch = await(admin.submit(new CommandRequest().set("shoe", "oak", 20, CommandRequest.ABSENT, 99)));
        assertThat(mismatch.reason()).isEqualTo(RejectCode.EXPECTED_MISMATCH);
        assertThat(mismatch.onHand()).isEqualTo(7);
        final CommandResult set = accepted(admin.submit(new CommandRequest().set("shoe", "oak", 20, 2, 7)));
        assertThat(set.onHand()).isEqualTo(20);
        assertThat(set.safety()).isEqualTo(2);
    }

    @Test
    void commandsStampedElsewhereAreSentUnstamped()
    {
        final Command stamped = new Command(0).receive("shoe", "oak", 1).stamp(12345, 1_700_000_000_000L);
        final CommandResult received = accepted(submit(admin, stamped));
        assertThat(received.version()).isNotEqualTo(12345);
    }

    // ---- scopes ----

    @Test
    void aChannelKeyActsOnlyForItsChannel()
    {
        final CommandResult amazonHold = accepted(admin.reserve("amazon", one("shoe", 1), 60));
        try (TruestockClient shop = harness.connect(harness.createKey("channel:shopify")))
        {
            assertThat(failure(shop.reserve("amazon", one("shoe", 1), 60)).code()).isEqualTo("forbidden");
            final CommandResult own = accepted(shop.reserve("shopify", one("shoe", 1), 60));

            final CommandResult foreign = await(shop.confirm(amazonHold.reservationId(), "o-9"));
            assertThat(foreign.accepted()).isFalse();
            assertThat(foreign.reason()).isEqualTo(RejectCode.CHANNEL_MISMATCH);
            assertThat(await(shop.release(amazonHold.reservationId())).reason()).isEqualTo(RejectCode.CHANNEL_MISMATCH);

            accepted(shop.confirm(own.reservationId(), "s-1"));
            assertThat(failure(shop.submit(new CommandRequest().cancel("amazon", "s-1"))).code()).isEqualTo("forbidden");
            assertThat(accepted(shop.submit(new CommandRequest().cancel(null, "s-1"))).orderStatus())
                .isEqualTo(OrderState.CANCELLED);

            assertThat(failure(shop.receive("shoe", "oak", 1)).code()).isEqualTo("forbidden");
            assertThat(failure(submit(shop, new Command(0).tick())).code()).isEqualTo("forbidden");
            assertThat(await(shop.availability("shoe", "amazon")).available()).as("reads are open to every key")
                .isEqualTo(9);
        }
    }

    @Test
    void anAgentKeyReservesButRecordsNoChannelOrders()
    {
        try (TruestockClient agent = harness.connect(harness.createKey("agent")))
        {
            final CommandResult held = accepted(agent.reserve("amazon", one("hat", 2), 60));
            accepted(agent.confirm(held.reservationId(), "ag-1"));
            assertThat(accepted(agent.submit(new CommandRequest().queryOrder("amazon", "ag-1"))).orderId()).isEqualTo("ag-1");
            assertThat(failure(agent.submit(new CommandRequest().order("amazon", "ag-2").addLine("hat", 1))).code())
                .isEqualTo("forbidden");
            assertThat(failure(agent.submit(new CommandRequest().ship("amazon", "ag-1"))).code()).isEqualTo("forbidden");
            assertThat(failure(submit(agent, new Command(0).defineSku("x", SkuSpec.simple("x", 1, "USD"))))
                .code()).isEqualTo("forbidden");
        }
    }

    @Test
    void anAdminCannotTickEither()
    {
        assertThat(failure(submit(admin, new Command(0).tick())).code()).isEqualTo("forbidden");
    }

    // ---- idempotency ----

    @Test
    void aRepeatedIdempotencyKeyReplaysTheFirstAnswer()
    {
        final CommandRequest reserve = new CommandRequest().reserve("shopify", 60).addLine("shoe", 2).idempotencyKey("cart-7");
        final CommandResult first = accepted(admin.submit(reserve));
        final CommandResult repeat = accepted(admin.submit(reserve));
        assertThat(first.replayed()).isFalse();
        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.reservationId()).isEqualTo(first.reservationId());
        assertThat(await(admin.availability("shoe", "shopify")).available()).isEqualTo(8);

        final CommandResult conflict = await(admin.submit(
            new CommandRequest().reserve("shopify", 60).addLine("shoe", 3).idempotencyKey("cart-7")));
        assertThat(conflict.reason()).isEqualTo(RejectCode.IDEMPOTENCY_CONFLICT);
        assertThat(failure(admin.submit(new CommandRequest().receive("shoe", "oak", 1).idempotencyKey(""))).code())
            .isEqualTo("invalid_request");
    }

    // ---- pipelining ----

    @Test
    void pipelinedRequestsAreMatchedToTheirAnswers()
    {
        final int requests = 200;
        final List<CompletableFuture<CommandResult>> receipts = new ArrayList<>();
        final List<CompletableFuture<Offer>> offers = new ArrayList<>();
        for (int i = 0; i < requests; i++)
        {
            final String sku = i % 4 < 2 ? "shoe" : "hat";
            if (i % 2 == 0)
            {
                receipts.add(admin.receive(sku, "oak", i + 1));
            }
            else
            {
                offers.add(admin.offer(sku, i % 3 == 0 ? "amazon" : "shopify", i));
            }
        }
        long lastVersion = 0;
        for (int k = 0; k < receipts.size(); k++)
        {
            final int i = 2 * k;
            final CommandResult result = accepted(receipts.get(k));
            assertThat(result.sku()).isEqualTo(i % 4 < 2 ? "shoe" : "hat");
            assertThat(result.version()).as("commands of one connection apply in the order sent")
                .isGreaterThan(lastVersion);
            lastVersion = result.version();
        }
        for (int k = 0; k < offers.size(); k++)
        {
            final int i = 2 * k + 1;
            final Offer offer = await(offers.get(k));
            assertThat(offer.quantity()).isEqualTo(i);
            assertThat(offer.sku()).isEqualTo(i % 4 < 2 ? "shoe" : "hat");
        }
        final long shoe = 10 + sumOfReceipts(requests, 0);
        final long hat = 10 + sumOfReceipts(requests, 2);
        assertThat(await(admin.availability("shoe", "shopify")).available()).isEqualTo(shoe);
        assertThat(await(admin.availability("hat", "shopify")).available()).isEqualTo(hat);
        assertThat(admin.inFlight()).isZero();
    }

    /** Units received by the requests i with i % 4 == residue: receive i + 1. */
    private static long sumOfReceipts(final int requests, final int residue)
    {
        long sum = 0;
        for (int i = residue; i < requests; i += 4)
        {
            sum += i + 1;
        }
        return sum;
    }

    @Test
    void aCommandBeyondTheFrameBoundFailsInTheClient()
    {
        final CommandRequest huge = new CommandRequest().receive("shoe", "oak", 1).reason("x".repeat(40_000))
            .reference("y".repeat(40_000));
        final CompletableFuture<CommandResult> future = admin.submit(huge);
        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(future::join).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(admin.inFlight()).isZero();
        assertThat(accepted(admin.receive("shoe", "oak", 1)).onHand()).isEqualTo(11);
    }
}
