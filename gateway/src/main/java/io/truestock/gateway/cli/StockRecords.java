package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Prints the stock record {@code receive} and {@code adjust} answer with. */
final class StockRecords
{
    private StockRecords()
    {
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
