package io.truestock.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_772_618_400_000L * 1_000_000L;

    @Test
    void aFullBucketAdmitsItsBurstThenOneRequestPerInterval()
    {
        final TokenBucket bucket = new TokenBucket(new RateLimit.Rate(4, 3));

        for (int i = 0; i < 3; i++)
        {
            assertThat(bucket.tryAcquire(T0)).as("request %d of the burst", i).isZero();
        }
        assertThat(bucket.tryAcquire(T0)).isEqualTo(SECOND / 4);
        assertThat(bucket.tryAcquire(T0 + SECOND / 8)).isEqualTo(SECOND / 8);
        assertThat(bucket.tryAcquire(T0 + SECOND / 4)).isZero();
        assertThat(bucket.tryAcquire(T0 + SECOND / 4)).isEqualTo(SECOND / 4);
        assertThat(bucket.tryAcquire(T0 + 10 * SECOND)).as("refilled to its burst, not beyond").isZero();
        assertThat(bucket.tryAcquire(T0 + 10 * SECOND)).isZero();
        assertThat(bucket.tryAcquire(T0 + 10 * SECOND)).isZero();
        assertThat(bucket.tryAcquire(T0 + 10 * SECOND)).isPositive();
    }

    @Test
    void aClockThatStepsBackDoesNotEmptyTheBucketForTheSizeOfTheStep()
    {
        final TokenBucket bucket = new TokenBucket(new RateLimit.Rate(1, 2));
        assertThat(bucket.tryAcquire(T0 + 3_600 * SECOND)).isZero();

        final long wait = bucket.tryAcquire(T0);

        assertThat(wait).isBetween(1L, SECOND);
        assertThat(bucket.tryAcquire(T0 + SECOND)).isZero();
    }

    @Test
    void threadsRacingForOneBucketGetExactlyItsBurst() throws Exception
    {
        final TokenBucket bucket = new TokenBucket(new RateLimit.Rate(1, 1_000));
        final AtomicInteger admitted = new AtomicInteger();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 2_000; i++)
                {
                    if (bucket.tryAcquire(T0) == 0)
                    {
                        admitted.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }

        assertThat(admitted.get()).isEqualTo(1_000);
    }
}
