package io.truestock.gateway.payment;

/**
 * One payment to take.
 *
 * @param checkoutId     the checkout session paid for.
 * @param idempotencyKey the same for every retry of one attempt, so a provider takes the money at most once.
 * @param amountMinor    in the currency's minor units, at least 1.
 * @param currency       ISO 4217, lower case.
 * @param token          the delegated payment token the agent gave.
 */
public record PaymentRequest(String checkoutId, String idempotencyKey, long amountMinor, String currency, String token)
{
}
