package io.truestock.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The few field encodings every part's snapshot section shares: counts checked against a bound before anything is
 * allocated for them, and optional text.
 */
public final class SnapshotFields
{
    private SnapshotFields()
    {
    }

    /** Reads a count, refusing a negative one or one over {@code bound}: a damaged file never sizes an array. */
    public static int count(final DataInput in, final int bound) throws IOException
    {
        final int n = in.readInt();
        if (n < 0 || n > bound)
        {
            throw new IOException("implausible count " + n);
        }
        return n;
    }

    public static void writeNullable(final DataOutput out, final String value) throws IOException
    {
        out.writeBoolean(value != null);
        if (value != null)
        {
            out.writeUTF(value);
        }
    }

    public static String readNullable(final DataInput in) throws IOException
    {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
