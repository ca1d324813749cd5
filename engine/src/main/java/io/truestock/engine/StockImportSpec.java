package io.truestock.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * The rows of one inventory import, applied by one {@link CommandType#IMPORT_STOCK} command all or nothing: row
 * {@code i} sets the on hand of SKU {@code skus[i]} at location {@code locations[i]} to {@code onHand[i]}. A row
 * whose {@code titles[i]} is not null may name a SKU that does not exist yet: the import defines it as a simple
 * SKU with that title and a zero base price in {@link #currency} before setting its stock. Immutable: the arrays
 * are copied in and never handed out.
 *
 * @param skus      SKU ids, one a row.
 * @param locations location ids, one a row.
 * @param onHand    the new on hand of each row, 0 to the engine's bound.
 * @param titles    per row, null when the SKU must exist, else the title of the SKU to create when it does not.
 * @param currency  ISO 4217 code of the zero base price of created SKUs.
 */
public final class StockImportSpec
{
    private final String[] skus;
    private final String[] locations;
    private final long[] onHand;
    private final String[] titles;
    private final String currency;

    public StockImportSpec(
        final String[] skus, final String[] locations, final long[] onHand, final String[] titles,
        final String currency)
    {
        this.currency = Objects.requireNonNull(currency, "currency");
        this.skus = skus.clone();
        this.locations = locations.clone();
        this.onHand = onHand.clone();
        this.titles = titles.clone();
        if (locations.length != skus.length || onHand.length != skus.length || titles.length != skus.length)
        {
            throw new IllegalArgumentException("the row arrays differ in length");
        }
    }

    public String currency()
    {
        return currency;
    }

    public int rowCount()
    {
        return skus.length;
    }

    public String sku(final int row)
    {
        return skus[row];
    }

    public String location(final int row)
    {
        return locations[row];
    }

    public long onHand(final int row)
    {
        return onHand[row];
    }

    /** The title of the SKU to create when it does not exist, or null when it must exist. */
    public String title(final int row)
    {
        return titles[row];
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof StockImportSpec that && Arrays.equals(skus, that.skus) &&
            Arrays.equals(locations, that.locations) && Arrays.equals(onHand, that.onHand) &&
            Arrays.equals(titles, that.titles) && currency.equals(that.currency);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(Arrays.hashCode(skus), Arrays.hashCode(locations),
            Arrays.hashCode(onHand), Arrays.hashCode(titles), currency);
    }

    @Override
    public String toString()
    {
        return "StockImportSpec{rows=" + skus.length + ", currency=" + currency + '}';
    }
}
