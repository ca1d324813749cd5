package io.truestock.engine.reservation;

/**
 * The keys of an open-addressing map from reservation id to a value, laid out for ids handed out in sequence: ids
 * are placed in blocks of {@value #BLOCK} consecutive ids, each block on consecutive slots (one cache line of keys)
 * at a position hashed from the block's number. A map hashing every id apart puts each new id, and removes each
 * expiring one, on a cache line of its own: at a quarter of a million reservations held or retained that was a
 * cache miss per map per reservation made and per reservation resolved, and the engine's largest cost after the
 * journal (a profile of the HTTP edge under one-second holds: the two Agrona maps this replaces took 0.4 us of a
 * reservation's 2.7 us on the writer). Here consecutive ids share lines, so a run of reservations made, or expiring
 * in the order they were made, touches a new line once every {@value #BLOCK}.
 * <p>
 * Linear probing, at most half full (it doubles past that, never shrinks: the engine bounds what it holds), removal
 * by shifting the entries after the removed one back, so no tombstones. Key 0 marks an empty slot: reservation ids
 * start at 1. Subclasses keep the values in an array parallel to the keys and move them when told.
 * <p>
 * Not thread safe: the writer's thread only.
 */
abstract class IdTable
{
    static final int BLOCK = 8;
    private static final int BLOCK_BITS = 3;
    private static final int MIN_CAPACITY = 64;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private long[] keys = new long[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    /** 64 minus the bits of a block's position: the block number's hash is taken from its top bits. */
    private int blockShift = 64 - (Integer.numberOfTrailingZeros(MIN_CAPACITY) - BLOCK_BITS);
    private int size;

    IdTable()
    {
        allocateValues(MIN_CAPACITY);
    }

    public final int size()
    {
        return size;
    }

    /** The slot an id would be placed in if it were alone. */
    private int home(final long id)
    {
        final int block = (int)(((id >>> BLOCK_BITS) * GOLDEN) >>> blockShift);
        return ((block << BLOCK_BITS) | (int)(id & (BLOCK - 1))) & mask;
    }

    /** The slot holding {@code id}, or -1. */
    final int slotOf(final long id)
    {
        if (id <= 0)
        {
            return -1;
        }
        final int slot = probe(id);
        return keys[slot] == 0 ? -1 : slot;
    }

    /**
     * The slot for {@code id}: the one holding it, or a free one now holding it (its value to be written by the
     * caller; it is that of the previous occupant's, cleared).
     *
     * @throws IllegalArgumentException when the id is not positive.
     */
    final int claim(final long id)
    {
        if (id <= 0)
        {
            throw new IllegalArgumentException("a reservation id is positive, not " + id);
        }
        if (2 * (size + 1) > keys.length)
        {
            grow();
        }
        final int slot = probe(id);
        if (keys[slot] == 0)
        {
            keys[slot] = id;
            size++;
        }
        return slot;
    }

    /** The slot holding {@code id}, or else the empty slot that ends its probe. */
    private int probe(final long id)
    {
        final long[] keys = this.keys;
        int slot = home(id);
        long key;
        while ((key = keys[slot]) != 0 && key != id)
        {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Empties the slot, moving back the entries after it that probing would no longer find. */
    final void vacate(final int removed)
    {
        final long[] keys = this.keys;
        int hole = removed;
        int slot = removed;
        long key;
        while ((key = keys[slot = (slot + 1) & mask]) != 0)
        {
            final int home = home(key);
            // The entry may fill the hole unless its home lies cyclically after the hole, up to its own slot.
            final boolean homeBetween = hole <= slot ? hole < home && home <= slot : hole < home || home <= slot;
            if (!homeBetween)
            {
                keys[hole] = key;
                moveValue(slot, hole);
                hole = slot;
            }
        }
        keys[hole] = 0;
        clearValue(hole);
        size--;
    }

    /** The id in a slot, 0 for an empty one; slots run from 0 below {@link #capacity()}. */
    final long keyAt(final int slot)
    {
        return keys[slot];
    }

    /** Every id held, in no particular order, in a new array. */
    public final long[] ids()
    {
        final long[] ids = new long[size];
        int n = 0;
        for (final long id : keys)
        {
            if (id != 0)
            {
                ids[n++] = id;
            }
        }
        return ids;
    }

    final int capacity()
    {
        return keys.length;
    }

    private void grow()
    {
        final long[] oldKeys = keys;
        final int capacity = oldKeys.length * 2;
        keys = new long[capacity];
        mask = capacity - 1;
        blockShift--;
        size = 0;
        final Object oldValues = allocateValues(capacity);
        for (int slot = 0; slot < oldKeys.length; slot++)
        {
            final long id = oldKeys[slot];
            if (id != 0)
            {
                transferValue(oldValues, slot, claim(id));
            }
        }
    }

    /** Makes the value array for {@code capacity} slots; returns the previous one (null the first time). */
    abstract Object allocateValues(int capacity);

    /** Copies the value at {@code oldSlot} of the previous value array into {@code newSlot} of the current one. */
    abstract void transferValue(Object oldValues, int oldSlot, int newSlot);

    abstract void moveValue(int from, int to);

    abstract void clearValue(int slot);
}
