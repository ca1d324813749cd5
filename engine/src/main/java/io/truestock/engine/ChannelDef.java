package io.truestock.engine;

/**
 * A channel as the writer uses it: its spec, its locations resolved to indices in draw order, and the same
 * locations in routing order (priority, then draw order).
 */
public record ChannelDef(int index, ChannelSpec spec, int[] locations, int[] routingOrder)
{
    public boolean includes(final int location)
    {
        for (final int l : locations)
        {
            if (l == location)
            {
                return true;
            }
        }
        return false;
    }
}
