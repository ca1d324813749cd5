package io.truestock.engine;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The full state of an engine at one sequence, as bytes: a header (format, sequence, clock, bounds), then one
 * section per part of the engine, each written and read by the part that owns the state: the catalog and price
 * lists as the DEFINE_* commands that recreate them (encoded by a {@link DefinitionCodec}, so specs are stored in
 * the journal's encoding, and restored through the same code as the commands), the stock records, the channel
 * records, the reservations, the orders and the idempotency window. Restoring it and replaying the journal after
 * {@link #sequenceOf(byte[])} gives the same {@link Engine#digest()} as a full replay.
 * <p>
 * {@link #capture} runs on the writer thread (or while the writer is stopped) and touches only the state in use:
 * the rows of the SKUs, locations and channels defined, never the whole tables the bounds size, so the writer
 * pauses for an encoding pass over the catalog, not for I/O. Writing the bytes to disk is the caller's business,
 * off the writer thread. {@link #restore(EngineConfig, InputStream, DefinitionCodec)} reads from a stream, so a
 * snapshot file never needs to be read into memory whole.
 */
public final class EngineSnapshot
{
    private static final int MAGIC = 0x54535331; // "TSS1"
    /**
     * 4: stock and channel records for the SKUs, locations and channels defined, as varints without the seqlock
     * word, so a snapshot grows with the state in use.
     */
    private static final int FORMAT_VERSION = 4;
    /**
     * 3, still read (an upgrade must not lose the snapshot its journal was trimmed behind): the tables' regions
     * byte for byte, every location and channel slot the bounds allow for each SKU defined.
     */
    private static final int WHOLE_REGIONS_VERSION = 3;
    /** Far above any definition a journal record holds: a damaged length never sizes a huge array. */
    private static final int MAX_DEFINITION_BYTES = 1 << 26;
    /** Holds any ordinary definition: one array is reused for all of them, grown only for an unusually long one. */
    private static final int DEFINITION_SCRATCH_BYTES = 1 << 12;

    private EngineSnapshot()
    {
    }

    /**
     * Captures with the engine's own {@link Engine#snapshotCodec()}.
     *
     * @throws IllegalStateException when the engine has no codec.
     */
    public static byte[] capture(final Engine engine)
    {
        final DefinitionCodec codec = engine.snapshotCodec();
        if (codec == null)
        {
            throw new IllegalStateException("the engine has no snapshot codec: set one where it is assembled");
        }
        return capture(engine, codec);
    }

    public static byte[] capture(final Engine engine, final DefinitionCodec codec)
    {
        return captureChunks(engine, codec).toByteArray();
    }

    /**
     * {@link #capture(Engine)} into buffers of at most 1 MiB each, in order, never copied into one array: a
     * snapshot of a million SKUs is hundreds of megabytes, and one array that size is a copy and hundreds of
     * megabytes of fresh heap to fault in. {@code SnapshotStore} writes them as they are.
     *
     * @throws IllegalStateException when the engine has no codec.
     */
    public static ByteBuffer[] captureBuffers(final Engine engine)
    {
        final DefinitionCodec codec = engine.snapshotCodec();
        if (codec == null)
        {
            throw new IllegalStateException("the engine has no snapshot codec: set one where it is assembled");
        }
        return captureChunks(engine, codec).buffers();
    }

    private static ChunkedBytes captureChunks(final Engine engine, final DefinitionCodec codec)
    {
        final ChunkedBytes out = new ChunkedBytes();
        try
        {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(engine.lastSequence());
            out.writeLong(engine.lastTimestampMillis());
            out.writeInt(engine.config().maxLocations());
            out.writeInt(engine.config().maxChannels());

            final long countAt = out.size();
            out.writeInt(0);
            final int[] count = new int[1];
            engine.definitions(command ->
            {
                codec.write(command, out);
                count[0]++;
            });
            out.putInt(countAt, count[0]);
            engine.ledger().write(out);
            engine.publisher().write(out);
            engine.reservationBook().write(out);
            engine.orderBook().write(out);
            engine.idempotency().write(out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out;
    }

    /** The engine sequence a snapshot was captured at. */
    public static long sequenceOf(final byte[] snapshot)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot)))
        {
            readHeader(in);
            return in.readLong();
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("not a Truestock snapshot: " + ex.getMessage(), ex);
        }
    }

    /** @return the format version, one this build reads. */
    private static int readHeader(final DataInputStream in) throws IOException
    {
        final int magic = in.readInt();
        if (magic != MAGIC)
        {
            throw new IllegalArgumentException("not a Truestock snapshot (magic " + Integer.toHexString(magic) + ')');
        }
        final int version = in.readInt();
        if (version != FORMAT_VERSION && version != WHOLE_REGIONS_VERSION)
        {
            throw new IllegalArgumentException("snapshot format version " + version + " is not supported (this build " +
                "reads " + WHOLE_REGIONS_VERSION + " and " + FORMAT_VERSION + ')');
        }
        return version;
    }

    /**
     * Builds an engine from a snapshot.
     *
     * @param codec the codec the snapshot's definitions were captured with; the restored engine keeps it.
     * @throws IllegalArgumentException when the bytes are not a complete snapshot this build can read, or do not
     *                                  fit the configuration's bounds.
     */
    public static Engine restore(final EngineConfig config, final byte[] snapshot, final DefinitionCodec codec)
    {
        return restore(config, new ByteArrayInputStream(snapshot), codec);
    }

    /**
     * Builds an engine from a snapshot read from a stream (buffered by the caller), to its end: a snapshot on disk
     * never needs to be in memory whole.
     *
     * @param codec the codec the snapshot's definitions were captured with; the restored engine keeps it.
     * @throws IllegalArgumentException when the bytes are not a complete snapshot this build can read, or do not
     *                                  fit the configuration's bounds.
     */
    public static Engine restore(final EngineConfig config, final InputStream snapshot, final DefinitionCodec codec)
    {
        Engine engine = null;
        try
        {
            final DataInputStream in = new DataInputStream(snapshot);
            final int version = readHeader(in);
            final long sequence = in.readLong();
            final long timestamp = in.readLong();
            final int maxLocations = in.readInt();
            final int maxChannels = in.readInt();
            if (maxLocations != config.maxLocations() || maxChannels != config.maxChannels())
            {
                throw new IllegalArgumentException("snapshot was taken with maxLocations=" + maxLocations +
                    " and maxChannels=" + maxChannels + "; configure the same bounds to restore it");
            }
            final int definitions = in.readInt();
            if (definitions < 0)
            {
                throw new IOException("implausible count " + definitions);
            }
            // Every SKU is at least one definition: the count bounds the SKUs, so the catalog's index is sized once.
            engine = new Engine(config, Math.min(definitions, config.maxSkus()));
            engine.snapshotCodec(codec);
            final Command command = new Command(1);
            byte[] definition = new byte[DEFINITION_SCRATCH_BYTES];
            engine.restoreDefinitionsStarted();
            try
            {
                for (int i = 0; i < definitions; i++)
                {
                    final int length = in.readInt();
                    if (length < 0 || length > MAX_DEFINITION_BYTES)
                    {
                        throw new IOException("implausible definition of " + length + " bytes");
                    }
                    if (length > definition.length)
                    {
                        definition = new byte[Math.max(length, definition.length * 2)];
                    }
                    in.readFully(definition, 0, length);
                    engine.restoreDefinition(codec.decode(definition, length, command));
                }
            }
            finally
            {
                engine.restoreDefinitionsFinished();
            }
            if (version == WHOLE_REGIONS_VERSION)
            {
                engine.ledger().table().readRegion(in);
                engine.publisher().table().readRegion(in);
            }
            else
            {
                engine.ledger().read(in);
                engine.publisher().read(in);
            }
            engine.reservationBook().read(in);
            engine.orderBook().read(in);
            engine.idempotency().read(in);
            if (in.read() != -1)
            {
                throw new IllegalArgumentException("snapshot has trailing bytes");
            }
            engine.restorePosition(sequence, timestamp);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("snapshot is truncated or corrupt: " + ex, ex);
        }
        engine.restoreFinished();
        return engine;
    }
}
