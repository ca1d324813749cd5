package io.truestock.journal.snapshot;

import io.truestock.engine.Command;
import io.truestock.engine.DefinitionCodec;
import io.truestock.journal.JournalCodec;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.JournalException;

import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The snapshot's definitions in the journal's own SBE encoding: a spec in a snapshot is the same record as the
 * DEFINE_* command in the journal, checksum included. Not thread-safe: one per capture or restore.
 */
public final class SbeDefinitionCodec implements DefinitionCodec
{
    private final JournalCodec codec;

    /** A codec for records up to the journal's default bound. */
    public SbeDefinitionCodec()
    {
        this(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * @param maxRecordBytes the journal's bound on a record: every definition the journal took fits in it.
     */
    public SbeDefinitionCodec(final int maxRecordBytes)
    {
        codec = new JournalCodec(maxRecordBytes);
    }

    @Override
    public byte[] encode(final Command definition)
    {
        final int length = codec.encodeCommand(definition);
        return Arrays.copyOf(codec.encodedBytes(), length);
    }

    @Override
    public void write(final Command definition, final DataOutput out)
    {
        final int length = codec.encodeCommand(definition);
        try
        {
            out.writeInt(length);
            out.write(codec.encodedBytes(), 0, length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public Command decode(final byte[] bytes, final Command into)
    {
        return decode(bytes, bytes.length, into);
    }

    @Override
    public Command decode(final byte[] bytes, final int length, final Command into)
    {
        try
        {
            if (codec.wrap(bytes, length) != JournalCodec.COMMAND_TEMPLATE)
            {
                throw new IllegalArgumentException("snapshot definition is not a command record");
            }
            return codec.decodeCommand(into);
        }
        catch (final JournalException ex)
        {
            throw new IllegalArgumentException("snapshot definition is damaged: " + ex.getMessage(), ex);
        }
    }
}
