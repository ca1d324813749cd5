package io.truestock.journal;

import io.truestock.engine.Command;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test fixture: commands to journal, and a field-by-field comparison (Command has no equals, on purpose: it is a
 * reusable slot).
 */
final class Commands
{
    static final long START_MILLIS = 1_800_000_000_000L;

    private Commands()
    {
    }

    /**
     * The n-th command of a test journal: varied types, and a reference unique to its sequence so its bytes can be
     * found in a queue file.
     */
    static Command nth(final Command into, final long sequence)
    {
        into.clear();
        switch ((int)(sequence % 4))
        {
            case 0 -> into.receive("sku-" + sequence % 7, "oak", sequence);
            case 1 -> into.reserve("shop", 600).addLine("sku-1", 2).addLine("sku-" + sequence % 5, 1);
            case 2 -> into.set("sku-2", "nj", 40, 3, Command.ABSENT);
            default -> into.order("amazon", "order-" + sequence).addLine("sku-3", 1).destination("US", "94110");
        }
        return into.principal("admin").idempotencyKey("key-" + sequence).reason("test")
            .reference(marker(sequence)).stamp(sequence, START_MILLIS + sequence);
    }

    /** The reference string of the n-th command: unique, fixed width. */
    static String marker(final long sequence)
    {
        return String.format("marker-%08d", sequence);
    }

    static void assertSameCommand(final Command actual, final Command expected)
    {
        assertThat(actual.type()).as("type").isEqualTo(expected.type());
        assertThat(actual.sequence()).as("sequence").isEqualTo(expected.sequence());
        assertThat(actual.timestampMillis()).as("timestamp").isEqualTo(expected.timestampMillis());
        assertThat(actual.principal()).as("principal").isEqualTo(expected.principal());
        assertThat(actual.idempotencyKey()).as("idempotencyKey").isEqualTo(expected.idempotencyKey());
        assertThat(actual.reason()).as("reason").isEqualTo(expected.reason());
        assertThat(actual.reference()).as("reference").isEqualTo(expected.reference());
        assertThat(actual.sku()).as("sku").isEqualTo(expected.sku());
        assertThat(actual.location()).as("location").isEqualTo(expected.location());
        assertThat(actual.channel()).as("channel").isEqualTo(expected.channel());
        assertThat(actual.quantity()).as("quantity").isEqualTo(expected.quantity());
        assertThat(actual.expected()).as("expected").isEqualTo(expected.expected());
        assertThat(actual.safety()).as("safety").isEqualTo(expected.safety());
        assertThat(actual.ttlSeconds()).as("ttlSeconds").isEqualTo(expected.ttlSeconds());
        assertThat(actual.reservationId()).as("reservationId").isEqualTo(expected.reservationId());
        assertThat(actual.orderId()).as("orderId").isEqualTo(expected.orderId());
        assertThat(actual.destinationCountry()).as("destinationCountry").isEqualTo(expected.destinationCountry());
        assertThat(actual.destinationPostalCode()).as("destinationPostalCode").isEqualTo(expected.destinationPostalCode());
        assertThat(actual.lineCount()).as("lineCount").isEqualTo(expected.lineCount());
        for (int i = 0; i < expected.lineCount(); i++)
        {
            assertThat(actual.lineSku(i)).as("lineSku " + i).isEqualTo(expected.lineSku(i));
            assertThat(actual.lineQuantity(i)).as("lineQuantity " + i).isEqualTo(expected.lineQuantity(i));
        }
        assertThat(actual.locationSpec()).as("locationSpec").isEqualTo(expected.locationSpec());
        assertThat(actual.channelSpec()).as("channelSpec").isEqualTo(expected.channelSpec());
        assertThat(actual.skuSpec()).as("skuSpec").isEqualTo(expected.skuSpec());
        assertThat(actual.priceSpec()).as("priceSpec").isEqualTo(expected.priceSpec());
        assertThat(actual.carrier()).as("carrier").isEqualTo(expected.carrier());
        assertThat(actual.service()).as("service").isEqualTo(expected.service());
        assertThat(actual.carrierSpec()).as("carrierSpec").isEqualTo(expected.carrierSpec());
        assertThat(actual.stockImport()).as("stockImport").isEqualTo(expected.stockImport());
        assertThat(actual.quoteCount()).as("quoteCount").isEqualTo(expected.quoteCount());
        for (int i = 0; i < expected.quoteCount(); i++)
        {
            assertThat(actual.quoteSku(i)).as("quoteSku " + i).isEqualTo(expected.quoteSku(i));
            assertThat(actual.quoteChannel(i)).as("quoteChannel " + i).isEqualTo(expected.quoteChannel(i));
            assertThat(actual.quoteAmountMinor(i)).as("quoteAmount " + i).isEqualTo(expected.quoteAmountMinor(i));
            assertThat(actual.quoteCurrency(i)).as("quoteCurrency " + i).isEqualTo(expected.quoteCurrency(i));
            assertThat(actual.quoteExpiresAtMillis(i)).as("quoteExpires " + i).isEqualTo(expected.quoteExpiresAtMillis(i));
        }
        assertThat(actual.fingerprint()).as("fingerprint").isEqualTo(expected.fingerprint());
    }
}
