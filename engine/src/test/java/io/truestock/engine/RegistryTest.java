package io.truestock.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The id index: open addressing over primitive slots, grown as ids are added, read from any thread. */
class RegistryTest
{
    @Test
    void findsEveryIdAddedThroughManyGrowthsAndNoOther()
    {
        final int n = 200_000;
        final Registry registry = new Registry(n);
        for (int i = 0; i < n; i++)
        {
            assertThat(registry.add("sku-" + i)).isEqualTo(i);
        }
        assertThat(registry.count()).isEqualTo(n);
        assertThat(registry.isFull()).isTrue();
        for (int i = 0; i < n; i++)
        {
            assertThat(registry.indexOf("sku-" + i)).isEqualTo(i);
            assertThat(registry.id(i)).isEqualTo("sku-" + i);
        }
        assertThat(registry.indexOf("sku-" + n)).isEqualTo(-1);
        assertThat(registry.indexOf("")).isEqualTo(-1);
        assertThat(registry.indexOf(null)).isEqualTo(-1);
    }

    @Test
    void idsWithTheSameHashAreToldApart()
    {
        // "Aa" and "BB" hash alike, as do their concatenations.
        final Registry registry = new Registry(8, 8);
        final String[] ids = {"AaAa", "AaBB", "BBAa", "BBBB"};
        for (final String id : ids)
        {
            registry.add(id);
        }
        for (int i = 0; i < ids.length; i++)
        {
            assertThat(registry.indexOf(ids[i])).isEqualTo(i);
        }
        assertThat(registry.indexOf("Aa")).isEqualTo(-1);
    }

    @Test
    void aSizeHintChangesNothingButTheFirstTable()
    {
        final Registry hinted = new Registry(50_000, 50_000);
        final Registry plain = new Registry(50_000);
        for (int i = 0; i < 50_000; i++)
        {
            hinted.add("id-" + i);
            plain.add("id-" + i);
        }
        for (int i = 0; i < 50_000; i += 7)
        {
            assertThat(hinted.indexOf("id-" + i)).isEqualTo(plain.indexOf("id-" + i)).isEqualTo(i);
        }
    }

    @Test
    void aReaderOnAnotherThreadSeesAnIdsIndexOrNothingWhileTheWriterAddsAndGrows() throws Exception
    {
        final int n = 100_000;
        final Registry registry = new Registry(n);
        final AtomicReference<String> wrong = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            int checked = 0;
            while (checked < n)
            {
                final int known = registry.count();
                for (int i = checked; i < known; i += 97)
                {
                    final int index = registry.indexOf("sku-" + i);
                    if (index != -1 && index != i)
                    {
                        wrong.set("sku-" + i + " at " + index);
                        return;
                    }
                }
                checked = known == n ? n : checked;
            }
        });
        reader.start();
        for (int i = 0; i < n; i++)
        {
            registry.add("sku-" + i);
        }
        reader.join();
        assertThat(wrong.get()).isNull();
        for (int i = 0; i < n; i += 13)
        {
            assertThat(registry.indexOf("sku-" + i)).isEqualTo(i);
        }
    }
}
