package io.truestock.gateway;

import io.truestock.gateway.cli.AdjustCommand;
import io.truestock.gateway.cli.AuditCommand;
import io.truestock.gateway.cli.ChannelSyncCommand;
import io.truestock.gateway.cli.ChannelsCommand;
import io.truestock.gateway.cli.CliFailure;
import io.truestock.gateway.cli.ConfirmCommand;
import io.truestock.gateway.cli.ExportCommand;
import io.truestock.gateway.cli.ImportCommand;
import io.truestock.gateway.cli.OfferCommand;
import io.truestock.gateway.cli.ReceiveCommand;
import io.truestock.gateway.cli.ReconcileCommand;
import io.truestock.gateway.cli.Remote;
import io.truestock.gateway.cli.ReserveCommand;
import io.truestock.gateway.cli.StockCommand;
import io.truestock.journal.sim.Fault;
import io.truestock.journal.sim.Simulation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The {@code truestock} command line: {@code server} and {@code demo} run a server, {@code simulate} runs the
 * deterministic simulator; the other commands (package
 * {@code io.truestock.gateway.cli}) talk to a running one over the HTTP API. Exit codes: 0 success, 1 a refusal by
 * the server, 2 a usage or connection error.
 */
@Command(name = "truestock", mixinStandardHelpOptions = true, version = "truestock 0.1.0",
    description = {"Low-latency, journaled inventory engine for multichannel sellers.",
        "server and demo run a server; the other commands talk to a running one (--url, default " +
            "http://127.0.0.1:8080) with a bearer token from --token-file or TRUESTOCK_TOKEN, print tables, or the " +
            "API's JSON with --json, and exit 0 on success, 1 when the server refuses, 2 on usage or connection " +
            "errors."},
    subcommands = {Main.Server.class, Main.Demo.class, StockCommand.class, ReceiveCommand.class,
        AdjustCommand.class, OfferCommand.class, ReserveCommand.class, ConfirmCommand.class, ChannelsCommand.class,
        ChannelSyncCommand.class, ReconcileCommand.class, AuditCommand.class, ImportCommand.class,
        ExportCommand.class, Main.Simulate.class},
    footer = {"", "Examples:", "  ./truestock demo",
        "  ./truestock stock trail-shoe-black-m --token-file data/demo/admin.token",
        "  TRUESTOCK_TOKEN=... ./truestock export inventory.csv --format shopify"})
public final class Main implements Remote.EnvironmentAware
{
    private final Function<String, String> environment;

    public Main()
    {
        this(System::getenv);
    }

    /** @param environment where commands read environment variables (the token) from. */
    public Main(final Function<String, String> environment)
    {
        this.environment = environment;
    }

    @Override
    public Function<String, String> environment()
    {
        return environment;
    }

    public static void main(final String[] args)
    {
        if (args.length > 0 && (args[0].equals("server") || args[0].equals("demo")))
        {
            // Only the command that runs is built: reflecting over every command's options costs a server's start
            // about a tenth of a second.
            final CommandLine command = handlingFailures(new CommandLine(args[0].equals("server") ? new Server() :
                new Demo())).setCommandName("truestock " + args[0]);
            System.exit(command.execute(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(commandLine(new Main()).execute(args));
    }

    /**
     * The command line with its error handling: a command that ends with a {@link CliFailure} prints its one line
     * on standard error and exits with its code; any other failure is a usage or connection error (2).
     */
    public static CommandLine commandLine(final Main main)
    {
        return handlingFailures(new CommandLine(main));
    }

    private static CommandLine handlingFailures(final CommandLine commandLine)
    {
        commandLine.setExecutionExceptionHandler((ex, line, parsed) ->
        {
            if (ex instanceof CliFailure failure)
            {
                line.getErr().println(failure.getMessage());
                line.getErr().flush();
                return failure.exitCode();
            }
            line.getErr().println("error: " + ex);
            line.getErr().flush();
            return CliFailure.USAGE_OR_CONNECTION;
        });
        return commandLine;
    }

    static class ServerOptions
    {
        @Option(names = "--data-dir", description = "where everything is persisted (default: ${DEFAULT-VALUE})")
        Path dataDir;

        @Option(names = "--http-port", description = "HTTP/JSON port (0 picks a free one)")
        Integer httpPort;

        @Option(names = "--binary-port", description = "binary protocol port (0 picks a free one, -1 disables it)")
        Integer binaryPort;

        @Option(names = "--host", description = "address to listen on (default 127.0.0.1)")
        String host;

        @Option(names = "--config", description = "YAML config file; command-line options override it")
        Path config;

        ServerConfig toConfig(final Path defaultDataDir)
        {
            final ServerConfig server = new ServerConfig().dataDir(defaultDataDir);
            if (config != null)
            {
                ConfigFile.apply(config, server);
            }
            if (dataDir != null)
            {
                server.dataDir(dataDir);
            }
            if (httpPort != null)
            {
                server.httpPort(httpPort);
            }
            if (binaryPort != null)
            {
                server.binaryPort(binaryPort);
            }
            if (host != null)
            {
                server.host(host);
            }
            return server;
        }
    }

    static int run(final TruestockServer server, final Runnable afterStart) throws InterruptedException
    {
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.close();
            stopped.countDown();
        }, "truestock-shutdown"));
        afterStart.run();
        stopped.await();
        return 0;
    }

    static void printAccess(final TruestockServer server)
    {
        final String base = "http://" + server.config().host() + ':' + server.httpPort();
        System.out.println("Truestock is ready at " + base + "  (GET " + base + "/health)");
        if (server.binaryPort() >= 0)
        {
            System.out.println("Binary protocol on " + server.config().host() + ':' + server.binaryPort());
        }
        if (server.keys().generatedAdminTokenFile() != null)
        {
            System.out.println("Admin token: stored in " + server.keys().generatedAdminTokenFile() + " (mode 0600)");
        }
        else
        {
            System.out.println("Admin token: from TRUESTOCK_ADMIN_TOKEN");
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true, description = "Run the server.")
    static final class Server implements Callable<Integer>
    {
        @CommandLine.Mixin
        final ServerOptionsMixin options = new ServerOptionsMixin();

        @Override
        public Integer call() throws Exception
        {
            final TruestockServer server = TruestockServer.start(options.toConfig(Path.of("data")));
            return run(server, () -> printAccess(server));
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the server with the embedded demo catalog (loaded once into an empty data dir).")
    static final class Demo implements Callable<Integer>
    {
        @CommandLine.Mixin
        final ServerOptionsMixin options = new ServerOptionsMixin();

        @Override
        public Integer call() throws Exception
        {
            final ServerConfig config = options.toConfig(Path.of("data", "demo"));
            // The demo takes payments in the sandbox: tok_sandbox_success pays, tok_sandbox_decline is declined.
            config.checkout().sandbox(true);
            final TruestockServer server = TruestockServer.start(config);
            if (server.engine().skuCount() == 0)
            {
                final int loaded = DemoCatalog.load(server.runtime());
                System.out.println("Loaded the demo catalog: " + loaded + " commands, " + server.engine().skuCount() +
                    " SKUs, " + server.engine().channelCount() + " channels, " + server.engine().locationCount() +
                    " locations.");
            }
            return run(server, () ->
            {
                printAccess(server);
                final String base = "http://" + server.config().host() + ':' + server.httpPort();
                System.out.println("Console: " + base + "/ (sign in with the admin token)  docs: " + base + "/docs");
                final String token = server.keys().generatedAdminTokenFile() != null ?
                    "$(cat " + server.keys().generatedAdminTokenFile() + ")" : "$TRUESTOCK_ADMIN_TOKEN";
                System.out.println("Try:");
                System.out.println("  curl -s -H \"Authorization: Bearer " + token + "\" '" + base +
                    "/v1/offers/trail-shoe-black-m?channel=shopify&qty=1&country=US&postal_code=94103'");
                System.out.println("  curl -s -H \"Authorization: Bearer " + token + "\" -H 'Content-Type: application/json' " +
                    "-d '{\"channel\":\"amazon\",\"lines\":[{\"sku\":\"kit-0\",\"qty\":1}],\"ttl_seconds\":600}' " +
                    base + "/v1/reservations");
                System.out.println("ACP discovery (payments in the sandbox): " + base + "/.well-known/acp.json");
                System.out.println("UCP discovery (payments in the sandbox): " + base + "/.well-known/ucp");
                printMcp(server, base);
                System.out.println("Stop with Ctrl-C (SIGTERM drains the ring and flushes the journal).");
            });
        }
    }

    /** Where the demo keeps the token of its agent key, so a restarted demo shows the same one. */
    static final String DEMO_AGENT_TOKEN_FILE = "demo-agent-token";

    /** The MCP endpoint and a client configuration with the demo's agent key (created on first run). */
    static void printMcp(final TruestockServer server, final String base)
    {
        final String token;
        try
        {
            token = demoAgentToken(server);
        }
        catch (final IOException | RuntimeException ex)
        {
            System.out.println("MCP endpoint: " + base + "/mcp (no agent key: " + ex.getMessage() + ")");
            return;
        }
        System.out.println("MCP endpoint (Streamable HTTP, tools " + String.join(", ", server.mcpToolNames()) + "):");
        System.out.println("  " + base + "/mcp  with the demo's agent key (" +
            server.config().dataDir().resolve(DEMO_AGENT_TOKEN_FILE) + ")");
        System.out.println("MCP client configuration (the mcpServers entry of a client's JSON configuration):");
        System.out.println("  {\"mcpServers\": {\"truestock\": {\"type\": \"http\", \"url\": \"" + base + "/mcp\", " +
            "\"headers\": {\"Authorization\": \"Bearer " + token + "\"}}}}");
    }

    /** The demo's agent-scope key: the one stored in the data dir while it is valid, else a new one. */
    static String demoAgentToken(final TruestockServer server) throws IOException
    {
        final Path file = server.config().dataDir().resolve(DEMO_AGENT_TOKEN_FILE);
        if (Files.exists(file))
        {
            final String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (server.keys().authenticate(stored) != null)
            {
                return stored;
            }
        }
        final String token = server.keys().create("agent", null).token();
        final Path tmp = file.resolveSibling(DEMO_AGENT_TOKEN_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        try
        {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        return token;
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the deterministic simulator: the engine and journal in virtual time, many clients with " +
            "retries, injected crashes and damage, every step checked against an independent model. The same seed " +
            "prints the same report; on a violation it prints the seed, the step and a minimal trace, and exits 1.")
    static final class Simulate implements Callable<Integer>
    {
        @Option(names = "--seed", required = true, description = "seed of the run")
        long seed;

        @Option(names = "--steps", required = true, description = "steps to run")
        long steps;

        @Option(names = "--faults", description = "comma-separated faults to inject (all, none, crash-before-append, " +
            "crash-after-append, crash-after-seal, crash-after-apply, torn-record, corrupt-snapshot, missing-snapshot, " +
            "restart, downtime; default: ${DEFAULT-VALUE})")
        String faults = "all";

        @Option(names = "--work-dir", description = "where the simulated data dirs go (default: a temporary directory)")
        Path workDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            if (steps < 1)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--steps must be at least 1");
            }
            final EnumSet<Fault> parsed;
            try
            {
                parsed = Fault.parse(faults);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
            }
            return Simulation.run(seed, steps, parsed, workDir, System.out, System.err);
        }
    }

    /** picocli mixin holding the shared server options. */
    static final class ServerOptionsMixin extends ServerOptions
    {
    }
}
