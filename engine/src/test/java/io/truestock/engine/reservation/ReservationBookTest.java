package io.truestock.engine.reservation;

import io.truestock.engine.ReservationStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reservation table alone: resolved reservations are retained (as records) to a bound, then forgotten; their
 * objects are recycled once resolved.
 */
class ReservationBookTest
{
    @Test
    void resolvedReservationsAreRetainedThenForgottenAndTheirObjectsRecycled()
    {
        final ReservationBook book = new ReservationBook();
        final Reservation first = book.open(0, 1_000);
        first.addLine(0, 2);
        book.hold(first);
        final Reservation second = book.open(1, 2_000);
        book.hold(second);

        book.resolve(first, ReservationStatus.RELEASED);
        book.resolve(second, ReservationStatus.EXPIRED);
        assertThat(book.retained()).extracting(r -> r.id).containsExactly(first.id, second.id);
        assertThat(book.get(first.id).lineCount).isEqualTo(1);
        assertThat(book.get(first.id).lineQty[0]).isEqualTo(2);
        assertThat(book.get(first.id)).as("a retained one is read into the book's own object")
            .isNotSameAs(first).isSameAs(book.get(second.id));

        book.trimRetained(1);
        assertThat(book.retained()).extracting(r -> r.id).containsExactly(second.id);
        assertThat(book.get(first.id)).isNull();
        assertThat(book.get(second.id).status).isEqualTo(ReservationStatus.EXPIRED);
        assertThat(book.get(second.id).channel).isEqualTo(1);

        final Reservation next = book.open(1, 3_000);
        assertThat(next).as("the resolved reservation's object, recycled").isSameAs(first);
        assertThat(next.id).isEqualTo(3);
        assertThat(next.lineCount).isZero();
        assertThat(next.status).isEqualTo(ReservationStatus.HELD);
        assertThat(book.open(1, 3_000)).as("then the next one's").isSameAs(second);
        assertThat(book.open(1, 3_000)).isNotSameAs(first).isNotSameAs(second);
    }

    @Test
    void theCountBoundHoldsWhenARecordIsAppendedSoTheArenaFitsExactlyTheRecordsItRetains()
    {
        // Records of one line and one hold take 8 words: 1 024 of them fill 8 192 words exactly. Trimmed only after
        // a batch of resolutions (as a tick does), the arena once held more than that and doubled for good.
        final ReservationBook bounded = new ReservationBook(1 << 20, 1_024);
        final ReservationBook trimmedAfter = new ReservationBook(1 << 20);
        for (final ReservationBook book : new ReservationBook[]{bounded, trimmedAfter})
        {
            for (int i = 0; i < 5_000; i++)
            {
                final Reservation r = book.open(0, i);
                r.addLine(7, 1);
                r.addHold(7, 0, 1);
                book.hold(r);
                book.resolve(r, ReservationStatus.EXPIRED);
            }
            book.trimRetained(1_024);
        }
        assertThat(bounded.retainedCount()).isEqualTo(1_024);
        assertThat(bounded.retainedWords()).isEqualTo(8 * 1_024);
        assertThat(bounded.arenaCapacity()).isEqualTo(8 * 1_024);
        assertThat(trimmedAfter.arenaCapacity()).as("without the bound at append").isEqualTo(8 * 1_024 * 8);
        assertThat(bounded.retained()).extracting(r -> r.id)
            .as("the newest, as trimming after keeps").isEqualTo(trimmedAfter.retained().stream().map(r -> r.id).toList());
        assertThat(bounded.get(3_976)).isNull();
        assertThat(bounded.get(3_977).status).isEqualTo(ReservationStatus.EXPIRED);
    }

    @Test
    void thePoolLetsGoOfWhatABurstLeftButKeepsAnObjectForEveryHeldOne()
    {
        final ReservationBook book = new ReservationBook();
        final Reservation[] burst = new Reservation[5_000];
        for (int i = 0; i < burst.length; i++)
        {
            burst[i] = book.open(0, 1_000);
            book.hold(burst[i]);
        }
        for (int i = 0; i < 3_000; i++)
        {
            book.resolve(burst[i], ReservationStatus.EXPIRED);
        }
        assertThat(book.pooledCount()).isEqualTo(3_000);
        book.trimRetained(Integer.MAX_VALUE);
        assertThat(book.pooledCount()).as("2 000 held: all 3 000 may serve them").isEqualTo(3_000);

        for (int i = 3_000; i < burst.length; i++)
        {
            book.resolve(burst[i], ReservationStatus.EXPIRED);
        }
        book.trimRetained(Integer.MAX_VALUE);
        assertThat(book.pooledCount()).as("none held").isEqualTo(ReservationBook.POOL_SPARE);
        assertThat(book.retainedCount()).isEqualTo(5_000);
        assertThat(burst[4_999].status).as("a let-go object keeps its fields").isEqualTo(ReservationStatus.EXPIRED);
        assertThat(book.open(0, 2_000)).as("still recycled").isSameAs(burst[0]);
    }

    @Test
    void underOneTtlReservationsExpireInOrderWithoutTheHeapThroughGapsGrowthAndCompaction()
    {
        final ReservationBook book = new ReservationBook();
        final java.util.List<Long> expected = new java.util.ArrayList<>();
        long now = 0;
        for (int round = 0; round < 50; round++)
        {
            // 100 holds of one TTL, most released before they expire (gaps in the run), one in ten kept.
            final Reservation[] batch = new Reservation[100];
            for (int i = 0; i < batch.length; i++)
            {
                batch[i] = book.open(0, now + 1_000);
                book.hold(batch[i]);
                now++;
            }
            for (int i = 0; i < batch.length; i++)
            {
                if (i % 10 == 0)
                {
                    expected.add(batch[i].id);
                }
                else
                {
                    book.resolve(batch[i], ReservationStatus.RELEASED);
                }
            }
        }
        assertThat(book.heapSize()).as("every one arrived in expiry order").isZero();
        final Reservation late = book.open(0, 10);
        book.hold(late);
        assertThat(book.heapSize()).as("one out of order").isEqualTo(1);
        expected.add(0, late.id);
        assertThat(book.nextExpiryMillis()).isEqualTo(10);

        final java.util.List<Long> expired = new java.util.ArrayList<>();
        Reservation r;
        while ((r = book.expiredAt(Long.MAX_VALUE)) != null)
        {
            expired.add(r.id);
            book.resolve(r, ReservationStatus.EXPIRED);
        }
        assertThat(expired).isEqualTo(expected);
        assertThat(book.openCount()).isZero();
        assertThat(book.nextExpiryMillis()).isEqualTo(Long.MAX_VALUE);
    }
}
