package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code truestock audit SKU}: {@code GET /v1/audit?sku=}; {@code audit verify} checks the hash chain. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Show a SKU's audit entries, oldest first (or 'audit verify' to check the journal's hash chain).",
    subcommands = AuditVerifyCommand.class,
    footer = {"", "Examples:", "  truestock audit trail-shoe-black-m --limit 20 --token-file data/admin.token",
        "  truestock audit verify --token-file data/admin.token"})
public final class AuditCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SKU", description = "the SKU id")
    String sku;

    @Option(names = "--after", paramLabel = "SEQ",
        description = "only entries after this engine sequence (or the cursor a page printed after 'more:')")
    Long after;

    @Option(names = "--limit", description = "entries a page (default 100)")
    Integer limit;

    @Override
    public Integer call()
    {
        if (sku == null)
        {
            throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "give a SKU ('truestock audit SKU') or " +
                "'truestock audit verify'");
        }
        final StringBuilder path = new StringBuilder("/v1/audit?sku=").append(Remote.encode(sku));
        if (after != null)
        {
            path.append("&after=").append(after);
        }
        if (limit != null)
        {
            path.append("&limit=").append(limit);
        }
        final Remote.Answer answer = remote.get(path.toString());
        if (remote.json())
        {
            remote.printJson(answer);
            return 0;
        }
        final JsonNode page = answer.json();
        final Table table = new Table("SEQ", "AT", "TYPE", "LOCATION", "ON HAND", "AVAILABLE", "PRINCIPAL", "REASON");
        for (final JsonNode entry : page.path("entries"))
        {
            final JsonNode before = entry.path("before");
            final JsonNode now = entry.path("after");
            table.row(Text.of(entry, "seq"), Text.of(entry, "at"), Text.of(entry, "type"), Text.of(entry, "location"),
                change(before, now, "on_hand"), change(before, now, "available"), Text.of(entry, "principal"),
                Text.of(entry, "reason"));
        }
        table.print(remote.out());
        if (page.hasNonNull("next"))
        {
            remote.out().println("more: --after " + page.path("next").asText());
            remote.out().flush();
        }
        return 0;
    }

    private static String change(final JsonNode before, final JsonNode after, final String field)
    {
        if (!before.has(field) && !after.has(field))
        {
            return "";
        }
        return Text.of(before, field) + " -> " + Text.of(after, field);
    }
}
