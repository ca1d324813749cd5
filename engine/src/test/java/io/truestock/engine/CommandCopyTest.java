package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ring hands a command from slot to slot with {@link Command#copyFrom} and reuses slots with
 * {@link Command#clear}: a copy carries every field a producer set (the journal writes what the copy says), and a
 * cleared slot carries nothing of its previous command.
 */
class CommandCopyTest
{
    @Test
    void aCopyCarriesEveryFieldAndForgetsWhatTheSlotHeldBefore()
    {
        final Command source = full(new Command(4));
        final Command slot = new Command(4);
        slot.order("other", "o-old").addLine("x", 1).addLine("y", 2).addLine("z", 3)
            .addQuote("x", "other", 1, "EUR", 1).addQuote("y", "other", 2, "EUR", 2);

        slot.copyFrom(source);

        assertThat(fields(slot)).isEqualTo(fields(source));
        assertThat(slot.fingerprint()).isEqualTo(source.fingerprint());
    }

    @Test
    void aClearedCommandCarriesNothing()
    {
        final Command command = full(new Command(4));
        command.clear();
        assertThat(fields(command)).isEqualTo(fields(new Command(4)));
        assertThat(command.lineCapacity()).isEqualTo(4);
    }

    @Test
    void linesAndQuotesStopAtTheCapacity()
    {
        final Command command = new Command(2).reserve("web", 60).addLine("a", 1).addLine("b", 2);
        assertThatThrownBy(() -> command.addLine("c", 3)).isInstanceOf(IllegalStateException.class);
        command.addQuote("a", "web", 100, "USD", 5).addQuote("b", "web", 200, "USD", 6);
        assertThatThrownBy(() -> command.addQuote("c", "web", 300, "USD", 7)).isInstanceOf(IllegalStateException.class);
        assertThat(command.lineCount()).isEqualTo(2);
        assertThat(command.quoteCount()).isEqualTo(2);

        command.clear();
        assertThat(fields(command)).isEqualTo(fields(new Command(2)));
    }

    @Test
    void aSlotGrowsToItsCapacityForALargeCommandAndGivesTheRoomBackWhenCleared()
    {
        final Command command = new Command(100);
        assertThat(command.lineRoom()).isEqualTo(Command.RETAINED_LINES);
        command.reserve("web", 60);
        for (int i = 0; i < 100; i++)
        {
            command.addLine("sku-" + i, i + 1);
            command.addQuote("sku-" + i, "web", 100 + i, "USD", 1_000 + i);
        }
        assertThatThrownBy(() -> command.addLine("one-more", 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> command.addQuote("one-more", "web", 1, "USD", 1))
            .isInstanceOf(IllegalStateException.class);
        assertThat(command.lineRoom()).isEqualTo(100);
        for (int i = 0; i < 100; i++)
        {
            assertThat(command.lineSku(i)).isEqualTo("sku-" + i);
            assertThat(command.lineQuantity(i)).isEqualTo(i + 1);
            assertThat(command.quoteSku(i)).isEqualTo("sku-" + i);
            assertThat(command.quoteAmountMinor(i)).isEqualTo(100 + i);
            assertThat(command.quoteExpiresAtMillis(i)).isEqualTo(1_000 + i);
        }
        final Command copy = new Command(100);
        copy.copyFrom(command);
        assertThat(fields(copy)).isEqualTo(fields(command));

        command.clear();
        assertThat(command.lineRoom()).isEqualTo(Command.RETAINED_LINES);
        assertThat(command.lineCapacity()).isEqualTo(100);
        assertThat(fields(command)).isEqualTo(fields(new Command(100)));
    }

    @Test
    void everyBuilderReturnsTheCommandItFilledSoThatCallsChain()
    {
        final Command c = new Command(2);
        assertThat(c.tick()).isSameAs(c);
        assertThat(c.cancel("web", "o-1")).isSameAs(c);
        assertThat(c.ship("web", "o-1")).isSameAs(c);
        assertThat(c.set("shoe", "east", 1, Command.ABSENT, Command.ABSENT)).isSameAs(c);
        assertThat(c.type(CommandType.TICK)).isSameAs(c);
        assertThat(c.orderId("o-2")).isSameAs(c);
        assertThat(c.reservationId(9)).isSameAs(c);
        assertThat(c.type()).isEqualTo(CommandType.TICK);
        assertThat(c.orderId()).isEqualTo("o-2");
        assertThat(c.reservationId()).isEqualTo(9);

        final StockImportSpec rows = new StockImportSpec(
            new String[]{"shoe"}, new String[]{"east"}, new long[]{1}, new String[]{"Shoe"}, "USD");
        assertThat(c.queryOrder("web", "o-3")).isSameAs(c);
        assertThat(c.type()).isEqualTo(CommandType.QUERY_ORDER);
        assertThat(c.importStock(rows)).isSameAs(c);
        assertThat(c.stockImport()).isSameAs(rows);
        assertThat(c.clear().stockImport(rows)).isSameAs(c);
        assertThat(c.stockImport()).isSameAs(rows);
    }

    private static Command full(final Command c)
    {
        return c.confirm(7, "o-1").channel("web").sku("shoe").location("east").quantity(5).expected(4).safety(3)
            .ttlSeconds(60).principal("key-1").idempotencyKey("idem-1").reason("why").reference("ref")
            .destination("DE", "10115").carrier("dhl").service("express")
            .priceSpec(PriceSpec.baseOnly(new Price(1200, "EUR"))).carrierSpec(new CarrierSpec("DHL", List.of()))
            .locationSpec(LocationSpec.named("East")).channelSpec(ChannelSpec.named("Web", "east"))
            .skuSpec(SkuSpec.simple("Shoe", 1200, "EUR"))
            .addLine("shoe", 2).addLine("lace", 1)
            .addQuote("shoe", "web", 1100, "EUR", 1_900_000_000_000L)
            .stamp(42, 1_800_000_000_000L);
    }

    /** Every field a command exposes, in order. */
    private static List<Object> fields(final Command c)
    {
        final List<Object> all = new ArrayList<>(List.of(
            String.valueOf(c.type()), c.sequence(), c.timestampMillis(), String.valueOf(c.principal()),
            String.valueOf(c.idempotencyKey()), String.valueOf(c.reason()), String.valueOf(c.reference()),
            String.valueOf(c.sku()), String.valueOf(c.location()), String.valueOf(c.channel()), c.quantity(),
            c.expected(), c.safety(), c.ttlSeconds(), c.reservationId(), String.valueOf(c.orderId()),
            String.valueOf(c.destinationCountry()), String.valueOf(c.destinationPostalCode()),
            String.valueOf(c.carrier()), String.valueOf(c.service()), String.valueOf(c.priceSpec()),
            String.valueOf(c.carrierSpec()), String.valueOf(c.locationSpec()), String.valueOf(c.channelSpec()),
            String.valueOf(c.skuSpec()), c.lineCount(), c.quoteCount()));
        for (int i = 0; i < c.lineCount(); i++)
        {
            all.add(c.lineSku(i) + 'x' + c.lineQuantity(i));
        }
        for (int i = 0; i < c.quoteCount(); i++)
        {
            all.add(c.quoteSku(i) + '@' + c.quoteChannel(i) + '=' + c.quoteAmountMinor(i) + c.quoteCurrency(i) + " until " +
                c.quoteExpiresAtMillis(i));
        }
        return all;
    }
}
