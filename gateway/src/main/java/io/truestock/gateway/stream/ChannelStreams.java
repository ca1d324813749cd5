package io.truestock.gateway.stream;

import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Live streams of each channel's published availability, fed by the output stage.
 * <p>
 * Per channel it keeps a shadow of the latest published value and version of every SKU, updated in event order
 * under the channel's lock together with the subscribers' queues. A subscriber has a bounded queue; when it is
 * slow and its queue fills, it is marked behind and stops receiving individual events. When it can take more, it
 * catches up from the shadow: every SKU whose version is newer than the last one it was sent, in version order,
 * each with only its latest value. That is conflation per SKU, and it costs the writer nothing: the output stage
 * never waits for a subscriber, and no subscriber waits for another. Resuming from a version works the same way.
 * <p>
 * A catch-up goes in rounds of at most {@link #CATCH_UP_ROUND} updates, each the next ones after a cursor (a version
 * and a SKU) in (version, SKU) order, chosen in one pass over the shadow with a bounded heap: a subscriber resuming
 * on a catalog of a million SKUs never makes a million updates at once.
 * <p>
 * A round looks only at versions up to the channel's newest when it began, whose updates are all in the shadow (the
 * output stage applies all of one command's updates to a channel under one hold of its lock), so it never ends
 * inside a version whose SKUs are still arriving. It scans the shadow without the channel's lock, which it takes
 * only to begin and to end the round: a pass over a million SKUs takes milliseconds, and under the lock the output
 * stage waited for it (and for the next round) on every update to the channel. Meanwhile commands go on: the live
 * updates published during the round are queued for the subscriber as if it were live, and a SKU chosen by the
 * round but updated since is left to that newer update. A round that finds nothing left up to its version hands
 * over to that queue, so the subscriber goes live without a gap; if the queue overflowed meanwhile, the next round
 * finds those updates in the shadow instead.
 * <p>
 * A subscriber that fell behind from its live queue resumes at its last version sent, included (the SKUs of one
 * command share a version, and the queue may have held some of them): it may be sent one of them twice, with the
 * same value and version, never none.
 */
public final class ChannelStreams implements EngineListener
{
    /** A catch-up's scan reads the shadow without the channel's lock: page references acquired, versions whole. */
    private static final VarHandle PAGES = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** The most updates one catch-up round returns, whatever a poll asks for. */
    public static final int CATCH_UP_ROUND = 4096;

    private final Engine engine;
    private final int queueCapacity;
    private final int maxSubscribers;
    private final Channel[] channels;
    /** Per channel, its first event in the command being applied, -1 for none (the output stage's only). */
    private final int[] firstEvent;
    /** Per event, the next one of the same channel, or -1. */
    private int[] nextEvent = new int[64];
    private final AtomicInteger subscribers = new AtomicInteger();
    /** For tests: called with each page's index after a catch-up scanned it without the lock. */
    IntConsumer pageScanned = page -> { };

    /** An update as delivered to a subscriber. */
    public record Update(int sku, long available, long version, long atMillis)
    {
    }

    /** Where a subscriber's updates go; implemented by the SSE and WebSocket sinks. */
    public interface Sink
    {
        /**
         * Called (from the output stage, under the channel's lock: hand the work to another thread, as the sinks do)
         * when the subscriber's queue turns non-empty or it falls behind.
         */
        void wake();
    }

    /**
     * A channel's shadow and its subscribers. The shadow holds, for each SKU, the latest published value, its
     * version and instant, side by side, in pages of {@link #PAGE} SKUs made on first use: its memory follows the
     * SKUs defined, not {@code max_skus}. Written under the channel's lock (and by the constructor, before
     * the channel is shared), versions and page references so that a catch-up's scan may read them without it;
     * everything else is read under the lock.
     */
    private static final class Channel
    {
        static final int PAGE_SHIFT = 12;
        static final int PAGE = 1 << PAGE_SHIFT;
        static final int FIELDS = 3;

        final long[][] pages;
        final List<Subscriber> subscribers = new ArrayList<>();
        /** The newest version in the shadow (set by the constructor, then by each command published). */
        long latest;

        Channel(final int maxSkus)
        {
            pages = new long[(maxSkus + PAGE - 1) >>> PAGE_SHIFT][];
        }

        /** The page holding {@code sku}, made when first needed; its entry is at {@link #slot}. */
        long[] page(final int sku)
        {
            long[] page = pages[sku >>> PAGE_SHIFT];
            if (page == null)
            {
                page = new long[PAGE * FIELDS];
                // Released: a catch-up's scan reads the pages without the lock.
                PAGES.setRelease(pages, sku >>> PAGE_SHIFT, page);
            }
            return page;
        }

        static int slot(final int sku)
        {
            return (sku & (PAGE - 1)) * FIELDS;
        }

        void set(final int sku, final long available, final long version, final long at)
        {
            final long[] page = page(sku);
            final int slot = slot(sku);
            page[slot] = available;
            stamp(page, slot, version, at);
        }

        /** A SKU's version (opaque: a catch-up's scan reads it without the lock) and instant. */
        static void stamp(final long[] page, final int slot, final long version, final long at)
        {
            LONGS.setOpaque(page, slot + 1, version);
            page[slot + 2] = at;
        }
    }

    public ChannelStreams(final Engine engine, final int queueCapacity, final int maxSubscribers)
    {
        this.engine = engine;
        this.queueCapacity = queueCapacity;
        this.maxSubscribers = maxSubscribers;
        this.channels = new Channel[engine.config().maxChannels()];
        this.firstEvent = new int[channels.length];
        Arrays.fill(firstEvent, -1);
        final ChannelView view = new ChannelView();
        final int channelCount = engine.channelCount();
        for (int c = 0; c < channelCount; c++)
        {
            channel(c);
        }
        // SKU by SKU: the engine keeps a SKU's channel rows together, so each SKU's are read from one place.
        for (int s = 0; s < engine.skuCount(); s++)
        {
            for (int c = 0; c < channelCount; c++)
            {
                engine.readChannel(s, c, view);
                channels[c].set(s, view.available(), view.version(), 0);
                channels[c].latest = Math.max(channels[c].latest, view.version());
            }
        }
    }

    private Channel channel(final int index)
    {
        Channel channel = channels[index];
        if (channel == null)
        {
            synchronized (channels)
            {
                channel = channels[index];
                if (channel == null)
                {
                    channel = new Channel(engine.config().maxSkus());
                    channels[index] = channel;
                }
            }
        }
        return channel;
    }

    public int subscriberCount()
    {
        return subscribers.get();
    }

    @Override
    public void onApplied(final Command command, final Outcome outcome, final Events events)
    {
        final int n = events.publishedCount();
        final int priced = events.pricedCount();
        if (n == 0 && priced == 0)
        {
            return;
        }
        final long version = command.sequence();
        final long at = command.timestampMillis();
        final int channelCount = engine.channelCount();
        // The events of each channel, in order, as lists through nextEvent: one pass, whatever the channel count.
        if (nextEvent.length < n)
        {
            nextEvent = new int[Math.max(n, nextEvent.length * 2)];
        }
        try
        {
            for (int i = n - 1; i >= 0; i--)
            {
                final int c = events.publishedChannel(i);
                nextEvent[i] = firstEvent[c];
                firstEvent[c] = i;
            }
            for (int c = 0; c < firstEvent.length; c++)
            {
                final int first = firstEvent[c];
                if (first >= 0 || (priced > 0 && c < channelCount))
                {
                    firstEvent[c] = -1;
                    publish(channel(c), first, events, version, at);
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            // Leave no list behind for the next command.
            Arrays.fill(firstEvent, -1);
            throw ex;
        }
    }

    /**
     * All of one command's updates to a channel under one hold of its lock: a catch-up round never sees part of a
     * version, so its cursor never passes a SKU of that version still to come.
     */
    private void publish(final Channel channel, final int first, final Events events, final long version, final long at)
    {
        final int priced = events.pricedCount();
        synchronized (channel)
        {
            channel.latest = Math.max(channel.latest, version);
            for (int i = first; i >= 0; i = nextEvent[i])
            {
                final int sku = events.publishedSku(i);
                final long available = events.publishedAvailable(i);
                channel.set(sku, available, version, at);
                for (int k = 0, size = channel.subscribers.size(); k < size; k++)
                {
                    channel.subscribers.get(k).offer(sku, available, version, at);
                }
            }
            for (int i = 0; i < priced; i++)
            {
                // A price change is an update with the current quantity: subscribers render the price as of it.
                final int sku = events.pricedSku(i);
                final long[] page = channel.page(sku);
                final int slot = Channel.slot(sku);
                Channel.stamp(page, slot, version, at);
                for (int k = 0, size = channel.subscribers.size(); k < size; k++)
                {
                    channel.subscribers.get(k).offer(sku, page[slot], version, at);
                }
            }
        }
    }

    /**
     * Registers a subscriber for a channel.
     *
     * @param sinceVersion deliver first every SKU with a newer version than this (a catch-up); -1 for live only.
     * @return the subscriber, or null when the subscriber bound is reached.
     */
    public Subscriber subscribe(final int channelIndex, final long sinceVersion, final Sink sink)
    {
        if (subscribers.incrementAndGet() > maxSubscribers)
        {
            subscribers.decrementAndGet();
            return null;
        }
        final Channel channel = channel(channelIndex);
        final Subscriber subscriber = new Subscriber(this, channel, channelIndex, queueCapacity, sink);
        synchronized (channel)
        {
            if (sinceVersion >= 0)
            {
                subscriber.lastSent = sinceVersion;
                subscriber.cursorSku = Integer.MAX_VALUE;
                subscriber.behind = true;
            }
            channel.subscribers.add(subscriber);
        }
        if (sinceVersion >= 0)
        {
            sink.wake();
        }
        return subscriber;
    }

    void unsubscribe(final Subscriber subscriber)
    {
        synchronized (subscriber.channel)
        {
            if (subscriber.channel.subscribers.remove(subscriber))
            {
                subscribers.decrementAndGet();
            }
        }
    }

    /**
     * One subscriber: a bounded queue of updates and the catch-up state. {@link #poll} is called by the sink's
     * own thread; everything else happens under the channel's lock.
     */
    public static final class Subscriber
    {
        private final ChannelStreams streams;
        private final Channel channel;
        private final int channelIndex;
        private final Sink sink;
        private final long[] queue;
        private final int capacity;
        private int head;
        private int size;
        private boolean behind;
        /** While a catch-up round scans the shadow: live updates are queued, all newer than the round's versions. */
        private boolean collecting;
        /**
         * The last round found nothing left up to its version, but the queue overflowed meanwhile: the next round
         * scans under the lock, so that it can go live however fast commands arrive.
         */
        private boolean scanLocked;
        private long lastSent;
        /** With {@link #lastSent}, where a catch-up goes on from: the updates after (lastSent, cursorSku). */
        private int cursorSku;
        private boolean closed;

        Subscriber(final ChannelStreams streams, final Channel channel, final int channelIndex, final int capacity,
            final Sink sink)
        {
            this.streams = streams;
            this.channel = channel;
            this.channelIndex = channelIndex;
            this.capacity = capacity;
            this.sink = sink;
            this.queue = new long[capacity * 4];
        }

        public int channelIndex()
        {
            return channelIndex;
        }

        /** Under the channel lock, on the output stage. */
        void offer(final int sku, final long available, final long version, final long at)
        {
            if (closed || (behind && !collecting))
            {
                return;
            }
            if (size == capacity)
            {
                if (behind)
                {
                    // Too much arrived during a catch-up round: the round stays behind, and a later one finds these
                    // in the shadow.
                    collecting = false;
                    size = 0;
                    return;
                }
                behind = true;
                size = 0;
                // Resend the last version's SKUs too: the dropped queue may have held some of them.
                cursorSku = -1;
                sink.wake();
                return;
            }
            final int slot = ((head + size) % capacity) * 4;
            queue[slot] = sku;
            queue[slot + 1] = available;
            queue[slot + 2] = version;
            queue[slot + 3] = at;
            size++;
            if (size == 1)
            {
                // Also during a catch-up round: the round may hand over to this queue and return nothing itself.
                sink.wake();
            }
        }

        /**
         * Takes up to {@code max} updates to send next, in version order: a catch-up round from the shadow if the
         * subscriber fell behind (or is resuming), else the queued live updates. Empty when nothing is pending.
         */
        public List<Update> poll(final int max)
        {
            final int limit;
            final long upTo;
            final long afterVersion;
            final int afterSku;
            synchronized (channel)
            {
                if (closed || max <= 0)
                {
                    return new ArrayList<>();
                }
                if (!behind)
                {
                    final List<Update> out = new ArrayList<>(Math.min(max, size));
                    while (size > 0 && out.size() < max)
                    {
                        final int slot = head * 4;
                        out.add(new Update((int)queue[slot], queue[slot + 1], queue[slot + 2], queue[slot + 3]));
                        lastSent = queue[slot + 2];
                        cursorSku = (int)queue[slot];
                        head = (head + 1) % capacity;
                        size--;
                    }
                    return out;
                }
                limit = Math.min(max, CATCH_UP_ROUND);
                upTo = channel.latest;
                afterVersion = lastSent;
                afterSku = cursorSku;
                // What is published from here on is newer than upTo: queued while the shadow is scanned.
                size = 0;
                collecting = true;
                if (scanLocked)
                {
                    // Nothing is published during this round: it ends live if nothing up to upTo is left.
                    scanLocked = false;
                    return catchUpRound(limit, upTo, afterVersion, afterSku, true);
                }
            }
            return catchUpRound(limit, upTo, afterVersion, afterSku, false);
        }

        /**
         * The next updates after the cursor in (version, SKU) order with versions up to {@code upTo}, at most
         * {@code limit}, from one pass over the shadow (with no lock, unless the caller holds it) keeping the smallest
         * in a bounded max-heap; moves the cursor past them, and goes live if nothing up to {@code upTo} is left.
         */
        private List<Update> catchUpRound(
            final int limit, final long upTo, final long afterVersion, final int afterSku, final boolean locked)
        {
            final long[] versions = new long[limit];
            final int[] skus = new int[limit];
            int count = 0;
            // No lock while scanning: every version up to upTo was written before this thread took the channel's
            // lock in poll, so it is seen (or a newer one, which is after upTo); a write racing the scan is read whole.
            for (int p = 0; p < channel.pages.length; p++)
            {
                final long[] page = (long[])PAGES.getAcquire(channel.pages, p);
                for (int i = 0; page != null && i < Channel.PAGE; i++)
                {
                    final long version = (long)LONGS.getOpaque(page, i * Channel.FIELDS + 1);
                    final int sku = (p << Channel.PAGE_SHIFT) + i;
                    if (version > upTo || version < afterVersion || (version == afterVersion && sku <= afterSku) ||
                        version == 0)
                    {
                        continue;
                    }
                    if (count < limit)
                    {
                        count = CatchUpHeap.add(versions, skus, count, version, sku);
                    }
                    else if (CatchUpHeap.before(version, sku, versions[0], skus[0]))
                    {
                        CatchUpHeap.replaceTop(versions, skus, count, version, sku);
                    }
                }
                if (!locked)
                {
                    streams.pageScanned.accept(p);
                }
            }
            CatchUpHeap.sort(versions, skus, count);
            final long[] values = new long[count * 2];
            int kept = 0;
            synchronized (channel)
            {
                if (closed)
                {
                    return new ArrayList<>();
                }
                if (count > 0)
                {
                    lastSent = versions[count - 1];
                    cursorSku = skus[count - 1];
                }
                // The SKUs still at the version chosen, with their values, to the front of the arrays.
                for (int k = 0; k < count; k++)
                {
                    final long[] page = channel.pages[skus[k] >>> Channel.PAGE_SHIFT];
                    final int slot = Channel.slot(skus[k]);
                    // A SKU updated since its page was scanned has a version after upTo: that update is sent instead.
                    if (page[slot + 1] == versions[k])
                    {
                        values[kept * 2] = page[slot];
                        values[kept * 2 + 1] = page[slot + 2];
                        versions[kept] = versions[k];
                        skus[kept] = skus[k];
                        kept++;
                    }
                }
                if (count < limit && collecting)
                {
                    // Nothing up to upTo is left, and the queue holds everything published since: live from here.
                    behind = false;
                }
                else
                {
                    size = 0;
                    scanLocked = count < limit;
                }
                collecting = false;
            }
            final List<Update> out = new ArrayList<>(kept);
            for (int k = 0; k < kept; k++)
            {
                out.add(new Update(skus[k], values[k * 2], versions[k], values[k * 2 + 1]));
            }
            return out;
        }

        /** For tests: whether the subscriber is catching up from the shadow rather than live. */
        boolean catchingUp()
        {
            synchronized (channel)
            {
                return behind;
            }
        }

        /** True when updates are waiting (the sink should poll again). */
        public boolean pending()
        {
            synchronized (channel)
            {
                return !closed && (behind || size > 0);
            }
        }

        public void close()
        {
            synchronized (channel)
            {
                if (closed)
                {
                    return;
                }
                closed = true;
            }
            streams.unsubscribe(this);
        }
    }
}
