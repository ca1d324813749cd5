package io.truestock.engine.delivery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The zones of every service that apply to one (location, destination country), as a postal-prefix trie over
 * {@link PostalChars} codes. Each node holds, resolved at build time, the longest-prefix zone of every service among
 * the prefixes on its path, so a query walks the destination's code as deep as the trie goes and reads one list.
 * This is exact: every zone prefix matching a destination lies on that path, and every prefix on the path is a
 * prefix of the deepest node reached. Entries are in (carrier id, service id) order. Immutable.
 */
final class CountryRoutes
{
    private static final int MAX_POSTAL_SCAN = 64;

    private final byte[] code;
    private final int[] firstChild;
    private final int[] nextSibling;
    private final int[] entryStart;
    private final ServiceRoute[] entryService;
    private final byte[] entryMinTransit;
    private final byte[] entryMaxTransit;

    /** A zone as offered to the build: the service's ordinal in (carrier id, service id) order. */
    record Candidate(int serviceOrdinal, ServiceRoute service, ZoneSpec zone)
    {
    }

    private static final class Node
    {
        final int code;
        final TreeMap<Integer, Node> children = new TreeMap<>();
        final List<Candidate> own = new ArrayList<>();
        int index;

        Node(final int code)
        {
            this.code = code;
        }
    }

    CountryRoutes(final List<Candidate> candidates, final int serviceCount)
    {
        final Node root = new Node(-1);
        int nodeCount = 1;
        for (final Candidate candidate : candidates)
        {
            Node node = root;
            final String prefix = candidate.zone().postalPrefix();
            for (int i = 0; i < prefix.length(); i++)
            {
                final int c = PostalChars.code(prefix.charAt(i));
                Node child = node.children.get(c);
                if (child == null)
                {
                    child = new Node(c);
                    node.children.put(c, child);
                    nodeCount++;
                }
                node = child;
            }
            node.own.add(candidate);
        }

        code = new byte[nodeCount];
        firstChild = new int[nodeCount];
        nextSibling = new int[nodeCount];
        entryStart = new int[nodeCount + 1];
        Arrays.fill(nextSibling, -1);
        final List<Node> order = new ArrayList<>(nodeCount);
        number(root, order);
        final List<Candidate> entries = new ArrayList<>();
        resolve(root, new Candidate[serviceCount], entries);
        entryService = new ServiceRoute[entries.size()];
        entryMinTransit = new byte[entries.size()];
        entryMaxTransit = new byte[entries.size()];
        for (int i = 0; i < entries.size(); i++)
        {
            entryService[i] = entries.get(i).service();
            entryMinTransit[i] = (byte)entries.get(i).zone().minTransitDays();
            entryMaxTransit[i] = (byte)entries.get(i).zone().maxTransitDays();
        }
        for (final Node node : order)
        {
            code[node.index] = (byte)node.code;
            firstChild[node.index] = node.children.isEmpty() ? -1 : node.children.firstEntry().getValue().index;
            Node previous = null;
            for (final Node child : node.children.values())
            {
                if (previous != null)
                {
                    nextSibling[previous.index] = child.index;
                }
                previous = child;
            }
        }
    }

    private static void number(final Node node, final List<Node> order)
    {
        node.index = order.size();
        order.add(node);
        for (final Node child : node.children.values())
        {
            number(child, order);
        }
    }

    /** Pre-order, so node i's entries are appended before node i + 1's, making entryStart monotonic. */
    private void resolve(final Node node, final Candidate[] inherited, final List<Candidate> entries)
    {
        final Candidate[] best = inherited.clone();
        for (final Candidate candidate : node.own)
        {
            final Candidate current = best[candidate.serviceOrdinal()];
            final boolean sameLength = current != null &&
                current.zone().postalPrefix().length() == candidate.zone().postalPrefix().length();
            // A zone naming the location beats a zone for every location with the same prefix.
            if (current == null || !sameLength || (current.zone().location() == null && candidate.zone().location() != null))
            {
                best[candidate.serviceOrdinal()] = candidate;
            }
        }
        entryStart[node.index] = entries.size();
        for (final Candidate candidate : best)
        {
            if (candidate != null)
            {
                entries.add(candidate);
            }
        }
        entryStart[node.index + 1] = entries.size();
        for (final Node child : node.children.values())
        {
            resolve(child, best, entries);
        }
    }

    /** @return the trie node the destination postal code leads to (0, the root, for an empty or foreign code). */
    int deepestNode(final CharSequence postalCode)
    {
        int node = 0;
        if (postalCode == null)
        {
            return node;
        }
        final int length = Math.min(postalCode.length(), MAX_POSTAL_SCAN);
        for (int i = 0; i < length; i++)
        {
            final int c = PostalChars.code(postalCode.charAt(i));
            if (c == PostalChars.SKIP)
            {
                continue;
            }
            if (c < 0)
            {
                break;
            }
            int child = firstChild[node];
            while (child >= 0 && code[child] != c)
            {
                child = nextSibling[child];
            }
            if (child < 0)
            {
                break;
            }
            node = child;
        }
        return node;
    }

    int entryStart(final int node)
    {
        return entryStart[node];
    }

    int entryEnd(final int node)
    {
        return entryStart[node + 1];
    }

    ServiceRoute service(final int entry)
    {
        return entryService[entry];
    }

    int minTransitDays(final int entry)
    {
        return entryMinTransit[entry];
    }

    int maxTransitDays(final int entry)
    {
        return entryMaxTransit[entry];
    }
}
