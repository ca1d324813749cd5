package io.truestock.gateway.mcp;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.gateway.http.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;

/**
 * A word index of the catalog for {@code search_catalog}: every word of a SKU's title and id (lower case, split at
 * anything that is not a letter or digit) maps to the SKUs that have it, in a sorted map, so a query finds its
 * SKUs without looking at any other.
 * <p>
 * <b>Upkeep.</b> Built from the engine's catalog at start, then kept by the output stage (an {@link EngineListener})
 * from each accepted {@code DEFINE_SKU}, in event order: a new SKU is appended to its words' postings; a new title
 * removes the SKU from the words it lost and appends it to those it gained. One thread writes at a time;
 * readers (I/O threads) see each posting list as an immutable view (array and length) published with a volatile
 * write, so an append costs no copy and a reader never sees a half-made list.
 * <p>
 * <b>Built in the background</b> ({@link #building}): a server with a large catalog (over
 * {@link #BUILD_BEFORE_LISTENING_SKUS} SKUs) does not wait for the index before it serves (about a second of CPU at
 * 1 M SKUs, and the collections of the heap it fills). The builder indexes the SKUs the engine held when the index
 * was made; meanwhile the output stage only marks, in a bit set of {@code maxSkus} bits, the SKUs it is told were
 * defined or retitled. When the builder is done it takes the hand-over lock, indexes the marked SKUs from the
 * engine's current titles and declares the index {@link #ready()}; from then on the output stage indexes as above.
 * Until then {@link #search} answers nothing and callers refuse the search ({@link #notReady()}: 503
 * {@code overloaded} with {@code Retry-After}, the API's code for "retry later", or 500 {@code internal} if the
 * builder failed, which it logs).
 * <p>
 * <b>Queries.</b> A query's words match words that start with them ({@code "sho"} finds {@code shoe}); a SKU matches
 * when every query word matches one of its words. The driving word is the query word whose prefix range holds the
 * fewest postings; only its postings are read, each candidate checked against its current title. At most
 * {@link #MAX_CANDIDATES} candidates are examined and at most {@code limit} returned, in index order (the matching
 * words' order, then the order SKUs were defined), unranked.
 * <p>
 * <b>Bounds.</b> At most {@code maxSkus} SKUs and {@link #MAX_WORDS_PER_SKU} words per SKU, each at most
 * {@link #MAX_WORD_LENGTH} characters (longer ones are cut), so the index holds at most that many postings.
 */
public final class CatalogIndex implements EngineListener
{
    private static final Logger LOG = LoggerFactory.getLogger(CatalogIndex.class);

    public static final int MAX_QUERY_WORDS = 8;
    public static final int MAX_QUERY_LENGTH = 256;
    public static final int MAX_WORD_LENGTH = 32;
    public static final int MAX_WORDS_PER_SKU = 64;
    public static final int MAX_CANDIDATES = 10_000;
    /**
     * Up to this many SKUs the server builds the index before it listens (tens of milliseconds), so a search is
     * never refused on a small catalog.
     */
    public static final int BUILD_BEFORE_LISTENING_SKUS = 50_000;
    /** What a search answers while the index is being built. */
    private static final String STILL_BUILDING =
        "the catalog search index is being built after the start; retry in a moment";

    private final Engine engine;
    private final ConcurrentSkipListMap<String, Postings> words = new ConcurrentSkipListMap<>();
    private final String[][] indexedWords;
    /** Guards the hand-over from the builder to the output stage; null when built at construction. */
    private final Object handOver;
    /** SKUs the output stage saw defined while the builder ran (one bit each), or null. */
    private final long[] pending;
    /** The SKUs the engine held when the index was made: the ones the builder indexes. */
    private final int builtSkus;
    private volatile boolean ready;
    private volatile Throwable failure;

    /** The SKUs having one word: an append-only array (single writer) seen through immutable views. */
    private static final class Postings
    {
        private volatile View view = new View(new int[4], 0);

        View view()
        {
            return view;
        }

        void add(final int sku)
        {
            final View current = view;
            int[] skus = current.skus;
            if (current.size == skus.length)
            {
                skus = Arrays.copyOf(skus, skus.length * 2);
            }
            skus[current.size] = sku;
            view = new View(skus, current.size + 1);
        }

        /** @return whether the list is empty now. */
        boolean remove(final int sku)
        {
            final View current = view;
            final int[] skus = new int[Math.max(4, current.skus.length)];
            int size = 0;
            for (int i = 0; i < current.size; i++)
            {
                if (current.skus[i] != sku)
                {
                    skus[size++] = current.skus[i];
                }
            }
            view = new View(skus, size);
            return size == 0;
        }
    }

    private record View(int[] skus, int size)
    {
    }

    /** Indexes the engine's catalog; construct before the runtime starts, then register as a listener. */
    public CatalogIndex(final Engine engine)
    {
        this(engine, false);
        indexUpTo(builtSkus);
        ready = true;
    }

    private CatalogIndex(final Engine engine, final boolean background)
    {
        this.engine = engine;
        this.indexedWords = new String[engine.config().maxSkus()][];
        this.handOver = background ? new Object() : null;
        this.pending = background ? new long[(engine.config().maxSkus() + 63) >>> 6] : null;
        this.builtSkus = engine.skuCount();
    }

    /**
     * An index to be built in the background by {@link #build(Executor)}, of the SKUs the engine holds now; construct
     * before the runtime starts, then register as a listener (SKUs defined from then on are marked until the
     * builder hands over).
     */
    public static CatalogIndex building(final Engine engine)
    {
        return new CatalogIndex(engine, true);
    }

    /** How many SKUs {@link #build(Executor)} indexes (the rest are marked by the output stage). */
    public int skusToBuild()
    {
        return builtSkus;
    }

    /** Builds the index on {@code builder} (a thread of its own in the server); {@link #ready()} when done. */
    public void build(final Executor builder)
    {
        builder.execute(this::buildAndHandOver);
    }

    /** What a search answers when the index could not be built. */
    private static final String FAILED = "the catalog search index could not be built; see the server's log";

    /**
     * The refusal of a search while the index is not {@link #ready()}, in the API's codes: 503 {@code overloaded}
     * (retry after 1 s) while it is being built, 500 {@code internal} if building it failed.
     */
    public ApiException notReady()
    {
        return failure == null ?
            new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded", STILL_BUILDING, null, 1) :
            new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", FAILED, null);
    }

    /** Whether building the index failed (search is then refused for the life of the server). */
    public boolean failed()
    {
        return failure != null;
    }

    /** Whether every SKU defined so far can be found (always, unless still building in the background). */
    public boolean ready()
    {
        return ready;
    }

    private void buildAndHandOver()
    {
        try
        {
            indexUpTo(builtSkus);
            handOverPending();
        }
        catch (final RuntimeException | Error ex)
        {
            // Search stays refused, saying so (500 internal); everything else is served as before.
            failure = ex;
            LOG.error("the catalog search index could not be built; search_catalog and catalog search are refused", ex);
            throw ex;
        }
    }

    private void handOverPending()
    {
        synchronized (handOver)
        {
            for (int word = 0; word < pending.length; word++)
            {
                for (long bits = pending[word]; bits != 0; bits &= bits - 1)
                {
                    final int sku = (word << 6) + Long.numberOfTrailingZeros(bits);
                    index(sku, engine.skuId(sku), engine.skuSpec(sku).title());
                }
                pending[word] = 0;
            }
            ready = true;
        }
    }

    private void indexUpTo(final int skus)
    {
        for (int sku = 0; sku < skus; sku++)
        {
            index(sku, engine.skuId(sku), engine.skuSpec(sku).title());
        }
    }

    @Override
    public void onApplied(final Command command, final Outcome outcome, final Events events)
    {
        if (command.type() != CommandType.DEFINE_SKU || !outcome.accepted() || command.skuSpec() == null)
        {
            return;
        }
        final int sku = engine.skuIndex(command.sku());
        if (sku < 0 || sku >= indexedWords.length)
        {
            return;
        }
        if (!ready)
        {
            synchronized (handOver)
            {
                if (!ready)
                {
                    // The builder indexes it from the engine when it hands over.
                    pending[sku >>> 6] |= 1L << sku;
                    return;
                }
            }
        }
        index(sku, command.sku(), command.skuSpec().title());
    }

    private void index(final int sku, final String skuId, final String title)
    {
        final String[] now = words(title + ' ' + skuId, MAX_WORDS_PER_SKU).toArray(new String[0]);
        final String[] before = indexedWords[sku];
        if (before != null)
        {
            final Set<String> kept = Set.of(now);
            for (final String word : before)
            {
                if (!kept.contains(word))
                {
                    final Postings postings = words.get(word);
                    if (postings != null && postings.remove(sku))
                    {
                        words.remove(word);
                    }
                }
            }
        }
        final Set<String> had = before == null ? Set.of() : Set.of(before);
        for (final String word : now)
        {
            if (!had.contains(word))
            {
                words.computeIfAbsent(word, w -> new Postings()).add(sku);
            }
        }
        indexedWords[sku] = now;
    }

    /**
     * The distinct words of {@code text}, lower case, at most {@code max}, each cut to {@link #MAX_WORD_LENGTH}.
     */
    public static List<String> words(final String text, final int max)
    {
        final Set<String> words = new LinkedHashSet<>();
        final String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= lower.length() && words.size() < max; i++)
        {
            final boolean wordChar = i < lower.length() && Character.isLetterOrDigit(lower.charAt(i));
            if (wordChar && start < 0)
            {
                start = i;
            }
            else if (!wordChar && start >= 0)
            {
                words.add(lower.substring(start, Math.min(i, start + MAX_WORD_LENGTH)));
                start = -1;
            }
        }
        return new ArrayList<>(words);
    }

    /**
     * The SKUs whose title or id has, for every word of {@code query}, a word starting with it.
     *
     * @return SKU indexes, at most {@code limit}; empty when the query has no word or the index is not
     * {@link #ready()}.
     */
    public int[] search(final String query, final int limit)
    {
        final List<String> terms = words(query, MAX_QUERY_WORDS);
        if (terms.isEmpty() || limit <= 0 || !ready)
        {
            return new int[0];
        }
        NavigableMap<String, Postings> driver = null;
        long driverSize = Long.MAX_VALUE;
        for (final String term : terms)
        {
            final NavigableMap<String, Postings> range = words.subMap(term, true, term + Character.MAX_VALUE, false);
            long size = 0;
            for (final Postings postings : range.values())
            {
                size += postings.view().size;
                if (size >= driverSize)
                {
                    break;
                }
            }
            if (size < driverSize)
            {
                driver = range;
                driverSize = size;
            }
        }
        final int[] found = new int[limit];
        int count = 0;
        int examined = 0;
        final Set<Integer> seen = new HashSet<>();
        for (final Map.Entry<String, Postings> entry : driver.entrySet())
        {
            final View view = entry.getValue().view();
            for (int i = 0; i < view.size; i++)
            {
                final int sku = view.skus[i];
                if (!seen.add(sku))
                {
                    continue;
                }
                if (++examined > MAX_CANDIDATES)
                {
                    return Arrays.copyOf(found, count);
                }
                if (matches(sku, terms))
                {
                    found[count++] = sku;
                    if (count == limit)
                    {
                        return found;
                    }
                }
            }
        }
        return Arrays.copyOf(found, count);
    }

    /** Checks a candidate against its current title: a posting may be older than a title change being indexed. */
    private boolean matches(final int sku, final List<String> terms)
    {
        if (sku >= engine.skuCount())
        {
            return false;
        }
        final List<String> own = words(engine.skuSpec(sku).title() + ' ' + engine.skuId(sku), MAX_WORDS_PER_SKU);
        for (final String term : terms)
        {
            boolean any = false;
            for (final String word : own)
            {
                if (word.startsWith(term))
                {
                    any = true;
                    break;
                }
            }
            if (!any)
            {
                return false;
            }
        }
        return true;
    }

    /** How many distinct words are indexed (for tests and metrics). */
    public int wordCount()
    {
        return words.size();
    }
}
