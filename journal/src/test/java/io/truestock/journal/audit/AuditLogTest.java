package io.truestock.journal.audit;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the audit trail records for applied commands (stock changes with before and after, rejections by the SKUs
 * they named, configuration with its detail, dead letters) and how it is read back: by SKU, by sequence and time
 * window, a page of whole commands at a time, through the sparse index, also after reopening.
 */
class AuditLogTest
{
    /** A Wednesday noon: a location shipping Monday to Friday ships the same day. */
    private static final long T0 = Instant.parse("2026-03-04T12:00:00Z").toEpochMilli();
    private static final long[] ZERO = {0, 0, 0, 0};

    @TempDir
    Path dir;

    private final Command command = new Command(8);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private Engine engine;
    private AuditLog audit;
    private long sequence;

    @BeforeEach
    void open()
    {
        engine = newEngine();
        audit = new AuditLog(dir);
        audit.attach(engine);
    }

    @AfterEach
    void close()
    {
        audit.close();
    }

    private static Engine newEngine()
    {
        return new Engine(new EngineConfig().maxSkus(16).maxLocations(4).maxChannels(4));
    }

    /** Applies the next command (one millisecond after the previous one) and hands it to the audit log. */
    private Outcome apply(final Consumer<Command> build)
    {
        build.accept(command.clear());
        sequence++;
        command.stamp(sequence, T0 + sequence);
        engine.apply(command, outcome, events);
        audit.onApplied(command, outcome, events);
        return outcome;
    }

    /** Location oak (US 94607), channels shop and web, SKUs a (1.00 USD) and b (2.50 USD): sequences 1 to 5. */
    private void catalog()
    {
        assertThat(apply(c -> c.defineLocation("oak", new LocationSpec("Oakland", "UTC", "US", "94607", 1, 23 * 60 + 59,
            0, LocationSpec.MON_TO_FRI, new int[0]))).accepted()).isTrue();
        assertThat(apply(c -> c.defineChannel("shop", ChannelSpec.named("Shop"))).accepted()).isTrue();
        assertThat(apply(c -> c.defineChannel("web", ChannelSpec.named("Web"))).accepted()).isTrue();
        assertThat(apply(c -> c.defineSku("a", SkuSpec.simple("A", 100, "USD"))).accepted()).isTrue();
        assertThat(apply(c -> c.defineSku("b", SkuSpec.simple("B", 250, "USD"))).accepted()).isTrue();
    }

    private AuditLog.Page all()
    {
        return audit.query(null, 0, 1000);
    }

    private static List<Long> sequences(final AuditLog.Page page)
    {
        return page.entries().stream().map(AuditLog.Entry::seq).toList();
    }

    private static List<String> skus(final AuditLog.Page page)
    {
        return page.entries().stream().map(AuditLog.Entry::sku).toList();
    }

    @Test
    void aReceiveIsOneEntryWithItsStockChangeAndProvenance()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 5).principal("clerk").reason("cycle count").reference("po-17")
            .idempotencyKey("key-1"));

        final AuditLog.Page page = audit.query("a", 0, 10);

        assertThat(page.next()).isEqualTo(-1);
        assertThat(page.entries()).hasSize(1);
        final AuditLog.Entry entry = page.entries().get(0);
        assertThat(entry.seq()).isEqualTo(6);
        assertThat(entry.atMillis()).isEqualTo(T0 + 6);
        assertThat(entry.type()).isEqualTo("receive");
        assertThat(entry.sku()).isEqualTo("a");
        assertThat(entry.location()).isEqualTo("oak");
        assertThat(entry.before()).containsExactly(ZERO);
        assertThat(entry.after()).containsExactly(5, 0, 0, 0);
        assertThat(entry.outcome()).isEqualTo("accepted");
        assertThat(entry.principal()).isEqualTo("clerk");
        assertThat(entry.reason()).isEqualTo("cycle count");
        assertThat(entry.reference()).isEqualTo("po-17");
        assertThat(entry.idempotencyKey()).isEqualTo("key-1");
        assertThat(entry.detail()).isNull();
        assertThat(audit.lastSequence()).isEqualTo(6);
        assertThat(sequences(all())).as("definitions of a location, channel or SKU are not listed").containsExactly(6L);
        assertThat(audit.query("b", 0, 10).entries()).isEmpty();
    }

    @Test
    void aCommandThatChangesTwoStockRecordsIsAnEntryForEachAndASkuQueryGetsItsOwn()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 4));
        apply(c -> c.receive("b", "oak", 3));
        apply(c -> c.set("a", "oak", 6, 1, 4));
        final Outcome reserved = apply(c -> c.reserve("shop", 600).addLine("a", 2).addLine("b", 1));
        assertThat(reserved.accepted()).isTrue();

        final AuditLog.Page everything = audit.query(null, 8, 10);
        assertThat(sequences(everything)).containsExactly(9L, 9L);
        assertThat(skus(everything)).containsExactly("a", "b");
        assertThat(everything.entries()).allSatisfy(e -> assertThat(e.type()).isEqualTo("reserve"));

        final AuditLog.Page onlyB = audit.query("b", 8, 10);
        assertThat(onlyB.entries()).hasSize(1);
        assertThat(onlyB.entries().get(0).before()).containsExactly(3, 0, 0, 0);
        assertThat(onlyB.entries().get(0).after()).containsExactly(3, 1, 0, 0);

        final List<AuditLog.Entry> history = audit.query("a", 0, 10).entries();
        assertThat(history).extracting(AuditLog.Entry::type).containsExactly("receive", "set", "reserve");
        assertThat(history.get(1).before()).containsExactly(4, 0, 0, 0);
        assertThat(history.get(1).after()).as("on hand and safety set").containsExactly(6, 0, 0, 1);
        assertThat(history.get(2).after()).containsExactly(6, 2, 0, 1);
    }

    @Test
    void aRejectedCommandIsListedUnderTheSkusItNamedWithoutQuantities()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 1));
        assertThat(apply(c -> c.receive("ghost", "oak", 5).principal("clerk")).reason())
            .isEqualTo(RejectReason.UNKNOWN_SKU);
        assertThat(apply(c -> c.reserve("shop", 600).addLine("a", 1).addLine("b", 1)).reason())
            .isEqualTo(RejectReason.OUT_OF_STOCK);

        final AuditLog.Page ghost = audit.query("ghost", 0, 10);
        assertThat(ghost.entries()).hasSize(1);
        final AuditLog.Entry rejected = ghost.entries().get(0);
        assertThat(rejected.seq()).isEqualTo(7);
        assertThat(rejected.type()).isEqualTo("receive");
        assertThat(rejected.outcome()).isEqualTo("unknown_sku");
        assertThat(rejected.location()).isNull();
        assertThat(rejected.before()).isNull();
        assertThat(rejected.after()).isNull();
        assertThat(rejected.principal()).isEqualTo("clerk");
        assertThat(rejected.detail()).isNull();

        final AuditLog.Page byB = audit.query("b", 0, 10);
        assertThat(sequences(byB)).as("the second line's SKU finds the rejection").containsExactly(8L);
        assertThat(byB.entries().get(0).outcome()).isEqualTo("out_of_stock");
        assertThat(byB.entries().get(0).sku()).isEqualTo("b");

        final AuditLog.Page byA = audit.query("a", 0, 10);
        assertThat(sequences(byA)).containsExactly(6L, 8L);
        assertThat(byA.entries().get(1).outcome()).isEqualTo("out_of_stock");

        final AuditLog.Page everything = all();
        assertThat(sequences(everything)).as("a rejection is one entry, under the first SKU it named")
            .containsExactly(6L, 7L, 8L);
        assertThat(skus(everything)).containsExactly("a", "ghost", "a");
    }

    @Test
    void aPriceListIsFoundByItsSkuWithTheListAsDetail()
    {
        catalog();
        final long saleStart = Instant.parse("2026-03-05T00:00:00Z").toEpochMilli();
        final long saleEnd = Instant.parse("2026-03-06T00:00:00Z").toEpochMilli();
        final Map<String, Price> channels = new LinkedHashMap<>();
        channels.put("shop", new Price(1100, "USD"));
        channels.put("web", new Price(1200, "USD"));
        final PriceSpec spec = new PriceSpec(new Price(1000, "USD"), channels, List.of(
            new SaleSpec(new Price(700, "USD"), saleStart, saleEnd, List.of()),
            new SaleSpec(new Price(800, "USD"), saleEnd, saleEnd + 60_000, List.of("shop", "web"))));
        assertThat(apply(c -> c.definePrices("a", spec).principal("pricing")).accepted()).isTrue();
        assertThat(apply(c -> c.definePrices("ghost", spec)).reason()).isEqualTo(RejectReason.UNKNOWN_SKU);

        final AuditLog.Page byA = audit.query("a", 0, 10);
        assertThat(byA.entries()).hasSize(1);
        final AuditLog.Entry prices = byA.entries().get(0);
        assertThat(prices.seq()).isEqualTo(6);
        assertThat(prices.type()).isEqualTo("define_prices");
        assertThat(prices.sku()).isEqualTo("a");
        assertThat(prices.location()).isNull();
        assertThat(prices.before()).isNull();
        assertThat(prices.outcome()).isEqualTo("accepted");
        assertThat(prices.principal()).isEqualTo("pricing");
        assertThat(prices.detail()).isEqualTo("prices: base 1000 USD, shop 1100, web 1200, "
            + "sale 700 2026-03-05T00:00:00Z..2026-03-06T00:00:00Z every channel, "
            + "sale 800 2026-03-06T00:00:00Z..2026-03-06T00:01:00Z shop+web");

        final AuditLog.Entry rejected = audit.query("ghost", 0, 10).entries().get(0);
        assertThat(rejected.outcome()).isEqualTo("unknown_sku");
        assertThat(rejected.detail()).as("a rejected command has no detail").isNull();
        assertThat(audit.query("b", 0, 10).entries()).isEmpty();
    }

    @Test
    void aCarrierIsListedOnlyWhenTheQueryIsNotAboutOneSku()
    {
        catalog();
        final CarrierSpec ups = new CarrierSpec("UPS", List.of(
            new ServiceSpec("ground", "Ground", LocationSpec.MON_TO_FRI,
                List.of(new ZoneSpec(null, "US", "", 3, 5), new ZoneSpec("oak", "US", "94", 1, 2))),
            new ServiceSpec("air", "Air", 0x7F, List.of(new ZoneSpec(null, "CA", "", 1, 1)))));
        assertThat(apply(c -> c.defineCarrier("ups", ups).principal("ops")).accepted()).isTrue();

        final AuditLog.Page everything = all();
        assertThat(everything.entries()).hasSize(1);
        final AuditLog.Entry carrier = everything.entries().get(0);
        assertThat(carrier.seq()).isEqualTo(6);
        assertThat(carrier.type()).isEqualTo("define_carrier");
        assertThat(carrier.sku()).isNull();
        assertThat(carrier.location()).isNull();
        assertThat(carrier.before()).isNull();
        assertThat(carrier.after()).isNull();
        assertThat(carrier.outcome()).isEqualTo("accepted");
        assertThat(carrier.principal()).isEqualTo("ops");
        assertThat(carrier.detail()).isEqualTo("carrier ups (UPS): ground[*>US 3-5d oak>US94 1-2d] air[*>CA 1-1d]");
        assertThat(audit.query("a", 0, 10).entries()).isEmpty();
    }

    @Test
    void anOrderRecordsWhatWasChargedWhatWasQuotedAndWhatWasPromised()
    {
        catalog();
        apply(c -> c.defineCarrier("ups", new CarrierSpec("UPS", List.of(new ServiceSpec("ground", "Ground",
            LocationSpec.MON_TO_FRI, List.of(new ZoneSpec("oak", "US", "", 1, 2)))))));
        apply(c -> c.receive("a", "oak", 10));
        apply(c -> c.receive("b", "oak", 10));
        final long id = apply(c -> c.reserve("shop", 600).addLine("a", 2).addLine("b", 1)).reservationId();
        final Outcome confirmed = apply(c -> c.confirm(id, "o-1").addQuote("a", "shop", 90, "USD", T0 + 60_000)
            .destination("US", "94110"));
        assertThat(confirmed.accepted()).isTrue();
        assertThat(confirmed.shipmentCount()).isEqualTo(1);
        assertThat(confirmed.shipmentHasPromise(0)).isTrue();
        final String promise = Instant.ofEpochMilli(confirmed.shipmentEarliestMillis(0)) + ".."
            + Instant.ofEpochMilli(confirmed.shipmentLatestMillis(0)) + " order_by "
            + Instant.ofEpochMilli(confirmed.shipmentOrderByMillis(0));
        assertThat(confirmed.shipmentEarliestMillis(0)).isGreaterThan(T0);
        assertThat(confirmed.shipmentLatestMillis(0)).isGreaterThan(confirmed.shipmentEarliestMillis(0));

        final AuditLog.Page confirmation = audit.query(null, 9, 10);
        assertThat(sequences(confirmation)).containsExactly(10L, 10L);
        assertThat(skus(confirmation)).containsExactly("a", "b");
        assertThat(confirmation.entries()).allSatisfy(e ->
        {
            assertThat(e.type()).isEqualTo("confirm");
            assertThat(e.detail()).isEqualTo("order o-1: lines a x2 @ 90 USD (quoted) b x1 @ 250 USD; shipments oak "
                + "ups/ground " + promise + "; to US 94110");
        });
        assertThat(confirmation.entries().get(0).before()).containsExactly(10, 2, 0, 0);
        assertThat(confirmation.entries().get(0).after()).containsExactly(10, 0, 2, 0);

        assertThat(apply(c -> c.order("web", "o-2").addLine("b", 1)).accepted()).isTrue();
        final AuditLog.Entry order = audit.query("b", 10, 10).entries().get(0);
        assertThat(order.type()).isEqualTo("order");
        assertThat(order.detail()).as("no destination, no promise")
            .isEqualTo("order o-2: lines b x1 @ 250 USD; shipments oak no promise");
    }

    @Test
    void anIdempotentRepeatIsNotRecordedTwice()
    {
        catalog();
        final Consumer<Command> receive = c -> c.receive("a", "oak", 5).idempotencyKey("same");
        assertThat(apply(receive).replayed()).isFalse();
        assertThat(apply(receive).replayed()).isTrue();
        final Consumer<Command> prices = c -> c.definePrices("a", PriceSpec.baseOnly(new Price(120, "USD")))
            .idempotencyKey("prices");
        assertThat(apply(prices).replayed()).isFalse();
        assertThat(apply(prices).replayed()).isTrue();
        final Consumer<Command> ghost = c -> c.receive("ghost", "oak", 5).idempotencyKey("ghost");
        assertThat(apply(ghost).accepted()).isFalse();
        final Outcome repeatedRejection = apply(ghost);
        assertThat(repeatedRejection.accepted()).isFalse();
        assertThat(repeatedRejection.replayed()).isTrue();

        assertThat(sequences(all())).containsExactly(6L, 8L, 10L);
        assertThat(audit.query("a", 0, 10).entries().get(1).detail()).isEqualTo("prices: base 120 USD");
        assertThat(audit.lastSequence()).as("the repeats were recorded, just with nothing to list").isEqualTo(11);
    }

    @Test
    void queriesAndCommandsAlreadyRecordedAreNotWrittenAgainAcrossAReopen()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 5));
        final Command query = new Command(8).queryOrder("shop", "o-1").stamp(99, T0 + 99);
        engine.apply(query, outcome, events);
        audit.onApplied(query, outcome, events);
        assertThat(audit.lastSequence()).as("queries are not journaled, not audited").isEqualTo(6);
        audit.close();

        audit = new AuditLog(dir);
        assertThat(audit.lastSequence()).isEqualTo(6);
        // Recovery replays from an older state: a fresh engine sees every command again, the log only the new ones.
        engine = newEngine();
        audit.attach(engine);
        sequence = 0;
        catalog();
        apply(c -> c.receive("a", "oak", 5));
        apply(c -> c.receive("a", "oak", 2));

        assertThat(sequences(all())).containsExactly(6L, 7L);
        assertThat(audit.query("a", 0, 10).entries().get(1).before()).containsExactly(5, 0, 0, 0);
        assertThat(audit.lastSequence()).isEqualTo(7);
    }

    @Test
    void aPageHoldsWholeCommandsAndSaysWhereToContinue()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 5));
        apply(c -> c.receive("b", "oak", 5));
        apply(c -> c.reserve("shop", 600).addLine("a", 1).addLine("b", 1));
        apply(c -> c.receive("a", "oak", 1));

        final AuditLog.Page first = audit.query(null, 0, 2);
        assertThat(sequences(first)).containsExactly(6L, 7L);
        assertThat(first.next()).isEqualTo(7);
        final AuditLog.Page second = audit.query(null, first.next(), 1);
        assertThat(sequences(second)).as("a command's entries are not split over pages").containsExactly(8L, 8L);
        assertThat(second.next()).isEqualTo(8);
        final AuditLog.Page third = audit.query(null, second.next(), 1);
        assertThat(sequences(third)).containsExactly(9L);
        assertThat(third.next()).as("the limit was reached on the last record").isEqualTo(9);
        final AuditLog.Page fourth = audit.query(null, third.next(), 1);
        assertThat(fourth.entries()).isEmpty();
        assertThat(fourth.next()).isEqualTo(-1);

        final AuditLog.Page stopsBeforeTheSplit = audit.query(null, 5, 2);
        assertThat(sequences(stopsBeforeTheSplit)).containsExactly(6L, 7L);
        final AuditLog.Page wouldSplit = audit.query(null, 6, 2);
        assertThat(sequences(wouldSplit)).as("7 fits, 8 would not").containsExactly(7L);
        assertThat(wouldSplit.next()).isEqualTo(7);
        final AuditLog.Page fits = audit.query(null, 6, 3);
        assertThat(sequences(fits)).containsExactly(7L, 8L, 8L);
        assertThat(fits.next()).isEqualTo(8);

        final AuditLog.Page byA = audit.query("a", 0, 2);
        assertThat(sequences(byA)).containsExactly(6L, 8L);
        assertThat(byA.next()).isEqualTo(8);
    }

    @Test
    void aQueryKeepsToItsSequenceAndTimeWindow()
    {
        catalog();
        for (int i = 0; i < 6; i++)
        {
            apply(c -> c.receive("a", "oak", 1));
        }
        // Receives are sequences 6 to 11 at T0 + 6 to T0 + 11.
        final AuditLog.Page bySequence = audit.query("a", 7, 9, Long.MIN_VALUE, Long.MAX_VALUE, 10);
        assertThat(sequences(bySequence)).containsExactly(8L, 9L);
        assertThat(bySequence.next()).isEqualTo(-1);

        final AuditLog.Page byTime = audit.query("a", 0, Long.MAX_VALUE, T0 + 8, T0 + 10, 10);
        assertThat(sequences(byTime)).as("from inclusive, to exclusive").containsExactly(8L, 9L);
        assertThat(byTime.next()).isEqualTo(-1);

        final AuditLog.Page early = audit.query("a", 0, Long.MAX_VALUE, T0 + 10, Long.MAX_VALUE, 10);
        assertThat(sequences(early)).containsExactly(10L, 11L);

        final AuditLog.Page limited = audit.query(null, 0, Long.MAX_VALUE, T0 + 9, Long.MAX_VALUE, 1);
        assertThat(sequences(limited)).containsExactly(9L);
        assertThat(limited.next()).isEqualTo(9);

        final AuditLog.Page none = audit.query("b", 0, Long.MAX_VALUE, T0 + 9, Long.MAX_VALUE, 1);
        assertThat(none.entries()).isEmpty();
        assertThat(none.next()).isEqualTo(-1);
    }

    @Test
    void aDeadLetterIsListedAfterTheCommandItFollowedAndIsNotCountedAsOne()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 5));
        audit.appendDeadLetter("shop", "a", 5, 7, 3, "HTTP 503 from the channel", T0 + 500);
        apply(c -> c.receive("b", "oak", 2));
        audit.appendDeadLetter("web", "b", 2, 8, 4, "timeout", T0 + 600);

        final AuditLog.Page byA = audit.query("a", 0, 10);
        assertThat(byA.entries()).hasSize(2);
        final AuditLog.Entry letter = byA.entries().get(1);
        assertThat(letter.seq()).as("the sequence of the last command recorded").isEqualTo(6);
        assertThat(letter.atMillis()).isEqualTo(T0 + 500);
        assertThat(letter.type()).isEqualTo("dead_letter");
        assertThat(letter.sku()).isEqualTo("a");
        assertThat(letter.location()).isNull();
        assertThat(letter.before()).isNull();
        assertThat(letter.after()).isNull();
        assertThat(letter.outcome()).isEqualTo("dead_letter");
        assertThat(letter.principal()).isEqualTo("sync:shop");
        assertThat(letter.reason()).isEqualTo("HTTP 503 from the channel");
        assertThat(letter.reference()).isEqualTo("channel=shop available=5 version=7 attempts=3");
        assertThat(letter.idempotencyKey()).isNull();
        assertThat(letter.detail()).isNull();

        assertThat(all().entries()).extracting(AuditLog.Entry::type)
            .containsExactly("receive", "dead_letter", "receive", "dead_letter");
        assertThat(audit.query("b", 0, 10).entries()).extracting(AuditLog.Entry::reference)
            .containsExactly(null, "channel=web available=2 version=8 attempts=4");
        assertThat(audit.lastSequence()).isEqualTo(7);
        audit.close();

        audit = new AuditLog(dir);
        audit.attach(engine);
        assertThat(audit.lastSequence()).as("dead letters carry no sequence of their own").isEqualTo(7);
        apply(c -> c.receive("a", "oak", 1));
        assertThat(sequences(audit.query("a", 0, 10))).containsExactly(6L, 6L, 8L);
    }

    @Test
    void theSparseIndexFindsTheStartOfAnyQueryAlsoAfterReopening()
    {
        catalog();
        final int receives = 2 * AuditLog.INDEX_EVERY + 300;
        for (int i = 0; i < receives; i++)
        {
            apply(c -> c.receive("a", "oak", 1));
        }
        final long last = sequence;
        checkStarts(last);
        audit.close();

        audit = new AuditLog(dir);
        assertThat(audit.lastSequence()).isEqualTo(last);
        checkStarts(last);
    }

    private void checkStarts(final long last)
    {
        // Index entries are at records 0, 1024 and 2048: sequences 1, 1025 and 2049.
        for (final long after : new long[] {0, 1, 2, 5, 1023, 1024, 1025, 1026, 2000, 2048, 2049, 2050, last - 2})
        {
            final AuditLog.Page page = audit.query("a", after, 2);
            assertThat(sequences(page)).as("after " + after).containsExactly(Math.max(6, after + 1),
                Math.max(6, after + 1) + 1);
            assertThat(page.entries().get(0).after()[0]).as("on hand after " + after)
                .isEqualTo(Math.max(6, after + 1) - 5);
        }
        assertThat(audit.query("a", last, 2).entries()).isEmpty();
        assertThat(audit.query("a", last + 100, 2).entries()).isEmpty();
    }

    @Test
    void oneQueryScansAtMostMaxScanRecordsAndSaysWhereItStopped()
    {
        catalog();
        final int receives = AuditLog.MAX_SCAN + 10;
        for (int i = 0; i < receives; i++)
        {
            apply(c -> c.receive("a", "oak", 1));
        }

        final AuditLog.Page first = audit.query("b", 0, 10);
        assertThat(first.entries()).isEmpty();
        assertThat(first.next()).as("sequences 1 to MAX_SCAN were scanned").isEqualTo(AuditLog.MAX_SCAN);
        final AuditLog.Page rest = audit.query("b", first.next(), 10);
        assertThat(rest.entries()).isEmpty();
        assertThat(rest.next()).isEqualTo(-1);

        final AuditLog.Page before = audit.query("a", 0, Long.MAX_VALUE, T0 + sequence, Long.MAX_VALUE, 10);
        assertThat(before.entries()).as("records before the time window count as scanned").isEmpty();
        assertThat(before.next()).isEqualTo(AuditLog.MAX_SCAN);
    }
}
