package io.truestock.engine.runtime;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Settings of the single-writer runtime; {@link #conclude()} validates them once.
 */
public final class RuntimeConfig
{
    /** How the three stages map to threads. */
    public enum Pipeline
    {
        /** ingress, business and output each on its own thread: most throughput with cores to spare. */
        STAGED,
        /** all three on one thread, a batch at a time: fewer hand-offs; the better choice on small machines. */
        FUSED
    }

    private int ringSize = 4096;
    private Pipeline pipeline = Runtime.getRuntime().availableProcessors() >= 4 ? Pipeline.STAGED : Pipeline.FUSED;
    private String waitStrategy = WaitStrategies.DEFAULT;
    private EpochClock clock = SystemEpochClock.INSTANCE;
    private long tickIntervalMillis = 100;
    private boolean concluded;

    public RuntimeConfig conclude()
    {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ringSize must be a power of two >= 2: " + ringSize);
        }
        WaitStrategies.named(waitStrategy);
        if (tickIntervalMillis < 0)
        {
            throw new IllegalArgumentException("tickIntervalMillis must be >= 0 (0 turns the ticker off)");
        }
        concluded = true;
        return this;
    }

    public boolean isConcluded()
    {
        return concluded;
    }

    private void checkMutable()
    {
        if (concluded)
        {
            throw new IllegalStateException("RuntimeConfig is concluded");
        }
    }

    public int ringSize()
    {
        return ringSize;
    }

    /** Slots in the ring, a power of two; a full ring answers producers with backpressure, never queues. */
    public RuntimeConfig ringSize(final int value)
    {
        checkMutable();
        ringSize = value;
        return this;
    }

    public Pipeline pipeline()
    {
        return pipeline;
    }

    /** Default: {@code STAGED} with 4 or more cores, else {@code FUSED}. */
    public RuntimeConfig pipeline(final Pipeline value)
    {
        checkMutable();
        pipeline = value;
        return this;
    }

    public String waitStrategy()
    {
        return waitStrategy;
    }

    /** See {@link WaitStrategies}. */
    public RuntimeConfig waitStrategy(final String value)
    {
        checkMutable();
        waitStrategy = value;
        return this;
    }

    public EpochClock clock()
    {
        return clock;
    }

    /** The only clock: read once per mutation by the ingress stage to stamp it. */
    public RuntimeConfig clock(final EpochClock value)
    {
        checkMutable();
        clock = value;
        return this;
    }

    public long tickIntervalMillis()
    {
        return tickIntervalMillis;
    }

    /** How often the ticker checks for due reservation expiries; 0 turns it off (tests drive ticks). */
    public RuntimeConfig tickIntervalMillis(final long value)
    {
        checkMutable();
        tickIntervalMillis = value;
        return this;
    }
}
