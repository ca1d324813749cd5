package io.truestock.gateway.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stripe's PaymentIntents endpoint on loopback, as far as a checkout uses it: it checks each request's shape, answers
 * by the shared payment token ({@code spt_ok} succeeds, {@code spt_decline} is a 402 card decline, {@code spt_slow}
 * answers its first call per key only after {@link #SLOW_MILLIS}, {@code spt_hang} every call while
 * {@link #hang(boolean)} is on), and keeps Stripe's idempotency: a repeated Idempotency-Key gets the first result and
 * charges nothing more.
 */
final class FakeStripe implements AutoCloseable
{
    static final String SECRET = "sk_test_truestock";
    static final long SLOW_MILLIS = 1_500;

    /** A call as received. */
    record Call(String method, String path, String authorization, String contentType, String idempotencyKey,
        Map<String, String> form)
    {
    }

    private record Result(int status, String body)
    {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Result> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger charges = new AtomicInteger();
    private final AtomicInteger intents = new AtomicInteger();
    private volatile boolean hang;

    FakeStripe()
    {
        try
        {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String baseUrl()
    {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void hang(final boolean value)
    {
        hang = value;
    }

    synchronized List<Call> calls()
    {
        return new ArrayList<>(calls);
    }

    /** Payments taken: one per idempotency key that succeeded. */
    int charges()
    {
        return charges.get();
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        final Map<String, String> form = parseForm(body);
        final String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        final Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("Content-Type"), key, form);
        synchronized (this)
        {
            calls.add(call);
        }
        final Result result;
        if (!call.method().equals("POST") || !call.path().equals("/v1/payment_intents"))
        {
            result = new Result(404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"no such route\"}}");
        }
        else if (!("Bearer " + SECRET).equals(call.authorization()))
        {
            result = new Result(401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad key\"}}");
        }
        else if (key == null || !"true".equals(form.get("confirm")) || form.get("amount") == null ||
            !form.get("amount").matches("[1-9][0-9]*") || form.get("currency") == null ||
            form.get("shared_payment_granted_token") == null)
        {
            result = new Result(400, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad shape\"}}");
        }
        else
        {
            final boolean first = !byKey.containsKey(key);
            final Result outcome = byKey.computeIfAbsent(key, k -> charge(form));
            final String token = form.get("shared_payment_granted_token");
            if ((token.equals("spt_slow") && first) || (token.equals("spt_hang") && hang))
            {
                sleep();
            }
            result = outcome;
        }
        final byte[] bytes = result.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try
        {
            exchange.sendResponseHeaders(result.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        catch (final IOException ex)
        {
            // The client gave up waiting: that is the timeout under test.
        }
        exchange.close();
    }

    private Result charge(final Map<String, String> form)
    {
        if (form.get("shared_payment_granted_token").equals("spt_decline"))
        {
            return new Result(402, "{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\"," +
                "\"decline_code\":\"insufficient_funds\",\"message\":\"Your card has insufficient funds.\"}}");
        }
        charges.incrementAndGet();
        return new Result(200, "{\"id\":\"pi_" + intents.incrementAndGet() + "\",\"object\":\"payment_intent\"," +
            "\"amount\":" + form.get("amount") + ",\"currency\":\"" + form.get("currency") + "\"," +
            "\"status\":\"succeeded\"}");
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(SLOW_MILLIS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> parseForm(final String body)
    {
        final Map<String, String> form = new HashMap<>();
        for (final String pair : body.split("&"))
        {
            final int eq = pair.indexOf('=');
            if (eq > 0)
            {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close()
    {
        server.stop(0);
        threads.shutdownNow();
    }
}
