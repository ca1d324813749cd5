package io.truestock.gateway.mcp;

import io.truestock.engine.Command;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog word index on a real engine, fed as the output stage feeds it: each applied {@code DEFINE_SKU} with
 * its outcome.
 */
class CatalogIndexTest
{
    private final Engine engine = new Engine(new EngineConfig().maxSkus(4096));
    private final Command command = new Command(8);
    private final Outcome outcome = new Outcome();
    private final Events events = new Events();
    private long sequence;

    @Test
    void wordsAreLowerCaseDistinctAndCut()
    {
        assertThat(CatalogIndex.words("Trail-Shoe, BLACK/m  trail", 64)).containsExactly("trail", "shoe", "black", "m");
        assertThat(CatalogIndex.words("Crème brûlée 2x", 64)).containsExactly("crème", "brûlée", "2x");
        assertThat(CatalogIndex.words("a b c d", 2)).containsExactly("a", "b");
        assertThat(CatalogIndex.words("x".repeat(100), 1).get(0)).hasSize(CatalogIndex.MAX_WORD_LENGTH);
        assertThat(CatalogIndex.words(" -- !! ", 8)).isEmpty();
    }

    @Test
    void findsByPrefixesOfEveryWordInDefinitionOrder()
    {
        final CatalogIndex index = new CatalogIndex(engine);
        define(index, "shoe-1", "Trail Running Shoe");
        define(index, "shoe-2", "Road Running Shoe");
        define(index, "jacket", "Rain Jacket");
        assertThat(ids(index.search("running", 10))).containsExactly("shoe-1", "shoe-2");
        assertThat(ids(index.search("run tra", 10))).containsExactly("shoe-1");
        assertThat(ids(index.search("SHOE-2", 10))).containsExactly("shoe-2");
        assertThat(ids(index.search("jacket rain", 10))).containsExactly("jacket");
        assertThat(ids(index.search("boots", 10))).isEmpty();
        assertThat(ids(index.search("running", 1))).hasSize(1);
        assertThat(index.search("!!", 10)).isEmpty();
    }

    @Test
    void aNewTitleReplacesTheOldWordsAndEmptyWordsAreDropped()
    {
        final CatalogIndex index = new CatalogIndex(engine);
        define(index, "jacket", "Rain Jacket");
        assertThat(index.wordCount()).as("rain, jacket").isEqualTo(2);
        define(index, "jacket", "Storm Parka");
        assertThat(index.search("rain", 10)).isEmpty();
        assertThat(ids(index.search("parka", 10))).containsExactly("jacket");
        assertThat(ids(index.search("jacket", 10))).as("still its id").containsExactly("jacket");
        assertThat(index.wordCount()).as("storm, parka, jacket: rain is gone").isEqualTo(3);
        define(index, "jacket", "Rain Jacket");
        assertThat(ids(index.search("rain", 10))).containsExactly("jacket");
        assertThat(index.search("storm", 10)).isEmpty();
    }

    @Test
    void theCatalogAtStartIsIndexed()
    {
        define(null, "lamp", "Desk Lamp");
        define(null, "bulb", "LED Bulb");
        final CatalogIndex index = new CatalogIndex(engine);
        assertThat(ids(index.search("lamp", 10))).containsExactly("lamp");
        assertThat(ids(index.search("led", 10))).containsExactly("bulb");
    }

    @Test
    void aRefusedDefinitionIsNotIndexed()
    {
        final CatalogIndex index = new CatalogIndex(engine);
        define(index, "lamp", "Desk Lamp");
        command.clear();
        command.defineSku("bad id!", SkuSpec.simple("Ghost Lamp", 100, "USD")).stamp(++sequence, 1_000L);
        engine.apply(command, outcome, events);
        assertThat(outcome.accepted()).isFalse();
        index.onApplied(command, outcome, events);
        assertThat(index.search("ghost", 10)).isEmpty();
    }

    @Test
    void aQueryReturnsAtMostItsLimitOfMatchingSkus()
    {
        final CatalogIndex index = new CatalogIndex(engine);
        for (int i = 0; i < 3000; i++)
        {
            define(index, "sku-" + i, "Common Word " + (i % 2 == 0 ? "even" : "odd"));
        }
        assertThat(index.search("common odd", 50)).hasSize(50);
        assertThat(ids(index.search("common odd", 50))).allMatch(id -> Integer.parseInt(id.substring(4)) % 2 == 1);
    }

    @Test
    void anIndexBuiltInTheBackgroundTakesOverWhatWasDefinedWhileItWasBuilding()
    {
        define(null, "lamp", "Desk Lamp");
        define(null, "jacket", "Rain Jacket");
        final List<Runnable> builder = new ArrayList<>();
        final CatalogIndex index = CatalogIndex.building(engine);
        assertThat(index.ready()).isFalse();
        assertThat(index.search("lamp", 10)).as("nothing is answered before the hand-over").isEmpty();
        define(index, "bulb", "LED Bulb");
        define(index, "jacket", "Storm Parka");
        assertThat(index.wordCount()).as("the output stage only marked them").isZero();

        index.build(builder::add);
        assertThat(builder).hasSize(1);
        builder.get(0).run();
        assertThat(index.ready()).isTrue();
        assertThat(ids(index.search("lamp", 10))).containsExactly("lamp");
        assertThat(ids(index.search("led", 10))).as("defined while building").containsExactly("bulb");
        assertThat(ids(index.search("parka", 10))).as("retitled while building").containsExactly("jacket");
        assertThat(index.search("rain", 10)).isEmpty();

        define(index, "bulb", "Halogen Bulb");
        assertThat(ids(index.search("halogen", 10))).as("kept by the output stage after the hand-over")
            .containsExactly("bulb");
        assertThat(index.search("led", 10)).isEmpty();
    }

    @Test
    void aSearchWhileBuildingIsRefusedWithRetryAfter()
    {
        final CatalogIndex index = CatalogIndex.building(engine);
        assertThat(index.failed()).isFalse();
        final var refusal = index.notReady();
        assertThat(refusal.status().code()).isEqualTo(503);
        assertThat(refusal.code()).isEqualTo("overloaded");
        assertThat(refusal.retryAfterSeconds()).isEqualTo(1);
    }

    private void define(final CatalogIndex index, final String id, final String title)
    {
        command.clear();
        command.defineSku(id, SkuSpec.simple(title, 100, "USD")).stamp(++sequence, 1_000L);
        engine.apply(command, outcome, events);
        assertThat(outcome.accepted()).as(id).isTrue();
        if (index != null)
        {
            index.onApplied(command, outcome, events);
        }
    }

    private List<String> ids(final int[] skus)
    {
        final List<String> ids = new ArrayList<>();
        for (final int sku : skus)
        {
            ids.add(engine.skuId(sku));
        }
        return ids;
    }
}
