package io.truestock.engine.price;

import java.util.Objects;

/**
 * An amount of money in integer minor units (cents, paise, yen) of an ISO 4217 currency.
 *
 * @param amountMinor 0 to {@link #MAX_AMOUNT_MINOR}.
 * @param currency    three upper-case letters.
 */
public record Price(long amountMinor, String currency)
{
    /** Ten trillion minor units: far above any retail price, far below overflow when multiplied by a quantity. */
    public static final long MAX_AMOUNT_MINOR = 10_000_000_000_000L;

    public Price
    {
        Objects.requireNonNull(currency, "currency");
        if (amountMinor < 0 || amountMinor > MAX_AMOUNT_MINOR)
        {
            throw new IllegalArgumentException("amount must be 0.." + MAX_AMOUNT_MINOR + " minor units");
        }
        if (!isCurrencyCode(currency))
        {
            throw new IllegalArgumentException("currency must be three upper-case letters (ISO 4217)");
        }
    }

    public static boolean isCurrencyCode(final String code)
    {
        if (code == null || code.length() != 3)
        {
            return false;
        }
        for (int i = 0; i < 3; i++)
        {
            final char c = code.charAt(i);
            if (c < 'A' || c > 'Z')
            {
                return false;
            }
        }
        return true;
    }
}
