package io.truestock.gateway.checkout;

import java.util.List;

/**
 * What a create or update asks for, already parsed by a protocol binding. Null fields leave the session's value
 * unchanged on update.
 *
 * @param lines          the lines, 1 to the engine's bound, or null.
 * @param linesPath      JSONPath of the request's lines, for messages about one ({@code $.line_items}).
 * @param address        the shipping address, or null.
 * @param addressPath    JSONPath of the address in the request.
 * @param buyerEmail     or null.
 * @param buyerName      or null.
 * @param currency       ISO 4217 the agent expects (either case), or null.
 * @param selectedOption the fulfillment option chosen, or null.
 * @param quoteId        a quote from {@code GET /v1/offers} whose price a line of its SKU takes, or null.
 */
public record CheckoutRequest(
    List<Line> lines, String linesPath, Session.Address address, String addressPath, String buyerEmail,
    String buyerName, String currency, String selectedOption, String quoteId)
{
    /** One line: a SKU and a quantity. */
    public record Line(String sku, long qty)
    {
    }
}
