package io.truestock.benchmarks.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a confirmed order's change of stock takes to reach every live subscriber: {@code subscribers}
 * Server-Sent-Event streams ({@code GET /v1/channels/{id}/updates}) spread over the catalog's channels, and a
 * sender that records channel orders ({@code POST /v1/orders}, one unit of one SKU each) on a fixed schedule.
 * The order's answer carries the engine version of the change; each subscriber notes when the event with that
 * version arrived. One delivery's latency is from the instant the order request was sent to the instant that
 * subscriber had the event, on one clock (everything is in this JVM, over loopback).
 */
public final class Propagation
{
    static final String SKU = "propagation";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long DRAIN_MILLIS = 5_000;

    /**
     * @param delivery        one sample per (order, subscriber): order sent to event received.
     * @param lastSubscriber  one sample per order: order sent to the last of the subscribers receiving it.
     * @param orderRoundTrip  one sample per order: the HTTP round trip of the order itself.
     * @param missed          deliveries that never arrived within the drain time (0 expected).
     */
    public record Result(int subscribers, int channels, long orders, long ratePerSecond, long expected, long missed,
        Latency delivery, Latency lastSubscriber, Latency orderRoundTrip)
    {
        Map<String, Object> toMap()
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("subscribers", subscribers);
            map.put("channels", channels);
            map.put("orders", orders);
            map.put("orders_per_s", ratePerSecond);
            map.put("deliveries_expected", expected);
            map.put("deliveries_missed", missed);
            map.put("delivery_latency", delivery.toMap());
            map.put("last_subscriber_latency", lastSubscriber.toMap());
            map.put("order_round_trip", orderRoundTrip.toMap());
            return map;
        }
    }

    private Propagation()
    {
    }

    /**
     * Opens the streams, sends {@code warmupOrders} unmeasured then {@code orders} measured orders at
     * {@code ratePerSecond}, waits for the deliveries, and closes the streams.
     */
    public static Result measure(
        final TruestockHttpTarget target, final int subscribers, final int warmupOrders, final int orders,
        final long ratePerSecond) throws Exception
    {
        if (subscribers < 1 || orders < 1 || ratePerSecond < 1)
        {
            throw new IllegalArgumentException("subscribers, orders and ratePerSecond must be positive");
        }
        target.addHotSku(SKU, warmupOrders + orders + 1_000L);
        final HttpClient streamsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
        final String[] channels = TruestockHttpTarget.CHANNELS;
        final List<Subscriber> open = new ArrayList<>();
        try
        {
            for (int s = 0; s < subscribers; s++)
            {
                final Subscriber subscriber = new Subscriber();
                final HttpRequest request = HttpRequest.newBuilder(
                        URI.create(target.baseUri() + "/v1/channels/" + channels[s % channels.length] + "/updates"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + target.adminToken())
                    .GET().build();
                streamsClient.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(subscriber));
                open.add(subscriber);
            }
            for (final Subscriber subscriber : open)
            {
                // The server registers a subscriber before it writes the stream's first line.
                final boolean opened = subscriber.firstLine.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (!opened || subscriber.failure != null)
                {
                    throw new IOException("a stream did not open within " + TIMEOUT, subscriber.failure);
                }
            }

            final String run = Long.toString(System.currentTimeMillis(), 36);
            final int total = warmupOrders + orders;
            final long[] sentNanos = new long[total];
            final long[] versions = new long[total];
            final Histogram roundTrip = Latency.newHistogram();
            final long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
            final long start = System.nanoTime();
            for (int k = 0; k < total; k++)
            {
                parkUntil(start + k * interval);
                sentNanos[k] = System.nanoTime();
                final HttpResponseWithTime answer = sendOrder(target, "p-" + run + "-" + k);
                versions[k] = answer.version;
                if (k >= warmupOrders)
                {
                    roundTrip.recordValue(answer.receivedNanos - sentNanos[k]);
                }
            }

            final long drainUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
            final Histogram delivery = Latency.newHistogram();
            final Histogram last = Latency.newHistogram();
            long missed = 0;
            for (int k = warmupOrders; k < total; k++)
            {
                long slowest = 0;
                for (final Subscriber subscriber : open)
                {
                    final Long arrived = subscriber.awaitVersion(versions[k], drainUntil);
                    if (arrived == null)
                    {
                        missed++;
                        continue;
                    }
                    final long nanos = Math.max(0, arrived - sentNanos[k]);
                    delivery.recordValue(Math.min(nanos, Latency.HIGHEST_NANOS));
                    slowest = Math.max(slowest, nanos);
                }
                last.recordValue(Math.min(slowest, Latency.HIGHEST_NANOS));
            }
            return new Result(subscribers, Math.min(subscribers, channels.length), orders, ratePerSecond,
                (long)orders * subscribers, missed, Latency.of(delivery), Latency.of(last), Latency.of(roundTrip));
        }
        finally
        {
            open.forEach(Subscriber::cancel);
        }
    }

    private record HttpResponseWithTime(long version, long receivedNanos)
    {
    }

    private static HttpResponseWithTime sendOrder(final TruestockHttpTarget target, final String orderId)
        throws IOException, InterruptedException
    {
        final HttpResponse<String> response = target.send(target.adminToken(), "POST", "/v1/orders",
            "{\"channel\":\"" + TruestockHttpTarget.CHANNEL + "\",\"order_id\":\"" + orderId +
                "\",\"lines\":[{\"sku\":\"" + SKU + "\",\"qty\":1}]}");
        final long received = System.nanoTime();
        if (response.statusCode() != 201)
        {
            throw new IOException("order answered " + response.statusCode() + ": " + response.body());
        }
        return new HttpResponseWithTime(JSON.readTree(response.body()).path("version").asLong(), received);
    }

    private static void parkUntil(final long dueNanos)
    {
        long now;
        while ((now = System.nanoTime()) < dueNanos)
        {
            LockSupport.parkNanos(dueNanos - now);
        }
    }

    /** One SSE stream: notes the arrival instant of every {@code stock} event of the measured SKU, by version. */
    private static final class Subscriber implements Flow.Subscriber<String>
    {
        final CountDownLatch firstLine = new CountDownLatch(1);
        private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
        private volatile Flow.Subscription subscription;
        private volatile Throwable failure;
        private long eventId = -1;

        @Override
        public void onSubscribe(final Flow.Subscription subscription)
        {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(final String line)
        {
            final long now = System.nanoTime();
            firstLine.countDown();
            if (line.startsWith("id: "))
            {
                eventId = Long.parseLong(line.substring(4).strip());
            }
            else if (line.startsWith("data: ") && line.contains("\"sku\":\"" + SKU + "\""))
            {
                if (eventId >= 0)
                {
                    arrivals.putIfAbsent(eventId, now);
                }
            }
            else if (line.isEmpty())
            {
                eventId = -1;
            }
        }

        /** The arrival instant of {@code version}, waiting for it until {@code untilNanos}; null if it never came. */
        Long awaitVersion(final long version, final long untilNanos)
        {
            Long arrived;
            while ((arrived = arrivals.get(version)) == null && System.nanoTime() < untilNanos)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return arrived;
        }

        @Override
        public void onError(final Throwable throwable)
        {
            failure = throwable;
            firstLine.countDown();
        }

        @Override
        public void onComplete()
        {
            firstLine.countDown();
        }

        void cancel()
        {
            final Flow.Subscription current = subscription;
            if (current != null)
            {
                current.cancel();
            }
        }
    }
}
