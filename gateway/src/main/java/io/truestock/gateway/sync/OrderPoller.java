package io.truestock.gateway.sync;

import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.Sequencer;
import io.truestock.gateway.rules.Limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the orders of the channels without an order push (TikTok Shop, whose push carries no lines, Flipkart,
 * eBay, Walmart) every {@code orders_poll_seconds} (60 by default), and on a verified push ({@link #wake}). Each
 * order becomes the engine's idempotent channel order ({@code POST /v1/orders} semantics: keyed by channel and
 * order id, never refused for stock), principal {@code poller:<channel>}. The cursor (the creation instant up to
 * which every order was recorded) is persisted per channel in {@code <data dir>/orders/<channel>.cursor}, written to
 * a temporary file, forced to disk and renamed over the old one, with a checksum; it moves only after every order
 * of the poll was recorded, so a crash re-reads orders (absorbed as duplicates) and never skips one. Each poll asks
 * from {@link #OVERLAP_MILLIS} before the cursor (orders the channel indexes late), at most {@link #MAX_PAGES} pages;
 * a poll that did not finish leaves the cursor where it was and is tried again within 5 s, and a channel the engine
 * does not define yet is not read. A new connector starts at its first poll; a cursor
 * that does not read back (corrupted) restarts {@link #LOOKBACK_MILLIS} back. One thread polls every channel in turn; nothing spins.
 */
public final class OrderPoller implements AutoCloseable
{
    static final long OVERLAP_MILLIS = 60_000;
    static final long LOOKBACK_MILLIS = 24 * 3_600_000L;
    static final int MAX_PAGES = 50;
    static final long RETRY_MILLIS = 5_000;
    private static final long REQUEST_TIMEOUT_MILLIS = 60_000;

    private final Engine engine;
    private final Sequencer runtime;
    private final Path dir;
    private final Limits limits;
    private final Map<String, OrderSource> sources = new LinkedHashMap<>();
    private final Map<String, ConnectorConfig> configs = new HashMap<>();
    /** Per channel, item id -> engine SKU (the item ids are fixed once the server runs). */
    private final Map<String, Map<String, String>> reverseItemIds = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> woken = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    /** Orders recorded (first time) per channel; duplicates and refusals are counted apart. */
    final Map<String, AtomicLong> recorded = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> duplicates = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    final AtomicLong polls = new AtomicLong();
    /** False on a cluster node that does not lead: polls come due and do nothing (see {@link #standby}). */
    private volatile boolean active = true;
    private volatile boolean leading;

    private OrderPoller(final Engine engine, final Sequencer runtime, final ChannelSync sync, final Path dataDir)
    {
        this.engine = engine;
        this.runtime = runtime;
        this.dir = dataDir.resolve("orders");
        this.limits = new Limits(engine.config());
        for (final Connector connector : sync.connectors())
        {
            if (connector.client() instanceof OrderSource source)
            {
                sources.put(connector.config().channel(), source);
                configs.put(connector.config().channel(), connector.config());
                final Map<String, String> reverse = new HashMap<>();
                connector.config().itemIds().forEach((sku, item) -> reverse.put(item, sku));
                reverseItemIds.put(connector.config().channel(), reverse);
                recorded.put(connector.config().channel(), new AtomicLong());
                duplicates.put(connector.config().channel(), new AtomicLong());
                refused.put(connector.config().channel(), new AtomicLong());
            }
        }
        if (sources.isEmpty())
        {
            this.scheduler = null;
        }
        else
        {
            final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r ->
            {
                final Thread thread = new Thread(r, "truestock-orders");
                thread.setDaemon(true);
                return thread;
            });
            // At close only the poll under way finishes; polls not yet due are dropped.
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            this.scheduler = executor;
        }
    }

    /** Starts polling every channel whose connector reads orders by polling. */
    public static OrderPoller start(final Engine engine, final Sequencer runtime, final ChannelSync sync,
        final Path dataDir)
    {
        return start(engine, runtime, sync, dataDir, false);
    }

    /**
     * Like {@link #start(Engine, Sequencer, ChannelSync, Path)}; with {@code standby} (cluster mode) no order is read
     * until {@link #lead}.
     */
    public static OrderPoller start(final Engine engine, final Sequencer runtime, final ChannelSync sync,
        final Path dataDir, final boolean standby)
    {
        final OrderPoller poller = new OrderPoller(engine, runtime, sync, dataDir);
        if (standby)
        {
            poller.standby();
        }
        poller.configs.forEach((channel, config) ->
        {
            final long seconds = ChannelOptions.number(config, "orders_poll_seconds", 60);
            poller.scheduler.scheduleWithFixedDelay(() -> poller.pollQuietly(channel), 0, seconds, TimeUnit.SECONDS);
        });
        return poller;
    }

    /**
     * Cluster mode: this node reads no orders until {@link #lead}. A channel without a cursor gets one at this
     * instant, so that a node taking over later reads every order since it started (the leader before it recorded
     * most of them: duplicates are absorbed), never only those after the take-over.
     */
    private void standby()
    {
        active = false;
        for (final String channel : sources.keySet())
        {
            if (!Files.exists(dir.resolve(channel + ".cursor")))
            {
                writeCursor(channel, System.currentTimeMillis());
            }
        }
    }

    /**
     * Starts reading orders on this node, each channel at once. A cursor older than {@link #LOOKBACK_MILLIS} (a node
     * that followed for long) is moved up to that bound: the leaders before this one read what lies before it.
     */
    public void lead()
    {
        leading = true;
        if (scheduler == null)
        {
            return;
        }
        // On the polling thread, so that no poll reads a cursor while it moves.
        try
        {
            scheduler.execute(this::takeOver);
        }
        catch (final java.util.concurrent.RejectedExecutionException ex)
        {
            // Closing: nothing is read any more.
        }
    }

    private void takeOver()
    {
        final long floor = System.currentTimeMillis() - LOOKBACK_MILLIS;
        for (final String channel : sources.keySet())
        {
            if (readCursor(channel) < floor)
            {
                writeCursor(channel, floor);
            }
        }
        active = leading;
        sources.keySet().forEach(this::wake);
    }

    /** Stops reading orders; a poll under way finishes. */
    public void follow()
    {
        leading = false;
        active = false;
    }

    /** True when this channel's orders are polled (a push for it should call {@link #wake}). */
    public boolean polls(final String channel)
    {
        return sources.containsKey(channel);
    }

    /** Polls the channel soon (once, however many pushes arrive meanwhile). */
    public void wake(final String channel)
    {
        wakeIn(channel, 0);
    }

    private void wakeIn(final String channel, final long delayMillis)
    {
        if (sources.containsKey(channel))
        {
            woken.computeIfAbsent(channel, c -> scheduler.schedule(() ->
            {
                woken.remove(c);
                pollQuietly(c);
            }, delayMillis, TimeUnit.MILLISECONDS));
        }
    }

    /** A poll; one that did not finish is tried again within {@link #RETRY_MILLIS} rather than a whole interval. */
    private void pollQuietly(final String channel)
    {
        if (!active)
        {
            return;
        }
        boolean finished = false;
        try
        {
            finished = poll(channel);
        }
        catch (final RuntimeException ex)
        {
            // A failed poll leaves the cursor; the retry asks again.
            System.getLogger(OrderPoller.class.getName()).log(System.Logger.Level.WARNING,
                "order poll of " + channel + " failed: " + ex.getClass().getSimpleName());
        }
        if (!finished)
        {
            wakeIn(channel, Math.min(RETRY_MILLIS, ChannelOptions.number(configs.get(channel), "orders_poll_seconds", 60) * 1000));
        }
    }

    /** One poll: every page since the cursor, each order recorded, then the cursor moved. False if unfinished. */
    boolean poll(final String channel)
    {
        polls.incrementAndGet();
        if (engine.channelIndex(channel) < 0)
        {
            // The channel is not defined yet: its orders could not be recorded, so they are not read.
            return false;
        }
        final OrderSource source = sources.get(channel);
        final long cursor = readCursor(channel);
        long newest = cursor;
        String page = null;
        for (int pages = 0; pages < MAX_PAGES; pages++)
        {
            final OrderSource.Page result;
            try
            {
                result = source.orders(Math.max(0, cursor - OVERLAP_MILLIS), page)
                    .get(REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (final Exception ex)
            {
                return false;
            }
            if (result == null)
            {
                return false;
            }
            for (final OrderSource.Order order : result.orders())
            {
                if (!record(channel, order))
                {
                    return false;
                }
                newest = Math.max(newest, order.createdAtMillis());
            }
            if (result.next() == null)
            {
                writeCursor(channel, newest);
                return true;
            }
            page = result.next();
        }
        return false;
    }

    /** Records one order; false when the engine could not take it now (overloaded), so the poll stops. */
    private boolean record(final String channel, final OrderSource.Order order)
    {
        final String orderId = Ids.isValid(order.orderId()) ? order.orderId() : null;
        final Map<String, Long> lines = new LinkedHashMap<>();
        final Map<String, String> reverse = reverseItemIds.get(channel);
        order.lines().forEach((channelSku, qty) ->
        {
            final String sku = engine.skuIndex(channelSku) >= 0 ? channelSku : reverse.get(channelSku);
            if (sku != null && engine.skuIndex(sku) >= 0)
            {
                lines.merge(sku, qty, Long::sum);
            }
        });
        final boolean valid = orderId != null && !lines.isEmpty() && lines.size() <= limits.maxLines()
            && lines.values().stream().allMatch(limits::isQuantity);
        if (!valid)
        {
            // Not stock of this engine (unknown SKUs only) or not an order the API would take: nothing to record.
            refused.get(channel).incrementAndGet();
            return true;
        }
        final Outcome outcome;
        try
        {
            outcome = runtime.submit(command ->
            {
                command.order(channel, orderId).destination(order.country(), order.postalCode());
                lines.forEach(command::addLine);
                command.principal("poller:" + channel);
            }).get(REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final Exception ex)
        {
            return false;
        }
        (outcome.accepted() ? outcome.duplicate() ? duplicates : recorded : refused).get(channel).incrementAndGet();
        return true;
    }

    /**
     * The persisted cursor; now when there is none (a new connector reads orders from its start), and
     * {@link #LOOKBACK_MILLIS} before now when it does not verify.
     */
    long readCursor(final String channel)
    {
        final long cursor = NumberFile.read(dir.resolve(channel + ".cursor"));
        if (cursor == NumberFile.MISSING)
        {
            return System.currentTimeMillis();
        }
        return cursor == NumberFile.UNREADABLE ? System.currentTimeMillis() - LOOKBACK_MILLIS : cursor;
    }

    private void writeCursor(final String channel, final long millis)
    {
        try
        {
            NumberFile.write(dir.resolve(channel + ".cursor"), millis);
        }
        catch (final IOException ex)
        {
            // The cursor stays where it was: the next poll reads the same orders again, recorded as duplicates.
            System.getLogger(OrderPoller.class.getName()).log(System.Logger.Level.WARNING,
                "cannot write the order cursor of " + channel + ": " + ex.getMessage());
        }
    }

    @Override
    public void close()
    {
        if (scheduler != null)
        {
            // A poll under way finishes (its cursor written whole) before the channel reader stops; one stuck on
            // the channel is interrupted after 5 s, and its orders are read again at the next start.
            scheduler.shutdown();
            try
            {
                if (!scheduler.awaitTermination(5, TimeUnit.SECONDS))
                {
                    scheduler.shutdownNow();
                    scheduler.awaitTermination(5, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
