package io.truestock.gateway.payment;

/**
 * How a payment went.
 *
 * @param reference the provider's id of the payment (APPROVED), else null.
 * @param code      the provider's decline or error code (DECLINED, UNKNOWN), else null.
 * @param message   a sentence for the buyer or the operator.
 */
public record PaymentResult(Status status, String reference, String code, String message)
{
    public enum Status
    {
        APPROVED, DECLINED, UNKNOWN
    }

    public static PaymentResult approved(final String reference)
    {
        return new PaymentResult(Status.APPROVED, reference, null, "payment approved");
    }

    public static PaymentResult declined(final String code, final String message)
    {
        return new PaymentResult(Status.DECLINED, null, code, message);
    }

    public static PaymentResult unknown(final String code, final String message)
    {
        return new PaymentResult(Status.UNKNOWN, null, code, message);
    }
}
