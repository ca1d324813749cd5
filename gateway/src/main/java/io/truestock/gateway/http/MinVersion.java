package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * {@code ?min_version=V} on a read: the read is served once this node's engine has applied version V. A node that is
 * behind (a follower a few commands back, or one that is cut off) parks the read and checks again every
 * {@link #POLL_MILLIS} ms; after {@link #WAIT_MILLIS} ms it answers 503 {@code version_not_reached}. At most
 * {@link #MAX_WAITING} reads wait at once; past that the read is answered 503 {@code overloaded} at once.
 */
final class MinVersion
{
    static final String PARAM = "min_version";
    static final long WAIT_MILLIS = 5_000;
    static final long POLL_MILLIS = 2;
    static final int MAX_WAITING = 1_024;

    private final LongSupplier applied;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile ScheduledExecutorService timer;

    MinVersion(final LongSupplier applied)
    {
        this.applied = applied;
    }

    /**
     * @param proceed serves the read; run here when the version is already applied, else later on the exchange's
     *                executor.
     * @throws ApiException 400 when the parameter is not a non-negative integer, 503 when too many reads wait.
     */
    void await(final Exchange exchange, final QueryStringDecoder uri, final Runnable proceed)
    {
        final String text = Api.single(uri, PARAM);
        if (text == null)
        {
            proceed.run();
            return;
        }
        final long version;
        try
        {
            version = Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw ApiException.invalid("min_version must be a non-negative integer", PARAM);
        }
        if (version < 0)
        {
            throw ApiException.invalid("min_version must be a non-negative integer", PARAM);
        }
        if (applied.getAsLong() >= version)
        {
            proceed.run();
            return;
        }
        if (waiting.incrementAndGet() > MAX_WAITING)
        {
            waiting.decrementAndGet();
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
                "too many reads are waiting for a version; retry later", null);
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        timer().schedule(() -> check(exchange, version, deadline, proceed), POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void check(final Exchange exchange, final long version, final long deadline, final Runnable proceed)
    {
        final long now = applied.getAsLong();
        if (now >= version)
        {
            waiting.decrementAndGet();
            exchange.executor().execute(() ->
            {
                try
                {
                    proceed.run();
                }
                catch (final ApiException ex)
                {
                    exchange.respond(Responses.problem(exchange.allocator(), ex));
                }
            });
        }
        else if (System.nanoTime() - deadline >= 0)
        {
            waiting.decrementAndGet();
            final ApiException late = new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "version_not_reached",
                "this node has applied version " + now + "; " + version + " was not reached within " + WAIT_MILLIS +
                " ms", PARAM);
            exchange.executor().execute(() -> exchange.respond(Responses.problem(exchange.allocator(), late)));
        }
        else
        {
            timer().schedule(() -> check(exchange, version, deadline, proceed), POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private ScheduledExecutorService timer()
    {
        ScheduledExecutorService value = timer;
        if (value == null)
        {
            synchronized (this)
            {
                value = timer;
                if (value == null)
                {
                    value = Executors.newSingleThreadScheduledExecutor(task ->
                    {
                        final Thread thread = new Thread(task, "truestock-min-version");
                        thread.setDaemon(true);
                        return thread;
                    });
                    timer = value;
                }
            }
        }
        return value;
    }
}
