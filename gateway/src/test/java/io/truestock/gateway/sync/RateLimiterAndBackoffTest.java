package io.truestock.gateway.sync;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import static org.assertj.core.api.Assertions.assertThat;

/** The token bucket, channel pauses, Retry-After parsing and the backoff's bounds, on a clock passed in. */
class RateLimiterAndBackoffTest
{
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void tokenBucketAllowsTheBurstThenTheRate()
    {
        final RateLimiter limiter = new RateLimiter(5, 10, 0);
        for (int i = 0; i < 10; i++)
        {
            assertThat(limiter.tryAcquire(0)).isTrue();
        }
        assertThat(limiter.tryAcquire(0)).isFalse();
        assertThat(limiter.nextAllowedMillis(0)).isEqualTo(200);
        assertThat(limiter.tryAcquire(199)).isFalse();
        assertThat(limiter.tryAcquire(200)).isTrue();
        assertThat(limiter.tryAcquire(10_000)).isTrue();
    }

    @Test
    void aPauseHoldsEveryRequestAndOnlyALaterOneExtendsIt()
    {
        final RateLimiter limiter = new RateLimiter(100, 100, 0);
        limiter.pauseUntil(1_000);
        limiter.pauseUntil(500);
        assertThat(limiter.tryAcquire(999)).isFalse();
        assertThat(limiter.nextAllowedMillis(10)).isEqualTo(1_000);
        assertThat(limiter.tryAcquire(1_000)).isTrue();
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate()
    {
        assertThat(ChannelClient.retryAfterMillis(response(Map.of("Retry-After", List.of("2"))), 0, 7)).isEqualTo(2_000);
        assertThat(ChannelClient.retryAfterMillis(response(Map.of("Retry-After",
            List.of("Wed, 21 Oct 2015 07:28:10 GMT"))), 1_445_412_480_000L, 7)).isEqualTo(10_000);
        assertThat(ChannelClient.retryAfterMillis(response(Map.of("Retry-After", List.of("soon"))), 0, 7)).isEqualTo(7);
        assertThat(ChannelClient.retryAfterMillis(response(Map.of()), 0, 7)).isEqualTo(7);
        final Delivery throttled = ChannelClient.byStatus(3, response(Map.of("Retry-After", List.of("1")), 429), 0);
        assertThat(throttled.pauseMillis()).isEqualTo(1_000);
        assertThat(throttled.status(2)).isEqualTo(Delivery.Status.RETRY);
        assertThat(ChannelClient.byStatus(1, response(Map.of(), 503), 0).status(0)).isEqualTo(Delivery.Status.RETRY);
        assertThat(ChannelClient.byStatus(1, response(Map.of(), 400), 0).status(0)).isEqualTo(Delivery.Status.REJECTED);
        assertThat(ChannelClient.byStatus(1, response(Map.of(), 204), 0)).isNull();
    }

    /**
     * Every attempt from 1 to 80 (past the cap at 30 s and past the 30-bit shift limit), each drawing its jitter
     * many times: the domain is small enough to check whole, and the jitter comes from the connector's own random
     * source, so drawing it again is what samples it.
     */
    @Test
    void backoffGrowsExponentiallyWithJitterWithinItsCap()
    {
        final ConnectorConfig config = new ConnectorConfig("w", ConnectorConfig.Type.WEBHOOK)
            .baseUrl(URI.create("http://127.0.0.1:1/")).secret("secret", Secret.of("s")).retry(10, 100, 30_000)
            .conclude();
        final Connector connector = new Connector(config, ChannelClient.create(config, CLIENT), 4, 0,
            () -> { }, letter -> { });
        for (int attempt = 1; attempt <= 80; attempt++)
        {
            final long capped = Math.min(30_000, 100L << Math.min(attempt - 1, 30));
            for (int draw = 0; draw < 25; draw++)
            {
                assertThat(connector.backoffMillis(attempt)).as("attempt %d", attempt).isBetween(capped / 2, capped);
            }
        }
    }

    private static HttpResponse<byte[]> response(final Map<String, List<String>> headers)
    {
        return response(headers, 429);
    }

    private static HttpResponse<byte[]> response(final Map<String, List<String>> headers, final int status)
    {
        return new HttpResponse<>()
        {
            @Override
            public int statusCode()
            {
                return status;
            }

            @Override
            public HttpRequest request()
            {
                return null;
            }

            @Override
            public Optional<HttpResponse<byte[]>> previousResponse()
            {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers()
            {
                return HttpHeaders.of(headers, (k, v) -> true);
            }

            @Override
            public byte[] body()
            {
                return new byte[0];
            }

            @Override
            public Optional<SSLSession> sslSession()
            {
                return Optional.empty();
            }

            @Override
            public URI uri()
            {
                return URI.create("http://127.0.0.1/");
            }

            @Override
            public HttpClient.Version version()
            {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
