package io.truestock.benchmarks;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
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

import java.util.concurrent.TimeUnit;

/**
 * The business stage alone: {@link Engine#apply} on one thread, no ring, no journal. One operation is one command.
 * <ul>
 *   <li>{@code mix}: reserve, reserve, confirm, release, ship, receive, cycling over 10 000 SKUs and 4 locations,
 *       6 channels (every change republishes to the channels that draw from the location);</li>
 *   <li>{@code flash}: every command on one hot SKU: reserve 1, then release it;</li>
 *   <li>{@code bundle10}: receive and adjust on components of a bundle of 10 components (each change
 *       republishes the bundle on every channel);</li>
 *   <li>{@code expiry}: what the HTTP edge's reservation benchmark asks of the engine: one-unit holds of one
 *       second on the hot SKU, 64 commands a simulated millisecond, and a tick every 100 ms that expires the
 *       holds past their second, so about 64 000 are held (a server taking 64 000 reservations a second) and
 *       every reservation is opened, ordered by expiry and expired.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineApplyBenchmark
{
    static final int SKUS = 10_000;
    static final String[] LOCATIONS = {"oak", "nj", "tx", "ams"};
    static final String[] CHANNELS = {"shopify", "amazon", "flipkart", "woocommerce", "tiktok-shop", "whatsapp"};
    private static final int ORDER_IDS = 1 << 20;

    private static final int EXPIRY_COMMANDS_PER_MILLI = 64;
    private static final int EXPIRY_TICK_EVERY = 100 * EXPIRY_COMMANDS_PER_MILLI;

    @Param({"mix", "flash", "bundle10", "expiry"})
    public String scenario;

    private Engine engine;
    private final Command command = new Command(16);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private String[] skuIds;
    private String[] orderIds;
    private long sequence;
    private long nowMillis = 1_800_000_000_000L;
    private long reserves;
    private long step;
    private long orders;
    private long rejected;
    private int commandsPerMilli;

    /** Builds the catalog used by the engine benchmarks: 10 000 SKUs with deep stock, a 10-part bundle. */
    static Engine catalog(final Engine engine, final Command command, final Outcome outcome, final Events events)
    {
        long seq = engine.lastSequence();
        final long now = 1_800_000_000_000L;
        for (int l = 0; l < LOCATIONS.length; l++)
        {
            final int priority = l;
            final String id = LOCATIONS[l];
            seq = apply(engine, command.clear().defineLocation(id, LocationSpec.named(id).withPriority(priority)),
                outcome, events, seq, now);
        }
        seq = apply(engine, command.clear().defineChannel("shopify", ChannelSpec.named("Shopify")), outcome, events, seq, now);
        seq = apply(engine, command.clear().defineChannel("amazon", ChannelSpec.named("Amazon", "oak", "nj")
            .with(80, 2, ChannelSpec.UNLIMITED)), outcome, events, seq, now);
        seq = apply(engine, command.clear().defineChannel("flipkart", ChannelSpec.named("Flipkart", "ams")), outcome, events, seq, now);
        seq = apply(engine, command.clear().defineChannel("woocommerce", ChannelSpec.named("Woo", "nj", "oak")), outcome, events, seq, now);
        seq = apply(engine, command.clear().defineChannel("tiktok-shop", ChannelSpec.named("TikTok", "oak")
            .with(50, 0, 100)), outcome, events, seq, now);
        seq = apply(engine, command.clear().defineChannel("whatsapp", ChannelSpec.named("WhatsApp")), outcome, events, seq, now);
        for (int s = 0; s < SKUS; s++)
        {
            final String sku = sku(s);
            seq = apply(engine, command.clear().defineSku(sku, SkuSpec.simple(sku, 1999, "USD")), outcome, events, seq, now);
            for (final String location : LOCATIONS)
            {
                seq = apply(engine, command.clear().receive(sku, location, 1_000_000), outcome, events, seq, now);
            }
        }
        final String[] parts = new String[10];
        final long[] qtys = new long[10];
        for (int k = 0; k < 10; k++)
        {
            parts[k] = sku(k);
            qtys[k] = 1 + k % 3;
        }
        apply(engine, command.clear().defineSku("bundle-10", new SkuSpec("Ten", 9999, "USD", parts, qtys)),
            outcome, events, seq, now);
        return engine;
    }

    static String sku(final int index)
    {
        return "sku-" + index;
    }

    /** Applies a command that must be accepted, stamped with the next sequence. @return that sequence. */
    static long apply(
        final Engine engine, final Command command, final Outcome outcome, final Events events, final long seq,
        final long now)
    {
        command.stamp(seq + 1, now);
        engine.apply(command, outcome, events);
        if (!outcome.accepted())
        {
            throw new IllegalStateException("catalog command rejected: " + command + " -> " + outcome);
        }
        return seq + 1;
    }

    static EngineConfig config()
    {
        return new EngineConfig().maxSkus(16_384).maxLocations(8).maxChannels(8)
            .maxOrders(ORDER_IDS / 2).maxOpenReservations(1 << 20).maxRetainedReservations(4096);
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        engine = catalog(new Engine(config()), command, outcome, events);
        sequence = engine.lastSequence();
        commandsPerMilli = scenario.equals("expiry") ? EXPIRY_COMMANDS_PER_MILLI : 1024;
        skuIds = new String[SKUS];
        for (int s = 0; s < SKUS; s++)
        {
            skuIds[s] = sku(s);
        }
        orderIds = new String[ORDER_IDS];
        for (int i = 0; i < ORDER_IDS; i++)
        {
            orderIds[i] = "o-" + i;
        }
    }

    @Benchmark
    public boolean apply()
    {
        command.clear();
        switch (scenario)
        {
            case "mix" -> fillMix();
            case "flash" -> fillFlash();
            case "expiry" -> fillExpiry();
            default -> fillBundle();
        }
        command.stamp(++sequence, nowMillis);
        engine.apply(command, outcome, events);
        if (!outcome.accepted())
        {
            rejected++;
        }
        step++;
        if (step % commandsPerMilli == 0)
        {
            nowMillis++;
        }
        return outcome.accepted();
    }

    private void fillMix()
    {
        final int s = (int)((step * 7919) % SKUS);
        switch ((int)(step % 6))
        {
            case 0, 1 ->
            {
                command.reserve(CHANNELS[(int)(step % CHANNELS.length)], 600).addLine(skuIds[s], 1);
                reserves++;
            }
            case 2 -> command.confirm(reserves - 1, orderIds[(int)(orders % ORDER_IDS)]);
            case 3 -> command.release(reserves);
            case 4 ->
            {
                command.ship(CHANNELS[(int)((step - 4) % CHANNELS.length)], orderIds[(int)(orders % ORDER_IDS)]);
                orders++;
            }
            default -> command.receive(skuIds[s], LOCATIONS[(int)(step % LOCATIONS.length)], 2);
        }
    }

    private void fillFlash()
    {
        if ((step & 1) == 0)
        {
            command.reserve("shopify", 600).addLine(skuIds[0], 1);
            reserves++;
        }
        else
        {
            command.release(reserves);
        }
    }

    private void fillExpiry()
    {
        if (step % EXPIRY_TICK_EVERY == EXPIRY_TICK_EVERY - 1)
        {
            command.tick();
        }
        else
        {
            command.reserve("shopify", 1).addLine(skuIds[0], 1);
        }
    }

    /**
     * Receive 1 unit of a component, then take the same unit back out of the same record, so stock never drifts: an
     * adjust on another component than the one received would drain it and, after some 20 M commands, be rejected.
     */
    private void fillBundle()
    {
        final long pair = step >>> 1;
        final int part = (int)(pair % 10);
        final String location = LOCATIONS[(int)(pair % LOCATIONS.length)];
        if ((step & 1) == 0)
        {
            command.receive(skuIds[part], location, 1);
        }
        else
        {
            command.adjust(skuIds[part], location, -1);
        }
    }

    /** A run that measured rejections instead of the intended commands fails instead of reporting a number. */
    @TearDown(Level.Trial)
    public void checkEveryCommandWasAccepted()
    {
        if (rejected > 0)
        {
            throw new IllegalStateException(scenario + ": " + rejected + " commands were rejected; the number is void");
        }
    }
}
