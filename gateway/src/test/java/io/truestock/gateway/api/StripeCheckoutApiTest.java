package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.truestock.gateway.api.AcpClient.createBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ACP checkouts paid through the Stripe handler against a fake Stripe on loopback: the request's shape, a decline,
 * and timeouts that never charge twice. The secret key comes from a file; the sandbox is off.
 */
class StripeCheckoutApiTest
{
    private final FakeStripe stripe = new FakeStripe();
    private final Path keyFile = secretFile();

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config -> config.checkout()
        .stripe(stripe.baseUrl(), null, keyFile).stripeTimeoutMillis(500).stripeAttempts(2));

    private AcpClient acp;

    private static Path secretFile()
    {
        try
        {
            final Path file = Files.createTempFile("stripe-key", ".txt");
            Files.writeString(file, FakeStripe.SECRET + "\n");
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @BeforeEach
    void catalog()
    {
        AcpCheckoutApiTest.catalog(api, 10);
        acp = new AcpClient(api, api.createKey("agent"));
    }

    @AfterEach
    void stop() throws IOException
    {
        stripe.close();
        Files.deleteIfExists(keyFile);
    }

    @Test
    void aPaymentIntentIsConfirmedWithTheTokenAmountAndCheckoutIdAsKey()
    {
        final JsonNode session = acp.create(createBody("shoe", 2, "US", "94607"));
        final String id = session.path("id").asText();
        final JsonNode handler = session.path("capabilities").path("payment").path("handlers").get(0);
        assertThat(handler.path("psp").asText()).isEqualTo("stripe");
        final JsonNode done = acp.complete(id, "spt_ok").json();
        assertThat(done.path("status").asText()).isEqualTo("completed");

        final List<FakeStripe.Call> calls = stripe.calls();
        assertThat(calls).hasSize(1);
        final FakeStripe.Call call = calls.get(0);
        assertThat(call.path()).isEqualTo("/v1/payment_intents");
        assertThat(call.authorization()).isEqualTo("Bearer " + FakeStripe.SECRET);
        assertThat(call.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(call.idempotencyKey()).isEqualTo(id);
        assertThat(call.form().get("amount")).isEqualTo("10000");
        assertThat(call.form().get("currency")).isEqualTo("usd");
        assertThat(call.form().get("confirm")).isEqualTo("true");
        assertThat(call.form().get("shared_payment_granted_token")).isEqualTo("spt_ok");
        assertThat(stripe.charges()).isEqualTo(1);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(2);
    }

    @Test
    void aDeclineLeavesTheSessionPayableAndTheNextAttemptUsesANewKey()
    {
        final String id = acp.create(createBody("shoe", 1, "US", "94607")).path("id").asText();
        final JsonNode declined = acp.complete(id, "spt_decline").json();
        assertThat(declined.path("status").asText()).isEqualTo("ready_for_payment");
        assertThat(declined.path("messages").get(0).path("code").asText()).isEqualTo("payment_declined");
        assertThat(declined.path("messages").get(0).path("content").asText()).contains("insufficient_funds");
        assertThat(api.available("shoe", "shop")).as("still held").isEqualTo(9);

        assertThat(acp.complete(id, "spt_ok").json().path("status").asText()).isEqualTo("completed");
        final List<FakeStripe.Call> calls = stripe.calls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).idempotencyKey()).as("a declined key is not reused").isNotEqualTo(id);
        assertThat(stripe.charges()).isEqualTo(1);
    }

    @Test
    void aTimeoutIsRetriedWithTheSameKeyAndChargesOnce()
    {
        final String id = acp.create(createBody("shoe", 1, "US", "94607")).path("id").asText();
        final JsonNode done = acp.complete(id, "spt_slow").json();
        assertThat(done.path("status").asText()).isEqualTo("completed");
        final List<FakeStripe.Call> calls = stripe.calls();
        assertThat(calls).hasSize(2);
        assertThat(calls).allSatisfy(call -> assertThat(call.idempotencyKey()).isEqualTo(id));
        assertThat(stripe.charges()).isEqualTo(1);
    }

    @Test
    void anUnknownOutcomeIsAnErrorAndCompletingAgainDoesNotChargeTwice()
    {
        final String id = acp.create(createBody("shoe", 1, "US", "94607")).path("id").asText();
        stripe.hang(true);
        final ApiHarness.Reply unknown = acp.complete(id, "spt_hang");
        assertThat(unknown.status()).isEqualTo(502);
        assertThat(unknown.json().path("type").asText()).isEqualTo("processing_error");
        assertThat(unknown.json().path("code").asText()).isEqualTo("payment_outcome_unknown");
        assertThat(acp.get("/acp/checkout_sessions/" + id).json().path("status").asText())
            .isEqualTo("ready_for_payment");
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isZero();

        stripe.hang(false);
        assertThat(acp.complete(id, "spt_hang").json().path("status").asText()).isEqualTo("completed");
        assertThat(stripe.calls()).allSatisfy(call -> assertThat(call.idempotencyKey()).isEqualTo(id));
        assertThat(stripe.charges()).as("every call carried one key: one charge").isEqualTo(1);
        assertThat(api.stockAt("shoe", "oak").path("committed").asLong()).isEqualTo(1);
    }

    @Test
    void whileAPaymentIsInFlightTheSessionSaysSoAndRefusesOtherChanges() throws Exception
    {
        final String id = acp.create(createBody("shoe", 1, "US", "94607")).path("id").asText();
        stripe.hang(true);
        final String path = "/acp/checkout_sessions/" + id + "/complete";
        final String body = AcpClient.completeBody("spt_hang");
        final java.util.concurrent.CompletableFuture<ApiHarness.Reply> paying =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> acp.post(path, body, "pay-once"));
        ApiHarness.pollUntil(() -> acp.get("/acp/checkout_sessions/" + id),
            reply -> reply.json().path("status").asText().equals("complete_in_progress"), "the payment to start");

        final ApiHarness.Reply again = acp.post(path, body, "pay-once");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("idempotency_in_flight");
        final ApiHarness.Reply update = acp.post("/acp/checkout_sessions/" + id, "{}");
        assertThat(update.status()).isEqualTo(409);
        assertThat(update.json().path("code").asText()).isEqualTo("checkout_in_progress");
        final ApiHarness.Reply cancel = acp.post("/acp/checkout_sessions/" + id + "/cancel", null);
        assertThat(cancel.status()).isEqualTo(405);

        assertThat(paying.get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(502);
        stripe.hang(false);
        final ApiHarness.Reply retried = acp.post(path, body, "pay-once");
        assertThat(retried.replayed()).as("a 5xx is not kept").isFalse();
        assertThat(retried.json().path("status").asText()).isEqualTo("completed");
        assertThat(stripe.charges()).isEqualTo(1);
    }

    @Test
    void theSandboxIsOffUnlessConfigured()
    {
        final String id = acp.create(createBody("shoe", 1, "US", "94607")).path("id").asText();
        final ApiHarness.Reply reply = acp.post("/acp/checkout_sessions/" + id + "/complete",
            "{\"payment_data\":{\"handler_id\":\"sandbox\",\"instrument\":{\"type\":\"card\",\"credential\":" +
            "{\"type\":\"spt\",\"token\":\"tok_sandbox_success\"}}}}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("invalid_payment_handler");
        assertThat(stripe.calls()).isEmpty();
    }
}
