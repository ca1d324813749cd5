package io.truestock.gateway.checkout;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Set;

import static io.truestock.gateway.ConfigFile.check;
import static io.truestock.gateway.ConfigFile.integer;
import static io.truestock.gateway.ConfigFile.text;

/**
 * Settings of agent checkouts and payments: the {@code agents} and {@code payments} sections of the config file.
 * Every value has a default; {@link #conclude()} checks the bounds once, at start.
 */
public final class CheckoutConfig
{
    private static final Set<String> AGENTS = Set.of("channel", "max_sessions", "session_ttl_seconds",
        "session_retention_seconds", "max_idempotency_records", "idempotency_window_hours", "workers", "queue");
    private static final Set<String> PAYMENTS = Set.of("sandbox", "stripe");
    private static final Set<String> STRIPE = Set.of("base_url", "secret_key_env", "secret_key_file",
        "timeout_millis", "attempts", "api_version");

    private String agentsChannel;
    private int maxSessions = 10_000;
    private int sessionTtlSeconds = 900;
    private int sessionRetentionSeconds = 3_600;
    private int maxIdempotencyRecords = 100_000;
    private long idempotencyWindowMillis = 24L * 3_600_000L;
    private int workers = 16;
    private int queue = 1_024;
    private boolean sandbox;
    private String stripeBaseUrl;
    private String stripeSecretKeyEnv;
    private Path stripeSecretKeyFile;
    private int stripeTimeoutMillis = 10_000;
    private int stripeAttempts = 2;
    private String stripeApiVersion;

    public CheckoutConfig conclude()
    {
        if (maxSessions < 1 || maxSessions > 10_000_000)
        {
            throw new IllegalArgumentException("agents.max_sessions must be 1..10000000: " + maxSessions);
        }
        if (sessionTtlSeconds < 1 || sessionRetentionSeconds < 0)
        {
            throw new IllegalArgumentException("agents.session_ttl_seconds >= 1, session_retention_seconds >= 0");
        }
        if (maxIdempotencyRecords < 1 || idempotencyWindowMillis < 1)
        {
            throw new IllegalArgumentException("agents.max_idempotency_records and idempotency_window_hours >= 1");
        }
        if (workers < 1 || workers > 256 || queue < 1 || queue > 1_000_000)
        {
            throw new IllegalArgumentException("agents.workers must be 1..256 and agents.queue 1..1000000");
        }
        if (stripeBaseUrl != null && (stripeTimeoutMillis < 1 || stripeAttempts < 1 || stripeAttempts > 10))
        {
            throw new IllegalArgumentException("payments.stripe.timeout_millis >= 1 and attempts 1..10");
        }
        if (stripeBaseUrl != null && stripeSecretKeyEnv == null && stripeSecretKeyFile == null)
        {
            throw new IllegalArgumentException("payments.stripe needs secret_key_env or secret_key_file");
        }
        return this;
    }

    /** Reads the {@code agents} and {@code payments} sections; relative files resolve against {@code base}. */
    public void parse(final JsonNode agents, final JsonNode payments, final Path base)
    {
        if (agents != null)
        {
            check(agents, AGENTS, "agents.");
            agentsChannel = agents.has("channel") ? text(agents, "channel") : agentsChannel;
            maxSessions = agents.has("max_sessions") ? integer(agents, "max_sessions") : maxSessions;
            sessionTtlSeconds = agents.has("session_ttl_seconds") ?
                integer(agents, "session_ttl_seconds") : sessionTtlSeconds;
            sessionRetentionSeconds = agents.has("session_retention_seconds") ?
                integer(agents, "session_retention_seconds") : sessionRetentionSeconds;
            maxIdempotencyRecords = agents.has("max_idempotency_records") ?
                integer(agents, "max_idempotency_records") : maxIdempotencyRecords;
            idempotencyWindowMillis = agents.has("idempotency_window_hours") ?
                integer(agents, "idempotency_window_hours") * 3_600_000L : idempotencyWindowMillis;
            workers = agents.has("workers") ? integer(agents, "workers") : workers;
            queue = agents.has("queue") ? integer(agents, "queue") : queue;
        }
        if (payments != null)
        {
            check(payments, PAYMENTS, "payments.");
            if (payments.has("sandbox"))
            {
                if (!payments.get("sandbox").isBoolean())
                {
                    throw new IllegalArgumentException("config: 'payments.sandbox' must be true or false");
                }
                sandbox = payments.get("sandbox").booleanValue();
            }
            final JsonNode stripe = payments.get("stripe");
            if (stripe != null)
            {
                check(stripe, STRIPE, "payments.stripe.");
                stripeBaseUrl = stripe.has("base_url") ? text(stripe, "base_url") : "https://api.stripe.com";
                stripeSecretKeyEnv = stripe.has("secret_key_env") ? text(stripe, "secret_key_env") : null;
                stripeSecretKeyFile = stripe.has("secret_key_file") ?
                    base.resolve(text(stripe, "secret_key_file")) : null;
                stripeTimeoutMillis = stripe.has("timeout_millis") ?
                    integer(stripe, "timeout_millis") : stripeTimeoutMillis;
                stripeAttempts = stripe.has("attempts") ? integer(stripe, "attempts") : stripeAttempts;
                stripeApiVersion = stripe.has("api_version") ? text(stripe, "api_version") : null;
            }
        }
    }

    /** The channel agent and admin keys check out on; null: the first channel defined. */
    public String agentsChannel()
    {
        return agentsChannel;
    }

    public CheckoutConfig agentsChannel(final String value)
    {
        agentsChannel = value;
        return this;
    }

    /** Sessions kept at once (open and retained); at the bound a create is refused until some expire. */
    public int maxSessions()
    {
        return maxSessions;
    }

    public CheckoutConfig maxSessions(final int value)
    {
        maxSessions = value;
        return this;
    }

    /** How long a session (and its reservation) lives after its last create or update. */
    public int sessionTtlSeconds()
    {
        return sessionTtlSeconds;
    }

    public CheckoutConfig sessionTtlSeconds(final int value)
    {
        sessionTtlSeconds = value;
        return this;
    }

    /** How long a completed, canceled or expired session still answers before it is forgotten. */
    public int sessionRetentionSeconds()
    {
        return sessionRetentionSeconds;
    }

    public CheckoutConfig sessionRetentionSeconds(final int value)
    {
        sessionRetentionSeconds = value;
        return this;
    }

    public int maxIdempotencyRecords()
    {
        return maxIdempotencyRecords;
    }

    public CheckoutConfig maxIdempotencyRecords(final int value)
    {
        maxIdempotencyRecords = value;
        return this;
    }

    public long idempotencyWindowMillis()
    {
        return idempotencyWindowMillis;
    }

    /** Threads that run checkout operations (and their payment calls) off the network threads. */
    public int workers()
    {
        return workers;
    }

    public CheckoutConfig workers(final int value)
    {
        workers = value;
        return this;
    }

    /** Operations waiting for a worker; a full queue answers 503. */
    public int queue()
    {
        return queue;
    }

    public CheckoutConfig queue(final int value)
    {
        queue = value;
        return this;
    }

    /** Whether the sandbox payment handler is on. */
    public boolean sandbox()
    {
        return sandbox;
    }

    public CheckoutConfig sandbox(final boolean value)
    {
        sandbox = value;
        return this;
    }

    /** Stripe's API base URL; null: the Stripe handler is off. */
    public String stripeBaseUrl()
    {
        return stripeBaseUrl;
    }

    /**
     * Turns the Stripe handler on.
     *
     * @param secretKeyEnv  the environment variable holding the secret key, or null.
     * @param secretKeyFile a file holding it, or null.
     */
    public CheckoutConfig stripe(final String baseUrl, final String secretKeyEnv, final Path secretKeyFile)
    {
        stripeBaseUrl = baseUrl;
        stripeSecretKeyEnv = secretKeyEnv;
        stripeSecretKeyFile = secretKeyFile;
        return this;
    }

    public String stripeSecretKeyEnv()
    {
        return stripeSecretKeyEnv;
    }

    public Path stripeSecretKeyFile()
    {
        return stripeSecretKeyFile;
    }

    /** How long one call to Stripe may take before its outcome counts as unknown. */
    public int stripeTimeoutMillis()
    {
        return stripeTimeoutMillis;
    }

    public CheckoutConfig stripeTimeoutMillis(final int value)
    {
        stripeTimeoutMillis = value;
        return this;
    }

    /** Calls per payment attempt, all with the same idempotency key, before the outcome is left unknown. */
    public int stripeAttempts()
    {
        return stripeAttempts;
    }

    public CheckoutConfig stripeAttempts(final int value)
    {
        stripeAttempts = value;
        return this;
    }

    /** The {@code Stripe-Version} header to pin, or null for the account's default. */
    public String stripeApiVersion()
    {
        return stripeApiVersion;
    }
}
