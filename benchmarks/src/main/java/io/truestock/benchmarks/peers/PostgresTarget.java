package io.truestock.benchmarks.peers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * PostgreSQL with the usual row-lock design: a {@code stock} row per SKU and, in one transaction, a conditional
 * {@code UPDATE ... SET reserved = reserved + q WHERE sku = ? AND on_hand - reserved >= q RETURNING ...} (which
 * takes the row lock, so concurrent buyers of one SKU queue on it) followed by an {@code INSERT} of the reservation
 * row when a row was updated. Reads are a primary-key {@code SELECT}. There is deliberately no CHECK constraint:
 * the design's own condition is what keeps it from overselling, and that is what is measured.
 * <p>
 * The PostgreSQL JDBC driver, one connection per load thread from a bounded pool, autocommit for reads.
 * The server's settings are left at their defaults ({@code synchronous_commit = on}: a commit waits for its WAL
 * fsync) and recorded from the server itself.
 */
public final class PostgresTarget implements Target
{
    private static final int TIMEOUT_SECONDS = 10;
    private static final String RESERVE =
        "UPDATE stock SET reserved = reserved + ? WHERE sku = ? AND on_hand - reserved >= ? " +
        "RETURNING on_hand - reserved";
    private static final String RECORD =
        "INSERT INTO reservation (sku, qty, expires_at) VALUES (?, ?, now() + make_interval(secs => ?))";
    private static final String READ = "SELECT on_hand - reserved FROM stock WHERE sku = ?";

    private final String url;
    private final Properties properties = new Properties();
    private final ConnectionPool<Connection> pool;

    /** Connects to {@code database} on {@code host:port} as {@code user} and (re)creates the two tables. */
    public PostgresTarget(final String host, final int port, final String database, final String user,
        final int connections) throws Exception
    {
        url = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        properties.setProperty("user", user);
        properties.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        properties.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", "truestock-flash-sale");
        pool = new ConnectionPool<>(() -> DriverManager.getConnection(url, properties), connections,
            TIMEOUT_SECONDS * 1000L);
        pool.with(c ->
        {
            try (Statement statement = c.createStatement())
            {
                statement.execute("DROP TABLE IF EXISTS reservation");
                statement.execute("DROP TABLE IF EXISTS stock");
                statement.execute("CREATE TABLE stock (sku text PRIMARY KEY, on_hand bigint NOT NULL, " +
                    "reserved bigint NOT NULL DEFAULT 0)");
                statement.execute("CREATE TABLE reservation (id bigserial PRIMARY KEY, sku text NOT NULL, " +
                    "qty integer NOT NULL, expires_at timestamptz NOT NULL)");
                statement.execute("CREATE INDEX reservation_sku ON reservation (sku)");
            }
            return null;
        });
    }

    @Override
    public String name()
    {
        return "postgresql";
    }

    @Override
    public Map<String, String> describe() throws Exception
    {
        final Map<String, String> map = new LinkedHashMap<>();
        pool.with(c ->
        {
            map.put("version", "PostgreSQL " + show(c, "server_version"));
            for (final String setting : new String[] {"synchronous_commit", "fsync", "wal_sync_method",
                "full_page_writes", "shared_buffers", "max_connections", "default_transaction_isolation"})
            {
                map.put(setting, show(c, setting));
            }
            map.put("driver", "PostgreSQL JDBC " + c.getMetaData().getDriverVersion() +
                ", one connection per load thread, autocommit reads");
            return null;
        });
        map.put("reserve", "one transaction: " + RESERVE + "; then, when a row came back, " + RECORD + "; COMMIT");
        map.put("read", READ);
        return map;
    }

    private static String show(final Connection c, final String setting) throws SQLException
    {
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("SHOW " + setting))
        {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void loadCatalog(final int skus, final long unitsEach) throws Exception
    {
        pool.with(c ->
        {
            // Names as Workload.readSku gives them: sku-0 .. sku-(n-1).
            try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO stock (sku, on_hand) SELECT 'sku-' || g, ? FROM generate_series(0, ? - 1) AS g"))
            {
                insert.setLong(1, unitsEach);
                insert.setInt(2, skus);
                insert.executeUpdate();
            }
            try (Statement statement = c.createStatement())
            {
                statement.execute("ANALYZE stock");
            }
            return null;
        });
    }

    @Override
    public void addHotSku(final String sku, final long units) throws Exception
    {
        pool.with(c ->
        {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO stock (sku, on_hand) VALUES (?, ?)"))
            {
                insert.setString(1, sku);
                insert.setLong(2, units);
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean reserve(final String sku, final int qty, final int ttlSeconds) throws Exception
    {
        return pool.with(c ->
        {
            c.setAutoCommit(false);
            try
            {
                final boolean held;
                try (PreparedStatement update = c.prepareStatement(RESERVE))
                {
                    update.setInt(1, qty);
                    update.setString(2, sku);
                    update.setInt(3, qty);
                    try (ResultSet rs = update.executeQuery())
                    {
                        held = rs.next();
                    }
                }
                if (held)
                {
                    try (PreparedStatement record = c.prepareStatement(RECORD))
                    {
                        record.setString(1, sku);
                        record.setInt(2, qty);
                        record.setInt(3, ttlSeconds);
                        record.executeUpdate();
                    }
                }
                c.commit();
                return held;
            }
            catch (final SQLException ex)
            {
                c.rollback();
                throw ex;
            }
            finally
            {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public long available(final String sku) throws Exception
    {
        return pool.with(c ->
        {
            try (PreparedStatement read = c.prepareStatement(READ))
            {
                read.setString(1, sku);
                try (ResultSet rs = read.executeQuery())
                {
                    if (!rs.next())
                    {
                        throw new SQLException("no stock row for " + sku);
                    }
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public FinalState finalState(final String sku) throws Exception
    {
        return pool.with(c ->
        {
            final long onHand;
            final long reserved;
            try (PreparedStatement read = c.prepareStatement("SELECT on_hand, reserved FROM stock WHERE sku = ?"))
            {
                read.setString(1, sku);
                try (ResultSet rs = read.executeQuery())
                {
                    rs.next();
                    onHand = rs.getLong(1);
                    reserved = rs.getLong(2);
                }
            }
            final long rows;
            final long units;
            try (PreparedStatement count = c.prepareStatement(
                "SELECT count(*), coalesce(sum(qty), 0) FROM reservation WHERE sku = ?"))
            {
                count.setString(1, sku);
                try (ResultSet rs = count.executeQuery())
                {
                    rs.next();
                    rows = rs.getLong(1);
                    units = rs.getLong(2);
                }
            }
            return new FinalState(units, onHand - reserved,
                "on_hand=" + onHand + " reserved=" + reserved + " reservation rows=" + rows + " units in them=" +
                    units);
        });
    }

    @Override
    public void close()
    {
        pool.close();
    }
}
