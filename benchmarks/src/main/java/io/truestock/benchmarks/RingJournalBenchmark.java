package io.truestock.benchmarks;

import io.truestock.engine.runtime.RuntimeConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * End to end through the real pipeline with the journal on: one producer (the benchmark thread) publishes commands
 * into the {@link io.truestock.engine.runtime.EngineRuntime} ring, whose stages journal each one to Chronicle Queue
 * in a temporary directory, apply it and answer it. One invocation publishes {@value #BATCH} commands and returns
 * when the output stage has seen all of them, so the score is commands journaled, applied and answered per second
 * (not merely accepted into the ring).
 * <ul>
 *   <li>{@code mix}: reserve, reserve, confirm, release, ship, receive over 10 000 SKUs and 6 channels;</li>
 *   <li>{@code flash}: every command on one hot SKU: reserve 1, then release it.</li>
 * </ul>
 * The ring's wait strategy is a parameter because on a 2-core machine it decides who gets the cores: a busy-spinning
 * consumer starves the producer, so the defaults are the strategies that give the core back. While the ring is full
 * the producer yields, then parks.
 * <p>
 * {@code java -jar benchmarks/target/benchmarks.jar RingJournalBenchmark -jvmArgsAppend "$(cat benchmarks/target/jvm.flags)"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(RingJournalBenchmark.BATCH)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RingJournalBenchmark
{
    static final int BATCH = 10_000;

    @Param({"mix", "flash"})
    public String scenario;

    /** A name {@link RuntimeConfig#waitStrategy(String)} takes: phased, blocking, sleeping, yielding, busy-spin. */
    @Param({"phased", "yielding"})
    public String waitStrategy;

    @Param({"FUSED"})
    public String pipeline;

    /** fsync the journal at the end of every ring batch (the server's {@code fsync} setting). */
    @Param({"false"})
    public boolean fsync;

    private RingFixture ring;
    private RingFixture.Commands commands;
    private long published;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        ring = new RingFixture(null, waitStrategy, RuntimeConfig.Pipeline.valueOf(pipeline), fsync);
        commands = RingFixture.commands(scenario);
        published = ring.applied();
    }

    @Benchmark
    public long publishAndDrain()
    {
        for (int i = 0; i < BATCH; i++)
        {
            commands.next();
            ring.publish(commands, null);
        }
        published += BATCH;
        ring.awaitApplied(published, 60);
        return published;
    }

    /** A run that measured rejections instead of the intended commands fails instead of reporting a number. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        final long rejected = ring.rejected();
        ring.close();
        if (rejected > 0)
        {
            throw new IllegalStateException(scenario + ": " + rejected + " commands were rejected; the number is void");
        }
    }
}
