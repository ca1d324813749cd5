package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/import/inventory} and {@code GET /v1/export/inventory}: Shopify's inventory CSV and the plain one,
 * all or nothing, idempotent by file, a dry run's diff, every bad row with its line, and the bounds.
 */
class InventoryImportApiTest
{
    private static final String SHOPIFY_HEADER = "Handle,Title,Option1 Name,Option1 Value,Option2 Name," +
        "Option2 Value,Option3 Name,Option3 Value,SKU,HS Code,COO,Location,Bin name,Incoming (not editable)," +
        "Unavailable (not editable),Committed (not editable),Available (not editable),On hand (current),On hand (new)";
    private static final String[] LOCATIONS = {"oak", "nj", "tx"};

    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @Test
    void aShopifyFileOfAThousandVariantsAtThreeLocationsSetsEveryQuantityAndExportsTheSame() throws IOException
    {
        for (final String location : LOCATIONS)
        {
            api.defineLocation(location);
        }
        final StringBuilder file = new StringBuilder(SHOPIFY_HEADER).append('\n');
        final Map<String, Long> expected = new HashMap<>();
        final Map<String, String> titles = new HashMap<>();
        for (int v = 0; v < 1000; v++)
        {
            final String sku = "tee-" + v;
            final String size = v % 2 == 0 ? "Small" : "Large, tall";
            titles.put(sku, "Tee " + (v / 2) + " - " + size);
            for (int l = 0; l < LOCATIONS.length; l++)
            {
                final long qty = (v * 7L + l * 13L) % 250;
                expected.put(sku + "@" + LOCATIONS[l], qty);
                file.append("tee-").append(v / 2).append(",Tee ").append(v / 2).append(",Size,\"").append(size)
                    .append("\",,,,,").append(sku).append(",,,").append(LOCATIONS[l]).append(" warehouse,,0,0,0,0,0,")
                    .append(qty).append('\n');
            }
        }
        assertThat(file.length()).as("larger than the API's 64 KiB body bound").isGreaterThan(64 * 1024);

        final JsonNode done = importFile("shopify", "&create_skus=true", file.toString(), 200);
        assertThat(done.path("rows").asInt()).isEqualTo(3000);
        assertThat(done.path("errors")).isEmpty();
        final long nonZero = expected.values().stream().filter(q -> q != 0).count();
        assertThat(done.path("changed").asLong()).isEqualTo(nonZero);
        final Reply again = importReply("shopify", "&create_skus=true", file.toString());
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");

        final Map<String, Long> plain = new HashMap<>();
        final List<List<String>> plainRows = rows(api.send("GET", "/v1/export/inventory?format=plain", null).body());
        for (final List<String> row : plainRows.subList(1, plainRows.size()))
        {
            plain.put(row.get(0) + "@" + row.get(1), Long.parseLong(row.get(2)));
        }
        assertThat(plain).isEqualTo(expected);
        assertThat(api.expect(200, "GET", "/v1/skus/tee-1", null).path("title").asText()).isEqualTo(titles.get("tee-1"));

        final Reply exported = api.send("GET", "/v1/export/inventory?format=shopify", null);
        assertThat(exported.status()).isEqualTo(200);
        assertThat(exported.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        final List<List<String>> shopify = rows(exported.body());
        assertThat(String.join(",", shopify.get(0))).isEqualTo(SHOPIFY_HEADER);
        final Map<String, Long> normalised = new HashMap<>();
        for (final List<String> row : shopify.subList(1, shopify.size()))
        {
            final String location = row.get(11).replace(" warehouse", "");
            normalised.put(row.get(8) + "@" + location, Long.parseLong(row.get(17)));
            assertThat(row.get(18)).as("On hand (new) is left for the seller to fill in").isEmpty();
            assertThat(row.get(16)).isEqualTo(row.get(17));
        }
        assertThat(normalised).isEqualTo(expected);

        final JsonNode roundTrip = importFile("shopify", "", exported.body(), 200);
        assertThat(roundTrip.path("rows").asInt()).isEqualTo(3000);
        assertThat(roundTrip.path("changed").asInt()).isZero();
    }

    @Test
    void exportThenImportChangesNothingAndAReimportIsReplayed()
    {
        catalog();
        final String file = "sku,location,on_hand\nshoe,oak,5\nshoe,nj,7\nsock,oak,0\n";
        final Reply first = importReply("plain", "", file);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("changed").asInt()).isEqualTo(2);
        final long version = first.json().path("version").asLong();

        final Reply again = importReply("plain", "", file);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.json().path("version").asLong()).isEqualTo(version);

        final String exported = api.send("GET", "/v1/export/inventory?format=plain", null).body();
        assertThat(exported).isEqualTo("sku,location,on_hand\nshoe,oak,5\nshoe,nj,7\nsock,oak,0\nsock,nj,0\n");
        final JsonNode noOp = importFile("plain", "", exported, 200);
        assertThat(noOp.path("changed").asInt()).isZero();
        assertThat(noOp.path("unchanged").asInt()).isEqualTo(4);
        assertThat(api.send("GET", "/v1/export/inventory?format=plain", null).body()).isEqualTo(exported);
    }

    @Test
    void aDryRunShowsTheDiffAndAppliesNothing()
    {
        catalog();
        api.receive("shoe", "oak", 3);
        final JsonNode dry = importFile("plain", "&dry_run=true", "sku,location,on_hand\nshoe,oak,9\nshoe,nj,0\n", 200);
        assertThat(dry.path("dry_run").asBoolean()).isTrue();
        assertThat(dry.path("changed").asInt()).isEqualTo(1);
        assertThat(dry.path("unchanged").asInt()).isEqualTo(1);
        final JsonNode change = dry.path("changes").get(0);
        assertThat(change.path("line").asInt()).isEqualTo(2);
        assertThat(change.path("sku").asText()).isEqualTo("shoe");
        assertThat(change.path("from").asLong()).isEqualTo(3);
        assertThat(change.path("to").asLong()).isEqualTo(9);
        assertThat(api.send("GET", "/v1/export/inventory", null).body()).contains("shoe,oak,3\n");
    }

    @Test
    void everyBadRowIsReportedWithItsLineAndNothingIsApplied()
    {
        catalog();
        final String before = api.send("GET", "/v1/export/inventory", null).body();
        final JsonNode problem = importFile("plain", "", "sku,location,on_hand\n" +
            "shoe,oak,4\n" +
            "shoe,mars,1\n" +
            "shoe,nj,many\n" +
            "sock,oak,-2\n" +
            "shoe,oak,6\n" +
            "boot,oak,1\n", 400);
        assertThat(problem.path("code").asText()).isEqualTo("invalid_request");
        final Map<Integer, String> errors = new HashMap<>();
        problem.path("errors").forEach(e -> errors.put(e.path("line").asInt(), e.path("message").asText()));
        assertThat(errors).containsOnlyKeys(3, 4, 5, 6, 7);
        assertThat(errors.get(3)).contains("unknown location 'mars'");
        assertThat(errors.get(4)).contains("not a whole number");
        assertThat(errors.get(5)).contains("negative");
        assertThat(errors.get(6)).contains("duplicate row").contains("line 2");
        assertThat(errors.get(7)).contains("unknown SKU 'boot'").contains("create_skus=true");
        assertThat(api.send("GET", "/v1/export/inventory", null).body()).isEqualTo(before);

        final JsonNode header = importFile("plain", "", "sku,warehouse,on_hand\nshoe,oak,1\n", 400);
        assertThat(header.path("errors").get(0).path("line").asInt()).isEqualTo(1);
        assertThat(header.path("errors").get(0).path("message").asText()).contains("unknown column 'warehouse'");
        assertThat(api.send("GET", "/v1/export/inventory", null).body()).isEqualTo(before);
    }

    @Test
    void boundsAndScopesAreEnforced()
    {
        catalog();
        final Reply tooLarge = api.sendAs(ApiHarness.ADMIN_TOKEN, "POST", "/v1/import/inventory?format=plain",
            "sku,location,on_hand\n" + "x".repeat(16 * 1024 * 1024 + 1));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().path("code").asText()).isEqualTo("payload_too_large");

        final StringBuilder many = new StringBuilder("sku,location,on_hand\n");
        for (int i = 0; i <= 100_000; i++)
        {
            many.append("s").append(i).append(",oak,1\n");
        }
        final JsonNode rows = importFile("plain", "&create_skus=true", many.toString(), 400);
        assertThat(rows.path("errors").get(0).path("message").asText()).contains("more than 100000 rows");

        final StringBuilder wide = new StringBuilder(SHOPIFY_HEADER).append('\n');
        final String title = "T".repeat(200);
        for (int i = 0; i < 2_000; i++)
        {
            wide.append(",").append(title).append(",,,,,,,wide-").append(i).append(",,,oak,,0,0,0,0,0,1\n");
        }
        final JsonNode record = importFile("shopify", "&create_skus=true", wide.toString(), 413);
        assertThat(record.path("code").asText()).isEqualTo("payload_too_large");
        assertThat(record.path("detail").asText()).contains("2000 rows do not fit in one journal record");
        assertThat(api.send("GET", "/v1/skus/wide-0", null).status()).isEqualTo(404);

        assertThat(importReply("csv", "", "sku,location,on_hand\n").status()).isEqualTo(400);
        final String agent = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\"}").path("key").asText();
        assertThat(api.sendAs(agent, "GET", "/v1/export/inventory", null).status()).isEqualTo(403);
        assertThat(api.sendAs(agent, "POST", "/v1/import/inventory", "sku,location,on_hand\n").status())
            .isEqualTo(403);
    }

    private void catalog()
    {
        api.defineLocation("oak");
        api.defineLocation("nj");
        api.defineSku("shoe", 8999);
        api.defineSku("sock", 999);
    }

    private Reply importReply(final String format, final String extra, final String body)
    {
        return api.sendAs(ApiHarness.ADMIN_TOKEN, "POST", "/v1/import/inventory?format=" + format + extra, body,
            "Content-Type", "text/csv");
    }

    private JsonNode importFile(final String format, final String extra, final String body, final int status)
    {
        final Reply reply = importReply(format, extra, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        return reply.json();
    }

    /** A normalising parse: cells as a CSV reader sees them, whatever the quoting. */
    private static List<List<String>> rows(final String csv)
    {
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .readerForListOf(String.class).readValues(csv))
        {
            final List<List<String>> rows = new ArrayList<>();
            it.forEachRemaining(rows::add);
            return rows;
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
