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
        final CountDownLatch release = new CountDownLatch(1);
        occupyLoop(release);
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
        // Not a marker task: past the bound a post becomes an ordinary task of the loop, which a later drain can
        // overtake, so a marker that ran says nothing about the posts before it. Wait for the count instead.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ran.get() < producers * each && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        loop.submit(() ->
        {
        }).get(5, TimeUnit.SECONDS);
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
    /**
     * On a thread that ends batches (the ring's output stage), an answer waits for the batch's end: a task the
     * loop runs after the post finds it not yet run, and the end of the batch lets it run.
     */
    @Test
    void anAnswerPostedInABatchIsDrainedOnlyAfterTheBatchEnds() throws Exception
    {
        anAnswerPostedInABatchIsDrainedOnlyAfterTheBatchEnds(false);
    }

    /** The same in the first batch of a thread told to hold its answers before it ended any. */
    @Test
    void anAnswerPostedInTheFirstBatchOfAHoldingThreadIsDrainedOnlyAfterItEnds() throws Exception
    {
        anAnswerPostedInABatchIsDrainedOnlyAfterTheBatchEnds(true);
    }

    private void anAnswerPostedInABatchIsDrainedOnlyAfterTheBatchEnds(final boolean first) throws Exception
    {
        final LoopMailbox mailbox = mailbox();
        final AtomicInteger ran = new AtomicInteger();
        final CountDownLatch drained = new CountDownLatch(1);
        final AtomicInteger seenByMarker = new AtomicInteger(-1);
        onAnotherThread(() ->
        {
            if (first)
            {
                LoopMailbox.holdAnswersUntilEndOfBatch();
            }
            else
            {
                LoopMailbox.endOfBatch();
            }
            mailbox.post(() ->
            {
                ran.incrementAndGet();
                drained.countDown();
            });
            // Were the drain scheduled at the post, it would run before this marker (the loop runs tasks in order).
            seenByMarker.set(loop.submit(ran::get).get(5, TimeUnit.SECONDS));
            LoopMailbox.endOfBatch();
        });
        assertThat(seenByMarker.get()).isZero();
        assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(1);
    }

    /**
     * An answer posted in a batch is held until the batch ends even when a drain is already on its way (scheduled by
     * the batch before, the loop busy): that drain runs the earlier batch's answer and not this one's, so whatever
     * the output stage does at the end of a batch (the audit trail writes its records) precedes the batch's answers.
     */
    @Test
    void aDrainAlreadyScheduledDoesNotTakeAnAnswerOfABatchThatHasNotEnded() throws Exception
    {
        final LoopMailbox mailbox = mailbox();
        final CountDownLatch release = new CountDownLatch(1);
        final java.util.List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicReference<java.util.List<String>> seenAfterFirstDrain =
            new java.util.concurrent.atomic.AtomicReference<>();
        final CountDownLatch secondDrained = new CountDownLatch(1);
        onAnotherThread(() ->
        {
            LoopMailbox.endOfBatch();
            occupyLoop(release);
            mailbox.post(() -> ran.add("first"));
            LoopMailbox.endOfBatch(); // the first batch ends: its drain is scheduled behind the busy task
            mailbox.post(() ->
            {
                ran.add("second");
                secondDrained.countDown();
            });
            release.countDown();
            // Runs after the first batch's drain (the loop runs tasks in order).
            seenAfterFirstDrain.set(loop.submit(() -> java.util.List.copyOf(ran)).get(5, TimeUnit.SECONDS));
            LoopMailbox.endOfBatch();
        });
        assertThat(seenAfterFirstDrain.get()).containsExactly("first");
        assertThat(secondDrained.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("first", "second");
    }

    /** What a test's other thread (a batching one, as the ring's output stage) does. */
    @FunctionalInterface
    private interface Body
    {
        void run() throws Exception;
    }

    /** Runs {@code body} on a thread of its own, waits for it (10 s at most) and fails the test if it threw. */
    private static void onAnotherThread(final Body body) throws InterruptedException
    {
        final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        thread.start();
        thread.join(10_000);
        assertThat(failure.get()).isNull();
    }

    /** Gives the loop a task that runs until {@code release} opens (at most 30 s); returns once it runs. */
    private void occupyLoop(final CountDownLatch release) throws InterruptedException
    {
        final CountDownLatch busy = new CountDownLatch(1);
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
    }

    /** A thread that never ends batches is answered as before: the drain is scheduled at the post. */
    @Test
    void anAnswerFromAThreadThatEndsNoBatchesIsDrainedAtOnce() throws Exception
    {
        final LoopMailbox mailbox = mailbox();
        final CountDownLatch drained = new CountDownLatch(1);
        final Thread other = new Thread(() -> mailbox.post(drained::countDown));
        other.start();
        other.join(10_000);
        assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Asked for many times in one task (one pass of the loop), a wake-up runs once, after the task. */
    @Test
    void aWakeUpAskedForManyTimesInOnePassRunsOnceAfterIt() throws Exception
    {
        final LoopMailbox mailbox = mailbox();
        final AtomicInteger first = new AtomicInteger();
        final AtomicInteger second = new AtomicInteger();
        final Runnable wakeFirst = first::incrementAndGet;
        final Runnable wakeSecond = second::incrementAndGet;
        final int duringPass = loop.submit(() ->
        {
            assertThat(LoopMailbox.current()).isSameAs(mailbox);
            for (int i = 0; i < 100; i++)
            {
                mailbox.wakeLater(wakeFirst);
            }
            mailbox.wakeLater(wakeSecond);
            return first.get() + second.get();
        }).get(5, TimeUnit.SECONDS);
        loop.submit(() ->
        {
        }).get(5, TimeUnit.SECONDS);
        assertThat(duringPass).isZero();
        assertThat(first.get()).isEqualTo(1);
        assertThat(second.get()).isEqualTo(1);
        // The next pass asks anew and is woken anew.
        loop.submit(() -> mailbox.wakeLater(wakeFirst)).get(5, TimeUnit.SECONDS);
        loop.submit(() ->
        {
        }).get(5, TimeUnit.SECONDS);
        assertThat(first.get()).isEqualTo(2);
        assertThat(LoopMailbox.current()).isNull();
    }
}
