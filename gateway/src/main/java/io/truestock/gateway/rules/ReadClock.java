package io.truestock.gateway.rules;

import io.truestock.engine.Engine;
import org.agrona.concurrent.EpochClock;

/**
 * The instant reads are answered at (prices, delivery promises, quote expiries): the gateway's one clock, never
 * behind the timestamp of the last command the engine applied, so a read never sees time run backwards from
 * what the engine has already stamped.
 */
public final class ReadClock implements EpochClock
{
    private final EpochClock clock;
    private final Engine engine;

    /**
     * @param clock  the gateway's clock, the one the runtime stamps commands with.
     * @param engine the engine whose last stamp bounds it from below.
     */
    public ReadClock(final EpochClock clock, final Engine engine)
    {
        this.clock = clock;
        this.engine = engine;
    }

    @Override
    public long time()
    {
        return Math.max(clock.time(), engine.lastTimestampMillis());
    }
}
