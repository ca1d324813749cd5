package io.truestock.gateway.inventory;

import io.truestock.engine.Engine;
import io.truestock.engine.StockView;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the on hand of every simple SKU at every location (or one location) as an inventory CSV. Each record is
 * read consistently under its seqlock; the file as a whole is not one instant's state while writes go on.
 */
public final class InventoryExport
{
    private final Engine engine;

    public InventoryExport(final Engine engine)
    {
        this.engine = engine;
    }

    /** Rows an export of {@code location} (null: every location) has. */
    public long rowCount(final String location)
    {
        long simple = 0;
        for (int s = 0; s < engine.skuCount(); s++)
        {
            if (!engine.skuSpec(s).isBundle())
            {
                simple++;
            }
        }
        return simple * (location == null ? engine.locationCount() : 1);
    }

    /**
     * Writes the file: SKUs in the order they were defined, each at its locations in the order they were defined.
     *
     * @param location a location id, or null for every location.
     */
    public void write(final OutputStream out, final InventoryFormat format, final String location) throws IOException
    {
        final StockView view = new StockView();
        final int skus = engine.skuCount();
        final int locations = engine.locationCount();
        try (InventoryCsv.Writer csv = new InventoryCsv.Writer(out))
        {
            csv.row(format.columns());
            for (int s = 0; s < skus; s++)
            {
                if (engine.skuSpec(s).isBundle())
                {
                    continue;
                }
                for (int l = 0; l < locations; l++)
                {
                    if (location != null && !engine.locationId(l).equals(location))
                    {
                        continue;
                    }
                    engine.readStock(s, l, view);
                    csv.row(format == InventoryFormat.PLAIN ?
                        List.of(engine.skuId(s), engine.locationId(l), Long.toString(view.onHand())) :
                        shopifyRow(s, l, view));
                }
            }
        }
    }

    /**
     * A row as Shopify's admin writes it: a Truestock SKU is a product with one variant (its handle the SKU id in
     * lower case, its one option Shopify's default), the location by name, Unavailable the safety stock, Committed
     * what is reserved or committed, and On hand (new) empty so that importing the file unchanged changes nothing.
     */
    private List<String> shopifyRow(final int s, final int l, final StockView view)
    {
        final String sku = engine.skuId(s);
        final long allocated = view.reserved() + view.committed();
        final long available = Math.max(0, view.onHand() - allocated - view.safety());
        return Arrays.asList(sku.toLowerCase(java.util.Locale.ROOT), engine.skuSpec(s).title(),
            InventoryFormat.DEFAULT_OPTION_NAME, InventoryFormat.DEFAULT_OPTION_VALUE, "", "", "", "", sku, "", "",
            engine.locationSpec(l).name(), "", "0", Long.toString(view.safety()), Long.toString(allocated),
            Long.toString(available), Long.toString(view.onHand()), "");
    }
}
