package io.truestock.benchmarks.peers;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The side-by-side flash sale: the same load generator, the same concurrency and the same operations against
 * Truestock's binary protocol and its HTTP edge, Redis (Lua reserve script) and PostgreSQL (conditional UPDATE), one
 * after the other in one run, then the propagation of an order to live stream subscribers on Truestock. Writes the
 * results as Markdown and JSON. Servers for the peers are started by the caller ({@code benchmarks/run-peers.sh}); Truestock is
 * started here, in-process. The script's C load generator phase, where every server runs in its own process, is
 * measured by the script and rendered into the same results ({@code --c-phase}, {@link CPhase}).
 */
@Command(name = "flash-sale", mixinStandardHelpOptions = true,
    description = "Flash-sale comparison of Truestock (binary protocol and HTTP) against Redis and PostgreSQL on one " +
        "machine.")
public final class FlashSaleComparison implements Callable<Integer>
{
    public static final String TRUESTOCK_BINARY = "truestock-binary";
    public static final String TRUESTOCK_HTTP = "truestock-http";
    public static final String REDIS = "redis";
    public static final String POSTGRESQL = "postgresql";
    /** Every system {@link #open} knows; a new one is a name here and a case there. */
    static final List<String> KNOWN_TARGETS = List.of(TRUESTOCK_BINARY, TRUESTOCK_HTTP, REDIS, POSTGRESQL);

    @Option(names = "--targets", split = ",", description = "systems to run, in order (default: ${DEFAULT-VALUE})")
    List<String> targets = new ArrayList<>(List.of(TRUESTOCK_BINARY, TRUESTOCK_HTTP, REDIS, POSTGRESQL));

    @Option(names = "--unavailable", description = "name=reason of a system that could not be installed or started; " +
        "it is reported, not run (repeatable)")
    Map<String, String> unavailable = new LinkedHashMap<>();

    @Option(names = "--redis", description = "host:port of the Redis server (default: ${DEFAULT-VALUE})")
    String redis = "127.0.0.1:6379";

    @Option(names = "--postgres", description = "host:port of the PostgreSQL server (default: ${DEFAULT-VALUE})")
    String postgres = "127.0.0.1:5432";

    @Option(names = "--postgres-user", description = "PostgreSQL user (default: ${DEFAULT-VALUE})")
    String postgresUser = "bench";

    @Option(names = "--postgres-database", description = "PostgreSQL database (default: ${DEFAULT-VALUE})")
    String postgresDatabase = "postgres";

    @Option(names = "--clients",
        description = "load threads, each with its own connection (default: ${DEFAULT-VALUE})")
    int clients = 32;

    @Option(names = "--attempts",
        description = "reservation attempts of the closed-loop flash sale (default: ${DEFAULT-VALUE})")
    long attempts = 100_000;

    @Option(names = "--demand-factor",
        description = "reservation attempts per unit of stock (default: ${DEFAULT-VALUE})")
    int demandFactor = 10;

    @Option(names = "--read-percent",
        description = "share of operations that are availability reads (default: ${DEFAULT-VALUE})")
    int readPercent = 90;

    @Option(names = "--read-skus", description = "SKUs the reads go to (default: ${DEFAULT-VALUE})")
    int readSkus = 10_000;

    @Option(names = "--warmup-attempts",
        description = "reservation attempts of the unreported warm-up sale (default: ${DEFAULT-VALUE})")
    long warmupAttempts = 3_000;

    @Option(names = "--open-rates", split = ",",
        description = "offered rates (operations/s) of the open-loop sales (default: ${DEFAULT-VALUE})")
    List<Long> openRates = new ArrayList<>(List.of(1_000L, 4_000L));

    @Option(names = "--open-seconds", description = "length of each open-loop sale (default: ${DEFAULT-VALUE})")
    int openSeconds = 10;

    @Option(names = "--time-limit-seconds",
        description = "bound on any one sale; what is not sent by then is reported as unsent " +
            "(default: ${DEFAULT-VALUE})")
    int timeLimitSeconds = 300;

    @Option(names = "--propagation-subscribers",
        description = "SSE subscribers (default: ${DEFAULT-VALUE}; 0 skips the measurement)")
    int propagationSubscribers = 40;

    @Option(names = "--propagation-orders", description = "measured orders (default: ${DEFAULT-VALUE})")
    int propagationOrders = 1_000;

    @Option(names = "--propagation-warmup", description = "unmeasured orders first (default: ${DEFAULT-VALUE})")
    int propagationWarmup = 200;

    @Option(names = "--propagation-rate", description = "orders per second (default: ${DEFAULT-VALUE})")
    long propagationRate = 200;

    @Option(names = "--truestock-fsync", description = "fsync Truestock's journal at the end of every ring batch")
    boolean truestockFsync;

    @Option(names = "--truestock-jdk-client", description = "send Truestock's measured requests with java.net.http " +
        "instead of the blocking client the peers' clients resemble")
    boolean truestockJdkClient;

    @Option(names = "--truestock-client-io-threads",
        description = "I/O threads the binary client's connections share (default: ${DEFAULT-VALUE})")
    int truestockClientIoThreads = 2;

    @Option(names = "--smoke", description = "seconds-long run against Truestock only, tiny counts (for CI)")
    boolean smoke;

    @Option(names = "--out", description = "write PREFIX.md and PREFIX.json (default: print the Markdown only)")
    Path out;

    @Option(names = "--work-dir",
        description = "where Truestock's temporary data dir goes (default: the system's temporary directory)")
    Path workDir;

    @Option(names = "--note", description = "key=value recorded in the results, e.g. package versions (repeatable)")
    Map<String, String> notes = new LinkedHashMap<>();

    @Option(names = "--command", description = "the command line to record in the results")
    String command;

    @Option(names = "--c-phase", description = "rows of the C load generator phase, measured by " +
        "benchmarks/run-peers.sh (tab-separated, see CPhase), to render into the results")
    Path cPhaseFile;

    @Option(names = "--c-phase-note", description = "key=value recorded with the C load generator phase (repeatable)")
    Map<String, String> cPhaseNotes = new LinkedHashMap<>();

    @Option(names = "--c-only", description = "run none of the harness's own sales: report the C load generator " +
        "phase (--c-phase) alone")
    boolean cOnly;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new FlashSaleComparison()).execute(args));
    }

    /** A comparison configured like {@code --smoke}: Truestock only (both edges), a few hundred operations a sale. */
    public static FlashSaleComparison smokeOptions()
    {
        final FlashSaleComparison options = new FlashSaleComparison();
        options.smoke = true;
        return options.applySmoke();
    }

    private FlashSaleComparison applySmoke()
    {
        targets = new ArrayList<>(List.of(TRUESTOCK_BINARY, TRUESTOCK_HTTP));
        clients = Math.min(clients, 8);
        attempts = 500;
        readSkus = 100;
        warmupAttempts = 100;
        openRates = new ArrayList<>(List.of(500L));
        openSeconds = 1;
        timeLimitSeconds = 60;
        propagationSubscribers = Math.min(propagationSubscribers, 8);
        propagationOrders = 20;
        propagationWarmup = 5;
        propagationRate = 100;
        return this;
    }

    @Override
    public Integer call() throws Exception
    {
        if (smoke)
        {
            applySmoke();
        }
        final Results results = run();
        final String markdown = Report.markdown(results);
        if (out != null)
        {
            Report.write(results, out);
            System.out.println("wrote " + out + ".md and " + out + ".json");
        }
        System.out.println(markdown);
        return results.truestockOversold() || results.cPhase() != null && results.cPhase().oversold() ? 2 : 0;
    }

    /** Everything one run measured; {@code cPhase} is null when the C load generator phase did not run. */
    public record Results(String date, String command, Map<String, String> machine, Map<String, Object> scenario,
        Map<String, String> notes, List<TargetRun> targets, CPhase cPhase)
    {
        /** The run of one system, by name. */
        public TargetRun target(final String name)
        {
            return targets.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        }

        boolean truestockOversold()
        {
            return targets.stream().filter(t -> t.name().startsWith("truestock"))
                .flatMap(t -> t.phases().stream()).anyMatch(p -> p.oversells() > 0);
        }
    }

    /**
     * One system's run: its settings, its phases (warm-up first), Truestock's propagation, or why it did not run.
     */
    public record TargetRun(String name, Map<String, String> settings, List<PhaseResult> phases,
        Propagation.Result propagation, String notRun)
    {
        /** The phase of that name, or null. */
        public PhaseResult phase(final String phase)
        {
            return phases.stream().filter(p -> p.phase().equals(phase)).findFirst().orElse(null);
        }
    }

    /** Runs every configured system in turn; a system that fails is recorded with its error and the run goes on. */
    public Results run() throws Exception
    {
        validate();
        if (cOnly)
        {
            targets = new ArrayList<>();
            unavailable.clear();
        }
        final Map<String, String> machine = Machine.describe();
        final List<TargetRun> runs = new ArrayList<>();
        for (final String name : targets)
        {
            if (unavailable.containsKey(name))
            {
                runs.add(new TargetRun(name, Map.of(), List.of(), null, unavailable.get(name)));
                continue;
            }
            System.err.println("flash-sale: " + name + " ...");
            runs.add(runTarget(name));
        }
        for (final Map.Entry<String, String> entry : unavailable.entrySet())
        {
            if (!targets.contains(entry.getKey()))
            {
                runs.add(new TargetRun(entry.getKey(), Map.of(), List.of(), null, entry.getValue()));
            }
        }
        final Map<String, Object> scenario = new LinkedHashMap<>();
        scenario.put("clients", clients);
        scenario.put("closed_loop_reserve_attempts", attempts);
        scenario.put("closed_loop_stock", Math.max(1, attempts / demandFactor));
        scenario.put("demand_factor", demandFactor);
        scenario.put("read_percent", readPercent);
        scenario.put("read_skus", readSkus);
        scenario.put("reservation_qty", 1);
        scenario.put("reservation_ttl_s", Workload.TTL_SECONDS);
        scenario.put("warmup_reserve_attempts", warmupAttempts);
        scenario.put("open_loop_rates_ops_per_s", openRates);
        scenario.put("open_loop_seconds", openSeconds);
        scenario.put("time_limit_s", timeLimitSeconds);
        scenario.put("smoke", smoke);
        scenario.put("c_only", cOnly);
        machine.put("load_average_at_end", Machine.loadAverage() + " (1, 5, 15 min)");
        final CPhase cPhase = cPhaseFile == null ? null : CPhase.read(cPhaseFile, cPhaseNotes);
        return new Results(LocalDate.now(ZoneOffset.UTC).toString(), command, machine, scenario,
            new LinkedHashMap<>(notes), runs, cPhase);
    }

    private void validate()
    {
        if (clients < 1 || attempts < 1 || demandFactor < 1 || readSkus < 1 || openSeconds < 1 || timeLimitSeconds < 1)
        {
            throw new IllegalArgumentException(
                "clients, attempts, demand factor, read SKUs and seconds must be positive");
        }
        if (truestockClientIoThreads < 1 || truestockClientIoThreads > 64)
        {
            throw new IllegalArgumentException("--truestock-client-io-threads must be in [1, 64]");
        }
        if (cOnly && cPhaseFile == null)
        {
            throw new IllegalArgumentException("--c-only needs --c-phase");
        }
        for (final String name : targets)
        {
            if (!KNOWN_TARGETS.contains(name))
            {
                throw new IllegalArgumentException("unknown target '" + name + "' (known: " + KNOWN_TARGETS + ")");
            }
        }
    }

    private TargetRun runTarget(final String name)
    {
        Path dataDir = null;
        Target target = null;
        final List<PhaseResult> phases = new ArrayList<>();
        Map<String, String> settings = Map.of();
        Propagation.Result propagation = null;
        try
        {
            if (name.startsWith("truestock"))
            {
                dataDir = workDir == null ? Files.createTempDirectory("truestock-flash-sale") :
                    Files.createTempDirectory(workDir, "truestock-flash-sale");
            }
            target = open(name, dataDir);
            settings = target.describe();
            target.loadCatalog(readSkus, 1_000);
            final long limitMillis = timeLimitSeconds * 1000L;
            if (warmupAttempts > 0)
            {
                phases.add(LoadGenerator.closedLoop(target, "warmup", Workload.flashSale("hot-warmup", warmupAttempts,
                    demandFactor, readPercent, readSkus), clients, limitMillis));
            }
            phases.add(LoadGenerator.closedLoop(target, "closed", Workload.flashSale("hot-closed", attempts,
                demandFactor, readPercent, readSkus), clients, limitMillis));
            for (final long rate : openRates)
            {
                final long ops = rate * openSeconds;
                final long openAttempts = Math.max(1, ops * (100 - readPercent) / 100);
                phases.add(LoadGenerator.openLoop(target, "open-" + rate, Workload.flashSale("hot-open-" + rate,
                    openAttempts, demandFactor, readPercent, readSkus), clients, rate, limitMillis));
            }
            if (target instanceof TruestockHttpTarget truestock && propagationSubscribers > 0)
            {
                propagation = Propagation.measure(truestock, propagationSubscribers, propagationWarmup,
                    propagationOrders, propagationRate);
            }
            return new TargetRun(name, settings, phases, propagation, null);
        }
        catch (final Exception ex)
        {
            ex.printStackTrace();
            return new TargetRun(name, settings, phases, propagation, "failed: " + ex);
        }
        finally
        {
            if (target != null)
            {
                target.close();
            }
            deleteQuietly(dataDir);
        }
    }

    /** Starts or connects to one system, with one connection per load thread. */
    private Target open(final String name, final Path dataDir) throws Exception
    {
        return switch (name)
        {
            case TRUESTOCK_BINARY -> TruestockBinaryTarget.start(dataDir.resolve("data"), truestockFsync, clients,
                truestockClientIoThreads);
            case TRUESTOCK_HTTP -> TruestockHttpTarget.start(dataDir.resolve("data"), truestockFsync, clients,
                truestockJdkClient);
            case REDIS -> new RedisTarget(host(redis), port(redis), clients);
            case POSTGRESQL -> new PostgresTarget(host(postgres), port(postgres), postgresDatabase, postgresUser,
                clients);
            default -> throw new IllegalArgumentException("unknown target '" + name + "'");
        };
    }

    private static String host(final String hostPort)
    {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    private static int port(final String hostPort)
    {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static void deleteQuietly(final Path dir)
    {
        if (dir == null)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final Exception ignored)
        {
            // A temporary directory left behind is not worth failing the run for.
        }
    }
}
