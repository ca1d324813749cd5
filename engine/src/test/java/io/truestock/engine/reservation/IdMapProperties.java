package io.truestock.engine.reservation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The id maps the reservation book keeps (held reservations by id, retained records' positions by id) against
 * {@link HashMap}: ids handed out in sequence as the book hands them out, some kept a long time while thousands of
 * later ones come and go (so blocks of ids wrap onto occupied slots and probe), removals in the order ids were
 * made, at random, and of ids never put, through the tables' growth. After every step both maps hold the same
 * entries and answer every lookup alike.
 */
class IdMapProperties
{
    @Test
    void bothMapsAnswerAsAHashMapDoes()
    {
        qt().withExamples(300).withShrinkCycles(100)
            .forAll(longs().all(), integers().between(1, 3_000), integers().between(0, 100))
            .checkAssert(IdMapProperties::runScript);
    }

    @Test
    void manyIdsWithLongLivedOnesAmongThem()
    {
        // Past several doublings, with one id in 50 kept to the end: the kept ones collide with blocks of ids
        // made thousands later and every removal after them shifts entries back.
        runScript(1L, 200_000, 2);
        runScript(2L, 100_000, 50);
    }

    @Test
    void idsArePositive()
    {
        final IdLongMap map = new IdLongMap(-1);
        assertThatThrownBy(() -> map.put(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> map.put(-5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(map.get(0)).isEqualTo(-1);
        assertThat(map.remove(-5)).isEqualTo(-1);
        final IdObjectMap<String> objects = new IdObjectMap<>();
        assertThatThrownBy(() -> objects.put(3, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(objects.size()).isZero();
    }

    /**
     * {@code steps} operations: mostly a new id (the next in sequence) put, or the oldest live id removed (as
     * expiries under one TTL remove them), sometimes a random live one removed or overwritten, a lookup of an id
     * never put, or a jump of the sequence; {@code keepPercent} of new ids are kept out of the oldest-first removals.
     */
    private static void runScript(final long seed, final int steps, final int keepPercent)
    {
        final Random random = new Random(seed);
        final IdLongMap longs = new IdLongMap(-1);
        final IdObjectMap<Long> objects = new IdObjectMap<>();
        final Map<Long, Long> model = new HashMap<>();
        final List<Long> fifo = new ArrayList<>();
        final HashSet<Long> kept = new HashSet<>();
        int fifoHead = 0;
        long next = 1;
        for (int step = 0; step < steps; step++)
        {
            final int op = random.nextInt(100);
            if (op < 55)
            {
                final long id = next++;
                final long value = random.nextLong();
                longs.put(id, value);
                objects.put(id, value);
                model.put(id, value);
                if (random.nextInt(100) < keepPercent)
                {
                    kept.add(id);
                }
                else
                {
                    fifo.add(id);
                }
            }
            else if (op < 85)
            {
                while (fifoHead < fifo.size() && !model.containsKey(fifo.get(fifoHead)))
                {
                    fifoHead++;
                }
                if (fifoHead < fifo.size())
                {
                    remove(longs, objects, model, fifo.get(fifoHead++));
                }
            }
            else if (op < 92 && !model.isEmpty())
            {
                final Long id = pick(random, model);
                if (random.nextBoolean())
                {
                    remove(longs, objects, model, id);
                    kept.remove(id);
                }
                else
                {
                    final long value = random.nextLong();
                    longs.put(id, value);
                    objects.put(id, value);
                    model.put(id, value);
                }
            }
            else if (op < 97)
            {
                final long absent = next + 1 + random.nextInt(1_000_000);
                assertThat(longs.get(absent)).isEqualTo(-1);
                assertThat(objects.get(absent)).isNull();
                assertThat(longs.remove(absent)).isEqualTo(-1);
                assertThat(objects.remove(absent)).isNull();
            }
            else
            {
                next += random.nextInt(5_000);
            }
            if (steps <= 3_000 || step % 5_000 == 0)
            {
                assertSame(longs, objects, model);
            }
        }
        assertSame(longs, objects, model);
    }

    private static Long pick(final Random random, final Map<Long, Long> model)
    {
        final int skip = random.nextInt(model.size());
        int i = 0;
        for (final Long id : model.keySet())
        {
            if (i++ == skip)
            {
                return id;
            }
        }
        throw new AssertionError();
    }

    private static void remove(final IdLongMap longs, final IdObjectMap<Long> objects, final Map<Long, Long> model,
        final long id)
    {
        final Long expected = model.remove(id);
        assertThat(longs.remove(id)).isEqualTo(expected == null ? -1 : expected);
        assertThat(objects.remove(id)).isEqualTo(expected);
    }

    /** Both maps hold exactly the model's entries; checked with plain comparisons, one assertion per call. */
    private static void assertSame(final IdLongMap longs, final IdObjectMap<Long> objects, final Map<Long, Long> model)
    {
        final List<String> wrong = new ArrayList<>();
        if (longs.size() != model.size() || objects.size() != model.size())
        {
            wrong.add("sizes " + longs.size() + " and " + objects.size() + ", not " + model.size());
        }
        final long[] ids = longs.ids();
        if (ids.length != model.size())
        {
            wrong.add(ids.length + " ids listed");
        }
        for (final long id : ids)
        {
            if (!model.containsKey(id))
            {
                wrong.add("id " + id + " listed but not put");
            }
        }
        final List<Long> values = new ArrayList<>();
        objects.forEachValue(values::add);
        final Map<Long, Integer> counts = new HashMap<>();
        for (final Long value : values)
        {
            counts.merge(value, 1, Integer::sum);
        }
        for (final Long value : model.values())
        {
            counts.merge(value, -1, Integer::sum);
        }
        counts.values().removeIf(count -> count == 0);
        if (!counts.isEmpty())
        {
            wrong.add("values listed differ by " + counts);
        }
        for (final Map.Entry<Long, Long> entry : model.entrySet())
        {
            final long id = entry.getKey();
            if (longs.get(id) != entry.getValue() || !entry.getValue().equals(objects.get(id)))
            {
                wrong.add("id " + id + ": " + longs.get(id) + " and " + objects.get(id) + ", not " + entry.getValue());
            }
        }
        assertThat(wrong).isEmpty();
    }
}
