package io.truestock.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code truestock export FILE}: {@code GET /v1/export/inventory}, written to FILE ({@code -}: standard output). */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write on hand per SKU and location as CSV (plain, or Shopify's inventory CSV); importing the " +
        "file unchanged changes nothing.",
    footer = {"", "Examples:", "  truestock export inventory.csv --format shopify --token-file data/admin.token",
        "  truestock export - --location oak"})
public final class ExportCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "FILE", description = "where to write the CSV; - for standard output")
    String file;

    @Option(names = "--format", defaultValue = "plain", description = "plain or shopify (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--location", description = "only this location")
    String location;

    @Override
    public Integer call()
    {
        final Remote.Answer answer = remote.get("/v1/export/inventory?format=" + Remote.encode(format) +
            (location == null ? "" : "&location=" + Remote.encode(location)));
        if (file.equals("-"))
        {
            remote.out().print(answer.body());
            remote.out().flush();
            return 0;
        }
        try
        {
            Files.writeString(Path.of(file), answer.body(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "cannot write " + file + ": " + ex.getMessage());
        }
        final long rows = answer.body().lines().count() - 1;
        if (remote.json())
        {
            remote.out().println("{\"file\":" + Remote.JSON.valueToTree(file) + ",\"rows\":" + rows + "}");
        }
        else
        {
            remote.out().println("wrote " + rows + " rows to " + file);
        }
        remote.out().flush();
        return 0;
    }
}
