package io.truestock.gateway.crash;

import io.truestock.gateway.crash.HttpCalls.Reply;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers against a cluster: each reserves one unit of a SKU through "its" node and confirms the reservation as an
 * order, every POST under an Idempotency-Key. A request that gets no answer, or a 503, is sent again under the same
 * key through the next node, until it gets a definite answer; so every reservation and confirmation ends
 * acknowledged, or refused for want of stock, and the engine must hold each exactly once.
 */
final class ClusterWriters
{
    static final String CHANNEL = "shop";
    static final String LOCATION = "oak";
    private static final long REQUEST_DEADLINE_SECONDS = 60;

    private final java.util.function.IntFunction<HttpCalls> nodes;
    private final org.HdrHistogram.ConcurrentHistogram reserveMicros =
        new org.HdrHistogram.ConcurrentHistogram(TimeUnit.SECONDS.toMicros(120), 3);
    private final int[] via;
    private final List<String> skus;
    private final String run;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger reservations = new AtomicInteger();
    private final AtomicInteger confirmations = new AtomicInteger();
    private final AtomicInteger outOfStock = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicLong firstAckSentAfter = new AtomicLong(Long.MAX_VALUE);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final Map<String, String> orders = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile long markNanos = Long.MAX_VALUE;

    ClusterWriters(final ClusterNodes nodes, final List<String> skus, final String run)
    {
        this(nodes::http, skus, run, new int[] {0, 1, 2});
    }

    /** @param via the nodes the writers send through (each writer starts at one and moves on after a miss). */
    ClusterWriters(final ClusterNodes nodes, final List<String> skus, final String run, final int[] via)
    {
        this(nodes::http, skus, run, via);
    }

    /**
     * @param nodes the HTTP edge of each node by id.
     * @param via   the nodes the writers send through (each writer starts at one and moves on after a miss).
     */
    ClusterWriters(
        final java.util.function.IntFunction<HttpCalls> nodes, final List<String> skus, final String run,
        final int[] via)
    {
        this.via = via.clone();
        this.nodes = nodes;
        this.skus = skus;
        this.run = run;
    }

    /** A location, a channel, the SKUs and {@code units} of each, through {@code node}. */
    static void defineCatalog(final HttpCalls http, final List<String> skus, final long units)
    {
        http.expect(200, "PUT", "/v1/locations/" + LOCATION, "{\"name\":\"Oakland\"}");
        http.expect(200, "PUT", "/v1/channels/" + CHANNEL, "{\"name\":\"Shop\",\"locations\":[\"" + LOCATION + "\"]}");
        for (final String sku : skus)
        {
            http.expect(200, "PUT", "/v1/skus/" + sku, "{\"title\":\"" + sku + "\"}");
            http.expect(200, "POST", "/v1/stock/receive",
                "{\"sku\":\"" + sku + "\",\"location\":\"" + LOCATION + "\",\"qty\":" + units + "}");
        }
    }

    void start(final int writers, final int pairsEach)
    {
        for (int w = 0; w < writers; w++)
        {
            final int id = w;
            final Thread thread = new Thread(() -> write(id, pairsEach), "cluster-writer-" + w);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void write(final int id, final int pairs)
    {
        int node = id % via.length;
        for (int n = 0; n < pairs && running && failure.get() == null; n++)
        {
            final String sku = skus.get((id + n) % skus.size());
            final long sent = System.nanoTime();
            final Answer reserved = call(node, "/v1/reservations", "{\"channel\":\"" + CHANNEL +
                "\",\"lines\":[{\"sku\":\"" + sku + "\",\"qty\":1}],\"ttl_seconds\":3600}", run + "-w" + id + "-r" + n);
            if (reserved == null)
            {
                return;
            }
            node = reserved.index;
            if (reserved.reply.status() == 409 && reserved.reply.body().contains("out_of_stock"))
            {
                outOfStock.incrementAndGet();
                continue;
            }
            if (reserved.reply.status() != 201)
            {
                failure.compareAndSet(null, "reserve answered " + reserved.reply.status() + ": " + reserved.reply.body());
                return;
            }
            reservations.incrementAndGet();
            reserveMicros.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent),
                reserveMicros.getHighestTrackableValue()));
            acknowledged(sent);
            final String reservation = reserved.reply.json().path("id").asText();
            final String order = run + "-o-" + id + "-" + n;
            final long confirmSent = System.nanoTime();
            final Answer confirmed = call(node, "/v1/reservations/" + reservation + "/confirm",
                "{\"order_id\":\"" + order + "\"}", run + "-w" + id + "-c" + n);
            if (confirmed == null)
            {
                return;
            }
            node = confirmed.index;
            if (confirmed.reply.status() / 100 != 2)
            {
                failure.compareAndSet(null, "confirm answered " + confirmed.reply.status() + ": " +
                    confirmed.reply.body());
                return;
            }
            confirmations.incrementAndGet();
            orders.put(order, reservation);
            acknowledged(confirmSent);
        }
    }

    private void acknowledged(final long sentNanos)
    {
        if (sentNanos >= markNanos)
        {
            firstAckSentAfter.accumulateAndGet(System.nanoTime() - markNanos, Math::min);
        }
    }

    /** @param index where in {@link #via} the answer came from. */
    private record Answer(int index, Reply reply)
    {
    }

    /** Sends until a definite answer (not 503, not silence), moving to the next node after each miss. */
    private Answer call(final int firstIndex, final String path, final String body, final String key)
    {
        int index = firstIndex;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REQUEST_DEADLINE_SECONDS);
        while (System.nanoTime() < deadline)
        {
            try
            {
                final Reply reply = nodes.apply(via[index]).send("POST", path, body, key, ServerProcess.ADMIN_TOKEN);
                if (reply.status() != 503)
                {
                    return new Answer(index, reply);
                }
            }
            catch (final IOException ex)
            {
                // The node is gone or not answering: try the next.
            }
            retried.incrementAndGet();
            index = (index + 1) % via.length;
            ServerProcess.pause(50);
        }
        failure.compareAndSet(null, "POST " + path + " (key " + key + ") got no definite answer in " +
            REQUEST_DEADLINE_SECONDS + " s");
        return null;
    }

    /** From now on, {@link #firstAckMillisAfterMark()} measures the first acknowledgement of a request sent later. */
    void mark()
    {
        firstAckSentAfter.set(Long.MAX_VALUE);
        markNanos = System.nanoTime();
    }

    /** Milliseconds from {@link #mark()} to the first acknowledged request sent after it; -1 if none yet. */
    long firstAckMillisAfterMark()
    {
        final long nanos = firstAckSentAfter.get();
        return nanos == Long.MAX_VALUE ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    int acknowledged()
    {
        return reservations.get() + confirmations.get();
    }

    /** Waits until {@code count} more acknowledgements arrived than {@code from}, or every writer finished. */
    void awaitAcknowledged(final int count)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REQUEST_DEADLINE_SECONDS * 2);
        while (acknowledged() < count && threads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline)
        {
            ServerProcess.pause(20);
        }
    }

    /** Lets every writer finish the pair it is in, then waits (bounded) for all of them; fails on any surprise. */
    void stop() throws InterruptedException
    {
        running = false;
        finish();
    }

    /** Waits (bounded) for every writer to have sent all its pairs; fails on any surprise. */
    void finish() throws InterruptedException
    {
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(REQUEST_DEADLINE_SECONDS * 3));
            assertThat(thread.isAlive()).as("writer %s still running", thread.getName()).isFalse();
        }
        assertThat(failure.get()).as("a writer's surprise").isNull();
    }

    /** Time from sending a reservation to its acknowledgement (retries included), in microseconds. */
    org.HdrHistogram.Histogram reserveMicros()
    {
        return reserveMicros.copy();
    }

    int reservations()
    {
        return reservations.get();
    }

    int confirmations()
    {
        return confirmations.get();
    }

    int outOfStock()
    {
        return outOfStock.get();
    }

    int retried()
    {
        return retried.get();
    }

    /** Acknowledged orders: order id -> reservation id. */
    Map<String, String> orders()
    {
        return orders;
    }
}
