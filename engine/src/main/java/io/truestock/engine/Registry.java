package io.truestock.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * External string id to dense index, appended to by the writer only and safe to read from any thread: the id is
 * stored in the array before the index table publishes its index.
 * <p>
 * The index is an open-addressing table of primitive slots, {@code hash << 32 | (index + 1)}, probed linearly and
 * kept at most half full: a million SKUs cost one {@code long[]} of 16 MB, not a map entry and a boxed index each
 * (two objects a SKU for a restore to build and every collection to copy), and a lookup compares the string only
 * when the full hash matches. The writer stores a slot with release semantics after the id; a reader loads it with
 * acquire semantics, so a slot it sees names an id it can read. Growing builds a new table and publishes it through
 * a volatile field: a reader still probing the old one finds every id added before the growth.
 */
public final class Registry
{
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int MIN_TABLE = 16;
    /** The most ids a table is sized for before anything is added, unless more are expected. */
    private static final int DEFAULT_EXPECTED = 1 << 10;

    private final String[] ids;
    private volatile long[] slots;
    private volatile int count;

    public Registry(final int capacity)
    {
        this(capacity, 0);
    }

    /**
     * @param expected how many ids are about to be added (a snapshot restore knows): the table is sized for them at
     *                 once instead of growing its way up. At most {@code capacity} is used.
     */
    public Registry(final int capacity, final int expected)
    {
        ids = new String[capacity];
        slots = new long[tableFor(Math.min(capacity, Math.max(DEFAULT_EXPECTED, expected)))];
    }

    /** The smallest power of two at least twice {@code ids}. */
    private static int tableFor(final int ids)
    {
        return Math.max(MIN_TABLE, Integer.highestOneBit(Math.max(1, ids) * 2 - 1) << 1);
    }

    /** Spreads sequential string hashes ("sku-1", "sku-2", ...) over the table. */
    private static int home(final int hash, final int mask)
    {
        final int h = hash * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    public int indexOf(final String id)
    {
        if (id == null)
        {
            return -1;
        }
        final int hash = id.hashCode();
        final long[] table = slots;
        final int mask = table.length - 1;
        for (int i = home(hash, mask); ; i = (i + 1) & mask)
        {
            final long slot = (long)SLOTS.getAcquire(table, i);
            if (slot == 0)
            {
                return -1;
            }
            if ((int)(slot >>> 32) == hash)
            {
                final int index = (int)slot - 1;
                if (id.equals(ids[index]))
                {
                    return index;
                }
            }
        }
    }

    public String id(final int index)
    {
        return ids[index];
    }

    public int count()
    {
        return count;
    }

    public boolean isFull()
    {
        return count == ids.length;
    }

    /** Writer only; the caller checked {@link #isFull()} and that the id is new. */
    public int add(final String id)
    {
        final int index = count;
        ids[index] = id;
        count = index + 1;
        long[] table = slots;
        if ((index + 1) * 2L > table.length)
        {
            table = grow(table);
            slots = table;
        }
        insert(table, id.hashCode(), index, true);
        return index;
    }

    /** A table twice the size with every slot of {@code table}, not yet visible to readers. */
    private static long[] grow(final long[] table)
    {
        final long[] larger = new long[table.length * 2];
        for (final long slot : table)
        {
            if (slot != 0)
            {
                insert(larger, (int)(slot >>> 32), (int)slot - 1, false);
            }
        }
        return larger;
    }

    private static void insert(final long[] table, final int hash, final int index, final boolean release)
    {
        final int mask = table.length - 1;
        int i = home(hash, mask);
        while (table[i] != 0)
        {
            i = (i + 1) & mask;
        }
        final long slot = ((long)hash << 32) | (index + 1L);
        if (release)
        {
            SLOTS.setRelease(table, i, slot);
        }
        else
        {
            table[i] = slot;
        }
    }
}
