package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A channel's access token, obtained from its token endpoint (an OAuth client-credentials or refresh-token grant,
 * or TikTok Shop's refresh call) and cached until a minute before it expires. Concurrent callers share one
 * refresh; a request the channel answers 401 drops the token it used ({@link #invalidate}), so the retry gets a
 * fresh one. A failed refresh yields null (the batch is retried with backoff), never an exception.
 */
final class OAuthToken
{
    /** What a token endpoint granted: the token and the instant (epoch ms) it expires. */
    record Grant(String token, long expiresAtMillis)
    {
    }

    private static final long REFRESH_EARLY_MILLIS = 60_000;

    private final ChannelClient client;
    private final Supplier<HttpRequest> request;
    private final Function<JsonNode, Grant> parse;
    private final Object lock = new Object();
    private String token;
    private long expiresAtMillis;
    private CompletableFuture<String> refreshing;

    /**
     * @param request builds the token request (called for each refresh)
     * @param parse reads a 200 answer into a grant, or null when it holds none
     */
    OAuthToken(final ChannelClient client, final Supplier<HttpRequest> request, final Function<JsonNode, Grant> parse)
    {
        this.client = client;
        this.request = request;
        this.parse = parse;
    }

    /** The standard OAuth answer: {@code access_token} and {@code expires_in} seconds. */
    static Grant standard(final JsonNode root)
    {
        final String accessToken = root.path("access_token").asText(null);
        return accessToken == null ? null :
            new Grant(accessToken, System.currentTimeMillis() + root.path("expires_in").asLong(3600) * 1000);
    }

    /** A valid token, refreshing it (once for all concurrent callers) when missing or about to expire. */
    CompletableFuture<String> get()
    {
        synchronized (lock)
        {
            if (token != null && System.currentTimeMillis() < expiresAtMillis - REFRESH_EARLY_MILLIS)
            {
                return CompletableFuture.completedFuture(token);
            }
            if (refreshing != null)
            {
                return refreshing;
            }
            final CompletableFuture<String> future = client.exchange(request.get()).handle(this::read);
            refreshing = future;
            future.whenComplete((t, f) ->
            {
                synchronized (lock)
                {
                    refreshing = null;
                }
            });
            return future;
        }
    }

    /** Drops the token when it is the one the channel refused. */
    void invalidate(final String rejected)
    {
        synchronized (lock)
        {
            if (rejected.equals(token))
            {
                token = null;
            }
        }
    }

    /**
     * Runs {@code send} with a valid token; a failed refresh retries the whole batch, and a 401 answer to the
     * request (a send returning {@link #UNAUTHORIZED}) drops the token so the retry refreshes it.
     */
    CompletableFuture<Delivery> with(final int size, final Function<String, CompletableFuture<Delivery>> send)
    {
        return get().handle((accessToken, failure) ->
        {
            if (failure != null || accessToken == null)
            {
                return CompletableFuture.completedFuture(
                    Delivery.all(size, Delivery.Status.RETRY, config() + ": token refresh failed"));
            }
            return send.apply(accessToken).thenApply(delivery ->
            {
                if (delivery == UNAUTHORIZED)
                {
                    invalidate(accessToken);
                    return Delivery.all(size, Delivery.Status.RETRY, "http 401 (token refreshed)");
                }
                return delivery;
            });
        }).thenCompose(f -> f);
    }

    private String config()
    {
        return client.config.type().text();
    }

    /** What a send returns when the channel refused its token; {@link #with} turns it into a retry. */
    static final Delivery UNAUTHORIZED = new Delivery(0);

    private String read(final HttpResponse<byte[]> response, final Throwable failure)
    {
        if (failure != null || response.statusCode() != 200)
        {
            return null;
        }
        try
        {
            final Grant grant = parse.apply(ChannelClient.JSON.readTree(response.body()));
            if (grant == null || grant.token() == null || grant.token().isEmpty())
            {
                return null;
            }
            synchronized (lock)
            {
                token = grant.token();
                expiresAtMillis = grant.expiresAtMillis();
            }
            return grant.token();
        }
        catch (final java.io.IOException ex)
        {
            return null;
        }
    }
}
