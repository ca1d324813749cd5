package io.truestock.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineSmokeTest
{
    @Test
    void reserveConfirmShipRoundTrip()
    {
        final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(16).maxLocations(4).maxChannels(4));
        assertThat(d.location("oak", 1).accepted()).isTrue();
        assertThat(d.location("nj", 2).accepted()).isTrue();
        assertThat(d.channel("shop").accepted()).isTrue();
        assertThat(d.sku("shoe").accepted()).isTrue();
        assertThat(d.receive("shoe", "oak", 3).accepted()).isTrue();
        assertThat(d.receive("shoe", "nj", 5).accepted()).isTrue();
        assertThat(d.published("shoe", "shop")).isEqualTo(8);

        final Outcome reserved = d.reserve("shop", 60, "shoe", 6);
        assertThat(reserved.accepted()).isTrue();
        final long id = reserved.reservationId();
        assertThat(d.stock("shoe", "oak").reserved()).isEqualTo(3);
        assertThat(d.stock("shoe", "nj").reserved()).isEqualTo(3);
        assertThat(d.published("shoe", "shop")).isEqualTo(2);

        final Outcome confirmed = d.apply(c -> c.confirm(id, "o-1"));
        assertThat(confirmed.accepted()).as(confirmed.toString()).isTrue();
        // Neither location can ship 6 alone (oak has 3, nj 5), so routing splits: nj ships the most (5), oak 1.
        assertThat(d.stock("shoe", "nj").committed()).isEqualTo(5);
        assertThat(d.stock("shoe", "oak").committed()).isEqualTo(1);
        assertThat(d.stock("shoe", "oak").available()).isEqualTo(2);
        assertThat(d.stock("shoe", "nj").reserved() + d.stock("shoe", "oak").reserved()).isZero();

        final Outcome shipped = d.apply(c -> c.ship("shop", "o-1"));
        assertThat(shipped.accepted()).isTrue();
        assertThat(d.stock("shoe", "nj").onHand() + d.stock("shoe", "oak").onHand()).isEqualTo(2);
        assertThat(d.published("shoe", "shop")).isEqualTo(2);
    }
}
