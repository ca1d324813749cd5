package io.truestock.gateway.stream;

/**
 * A bounded max-heap of (version, SKU) keys in two parallel arrays, for choosing a catch-up round's updates in one
 * pass: the root is the largest key kept, replaced whenever a smaller one comes along, then the kept keys are
 * sorted ascending in place. Allocates nothing.
 */
final class CatchUpHeap
{
    private CatchUpHeap()
    {
    }

    /** Whether (version, sku) orders before (otherVersion, otherSku). */
    static boolean before(final long version, final int sku, final long otherVersion, final int otherSku)
    {
        return version < otherVersion || (version == otherVersion && sku < otherSku);
    }

    /** Adds a key to a heap of {@code count} keys with room for one more; returns the new count. */
    static int add(final long[] versions, final int[] skus, final int count, final long version, final int sku)
    {
        int i = count;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(versions[parent], skus[parent], version, sku))
            {
                break;
            }
            versions[i] = versions[parent];
            skus[i] = skus[parent];
            i = parent;
        }
        versions[i] = version;
        skus[i] = sku;
        return count + 1;
    }

    /** Replaces the root (the largest key) with a smaller one. */
    static void replaceTop(final long[] versions, final int[] skus, final int count, final long version, final int sku)
    {
        siftDown(versions, skus, count, 0, version, sku);
    }

    /** Sorts the heap's {@code count} keys ascending, in place (heap sort). */
    static void sort(final long[] versions, final int[] skus, final int count)
    {
        for (int end = count - 1; end > 0; end--)
        {
            final long version = versions[end];
            final int sku = skus[end];
            versions[end] = versions[0];
            skus[end] = skus[0];
            siftDown(versions, skus, end, 0, version, sku);
        }
    }

    private static void siftDown(
        final long[] versions, final int[] skus, final int count, final int from, final long version, final int sku)
    {
        int i = from;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= count)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < count && before(versions[left], skus[left], versions[right], skus[right]) ?
                right : left;
            if (!before(version, sku, versions[child], skus[child]))
            {
                break;
            }
            versions[i] = versions[child];
            skus[i] = skus[child];
            i = child;
        }
        versions[i] = version;
        skus[i] = sku;
    }
}
