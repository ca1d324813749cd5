package io.truestock.benchmarks.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A bounded pool of connections: at most {@code size} are ever open, created on first need, reused in turn.
 * A connection that failed in use is closed and replaced later, never handed out again.
 */
final class ConnectionPool<C extends AutoCloseable> implements AutoCloseable
{
    /** Opens one connection. */
    @FunctionalInterface
    interface Factory<C>
    {
        C open() throws Exception;
    }

    /** Work done with one borrowed connection. */
    @FunctionalInterface
    interface Use<C, R>
    {
        R apply(C connection) throws Exception;
    }

    private final Factory<C> factory;
    private final Predicate<C> reusable;
    private final int size;
    private final long borrowTimeoutMillis;
    private final ArrayBlockingQueue<C> idle;
    private final List<C> all = new ArrayList<>();
    private int open;
    private boolean closed;

    ConnectionPool(final Factory<C> factory, final int size, final long borrowTimeoutMillis)
    {
        this(factory, c -> true, size, borrowTimeoutMillis);
    }

    /** A pool that also drops a connection after a use that left it not {@code reusable}. */
    ConnectionPool(
        final Factory<C> factory, final Predicate<C> reusable, final int size, final long borrowTimeoutMillis)
    {
        if (size < 1)
        {
            throw new IllegalArgumentException("size must be positive");
        }
        this.factory = factory;
        this.reusable = reusable;
        this.size = size;
        this.borrowTimeoutMillis = borrowTimeoutMillis;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    int size()
    {
        return size;
    }

    /** Runs {@code use} with a connection of the pool; the connection goes back unless {@code use} failed. */
    <R> R with(final Use<C, R> use) throws Exception
    {
        final C connection = borrow();
        boolean healthy = false;
        try
        {
            final R result = use.apply(connection);
            healthy = true;
            return result;
        }
        finally
        {
            if (healthy && reusable.test(connection))
            {
                idle.offer(connection);
            }
            else
            {
                discard(connection);
            }
        }
    }

    private C borrow() throws Exception
    {
        final C ready = idle.poll();
        if (ready != null)
        {
            return ready;
        }
        if (reserveSlot())
        {
            try
            {
                final C connection = factory.open();
                synchronized (this)
                {
                    all.add(connection);
                }
                return connection;
            }
            catch (final Exception ex)
            {
                releaseSlot();
                throw ex;
            }
        }
        final C waited = idle.poll(borrowTimeoutMillis, TimeUnit.MILLISECONDS);
        if (waited == null)
        {
            throw new TimeoutException("no connection free within " + borrowTimeoutMillis + " ms");
        }
        return waited;
    }

    private synchronized boolean reserveSlot()
    {
        if (closed)
        {
            throw new IllegalStateException("pool closed");
        }
        if (open < size)
        {
            open++;
            return true;
        }
        return false;
    }

    private synchronized void releaseSlot()
    {
        open--;
    }

    private void discard(final C connection)
    {
        synchronized (this)
        {
            all.remove(connection);
            open--;
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(final AutoCloseable connection)
    {
        try
        {
            connection.close();
        }
        catch (final Exception ignored)
        {
            // A connection that fails to close is gone all the same.
        }
    }

    @Override
    public void close()
    {
        final List<C> toClose;
        synchronized (this)
        {
            closed = true;
            toClose = new ArrayList<>(all);
            all.clear();
        }
        toClose.forEach(ConnectionPool::closeQuietly);
    }
}
