package io.truestock.engine.reservation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Reservation#expiresBefore}: by expiry, then by id, never both ways. */
class ReservationExpiryOrderTest
{
    @Test
    void expiryDecidesFirstAndTheSmallerIdBreaksTies()
    {
        final Reservation early = reservation(1, 9);
        final Reservation late = reservation(2, 1);
        assertThat(early.expiresBefore(late)).isTrue();
        assertThat(late.expiresBefore(early)).isFalse();

        final Reservation first = reservation(5, 1);
        final Reservation second = reservation(5, 2);
        assertThat(first.expiresBefore(second)).isTrue();
        assertThat(second.expiresBefore(first)).isFalse();
        assertThat(first.expiresBefore(first)).isFalse();
    }

    private static Reservation reservation(final long expiresAtMillis, final long id)
    {
        final Reservation r = new Reservation();
        r.id = id;
        r.expiresAtMillis = expiresAtMillis;
        return r;
    }
}
