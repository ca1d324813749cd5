package io.truestock.engine.price;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PriceList} with channels whose indexes come in another order than the sale names them. */
class PriceListTest
{
    private static final ToIntFunction<String> CHANNELS = name -> switch (name)
    {
        case "a" -> 0;
        case "b" -> 1;
        case "c" -> 2;
        default -> -1;
    };

    @Test
    void aSaleAppliesToEveryChannelItNamesWhateverTheOrder()
    {
        final Price base = new Price(100, "EUR");
        final Price sale = new Price(60, "EUR");
        final PriceList list = new PriceList(
            new PriceSpec(base, Map.of(), List.of(new SaleSpec(sale, 10, 20, List.of("c", "b", "a")))), CHANNELS);
        for (int channel = 0; channel < 3; channel++)
        {
            assertThat(list.effective(channel, 15)).as("channel %d", channel).isEqualTo(sale);
            assertThat(list.effective(channel, 20)).as("channel %d after the end", channel).isEqualTo(base);
        }
        assertThat(list.effective(-1, 15)).as("no channel").isEqualTo(base);
    }

    @Test
    void theFirstUnknownChannelIsNamedWhetherOverriddenOrOnSale()
    {
        final Price base = new Price(100, "EUR");
        assertThat(PriceList.firstUnknownChannel(
            new PriceSpec(base, Map.of("x", new Price(90, "EUR")), List.of()), CHANNELS)).isEqualTo("x");
        assertThat(PriceList.firstUnknownChannel(
            new PriceSpec(base, Map.of("a", new Price(90, "EUR")),
                List.of(new SaleSpec(new Price(80, "EUR"), 0, 1, List.of("b", "y")))), CHANNELS)).isEqualTo("y");
        assertThat(PriceList.firstUnknownChannel(
            new PriceSpec(base, Map.of("a", new Price(90, "EUR")), List.of()), CHANNELS)).isNull();
    }
}
