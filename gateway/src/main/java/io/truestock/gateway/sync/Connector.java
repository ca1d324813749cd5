package io.truestock.gateway.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One channel's connector: its {@link Outbox} (conflation and the acknowledgement ledger), its wire
 * {@link ChannelClient}, its rate limiter, and the retry policy (exponential backoff with jitter, then a dead
 * letter). {@link #pump} is called by the sync scheduler thread; request completions run on the HTTP client's
 * executor and only touch the outbox, the limiter and counters.
 */
public final class Connector
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Connector.class);
    private final ConnectorConfig config;
    private final ChannelClient client;
    private final Outbox outbox;
    private final RateLimiter limiter;
    private final Runnable wake;
    private final Consumer<DeadLetter> deadLetterSink;
    private final String[] skuIds;
    private final String[] itemIds;
    private final byte[] mapping;
    private final AtomicInteger inFlightRequests = new AtomicInteger();
    private final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong superseded = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong pauses = new AtomicLong();
    volatile int channelIndex = -1;
    private volatile ChannelSync.AckListener ackListener;
    private volatile String lastError;
    /** The SKU's price on this channel now, for clients whose requests carry prices; set by {@link ChannelSync}. */
    volatile java.util.function.IntFunction<Pricing> pricing = sku -> null;
    private AckLedger ledger;

    private static final byte UNRESOLVED = 0;
    private static final byte MAPPED = 1;
    private static final byte UNMAPPED = 2;

    Connector(final ConnectorConfig config, final ChannelClient client, final int maxSkus, final long nowMillis,
        final Runnable wake, final Consumer<DeadLetter> deadLetterSink)
    {
        this.config = config;
        this.client = client;
        this.outbox = new Outbox(maxSkus);
        this.limiter = new RateLimiter(config.requestsPerSecond(), config.burst(), nowMillis);
        this.wake = wake;
        this.deadLetterSink = deadLetterSink;
        this.skuIds = new String[maxSkus];
        this.itemIds = new String[maxSkus];
        this.mapping = new byte[maxSkus];
    }

    public ConnectorConfig config()
    {
        return config;
    }

    public Outbox outbox()
    {
        return outbox;
    }

    ChannelClient client()
    {
        return client;
    }

    /**
     * Whether the SKU is synced to this channel (it has an item id), resolving and caching its ids the first
     * time. The resolution is deterministic, so concurrent first calls agree.
     */
    boolean synced(final int sku, final String skuId)
    {
        synchronized (mapping)
        {
            byte state = mapping[sku];
            if (state == UNRESOLVED)
            {
                final String itemId = client.itemId(skuId);
                skuIds[sku] = skuId;
                itemIds[sku] = itemId;
                state = itemId == null ? UNMAPPED : MAPPED;
                mapping[sku] = state;
            }
            return state == MAPPED;
        }
    }

    /** The engine published a value: conflate it into the outbox (output stage; never blocks on I/O). */
    void offer(final int sku, final String skuId, final long qty, final long version, final long nowMillis)
    {
        if (synced(sku, skuId) && outbox.offer(sku, qty, version, nowMillis))
        {
            wake.run();
        }
    }

    /** The SKU's price changed: send its current value again to a channel whose requests carry prices. */
    void offerPriceChange(final int sku, final String skuId, final long qty, final long version, final long nowMillis)
    {
        if (synced(sku, skuId) && client.carriesPrice(skuId) && outbox.offerChanged(sku, qty, version, nowMillis))
        {
            wake.run();
        }
    }

    /** True when this channel's requests carry prices, so that a price change is worth a request. */
    boolean carriesPrices()
    {
        return client.carriesPrices();
    }

    boolean reconcile(final int sku, final String skuId, final long qty, final long version, final long nowMillis)
    {
        if (!synced(sku, skuId))
        {
            return false;
        }
        return outbox.reconcile(sku, qty, priceDigest(sku), version, nowMillis);
    }

    /** The digest of the SKU's price on this channel now, or 0 when the channel carries no price for it. */
    long priceDigest(final int sku)
    {
        final Pricing now = names.pricing(sku);
        return now == null ? 0 : now.digest();
    }

    /**
     * Persists this connector's acknowledgements in {@code ledger}: first restores what the file says the channel
     * acknowledged (SKU ids resolved with {@code skuIndex}; SKUs no longer synced are dropped), then starts a
     * fresh file. Called once, before any value is offered.
     *
     * @return the number of SKUs whose acknowledgement was restored.
     */
    int persistIn(final AckLedger ledger, final java.util.function.ToIntFunction<String> skuIndex, final int skuCount)
    {
        final AckLedger.Loaded loaded = ledger.load();
        int restored = 0;
        for (final java.util.Map.Entry<String, AckLedger.Entry> e : loaded.acknowledged().entrySet())
        {
            final int sku = skuIndex.applyAsInt(e.getKey());
            if (sku >= 0 && synced(sku, e.getKey()))
            {
                final AckLedger.Entry entry = e.getValue();
                outbox.restore(sku, entry.qty(), entry.version(), entry.atMillis(), entry.priceDigest());
                restored++;
            }
        }
        if (loaded.distrust() != null || loaded.damaged() > 0)
        {
            LOG.warn("channel sync {}: acknowledgement ledger {}: {}{} "
                + "damaged records; SKUs it cannot vouch for are resent", config.channel(), ledger.file(),
                loaded.distrust() == null ? "" : loaded.distrust() + "; ", loaded.damaged());
        }
        ledger.rewrite(outbox, names, skuCount);
        this.ledger = ledger;
        return restored;
    }

    /**
     * Forgets what the channel acknowledged (it may have been changed by another sender since) and rewrites the
     * ledger without it, so that neither this process nor a restart trusts it again (scheduler thread).
     *
     * @return how many acknowledgements were forgotten.
     */
    int forgetAcknowledged(final int skuCount)
    {
        final int forgotten = outbox.forgetAcknowledged(skuCount);
        if (ledger != null)
        {
            ledger.rewrite(outbox, names, skuCount);
        }
        return forgotten;
    }

    /** False when this connector's ledger stopped writing after a failure. */
    boolean ledgerHealthy()
    {
        return ledger == null || !ledger.broken();
    }

    /** Appends pending acknowledgements to the ledger, forces it to disk and compacts it when due (scheduler). */
    void maintainLedger(final int skuCount, final long nowMillis)
    {
        if (ledger != null)
        {
            ledger.maintain(outbox, names, skuCount, nowMillis);
        }
    }

    /** Writes what is pending and closes the ledger cleanly (after the scheduler stopped). */
    void closeLedger()
    {
        if (ledger != null)
        {
            ledger.close(outbox, names);
        }
    }

    private final Outbox.SkuNames names = new Outbox.SkuNames()
    {
        @Override
        public String skuId(final int sku)
        {
            synchronized (mapping)
            {
                return skuIds[sku];
            }
        }

        @Override
        public String itemId(final int sku)
        {
            synchronized (mapping)
            {
                return itemIds[sku];
            }
        }

        @Override
        public Pricing pricing(final int sku)
        {
            final String skuId = skuId(sku);
            return skuId != null && client.carriesPrice(skuId) ? pricing.apply(sku) : null;
        }
    };

    /**
     * Starts as many requests as the in-flight bound, the rate limiter and the channel's own signals allow.
     *
     * @return when this connector next wants to be pumped (a token, a pause's end or a retry coming due).
     */
    long pump(final long nowMillis)
    {
        while (inFlightRequests.get() < config.maxInFlight())
        {
            if (outbox.readyCount(nowMillis) == 0)
            {
                return outbox.nextRetryMillis();
            }
            final long allowed = Math.max(limiter.nextAllowedMillis(nowMillis), client.readyAtMillis(nowMillis));
            if (allowed > nowMillis || !limiter.tryAcquire(nowMillis))
            {
                return Math.max(allowed, nowMillis + 1);
            }
            final List<Update> batch = new ArrayList<>(Math.min(config.batchSize(), 256));
            if (outbox.take(config.batchSize(), client.maxPriceChanges(), nowMillis, names, batch) == 0)
            {
                return outbox.nextRetryMillis();
            }
            final int extra = client.extraCalls(batch);
            if (extra > 0)
            {
                limiter.charge(nowMillis, extra);
            }
            if (ledger != null)
            {
                ledger.beforeSend(outbox, names, batch);
            }
            inFlightRequests.incrementAndGet();
            requests.incrementAndGet();
            final CompletableFutureGuard guard = new CompletableFutureGuard(batch);
            try
            {
                client.send(batch).whenComplete(guard);
            }
            catch (final RuntimeException ex)
            {
                guard.accept(null, ex);
            }
        }
        // At the in-flight bound: a completion wakes the scheduler.
        return Long.MAX_VALUE;
    }

    private final class CompletableFutureGuard implements java.util.function.BiConsumer<Delivery, Throwable>
    {
        private final List<Update> batch;

        CompletableFutureGuard(final List<Update> batch)
        {
            this.batch = batch;
        }

        @Override
        public void accept(final Delivery delivery, final Throwable failure)
        {
            try
            {
                complete(batch, delivery != null ? delivery : ChannelClient.transportFailure(batch.size(),
                    failure == null ? new IllegalStateException("no delivery") : failure));
            }
            finally
            {
                inFlightRequests.decrementAndGet();
                wake.run();
            }
        }
    }

    void complete(final List<Update> batch, final Delivery delivery)
    {
        final long now = System.currentTimeMillis();
        if (delivery.pauseMillis() > 0)
        {
            pauses.incrementAndGet();
            limiter.pauseUntil(now + delivery.pauseMillis());
        }
        for (int i = 0; i < batch.size(); i++)
        {
            final Update update = batch.get(i);
            final Delivery.Status status = delivery.status(i);
            if (status == Delivery.Status.ACKED)
            {
                acked.incrementAndGet();
                outbox.acknowledged(update.sku(), now);
                final ChannelSync.AckListener listener = ackListener;
                if (listener != null)
                {
                    listener.acknowledged(config.channel(), update.skuId(), update.qty(), update.version());
                }
                continue;
            }
            lastError = delivery.error(i);
            final int attempt = outbox.attempts(update.sku()) + 1;
            final long retryAt = Math.max(now + backoffMillis(attempt), limiter.pausedUntilMillis());
            final Outbox.Next next = outbox.failed(update.sku(), status == Delivery.Status.RETRY, delivery.error(i),
                config.maxAttempts(), retryAt);
            switch (next)
            {
                case SUPERSEDED -> superseded.incrementAndGet();
                case RETRY -> retries.incrementAndGet();
                case DEAD ->
                {
                    if (status == Delivery.Status.REJECTED)
                    {
                        rejected.incrementAndGet();
                    }
                    deadLettered.incrementAndGet();
                    final DeadLetter letter = new DeadLetter(config.channel(), update.skuId(), update.qty(),
                        update.version(), attempt, delivery.error(i), now);
                    synchronized (deadLetters)
                    {
                        if (deadLetters.size() == config.deadLetterCapacity())
                        {
                            deadLetters.pollFirst();
                        }
                        deadLetters.addLast(letter);
                    }
                    deadLetterSink.accept(letter);
                }
                default ->
                {
                }
            }
        }
    }

    /** Exponential backoff with equal jitter: half the capped exponential delay plus a random part of the other half. */
    long backoffMillis(final int attempt)
    {
        final long exponential = config.baseDelayMillis() << Math.min(attempt - 1, 30);
        final long capped = Math.min(config.maxDelayMillis(), exponential < 0 ? Long.MAX_VALUE : exponential);
        final long half = capped / 2;
        return half + ThreadLocalRandom.current().nextLong(capped - half + 1);
    }

    /** The channel's most recent refusal or failure of an update, whatever became of it since; null if none. */
    public String lastError()
    {
        return lastError;
    }

    /** The most recent dead letters, oldest first (at most the configured capacity). */
    public List<DeadLetter> deadLetters()
    {
        synchronized (deadLetters)
        {
            return new ArrayList<>(deadLetters);
        }
    }

    void ackListener(final ChannelSync.AckListener listener)
    {
        ackListener = listener;
    }

    int inFlightRequests()
    {
        return inFlightRequests.get();
    }
}
