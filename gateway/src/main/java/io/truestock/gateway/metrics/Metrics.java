package io.truestock.gateway.metrics;

import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.runtime.EngineListener;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Counters and latency histograms, rendered in the Prometheus text format. Command counters are updated on the
 * output stage (one thread); request latencies are recorded by I/O threads into HdrHistogram {@link Recorder}s,
 * which are lock-free for writers.
 */
public final class Metrics implements EngineListener
{
    private static final CommandType[] TYPES = CommandType.values();
    private static final RejectReason[] REASONS = RejectReason.values();
    private static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    private final AtomicLongArray commands = new AtomicLongArray(TYPES.length * REASONS.length);
    private final AtomicLongArray oversold = new AtomicLongArray(2);
    private final ConcurrentHashMap<String, Latency> latencies = new ConcurrentHashMap<>();
    private final Recorder live = new Recorder(MAX_LATENCY_NANOS, 3);
    private final ConcurrentHashMap<String, LongSupplier> gauges = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final java.util.List<java.util.function.Consumer<StringBuilder>> sections =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    private record Counter(String help, LongSupplier supplier)
    {
    }

    private static final class Latency
    {
        final Recorder recorder = new Recorder(MAX_LATENCY_NANOS, 3);
        final Histogram total = new Histogram(MAX_LATENCY_NANOS, 3);
        Histogram interval;
    }

    @Override
    public void onApplied(final Command command, final Outcome outcome, final Events events)
    {
        final int index = command.type().ordinal() * REASONS.length + outcome.reason().ordinal();
        commands.lazySet(index, commands.get(index) + 1);
        for (int i = 0; i < events.oversoldCount(); i++)
        {
            oversold.lazySet(0, oversold.get(0) + 1);
            oversold.lazySet(1, oversold.get(1) + events.oversoldQty(i));
        }
    }

    /** A gauge read at scrape time; the name set is fixed by the server at start. */
    public void gauge(final String name, final LongSupplier supplier)
    {
        gauges.put(name, supplier);
    }

    /** A counter kept by another component and read at scrape time; the name set is fixed by the server at start. */
    public void counter(final String name, final String help, final LongSupplier supplier)
    {
        counters.put(name, new Counter(help, supplier));
    }

    /** A block of labelled metrics rendered by another component (channel sync) at scrape time. */
    public void section(final java.util.function.Consumer<StringBuilder> renderer)
    {
        sections.add(renderer);
    }

    /** Records one request's latency under a route name from a fixed set. */
    public void recordLatency(final String route, final long nanos)
    {
        final long bounded = Math.min(Math.max(nanos, 0), MAX_LATENCY_NANOS);
        latencies.computeIfAbsent(route, r -> new Latency()).recorder.recordValue(bounded);
        live.recordValue(bounded);
    }

    /**
     * Every route's request latencies recorded since the previous call, for the live samples; one caller only
     * ({@link LiveSamples}), as each call starts a new interval.
     *
     * @param recycle the histogram the previous call returned, reused, or null.
     */
    Histogram liveLatencies(final Histogram recycle)
    {
        return live.getIntervalHistogram(recycle);
    }

    /** Commands of a type the writer has accepted since start. */
    public long accepted(final CommandType type)
    {
        return commands.get(type.ordinal() * REASONS.length + RejectReason.NONE.ordinal());
    }

    public long oversoldEvents()
    {
        return oversold.get(0);
    }

    public String render()
    {
        final StringBuilder out = new StringBuilder(8192);
        out.append("# HELP truestock_commands_total Commands applied by the writer, by type and outcome.\n");
        out.append("# TYPE truestock_commands_total counter\n");
        for (final CommandType type : TYPES)
        {
            for (final RejectReason reason : REASONS)
            {
                final long count = commands.get(type.ordinal() * REASONS.length + reason.ordinal());
                if (count > 0)
                {
                    out.append("truestock_commands_total{type=\"").append(type.name().toLowerCase(Locale.ROOT))
                        .append("\",outcome=\"").append(reason == RejectReason.NONE ? "accepted" : reason.code())
                        .append("\"} ").append(count).append('\n');
                }
            }
        }
        out.append("# HELP truestock_oversold_events_total Channel order lines that could not be covered by stock.\n");
        out.append("# TYPE truestock_oversold_events_total counter\n");
        out.append("truestock_oversold_events_total ").append(oversold.get(0)).append('\n');
        out.append("# HELP truestock_oversold_units_total Units backordered by channel orders.\n");
        out.append("# TYPE truestock_oversold_units_total counter\n");
        out.append("truestock_oversold_units_total ").append(oversold.get(1)).append('\n');
        counters.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(counter ->
        {
            out.append("# HELP ").append(counter.getKey()).append(' ').append(counter.getValue().help()).append('\n');
            out.append("# TYPE ").append(counter.getKey()).append(" counter\n");
            out.append(counter.getKey()).append(' ').append(counter.getValue().supplier().getAsLong()).append('\n');
        });
        gauges.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(gauge ->
        {
            out.append("# TYPE ").append(gauge.getKey()).append(" gauge\n");
            out.append(gauge.getKey()).append(' ').append(gauge.getValue().getAsLong()).append('\n');
        });
        out.append("# HELP truestock_request_seconds HTTP request latency, decode to response written, by route.\n");
        out.append("# TYPE truestock_request_seconds summary\n");
        latencies.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(entry ->
        {
            final Latency latency = entry.getValue();
            final Histogram snapshot;
            synchronized (latency)
            {
                latency.interval = latency.recorder.getIntervalHistogram(latency.interval);
                latency.total.add(latency.interval);
                snapshot = latency.total.copy();
            }
            final String route = entry.getKey();
            for (final double q : new double[] {0.5, 0.99, 0.999})
            {
                out.append("truestock_request_seconds{route=\"").append(route).append("\",quantile=\"").append(q)
                    .append("\"} ").append(seconds(snapshot.getValueAtPercentile(q * 100))).append('\n');
            }
            out.append("truestock_request_seconds{route=\"").append(route).append("\",quantile=\"1.0\"} ")
                .append(seconds(snapshot.getMaxValue())).append('\n');
            out.append("truestock_request_seconds_count{route=\"").append(route).append("\"} ")
                .append(snapshot.getTotalCount()).append('\n');
        });
        sections.forEach(section -> section.accept(out));
        return out.toString();
    }

    private static String seconds(final long nanos)
    {
        return String.format(Locale.ROOT, "%.9f", nanos / 1e9);
    }
}
