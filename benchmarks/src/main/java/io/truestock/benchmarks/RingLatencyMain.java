package io.truestock.benchmarks;

import io.truestock.engine.Command;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.OutcomeHandler;
import io.truestock.engine.runtime.RuntimeConfig;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency of commands through the real pipeline (ring, journal on, writer, answer) at fixed offered rates, open loop:
 * command <i>i</i> is due at {@code start + i / rate} whatever happened before, and its latency runs from that
 * intended instant to the output stage answering it, so a producer held up by a full ring or a late wake-up shows
 * as latency (coordinated-omission corrected). JMH's SampleTime mode cannot hold an offered rate, hence this driver.
 * <p>
 * One producer thread (this one) paces the commands: it parks while the next one is more than 200 us away and spins
 * for the rest, so at rates above ~10 k/s it keeps a core busy; on a 2-core machine that leaves the pipeline one
 * core. The send lag (actual publish minus intended instant) is reported separately, so what the driver itself
 * added can be told apart. Histograms are HdrHistogram, recorded on the output stage's thread. Each phase also
 * reports this JVM's collector pauses during it and the CPU time the hypervisor stole from the machine
 * ({@link PhaseConditions}): a millisecond tail with no pause and seconds of steal is the machine, not the program.
 * <p>
 * {@code java <jvm flags> -cp benchmarks/target/benchmarks.jar io.truestock.benchmarks.RingLatencyMain --help}
 */
@CommandLine.Command(name = "ring-latency", mixinStandardHelpOptions = true,
    description = "Open-loop latency of commands through the journaled ring at fixed offered rates.")
public final class RingLatencyMain implements Callable<Integer>
{
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int INTENDED_SLOTS = 1 << 16;

    @Option(names = "--rates", split = ",", description = "offered rates, commands/s (default: ${DEFAULT-VALUE})")
    List<Long> rates = new ArrayList<>(List.of(100_000L, 250_000L, 1_000_000L));

    @Option(names = "--seconds", description = "measured seconds per rate (default: ${DEFAULT-VALUE})")
    int seconds = 5;

    @Option(names = "--warmup-seconds",
        description = "unmeasured seconds at the first rate, first (default: ${DEFAULT-VALUE})")
    int warmupSeconds = 10;

    @Option(names = "--scenario", description = "mix or flash (default: ${DEFAULT-VALUE})")
    String scenario = "mix";

    @Option(names = "--wait", description = "the ring's wait strategy (default: ${DEFAULT-VALUE})")
    String waitStrategy = "phased";

    @Option(names = "--pipeline", description = "FUSED or STAGED (default: ${DEFAULT-VALUE})")
    RuntimeConfig.Pipeline pipeline = RuntimeConfig.Pipeline.FUSED;

    @Option(names = "--fsync", description = "fsync the journal at the end of every ring batch")
    boolean fsync;

    @Option(names = "--max-retained",
        description = "resolved reservations the engine retains (default: the engine benchmarks' ${DEFAULT-VALUE}; " +
            "the server's is 262144)")
    int maxRetained = EngineApplyBenchmark.config().maxRetainedReservations();

    @Option(names = "--time-limit-factor",
        description = "a rate's phase stops publishing after this many times its nominal length " +
            "(default: ${DEFAULT-VALUE})")
    int timeLimitFactor = 3;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new RingLatencyMain()).execute(args));
    }

    /** What one rate measured. */
    record Phase(long rate, long offered, long sent, double seconds, Histogram latency, Histogram sendLag)
    {
        double achievedPerSecond()
        {
            return sent / seconds;
        }
    }

    @Override
    public Integer call() throws Exception
    {
        if (rates.isEmpty() || seconds < 1 || warmupSeconds < 0 || timeLimitFactor < 1 ||
            rates.stream().anyMatch(r -> r < 1 || r > 100_000_000L))
        {
            throw new IllegalArgumentException("rates must be in [1, 1e8] and seconds positive");
        }
        final Answers answers = new Answers();
        try (RingFixture ring = new RingFixture(null, waitStrategy, pipeline, fsync,
            EngineApplyBenchmark.config().maxRetainedReservations(maxRetained));
            PhaseConditions conditions = new PhaseConditions())
        {
            final RingFixture.Commands commands = RingFixture.commands(scenario);
            System.out.printf(Locale.ROOT, "ring latency: scenario %s, wait %s, pipeline %s, fsync %s, ring %d, " +
                "retained %d, %d cores; load average %s%n", scenario, waitStrategy, pipeline, fsync,
                ring.runtime.ringSize(), maxRetained, Runtime.getRuntime().availableProcessors(), loadAverage());
            if (warmupSeconds > 0)
            {
                final Phase warmup = run(ring, commands, answers, rates.get(0), warmupSeconds);
                System.out.printf(Locale.ROOT, "warm-up at %,d/s: %,d commands%n", warmup.rate(), warmup.sent());
            }
            System.out.println("latency from intended send to answer, microseconds");
            System.out.println("| offered/s | achieved/s | sent | p50 | p90 | p99 | p99.9 | p99.99 | max | " +
                "send lag p99 | send lag max | GC pauses (n, max, total) | CPU steal | load avg at end |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
            for (final long rate : rates)
            {
                conditions.start();
                final Phase p = run(ring, commands, answers, rate, seconds);
                final PhaseConditions.Seen seen = conditions.stop();
                final Histogram h = p.latency();
                System.out.printf(Locale.ROOT,
                    "| %,d | %,.0f | %,d%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    p.rate(), p.achievedPerSecond(), p.sent(), p.sent() < p.offered() ? " of " + p.offered() : "",
                    us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)), us(h.getValueAtPercentile(99)),
                    us(h.getValueAtPercentile(99.9)), us(h.getValueAtPercentile(99.99)), us(h.getMaxValue()),
                    us(p.sendLag().getValueAtPercentile(99)), us(p.sendLag().getMaxValue()), seen.describe(),
                    loadAverage());
            }
            if (ring.rejected() > 0 || answers.rejected.get() > 0)
            {
                throw new IllegalStateException(ring.rejected() + " commands were rejected; the figures are void");
            }
        }
        return 0;
    }

    /**
     * Publishes {@code rate * seconds} commands on the open-loop schedule and waits for every answer. Publishing stops
     * at {@code timeLimitFactor} times the nominal length; what was not sent by then is reported.
     */
    Phase run(
        final RingFixture ring, final RingFixture.Commands commands, final Answers answers, final long rate,
        final int phaseSeconds)
    {
        final long offered = rate * phaseSeconds;
        final long before = answers.answered.get();
        answers.latency.reset();
        final Histogram sendLag = new Histogram(HIGHEST_NANOS, 3);
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        final long stopAt = start + TimeUnit.SECONDS.toNanos((long)phaseSeconds * timeLimitFactor);
        long sent = 0;
        for (long i = 0; i < offered; i++)
        {
            final long due = start + i * 1_000_000_000L / rate;
            long now = System.nanoTime();
            while (now < due)
            {
                if (due - now > 200_000)
                {
                    LockSupport.parkNanos(due - now - 100_000);
                }
                else
                {
                    Thread.onSpinWait();
                }
                now = System.nanoTime();
            }
            if (now > stopAt)
            {
                break;
            }
            answers.intended[(int)((before + i) & (INTENDED_SLOTS - 1))] = due;
            commands.next();
            ring.publish(commands, answers);
            sendLag.recordValue(Math.min(HIGHEST_NANOS, System.nanoTime() - due));
            sent++;
        }
        final double elapsed = (System.nanoTime() - start) / 1e9;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int misses = 0;
        while (answers.answered.get() < before + sent)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("answers stopped at " + (answers.answered.get() - before) + " of " +
                    sent);
            }
            RingFixture.backOff(++misses);
        }
        return new Phase(rate, offered, sent, elapsed, answers.latency.copy(), sendLag);
    }

    /**
     * Answers commands on the output stage's thread: the n-th answer belongs to the n-th command published (one
     * producer, a FIFO ring), whose intended instant is in {@link #intended}. The ring never holds more than its size
     * in unanswered commands, far fewer than the slots, so a slot is not rewritten before its answer reads it.
     */
    static final class Answers implements OutcomeHandler
    {
        final long[] intended = new long[INTENDED_SLOTS];
        final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
        final AtomicLong answered = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();

        Answers()
        {
            if (INTENDED_SLOTS <= RingFixture.RING_SIZE)
            {
                throw new IllegalStateException("intended-time slots must outnumber the ring's slots");
            }
        }

        @Override
        public void onOutcome(final Command command, final Outcome outcome)
        {
            final long now = System.nanoTime();
            final long n = answered.get();
            latency.recordValue(Math.max(0, Math.min(HIGHEST_NANOS, now - intended[(int)(n & (INTENDED_SLOTS - 1))])));
            if (!outcome.accepted())
            {
                rejected.lazySet(rejected.get() + 1);
            }
            answered.lazySet(n + 1);
        }
    }

    private static String us(final long nanos)
    {
        final double micros = nanos / 1000.0;
        return micros >= 100 ? String.format(Locale.ROOT, "%,d", Math.round(micros)) :
            String.format(Locale.ROOT, "%.1f", micros);
    }

    static String loadAverage()
    {
        try
        {
            final String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (final Exception ex)
        {
            return "unknown";
        }
    }
}
