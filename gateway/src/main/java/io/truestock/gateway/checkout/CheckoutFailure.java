package io.truestock.gateway.checkout;

/**
 * A checkout operation that cannot answer with a session: the request is wrong, the session is unknown or over,
 * or the server cannot take it now. Nothing was changed, except where {@link Kind#PAYMENT_UNKNOWN} says otherwise.
 */
public final class CheckoutFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public enum Kind
    {
        /** The request is malformed or names what cannot be bought. */
        INVALID,
        NOT_FOUND,
        FORBIDDEN,
        /** The session is in a state that does not allow the operation (completing, completed, canceled). */
        CONFLICT,
        /** The session expired. */
        EXPIRED,
        /** A bound is reached or the engine is overloaded: retry later. */
        UNAVAILABLE,
        /**
         * The payment provider's answer is unknown; the session stays payable and a retry reuses the payment's
         * idempotency key, so it charges at most once.
         */
        PAYMENT_UNKNOWN,
        /** The payment was taken but the order could not be confirmed: the operator must refund or fix it. */
        INTERNAL
    }

    private final Kind kind;
    private final String code;
    private final String param;

    /**
     * @param code  a stable snake_case code.
     * @param param a JSONPath into the request, or null.
     */
    public CheckoutFailure(final Kind kind, final String code, final String message, final String param)
    {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.param = param;
    }

    public Kind kind()
    {
        return kind;
    }

    public String code()
    {
        return code;
    }

    public String param()
    {
        return param;
    }
}
