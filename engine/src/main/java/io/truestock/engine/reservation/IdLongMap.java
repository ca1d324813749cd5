package io.truestock.engine.reservation;

/** Reservation id to a {@code long}; see {@link IdTable}. Writer thread only. */
final class IdLongMap extends IdTable
{
    private final long missing;
    /** Assigned by {@link #allocateValues}, which the table's constructor calls: no initializer here. */
    private long[] values;

    /** A map answering {@code missing} for an id it does not hold. */
    IdLongMap(final long missing)
    {
        this.missing = missing;
    }

    long get(final long id)
    {
        final int slot = slotOf(id);
        return slot < 0 ? missing : values[slot];
    }

    void put(final long id, final long value)
    {
        // Claimed first: a claim may grow the table, and with it replace the value array.
        final int slot = claim(id);
        values[slot] = value;
    }

    /** Removes the id's entry; returns its value, or the missing value if there was none. */
    long remove(final long id)
    {
        final int slot = slotOf(id);
        if (slot < 0)
        {
            return missing;
        }
        final long value = values[slot];
        vacate(slot);
        return value;
    }

    @Override
    Object allocateValues(final int capacity)
    {
        final long[] old = values;
        values = new long[capacity];
        return old;
    }

    @Override
    void transferValue(final Object oldValues, final int oldSlot, final int newSlot)
    {
        values[newSlot] = ((long[])oldValues)[oldSlot];
    }

    @Override
    void moveValue(final int from, final int to)
    {
        values[to] = values[from];
    }

    @Override
    void clearValue(final int slot)
    {
        values[slot] = 0;
    }
}
