package io.truestock.gateway.stream;

import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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
 * on a catalog of a million SKUs never makes a million updates at once, and the channel's lock is held for one pass
 * at a time; the output stage applies all of one command's updates to a channel under one hold of its lock, so a
 * round never ends inside a version whose SKUs are still arriving. A subscriber that fell behind from its live
 * queue resumes at its last version sent, included (the
 * SKUs of one command share a version, and the queue may have held some of them): it may be sent one of them
 * twice, with the same value and version, never none.
 */
public final class ChannelStreams implements EngineListener
{
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

    /** An update as delivered to a subscriber. */
    public record Update(int sku, long available, long version, long atMillis)
    {
    }

    /** Where a subscriber's updates go; implemented by the SSE and WebSocket sinks. Called under no lock. */
    public interface Sink
    {
        /** Called (from the output stage) when the subscriber's queue turns non-empty or it falls behind. */
        void wake();
    }

    /**
     * A channel's shadow and its subscribers. The shadow holds, for each SKU, the latest published value, its
     * version and instant, side by side, in pages of {@link #PAGE} SKUs made on first use: its memory follows the
     * SKUs defined, not {@code max_skus}. Read and written under the channel's lock (and by the constructor, before
     * the channel is shared).
     */
    private static final class Channel
    {
        static final int PAGE_SHIFT = 12;
        static final int PAGE = 1 << PAGE_SHIFT;
        static final int FIELDS = 3;

        final long[][] pages;
        final List<Subscriber> subscribers = new ArrayList<>();

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
                pages[sku >>> PAGE_SHIFT] = page;
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
            page[slot + 1] = version;
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
                page[slot + 1] = version;
                page[slot + 2] = at;
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
            if (closed || behind)
            {
                return;
            }
            if (size == capacity)
            {
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
                sink.wake();
            }
        }

        /**
         * Takes up to {@code max} updates to send next, in version order: a catch-up from the shadow if the
         * subscriber fell behind (or is resuming), else the queued live updates. Empty when nothing is pending.
         */
        public List<Update> poll(final int max)
        {
            final List<Update> out = new ArrayList<>();
            synchronized (channel)
            {
                if (closed || max <= 0)
                {
                    return out;
                }
                if (behind)
                {
                    final List<Update> round = catchUpRound(Math.min(max, CATCH_UP_ROUND));
                    if (round.size() < Math.min(max, CATCH_UP_ROUND))
                    {
                        // Nothing newer is left in the shadow: live updates from here on.
                        behind = false;
                        size = 0;
                    }
                    return round;
                }
                while (size > 0 && out.size() < max)
                {
                    final int slot = head * 4;
                    out.add(new Update((int)queue[slot], queue[slot + 1], queue[slot + 2], queue[slot + 3]));
                    lastSent = queue[slot + 2];
                    cursorSku = (int)queue[slot];
                    head = (head + 1) % capacity;
                    size--;
                }
            }
            return out;
        }

        /**
         * The next updates after the cursor in (version, SKU) order, at most {@code limit}, from one pass over the
         * shadow keeping the smallest in a bounded max-heap; moves the cursor past them. Under the channel lock.
         */
        private List<Update> catchUpRound(final int limit)
        {
            final long[] versions = new long[limit];
            final int[] skus = new int[limit];
            int count = 0;
            for (int p = 0; p < channel.pages.length; p++)
            {
                final long[] page = channel.pages[p];
                for (int i = 0; page != null && i < Channel.PAGE; i++)
                {
                    final long version = page[i * Channel.FIELDS + 1];
                    final int sku = (p << Channel.PAGE_SHIFT) + i;
                    if (version < lastSent || (version == lastSent && sku <= cursorSku) || version == 0)
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
            }
            CatchUpHeap.sort(versions, skus, count);
            final List<Update> out = new ArrayList<>(count);
            for (int k = 0; k < count; k++)
            {
                final long[] page = channel.pages[skus[k] >>> Channel.PAGE_SHIFT];
                final int slot = Channel.slot(skus[k]);
                out.add(new Update(skus[k], page[slot], versions[k], page[slot + 2]));
            }
            if (count > 0)
            {
                lastSent = versions[count - 1];
                cursorSku = skus[count - 1];
            }
            return out;
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
