package io.truestock.engine.reservation;

import io.truestock.engine.ReservationStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reservation table alone: resolved reservations are retained to a bound, then forgotten and recycled. */
class ReservationBookTest
{
    @Test
    void resolvedReservationsAreRetainedThenForgottenAndRecycled()
    {
        final ReservationBook book = new ReservationBook();
        final Reservation first = book.open(0, 1_000);
        first.addLine(0, 2);
        book.hold(first);
        final Reservation second = book.open(1, 2_000);
        book.hold(second);

        book.resolve(first, ReservationStatus.RELEASED);
        book.resolve(second, ReservationStatus.EXPIRED);
        assertThat(book.retained()).containsExactly(first, second);

        book.trimRetained(1);
        assertThat(book.retained()).containsExactly(second);
        assertThat(book.get(first.id)).isNull();
        assertThat(book.get(second.id)).isSameAs(second);

        final Reservation next = book.open(1, 3_000);
        assertThat(next).as("the forgotten reservation, recycled").isSameAs(first);
        assertThat(next.id).isEqualTo(3);
        assertThat(next.lineCount).isZero();
        assertThat(next.status).isEqualTo(ReservationStatus.HELD);
        assertThat(book.open(1, 3_000)).isNotSameAs(first);
    }
}
