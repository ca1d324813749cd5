package io.truestock.gateway.sync;

import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.gateway.http.JsonOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Outbound channel sync: an {@link EngineListener} on the output stage that hands every published channel value
 * to that channel's {@link Connector} (a conflating, bounded outbox: array writes, no I/O, no waiting), and one
 * scheduler thread that starts requests as each channel's rate limits and in-flight bound allow. Requests run on
 * one shared {@link HttpClient} whose executor has two threads; nothing here spins: the scheduler parks until a
 * value arrives, a request completes, a token or a retry comes due.
 * <p>
 * A slow or failing channel only fills its own outbox (at most one entry per SKU), so it never slows the writer
 * or another channel.
 */
public final class ChannelSync implements EngineListener, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ChannelSync.class);
    public static final int DEAD_LETTER_AUDIT_QUEUE = 4096;
    private static final long IDLE_PARK_MILLIS = 1_000;

    /** Receives dead letters on the scheduler thread, one at a time (the audit trail). */
    @FunctionalInterface
    public interface DeadLetterAudit
    {
        void record(DeadLetter letter);
    }

    /**
     * Told of every acknowledgement as it is recorded, on the HTTP client's thread: must return quickly. For
     * observers that need the instant a channel confirmed a value (the propagation benchmark).
     */
    @FunctionalInterface
    public interface AckListener
    {
        void acknowledged(String channel, String sku, long available, long version);
    }

    private final Engine engine;
    private final Map<String, Connector> byChannel = new LinkedHashMap<>();
    private final Connector[] byIndex;
    private final boolean[] resolved;
    private final ThreadPoolExecutor executor;
    private final HttpClient http;
    private final DeadLetterAudit audit;
    private final ArrayBlockingQueue<DeadLetter> auditQueue = new ArrayBlockingQueue<>(DEAD_LETTER_AUDIT_QUEUE);
    private final AtomicLong auditDropped = new AtomicLong();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Thread scheduler;
    private final LedTerm ledTerm;
    private volatile boolean running;
    /** False on a cluster node that does not lead: nothing is offered or sent (see {@link #standby}). */
    private volatile boolean active = true;
    private volatile boolean standby;
    /** The leadership term to take over in, or {@link LedTerm#NONE} to follow; read by the scheduler. */
    private final AtomicLong wantedTerm = new AtomicLong(LedTerm.NONE);
    private long takenTerm = LedTerm.NONE;

    public ChannelSync(final Engine engine, final Collection<ConnectorConfig> configs, final DeadLetterAudit audit)
    {
        this(engine, configs, audit, null);
    }

    /**
     * @param ledgerDir where each connector persists what its channel acknowledged (one file per channel, see
     *                  {@link AckLedger}), so that a restart sends only what changed since; null keeps the ledger in
     *                  memory only (a restart resends every synced SKU).
     */
    public ChannelSync(final Engine engine, final Collection<ConnectorConfig> configs, final DeadLetterAudit audit,
        final java.nio.file.Path ledgerDir)
    {
        this.engine = engine;
        this.audit = audit;
        this.ledTerm = ledgerDir == null ? null : new LedTerm(ledgerDir);
        final int maxSkus = engine.config().maxSkus();
        this.byIndex = new Connector[engine.config().maxChannels()];
        this.resolved = new boolean[engine.config().maxChannels()];
        // Tasks are bounded by the connectors' in-flight bounds (a few per request); the queue bound is a backstop.
        this.executor = configs.isEmpty() ? null : new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(65_536), r ->
            {
                final Thread thread = new Thread(r, "truestock-sync-http");
                thread.setDaemon(true);
                return thread;
            });
        this.http = configs.isEmpty() ? null : HttpClient.newBuilder().executor(executor)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
        final long now = System.currentTimeMillis();
        for (final ConnectorConfig config : configs)
        {
            config.conclude();
            if (byChannel.containsKey(config.channel()))
            {
                throw new IllegalArgumentException("two connectors for channel '" + config.channel() + "'");
            }
            final ChannelClient client = ChannelClient.create(config, http);
            client.prices = sku ->
            {
                final int channel = engine.channelIndex(config.channel());
                return channel < 0 ? null : engine.priceAt(sku, channel,
                    Math.max(System.currentTimeMillis(), engine.lastTimestampMillis()));
            };
            client.regularPrices = sku ->
            {
                final int channel = engine.channelIndex(config.channel());
                final io.truestock.engine.price.PriceSpec spec = engine.priceSpec(sku);
                return channel < 0 || spec == null ? null : spec.channels().getOrDefault(config.channel(), spec.base());
            };
            final Connector connector = new Connector(config, client, maxSkus, now, this::wake, this::deadLettered);
            connector.pricing = sku -> pricing(sku, config.channel());
            byChannel.put(config.channel(), connector);
            if (ledgerDir != null)
            {
                final int restored = connector.persistIn(new AckLedger(ledgerDir, config.channel(), client.target()),
                    engine::skuIndex, engine.skuCount());
                LOG.info("channel sync {}: {} acknowledged SKUs restored from the ledger", config.channel(), restored);
            }
        }
        this.scheduler = new Thread(this::run, "truestock-sync");
        this.scheduler.setDaemon(true);
    }

    /**
     * Cluster mode, before {@link #start}: this node sends nothing and ignores the engine's changes until
     * {@link #lead} makes it the sender; {@link #follow} makes it stop again. Only the leader sends.
     */
    public ChannelSync standby()
    {
        standby = true;
        active = false;
        return this;
    }

    /**
     * Makes this node the sender from leadership term {@code term} on (returns at once; the scheduler thread takes
     * over). Unless this node also led term {@code term - 1} (recorded beside the ledgers), another node may have
     * changed the channels since this node last heard from them: every acknowledgement is then forgotten and the
     * ledgers rewritten without them. Then every synced SKU whose acknowledged value differs from the engine's, or
     * is unknown, is queued: the "resend when unsure" rule of the ledger, applied to a hand-over.
     */
    public void lead(final long term)
    {
        wantedTerm.set(term);
        wake();
    }

    /** Stops sending at once; requests already sent finish and their acknowledgements are recorded. */
    public void follow()
    {
        wantedTerm.set(LedTerm.NONE);
        active = false;
    }

    /** True while this node sends (always on a single node; on a cluster node while it leads). */
    public boolean active()
    {
        return active;
    }

    private void takeOver(final long term)
    {
        takenTerm = term;
        final long previous = ledTerm == null ? LedTerm.NONE : ledTerm.read();
        final boolean trusted = previous != LedTerm.NONE && previous == term - 1;
        boolean healthy = true;
        for (final Connector connector : byChannel.values())
        {
            if (!trusted)
            {
                final int forgotten = connector.forgetAcknowledged(engine.skuCount());
                LOG.info("channel sync {}: taking over in term {} (last led term {}): {} acknowledgements forgotten",
                    connector.config().channel(), term, previous, forgotten);
            }
            healthy &= connector.ledgerHealthy();
        }
        if (ledTerm != null && healthy && !ledTerm.write(term))
        {
            LOG.warn("channel sync: cannot record the led term {}; the next take-over resends everything", term);
        }
        active = true;
        if (wantedTerm.get() != term)
        {
            active = false;
            return;
        }
        for (final Connector connector : byChannel.values())
        {
            final int queued = reconcile(connector.config().channel());
            LOG.info("channel sync {}: leader in term {}, {} SKUs queued", connector.config().channel(), term,
                Math.max(0, queued));
        }
    }

    /** Starts the scheduler and queues the startup reconciliation of every connector that asks for it. */
    public ChannelSync start()
    {
        if (byChannel.isEmpty())
        {
            return this;
        }
        running = true;
        scheduler.start();
        if (standby)
        {
            return this;
        }
        for (final Connector connector : byChannel.values())
        {
            if (connector.config().reconcileOnStart() && engine.channelIndex(connector.config().channel()) >= 0)
            {
                final int queued = reconcile(connector.config().channel());
                LOG.info("channel sync {}: {} connector, startup reconcile queued {} SKUs", connector.config().channel(),
                    connector.config().type().text(), queued);
            }
        }
        return this;
    }

    /** Sets (or with null, clears) the observer of acknowledgements on every connector. */
    public void ackListener(final AckListener listener)
    {
        byChannel.values().forEach(connector -> connector.ackListener(listener));
    }

    public boolean isEmpty()
    {
        return byChannel.isEmpty();
    }

    public Connector connector(final String channel)
    {
        return byChannel.get(channel);
    }

    public Collection<Connector> connectors()
    {
        return byChannel.values();
    }

    private Connector connector(final int channelIndex)
    {
        if (!resolved[channelIndex])
        {
            final String id = engine.channelId(channelIndex);
            if (id == null)
            {
                return null;
            }
            final Connector connector = byChannel.get(id);
            if (connector != null)
            {
                connector.channelIndex = channelIndex;
            }
            byIndex[channelIndex] = connector;
            resolved[channelIndex] = true;
        }
        return byIndex[channelIndex];
    }

    @Override
    public void onApplied(final Command command, final Outcome outcome, final Events events)
    {
        final int n = events.publishedCount();
        final int priced = events.pricedCount();
        if ((n == 0 && priced == 0) || byChannel.isEmpty() || !active)
        {
            return;
        }
        final long version = command.sequence();
        final long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++)
        {
            final Connector connector = connector(events.publishedChannel(i));
            if (connector != null)
            {
                final int sku = events.publishedSku(i);
                connector.offer(sku, engine.skuId(sku), events.publishedAvailable(i), version, now);
            }
        }
        // A price change (a new price list, a sale starting or ending) is an update at its own version with the
        // current quantity, for the connectors whose requests carry prices.
        for (int i = 0; i < priced; i++)
        {
            final int sku = events.pricedSku(i);
            for (int c = 0; c < engine.channelCount(); c++)
            {
                final Connector connector = connector(c);
                if (connector != null && connector.carriesPrices())
                {
                    engine.readChannel(sku, c, pricedView);
                    connector.offerPriceChange(sku, engine.skuId(sku), pricedView.available(), version, now);
                }
            }
        }
    }

    private final ChannelView pricedView = new ChannelView();

    /** A SKU's price on a channel now, with the running sale's window; null when the SKU or channel is unknown. */
    Pricing pricing(final int sku, final String channelId)
    {
        final int channel = engine.channelIndex(channelId);
        final io.truestock.engine.price.PriceSpec spec = engine.priceSpec(sku);
        if (channel < 0 || spec == null)
        {
            return null;
        }
        final long now = Math.max(System.currentTimeMillis(), engine.lastTimestampMillis());
        final io.truestock.engine.price.Price effective = engine.priceAt(sku, channel, now);
        if (effective == null)
        {
            return null;
        }
        final io.truestock.engine.price.Price regular = spec.channels().getOrDefault(channelId, spec.base());
        long start = 0;
        long end = 0;
        if (effective.amountMinor() < regular.amountMinor())
        {
            final List<io.truestock.engine.price.SaleSpec> sales = spec.sales();
            for (int i = 0; i < sales.size(); i++)
            {
                final io.truestock.engine.price.SaleSpec sale = sales.get(i);
                if (sale.price().equals(effective) && sale.startMillis() <= now && now < sale.endMillis()
                    && (sale.appliesToEveryChannel() || sale.channels().contains(channelId)))
                {
                    start = sale.startMillis();
                    end = sale.endMillis();
                    break;
                }
            }
        }
        return new Pricing(effective, regular, start, end);
    }

    /**
     * Queues every SKU whose acknowledged value on the channel differs from the engine's (or is unknown, or was
     * dead-lettered) to be sent again.
     *
     * @return how many SKUs were queued, or -1 when the channel has no connector or does not exist.
     */
    public int reconcile(final String channel)
    {
        final Connector connector = byChannel.get(channel);
        final int channelIndex = engine.channelIndex(channel);
        if (connector == null || channelIndex < 0)
        {
            return -1;
        }
        final ChannelView view = new ChannelView();
        final long now = System.currentTimeMillis();
        int queued = 0;
        final int skus = engine.skuCount();
        for (int s = 0; s < skus; s++)
        {
            engine.readChannel(s, channelIndex, view);
            if (connector.reconcile(s, engine.skuId(s), view.available(), view.version(), now))
            {
                queued++;
            }
        }
        wake();
        return queued;
    }

    void wake()
    {
        if (!signalled.getAndSet(true))
        {
            LockSupport.unpark(scheduler);
        }
    }

    private void deadLettered(final DeadLetter letter)
    {
        LOG.warn("channel sync {}: dead letter for SKU {} (qty {}, version {}) after {} attempts: {}", letter.channel(),
            letter.sku(), letter.qty(), letter.version(), letter.attempts(), letter.error());
        if (audit != null && !auditQueue.offer(letter))
        {
            auditDropped.incrementAndGet();
        }
        wake();
    }

    private void run()
    {
        while (running)
        {
            signalled.set(false);
            DeadLetter letter;
            while ((letter = auditQueue.poll()) != null)
            {
                try
                {
                    audit.record(letter);
                }
                catch (final RuntimeException ex)
                {
                    auditDropped.incrementAndGet();
                    LOG.error("channel sync: could not write a dead-letter audit entry", ex);
                }
            }
            final long term = wantedTerm.get();
            if (standby && term != LedTerm.NONE && (!active || term != takenTerm))
            {
                takeOver(term);
            }
            final boolean sending = active;
            final long now = System.currentTimeMillis();
            long next = now + IDLE_PARK_MILLIS;
            for (final Connector connector : byChannel.values())
            {
                try
                {
                    if (sending)
                    {
                        next = Math.min(next, connector.pump(now));
                    }
                    connector.maintainLedger(engine.skuCount(), now);
                }
                catch (final RuntimeException ex)
                {
                    LOG.error("channel sync {}: scheduler error", connector.config().channel(), ex);
                }
            }
            if (!signalled.get())
            {
                final long waitMillis = next - System.currentTimeMillis();
                if (waitMillis > 0)
                {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(waitMillis));
                }
            }
        }
    }

    // ---- views: ledger, metrics ----

    /** Writes the {@code "sync"} object of one (SKU, channel) for {@code GET /v1/skus/{sku}}; nothing when unsynced. */
    public void writeLedger(final JsonOut out, final int sku, final int channelIndex)
    {
        final Connector connector = channelIndex < byIndex.length ? connectorForRead(channelIndex) : null;
        if (connector == null || !connector.synced(sku, engine.skuId(sku)))
        {
            return;
        }
        final Outbox.Row row = connector.outbox().row(sku);
        final long now = System.currentTimeMillis();
        out.startObject("sync").field("connector", connector.config().type().text());
        if (row.ackedVersion() >= 0)
        {
            out.field("acked_available", row.ackedQty()).field("acked_version", row.ackedVersion());
            if (row.ackedAtMillis() > 0)
            {
                out.instantField("acked_at", row.ackedAtMillis());
            }
            else
            {
                out.nullField("acked_at");
            }
        }
        else
        {
            out.nullField("acked_available").nullField("acked_version").nullField("acked_at");
        }
        if (row.pendingVersion() >= 0)
        {
            out.field("pending_available", row.pendingQty()).field("pending_version", row.pendingVersion());
        }
        else
        {
            out.nullField("pending_available").nullField("pending_version");
        }
        out.field("lag_ms", row.pendingSinceMillis() == 0 ? 0 : Math.max(0, now - row.pendingSinceMillis()))
            .field("attempts", row.attempts())
            .field("dead_letter", row.dead());
        if (row.lastError() != null)
        {
            out.field("last_error", row.lastError());
        }
        out.endObject();
    }

    private Connector connectorForRead(final int channelIndex)
    {
        final String id = engine.channelId(channelIndex);
        return id == null ? null : byChannel.get(id);
    }

    /**
     * The connector's synced SKUs whose acknowledged value differs from the engine's (an unknown one counts): the
     * quantity, and on a channel that carries prices the price too.
     */
    public int drift(final Connector connector)
    {
        final int index = engine.channelIndex(connector.config().channel());
        if (index < 0)
        {
            return 0;
        }
        final ChannelView view = new ChannelView();
        return connector.outbox().drift(engine.skuCount(), s -> connector.synced(s, engine.skuId(s)), s ->
        {
            engine.readChannel(s, index, view);
            return view.available();
        }, connector::priceDigest);
    }

    /** Appends the per-channel sync metrics in the Prometheus text format. */
    public void renderMetrics(final StringBuilder out)
    {
        if (byChannel.isEmpty())
        {
            return;
        }
        final long now = System.currentTimeMillis();
        final List<String[]> rows = new ArrayList<>();
        for (final Connector c : byChannel.values())
        {
            final String channel = c.config().channel();
            final int skus = engine.skuCount();
            final int drift = drift(c);
            rows.add(new String[] {channel, Long.toString(c.outbox().pendingCount()),
                Double.toString(c.outbox().lagMillis(skus, now) / 1000.0), Integer.toString(drift),
                Long.toString(c.requests.get()), Long.toString(c.acked.get()), Long.toString(c.retries.get()),
                Long.toString(c.superseded.get()), Long.toString(c.deadLettered.get()), Long.toString(c.pauses.get()),
                Integer.toString(c.outbox().inFlightCount())});
        }
        metric(out, "truestock_sync_pending_skus", "gauge", "SKUs whose latest value the channel has not acknowledged.", rows, 1);
        metric(out, "truestock_sync_lag_seconds", "gauge", "Age of the oldest unacknowledged change per channel.", rows, 2);
        metric(out, "truestock_sync_drift_skus", "gauge", "Synced SKUs whose acknowledged value differs from the engine's (unknown counts).", rows, 3);
        metric(out, "truestock_sync_requests_total", "counter", "Requests sent to the channel.", rows, 4);
        metric(out, "truestock_sync_acked_total", "counter", "Updates the channel acknowledged.", rows, 5);
        metric(out, "truestock_sync_retries_total", "counter", "Updates scheduled for a retry (429, 5xx, timeouts).", rows, 6);
        metric(out, "truestock_sync_superseded_total", "counter", "Failed updates replaced by a newer value before their retry.", rows, 7);
        metric(out, "truestock_sync_dead_letters_total", "counter", "Updates dead-lettered after the retry bound or a rejection.", rows, 8);
        metric(out, "truestock_sync_throttle_pauses_total", "counter", "Times the channel asked to pause (Retry-After, cost bucket).", rows, 9);
        metric(out, "truestock_sync_in_flight_skus", "gauge", "SKUs in requests awaiting the channel's answer.", rows, 10);
        out.append("# TYPE truestock_sync_dead_letter_audit_dropped_total counter\n");
        out.append("truestock_sync_dead_letter_audit_dropped_total ").append(auditDropped.get()).append('\n');
    }

    private static void metric(final StringBuilder out, final String name, final String type, final String help,
        final List<String[]> rows, final int column)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (final String[] row : rows)
        {
            out.append(name).append("{channel=\"").append(row[0]).append("\"} ").append(row[column]).append('\n');
        }
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(scheduler);
        try
        {
            scheduler.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        // Requests still in flight keep their SENT records: the restart resends those SKUs.
        byChannel.values().forEach(Connector::closeLedger);
        if (executor != null)
        {
            executor.shutdownNow();
        }
    }
}
