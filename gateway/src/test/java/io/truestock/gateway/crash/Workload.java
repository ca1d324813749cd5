package io.truestock.gateway.crash;

import io.truestock.gateway.crash.HttpCalls.Reply;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A small catalog and several client threads that send a seeded mix of mutations to a live server: receipts,
 * adjustments, reservations of one to three lines (bundles among them; some expire within seconds, through the
 * engine's ticks), extensions, confirmations, releases, channel orders, cancellations and shipments, a third of the
 * POSTs with an {@code Idempotency-Key}. Every request is recorded with
 * its answer, or with none when the server went away before answering: that is all a client can know, and all the
 * checks after a restart may rely on.
 */
final class Workload
{
    static final List<String> LOCATIONS = List.of("oak", "nj");
    static final List<String> CHANNELS = List.of("shop", "amz");
    static final List<String> PLAIN_SKUS = List.of("s0", "s1", "s2", "s3", "s4", "s5");
    /** Bundle SKU -> (component SKU -> units of it in one bundle). */
    static final Map<String, Map<String, Long>> BUNDLES = bundles();
    static final long INITIAL_UNITS = 300;
    /**
     * Most reservations outlive the test (the hour-long soak included); the rest expire within seconds, through the
     * engine's ticks.
     */
    static final int TTL_SECONDS = 4 * 3600;
    static final int MAX_SHORT_TTL_SECONDS = 3;
    private static final int SHORT_TTL_PERCENT = 15;
    static final long JOIN_TIMEOUT_SECONDS = 60;
    /** A receipt every set-up run makes, whose reference is a unique text to find in the journal's files. */
    static final String MARKER_SKU = "s3";
    static final String MARKER_LOCATION = "nj";
    static final String MARKER_REFERENCE = "journal-marker-s3-nj-0001";

    private final String run;
    private final List<Client> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicBoolean serverGoingAway = new AtomicBoolean();
    private final AtomicReference<String> unexpected = new AtomicReference<>();
    private volatile long endedAtMillis;
    private volatile long intervalNanos;

    /** @param run names this run in every order id and idempotency key, so that runs on one data dir never collide. */
    Workload(final String run)
    {
        this.run = run;
    }

    private static Map<String, Map<String, Long>> bundles()
    {
        final Map<String, Map<String, Long>> bundles = new LinkedHashMap<>();
        final Map<String, Long> kitA = new LinkedHashMap<>();
        kitA.put("s0", 1L);
        kitA.put("s1", 2L);
        bundles.put("kit-a", Collections.unmodifiableMap(kitA));
        final Map<String, Long> kitB = new LinkedHashMap<>();
        kitB.put("s2", 1L);
        kitB.put("s3", 1L);
        bundles.put("kit-b", Collections.unmodifiableMap(kitB));
        return Collections.unmodifiableMap(bundles);
    }

    /** What a request was for. */
    enum Kind
    {
        RECEIVE, ADJUST, RESERVE, EXTEND, CONFIRM, RELEASE, ORDER, CANCEL, SHIP
    }

    record Line(String sku, long qty)
    {
    }

    /**
     * One request and what it is about: {@code channel} is the reservation's or order's channel, {@code quantity}
     * the receipt's units, the adjustment's delta or the reservation's (new) ttl_seconds, {@code lines} a
     * reservation's or channel order's lines.
     */
    record Request(
        Kind kind, String method, String path, String body, String key, String channel, String reservationId,
        String orderId, String sku, String location, long quantity, List<Line> lines)
    {
    }

    /** A request a client sent and the answer it got, or null when it got none. */
    record Call(int client, int index, Request request, Reply reply)
    {
        boolean answered()
        {
            return reply != null;
        }

        boolean accepted()
        {
            return reply != null && reply.status() >= 200 && reply.status() < 300;
        }
    }

    // ---- catalog ----

    /**
     * Two locations, two channels drawing from both (in opposite orders), six SKUs with {@link #INITIAL_UNITS} at
     * each location, and two bundles. Returns the receipts as answered calls of client -1.
     */
    static List<Call> defineCatalog(final HttpCalls http)
    {
        for (final String location : LOCATIONS)
        {
            http.expect(200, "PUT", "/v1/locations/" + location, "{\"name\":\"" + location + " warehouse\"}");
        }
        http.expect(200, "PUT", "/v1/channels/shop", "{\"name\":\"Shop\",\"locations\":[\"oak\",\"nj\"]}");
        http.expect(200, "PUT", "/v1/channels/amz", "{\"name\":\"Marketplace\",\"locations\":[\"nj\",\"oak\"]}");
        for (final String sku : PLAIN_SKUS)
        {
            http.expect(200, "PUT", "/v1/skus/" + sku,
                "{\"title\":\"" + sku + "\",\"price\":{\"amount\":1999,\"currency\":\"USD\"}}");
        }
        for (final Map.Entry<String, Map<String, Long>> bundle : BUNDLES.entrySet())
        {
            final StringBuilder components = new StringBuilder();
            for (final Map.Entry<String, Long> part : bundle.getValue().entrySet())
            {
                components.append(components.length() == 0 ? "" : ",")
                    .append("{\"sku\":\"").append(part.getKey()).append("\",\"qty\":").append(part.getValue()).append('}');
            }
            http.expect(200, "PUT", "/v1/skus/" + bundle.getKey(), "{\"title\":\"" + bundle.getKey() +
                "\",\"price\":{\"amount\":4999,\"currency\":\"USD\"},\"components\":[" + components + "]}");
        }
        final List<Call> receipts = new ArrayList<>();
        int index = 0;
        for (final String sku : PLAIN_SKUS)
        {
            for (final String location : LOCATIONS)
            {
                final boolean marker = sku.equals(MARKER_SKU) && location.equals(MARKER_LOCATION);
                final Request request = receive(sku, location, INITIAL_UNITS, null,
                    marker ? MARKER_REFERENCE : "initial-" + sku + "-" + location);
                final Reply reply = http.admin(request.method(), request.path(), request.body());
                assertThat(reply.status()).as(reply.body()).isEqualTo(200);
                receipts.add(new Call(-1, index++, request, reply));
            }
        }
        return receipts;
    }

    static Request receive(final String sku, final String location, final long qty, final String key,
        final String reference)
    {
        final String body = "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"qty\":" + qty +
            (reference == null ? "" : ",\"reference\":\"" + reference + "\"") + "}";
        return new Request(Kind.RECEIVE, "POST", "/v1/stock/receive", body, key, null, null, null, sku, location, qty,
            List.of());
    }

    // ---- the run ----

    /** Paces each client to at most {@code perSecond} requests a second (0, the default: as fast as answered). */
    Workload pace(final int perSecond)
    {
        intervalNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
        return this;
    }

    /** Answers the clients have had so far. */
    int answered()
    {
        return answered.get();
    }

    /** Starts {@code clientCount} clients against the server on {@code port}; each is seeded from {@code seed}. */
    void start(final int port, final long seed, final int clientCount)
    {
        for (int i = 0; i < clientCount; i++)
        {
            final Client client = new Client(i, new Random(seed * 1_000_003L + i), new HttpCalls(port));
            clients.add(client);
            final Thread thread = new Thread(client, "crash-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    /** Waits (bounded) until the clients have {@code count} answers; fails on an unexpected lost answer. */
    void awaitAnswered(final int count, final long timeoutSeconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (answered.get() < count)
        {
            if (unexpected.get() != null)
            {
                fail("a request lost its answer while the server was up: " + unexpected.get());
            }
            if (threads.stream().noneMatch(Thread::isAlive))
            {
                fail("every client stopped after " + answered.get() + " answers, before " + count);
            }
            if (System.nanoTime() > deadline)
            {
                fail("only " + answered.get() + " of " + count + " answers within " + timeoutSeconds + " s");
            }
            ServerProcess.pause(2);
        }
    }

    /** From now on a request without an answer is expected: the server is being killed or stopped. */
    void serverGoingAway()
    {
        serverGoingAway.set(true);
    }

    /** Waits (bounded) for every client to notice the server is gone; returns every call, client by client. */
    List<Call> finish()
    {
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(JOIN_TIMEOUT_SECONDS));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            assertThat(thread.isAlive()).as(thread.getName() + " still running after the server went away").isFalse();
        }
        assertThat(unexpected.get()).as("a request lost its answer while the server was up").isNull();
        endedAtMillis = System.currentTimeMillis();
        final List<Call> calls = new ArrayList<>();
        for (final Client client : clients)
        {
            calls.addAll(client.calls);
        }
        return calls;
    }

    /** When the last client stopped: no command of this run can have been stamped later. */
    long endedAtMillis()
    {
        return endedAtMillis;
    }

    /** Stops the clients (bounded) while the server stays up; returns every call. */
    List<Call> stopClients()
    {
        clients.forEach(client -> client.stopped = true);
        return finish();
    }

    // ---- one client ----

    private record Held(String id, String channel, List<Line> lines)
    {
    }

    private record OpenOrder(String channel, String orderId)
    {
    }

    private final class Client implements Runnable
    {
        final int id;
        final Random random;
        final HttpCalls http;
        final List<Call> calls = new ArrayList<>();
        final List<Held> held = new ArrayList<>();
        final List<OpenOrder> open = new ArrayList<>();
        volatile boolean stopped;
        int nextOrder;

        Client(final int id, final Random random, final HttpCalls http)
        {
            this.id = id;
            this.random = random;
            this.http = http;
        }

        @Override
        public void run()
        {
            long dueNanos = System.nanoTime();
            while (!stopped)
            {
                if (intervalNanos > 0)
                {
                    dueNanos += intervalNanos;
                    java.util.concurrent.locks.LockSupport.parkNanos(dueNanos - System.nanoTime());
                }
                final Request request = next();
                final int index = calls.size();
                final Reply reply;
                try
                {
                    reply = http.send(request.method(), request.path(), request.body(), request.key(),
                        ServerProcess.ADMIN_TOKEN);
                }
                catch (final IOException ex)
                {
                    calls.add(new Call(id, index, request, null));
                    if (!serverGoingAway.get())
                    {
                        unexpected.compareAndSet(null, request.method() + " " + request.path() + ": " + ex);
                    }
                    return;
                }
                catch (final RuntimeException ex)
                {
                    calls.add(new Call(id, index, request, null));
                    unexpected.compareAndSet(null, request.method() + " " + request.path() + ": " + ex);
                    return;
                }
                calls.add(new Call(id, index, request, reply));
                answered.incrementAndGet();
                try
                {
                    learn(request, reply);
                }
                catch (final RuntimeException ex)
                {
                    unexpected.compareAndSet(null, "answer to " + request.method() + " " + request.path() + " not " +
                        "understood: " + reply.status() + " " + reply.body() + ": " + ex);
                    return;
                }
            }
        }

        private Request next()
        {
            final int roll = random.nextInt(100);
            if (roll < 14)
            {
                return receive(plainSku(), location(), 1 + random.nextInt(30), key(), null);
            }
            if (roll < 20)
            {
                return adjust();
            }
            if (roll < 48)
            {
                return reserve();
            }
            if (roll < 60 && !held.isEmpty())
            {
                return confirm();
            }
            if (roll < 64 && !held.isEmpty())
            {
                return extend();
            }
            if (roll < 70 && !held.isEmpty())
            {
                return release();
            }
            if (roll < 82)
            {
                return order();
            }
            if (roll < 90 && !open.isEmpty())
            {
                return closeOrder(Kind.CANCEL);
            }
            if (roll < 100 && !open.isEmpty())
            {
                return closeOrder(Kind.SHIP);
            }
            return reserve();
        }

        private String key()
        {
            return random.nextInt(3) == 0 ? run + "-client-" + id + "-request-" + calls.size() : null;
        }

        private String plainSku()
        {
            return PLAIN_SKUS.get(random.nextInt(PLAIN_SKUS.size()));
        }

        private String location()
        {
            return LOCATIONS.get(random.nextInt(LOCATIONS.size()));
        }

        private String channel()
        {
            return CHANNELS.get(random.nextInt(CHANNELS.size()));
        }

        private List<Line> lines(final int maxLines, final int bundlePercent, final int maxQty)
        {
            final List<String> bundles = new ArrayList<>(BUNDLES.keySet());
            final int count = 1 + random.nextInt(maxLines);
            final List<Line> lines = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                final String sku = random.nextInt(100) < bundlePercent ?
                    bundles.get(random.nextInt(bundles.size())) : plainSku();
                lines.add(new Line(sku, 1 + random.nextInt(maxQty)));
            }
            return List.copyOf(lines);
        }

        private Request adjust()
        {
            final String sku = plainSku();
            final String location = location();
            long delta = random.nextInt(9) - 3;
            if (delta == 0)
            {
                delta = 1;
            }
            final String body = "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"delta\":" + delta +
                ",\"reason\":\"cycle count\"}";
            return new Request(Kind.ADJUST, "POST", "/v1/stock/adjust", body, key(), null, null, null, sku, location,
                delta, List.of());
        }

        private Request reserve()
        {
            final String channel = channel();
            final List<Line> lines = lines(3, 30, 3);
            final int ttlSeconds = ttlSeconds(SHORT_TTL_PERCENT);
            final String body = "{\"channel\":\"" + channel + "\",\"lines\":" + linesJson(lines) + ",\"ttl_seconds\":" +
                ttlSeconds + "}";
            return new Request(Kind.RESERVE, "POST", "/v1/reservations", body, key(), channel, null, null, null, null,
                ttlSeconds, lines);
        }

        private int ttlSeconds(final int shortPercent)
        {
            return random.nextInt(100) < shortPercent ? 1 + random.nextInt(MAX_SHORT_TTL_SECONDS) : TTL_SECONDS;
        }

        /** A new expiry, as often a near one (the reservation then expires soon) as a far one. */
        private Request extend()
        {
            final Held target = held.get(random.nextInt(held.size()));
            final int ttlSeconds = ttlSeconds(50);
            return new Request(Kind.EXTEND, "POST", "/v1/reservations/" + target.id() + "/extend",
                "{\"ttl_seconds\":" + ttlSeconds + "}", key(), target.channel(), target.id(), null, null, null,
                ttlSeconds, target.lines());
        }

        private Request confirm()
        {
            final Held target = held.get(random.nextInt(held.size()));
            final String orderId = run + "-client-" + id + "-confirmed-" + nextOrder++;
            return new Request(Kind.CONFIRM, "POST", "/v1/reservations/" + target.id() + "/confirm",
                "{\"order_id\":\"" + orderId + "\"}", key(), target.channel(), target.id(), orderId, null, null, 0,
                target.lines());
        }

        private Request release()
        {
            final Held target = held.get(random.nextInt(held.size()));
            return new Request(Kind.RELEASE, "DELETE", "/v1/reservations/" + target.id(), null, null, target.channel(),
                target.id(), null, null, null, 0, target.lines());
        }

        private Request order()
        {
            final String channel = channel();
            final String orderId = run + "-client-" + id + "-sold-" + nextOrder++;
            final List<Line> lines = lines(2, 20, 4);
            final String body = "{\"channel\":\"" + channel + "\",\"order_id\":\"" + orderId + "\",\"lines\":" +
                linesJson(lines) + "}";
            return new Request(Kind.ORDER, "POST", "/v1/orders", body, key(), channel, null, orderId, null, null, 0,
                lines);
        }

        private Request closeOrder(final Kind kind)
        {
            final OpenOrder target = open.get(random.nextInt(open.size()));
            final String action = kind == Kind.CANCEL ? "cancel" : "ship";
            return new Request(kind, "POST", "/v1/orders/" + target.orderId() + "/" + action + "?channel=" +
                target.channel(), null, key(), target.channel(), null, target.orderId(), null, null, 0, List.of());
        }

        /** Keeps the client's own view of what it holds and which orders are open, from the answers it got. */
        private void learn(final Request request, final Reply reply)
        {
            final boolean accepted = reply.status() >= 200 && reply.status() < 300;
            switch (request.kind())
            {
                case RESERVE ->
                {
                    if (accepted)
                    {
                        held.add(new Held(reply.json().path("id").asText(), request.channel(), request.lines()));
                    }
                }
                case CONFIRM ->
                {
                    if (accepted)
                    {
                        held.removeIf(h -> h.id().equals(request.reservationId()));
                        open.add(new OpenOrder(request.channel(), request.orderId()));
                    }
                    else if (reply.status() != 503)
                    {
                        held.removeIf(h -> h.id().equals(request.reservationId()));
                    }
                }
                case EXTEND ->
                {
                    if (!accepted && reply.status() != 503)
                    {
                        held.removeIf(h -> h.id().equals(request.reservationId()));
                    }
                }
                case RELEASE ->
                {
                    if (reply.status() != 503)
                    {
                        held.removeIf(h -> h.id().equals(request.reservationId()));
                    }
                }
                case ORDER ->
                {
                    if (accepted)
                    {
                        open.add(new OpenOrder(request.channel(), request.orderId()));
                    }
                }
                case CANCEL, SHIP ->
                {
                    if (reply.status() != 503)
                    {
                        open.removeIf(o -> o.orderId().equals(request.orderId()));
                    }
                }
                default ->
                {
                }
            }
        }
    }

    /**
     * What a careful client does after the server came back: sends every keyed request that lost its answer again,
     * with the same key. Whether or not the first attempt was applied, the retry settles it exactly once, and its
     * answer takes the place of the lost one. Returns the calls with those answers in place.
     */
    static List<Call> retryUnansweredKeyed(final HttpCalls http, final List<Call> calls)
    {
        final List<Call> settled = new ArrayList<>();
        for (final Call call : calls)
        {
            final Request request = call.request();
            if (call.answered() || request.key() == null)
            {
                settled.add(call);
                continue;
            }
            try
            {
                settled.add(new Call(call.client(), call.index(), request, http.send(request.method(), request.path(),
                    request.body(), request.key(), ServerProcess.ADMIN_TOKEN)));
            }
            catch (final IOException ex)
            {
                fail("the retry of " + request.method() + " " + request.path() + " got no answer", ex);
            }
        }
        return settled;
    }

    static String linesJson(final List<Line> lines)
    {
        final StringBuilder json = new StringBuilder("[");
        for (final Line line : lines)
        {
            json.append(json.length() == 1 ? "" : ",")
                .append("{\"sku\":\"").append(line.sku()).append("\",\"qty\":").append(line.qty()).append('}');
        }
        return json.append(']').toString();
    }
}
