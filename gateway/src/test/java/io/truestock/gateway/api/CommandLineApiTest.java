package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truestock.gateway.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command of the command line run in-process against a real server: its table, its {@code --json} output
 * (the API's JSON) and its exit code (0 success, 1 refusal, 2 usage or connection error).
 */
class CommandLineApiTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>();
    private Path tokenFile;

    /** What one run printed and returned. */
    record Run(int exit, String out, String err)
    {
        JsonNode json()
        {
            try
            {
                return JSON.readTree(out);
            }
            catch (final IOException ex)
            {
                throw new AssertionError("not JSON: " + out, ex);
            }
        }
    }

    @BeforeEach
    void catalog() throws IOException
    {
        tokenFile = Files.writeString(dir.resolve("admin.token"), ApiHarness.ADMIN_TOKEN + "\n");
        api.standardCatalog(5, "shoe");
    }

    @Test
    void stockShowsLocationsAndChannelsAsATableOrTheApisJson()
    {
        final Run table = remote("stock", "shoe");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("LOCATION").containsPattern("oak\\s+5\\s+0\\s+0\\s+0\\s+5")
            .containsPattern("shopify\\s+5\\s+low_stock\\s+89\\.99 USD");

        final Run json = remote("stock", "shoe", "--json");
        assertThat(json.exit()).isZero();
        assertThat(json.json().path("sku").asText()).isEqualTo("shoe");
        assertThat(json.json().path("locations").get(0).path("on_hand").asLong()).isEqualTo(5);
    }

    @Test
    void receiveAndAdjustChangeStockAndPrintTheRecord()
    {
        final Run received = remote("receive", "shoe", "oak", "3", "--reason", "PO 7");
        assertThat(received.exit()).as(received.err()).isZero();
        assertThat(received.out()).containsPattern("shoe\\s+oak\\s+8\\s");

        final Run adjusted = remote("adjust", "shoe", "oak", "-2", "--json");
        assertThat(adjusted.exit()).as(adjusted.err()).isZero();
        assertThat(adjusted.json().path("on_hand").asLong()).isEqualTo(6);

        final Run refused = remote("adjust", "shoe", "oak", "-100");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("refused: 409 conflict:").doesNotContain("\n");
    }

    @Test
    void offerReserveAndConfirm()
    {
        final Run offer = remote("offer", "shoe", "--channel", "shopify", "--qty", "2");
        assertThat(offer.exit()).as(offer.err()).isZero();
        assertThat(offer.out()).containsPattern("available\\s+5").containsPattern("price\\s+89\\.99 USD");
        assertThat(remote("offer", "shoe", "--channel", "shopify", "--json").json().path("qty").asInt()).isEqualTo(1);

        final Run reserved = remote("reserve", "--channel", "shopify", "shoe:2", "--json");
        assertThat(reserved.exit()).as(reserved.err()).isZero();
        final String id = reserved.json().path("id").asText();
        assertThat(reserved.json().path("status").asText()).isEqualTo("held");

        final Run confirmed = remote("confirm", id, "order-1");
        assertThat(confirmed.exit()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).contains("order order-1 confirmed").containsPattern("shoe\\s+2\\s+89\\.99 USD");

        final Run shortOfStock = remote("reserve", "--channel", "shopify", "shoe:50");
        assertThat(shortOfStock.exit()).isEqualTo(1);
        assertThat(shortOfStock.err()).contains("refused: 409 out_of_stock").containsPattern("shoe\\s+50\\s+3");

        final Run notALine = remote("reserve", "--channel", "shopify", "shoe");
        assertThat(notALine.exit()).isEqualTo(2);
        assertThat(notALine.err()).contains("'shoe' is not SKU:QTY");
    }

    @Test
    void channelsAndTheirSync()
    {
        final Run channels = remote("channels");
        assertThat(channels.exit()).as(channels.err()).isZero();
        assertThat(channels.out()).containsPattern("shopify\\s+shopify\\s+oak\\s+100").contains("amazon");
        assertThat(remote("channels", "--json").json().path("items")).hasSize(2);

        final Run sync = remote("channel-sync", "shopify");
        assertThat(sync.exit()).isEqualTo(1);
        assertThat(sync.err().strip()).isEqualTo("refused: 404 not_found: channel 'shopify' has no connector configured");
        assertThat(remote("reconcile", "shopify").exit()).isEqualTo(1);
    }

    @Test
    void auditListsASkusEntriesAndVerifiesTheChain()
    {
        final Run audit = remote("audit", "shoe");
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("SEQ").containsPattern("oak\\s+0 -> 5");
        assertThat(remote("audit", "shoe", "--json").json().path("entries").size()).isPositive();

        final Run verify = remote("audit", "verify");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("ok: ");
        assertThat(remote("audit", "verify", "--json").json().path("ok").asBoolean()).isTrue();
        assertThat(remote("audit").exit()).isEqualTo(2);
    }

    @Test
    void exportThenImportChangesNothingAndABadFileIsRefusedLineByLine() throws IOException
    {
        final Path exported = dir.resolve("inventory.csv");
        final Run export = remote("export", exported.toString(), "--format", "shopify");
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("wrote 1 rows to");
        assertThat(Files.readString(exported)).startsWith("Handle,Title,");

        final Run again = remote("import", exported.toString(), "--format", "shopify");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("1 rows, 0 changed, 1 unchanged");

        final Path counts = Files.writeString(dir.resolve("counts.csv"), "sku,location,on_hand\nshoe,oak,9\n");
        final Run dry = remote("import", counts.toString(), "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("dry run: 1 rows, 1 would change").containsPattern("2\\s+shoe\\s+oak\\s+5\\s+9");
        final Run applied = remote("import", counts.toString(), "--json");
        assertThat(applied.json().path("changed").asInt()).isEqualTo(1);
        assertThat(remote("stock", "shoe", "--json").json().path("locations").get(0).path("on_hand").asLong())
            .isEqualTo(9);

        final Path bad = Files.writeString(dir.resolve("bad.csv"), "sku,location,on_hand\nshoe,mars,1\nshoe,oak,x\n");
        final Run refused = remote("import", bad.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("line 2: unknown location 'mars'").contains("line 3: on hand 'x'")
            .contains("refused: 2 rows have errors; nothing was applied");

        final Run missing = remote("import", dir.resolve("nope.csv").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void aServerThatCannotBeReachedIsExitCodeTwo() throws IOException
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        final Run run = run("stock", "shoe", "--url", "http://127.0.0.1:" + port, "--token-file", tokenFile.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("cannot reach the server at http://127.0.0.1:" + port)
            .doesNotContain("\n");
    }

    @Test
    void theTokenComesFromTheEnvironmentAndAMissingOneIsARefusal()
    {
        final Run anonymous = run("channels", "--url", url());
        assertThat(anonymous.exit()).isEqualTo(1);
        assertThat(anonymous.err()).contains("refused: 401 unauthorized");

        environment.put("TRUESTOCK_TOKEN", ApiHarness.ADMIN_TOKEN);
        final Run fromEnvironment = run("channels", "--url", url());
        assertThat(fromEnvironment.exit()).as(fromEnvironment.err()).isZero();
        assertThat(fromEnvironment.out()).contains("shopify");
    }

    @Test
    void usageErrorsAreExitCodeTwoAndEveryCommandsHelpHasAnExample()
    {
        assertThat(run("stock").exit()).isEqualTo(2);
        assertThat(run("stock", "shoe", "--colour").exit()).isEqualTo(2);
        assertThat(run("stock", "shoe", "--url", "not a url").exit()).isEqualTo(2);

        final Run help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Examples:").contains("import").contains("channel-sync");
        for (final String command : List.of("stock", "receive", "adjust", "offer", "reserve", "confirm", "channels",
            "channel-sync", "reconcile", "audit", "import", "export"))
        {
            final Run commandHelp = run(command, "--help");
            assertThat(commandHelp.exit()).isZero();
            assertThat(commandHelp.out()).as(command).contains("Example").contains("truestock " + command);
        }
        assertThat(run("audit", "verify", "--help").out()).contains("truestock audit verify");
    }

    private String url()
    {
        return "http://127.0.0.1:" + api.port();
    }

    /** Runs a command against the test's server with the admin token. */
    private Run remote(final String... args)
    {
        final List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--url", url(), "--token-file", tokenFile.toString()));
        return run(all.toArray(new String[0]));
    }

    private Run run(final String... args)
    {
        final CommandLine commandLine = Main.commandLine(new Main(environment::get));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
