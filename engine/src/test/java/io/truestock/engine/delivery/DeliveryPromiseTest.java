package io.truestock.engine.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DeliveryPromise#reset()} returns the holder to its new state, whatever it held. */
class DeliveryPromiseTest
{
    @Test
    void resetForgetsTheLocationAndReasonOfAFailure()
    {
        final DeliveryPromise promise = new DeliveryPromise();
        promise.fail(3, PromiseReason.NO_CARRIER);
        assertThat(promise.reset()).isSameAs(promise);
        assertThat(promise.isPromised()).isFalse();
        assertThat(promise.locationIndex()).isEqualTo(-1);
        assertThat(promise.reason()).isEqualTo(new DeliveryPromise().reason()).isEqualTo(PromiseReason.UNKNOWN_LOCATION);
    }
}
