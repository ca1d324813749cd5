package io.truestock.benchmarks;

import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineSnapshot;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.journal.snapshot.SbeDefinitionCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * How long the writer stops for a periodic snapshot: {@link EngineSnapshot#captureBuffers} runs on the writer thread
 * between two commands, so every command behind it waits that long. The engine is the engine benchmarks' catalog
 * (10 000 SKUs, 4 locations, 6 channels) with {@code retained} resolved reservations held for later questions, as a
 * server holds them after a busy spell (the server's bound is 262 144), and {@code held} reservations still open.
 * <p>
 * {@code java -jar benchmarks/target/benchmarks.jar SnapshotCaptureBenchmark -jvmArgsAppend "$(cat benchmarks/target/jvm.flags)" -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SnapshotCaptureBenchmark
{
    @Param({"262144"})
    public int retained;

    /** Open reservations: 70 000 is what a server taking 70 000 reservations/s of 1 s holds at any time. */
    @Param({"1000", "70000"})
    public int held;

    private Engine engine;

    @Setup(Level.Trial)
    public void setUp()
    {
        final Command command = new Command(16);
        final Outcome outcome = new Outcome();
        final Events events = new Events();
        engine = EngineApplyBenchmark.catalog(
            new Engine(EngineApplyBenchmark.config().maxRetainedReservations(retained)), command, outcome, events);
        engine.snapshotCodec(new SbeDefinitionCodec());
        long sequence = engine.lastSequence();
        final long now = 1_800_000_000_000L;
        long id = 0;
        for (int i = 0; i < retained + held; i++)
        {
            final String sku = EngineApplyBenchmark.sku(i % EngineApplyBenchmark.SKUS);
            command.clear().reserve(EngineApplyBenchmark.CHANNELS[i % EngineApplyBenchmark.CHANNELS.length], 600)
                .addLine(sku, 1 + i % 3);
            sequence = EngineApplyBenchmark.apply(engine, command, outcome, events, sequence, now);
            id = outcome.reservationId();
            if (i < retained)
            {
                command.clear().release(id);
                sequence = EngineApplyBenchmark.apply(engine, command, outcome, events, sequence, now);
            }
        }
    }

    @Benchmark
    public ByteBuffer[] capture()
    {
        return EngineSnapshot.captureBuffers(engine);
    }
}
