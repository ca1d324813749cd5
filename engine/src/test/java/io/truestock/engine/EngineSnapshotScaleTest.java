package io.truestock.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Format 4: a snapshot holds the state in use, whatever the bounds. */
class EngineSnapshotScaleTest
{
    /** Bounds far beyond what the streams use: 65 536 SKUs, 16 locations, 48 channels. */
    private static EngineConfig large()
    {
        return new EngineConfig().maxSkus(1 << 16).maxLocations(16).maxChannels(48).maxRetainedReservations(40)
            .maxOrders(60).idempotencyWindowMillis(30_000);
    }

    /** The same limits on everything the streams fill, and table bounds just large enough. */
    private static EngineConfig tight()
    {
        return new EngineConfig().maxSkus(32).maxLocations(4).maxChannels(4).maxRetainedReservations(40)
            .maxOrders(60).idempotencyWindowMillis(30_000);
    }

    private static EngineDriver run(final EngineConfig config, final List<Consumer<Command>> commands)
    {
        final EngineDriver driver = new EngineDriver(config);
        for (final Consumer<Command> command : commands)
        {
            driver.advanceMillis(700);
            driver.apply(command);
        }
        return driver;
    }

    private static List<Consumer<Command>> stream(final long seed)
    {
        final List<Consumer<Command>> commands = RandomCommands.catalog();
        commands.addAll(RandomCommands.random(seed, 1_500));
        return commands;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void sparseUseOfLargeBoundsRoundTripsToTheSameDigestAndResumesLikeAFullReplay(final long seed)
    {
        final List<Consumer<Command>> commands = stream(seed);
        final int split = commands.size() / 2;
        final EngineDriver full = run(large(), commands);
        final EngineDriver first = run(large(), commands.subList(0, split));

        final Engine restored = EngineSnapshot.restore(large(), EngineSnapshot.capture(first.engine),
            InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(first.engine.digest());
        assertThat(EngineState.of(restored)).isEqualTo(first.state());

        final EngineDriver resumed = EngineDriver.resume(restored, first);
        for (final Consumer<Command> command : commands.subList(split, commands.size()))
        {
            resumed.advanceMillis(700);
            resumed.apply(command);
        }
        assertThat(resumed.engine.digest()).isEqualTo(full.engine.digest());
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void theSnapshotOfTheSameStateHasTheSameSizeUnderAnyBounds(final long seed)
    {
        final List<Consumer<Command>> commands = stream(seed);
        final byte[] tight = EngineSnapshot.capture(run(tight(), commands).engine);
        final byte[] large = EngineSnapshot.capture(run(large(), commands).engine);
        assertThat(large).hasSameSizeAs(tight);
    }

    @Test
    void theSnapshotGrowsWithTheSkusDefinedAndLittleForEachOfThem()
    {
        final long none = skusSnapshotBytes(0);
        final long hundred = skusSnapshotBytes(100);
        final long thousand = skusSnapshotBytes(1_000);
        assertThat(hundred).isGreaterThan(none);
        assertThat(thousand).isGreaterThan(hundred);
        // The rows the bounds allow a SKU (16 locations x 64 bytes, 48 channels x 32) were what format 3 copied.
        final long perSku = (thousand - hundred) / 900;
        assertThat(perSku).isLessThan((16 * StockTable.RECORD_BYTES + 48 * ChannelTable.RECORD_BYTES) / 8);
    }

    /** A snapshot of 4 locations, 8 channels and {@code skus} SKUs stocked at two locations, under large bounds. */
    private static long skusSnapshotBytes(final int skus)
    {
        final EngineDriver driver = new EngineDriver(large());
        for (final String location : new String[] {"oak", "nj", "tx", "ams"})
        {
            driver.location(location, 1);
        }
        for (int ch = 0; ch < 8; ch++)
        {
            driver.channel("ch-" + ch, "oak", "nj", "tx", "ams");
        }
        for (int s = 0; s < skus; s++)
        {
            driver.sku("sku-" + s);
            driver.receive("sku-" + s, "oak", 10 + s);
            driver.receive("sku-" + s, "tx", 3);
        }
        return EngineSnapshot.capture(driver.engine).length;
    }

    @ParameterizedTest
    @ValueSource(longs = {6, 7})
    void aFormat3SnapshotIsStillRead(final long seed) throws IOException
    {
        final Engine engine = run(large(), stream(seed)).engine;
        final Engine restored = EngineSnapshot.restore(large(), format3(engine), InternedDefinitionCodec.INSTANCE);
        assertThat(restored.digest()).isEqualTo(engine.digest());
    }

    /** What format 3 wrote: whole table regions, every slot the bounds allow for each SKU, seqlock words included. */
    private static byte[] format3(final Engine engine) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(0x54535331);
            out.writeInt(3);
            out.writeLong(engine.lastSequence());
            out.writeLong(engine.lastTimestampMillis());
            out.writeInt(engine.config().maxLocations());
            out.writeInt(engine.config().maxChannels());
            final ByteArrayOutputStream definitions = new ByteArrayOutputStream();
            final int[] count = new int[1];
            try (DataOutputStream defs = new DataOutputStream(definitions))
            {
                engine.definitions(c ->
                {
                    final byte[] encoded = InternedDefinitionCodec.INSTANCE.encode(c);
                    try
                    {
                        defs.writeInt(encoded.length);
                        defs.write(encoded);
                    }
                    catch (final IOException ex)
                    {
                        throw new java.io.UncheckedIOException(ex);
                    }
                    count[0]++;
                });
            }
            out.writeInt(count[0]);
            out.write(definitions.toByteArray());

            final int skus = engine.catalog().skus().count();
            final StockTable stock = engine.ledger().table();
            out.writeInt(skus * engine.config().maxLocations() * StockTable.RECORD_BYTES);
            for (int s = 0; s < skus; s++)
            {
                for (int l = 0; l < engine.config().maxLocations(); l++)
                {
                    final int o = stock.offset(s, l);
                    out.writeLong(Long.reverseBytes(2));
                    for (final long v : new long[] {stock.onHand(o), stock.reserved(o), stock.committed(o),
                        stock.safety(o), stock.version(o), 0, 0})
                    {
                        out.writeLong(Long.reverseBytes(v));
                    }
                }
            }
            final ChannelTable channels = engine.publisher().table();
            out.writeInt(skus * engine.config().maxChannels() * ChannelTable.RECORD_BYTES);
            for (int s = 0; s < skus; s++)
            {
                for (int ch = 0; ch < engine.config().maxChannels(); ch++)
                {
                    final int o = channels.offset(s, ch);
                    for (final long v : new long[] {2, channels.available(o), channels.version(o), channels.pool(o)})
                    {
                        out.writeLong(Long.reverseBytes(v));
                    }
                }
            }
            engine.reservationBook().write(out);
            engine.orderBook().write(out);
            engine.idempotency().write(out);
        }
        return bytes.toByteArray();
    }
}
