package io.truestock.gateway.payment;

/**
 * Takes a payment for a checkout: the seam between the checkout core and a payment service provider.
 * <p>
 * Contract: {@link #charge} may block (it is called on a checkout worker, never on a network thread) but must return
 * within a bounded time. It answers {@link PaymentResult.Status#APPROVED} only when the money is taken,
 * {@link PaymentResult.Status#DECLINED} only when it certainly is not, and {@link PaymentResult.Status#UNKNOWN}
 * otherwise (a timeout, a broken connection, a provider error). Two calls with the same
 * {@link PaymentRequest#idempotencyKey()} take the money at most once.
 */
public interface PaymentHandler
{
    /** The id agents name in {@code payment_data.handler_id}. */
    String id();

    /** The payment service provider, as the protocols write it ({@code stripe}, {@code sandbox}). */
    String psp();

    PaymentResult charge(PaymentRequest request);
}
