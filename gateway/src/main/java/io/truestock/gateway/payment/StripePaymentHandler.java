package io.truestock.gateway.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Stripe: a PaymentIntent created and confirmed in one call ({@code POST /v1/payment_intents} with {@code amount},
 * {@code currency}, {@code confirm=true} and the agent's delegated shared payment token as
 * {@code shared_payment_granted_token}), the request's idempotency key as Stripe's {@code Idempotency-Key}.
 * <p>
 * A call that times out, breaks, or gets 409, 429 or 5xx is repeated with the same idempotency key (Stripe answers
 * a repeat with the first call's result, so the money is taken at most once) up to the configured number of
 * attempts; after that the outcome is {@link PaymentResult.Status#UNKNOWN}. A 402 is a decline; any other 4xx is a
 * refusal that took no money.
 */
public final class StripePaymentHandler implements PaymentHandler
{
    public static final String ID = "stripe";

    private static final Logger LOG = LoggerFactory.getLogger(StripePaymentHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String secretKey;
    private final Duration timeout;
    private final int attempts;
    private final String apiVersion;
    private final HttpClient client;

    /**
     * @param baseUrl       Stripe's API base, {@code https://api.stripe.com} in production.
     * @param secretKey     the account's secret key.
     * @param timeoutMillis the longest one call may take.
     * @param attempts      calls per payment, all with one idempotency key, at least 1.
     * @param apiVersion    the {@code Stripe-Version} to pin, or null.
     */
    public StripePaymentHandler(
        final String baseUrl, final String secretKey, final int timeoutMillis, final int attempts,
        final String apiVersion)
    {
        if (secretKey == null || secretKey.isBlank())
        {
            throw new IllegalArgumentException("payments.stripe: the secret key is empty");
        }
        this.endpoint = URI.create(stripTrailingSlash(baseUrl) + "/v1/payment_intents");
        this.secretKey = secretKey.strip();
        this.timeout = Duration.ofMillis(timeoutMillis);
        this.attempts = attempts;
        this.apiVersion = apiVersion;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** The secret key from an environment variable or, failing that, a file (its content, trimmed). */
    public static String secretKey(final String env, final Path file)
    {
        if (env != null && System.getenv(env) != null && !System.getenv(env).isBlank())
        {
            return System.getenv(env);
        }
        if (file != null)
        {
            try
            {
                return Files.readString(file).strip();
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("payments.stripe: cannot read secret_key_file " + file, ex);
            }
        }
        throw new IllegalArgumentException("payments.stripe: no secret key in " +
            (env == null ? "any environment variable" : "$" + env) + (file == null ? "" : " or " + file));
    }

    private static String stripTrailingSlash(final String url)
    {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String psp()
    {
        return "stripe";
    }

    @Override
    public PaymentResult charge(final PaymentRequest request)
    {
        final String form = "amount=" + request.amountMinor() +
            "&currency=" + encode(request.currency()) +
            "&confirm=true" +
            "&shared_payment_granted_token=" + encode(request.token()) +
            "&metadata%5Bcheckout_session_id%5D=" + encode(request.checkoutId());
        final HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Authorization", "Bearer " + secretKey)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Idempotency-Key", request.idempotencyKey())
            .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        if (apiVersion != null)
        {
            builder.header("Stripe-Version", apiVersion);
        }
        final HttpRequest httpRequest = builder.build();
        PaymentResult last = PaymentResult.unknown("not_attempted", "no call was made");
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            last = call(httpRequest);
            if (last.status() != PaymentResult.Status.UNKNOWN)
            {
                return last;
            }
            LOG.warn("stripe payment for {} (key {}): attempt {} of {} has no outcome: {}", request.checkoutId(),
                request.idempotencyKey(), attempt, attempts, last.message());
        }
        return last;
    }

    private PaymentResult call(final HttpRequest request)
    {
        final HttpResponse<String> response;
        try
        {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException ex)
        {
            return PaymentResult.unknown("network_error", "no answer from Stripe: " + ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return PaymentResult.unknown("interrupted", "interrupted while waiting for Stripe");
        }
        final int status = response.statusCode();
        final JsonNode body = parse(response.body());
        if (status == 200)
        {
            final String intentStatus = body.path("status").asText("");
            return switch (intentStatus)
            {
                case "succeeded", "requires_capture" -> PaymentResult.approved(body.path("id").asText(null));
                case "requires_action", "requires_payment_method" -> PaymentResult.declined(intentStatus,
                    "the payment needs an action this checkout cannot take (" + intentStatus + ")");
                default -> PaymentResult.unknown(intentStatus.isEmpty() ? "unexpected_answer" : intentStatus,
                    "Stripe left the payment " + (intentStatus.isEmpty() ? "in an unknown state" : intentStatus));
            };
        }
        final JsonNode error = body.path("error");
        final String code = error.path("decline_code").asText(error.path("code").asText("http_" + status));
        final String message = error.path("message").asText("Stripe answered " + status);
        if (status == 402)
        {
            return PaymentResult.declined(code, message);
        }
        if (status == 409 || status == 429 || status >= 500)
        {
            return PaymentResult.unknown(code, message);
        }
        return PaymentResult.declined(code, message);
    }

    private static JsonNode parse(final String body)
    {
        try
        {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        }
        catch (final IOException ex)
        {
            return JSON.createObjectNode();
        }
    }

    private static String encode(final String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
