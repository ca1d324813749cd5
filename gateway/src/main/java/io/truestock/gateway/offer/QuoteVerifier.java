package io.truestock.gateway.offer;

import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.price.Quotes;
import io.truestock.gateway.rules.Refusal;

/**
 * Turns the quote ids a confirmation cites into what they promised, for every edge: an id is honoured only when
 * this server signed it (its quote key) for a SKU and channel it knows. What a verified quote says is written into
 * the confirm command ({@link #cite}), so the journal carries the quoted price itself. Expiry is not judged here:
 * the engine judges it against the confirmation's own timestamp ({@code QUOTE_EXPIRED}), so a replay decides alike.
 * Thread safe.
 */
public final class QuoteVerifier
{
    private final Engine engine;
    private final Quotes quotes;

    public QuoteVerifier(final Engine engine, final Quotes quotes)
    {
        this.engine = engine;
        this.quotes = quotes;
    }

    /** @return what the quote says, or null when {@code quoteId} is not a quote this server issued. */
    public Quotes.Quote verify(final String quoteId)
    {
        final Quotes.Quote quote = quotes.verify(quoteId);
        if (quote == null || quote.skuIndex() < 0 || quote.skuIndex() >= engine.skuCount() ||
            quote.channelIndex() < 0 || quote.channelIndex() >= engine.channelCount())
        {
            return null;
        }
        return quote;
    }

    /** Why {@code quoteId}, which {@link #verify} refused, is not honoured; {@code field} names where it was cited. */
    public static Refusal notIssued(final String quoteId, final String field)
    {
        return Refusal.invalid("'" + quoteId + "' is not a quote this server issued", field);
    }

    /** Adds what a verified quote says to a confirm command. */
    public void cite(final Quotes.Quote quote, final Command command)
    {
        command.addQuote(engine.skuId(quote.skuIndex()), engine.channelId(quote.channelIndex()), quote.amountMinor(),
            quote.currency(), quote.expiresAtMillis());
    }
}
