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
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

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

    /** The scan bound holds inside a batch document too: a query stops at it there and the next goes on from it. */
    @Test
    void theScanBoundStopsAQueryInsideABatchDocument()
    {
        audit.close();
        audit = new AuditLog(dir, 4);
        audit.attach(engine);
        catalog();
        audit.writePerRingBatch();
        for (int i = 0; i < 10; i++)
        {
            apply(c -> c.receive("a", "oak", 1));
        }
        audit.onEndOfBatch();

        // Sequences 1 to 5 are the catalog's records, written alone; 6 to 15 share one document.
        final AuditLog.Page first = audit.query("b", 0, 10);
        assertThat(first.entries()).isEmpty();
        assertThat(first.next()).isEqualTo(4);
        final AuditLog.Page second = audit.query("b", first.next(), 10);
        assertThat(second.next()).as("stopped inside the batch document").isEqualTo(8);
        final AuditLog.Page third = audit.query("b", second.next(), 10);
        assertThat(third.next()).isEqualTo(12);
        assertThat(audit.query("b", third.next(), 10).next()).isEqualTo(-1);
        assertThat(sequences(audit.query("a", 7, 3))).containsExactly(8L, 9L, 10L);
    }

    @Test
    void aDeadLetterAfterTheCommandAPageEndedOnIsOnTheNextPage()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 5));
        audit.appendDeadLetter("shop", "a", 5, 7, 3, "HTTP 503", T0 + 500);
        apply(c -> c.receive("a", "oak", 2));
        final List<String> unpaged = describe(audit.query("a", 0, 10).entries());
        assertThat(unpaged).hasSize(3);

        final AuditLog.Page first = audit.query("a", 0, 1);
        assertThat(sequences(first)).containsExactly(6L);
        assertThat(first.next()).as("the cursor is still the command's sequence").isEqualTo(6);
        final AuditLog.Page second = audit.query("a", first.next(), 10);
        assertThat(second.entries()).extracting(AuditLog.Entry::type).containsExactly("dead_letter", "receive");
        assertThat(sequences(second)).containsExactly(6L, 7L);
        assertThat(second.next()).isEqualTo(-1);
        assertThat(describe(concat(first, second))).isEqualTo(unpaged);
    }

    @Test
    void aPageThatEndsOnADeadLetterContinuesRightAfterIt()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 5));
        audit.appendDeadLetter("shop", "a", 5, 7, 3, "HTTP 503", T0 + 500);
        audit.appendDeadLetter("web", "a", 5, 7, 3, "timeout", T0 + 501);
        apply(c -> c.receive("a", "oak", 2));

        final AuditLog.Page first = audit.query("a", 0, 2);
        assertThat(first.entries()).extracting(AuditLog.Entry::type).containsExactly("receive", "dead_letter");
        assertThat(first.next()).as("the first dead letter's cursor").isEqualTo(AuditLog.LETTER_CURSOR);
        final AuditLog.Page second = audit.query("a", first.next(), 1);
        assertThat(second.entries()).extracting(AuditLog.Entry::reason).containsExactly("timeout");
        assertThat(second.next()).isEqualTo(AuditLog.LETTER_CURSOR + 1);
        final AuditLog.Page third = audit.query("a", second.next(), 1);
        assertThat(sequences(third)).containsExactly(7L);
        assertThat(third.next()).isEqualTo(7);
        assertThat(audit.query("a", third.next(), 1).entries()).isEmpty();
        assertThat(describe(concat(first, second, third))).isEqualTo(describe(audit.query("a", 0, 10).entries()));

        audit.close();
        audit = new AuditLog(dir);
        assertThat(audit.query("a", first.next(), 1).entries()).as("a cursor outlives a reopen")
            .extracting(AuditLog.Entry::reason).containsExactly("timeout");
    }

    @Test
    void aScanThatStopsJustBeforeADeadLetterLeavesItForTheNextPage()
    {
        audit.close();
        audit = new AuditLog(dir, 6);
        audit.attach(engine);
        catalog();
        apply(c -> c.receive("a", "oak", 5));
        audit.appendDeadLetter("shop", "a", 5, 7, 3, "HTTP 503", T0 + 500);
        apply(c -> c.receive("a", "oak", 2));

        final AuditLog.Page first = audit.query("a", 0, 10);
        assertThat(sequences(first)).as("six records scanned").containsExactly(6L);
        assertThat(first.next()).isEqualTo(6);
        final AuditLog.Page second = audit.query("a", first.next(), 10);
        assertThat(second.entries()).extracting(AuditLog.Entry::type).containsExactly("dead_letter", "receive");
        assertThat(second.next()).isEqualTo(-1);
    }

    @Test
    void aDeadLetterWrittenBeforeTheFirstCommandIsListedFromTheStart()
    {
        audit.appendDeadLetter("shop", "a", 0, 1, 3, "HTTP 503", T0);
        catalog();
        apply(c -> c.receive("a", "oak", 5));

        final AuditLog.Page everything = all();
        assertThat(everything.entries()).extracting(AuditLog.Entry::type).containsExactly("dead_letter", "receive");
        assertThat(everything.entries().get(0).seq()).isZero();
        assertThat(sequences(audit.query("a", 0, 10))).containsExactly(0L, 6L);
        assertThat(sequences(audit.query("a", 1, 10))).as("after command 1").containsExactly(6L);
        final AuditLog.Page first = audit.query("a", 0, 1);
        assertThat(first.entries()).extracting(AuditLog.Entry::type).containsExactly("dead_letter");
        assertThat(sequences(audit.query("a", first.next(), 1))).containsExactly(6L);
    }

    @Test
    void aCursorThatIsNeitherASequenceNorADeadLetterOfThisTrailIsRefused()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 5));
        audit.appendDeadLetter("shop", "a", 5, 7, 3, "HTTP 503", T0 + 500);
        final long position = audit.query("a", 0, 2).next();
        assertThat(position).isEqualTo(AuditLog.LETTER_CURSOR);
        assertThat(audit.query("a", position, 10).entries()).isEmpty();
        assertThat(audit.query("a", position, 10).next()).isEqualTo(-1);
        assertThat(audit.query("a", AuditLog.LETTER_CURSOR - 1, 10).entries()).as("a sequence beyond the last")
            .isEmpty();

        for (final long bad : new long[] {position + 1, position + 1_000_000, 2 * AuditLog.LETTER_CURSOR,
            Long.MAX_VALUE})
        {
            assertThatThrownBy(() -> audit.query("a", bad, 10)).as("after " + bad)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after " + bad);
        }
        assertThatThrownBy(() -> audit.query("a", -1, 10)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("negative");
        assertThatThrownBy(() -> audit.query("a", 0, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("limit");
        assertThatThrownBy(() -> new AuditLog(dir.resolve("other"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deadLettersWrittenWhileCommandsArriveStayInSequenceOrderAndPageWithoutLoss() throws Exception
    {
        catalog();
        final int letters = 1000;
        final int receives = 2500;
        final Thread sync = new Thread(() ->
        {
            for (int i = 0; i < letters; i++)
            {
                audit.appendDeadLetter("shop", "a", i, i, 1, "letter " + i, T0);
            }
        });
        sync.start();
        for (int i = 0; i < receives; i++)
        {
            apply(c -> c.receive("a", "oak", 1));
        }
        sync.join();

        final AuditLog.Page everything = audit.query("a", 0, letters + receives + 1);
        assertThat(everything.next()).isEqualTo(-1);
        final List<AuditLog.Entry> unpaged = everything.entries();
        assertThat(unpaged).hasSize(letters + receives);
        assertThat(unpaged.stream().filter(e -> e.type().equals("dead_letter")).count()).isEqualTo(letters);
        for (int i = 1; i < unpaged.size(); i++)
        {
            assertThat(unpaged.get(i).seq()).as("entry " + i).isGreaterThanOrEqualTo(unpaged.get(i - 1).seq());
        }
        for (final int pageSize : new int[] {2, 7})
        {
            assertThat(describe(pageThrough(audit, "a", Long.MIN_VALUE, Long.MAX_VALUE, pageSize)))
                .as("pages of " + pageSize).isEqualTo(describe(unpaged));
        }
        audit.close();
        audit = new AuditLog(dir);
        assertThat(describe(pageThrough(audit, "a", Long.MIN_VALUE, Long.MAX_VALUE, 5)))
            .as("with the indices rebuilt").isEqualTo(describe(unpaged));
    }

    @Test
    void manyDeadLettersBetweenTwoCommandsPageAcrossTheDeadLetterIndex()
    {
        catalog();
        apply(c -> c.receive("a", "oak", 1));
        final int letters = 3 * AuditLog.INDEX_EVERY + 5;
        for (int i = 0; i < letters; i++)
        {
            audit.appendDeadLetter("shop", "a", i, i, 1, "letter " + i, T0 + 10);
        }
        apply(c -> c.receive("a", "oak", 1));
        final List<String> unpaged = describe(audit.query("a", 0, letters + 10).entries());
        assertThat(unpaged).hasSize(letters + 2);
        assertThat(describe(pageThrough(audit, "a", Long.MIN_VALUE, Long.MAX_VALUE, 100))).isEqualTo(unpaged);
        assertThat(describe(pageThrough(audit, null, Long.MIN_VALUE, Long.MAX_VALUE, 1000))).isEqualTo(unpaged);
        final AuditLog.Page deep = audit.query("a", AuditLog.LETTER_CURSOR + 2 * AuditLog.INDEX_EVERY + 7, 1);
        assertThat(deep.entries()).extracting(AuditLog.Entry::reason)
            .containsExactly("letter " + (2 * AuditLog.INDEX_EVERY + 8));
        audit.close();
        audit = new AuditLog(dir);
        assertThat(audit.query("a", AuditLog.LETTER_CURSOR + 2 * AuditLog.INDEX_EVERY + 7, 1).entries())
            .extracting(AuditLog.Entry::reason).containsExactly("letter " + (2 * AuditLog.INDEX_EVERY + 8));
        assertThat(describe(pageThrough(audit, "a", Long.MIN_VALUE, Long.MAX_VALUE, 77))).isEqualTo(unpaged);
    }

    @Test
    void pagingWithTheReturnedCursorListsWhatOneUnpagedQueryLists()
    {
        final AtomicInteger examples = new AtomicInteger();
        final Gen<List<Integer>> steps = SourceDSL.lists().of(integers().between(0, STEP_KINDS - 1))
            .ofSizeBetween(0, 30);
        qt().withExamples(150).forAll(steps, integers().between(0, 2), integers().between(1, 4),
            integers().between(0, 4 * 3 * 3 - 1)).checkAssert((list, leading, pageSize, settings) ->
                pagingMatches(dir.resolve("example-" + examples.incrementAndGet()), list, leading, pageSize,
                    settings, 0));
    }

    /**
     * The same with the records of each ring batch (of 1 to 5 commands) written as one document: paging through
     * batch documents, with scan bounds that stop inside them, lists what one unpaged query lists, and the commands
     * listed are those a trail written a record at a time lists.
     */
    @Test
    void pagingThroughBatchDocumentsListsWhatOneUnpagedQueryListsAndWhatRecordsAloneList()
    {
        final AtomicInteger examples = new AtomicInteger();
        final Gen<List<Integer>> steps = SourceDSL.lists().of(integers().between(0, STEP_KINDS - 1))
            .ofSizeBetween(0, 30);
        qt().withExamples(150).forAll(steps, integers().between(0, 2), integers().between(1, 4),
            integers().between(0, 4 * 3 * 3 * 5 - 1)).checkAssert((list, leading, pageSize, settings) ->
            {
                final Path example = dir.resolve("batched-" + examples.incrementAndGet());
                final List<AuditLog.Entry> batched = pagingMatches(example.resolve("batched"), list, leading,
                    pageSize, settings % (4 * 3 * 3), 1 + settings / (4 * 3 * 3));
                final List<AuditLog.Entry> alone = pagingMatches(example.resolve("alone"), list, leading, pageSize,
                    settings % (4 * 3 * 3), 0);
                assertThat(describe(commandsOnly(batched))).isEqualTo(describe(commandsOnly(alone)));
            });
    }

    private static List<AuditLog.Entry> commandsOnly(final List<AuditLog.Entry> entries)
    {
        return entries.stream().filter(e -> !e.type().equals("dead_letter")).toList();
    }

    @Test
    void aBatchIsWrittenAtItsEndAsOneDocumentAndReadBackAfterReopening()
    {
        catalog();
        audit.writePerRingBatch();
        apply(c -> c.receive("a", "oak", 5));
        apply(c -> c.receive("b", "oak", 7).reason("restock"));
        assertThat(audit.lastSequence()).as("nothing written before the batch ends").isEqualTo(5);
        assertThat(all().entries()).isEmpty();
        audit.onEndOfBatch();
        audit.onEndOfBatch();
        assertThat(audit.lastSequence()).isEqualTo(7);
        apply(c -> c.receive("a", "oak", 1));
        audit.onEndOfBatch();
        assertThat(sequences(all())).containsExactly(6L, 7L, 8L);
        assertThat(audit.query("b", 0, 10).entries()).singleElement()
            .satisfies(e -> assertThat(e.reason()).isEqualTo("restock"));
        audit.close();
        audit = new AuditLog(dir);
        audit.attach(engine);
        assertThat(audit.lastSequence()).isEqualTo(8);
        assertThat(sequences(all())).containsExactly(6L, 7L, 8L);
        assertThat(sequences(audit.query(null, 6, 10))).containsExactly(7L, 8L);
        assertThat(audit.query("a", 0, 10).entries()).extracting(e -> e.after()[0]).containsExactly(5L, 6L);
    }

    /** Receive a, receive b, reserve a and b, reject ghost, dead letter for a, dead letter for b. */
    private static final int STEP_KINDS = 6;
    private static final String[] QUERY_SKUS = {null, "a", "b", "ghost"};

    /**
     * Writes {@code leading} dead letters before the catalog, then the steps; pages through the trail with pages of
     * {@code pageSize} and a scan bound of 1 to 3, and compares with one unpaged query of a log reopened with the
     * default bound. {@code settings} picks the SKU, the scan bound and the time window.
     */
    private List<AuditLog.Entry> pagingMatches(final Path exampleDir, final List<Integer> steps, final int leading,
        final int pageSize, final int settings, final int batchSize)
    {
        final String sku = QUERY_SKUS[settings % QUERY_SKUS.length];
        final int maxScan = 1 + settings / QUERY_SKUS.length % 3;
        final int window = settings / (QUERY_SKUS.length * 3);
        final long fromMillis = window == 1 ? T0 + 8 : Long.MIN_VALUE;
        final long toMillis = window == 2 ? T0 + 20 : Long.MAX_VALUE;
        final Engine writer = newEngine();
        final Command step = new Command(8);
        final Outcome stepOutcome = new Outcome();
        final Events stepEvents = new Events();
        final long[] seq = {0};
        final List<AuditLog.Entry> paged;
        try (AuditLog log = new AuditLog(exampleDir, maxScan))
        {
            log.attach(writer);
            if (batchSize > 0)
            {
                log.writePerRingBatch();
            }
            final Consumer<Consumer<Command>> run = build ->
            {
                build.accept(step.clear());
                seq[0]++;
                step.stamp(seq[0], T0 + seq[0]);
                writer.apply(step, stepOutcome, stepEvents);
                log.onApplied(step, stepOutcome, stepEvents);
                if (batchSize > 0 && seq[0] % batchSize == 0)
                {
                    log.onEndOfBatch();
                }
            };
            for (int i = 0; i < leading; i++)
            {
                log.appendDeadLetter("shop", i % 2 == 0 ? "a" : "b", 0, i, 1, "early " + i, T0);
            }
            run.accept(c -> c.defineLocation("oak", new LocationSpec("Oakland", "UTC", "US", "94607", 1,
                23 * 60 + 59, 0, LocationSpec.MON_TO_FRI, new int[0])));
            run.accept(c -> c.defineChannel("shop", ChannelSpec.named("Shop")));
            run.accept(c -> c.defineSku("a", SkuSpec.simple("A", 100, "USD")));
            run.accept(c -> c.defineSku("b", SkuSpec.simple("B", 250, "USD")));
            int letter = 0;
            for (final int kind : steps)
            {
                switch (kind)
                {
                    case 0 -> run.accept(c -> c.receive("a", "oak", 3));
                    case 1 -> run.accept(c -> c.receive("b", "oak", 3));
                    case 2 -> run.accept(c -> c.reserve("shop", 600).addLine("a", 1).addLine("b", 1));
                    case 3 -> run.accept(c -> c.receive("ghost", "oak", 1));
                    default ->
                    {
                        letter++;
                        // Times around the commands' own, some inside the window and some out.
                        log.appendDeadLetter("shop", kind == 4 ? "a" : "b", letter, letter, 2, "letter " + letter,
                            T0 + seq[0] + (letter % 5) * 4 - 6);
                    }
                }
            }
            log.onEndOfBatch();
            paged = pageThrough(log, sku, fromMillis, toMillis, pageSize);
        }
        try (AuditLog reopened = new AuditLog(exampleDir))
        {
            final AuditLog.Page unpaged = reopened.query(sku, 0, Long.MAX_VALUE, fromMillis, toMillis, 10_000);
            assertThat(unpaged.next()).isEqualTo(-1);
            assertThat(describe(paged)).as("sku %s, pages of %d, scan bound %d, window %d, batches of %d, steps %s",
                sku, pageSize, maxScan, window, batchSize, steps).isEqualTo(describe(unpaged.entries()));
        }
        return paged;
    }

    /** Every entry, a page at a time, each page continuing from the cursor the one before returned. */
    private static List<AuditLog.Entry> pageThrough(
        final AuditLog log, final String sku, final long fromMillis, final long toMillis, final int pageSize)
    {
        final List<AuditLog.Entry> entries = new ArrayList<>();
        long cursor = 0;
        for (int pages = 0; pages < 1_000_000; pages++)
        {
            final AuditLog.Page page = log.query(sku, cursor, Long.MAX_VALUE, fromMillis, toMillis, pageSize);
            entries.addAll(page.entries());
            if (page.next() < 0)
            {
                return entries;
            }
            assertThat(page.next()).as("a page moves the cursor").isNotEqualTo(cursor);
            cursor = page.next();
        }
        throw new AssertionError("paging did not end");
    }

    private static List<AuditLog.Entry> concat(final AuditLog.Page... pages)
    {
        final List<AuditLog.Entry> entries = new ArrayList<>();
        for (final AuditLog.Page page : pages)
        {
            entries.addAll(page.entries());
        }
        return entries;
    }

    /** Entries as comparable text (their arrays compare by identity). */
    private static List<String> describe(final List<AuditLog.Entry> entries)
    {
        return entries.stream().map(e -> e.seq() + " " + e.atMillis() + " " + e.type() + " " + e.sku() + " "
            + e.location() + " " + Arrays.toString(e.before()) + " " + Arrays.toString(e.after()) + " " + e.outcome()
            + " " + e.principal() + " " + e.reason() + " " + e.reference() + " " + e.detail()).toList();
    }
}
