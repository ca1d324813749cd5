package io.truestock.engine.reservation;

import io.truestock.engine.ReservationStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once the retained reservations have filled their bound (the arena and the id index grown to it, the pool to the
 * held ones), a reservation held, resolved, retained and its oldest forgotten allocates nothing: the writer's
 * steady state.
 */
class ReservationBookAllocationTest
{
    private static final int MAX_RETAINED = 20_000;

    @Test
    void aFullBookAllocatesNothingPerReservation()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        final ReservationBook book = new ReservationBook(MAX_RETAINED * 16L);
        long sum = cycle(book, 3 * MAX_RETAINED);
        final long id = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(id);
        sum += cycle(book, 50_000);
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(sum).isNotZero();
        assertThat(book.retainedCount()).isEqualTo(MAX_RETAINED);
        // 50 000 reservations: any per-reservation allocation would be at least 800 000 bytes.
        assertThat(allocated).isLessThan(4_096);
    }

    /** Reservations of one to three lines and holds, four held at a time, resolved in turn, then trimmed. */
    private static long cycle(final ReservationBook book, final int reservations)
    {
        long sum = 0;
        for (int i = 0; i < reservations; i++)
        {
            final Reservation r = book.open(i & 3, i);
            for (int k = 0; k <= i % 3; k++)
            {
                r.addLine(k, i);
                r.addHold(k, 1, i);
            }
            book.hold(r);
            final Reservation oldest = book.expiredAt(Long.MAX_VALUE);
            if (book.openCount() > 4)
            {
                book.resolve(oldest, ReservationStatus.of(1 + i % 3));
                book.trimRetained(MAX_RETAINED);
            }
            sum += book.get(r.id - 6) == null ? 0 : book.get(r.id - 6).holdCount;
        }
        return sum;
    }
}
