package io.truestock.engine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CommandType#IMPORT_STOCK}: every row or none, rows checked against the state before anything changes. */
class StockImportTest
{
    private final EngineDriver d = new EngineDriver(
        new EngineConfig().maxSkus(4).maxLocations(4).maxChannels(4).maxLineQuantity(1_000).maxOnHand(5_000));

    @BeforeEach
    void catalog()
    {
        d.location("east", 1);
        d.location("west", 2);
        d.channel("web", "east", "west");
        d.sku("shoe");
        d.sku("lace");
        d.bundle("kit", new String[]{"shoe", "lace"}, new long[]{1, 1});
    }

    private static StockImportSpec rows(final String[] skus, final String[] locations, final long[] onHand,
        final String[] titles)
    {
        return new StockImportSpec(skus, locations, onHand, titles, "USD");
    }

    @Test
    void setsEveryRowAndCountsTheRecordsThatChanged()
    {
        d.receive("shoe", "east", 4);
        final Outcome out = d.assertAccepted(c -> c.importStock(rows(new String[]{"shoe", "shoe", "lace"},
            new String[]{"east", "west", "east"}, new long[]{4, 9, 2}, new String[3])));

        assertThat(out.onHand()).as("records changed").isEqualTo(2);
        assertThat(d.stock("shoe", "east").onHand()).isEqualTo(4);
        assertThat(d.stock("shoe", "west").onHand()).isEqualTo(9);
        assertThat(d.stock("lace", "east").onHand()).isEqualTo(2);
        assertThat(d.published("shoe", "web")).isEqualTo(13);
        assertThat(d.published("kit", "web")).isEqualTo(2);
    }

    @Test
    void anyBadRowRejectsTheWholeImportAndNamesTheRow()
    {
        d.receive("shoe", "east", 4);
        final String[] none = new String[2];
        assertThat(d.assertRejected(RejectReason.UNKNOWN_LOCATION, c -> c.importStock(rows(
            new String[]{"shoe", "lace"}, new String[]{"east", "north"}, new long[]{1, 1}, none))).rejectedLine())
            .isEqualTo(1);
        d.assertRejected(RejectReason.UNKNOWN_SKU, c -> c.importStock(rows(
            new String[]{"shoe", "boot"}, new String[]{"east", "east"}, new long[]{1, 1}, none)));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.importStock(rows(
            new String[]{"shoe", "lace"}, new String[]{"east", "east"}, new long[]{1, -1}, none)));
        d.assertRejected(RejectReason.INVALID_QUANTITY, c -> c.importStock(rows(
            new String[]{"shoe", "lace"}, new String[]{"east", "east"}, new long[]{1, 5_001}, none)));
        d.assertRejected(RejectReason.INVALID_LINES, c -> c.importStock(rows(
            new String[]{"shoe", "shoe"}, new String[]{"east", "east"}, new long[]{1, 2}, none)));
        d.assertRejected(RejectReason.BUNDLE_HAS_NO_STOCK, c -> c.importStock(rows(
            new String[]{"shoe", "kit"}, new String[]{"east", "east"}, new long[]{1, 2}, none)));
        d.reserve("web", 60, "shoe", 3);
        d.assertRejected(RejectReason.BELOW_ALLOCATED, c -> c.importStock(rows(
            new String[]{"lace", "shoe"}, new String[]{"east", "east"}, new long[]{7, 2}, none)));
        d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.importStock(null));
    }

    @Test
    void createsSkusWithTheirTitlesOnlyWhenTheRowSaysSoAndWithinTheCatalogsBound()
    {
        final Outcome out = d.assertAccepted(c -> c.importStock(rows(new String[]{"sock", "sock"},
            new String[]{"east", "west"}, new long[]{3, 0}, new String[]{"Sock", "Sock"})));
        assertThat(out.onHand()).isEqualTo(1);
        assertThat(d.engine.skuSpec(d.engine.skuIndex("sock")).title()).isEqualTo("Sock");
        assertThat(d.engine.skuSpec(d.engine.skuIndex("sock")).priceAmountMinor()).isZero();
        assertThat(d.stock("sock", "east").onHand()).isEqualTo(3);

        d.assertRejected(RejectReason.SKU_LIMIT, c -> c.importStock(rows(new String[]{"cap"},
            new String[]{"east"}, new long[]{1}, new String[]{"Cap"})));
    }
}
