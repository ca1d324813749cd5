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
    /**
     * One instance of each currency code seen, by its letters: a catalog of a million SKUs in one currency would
     * otherwise hold a million copies of "USD" (each a string and its bytes), decoded one per definition. At most
     * 26^3 entries, filled racily: a string is immutable and safely published, so two threads caching the same code
     * at once only keep different, equal instances.
     */
    private static final String[] CURRENCIES = new String[26 * 26 * 26];

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
        currency = canonicalCurrency(currency);
    }

    /** The shared instance of a currency code, or the string itself when it is not three upper-case letters. */
    public static String canonicalCurrency(final String code)
    {
        if (!isCurrencyCode(code))
        {
            return code;
        }
        final int slot = ((code.charAt(0) - 'A') * 26 + code.charAt(1) - 'A') * 26 + code.charAt(2) - 'A';
        final String known = CURRENCIES[slot];
        if (known != null)
        {
            return known;
        }
        CURRENCIES[slot] = code;
        return code;
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
