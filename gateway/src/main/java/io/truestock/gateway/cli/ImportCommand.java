package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code truestock import FILE}: {@code POST /v1/import/inventory}, the file streamed as the body. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Set on hand per SKU and location from a CSV file, all rows or none.",
        "plain: the columns sku,location,on_hand. shopify: Shopify's inventory CSV as its admin exports it " +
            "(the On hand (new) column is applied; an empty cell changes nothing).",
        "Importing the same file again changes nothing; --dry-run shows what would change."},
    footer = {"", "Examples:", "  truestock import counts.csv --dry-run --token-file data/admin.token",
        "  truestock import inventory_export.csv --format shopify --token-file data/admin.token"})
public final class ImportCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "FILE", description = "the CSV file")
    Path file;

    @Option(names = "--format", defaultValue = "plain", description = "plain or shopify (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--dry-run", description = "show the changes and every error; apply nothing")
    boolean dryRun;

    @Option(names = "--create-skus", description = "create SKUs the file names that do not exist yet")
    boolean createSkus;

    @Override
    public Integer call()
    {
        final HttpRequest.BodyPublisher body;
        try
        {
            body = HttpRequest.BodyPublishers.ofFile(file);
        }
        catch (final FileNotFoundException ex)
        {
            throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "no such file: " + file);
        }
        final String path = "/v1/import/inventory?format=" + Remote.encode(format) + "&dry_run=" + dryRun +
            (createSkus ? "&create_skus=true" : "");
        final Remote.Answer answer = remote.exchange("POST", path, body, "text/csv");
        final JsonNode result = answer.status() < 500 && answer.contentType().contains("json") &&
            answer.body().contains("\"errors\"") ? answer.json() : null;
        if (result == null)
        {
            if (answer.status() >= 400)
            {
                throw remote.refusal(answer);
            }
            throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "unexpected answer " + answer.status());
        }
        final boolean failed = answer.status() >= 400 || result.path("error_count").asInt() > 0;
        if (remote.json())
        {
            remote.printJson(answer);
        }
        else
        {
            printReport(result);
        }
        if (failed)
        {
            for (final JsonNode error : result.path("errors"))
            {
                remote.err().println("line " + error.path("line").asInt() + ": " + Text.of(error, "message"));
            }
            final int count = result.path("error_count").asInt();
            throw new CliFailure(CliFailure.REFUSED, "refused: " + count + (count == 1 ? " row has an error" :
                " rows have errors") + "; nothing was applied" +
                (count > result.path("errors").size() ? " (the first " + result.path("errors").size() + " listed)" : ""));
        }
        return 0;
    }

    private void printReport(final JsonNode result)
    {
        final boolean dry = result.path("dry_run").asBoolean();
        remote.out().println((dry ? "dry run: " : "") + result.path("rows").asInt() + " rows, " +
            result.path("changed").asInt() + (dry ? " would change, " : " changed, ") +
            result.path("unchanged").asInt() + " unchanged (version " + Text.of(result, "version") + ")");
        if (dry && !result.path("changes").isEmpty())
        {
            final Table changes = new Table("LINE", "SKU", "LOCATION", "ON HAND", "NEW");
            for (final JsonNode change : result.path("changes"))
            {
                changes.row(Text.of(change, "line"), Text.of(change, "sku"), Text.of(change, "location"),
                    change.path("from").isNull() ? "(new SKU)" : Text.of(change, "from"), Text.of(change, "to"));
            }
            changes.print(remote.out());
        }
        remote.out().flush();
    }
}
