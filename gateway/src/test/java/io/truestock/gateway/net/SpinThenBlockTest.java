package io.truestock.gateway.net;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpinThenBlockTest
{
    @Test
    void withoutASpinItBlocksAtOnceWhenThereIsNothingToDo() throws Exception
    {
        final SelectStrategy strategy = SpinThenBlock.factory(0).newSelectStrategy();
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(strategy.calculateStrategy(() -> 3, false)).as("ready sockets are handled").isEqualTo(3);
        assertThat(strategy.calculateStrategy(() -> 0, true)).as("tasks run without blocking").isEqualTo(0);
    }

    @Test
    void itPollsWithoutBlockingWhileTheSpinLastsThenBlocks() throws Exception
    {
        final SelectStrategy strategy = SpinThenBlock.factory(20_000).newSelectStrategy();
        final AtomicInteger polls = new AtomicInteger();
        int continues = 0;
        int strategyValue;
        while ((strategyValue = strategy.calculateStrategy(() ->
        {
            polls.incrementAndGet();
            return 0;
        }, false)) == SelectStrategy.CONTINUE)
        {
            continues++;
        }
        assertThat(strategyValue).isEqualTo(SelectStrategy.SELECT);
        assertThat(continues).as("went round the loop while spinning").isGreaterThan(0);
        assertThat(polls.get()).as("every round polled the sockets").isEqualTo(continues + 1);
    }

    @Test
    void workRestartsTheSpin() throws Exception
    {
        final SelectStrategy strategy = SpinThenBlock.factory(1_000_000).newSelectStrategy();
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
        assertThat(strategy.calculateStrategy(() -> 2, false)).isEqualTo(2);
        assertThat(strategy.calculateStrategy(() -> 0, true)).isEqualTo(0);
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);

        final SelectStrategy brief = SpinThenBlock.factory(1).newSelectStrategy();
        assertThat(brief.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
        TimeUnit.MILLISECONDS.sleep(2);
        assertThat(brief.calculateStrategy(() -> 0, false)).as("the spin is over").isEqualTo(SelectStrategy.SELECT);
        assertThat(brief.calculateStrategy(() -> 0, false)).as("a new idle period spins again")
            .isEqualTo(SelectStrategy.CONTINUE);
    }

    @Test
    void aNegativeSpinIsRefused()
    {
        assertThatThrownBy(() -> SpinThenBlock.factory(-1)).isInstanceOf(IllegalArgumentException.class);
        final SelectStrategyFactory factory = SpinThenBlock.factory(5);
        assertThat(factory.newSelectStrategy()).as("one strategy per event loop")
            .isNotSameAs(factory.newSelectStrategy());
    }
}
