package io.truestock.benchmarks.peers;

import io.truestock.client.ClientConfig;
import io.truestock.client.ClientEventLoops;
import io.truestock.client.CommandResult;
import io.truestock.client.Line;
import io.truestock.client.TruestockClient;
import io.truestock.sbe.RejectCode;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop reservation load generator that runs in its own process against a server running in its own, for
 * the protocols no C load generator speaks: Truestock's binary protocol (with the client module's
 * {@link TruestockClient}) and, with the same loop, Redis's reservation script over RESP, so that the two can be
 * compared through one generator as well as through {@code redis-benchmark}.
 * <p>
 * Each connection has its own thread, which writes {@code depth} reservations (qty 1) at once, waits for all their
 * answers and starts again: depth 1 is one request at a time, depth 16 is pipelining as {@code redis-benchmark -P 16}
 * does it. A request's latency runs from its batch's send to its own answer. The first {@code --warmup-seconds} are
 * not counted. With {@code --server-pid} the server's CPU time and context switches over the measured window are
 * read from {@code /proc} ({@link ProcessCost}).
 * <p>
 * Prints one line, {@code pipelined-result key=value ...}, that {@code benchmarks/run-peers.sh} reads.
 */
@Command(name = "pipelined-load", mixinStandardHelpOptions = true,
    description = "Closed-loop, optionally pipelined reservations against Truestock's binary protocol or Redis.")
public final class PipelinedLoad implements Callable<Integer>
{
    private static final int TIMEOUT_MILLIS = 10_000;

    @Option(names = "--system", required = true, description = "truestock-binary or redis")
    String system;

    @Option(names = "--host", description = "server address (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--port", required = true, description = "server port")
    int port;

    @Option(names = "--token", description = "Truestock API key that may reserve (truestock-binary)")
    String token;

    @Option(names = "--sku", description = "SKU reserved (default: ${DEFAULT-VALUE})")
    String sku = "hot";

    @Option(names = "--channel", description = "Truestock channel reserved on (default: ${DEFAULT-VALUE})")
    String channel = TruestockHttpTarget.CHANNEL;

    @Option(names = "--ttl-seconds", description = "hold of each reservation (default: ${DEFAULT-VALUE})")
    int ttlSeconds = 1;

    @Option(names = "--connections", description = "connections, one thread each (default: ${DEFAULT-VALUE})")
    int connections = 32;

    @Option(names = "--depth", description = "requests written at once per connection (default: ${DEFAULT-VALUE})")
    int depth = 1;

    @Option(names = "--seconds", description = "measured seconds (default: ${DEFAULT-VALUE})")
    int seconds = 10;

    @Option(names = "--warmup-seconds", description = "unmeasured seconds first (default: ${DEFAULT-VALUE})")
    int warmupSeconds = 2;

    @Option(names = "--client-io-threads",
        description = "I/O threads the Truestock client's connections share (default: ${DEFAULT-VALUE})")
    int clientIoThreads = 2;

    @Option(names = "--server-pid", description = "the server's process id, to read its CPU and context switches")
    long serverPid;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new PipelinedLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (connections < 1 || depth < 1 || depth > 256 || seconds < 1 || warmupSeconds < 0 || ttlSeconds < 1)
        {
            throw new IllegalArgumentException("connections, seconds and ttl must be positive, depth in [1, 256]");
        }
        final Sender.Factory factory = switch (system)
        {
            case FlashSaleComparison.TRUESTOCK_BINARY -> truestock();
            case FlashSaleComparison.REDIS -> redis();
            default -> throw new IllegalArgumentException("unknown system '" + system + "'");
        };
        final long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds) +
            TimeUnit.MILLISECONDS.toNanos(200);
        final long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        final AtomicReference<String> firstError = new AtomicReference<>();
        final List<Worker> workers = new ArrayList<>();
        try
        {
            for (int c = 0; c < connections; c++)
            {
                workers.add(new Worker(factory.open(), depth, measureFrom, measureTo, firstError));
            }
            final List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < workers.size(); c++)
            {
                final Thread thread = new Thread(workers.get(c), "pipelined-load-" + c);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            LoadGenerator.parkUntil(measureFrom);
            final ProcessCost before = serverPid > 0 ? ProcessCost.of(serverPid) : null;
            LoadGenerator.parkUntil(measureTo);
            final ProcessCost cost = serverPid > 0 ? ProcessCost.of(serverPid).since(before) : null;
            for (final Thread thread : threads)
            {
                thread.join(TIMEOUT_MILLIS * 2L);
            }
            print(workers, cost, firstError.get());
        }
        finally
        {
            workers.forEach(w -> w.sender.close());
            factory.close();
        }
        return 0;
    }

    private void print(final List<Worker> workers, final ProcessCost cost, final String firstError)
    {
        final Histogram nanos = Latency.newHistogram();
        long requests = 0;
        long rejected = 0;
        long errors = 0;
        for (final Worker worker : workers)
        {
            nanos.add(worker.nanos);
            requests += worker.requests;
            rejected += worker.rejected;
            errors += worker.errors;
        }
        final Latency latency = Latency.of(nanos);
        final StringBuilder line = new StringBuilder("pipelined-result");
        line.append(" requests=").append(requests)
            .append(" duration_us=").append(TimeUnit.SECONDS.toMicros(seconds))
            .append(String.format(Locale.ROOT, " p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f",
                latency.p50Micros(), latency.p99Micros(), latency.p999Micros(), latency.maxMicros()))
            .append(" rejected=").append(rejected)
            .append(" errors=").append(errors);
        if (cost != null)
        {
            line.append(" server_cpu_ticks=").append(cost.cpuTicks())
                .append(" server_context_switches=").append(cost.contextSwitches());
        }
        if (firstError != null)
        {
            line.append(" first_error=").append(firstError.replaceAll("\\s+", "_"));
        }
        System.out.println(line);
    }

    private Sender.Factory truestock()
    {
        if (token == null)
        {
            throw new IllegalArgumentException("--token is required for " + FlashSaleComparison.TRUESTOCK_BINARY);
        }
        final ClientEventLoops loops = new ClientEventLoops(clientIoThreads);
        final ClientConfig config = new ClientConfig().eventLoops(loops).clientName("pipelined-load")
            .connectTimeoutMillis(TIMEOUT_MILLIS).maxInFlight(Math.max(depth, 1));
        final List<Line> lines = List.of(new Line(sku, 1));
        return new Sender.Factory()
        {
            @Override
            public Sender open()
            {
                final TruestockClient client = TruestockClient.connect(host, port, token, config);
                return new TruestockSender(client, channel, lines, ttlSeconds, depth);
            }

            @Override
            public void close()
            {
                loops.close();
            }
        };
    }

    private Sender.Factory redis() throws Exception
    {
        final String sha;
        try (RespConnection connection = new RespConnection(host, port, TIMEOUT_MILLIS))
        {
            sha = (String)connection.call("SCRIPT", "LOAD", RedisTarget.RESERVE_SCRIPT);
        }
        return new Sender.Factory()
        {
            @Override
            public Sender open() throws Exception
            {
                return new RedisSender(new RespConnection(host, port, TIMEOUT_MILLIS), sha, sku, ttlSeconds);
            }

            @Override
            public void close()
            {
            }
        };
    }

    /** One connection's way of sending a batch of reservations and waiting for their answers. */
    interface Sender extends AutoCloseable
    {
        /** Answer of one reservation. */
        enum Outcome
        {
            HELD, REJECTED, ERROR
        }

        /**
         * Sends {@code count} reservations at once and waits for every answer; fills {@code answeredAt} (nanoTime of
         * each answer) and {@code outcomes}. An exception fails the whole batch.
         */
        void batch(int count, long[] answeredAt, Outcome[] outcomes) throws Exception;

        @Override
        void close();

        /** Opens one connection's sender. */
        interface Factory
        {
            Sender open() throws Exception;

            void close();
        }
    }

    private static final class TruestockSender implements Sender
    {
        private final TruestockClient client;
        private final String channel;
        private final List<Line> lines;
        private final int ttlSeconds;
        private final List<CompletableFuture<CommandResult>> futures;

        TruestockSender(
            final TruestockClient client, final String channel, final List<Line> lines, final int ttlSeconds,
            final int depth)
        {
            this.client = client;
            this.channel = channel;
            this.lines = lines;
            this.ttlSeconds = ttlSeconds;
            this.futures = new ArrayList<>(depth);
        }

        @Override
        public void batch(final int count, final long[] answeredAt, final Outcome[] outcomes) throws Exception
        {
            futures.clear();
            for (int i = 0; i < count; i++)
            {
                final int slot = i;
                // whenComplete's own future completes after the action, so the instant is written before join sees it.
                futures.add(client.reserve(channel, lines, ttlSeconds)
                    .whenComplete((result, ex) -> answeredAt[slot] = System.nanoTime()));
            }
            for (int i = 0; i < count; i++)
            {
                final CommandResult result = futures.get(i).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                outcomes[i] = result.accepted() ? Outcome.HELD :
                    result.reason() == RejectCode.OUT_OF_STOCK ? Outcome.REJECTED : Outcome.ERROR;
            }
        }

        @Override
        public void close()
        {
            client.close();
        }
    }

    private static final class RedisSender implements Sender
    {
        private final RespConnection connection;
        private final String sha;
        private final String stockKey;
        private final String reservationPrefix;
        private final String ttl;
        private long next;

        RedisSender(final RespConnection connection, final String sha, final String sku, final int ttlSeconds)
        {
            this.connection = connection;
            this.sha = sha;
            this.stockKey = RedisTarget.stockKey(sku);
            this.reservationPrefix = RedisTarget.reservationPrefix(sku) + "pl-" + System.identityHashCode(this) + "-" +
                System.nanoTime() + "-";
            this.ttl = Integer.toString(ttlSeconds);
        }

        @Override
        public void batch(final int count, final long[] answeredAt, final Outcome[] outcomes) throws Exception
        {
            for (int i = 0; i < count; i++)
            {
                connection.write("EVALSHA", sha, "2", stockKey, reservationPrefix + next++, "1", ttl);
            }
            connection.flush();
            for (int i = 0; i < count; i++)
            {
                Outcome outcome;
                try
                {
                    outcome = Long.valueOf(1L).equals(connection.read()) ? Outcome.HELD : Outcome.REJECTED;
                }
                catch (final RespConnection.RespError ex)
                {
                    outcome = Outcome.ERROR;
                }
                answeredAt[i] = System.nanoTime();
                outcomes[i] = outcome;
            }
        }

        @Override
        public void close()
        {
            connection.close();
        }
    }

    private static final class Worker implements Runnable
    {
        private final Sender sender;
        private final int depth;
        private final long measureFrom;
        private final long measureTo;
        private final AtomicReference<String> firstError;
        final Histogram nanos = Latency.newHistogram();
        long requests;
        long rejected;
        long errors;

        Worker(
            final Sender sender, final int depth, final long measureFrom, final long measureTo,
            final AtomicReference<String> firstError)
        {
            this.sender = sender;
            this.depth = depth;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            this.firstError = firstError;
        }

        @Override
        public void run()
        {
            final long[] answeredAt = new long[depth];
            final Sender.Outcome[] outcomes = new Sender.Outcome[depth];
            long sent;
            while ((sent = System.nanoTime()) < measureTo)
            {
                final boolean measured = sent >= measureFrom;
                try
                {
                    sender.batch(depth, answeredAt, outcomes);
                }
                catch (final Exception ex)
                {
                    firstError.compareAndSet(null, ex.toString());
                    if (measured)
                    {
                        errors += depth;
                    }
                    // A connection that failed stays failed: this worker stops rather than spin on errors.
                    return;
                }
                if (measured)
                {
                    for (int i = 0; i < depth; i++)
                    {
                        requests++;
                        nanos.recordValue(Math.min(Math.max(0, answeredAt[i] - sent), Latency.HIGHEST_NANOS));
                        if (outcomes[i] == Sender.Outcome.REJECTED)
                        {
                            rejected++;
                        }
                        else if (outcomes[i] == Sender.Outcome.ERROR)
                        {
                            errors++;
                            firstError.compareAndSet(null, "an error answer");
                        }
                    }
                }
            }
        }
    }
}
