package io.truestock.gateway.payment;

/**
 * A handler that moves no money, for demos and tests: it approves the token {@value #SUCCESS} and declines
 * {@value #DECLINE} and every other token. Off unless {@code payments.sandbox: true}.
 */
public final class SandboxPaymentHandler implements PaymentHandler
{
    public static final String ID = "sandbox";
    public static final String SUCCESS = "tok_sandbox_success";
    public static final String DECLINE = "tok_sandbox_decline";

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String psp()
    {
        return "sandbox";
    }

    @Override
    public PaymentResult charge(final PaymentRequest request)
    {
        if (SUCCESS.equals(request.token()))
        {
            return PaymentResult.approved("sandbox_" + request.idempotencyKey());
        }
        if (DECLINE.equals(request.token()))
        {
            return PaymentResult.declined("card_declined", "The sandbox declined the payment.");
        }
        return PaymentResult.declined("invalid_token", "The sandbox accepts only " + SUCCESS + " and " + DECLINE + ".");
    }
}
