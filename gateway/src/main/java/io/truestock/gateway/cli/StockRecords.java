package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** What {@code receive} and {@code adjust} share: the request and the stock record they answer with. */
final class StockRecords
{
    private StockRecords()
    {
    }

    /** Posts {@code {"sku", "location", field: value, "reason"?}} to a stock endpoint and prints the record. */
    static int change(
        final Remote remote, final String path, final String sku, final String location, final String field,
        final long value, final String reason)
    {
        final var body = Remote.JSON.createObjectNode().put("sku", sku).put("location", location).put(field, value);
        if (reason != null)
        {
            body.put("reason", reason);
        }
        return print(remote, remote.send("POST", path, body));
    }

    static int print(final Remote remote, final Remote.Answer answer)
    {
        if (remote.json())
        {
            remote.printJson(answer);
            return 0;
        }
        final JsonNode row = answer.json();
        new Table("SKU", "LOCATION", "ON HAND", "RESERVED", "COMMITTED", "SAFETY", "AVAILABLE", "VERSION")
            .row(Text.of(row, "sku"), Text.of(row, "location"), Text.of(row, "on_hand"), Text.of(row, "reserved"),
                Text.of(row, "committed"), Text.of(row, "safety"), Text.of(row, "available"), Text.of(row, "version"))
            .print(remote.out());
        return 0;
    }
}
