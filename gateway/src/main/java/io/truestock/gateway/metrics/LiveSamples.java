package io.truestock.gateway.metrics;

import io.truestock.engine.CommandType;
import org.HdrHistogram.Histogram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One compact sample of the server's activity per tick (the live stream ticks every second), and the last
 * {@value #HISTORY} of them, so a new viewer sees the last minutes at once. Rates are per second over the tick's
 * real interval; latency percentiles cover every HTTP request answered during the interval.
 */
public final class LiveSamples
{
    /** Samples kept: five minutes at one a second. */
    public static final int HISTORY = 300;

    private final Metrics metrics;
    private final LongSupplier ringOccupancy;
    private final LongSupplier ringSize;
    private final LongSupplier version;
    private final ArrayDeque<Sample> history = new ArrayDeque<>(HISTORY);
    private Histogram interval;
    private long lastAtMillis;
    private long lastReservations;
    private long lastOrders;
    private long lastCommands;

    /**
     * A sample. Rates are per second; latencies in microseconds (0 when no request was answered).
     *
     * @param oversoldEvents channel order lines not covered by stock since start.
     * @param version        the engine sequence at the sample.
     */
    public record Sample(long atMillis, long reservationsPerSecond, long ordersPerSecond, long commandsPerSecond,
        long oversoldEvents, long ringOccupancy, long ringSize, long requests, long p50Micros, long p99Micros,
        long p999Micros, long maxMicros, long version)
    {
    }

    public LiveSamples(
        final Metrics metrics, final LongSupplier ringOccupancy, final LongSupplier ringSize,
        final LongSupplier version)
    {
        this.metrics = metrics;
        this.ringOccupancy = ringOccupancy;
        this.ringSize = ringSize;
        this.version = version;
    }

    /** Takes the sample of the interval since the previous tick and keeps it in the history. */
    public synchronized Sample tick(final long nowMillis)
    {
        final long reservations = metrics.accepted(CommandType.RESERVE);
        final long orders = metrics.accepted(CommandType.CONFIRM) + metrics.accepted(CommandType.ORDER);
        long commands = 0;
        for (final CommandType type : CommandType.values())
        {
            if (type != CommandType.TICK)
            {
                commands += metrics.accepted(type);
            }
        }
        interval = metrics.liveLatencies(interval);
        final long elapsed = lastAtMillis == 0 ? 0 : Math.max(1, nowMillis - lastAtMillis);
        final Sample sample = new Sample(nowMillis,
            perSecond(reservations - lastReservations, elapsed), perSecond(orders - lastOrders, elapsed),
            perSecond(commands - lastCommands, elapsed), metrics.oversoldEvents(), ringOccupancy.getAsLong(),
            ringSize.getAsLong(), interval.getTotalCount(), micros(interval.getValueAtPercentile(50)),
            micros(interval.getValueAtPercentile(99)), micros(interval.getValueAtPercentile(99.9)),
            micros(interval.getMaxValue()), version.getAsLong());
        lastAtMillis = nowMillis;
        lastReservations = reservations;
        lastOrders = orders;
        lastCommands = commands;
        if (history.size() == HISTORY)
        {
            history.pollFirst();
        }
        history.addLast(sample);
        return sample;
    }

    /** The samples kept, oldest first. */
    public synchronized List<Sample> history()
    {
        return new ArrayList<>(history);
    }

    private static long perSecond(final long delta, final long elapsedMillis)
    {
        return elapsedMillis == 0 ? 0 : Math.round(delta * 1000.0 / elapsedMillis);
    }

    private static long micros(final long nanos)
    {
        return (nanos + 500) / 1000;
    }
}
