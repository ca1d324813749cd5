package io.truestock.benchmarks.peers;

import io.truestock.client.ClientConfig;
import io.truestock.client.ClientEventLoops;
import io.truestock.client.CommandResult;
import io.truestock.client.Line;
import io.truestock.client.TruestockClient;
import io.truestock.sbe.RejectCode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Truestock over its binary protocol (docs/binary-protocol.md) with the Java client the gateway ships,
 * {@link TruestockClient}. The server is the same in-process one as {@link TruestockHttpTarget}'s, started with its
 * binary port open, and that target does the setup and the final-state reads over HTTP with the admin key; the
 * measured operations go over the binary protocol with the agent key: {@code RESERVE} commands
 * ({@link TruestockClient#reserve}) and {@code AvailabilityQuery} ({@link TruestockClient#availability}).
 * <p>
 * One connection per load thread, from a bounded pool, as for every system; the connections share a few client I/O
 * threads ({@link ClientEventLoops}). The client is asynchronous: each load thread sends, then waits on the future,
 * which the client's I/O thread completes, so every request costs a hand-off between two threads (the peers' clients
 * do their I/O in the load thread). Requests are not pipelined here, though the protocol allows it, so that every
 * system sees the same number of operations in flight.
 */
public final class TruestockBinaryTarget implements Target
{
    private static final long TIMEOUT_MILLIS = 10_000;

    private final TruestockHttpTarget server;
    private final int ioThreads;
    private final ClientEventLoops loops;
    private final ConnectionPool<TruestockClient> pool;
    private boolean closed;

    private TruestockBinaryTarget(final TruestockHttpTarget server, final int connections, final int ioThreads)
    {
        this.server = server;
        this.ioThreads = ioThreads;
        this.loops = new ClientEventLoops(ioThreads);
        final int port = server.server().binaryPort();
        final String token = server.agentToken();
        final ClientConfig config = new ClientConfig().eventLoops(loops).clientName("flash-sale")
            .connectTimeoutMillis(TIMEOUT_MILLIS);
        this.pool = new ConnectionPool<>(() -> TruestockClient.connect("127.0.0.1", port, token, config),
            TruestockClient::isOpen, connections, TIMEOUT_MILLIS);
    }

    /**
     * Starts a server over {@code dataDir} (empty or absent) with both edges open, and the client's I/O threads.
     *
     * @param connections client connections, one per load thread.
     * @param ioThreads   client I/O threads the connections share (1 to 64).
     */
    public static TruestockBinaryTarget start(
        final Path dataDir, final boolean fsync, final int connections, final int ioThreads) throws Exception
    {
        final TruestockHttpTarget server = TruestockHttpTarget.start(dataDir, fsync, connections, false, true);
        try
        {
            return new TruestockBinaryTarget(server, connections, ioThreads);
        }
        catch (final RuntimeException ex)
        {
            server.close();
            throw ex;
        }
    }

    @Override
    public String name()
    {
        return FlashSaleComparison.TRUESTOCK_BINARY;
    }

    @Override
    public Map<String, String> describe()
    {
        final Map<String, String> map = new LinkedHashMap<>(server.describe());
        map.put("edge", "binary protocol (SBE frames over TCP, docs/binary-protocol.md), one connection per load " +
            "thread, requests not pipelined");
        map.put("client", "io.truestock.client.TruestockClient (client module), " + ioThreads + " shared client " +
            "I/O threads; the load thread waits on each request's future, which a client I/O thread completes");
        map.put("reserve", "RESERVE command (1 line, qty 1, ttl " + Workload.TTL_SECONDS + " s, channel " +
            TruestockHttpTarget.CHANNEL + "), agent key");
        map.put("read", "AvailabilityQuery (sku, channel " + TruestockHttpTarget.CHANNEL + "), agent key");
        map.put("setup", "catalog, hot SKUs and final-state reads over HTTP with the admin key, as truestock-http");
        return map;
    }

    @Override
    public void loadCatalog(final int skus, final long unitsEach) throws Exception
    {
        server.loadCatalog(skus, unitsEach);
    }

    @Override
    public void addHotSku(final String sku, final long units) throws Exception
    {
        server.addHotSku(sku, units);
    }

    @Override
    public boolean reserve(final String sku, final int qty, final int ttlSeconds) throws Exception
    {
        final CommandResult result = pool.with(client -> await(
            client.reserve(TruestockHttpTarget.CHANNEL, List.of(new Line(sku, qty)), ttlSeconds)));
        if (result.accepted())
        {
            return true;
        }
        if (result.reason() == RejectCode.OUT_OF_STOCK)
        {
            return false;
        }
        throw new IOException("reserve rejected: " + result.reason());
    }

    @Override
    public long available(final String sku) throws Exception
    {
        return pool.with(client -> await(client.availability(sku, TruestockHttpTarget.CHANNEL))).available();
    }

    @Override
    public FinalState finalState(final String sku) throws Exception
    {
        return server.finalState(sku);
    }

    /** The answer, or the client's {@code TruestockException} (an Error frame, a closed connection) unwrapped. */
    private static <T> T await(final CompletableFuture<T> future) throws Exception
    {
        try
        {
            return future.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof Exception cause ? cause : ex;
        }
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            pool.close();
            loops.close();
            server.close();
        }
    }
}
