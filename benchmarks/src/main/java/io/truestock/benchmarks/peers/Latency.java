package io.truestock.benchmarks.peers;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A latency summary in microseconds, taken from an HdrHistogram of nanoseconds.
 *
 * @param count samples.
 */
public record Latency(long count, double p50Micros, double p99Micros, double p999Micros, double maxMicros,
    double meanMicros)
{
    /** Highest value a histogram tracks: one minute, far beyond any request timeout used here. */
    public static final long HIGHEST_NANOS = 60_000_000_000L;

    public static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    public static Latency of(final Histogram nanos)
    {
        if (nanos.getTotalCount() == 0)
        {
            return new Latency(0, 0, 0, 0, 0, 0);
        }
        return new Latency(nanos.getTotalCount(),
            micros(nanos.getValueAtPercentile(50)),
            micros(nanos.getValueAtPercentile(99)),
            micros(nanos.getValueAtPercentile(99.9)),
            micros(nanos.getMaxValue()),
            nanos.getMean() / 1000.0);
    }

    private static double micros(final long nanos)
    {
        return nanos / 1000.0;
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", count);
        map.put("p50_us", round(p50Micros));
        map.put("p99_us", round(p99Micros));
        map.put("p99_9_us", round(p999Micros));
        map.put("max_us", round(maxMicros));
        map.put("mean_us", round(meanMicros));
        return map;
    }

    static double round(final double value)
    {
        return Math.round(value * 10.0) / 10.0;
    }
}
