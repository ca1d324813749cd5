package io.truestock.engine;

import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Generator shapes the property tests share, made only of QuickTheories generators and combinators: every value is
 * built from draws QuickTheories records, so a failing value shrinks and a run replays from its seed.
 */
public final class Gens
{
    /** How many times a unique list draws again for an element whose key it already holds. */
    private static final int UNIQUE_DRAWS_PER_ELEMENT = 10;

    private Gens()
    {
    }

    /** One of the values (null allowed), shrinking towards the first. */
    @SafeVarargs
    public static <T> Gen<T> of(final T... values)
    {
        final List<T> choices = new ArrayList<>(values.length);
        for (final T value : values)
        {
            choices.add(value);
        }
        return Generate.pick(choices);
    }

    /** Array lists of {@code min..max} elements, every size equally likely, shrinking towards shorter. */
    public static <T> Gen<List<T>> lists(final Gen<T> element, final int min, final int max)
    {
        return SourceDSL.lists().of(element).ofType(SourceDSL.lists().<T, List<T>>arrayList()).ofSizeBetween(min, max);
    }

    /**
     * Lists of {@code min..max} elements with no two of the same key: an element whose key is taken is drawn again
     * a few times, so a small domain gives a shorter list rather than a long search.
     */
    public static <T> Gen<List<T>> uniqueLists(
        final Gen<T> element, final Function<T, ?> key, final int min, final int max)
    {
        final Gen<Integer> sizes = Generate.range(min, max);
        return in ->
        {
            final int size = sizes.generate(in);
            final List<T> list = new ArrayList<>(size);
            final Set<Object> keys = new HashSet<>();
            for (int draws = size * UNIQUE_DRAWS_PER_ELEMENT; list.size() < size && draws > 0; draws--)
            {
                final T value = element.generate(in);
                if (keys.add(key.apply(value)))
                {
                    list.add(value);
                }
            }
            return list;
        };
    }

    /** The generator's values, or null in about {@code percentNull} of the draws; shrinks towards null. */
    public static <T> Gen<T> nullable(final Gen<T> gen, final int percentNull)
    {
        return gen.toOptionals(percentNull).map(value -> value.orElse(null));
    }
}
