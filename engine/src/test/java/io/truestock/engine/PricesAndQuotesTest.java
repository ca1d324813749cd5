package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Prices through the engine: the effective price (sale, else channel override, else base), price definitions and
 * their rejections, price events at definition and at sale boundaries, the prices a confirmation or a channel order
 * charges (quoted or effective), quote rejections, and prices, carriers and promises across a snapshot.
 */
class PricesAndQuotesTest
{
    private static final long T = 1_800_000_000_000L;

    private EngineDriver d;

    private static EngineConfig config()
    {
        return new EngineConfig().maxSkus(16).maxLocations(4).maxChannels(4);
    }

    @BeforeEach
    void catalog()
    {
        d = new EngineDriver(config(), T);
        d.location("oak", 1);
        d.location("nj", 2);
        d.channel("shopify");
        d.channel("amazon");
        d.channel("woo");
        d.apply(c -> c.defineSku("shoe", SkuSpec.simple("Shoe", 1000, "USD")));
        d.apply(c -> c.defineSku("sock", SkuSpec.simple("Sock", 300, "USD")));
        d.apply(c -> c.defineSku("lace", SkuSpec.simple("Lace", 50, "USD")));
        d.apply(c -> c.defineSku("kit", new SkuSpec("Kit", 1200, "USD", new String[] {"sock", "lace"},
            new long[] {1, 2})));
        d.receive("shoe", "oak", 10);
        d.receive("sock", "oak", 10);
        d.receive("lace", "oak", 20);
    }

    // ---- helpers ----

    private static Price usd(final long amount)
    {
        return new Price(amount, "USD");
    }

    private static SaleSpec sale(final long amount, final long start, final long end, final String... channels)
    {
        return new SaleSpec(usd(amount), start, end, List.of(channels));
    }

    private static PriceSpec spec(final long base, final Map<String, Long> overrides, final SaleSpec... sales)
    {
        final Map<String, Price> channels = new LinkedHashMap<>();
        overrides.forEach((channel, amount) -> channels.put(channel, usd(amount)));
        return new PriceSpec(usd(base), channels, List.of(sales));
    }

    private Outcome definePrices(final String sku, final PriceSpec spec)
    {
        return d.assertAccepted(c -> c.definePrices(sku, spec));
    }

    private long priceAt(final String sku, final String channel, final long at)
    {
        final int ch = channel == null ? -1 : d.engine.channelIndex(channel);
        return d.engine.priceAt(d.engine.skuIndex(sku), ch, at).amountMinor();
    }

    private List<String> pricedEvents()
    {
        final List<String> skus = new ArrayList<>();
        for (int i = 0; i < d.events.pricedCount(); i++)
        {
            skus.add(d.engine.skuId(d.events.pricedSku(i)));
        }
        return skus;
    }

    /** Everything the engine holds, prices and carriers included (EngineState leaves those out). */
    private static List<String> fullState(final EngineDriver driver)
    {
        final List<String> state = new ArrayList<>(driver.state().core());
        state.addAll(driver.state().idempotency());
        for (int s = 0; s < driver.engine.skuCount(); s++)
        {
            state.add("prices " + driver.engine.skuId(s) + ' ' + driver.engine.priceSpec(s));
        }
        state.add("carriers " + driver.engine.carriers());
        return state;
    }

    /** A rejection that raises no event (price events included) and changes nothing, prices and carriers included. */
    private Outcome assertRejected(final RejectReason reason, final Consumer<Command> filler)
    {
        final List<String> before = fullState(d);
        final Outcome out = d.assertRejected(reason, filler);
        assertThat(d.events.pricedCount()).as("price events of a rejected command").isZero();
        assertThat(fullState(d)).isEqualTo(before);
        return out;
    }

    private long reserve(final String channel, final Object... skuQty)
    {
        final Outcome out = d.reserve(channel, 900, skuQty).copy();
        assertThat(out.accepted()).as("%s", d.describe(out)).isTrue();
        return out.reservationId();
    }

    /** Line prices of an order outcome as "sku=amount currency". */
    private List<String> linePrices(final Outcome out)
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < out.lineCount(); i++)
        {
            lines.add(d.engine.skuId(out.lineSku(i)) + '=' + out.linePriceMinor(i) + ' ' + out.lineCurrency(i));
        }
        return lines;
    }

    // ---- effective price ----

    @Test
    void saleBeatsOverrideBeatsBaseLowestSaleWinsSalesKeepToTheirChannelsAndBoundariesAreExactToTheMillisecond()
    {
        definePrices("shoe", spec(1000, Map.of("amazon", 1200L),
            sale(900, T + 1_000, T + 2_000),
            sale(800, T + 1_500, T + 3_000, "shopify"),
            sale(700, T + 5_000, T + 6_000, "amazon"),
            sale(1500, T + 7_000, T + 8_000, "amazon", "woo")));

        final Object[][] table = {
            // channel, instant, effective price
            {"shopify", T, 1000L},
            {"amazon", T, 1200L},
            {"woo", T, 1000L},
            {null, T, 1000L},
            {"shopify", T + 999, 1000L},
            {"amazon", T + 999, 1200L},
            {"shopify", T + 1_000, 900L},
            {"amazon", T + 1_000, 900L},
            {null, T + 1_000, 900L},
            {"shopify", T + 1_499, 900L},
            {"shopify", T + 1_500, 800L},
            {"amazon", T + 1_500, 900L},
            {"woo", T + 1_500, 900L},
            {null, T + 1_500, 900L},
            {"shopify", T + 1_999, 800L},
            {"amazon", T + 1_999, 900L},
            {"amazon", T + 2_000, 1200L},
            {"woo", T + 2_000, 1000L},
            {"shopify", T + 2_000, 800L},
            {"shopify", T + 2_999, 800L},
            {"shopify", T + 3_000, 1000L},
            {"amazon", T + 4_999, 1200L},
            {"amazon", T + 5_000, 700L},
            {"shopify", T + 5_000, 1000L},
            {null, T + 5_000, 1000L},
            {"amazon", T + 6_000, 1200L},
            // a sale beats the override even when it is dearer: the contract says "an active sale, else ..."
            {"amazon", T + 7_000, 1500L},
            {"woo", T + 7_999, 1500L},
            {"shopify", T + 7_500, 1000L},
            {"woo", T + 8_000, 1000L},
        };
        for (final Object[] row : table)
        {
            assertThat(priceAt("shoe", (String)row[0], (Long)row[1]))
                .as("%s at T+%d", row[0], (Long)row[1] - T).isEqualTo(row[2]);
        }
        assertThat(d.engine.priceAt(d.engine.skuIndex("shoe"), 0, T).currency()).isEqualTo("USD");
    }

    @Test
    void priceOfAnUnknownSkuIndexIsNull()
    {
        assertThat(d.engine.priceAt(-1, 0, T)).isNull();
        assertThat(d.engine.priceAt(d.engine.skuCount(), 0, T)).isNull();
        assertThat(d.engine.priceSpec(d.engine.skuCount())).isNull();
    }

    @Test
    void aNewSkuIsPricedAtItsBaseOnEveryChannel()
    {
        final PriceSpec spec = d.engine.priceSpec(d.engine.skuIndex("sock"));
        assertThat(spec).isEqualTo(PriceSpec.baseOnly(usd(300)));
        for (final String channel : new String[] {"shopify", "amazon", "woo", null})
        {
            assertThat(priceAt("sock", channel, T)).isEqualTo(300);
        }
    }

    // ---- definitions ----

    @Test
    void defineSkuChangesTheBaseAndKeepsOverridesAndSales()
    {
        definePrices("shoe", spec(1000, Map.of("amazon", 1200L), sale(900, T + 1_000, T + 2_000, "shopify")));
        d.advanceMillis(10);
        d.assertAccepted(c -> c.defineSku("shoe", SkuSpec.simple("Shoe v2", 1100, "USD")));
        assertThat(pricedEvents()).containsExactly("shoe");
        assertThat(d.engine.priceSpec(d.engine.skuIndex("shoe")))
            .isEqualTo(spec(1100, Map.of("amazon", 1200L), sale(900, T + 1_000, T + 2_000, "shopify")));
        assertThat(priceAt("shoe", "woo", T + 10)).isEqualTo(1100);
        assertThat(priceAt("shoe", "amazon", T + 10)).isEqualTo(1200);
        assertThat(priceAt("shoe", "shopify", T + 1_500)).isEqualTo(900);
        // the sale boundary of the kept sale is still announced
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 1_000);

        d.assertAccepted(c -> c.defineSku("shoe", SkuSpec.simple("Shoe v3", 1100, "USD")));
        assertThat(pricedEvents()).as("a title change is not a price change").isEmpty();
    }

    @Test
    void defineSkuInAnotherCurrencyThanItsPriceListIsRejectedAndChangesNothing()
    {
        definePrices("shoe", spec(1000, Map.of("amazon", 1200L)));
        assertRejected(RejectReason.INVALID_CONFIG, c -> c.defineSku("shoe", SkuSpec.simple("Shoe", 1000, "EUR")));
        // without overrides or sales the currency may change with the base
        d.assertAccepted(c -> c.defineSku("sock", SkuSpec.simple("Sock", 280, "EUR")));
        assertThat(d.engine.priceAt(d.engine.skuIndex("sock"), 0, T).currency()).isEqualTo("EUR");
    }

    @Test
    void aPriceListMixingCurrenciesCannotBeBuilt()
    {
        assertThatThrownBy(() -> new PriceSpec(usd(1), Map.of("amazon", new Price(1, "EUR")), List.of()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PriceSpec(usd(1), Map.of(),
            List.of(new SaleSpec(new Price(1, "EUR"), T, T + 1, List.of()))))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Price(1, "usd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Price(-1, "USD")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Price(Price.MAX_AMOUNT_MINOR + 1, "USD"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sale(1, T, T)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownChannelOrSkuIsRejectedAndChangesNothing()
    {
        definePrices("shoe", spec(1000, Map.of("amazon", 1200L), sale(900, T + 1_000, T + 2_000)));
        final RejectReason unknownChannel = RejectReason.UNKNOWN_CHANNEL;
        assertRejected(unknownChannel, c -> c.definePrices("shoe", spec(1, Map.of("ebay", 2L))));
        assertRejected(unknownChannel, c -> c.definePrices("shoe", spec(1, Map.of(), sale(1, T, T + 5, "ebay"))));
        assertRejected(unknownChannel,
            c -> c.definePrices("shoe", spec(1, Map.of(), sale(1, T, T + 5, "shopify", "ebay"))));
        assertRejected(RejectReason.UNKNOWN_SKU, c -> c.definePrices("boot", spec(1, Map.of())));
        assertRejected(RejectReason.INVALID_CONFIG, c -> c.definePrices("shoe", null));
        assertThat(priceAt("shoe", "amazon", T)).isEqualTo(1200);
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 1_000);
    }

    @Test
    void aPriceListIsReplacedWhole()
    {
        definePrices("shoe", spec(1000, Map.of("amazon", 1200L), sale(900, T + 1_000, T + 2_000)));
        definePrices("shoe", spec(1000, Map.of("woo", 1100L)));
        assertThat(priceAt("shoe", "amazon", T)).isEqualTo(1000);
        assertThat(priceAt("shoe", "woo", T)).isEqualTo(1100);
        assertThat(priceAt("shoe", "shopify", T + 1_500)).isEqualTo(1000);
        assertThat(d.engine.skuSpec(d.engine.skuIndex("shoe")).priceAmountMinor()).isEqualTo(1000);
        definePrices("shoe", spec(1300, Map.of()));
        assertThat(d.engine.skuSpec(d.engine.skuIndex("shoe")).priceAmountMinor())
            .as("the SKU's own price follows the base").isEqualTo(1300);
    }

    // ---- price events ----

    @Test
    void pricesAreAnnouncedWhenDefinedAndAtTheTickThatReachesEachSaleBoundary()
    {
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(Long.MAX_VALUE);
        definePrices("shoe", spec(1000, Map.of(), sale(900, T + 1_000, T + 2_000), sale(800, T + 1_500, T + 4_000)));
        assertThat(pricedEvents()).containsExactly("shoe");
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 1_000);

        d.advanceMillis(999);
        d.tick();
        assertThat(pricedEvents()).as("one millisecond before the start").isEmpty();
        d.advanceMillis(1);
        d.tick();
        assertThat(pricedEvents()).as("at the start").containsExactly("shoe");
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 1_500);
        d.tick();
        assertThat(pricedEvents()).as("announced once").isEmpty();

        d.advanceMillis(500);
        d.tick();
        assertThat(pricedEvents()).containsExactly("shoe");
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 2_000);
        d.advanceMillis(500);
        d.tick();
        assertThat(pricedEvents()).as("at the end of the first sale").containsExactly("shoe");
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 4_000);

        // a tick long after the last boundary announces it, and then there is nothing left to wait for
        d.advanceMillis(60_000);
        d.tick();
        assertThat(pricedEvents()).contains("shoe");
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theNextExpiryIsTheEarlierOfAReservationExpiryAndASaleBoundary()
    {
        definePrices("shoe", spec(1000, Map.of(), sale(900, T + 5_000, T + 9_000)));
        reserve("shopify", "shoe", 1); // expires at T + 900 s
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 5_000);
        definePrices("sock", spec(300, Map.of(), sale(200, T + 3_000, T + 4_000, "amazon")));
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 3_000);
        definePrices("sock", spec(300, Map.of()));
        assertThat(d.engine.nextExpiryMillis()).as("a replaced list's boundaries are forgotten").isEqualTo(T + 5_000);
        definePrices("shoe", spec(1000, Map.of()));
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 900_000);
    }

    @Test
    void aReplacedPriceListsBoundariesAreNotAnnounced()
    {
        definePrices("shoe", spec(1000, Map.of(), sale(900, T + 1_000, T + 2_000)));
        definePrices("shoe", spec(1000, Map.of()));
        d.advanceMillis(1_000);
        d.tick();
        assertThat(pricedEvents()).isEmpty();
        d.advanceMillis(1_000);
        d.tick();
        assertThat(pricedEvents()).isEmpty();
    }

    @Test
    void boundariesOfSeveralSkusAreAnnouncedInOneTick()
    {
        definePrices("shoe", spec(1000, Map.of(), sale(900, T + 1_000, T + 2_000)));
        definePrices("sock", spec(300, Map.of(), sale(200, T + 1_200, T + 2_000, "woo")));
        d.advanceMillis(1_500);
        d.tick();
        assertThat(new TreeSet<>(pricedEvents())).containsExactly("shoe", "sock");
        assertThat(d.engine.nextExpiryMillis()).isEqualTo(T + 2_000);
    }

    // ---- confirmation prices and quotes ----

    @Test
    void confirmChargesLiveQuotedPricesAndTheEffectivePriceAtTheConfirmInstantOtherwise()
    {
        final long id = reserve("shopify", "shoe", 2, "sock", 1, "kit", 1);
        definePrices("shoe", spec(1000, Map.of("shopify", 1100L), sale(700, T + 500, T + 10_000)));
        definePrices("sock", spec(300, Map.of("shopify", 350L)));
        d.advanceMillis(600);
        final Outcome out = d.assertAccepted(c -> c.confirm(id, "o-1").addQuote("shoe", "shopify", 999, "USD", T + 601)
            .addQuote("kit", "shopify", 1111, "USD", T + 5_000));
        assertThat(linePrices(out)).containsExactly("shoe=999 USD", "sock=350 USD", "kit=1111 USD");

        final Outcome again = d.assertAccepted(c -> c.queryOrder("shopify", "o-1"));
        assertThat(linePrices(again)).as("the order keeps what was charged").containsExactly("shoe=999 USD",
            "sock=350 USD", "kit=1111 USD");

        final long second = reserve("shopify", "shoe", 1);
        d.advanceMillis(10);
        final Outcome noQuote = d.assertAccepted(c -> c.confirm(second, "o-2"));
        assertThat(linePrices(noQuote)).as("the sale active at confirmation").containsExactly("shoe=700 USD");
        d.advanceMillis(20_000);
        final long third = reserve("shopify", "shoe", 1);
        assertThat(linePrices(d.assertAccepted(c -> c.confirm(third, "o-3")))).containsExactly("shoe=1100 USD");
    }

    @Test
    void aQuoteExpiringAtOrBeforeTheConfirmInstantIsRejectedAndChangesNothing()
    {
        final long id = reserve("amazon", "shoe", 1);
        d.advanceMillis(1_000);
        final long now = d.now();
        Outcome out = assertRejected(RejectReason.QUOTE_EXPIRED,
            c -> c.confirm(id, "o-1").addQuote("shoe", "amazon", 1, "USD", now));
        assertThat(out.rejectedLine()).isZero();
        out = assertRejected(RejectReason.QUOTE_EXPIRED,
            c -> c.confirm(id, "o-1").addQuote("shoe", "amazon", 1, "USD", now - 60_000));
        assertThat(out.rejectedLine()).isZero();
        assertThat(d.assertAccepted(c -> c.queryReservation(id)).reservationStatus()).isEqualTo(ReservationStatus.HELD);

        final Outcome ok = d.assertAccepted(c -> c.confirm(id, "o-1").addQuote("shoe", "amazon", 1, "USD", now + 1));
        assertThat(linePrices(ok)).containsExactly("shoe=1 USD");
    }

    @Test
    void aQuoteThatDoesNotFitTheReservationIsRejectedAndChangesNothing()
    {
        final long id = reserve("shopify", "shoe", 1, "kit", 1);
        final long later = T + 60_000;
        final Object[][] cases = {
            {"another channel", (Consumer<Command>)c -> c.confirm(id, "o").addQuote("shoe", "amazon", 1, "USD", later),
                0},
            {"a SKU not in the reservation",
                (Consumer<Command>)c -> c.confirm(id, "o").addQuote("shoe", "shopify", 1, "USD", later)
                    .addQuote("sock", "shopify", 1, "USD", later), 1},
            {"a bundle component rather than the line",
                (Consumer<Command>)c -> c.confirm(id, "o").addQuote("lace", "shopify", 1, "USD", later), 0},
            {"the same SKU twice",
                (Consumer<Command>)c -> c.confirm(id, "o").addQuote("kit", "shopify", 1, "USD", later)
                    .addQuote("kit", "shopify", 2, "USD", later), 1},
            {"an unknown SKU",
                (Consumer<Command>)c -> c.confirm(id, "o").addQuote("boot", "shopify", 1, "USD", later), 0},
            {"an unknown channel",
                (Consumer<Command>)c -> c.confirm(id, "o").addQuote("shoe", "ebay", 1, "USD", later), 0},
            {"a malformed currency",
                (Consumer<Command>)c -> c.confirm(id, "o").addQuote("shoe", "shopify", 1, "usd", later), 0},
            {"a negative amount",
                (Consumer<Command>)c -> c.confirm(id, "o").addQuote("shoe", "shopify", -1, "USD", later), 0},
        };
        for (final Object[] row : cases)
        {
            @SuppressWarnings("unchecked")
            final Consumer<Command> filler = (Consumer<Command>)row[1];
            final Outcome out = assertRejected(RejectReason.QUOTE_MISMATCH, filler);
            assertThat(out.rejectedLine()).as("%s", row[0]).isEqualTo(row[2]);
        }
        final Outcome ok = d.assertAccepted(c -> c.confirm(id, "o").addQuote("kit", "shopify", 1, "USD", later));
        assertThat(linePrices(ok)).containsExactly("shoe=1000 USD", "kit=1 USD");
    }

    @Test
    void theFirstBadQuoteDecidesTheRejection()
    {
        final long id = reserve("shopify", "shoe", 1, "sock", 1);
        d.advanceMillis(5);
        final Outcome out = assertRejected(RejectReason.QUOTE_EXPIRED,
            c -> c.confirm(id, "o").addQuote("shoe", "shopify", 1, "USD", T).addQuote("sock", "amazon", 1, "USD", T));
        assertThat(out.rejectedLine()).as("quotes are checked in order").isZero();
    }

    @Test
    void channelOrderLinesCarryTheEffectivePriceOfTheChannel()
    {
        definePrices("shoe", spec(1000, Map.of("amazon", 1200L), sale(900, T + 1_000, T + 2_000, "woo")));
        final Outcome amazon = d.order("amazon", "a-1", "shoe", 1, "kit", 1).copy();
        assertThat(amazon.accepted()).isTrue();
        assertThat(linePrices(amazon)).containsExactly("shoe=1200 USD", "kit=1200 USD");
        d.advanceMillis(1_000);
        final Outcome woo = d.order("woo", "w-1", "shoe", 2).copy();
        assertThat(linePrices(woo)).containsExactly("shoe=900 USD");
        final Outcome backordered = d.order("woo", "w-2", "shoe", 50).copy();
        assertThat(backordered.accepted()).isTrue();
        assertThat(backordered.lineBackordered(0)).isPositive();
        assertThat(linePrices(backordered)).as("a backordered line is priced too").containsExactly("shoe=900 USD");
    }

    // ---- snapshots ----

    private static CarrierSpec ups()
    {
        return new CarrierSpec("UPS", List.of(
            new ServiceSpec("ground", "Ground", LocationSpec.MON_TO_FRI, List.of(
                new ZoneSpec("oak", "US", "9", 1, 3),
                new ZoneSpec(null, "US", "", 3, 6))),
            new ServiceSpec("air", "Air", 0b1111111, List.of(new ZoneSpec("nj", "US", "0", 1, 1)))));
    }

    private static List<Consumer<Command>> tail(final long base)
    {
        final List<Consumer<Command>> commands = new ArrayList<>();
        commands.add(Command::tick);
        commands.add(c -> c.reserve("shopify", 900).addLine("shoe", 1));
        commands.add(c -> c.confirm(3, "after-1").destination("US", "94107"));
        commands.add(c -> c.order("amazon", "after-2").addLine("sock", 1).destination("US", "10001"));
        commands.add(c -> c.definePrices("sock", spec(320, Map.of(), sale(100, base + 40_000, base + 80_000))));
        commands.add(Command::tick);
        commands.add(c -> c.order("woo", "after-3").addLine("sock", 1).addLine("shoe", 1));
        commands.add(c -> c.queryOrder("shopify", "before-1"));
        return commands;
    }

    @Test
    void aSnapshotKeepsPriceListsCarriersAndOrderPricesAndShipments()
    {
        d.receive("shoe", "nj", 5);
        d.apply(c -> c.defineCarrier("ups", ups()));
        definePrices("shoe", spec(1000, Map.of("amazon", 1200L), sale(900, T + 30_000, T + 60_000, "shopify")));
        final long id = reserve("shopify", "shoe", 2);
        d.advanceMillis(100);
        final Outcome confirmed = d.assertAccepted(c -> c.confirm(id, "before-1").destination("US", "94107")
            .addQuote("shoe", "shopify", 950, "USD", T + 10_000));
        assertThat(confirmed.shipmentCount()).isEqualTo(1);
        assertThat(confirmed.shipmentHasPromise(0)).isTrue();
        d.assertAccepted(c -> c.order("amazon", "before-2").addLine("shoe", 1).destination("US", "02139"));
        final long open = reserve("amazon", "sock", 1);
        assertThat(open).isEqualTo(2);

        final byte[] snapshot = EngineSnapshot.capture(d.engine);
        final Engine restored = EngineSnapshot.restore(config(), snapshot, InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(d.engine.digest());
        final EngineDriver r = EngineDriver.resume(restored, d);
        assertThat(fullState(r)).isEqualTo(fullState(d));
        assertThat(restored.nextExpiryMillis()).isEqualTo(d.engine.nextExpiryMillis()).isEqualTo(T + 30_000);
        assertThat(restored.carriers()).isEqualTo(d.engine.carriers());
        for (int s = 0; s < restored.skuCount(); s++)
        {
            assertThat(restored.priceSpec(s)).isEqualTo(d.engine.priceSpec(s));
        }
        assertThat(describeOrder(r, "shopify", "before-1")).isEqualTo(describeOrder(d, "shopify", "before-1"))
            .contains("shoe=950 USD").contains("ups/");
        assertThat(describeOrder(r, "amazon", "before-2")).isEqualTo(describeOrder(d, "amazon", "before-2"))
            .contains("shoe=1200 USD");

        // and both go on alike: the sale starts on both, later confirmations route and price alike
        final List<Consumer<Command>> tail = tail(T);
        for (int i = 0; i < tail.size(); i++)
        {
            final long step = i == 0 ? 30_000 : 7_000;
            d.advanceMillis(step);
            r.advanceMillis(step);
            final Outcome a = d.apply(tail.get(i)).copy();
            final List<String> aPriced = pricedEvents();
            final Outcome b = r.apply(tail.get(i)).copy();
            final List<String> bPriced = new ArrayList<>();
            for (int k = 0; k < r.events.pricedCount(); k++)
            {
                bPriced.add(r.engine.skuId(r.events.pricedSku(k)));
            }
            assertThat(r.describe(b) + shipments(r, b) + linePrices(b))
                .as("step %d", i).isEqualTo(d.describe(a) + shipments(d, a) + linePrices(a));
            assertThat(bPriced).as("price events of step %d", i).isEqualTo(aPriced);
            if (i == 0)
            {
                assertThat(aPriced).as("the sale start after the snapshot").containsExactly("shoe");
            }
            assertThat(r.engine.digest()).as("digest after step %d", i).isEqualTo(d.engine.digest());
        }
        assertThat(fullState(r)).isEqualTo(fullState(d));
    }

    private static String shipments(final EngineDriver driver, final Outcome out)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < out.shipmentCount(); i++)
        {
            sb.append(" ship@").append(driver.engine.locationId(out.shipmentLocation(i))).append(' ')
                .append(out.shipmentCarrier(i)).append('/').append(out.shipmentService(i)).append(' ')
                .append(out.shipmentEarliestMillis(i)).append("..").append(out.shipmentLatestMillis(i))
                .append(" by ").append(out.shipmentOrderByMillis(i));
        }
        return sb.toString();
    }

    private static String describeOrder(final EngineDriver driver, final String channel, final String orderId)
    {
        final Outcome out = driver.apply(c -> c.queryOrder(channel, orderId)).copy();
        assertThat(out.accepted()).isTrue();
        final StringBuilder sb = new StringBuilder(driver.describe(out)).append(shipments(driver, out));
        for (int i = 0; i < out.lineCount(); i++)
        {
            sb.append(' ').append(driver.engine.skuId(out.lineSku(i))).append('=').append(out.linePriceMinor(i))
                .append(' ').append(out.lineCurrency(i));
        }
        return sb.toString();
    }

    // ---- the rule as a property ----

    record SaleCase(long amount, long start, long end, int channelMask)
    {
    }

    record PriceCase(long base, long[] overrides, List<SaleCase> sales, long at, int channel)
    {
    }

    private static Gen<PriceCase> priceCases()
    {
        final Gen<Long> amount = longs().between(0, 5_000);
        final Gen<Long> instant = longs().between(0, 100);
        final Gen<SaleCase> saleCase = amount.zip(instant, longs().between(1, 60), integers().between(0, 7),
            (a, s, len, mask) -> new SaleCase(a, s, s + len, mask));
        final Gen<long[]> overrides = Gens.lists(longs().between(-1, 5_000), 3, 3)
            .map(list -> list.stream().mapToLong(Long::longValue).toArray());
        return amount.zip(overrides, Gens.lists(saleCase, 0, 6), instant, integers().between(-1, 2), PriceCase::new)
            .describedAs(pc -> "PriceCase[base=" + pc.base() + ", overrides=" + Arrays.toString(pc.overrides()) +
                ", sales=" + pc.sales() + ", at=" + pc.at() + ", channel=" + pc.channel() + "]");
    }

    /**
     * The effective price equals the contract's rule, computed here from the case itself: the lowest active sale
     * that applies to the channel (a sale with no channels applies to every channel, and only such a sale to "no
     * channel"), else the override, else the base.
     */
    @Test
    void theEffectivePriceIsTheContractsRule()
    {
        qt().withExamples(300).forAll(priceCases()).checkAssert(PricesAndQuotesTest::effectivePriceIsTheRule);
    }

    private static void effectivePriceIsTheRule(final PriceCase pc)
    {
        final String[] names = {"shopify", "amazon", "woo"};
        final EngineDriver driver = new EngineDriver(config(), T);
        driver.location("oak", 1);
        for (final String name : names)
        {
            driver.channel(name);
        }
        driver.sku("shoe");
        final Map<String, Price> overrides = new LinkedHashMap<>();
        for (int ch = 0; ch < 3; ch++)
        {
            if (pc.overrides()[ch] >= 0)
            {
                overrides.put(names[ch], usd(pc.overrides()[ch]));
            }
        }
        final List<SaleSpec> sales = new ArrayList<>();
        for (final SaleCase s : pc.sales())
        {
            final List<String> channels = new ArrayList<>();
            for (int ch = 0; ch < 3; ch++)
            {
                if ((s.channelMask() & (1 << ch)) != 0)
                {
                    channels.add(names[ch]);
                }
            }
            sales.add(new SaleSpec(usd(s.amount()), T + s.start(), T + s.end(), channels));
        }
        final Outcome out = driver.apply(c -> c.definePrices("shoe", new PriceSpec(usd(pc.base()), overrides, sales)));
        assertThat(out.accepted()).isTrue();

        Long best = null;
        for (final SaleCase s : pc.sales())
        {
            final boolean active = s.start() <= pc.at() && pc.at() < s.end();
            final boolean applies = s.channelMask() == 0 || (pc.channel() >= 0 && (s.channelMask() & (1 << pc.channel())) != 0);
            if (active && applies && (best == null || s.amount() < best))
            {
                best = s.amount();
            }
        }
        final long expected = best != null ? best :
            pc.channel() >= 0 && pc.overrides()[pc.channel()] >= 0 ? pc.overrides()[pc.channel()] : pc.base();
        final int channelIndex = pc.channel() < 0 ? -1 : driver.engine.channelIndex(names[pc.channel()]);
        assertThat(driver.engine.priceAt(driver.engine.skuIndex("shoe"), channelIndex, T + pc.at()).amountMinor())
            .as("%s", pc).isEqualTo(expected);

        // the next boundary after the instant is the first sale start or end strictly after it
        final long expectedNext = pc.sales().stream()
            .flatMapToLong(s -> Arrays.stream(new long[] {s.start(), s.end()}))
            .filter(b -> b > 0).map(b -> T + b).min().orElse(Long.MAX_VALUE);
        assertThat(driver.engine.nextExpiryMillis()).as("next boundary of %s", pc).isEqualTo(expectedNext);
    }
}
