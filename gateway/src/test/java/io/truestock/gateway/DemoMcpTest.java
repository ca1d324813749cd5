package io.truestock.gateway;

import io.truestock.gateway.auth.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ./truestock demo} tells about the MCP endpoint: the URL and a client configuration with its agent key. */
class DemoMcpTest
{
    @TempDir
    Path dataDir;

    @Test
    void theDemoPrintsTheEndpointAndAnAgentKeyItKeepsAcrossRestarts() throws Exception
    {
        final String first;
        try (TruestockServer server = start())
        {
            final String base = "http://127.0.0.1:" + server.httpPort();
            final String printed = printed(server, base);
            first = Files.readString(dataDir.resolve(Main.DEMO_AGENT_TOKEN_FILE)).strip();
            assertThat(printed).contains(base + "/mcp").contains("\"mcpServers\"").contains("get_offer")
                .contains("\"Authorization\": \"Bearer " + first + "\"");
            final Principal principal = server.keys().authenticate(first);
            assertThat(principal).isNotNull();
            assertThat(principal.scope()).isEqualTo(Principal.Scope.AGENT);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dataDir.resolve(Main.DEMO_AGENT_TOKEN_FILE)))).isEqualTo("rw-------");
            assertThat(Main.demoAgentToken(server)).as("the same key while it is valid").isEqualTo(first);
        }
        try (TruestockServer server = start())
        {
            assertThat(Main.demoAgentToken(server)).as("after a restart").isEqualTo(first);
        }
    }

    private TruestockServer start() throws Exception
    {
        return TruestockServer.start(new ServerConfig().dataDir(dataDir).httpPort(0).binaryPort(-1)
            .adminToken("demo-admin").ioThreads(1));
    }

    private static String printed(final TruestockServer server, final String base)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            Main.printMcp(server, base);
        }
        finally
        {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
