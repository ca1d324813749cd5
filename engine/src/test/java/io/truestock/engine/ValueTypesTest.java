package io.truestock.engine;

import io.truestock.engine.price.Price;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's small value types read at their edges: equality of the specs field by field, the ordinal lookups at
 * both ends, an unknown registry id, the currency grammar and the available quantity of a record.
 */
class ValueTypesTest
{
    @Test
    void stockImportSpecsAreEqualExactlyWhenEveryRowAndTheCurrencyAre()
    {
        final StockImportSpec spec = importSpec("s", "l", 5, "t", "EUR");
        assertThat(spec).isEqualTo(importSpec("s", "l", 5, "t", "EUR"));
        assertThat(spec.hashCode()).isEqualTo(importSpec("s", "l", 5, "t", "EUR").hashCode());
        assertThat(spec).isNotEqualTo("s");
        assertThat(spec).isNotEqualTo(importSpec("x", "l", 5, "t", "EUR"));
        assertThat(spec).isNotEqualTo(importSpec("s", "x", 5, "t", "EUR"));
        assertThat(spec).isNotEqualTo(importSpec("s", "l", 6, "t", "EUR"));
        assertThat(spec).isNotEqualTo(importSpec("s", "l", 5, "x", "EUR"));
        assertThat(spec).isNotEqualTo(importSpec("s", "l", 5, "t", "USD"));
        assertThat(spec.hashCode()).isNotEqualTo(importSpec("x", "l", 5, "t", "EUR").hashCode());
    }

    @Test
    void skuSpecsAreEqualExactlyWhenEveryFieldIs()
    {
        final SkuSpec bundle = new SkuSpec("t", 100, "EUR", new String[] {"a"}, new long[] {2});
        assertThat(bundle).isEqualTo(new SkuSpec("t", 100, "EUR", new String[] {"a"}, new long[] {2}));
        assertThat(bundle).isNotEqualTo("t");
        assertThat(bundle).isNotEqualTo(new SkuSpec("x", 100, "EUR", new String[] {"a"}, new long[] {2}));
        assertThat(bundle).isNotEqualTo(new SkuSpec("t", 101, "EUR", new String[] {"a"}, new long[] {2}));
        assertThat(bundle).isNotEqualTo(new SkuSpec("t", 100, "USD", new String[] {"a"}, new long[] {2}));
        assertThat(bundle).isNotEqualTo(new SkuSpec("t", 100, "EUR", new String[] {"b"}, new long[] {2}));
        assertThat(bundle).isNotEqualTo(new SkuSpec("t", 100, "EUR", new String[] {"a"}, new long[] {3}));
        assertThat(bundle.hashCode()).isNotEqualTo(SkuSpec.simple("t", 100, "EUR").hashCode());
    }

    @Test
    void locationSpecsAreEqualExactlyWhenEveryFieldIs()
    {
        final LocationSpec spec = LocationSpec.named("a");
        assertThat(spec).isEqualTo(LocationSpec.named("a"));
        assertThat(spec).isNotEqualTo("a");
        assertThat(spec).isNotEqualTo(LocationSpec.named("b"));
        assertThat(spec).isNotEqualTo(spec.withPriority(7));
        assertThat(spec).isNotEqualTo(new LocationSpec("a", "UTC", "", "", 100, 23 * 60 + 59, 0,
            LocationSpec.MON_TO_FRI, new int[] {20_000}));
        assertThat(spec.hashCode()).isNotEqualTo(spec.withPriority(7).hashCode());
    }

    @Test
    void commandTypesAndRejectReasonsAreLookedUpByOrdinalAtBothEnds()
    {
        final CommandType[] types = CommandType.values();
        assertThat(CommandType.of(0)).isSameAs(types[0]);
        assertThat(CommandType.of(types.length - 1)).isSameAs(types[types.length - 1]);
        assertThatThrownBy(() -> CommandType.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandType.of(types.length)).isInstanceOf(IllegalArgumentException.class);

        final RejectReason[] reasons = RejectReason.values();
        assertThat(RejectReason.of(0)).isSameAs(reasons[0]);
        assertThat(RejectReason.of(reasons.length - 1)).isSameAs(reasons[reasons.length - 1]);
        assertThatThrownBy(() -> RejectReason.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RejectReason.of(reasons.length)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRegistryAnswersMinusOneForNullAndForAnUnknownId()
    {
        final Registry registry = new Registry(2);
        registry.add("a");
        registry.add("b");
        assertThat(registry.indexOf("b")).isEqualTo(1);
        assertThat(registry.indexOf(null)).isEqualTo(-1);
        assertThat(registry.indexOf("c")).isEqualTo(-1);
    }

    @Test
    void currencyCodesAreThreeLettersFromAToZ()
    {
        assertThat(Price.isCurrencyCode("AZA")).isTrue();
        assertThat(Price.isCurrencyCode("ZAZ")).isTrue();
        assertThat(Price.isCurrencyCode("@AA")).isFalse();
        assertThat(Price.isCurrencyCode("AA[")).isFalse();
        assertThat(Price.isCurrencyCode("eur")).isFalse();
        assertThat(Price.isCurrencyCode("EU")).isFalse();
        assertThat(Price.isCurrencyCode(null)).isFalse();
    }

    @Test
    void availableSubtractsReservedCommittedAndSafetyAndStopsAtZero()
    {
        final StockView view = new StockView();
        view.set(100, 10, 20, 30, 1);
        assertThat(view.available()).isEqualTo(40);
        view.set(100, 50, 30, 30, 2);
        assertThat(view.available()).isZero();
    }

    private static StockImportSpec importSpec(
        final String sku, final String location, final long onHand, final String title, final String currency)
    {
        return new StockImportSpec(
            new String[] {sku}, new String[] {location}, new long[] {onHand}, new String[] {title}, currency);
    }
}
