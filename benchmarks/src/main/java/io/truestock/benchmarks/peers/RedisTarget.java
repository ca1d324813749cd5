package io.truestock.benchmarks.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis with the usual flash-sale design: stock is a counter per SKU, and a Lua script (atomic on Redis's single
 * thread) checks that enough is left, decrements it and records the reservation as a key with a TTL. Reads are a
 * plain {@code GET} of the counter. Keys carry the SKU as a hash tag, so the script's keys share a slot as Redis
 * Cluster would need.
 * <p>
 * The client is the small RESP client here, one blocking connection per load thread from a bounded pool; the
 * catalog is loaded with pipelined writes. Durability is whatever the server was started with; the comparison
 * starts it with an append-only file fsynced every second and no RDB snapshots, and records what the server says.
 */
public final class RedisTarget implements Target
{
    /**
     * The reservation script, {@code redis/reserve.lua} on the class path (the C load generator phase of
     * {@code benchmarks/run-peers.sh} loads the same file): KEYS[1] the SKU's stock counter, KEYS[2] the new
     * reservation's key; ARGV[1] quantity, ARGV[2] TTL seconds. Answers 1 when held, 0 when not enough is left.
     */
    static final String RESERVE_SCRIPT = reserveScript();
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int PIPELINE = 1000;

    private final String host;
    private final int port;
    private final ConnectionPool<RespConnection> pool;
    private final String scriptSha;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong reservationIds = new AtomicLong();

    /** Connects, flushes nothing, and loads the reservation script. */
    public RedisTarget(final String host, final int port, final int connections) throws Exception
    {
        this.host = host;
        this.port = port;
        this.pool = new ConnectionPool<>(() -> new RespConnection(host, port, TIMEOUT_MILLIS), connections,
            TIMEOUT_MILLIS);
        this.scriptSha = (String)pool.with(c -> c.call("SCRIPT", "LOAD", RESERVE_SCRIPT));
    }

    private static String reserveScript()
    {
        try (InputStream in = RedisTarget.class.getResourceAsStream("/redis/reserve.lua"))
        {
            if (in == null)
            {
                throw new IllegalStateException("redis/reserve.lua is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static String stockKey(final String sku)
    {
        return "stock:{" + sku + "}";
    }

    static String reservationPrefix(final String sku)
    {
        return "res:{" + sku + "}:";
    }

    @Override
    public String name()
    {
        return "redis";
    }

    @Override
    public Map<String, String> describe() throws Exception
    {
        final Map<String, String> map = new LinkedHashMap<>();
        final String info = (String)pool.with(c -> c.call("INFO", "server"));
        map.put("version", "Redis " + infoField(info, "redis_version"));
        for (final String setting : new String[] {"appendonly", "appendfsync", "save", "maxmemory", "io-threads"})
        {
            final Object reply = pool.with(c -> c.call("CONFIG", "GET", setting));
            final List<?> pair = (List<?>)reply;
            map.put(setting, pair.size() >= 2 ? String.valueOf(pair.get(1)) : "(not reported)");
        }
        map.put("client", "RESP client of this harness, blocking, one connection per load thread");
        map.put("reserve", "EVALSHA of a Lua script: GET stock, compare, DECRBY, SET reservation key EX " +
            Workload.TTL_SECONDS);
        map.put("read", "GET stock:{sku}");
        return map;
    }

    private static String infoField(final String info, final String field)
    {
        for (final String line : info.split("\r\n"))
        {
            if (line.startsWith(field + ":"))
            {
                return line.substring(field.length() + 1).strip();
            }
        }
        return "(unknown)";
    }

    @Override
    public void loadCatalog(final int skus, final long unitsEach) throws Exception
    {
        pool.with(c ->
        {
            for (int from = 0; from < skus; from += PIPELINE)
            {
                final int to = Math.min(skus, from + PIPELINE);
                for (int s = from; s < to; s++)
                {
                    c.write("SET", stockKey(Workload.readSku(s)), Long.toString(unitsEach));
                }
                c.flush();
                for (int s = from; s < to; s++)
                {
                    c.read();
                }
            }
            return null;
        });
    }

    @Override
    public void addHotSku(final String sku, final long units) throws Exception
    {
        pool.with(c -> c.call("SET", stockKey(sku), Long.toString(units)));
    }

    @Override
    public boolean reserve(final String sku, final int qty, final int ttlSeconds) throws Exception
    {
        final String reservation = reservationPrefix(sku) + runId + "-" + reservationIds.incrementAndGet();
        final Object reply = pool.with(c -> c.call("EVALSHA", scriptSha, "2", stockKey(sku), reservation,
            Integer.toString(qty), Integer.toString(ttlSeconds)));
        return ((Long)reply) == 1L;
    }

    @Override
    public long available(final String sku) throws Exception
    {
        final Object reply = pool.with(c -> c.call("GET", stockKey(sku)));
        if (reply == null)
        {
            throw new IOException("no stock key for " + sku);
        }
        return Long.parseLong((String)reply);
    }

    @Override
    public FinalState finalState(final String sku) throws Exception
    {
        return pool.with(c ->
        {
            final long remaining = Long.parseLong((String)c.call("GET", stockKey(sku)));
            // SCAN may return a key twice; a set counts each reservation once.
            final List<String> keys = new ArrayList<>(new LinkedHashSet<>(scan(c, sku)));
            long held = 0;
            for (int from = 0; from < keys.size(); from += PIPELINE)
            {
                final int to = Math.min(keys.size(), from + PIPELINE);
                for (int k = from; k < to; k++)
                {
                    c.write("GET", keys.get(k));
                }
                c.flush();
                for (int k = from; k < to; k++)
                {
                    final Object qty = c.read();
                    held += qty == null ? 0 : Long.parseLong((String)qty);
                }
            }
            return new FinalState(held, remaining,
                "stock counter=" + remaining + " reservation keys=" + keys.size() + " units in them=" + held);
        });
    }

    private static List<String> scan(final RespConnection c, final String sku) throws IOException
    {
        final List<String> keys = new ArrayList<>();
        String cursor = "0";
        do
        {
            final List<?> page =
                (List<?>)c.call("SCAN", cursor, "MATCH", reservationPrefix(sku) + "*", "COUNT", "1000");
            cursor = (String)page.get(0);
            for (final Object key : (List<?>)page.get(1))
            {
                keys.add((String)key);
            }
        }
        while (!cursor.equals("0"));
        return keys;
    }

    @Override
    public void close()
    {
        pool.close();
    }

    @Override
    public String toString()
    {
        return "redis at " + host + ":" + port;
    }
}
