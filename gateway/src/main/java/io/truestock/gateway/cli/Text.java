package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** How the commands write JSON values for people. */
final class Text
{
    private Text()
    {
    }

    /** {@code 89.99 USD} from {@code {"amount": 8999, "currency": "USD"}}; empty for null. */
    static String money(final JsonNode money)
    {
        if (money == null || money.isNull() || money.isMissingNode())
        {
            return "";
        }
        final long amount = money.path("amount").asLong();
        final String sign = amount < 0 ? "-" : "";
        final long abs = Math.abs(amount);
        return sign + abs / 100 + "." + String.format("%02d", abs % 100) + " " + money.path("currency").asText();
    }

    /** A field's text, or empty when absent or null. */
    static String of(final JsonNode node, final String field)
    {
        final JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? "" : value.asText();
    }

    /** The values of an array, comma separated. */
    static String list(final JsonNode array)
    {
        final StringBuilder sb = new StringBuilder();
        for (final JsonNode item : array)
        {
            sb.append(sb.length() == 0 ? "" : ",").append(item.asText());
        }
        return sb.toString();
    }
}
