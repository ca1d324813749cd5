package io.truestock.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * External string id to dense index, appended to by the writer only and safe to read from any thread:
 * the id is stored in the array before the map publishes its index.
 */
final class Registry
{
    private final ConcurrentHashMap<String, Integer> indexById;
    private final String[] ids;
    private volatile int count;

    Registry(final int capacity)
    {
        ids = new String[capacity];
        indexById = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
    }

    int indexOf(final String id)
    {
        if (id == null)
        {
            return -1;
        }
        final Integer index = indexById.get(id);
        return index == null ? -1 : index;
    }

    String id(final int index)
    {
        return ids[index];
    }

    int count()
    {
        return count;
    }

    boolean isFull()
    {
        return count == ids.length;
    }

    /** Writer only; the caller checked {@link #isFull()} and that the id is new. */
    int add(final String id)
    {
        final int index = count;
        ids[index] = id;
        count = index + 1;
        indexById.put(id, index);
        return index;
    }
}
