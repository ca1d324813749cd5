package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The wire protocol of one channel type: turns a batch of {@link Update}s into the channel's request and its
 * answer into a {@link Delivery}. Requests are asynchronous on the shared {@link HttpClient}; a client never
 * blocks the connector's scheduler. Error descriptions carry status codes and the channel's error codes, never
 * credentials or request headers.
 */
abstract class ChannelClient
{
    static final ObjectMapper JSON = new ObjectMapper();
    static final long DEFAULT_BACKOFF_PAUSE_MILLIS = 1_000;

    final ConnectorConfig config;
    final HttpClient http;
    /** The effective unit price of a SKU index on this client's channel now, or null; set by {@link ChannelSync}. */
    volatile java.util.function.IntFunction<io.truestock.engine.price.Price> prices = sku -> null;
    /** The SKU's price on this channel without any sale (the channel override, else the base), or null. */
    volatile java.util.function.IntFunction<io.truestock.engine.price.Price> regularPrices = sku -> null;

    /** A price as the decimal text shops take ("59.90"), with the currency's usual number of decimals. */
    static String decimal(final io.truestock.engine.price.Price price)
    {
        int digits = 2;
        try
        {
            final int currencyDigits = java.util.Currency.getInstance(price.currency()).getDefaultFractionDigits();
            digits = currencyDigits < 0 ? 2 : currencyDigits;
        }
        catch (final IllegalArgumentException ex)
        {
            // not an ISO 4217 code this JVM knows: two decimals
        }
        return java.math.BigDecimal.valueOf(price.amountMinor(), digits).toPlainString();
    }

    ChannelClient(final ConnectorConfig config, final HttpClient http)
    {
        this.config = config;
        this.http = http;
    }

    static ChannelClient create(final ConnectorConfig config, final HttpClient http)
    {
        return switch (config.type())
        {
            case SHOPIFY -> new ShopifyClient(config, http);
            case AMAZON -> new AmazonClient(config, http);
            case WOOCOMMERCE -> new WooCommerceClient(config, http);
            case WEBHOOK -> new WebhookClient(config, http);
            case TIKTOK -> new TikTokShopClient(config, http);
            case FLIPKART -> new FlipkartClient(config, http);
            case META -> new MetaCatalogClient(config, http);
            case EBAY -> new EbayClient(config, http);
            case WALMART -> new WalmartClient(config, http);
        };
    }

    /** True when requests carry prices, so that a price change is worth a request; stock only by default. */
    boolean carriesPrices()
    {
        return false;
    }

    /** True when requests carry this SKU's price (Shopify only for SKUs whose variant is mapped). */
    boolean carriesPrice(final String skuId)
    {
        return carriesPrices();
    }

    /**
     * At most how many updates of one request may carry a changed price (APIs where a price change costs a
     * mutation of its own); the batch size by default.
     */
    int maxPriceChanges()
    {
        return config.batchSize();
    }

    /**
     * How many calls beyond one this batch costs the channel (APIs that take a price on an endpoint of its own):
     * the rate limiter charges them, so prices do not push a channel past its limit. None by default.
     */
    int extraCalls(final List<Update> batch)
    {
        return 0;
    }

    /** A fingerprint of where this client sends: a persisted ledger written for another target is ignored. */
    long target()
    {
        final String target = config.type().text() + '|' + config.baseUrl() + '|' + config.locationId() + '|'
            + config.sellerId() + '|' + config.marketplaceId();
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < target.length(); i++)
        {
            h = (h ^ target.charAt(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** The channel's item id for an engine SKU, or null when the SKU is not synced to this channel. */
    abstract String itemId(String skuId);

    /** Sends one batch (at most the configured batch size); the future never completes exceptionally. */
    abstract CompletableFuture<Delivery> send(List<Update> batch);

    /** The earliest instant the channel's own signals (a cost bucket) allow the next request; now by default. */
    long readyAtMillis(final long nowMillis)
    {
        return nowMillis;
    }

    HttpRequest.Builder request(final URI uri)
    {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(config.timeoutMillis()))
            .header("User-Agent", "truestock-sync/1.0 (Language=Java)");
    }

    static HttpRequest.BodyPublisher body(final byte[] bytes)
    {
        return HttpRequest.BodyPublishers.ofByteArray(bytes);
    }

    static byte[] json(final Object value)
    {
        try
        {
            return JSON.writeValueAsBytes(value);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    CompletableFuture<HttpResponse<byte[]>> exchange(final HttpRequest request)
    {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A failed exchange (timeout, refused connection) as a retryable delivery of the whole batch. */
    static Delivery transportFailure(final int size, final Throwable failure)
    {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        final String error;
        if (cause instanceof HttpTimeoutException)
        {
            error = "timeout";
        }
        else if (cause instanceof ConnectException)
        {
            error = "connection refused";
        }
        else if (cause instanceof IOException)
        {
            error = "i/o error: " + cause.getClass().getSimpleName();
        }
        else
        {
            error = "client error: " + cause.getClass().getSimpleName();
        }
        return Delivery.all(size, Delivery.Status.RETRY, error);
    }

    /**
     * The common HTTP status rules: 2xx is the client's to interpret (null here); 429 and 408 retry after the
     * channel's Retry-After (or a default pause); 5xx retries; any other 4xx is a rejection of the batch.
     */
    static Delivery byStatus(final int size, final HttpResponse<byte[]> response, final long nowMillis)
    {
        final int status = response.statusCode();
        if (status >= 200 && status < 300)
        {
            return null;
        }
        if (status == 429 || status == 408)
        {
            return Delivery.all(size, Delivery.Status.RETRY, "http " + status)
                .pauseMillis(retryAfterMillis(response, nowMillis, DEFAULT_BACKOFF_PAUSE_MILLIS));
        }
        if (status >= 500)
        {
            final long pause = retryAfterMillis(response, nowMillis, 0);
            return Delivery.all(size, Delivery.Status.RETRY, "http " + status).pauseMillis(pause);
        }
        return Delivery.all(size, Delivery.Status.REJECTED, "http " + status + ": " + snippet(response.body()));
    }

    /** Retry-After as delta-seconds or an HTTP date; {@code fallback} when absent or unreadable. */
    static long retryAfterMillis(final HttpResponse<?> response, final long nowMillis, final long fallback)
    {
        final String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null)
        {
            return fallback;
        }
        try
        {
            final double seconds = Double.parseDouble(value.strip());
            return seconds < 0 ? fallback : Math.min((long)(seconds * 1000), 3_600_000L);
        }
        catch (final NumberFormatException ex)
        {
            try
            {
                final long at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.max(0, Math.min(at - nowMillis, 3_600_000L));
            }
            catch (final DateTimeParseException ignored)
            {
                return fallback;
            }
        }
    }

    /** A short printable excerpt of a channel's error body (the channel's own words, bounded). */
    static String snippet(final byte[] body)
    {
        if (body == null || body.length == 0)
        {
            return "(empty body)";
        }
        final String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8)
            .replaceAll("[\\r\\n\\t]+", " ");
        return body.length > 200 ? text + "..." : text;
    }
}
