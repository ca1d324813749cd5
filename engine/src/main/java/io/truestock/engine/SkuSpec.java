package io.truestock.engine;

import io.truestock.engine.price.Price;

import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable configuration of one SKU. With components it is a bundle: it holds no stock of its own and its
 * availability is the minimum over components of {@code floor(component available / qty)}.
 *
 * @param title            display title.
 * @param priceAmountMinor base price in minor units, >= 0.
 * @param currency         ISO 4217 code (three upper-case letters).
 * @param componentSkus    component SKU ids, empty for a simple SKU.
 * @param componentQtys    units of each component in one bundle, each >= 1.
 */
public record SkuSpec(String title, long priceAmountMinor, String currency, String[] componentSkus, long[] componentQtys)
{
    /** A simple SKU's components: shared, since an empty array cannot be written into. */
    private static final String[] NO_SKUS = new String[0];
    private static final long[] NO_QTYS = new long[0];

    public SkuSpec
    {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(currency, "currency");
        currency = Price.canonicalCurrency(currency);
        componentSkus = componentSkus.length == 0 ? NO_SKUS : componentSkus.clone();
        componentQtys = componentQtys.length == 0 ? NO_QTYS : componentQtys.clone();
        if (componentSkus.length != componentQtys.length)
        {
            throw new IllegalArgumentException("componentSkus and componentQtys differ in length");
        }
    }

    public static SkuSpec simple(final String title, final long priceAmountMinor, final String currency)
    {
        return new SkuSpec(title, priceAmountMinor, currency, NO_SKUS, NO_QTYS);
    }

    public boolean isBundle()
    {
        return componentSkus.length > 0;
    }

    public int componentCount()
    {
        return componentSkus.length;
    }

    public String componentSku(final int i)
    {
        return componentSkus[i];
    }

    public long componentQty(final int i)
    {
        return componentQtys[i];
    }

    @Override
    public String[] componentSkus()
    {
        return componentSkus.clone();
    }

    @Override
    public long[] componentQtys()
    {
        return componentQtys.clone();
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof SkuSpec that && title.equals(that.title) && priceAmountMinor == that.priceAmountMinor &&
            currency.equals(that.currency) && Arrays.equals(componentSkus, that.componentSkus) &&
            Arrays.equals(componentQtys, that.componentQtys);
    }

    @Override
    public int hashCode()
    {
        return (Objects.hash(title, priceAmountMinor, currency) * 31 + Arrays.hashCode(componentSkus)) * 31 +
            Arrays.hashCode(componentQtys);
    }

    @Override
    public String toString()
    {
        return "SkuSpec{title=" + title + ", price=" + priceAmountMinor + ' ' + currency +
            ", components=" + Arrays.toString(componentSkus) + '}';
    }
}
