package io.truestock.engine;

import io.truestock.engine.catalog.Catalog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CommandType#IMPORT_STOCK} at its edges: the first SKU of a catalog, the longest title, no stock at all. */
class StockImportEdgesTest
{
    private final EngineDriver d = new EngineDriver(
        new EngineConfig().maxSkus(4).maxLocations(4).maxChannels(4).maxLineQuantity(1_000).maxOnHand(5_000));

    private static StockImportSpec row(final String sku, final long onHand, final String title)
    {
        return new StockImportSpec(new String[] {sku}, new String[] {"east"}, new long[] {onHand},
            new String[] {title}, "USD");
    }

    @Test
    void anImportCreatesTheFirstSkuOfAnEmptyCatalogAndPublishesItWithoutStock()
    {
        d.location("east", 1);
        d.channel("web", "east");
        final Outcome out = d.assertAccepted(c -> c.importStock(row("sock", 0, "Sock")));
        assertThat(out.onHand()).as("records changed").isZero();
        assertThat(d.engine.skuIndex("sock")).isZero();
        assertThat(d.published("sock", "web")).isZero();
        assertThat(d.publishedVersion("sock", "web")).isEqualTo(out.version());
    }

    @Test
    void aTitleOfTheLongestLengthIsTakenAndOneLongerRefused()
    {
        d.location("east", 1);
        final String longest = "t".repeat(Catalog.MAX_TEXT);
        d.assertAccepted(c -> c.importStock(row("sock", 1, longest)));
        assertThat(d.engine.skuSpec(d.engine.skuIndex("sock")).title()).isEqualTo(longest);
        d.assertRejected(RejectReason.INVALID_CONFIG, c -> c.importStock(row("cap", 1, longest + "t")));
    }
}
