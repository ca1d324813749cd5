package io.truestock.engine.reservation;

import java.util.function.Consumer;

/** Reservation id to object; see {@link IdTable}. Writer thread only. */
final class IdObjectMap<V> extends IdTable
{
    /** Assigned by {@link #allocateValues}, which the table's constructor calls: no initializer here. */
    private Object[] values;

    V get(final long id)
    {
        final int slot = slotOf(id);
        return slot < 0 ? null : value(slot);
    }

    void put(final long id, final V value)
    {
        if (value == null)
        {
            throw new IllegalArgumentException("null value for id " + id);
        }
        // Claimed first: a claim may grow the table, and with it replace the value array.
        final int slot = claim(id);
        values[slot] = value;
    }

    /** Removes the id's entry; returns its value, or null if there was none. */
    V remove(final long id)
    {
        final int slot = slotOf(id);
        if (slot < 0)
        {
            return null;
        }
        final V value = value(slot);
        vacate(slot);
        return value;
    }

    /** Every value, in no particular order. */
    void forEachValue(final Consumer<? super V> action)
    {
        for (int slot = 0; slot < capacity(); slot++)
        {
            if (keyAt(slot) != 0)
            {
                action.accept(value(slot));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private V value(final int slot)
    {
        return (V)values[slot];
    }

    @Override
    Object allocateValues(final int capacity)
    {
        final Object[] old = values;
        values = new Object[capacity];
        return old;
    }

    @Override
    void transferValue(final Object oldValues, final int oldSlot, final int newSlot)
    {
        values[newSlot] = ((Object[])oldValues)[oldSlot];
    }

    @Override
    void moveValue(final int from, final int to)
    {
        values[to] = values[from];
    }

    @Override
    void clearValue(final int slot)
    {
        values[slot] = null;
    }
}
