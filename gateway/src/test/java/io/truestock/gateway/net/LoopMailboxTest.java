package io.truestock.gateway.net;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopMailboxTest
{
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop()
    {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private LoopMailbox mailbox() throws Exception
    {
        return loop.submit(() -> LoopMailbox.of(loop)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void isMadeOnTheLoopAndIsOnePerLoop() throws Exception
    {
        assertThatThrownBy(() -> LoopMailbox.of(loop)).isInstanceOf(IllegalStateException.class);
        assertThat(mailbox()).isSameAs(mailbox());
    }

    @Test
    void everyPostedTaskRunsOnceOnTheLoopInOrderFromOneThread() throws Exception
    {
        final LoopMailbox mailbox = mailbox();
        final int tasks = 200_000;
        final List<Integer> ran = new ArrayList<>();
        final AtomicInteger offLoop = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < tasks; i++)
        {
            final int n = i;
            mailbox.post(() ->
            {
                if (!loop.inEventLoop())
                {
                    offLoop.incrementAndGet();
                }
                ran.add(n);
                if (n == tasks - 1)
                {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        loop.submit(() ->
        {
        }).get(5, TimeUnit.SECONDS);
        assertThat(offLoop.get()).isZero();
        assertThat(ran).hasSize(tasks);
        // Past the bound a task becomes an ordinary task of the loop, so order is kept only within the bound's
        // stretches; every task still runs exactly once.
        assertThat(ran.stream().distinct().count()).isEqualTo(tasks);
    }

    @Test
    void answersPostedWhileTheLoopIsBusyShareOneDrain() throws Exception
    {
        final LoopMailbox mailbox = mailbox();
        final CountDownLatch busy = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        loop.execute(() ->
        {
            busy.countDown();
            try
            {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        final long before = mailbox.drains();
        final AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++)
        {
            mailbox.post(ran::incrementAndGet);
        }
        assertThat(mailbox.waiting()).isEqualTo(1000);
        release.countDown();
        loop.submit(() ->
        {
        }).get(5, TimeUnit.SECONDS);
        assertThat(ran.get()).isEqualTo(1000);
        assertThat(mailbox.drains() - before).isEqualTo(1);
    }

    @Test
    void manyProducersLoseNothing() throws Exception
    {
        final LoopMailbox mailbox = mailbox();
        final int producers = 4;
        final int each = 50_000;
        final AtomicInteger ran = new AtomicInteger();
        final Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            threads[p] = new Thread(() ->
            {
                for (int i = 0; i < each; i++)
                {
                    mailbox.post(ran::incrementAndGet);
                }
            });
            threads[p].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        // A marker task after all producers finished: once it ran, every earlier post has run.
        final CountDownLatch done = new CountDownLatch(1);
        mailbox.post(done::countDown);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(producers * each);
        assertThat(mailbox.waiting()).isZero();
    }

    @Test
    void refusesOnceTheLoopShutsDown() throws Exception
    {
        final LoopMailbox mailbox = mailbox();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        assertThatThrownBy(() -> mailbox.post(() ->
        {
        })).isInstanceOf(RejectedExecutionException.class);
    }
}
