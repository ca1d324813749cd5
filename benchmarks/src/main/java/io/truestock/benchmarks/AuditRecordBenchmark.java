package io.truestock.benchmarks;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import io.truestock.journal.audit.AuditLog;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One audit record, as the output stage appends one for every applied command to the trail in a temporary
 * directory (Chronicle Queue, no fsync): the record of one reservation, the command an HTTP reservation is. One
 * operation is one record; the command and its outcome are applied once and recorded again under each new
 * sequence.
 * <ul>
 *   <li>{@code accepted}: a one-line reservation held: its stock change (before and after), the channel value it
 *       published, and its detail;</li>
 *   <li>{@code rejected}: the same reservation refused out of stock: the SKU it named.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuditRecordBenchmark
{
    @Param({"accepted", "rejected"})
    public String outcome;

    private final Command command = new Command(8);
    private final Outcome applied = new Outcome();
    private final Events events = new Events();
    private Path dir;
    private AuditLog audit;
    private long sequence;
    private long nowMillis = 1_800_000_000_000L;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("truestock-audit-bench");
        final Engine engine = new Engine(new EngineConfig().maxSkus(16).maxLocations(4).maxChannels(4));
        sequence = EngineApplyBenchmark.apply(engine, command.clear().defineLocation("oak", LocationSpec.named("Oak")),
            applied, events, sequence, nowMillis);
        sequence = EngineApplyBenchmark.apply(engine,
            command.clear().defineChannel("web", ChannelSpec.named("Web", "oak")), applied, events, sequence,
            nowMillis);
        sequence = EngineApplyBenchmark.apply(engine,
            command.clear().defineSku("hot", SkuSpec.simple("Hot", 1000, "USD")), applied, events, sequence, nowMillis);
        if ("accepted".equals(outcome))
        {
            sequence = EngineApplyBenchmark.apply(engine, command.clear().receive("hot", "oak", 1_000_000), applied,
                events, sequence, nowMillis);
        }
        command.clear().reserve("web", 1).addLine("hot", 1).principal("key-7f3a9c21");
        command.stamp(++sequence, nowMillis);
        engine.apply(command, applied, events);
        if (applied.accepted() != "accepted".equals(outcome))
        {
            throw new IllegalStateException("the reservation came out " + applied.reason() + ", not " + outcome);
        }
        audit = new AuditLog(dir.resolve("audit"));
        audit.attach(engine);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        audit.close();
        RingFixture.deleteTree(dir);
    }

    @Benchmark
    public long record()
    {
        command.stamp(++sequence, ++nowMillis);
        audit.onApplied(command, applied, events);
        return sequence;
    }
}
