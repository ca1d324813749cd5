package io.truestock.gateway.sync;

import java.util.List;
import java.util.PriorityQueue;

/**
 * One channel's outbound state per SKU: the latest value to send (conflated by version), what is in flight, what
 * the channel acknowledged (the ledger), retries with their due times, and dead letters.
 * <p>
 * Every structure is sized by the engine's SKU bound and each SKU is in at most one of them at a time (ready queue,
 * retry heap, in flight), so nothing here can grow past that bound: a burst of a million changes to one SKU
 * leaves one entry. The output stage calls {@link #offer} (a few array writes under this object's lock, never
 * I/O); connector threads call {@link #take} and {@link #complete}. Time is passed in, so the logic is
 * deterministic under test.
 */
public final class Outbox
{
    static final byte IDLE = 0;
    static final byte QUEUED = 1;
    static final byte WAITING = 2;
    static final byte IN_FLIGHT = 3;
    static final byte DEAD = 4;

    /** What {@link #complete} decided for an update that was not acknowledged. */
    public enum Next
    {
        ACKED, SUPERSEDED, RETRY, DEAD
    }

    private final int capacity;
    private final byte[] state;
    private final long[] wantQty;
    private final long[] wantVersion;
    private final long[] sentQty;
    private final long[] sentVersion;
    private final long[] ackedQty;
    private final long[] ackedVersion;
    private final long[] ackedAtMillis;
    private final long[] sentPrice;
    private final long[] ackedPrice;
    private final boolean[] forced;
    private final boolean[] sentSinceAck;
    private final boolean[] ledgerDirty;
    private final int[] ledgerQueue;
    private int ledgerHead;
    private int ledgerSize;
    private final long[] pendingSinceMillis;
    private final long[] newerSinceMillis;
    private final int[] attempts;
    private final String[] lastError;
    private final Retry[] retries;
    private final int[] ready;
    private int readyHead;
    private int readySize;
    private int inFlight;
    private int waiting;
    private int dead;
    private long highWaterVersion;
    private final PriorityQueue<Retry> retryHeap = new PriorityQueue<>();

    private record Retry(long dueMillis, int sku) implements Comparable<Retry>
    {
        @Override
        public int compareTo(final Retry other)
        {
            return dueMillis != other.dueMillis ? Long.compare(dueMillis, other.dueMillis) : Integer.compare(sku, other.sku);
        }
    }

    /** A consistent copy of one SKU's ledger row. */
    public record Row(long ackedQty, long ackedVersion, long ackedAtMillis, long pendingQty, long pendingVersion,
        long pendingSinceMillis, int attempts, boolean dead, String lastError)
    {
    }

    public Outbox(final int maxSkus)
    {
        capacity = maxSkus;
        state = new byte[maxSkus];
        wantQty = new long[maxSkus];
        wantVersion = new long[maxSkus];
        sentQty = new long[maxSkus];
        sentVersion = new long[maxSkus];
        ackedQty = new long[maxSkus];
        ackedVersion = new long[maxSkus];
        ackedAtMillis = new long[maxSkus];
        sentPrice = new long[maxSkus];
        ackedPrice = new long[maxSkus];
        forced = new boolean[maxSkus];
        sentSinceAck = new boolean[maxSkus];
        ledgerDirty = new boolean[maxSkus];
        ledgerQueue = new int[maxSkus];
        pendingSinceMillis = new long[maxSkus];
        newerSinceMillis = new long[maxSkus];
        attempts = new int[maxSkus];
        lastError = new String[maxSkus];
        retries = new Retry[maxSkus];
        ready = new int[maxSkus];
        java.util.Arrays.fill(ackedQty, Update.UNKNOWN);
        java.util.Arrays.fill(ackedVersion, -1);
        java.util.Arrays.fill(wantVersion, -1);
    }

    /**
     * The engine published {@code qty} at {@code version}. An older or equal version than the one already held is
     * ignored (streams can repeat); a newer one replaces it: if a retry of the older value was waiting, the newer
     * value supersedes it and is ready at once with a fresh attempt count.
     *
     * @return true when the SKU became ready to send (the scheduler should be woken).
     */
    public synchronized boolean offer(final int sku, final long qty, final long version, final long nowMillis)
    {
        if (version <= wantVersion[sku])
        {
            return false;
        }
        return put(sku, qty, version, nowMillis, false);
    }

    /**
     * Like {@link #offer}, but sent even when the channel already acknowledged this quantity: something else in the
     * request changed (the SKU's price, for a channel whose requests carry it).
     */
    public synchronized boolean offerChanged(final int sku, final long qty, final long version, final long nowMillis)
    {
        if (version <= wantVersion[sku])
        {
            return false;
        }
        return put(sku, qty, version, nowMillis, true);
    }

    private boolean put(final int sku, final long qty, final long version, final long nowMillis)
    {
        return put(sku, qty, version, nowMillis, false);
    }

    private boolean put(final int sku, final long qty, final long version, final long nowMillis, final boolean changed)
    {
        highWaterVersion = Math.max(highWaterVersion, version);
        wantQty[sku] = qty;
        wantVersion[sku] = version;
        forced[sku] |= changed;
        switch (state[sku])
        {
            case IN_FLIGHT ->
            {
                if (newerSinceMillis[sku] == 0)
                {
                    newerSinceMillis[sku] = nowMillis;
                }
                return false;
            }
            case QUEUED ->
            {
                return false;
            }
            case WAITING ->
            {
                retryHeap.remove(retries[sku]);
                retries[sku] = null;
                waiting--;
                attempts[sku] = 0;
                enqueue(sku);
                return true;
            }
            case DEAD ->
            {
                dead--;
                attempts[sku] = 0;
                if (pendingSinceMillis[sku] == 0)
                {
                    pendingSinceMillis[sku] = nowMillis;
                }
                enqueue(sku);
                return true;
            }
            default ->
            {
                if (!changed && ackedVersion[sku] >= 0 && ackedQty[sku] == qty)
                {
                    // The channel already shows this number: nothing to send, the acknowledgement covers it.
                    ackedVersion[sku] = version;
                    return false;
                }
                if (pendingSinceMillis[sku] == 0)
                {
                    pendingSinceMillis[sku] = nowMillis;
                }
                enqueue(sku);
                return true;
            }
        }
    }

    /**
     * Reconciliation: makes the SKU's engine value the one to send unless the channel acknowledged exactly it,
     * even when that version was dead-lettered or never reached the channel (unknown after a restart).
     *
     * @return true when the SKU was queued for sending.
     */
    public synchronized boolean reconcile(final int sku, final long qty, final long version, final long nowMillis)
    {
        return reconcile(sku, qty, 0, version, nowMillis);
    }

    /**
     * Like {@link #reconcile(int, long, long, long)} for a channel whose requests carry prices: the SKU is sent
     * unless the channel acknowledged both this quantity and the price whose {@link Pricing#digest()} is
     * {@code priceDigest} (0 when the channel carries no price for it).
     */
    public synchronized boolean reconcile(final int sku, final long qty, final long priceDigest, final long version,
        final long nowMillis)
    {
        if (state[sku] == IN_FLIGHT || state[sku] == QUEUED || state[sku] == WAITING)
        {
            if (version > wantVersion[sku])
            {
                put(sku, qty, version, nowMillis);
            }
            return false;
        }
        if (ackedVersion[sku] >= 0 && ackedQty[sku] == qty && ackedPrice[sku] == priceDigest)
        {
            if (state[sku] == DEAD)
            {
                state[sku] = IDLE;
                dead--;
                pendingSinceMillis[sku] = 0;
            }
            ackedVersion[sku] = Math.max(ackedVersion[sku], version);
            return false;
        }
        return put(sku, qty, Math.max(version, wantVersion[sku]), nowMillis, ackedPrice[sku] != priceDigest);
    }

    /**
     * Forgets every acknowledgement of a SKU not in flight: what the channel holds is unknown from here, so the next
     * {@link #reconcile} sends each such SKU again. For a node that takes over sending from another, which may have
     * changed the channel since this outbox last heard from it. A dead letter stays dead until reconciled.
     *
     * @return how many acknowledgements were forgotten.
     */
    public synchronized int forgetAcknowledged(final int skuCount)
    {
        int forgotten = 0;
        for (int s = 0; s < skuCount; s++)
        {
            if (state[s] != IN_FLIGHT && ackedVersion[s] >= 0)
            {
                ackedVersion[s] = -1;
                ackedQty[s] = Update.UNKNOWN;
                ackedAtMillis[s] = 0;
                ackedPrice[s] = 0;
                forgotten++;
            }
        }
        return forgotten;
    }

    /**
     * Restores what the channel acknowledged before a restart (from the persisted ledger), for a SKU nothing has
     * been offered for yet. Afterwards the SKU counts as synced at that value until the engine's differs.
     */
    public synchronized void restore(final int sku, final long qty, final long version, final long atMillis,
        final long priceDigest)
    {
        if (state[sku] != IDLE || wantVersion[sku] >= 0 || ackedVersion[sku] >= 0)
        {
            return;
        }
        ackedQty[sku] = qty;
        ackedVersion[sku] = version;
        ackedAtMillis[sku] = atMillis;
        ackedPrice[sku] = priceDigest;
    }

    private void enqueue(final int sku)
    {
        state[sku] = QUEUED;
        ready[(readyHead + readySize) % capacity] = sku;
        readySize++;
    }

    /**
     * Moves retries that are due to the ready queue, then takes up to {@code max} ready SKUs and marks them in
     * flight, appending them to {@code out} with their item ids from {@code itemIds}.
     *
     * @return the number taken.
     */
    public synchronized int take(final int max, final long nowMillis, final SkuNames names, final List<Update> out)
    {
        return take(max, max, nowMillis, names, out);
    }

    /**
     * Like {@link #take(int, long, SkuNames, List)}, taking at most {@code maxPriceChanges} updates whose price
     * differs from the acknowledged one (for APIs where each price change costs extra in the same request). Each
     * update carries the SKU's pricing now ({@link SkuNames#pricing}), which the ledger records as sent.
     */
    public synchronized int take(final int max, final int maxPriceChanges, final long nowMillis, final SkuNames names,
        final List<Update> out)
    {
        promoteDue(nowMillis);
        int taken = 0;
        int priceChanges = 0;
        while (taken < max && readySize > 0)
        {
            final int sku = ready[readyHead];
            final Pricing pricing = names.pricing(sku);
            final long digest = pricing == null ? 0 : pricing.digest();
            final boolean priceChanged = pricing != null && (ackedVersion[sku] < 0 || ackedPrice[sku] != digest);
            if (priceChanged && priceChanges == maxPriceChanges)
            {
                break;
            }
            priceChanges += priceChanged ? 1 : 0;
            readyHead = (readyHead + 1) % capacity;
            readySize--;
            state[sku] = IN_FLIGHT;
            inFlight++;
            sentQty[sku] = wantQty[sku];
            sentVersion[sku] = wantVersion[sku];
            sentPrice[sku] = digest;
            forced[sku] = false;
            sentSinceAck[sku] = true;
            newerSinceMillis[sku] = 0;
            out.add(new Update(sku, names.skuId(sku), names.itemId(sku), sentQty[sku], sentVersion[sku],
                ackedVersion[sku] >= 0 ? ackedQty[sku] : Update.UNKNOWN, highWaterVersion, pricing, priceChanged));
            taken++;
        }
        return taken;
    }

    private void promoteDue(final long nowMillis)
    {
        Retry head;
        while ((head = retryHeap.peek()) != null && head.dueMillis <= nowMillis)
        {
            retryHeap.poll();
            retries[head.sku] = null;
            waiting--;
            enqueue(head.sku);
        }
    }

    /** Ready SKUs waiting for a request slot, after moving the retries due at {@code nowMillis} among them. */
    public synchronized int readyCount(final long nowMillis)
    {
        promoteDue(nowMillis);
        return readySize;
    }

    /** When the earliest waiting retry is due, or {@code Long.MAX_VALUE} when none is waiting. */
    public synchronized long nextRetryMillis()
    {
        final Retry head = retryHeap.peek();
        return head == null ? Long.MAX_VALUE : head.dueMillis;
    }

    /** The channel confirmed the in-flight value of {@code sku}. */
    public synchronized void acknowledged(final int sku, final long nowMillis)
    {
        requireInFlight(sku);
        inFlight--;
        ackedQty[sku] = sentQty[sku];
        ackedVersion[sku] = sentVersion[sku];
        ackedAtMillis[sku] = nowMillis;
        ackedPrice[sku] = sentPrice[sku];
        sentSinceAck[sku] = false;
        attempts[sku] = 0;
        lastError[sku] = null;
        if (!ledgerDirty[sku])
        {
            ledgerDirty[sku] = true;
            ledgerQueue[(ledgerHead + ledgerSize) % capacity] = sku;
            ledgerSize++;
        }
        // A newer value with another quantity, or whose price changed since this request was built, goes next.
        if (wantVersion[sku] > sentVersion[sku] && (wantQty[sku] != ackedQty[sku] || forced[sku]))
        {
            pendingSinceMillis[sku] = newerSinceMillis[sku] == 0 ? nowMillis : newerSinceMillis[sku];
            enqueue(sku);
        }
        else
        {
            ackedVersion[sku] = wantVersion[sku];
            state[sku] = IDLE;
            pendingSinceMillis[sku] = 0;
        }
    }

    /**
     * The in-flight value of {@code sku} was not acknowledged. A newer value supersedes it (sent next, attempts
     * reset); else a retryable failure waits until {@code retryAtMillis} unless it has used {@code maxAttempts},
     * and a rejection or an exhausted retry becomes a dead letter (kept in the ledger, re-sent by reconcile or by
     * the next engine change).
     */
    public synchronized Next failed(final int sku, final boolean retryable, final String error, final int maxAttempts,
        final long retryAtMillis)
    {
        requireInFlight(sku);
        inFlight--;
        lastError[sku] = error;
        if (wantVersion[sku] > sentVersion[sku])
        {
            attempts[sku] = 0;
            enqueue(sku);
            return Next.SUPERSEDED;
        }
        attempts[sku]++;
        if (!retryable || attempts[sku] >= maxAttempts)
        {
            state[sku] = DEAD;
            dead++;
            return Next.DEAD;
        }
        state[sku] = WAITING;
        waiting++;
        final Retry retry = new Retry(retryAtMillis, sku);
        retries[sku] = retry;
        retryHeap.add(retry);
        return Next.RETRY;
    }

    private void requireInFlight(final int sku)
    {
        if (state[sku] != IN_FLIGHT)
        {
            throw new IllegalStateException("SKU " + sku + " is not in flight");
        }
    }

    /** The number of attempts the in-flight or waiting value of {@code sku} has used. */
    public synchronized int attempts(final int sku)
    {
        return attempts[sku];
    }

    public synchronized Row row(final int sku)
    {
        final boolean synced = state[sku] == IDLE;
        return new Row(ackedQty[sku], ackedVersion[sku], ackedAtMillis[sku], synced ? Update.UNKNOWN : wantQty[sku],
            synced ? -1 : wantVersion[sku], pendingSinceMillis[sku], attempts[sku], state[sku] == DEAD, lastError[sku]);
    }

    /** SKUs not yet acknowledged at their latest value (queued, waiting, in flight or dead). */
    public synchronized int pendingCount()
    {
        return readySize + waiting + inFlight + dead;
    }

    public synchronized int inFlightCount()
    {
        return inFlight;
    }

    public synchronized int deadCount()
    {
        return dead;
    }

    /** The age of the oldest unacknowledged change among the first {@code skuCount} SKUs, 0 when in sync. */
    public synchronized long lagMillis(final int skuCount, final long nowMillis)
    {
        long oldest = Long.MAX_VALUE;
        for (int s = 0; s < skuCount; s++)
        {
            final long since = pendingSinceMillis[s];
            if (since != 0 && since < oldest)
            {
                oldest = since;
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, nowMillis - oldest);
    }

    /** The last acknowledged quantity ({@link Update#UNKNOWN} when none). */
    public synchronized long ackedQty(final int sku)
    {
        return ackedVersion[sku] >= 0 ? ackedQty[sku] : Update.UNKNOWN;
    }

    /**
     * SKUs among the first {@code skuCount} whose acknowledged quantity differs from {@code engineValue}, or whose
     * acknowledged price digest differs from {@code enginePrice} (0 for a SKU whose price the channel does not carry),
     * an unknown acknowledgement counting as drift: what {@link #reconcile(int, long, long, long, long)} would queue.
     * SKUs the filter excludes (not synced to the channel) are skipped.
     */
    public synchronized int drift(final int skuCount, final java.util.function.IntPredicate synced,
        final java.util.function.IntToLongFunction engineValue, final java.util.function.IntToLongFunction enginePrice)
    {
        int drift = 0;
        for (int s = 0; s < skuCount; s++)
        {
            if (synced.test(s) && (ackedVersion[s] < 0 || ackedQty[s] != engineValue.applyAsLong(s)
                || ackedPrice[s] != enginePrice.applyAsLong(s)))
            {
                drift++;
            }
        }
        return drift;
    }

    /**
     * Copies up to {@code skus.length} acknowledgements recorded since the last call (each SKU once, with its
     * current acknowledged row) for the persisted ledger, and forgets them. A SKU sent again since its
     * acknowledgement is skipped: the ledger already holds it as unknown.
     *
     * @param values four longs per SKU: quantity, version, acknowledged at, price digest.
     * @return the number copied.
     */
    public synchronized int drainAcknowledged(final int[] skus, final long[] values)
    {
        int n = 0;
        while (ledgerSize > 0 && n < skus.length)
        {
            final int sku = ledgerQueue[ledgerHead];
            ledgerHead = (ledgerHead + 1) % capacity;
            ledgerSize--;
            ledgerDirty[sku] = false;
            if (sentSinceAck[sku] || ackedVersion[sku] < 0)
            {
                continue;
            }
            copyRow(sku, n++, skus, values);
        }
        return n;
    }

    /**
     * Like {@link #drainAcknowledged}, but every SKU from {@code fromSku} on whose acknowledgement still stands (no
     * request for it since), for rewriting the whole ledger.
     *
     * @return the SKU to continue from, or -1 when all were copied; {@code counted[0]} is set to the number copied.
     */
    public synchronized int copyAcknowledged(final int fromSku, final int skuCount, final int[] skus,
        final long[] values, final int[] counted)
    {
        int n = 0;
        int s = fromSku;
        for (; s < skuCount && n < skus.length; s++)
        {
            if (ackedVersion[s] < 0 || sentSinceAck[s])
            {
                continue;
            }
            copyRow(s, n++, skus, values);
        }
        counted[0] = n;
        return s >= skuCount ? -1 : s;
    }

    private void copyRow(final int sku, final int n, final int[] skus, final long[] values)
    {
        skus[n] = sku;
        values[n * 4] = ackedQty[sku];
        values[n * 4 + 1] = ackedVersion[sku];
        values[n * 4 + 2] = ackedAtMillis[sku];
        values[n * 4 + 3] = ackedPrice[sku];
    }

    /** Turns a SKU index into the ids (and, for channels whose requests carry prices, the price) put on the wire. */
    public interface SkuNames
    {
        String skuId(int sku);

        String itemId(int sku);

        /** The SKU's price on the channel now, or null when the channel carries no price for it. */
        default Pricing pricing(final int sku)
        {
            return null;
        }
    }
}
