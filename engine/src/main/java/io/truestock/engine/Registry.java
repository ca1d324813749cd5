package io.truestock.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * External string id to dense index, appended to by the writer only and safe to read from any thread:
 * the id is stored in the array before the map publishes its index.
 */
public final class Registry
{
    private final ConcurrentHashMap<String, Integer> indexById;
    private final String[] ids;
    private volatile int count;

    public Registry(final int capacity)
    {
        ids = new String[capacity];
        indexById = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
    }

    public int indexOf(final String id)
    {
        if (id == null)
        {
            return -1;
        }
        final Integer index = indexById.get(id);
        return index == null ? -1 : index;
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
        indexById.put(id, index);
        return index;
    }
}
