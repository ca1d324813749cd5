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
}
