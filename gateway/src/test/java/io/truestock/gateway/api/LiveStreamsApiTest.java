package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.stream.MetricsStreamEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.truestock.gateway.api.ApiHarness.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streams the console reads: {@code GET /v1/metrics/stream} (a sample a second, bounded subscribers, closed with
 * its key) and {@code GET /v1/updates} (several channels on one connection), and {@code GET /v1/channels}.
 */
class LiveStreamsApiTest
{
    private static final int SAMPLES_TO_WAIT = 60;

    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @Test
    void theMetricsStreamSamplesTheServersActivity() throws IOException
    {
        api.standardCatalog(1000, "shoe");
        final String agent = api.createKey("agent");
        try (Socket stream = open("/v1/metrics/stream", agent))
        {
            final InputStream in = stream.getInputStream();
            JsonNode sample = nextData(in, "sample");
            assertThat(sample.fieldNames()).toIterable().containsExactly("at", "reservations_per_second",
                "orders_per_second", "commands_per_second", "oversold_events", "ring_occupancy", "ring_size",
                "requests", "latency_us", "version");
            assertThat(sample.path("ring_size").asLong()).isPositive();
            for (int i = 0; i < 5; i++)
            {
                api.reserve("shopify", "shoe", 1);
            }
            api.expect(201, "POST", "/v1/orders", ApiHarness.orderBody("amazon", "A-1", "shoe", 2000));
            // Samples of the intervals that saw the reservations, the oversold order and their requests arrive within
            // a few ticks; a bounded number of samples is read, whatever the machine's speed.
            boolean reservations = false;
            long requests = 0;
            long oversold = 0;
            long p99 = 0;
            for (int i = 0; i < SAMPLES_TO_WAIT && (!reservations || oversold < 1); i++)
            {
                sample = nextData(in, "sample");
                reservations |= sample.path("reservations_per_second").asLong() > 0 &&
                    sample.path("orders_per_second").asLong() >= 0;
                requests += sample.path("requests").asLong();
                oversold = sample.path("oversold_events").asLong();
                p99 = Math.max(p99, sample.path("latency_us").path("p99").asLong());
            }
            assertThat(reservations).as("a sample with reservations").isTrue();
            assertThat(oversold).as("the backordered order line").isEqualTo(1);
            assertThat(requests).as("requests answered in the sampled intervals").isGreaterThanOrEqualTo(6);
            assertThat(p99).isPositive();
        }
    }

    @Test
    void aNewStreamOpensWithTheRecentSamples() throws IOException
    {
        try (Socket first = open("/v1/metrics/stream", ADMIN_TOKEN))
        {
            nextData(first.getInputStream(), "sample");
            nextData(first.getInputStream(), "sample");
        }
        try (Socket second = open("/v1/metrics/stream", ADMIN_TOKEN))
        {
            final JsonNode a = nextData(second.getInputStream(), "sample");
            final JsonNode b = nextData(second.getInputStream(), "sample");
            assertThat(b.path("at").asText()).isGreaterThan(a.path("at").asText());
        }
    }

    @Test
    void streamsAreBoundedAndTheNextOneIsOverloaded() throws IOException
    {
        final List<Socket> streams = new ArrayList<>();
        try
        {
            for (int i = 0; i < MetricsStreamEndpoint.DEFAULT_MAX_SUBSCRIBERS; i++)
            {
                streams.add(open("/v1/metrics/stream", ADMIN_TOKEN));
            }
            final ApiHarness.Reply refused = api.sendAs(ADMIN_TOKEN, "GET", "/v1/metrics/stream", null,
                "Accept", "text/event-stream");
            ApiHarness.assertProblem(refused, 503, "overloaded");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            streams.remove(0).close();
            // The closed stream's place is free once the server has seen the close; a bounded number of attempts.
            Socket again = null;
            for (int attempt = 0; attempt < ApiHarness.POLL_ATTEMPTS && again == null; attempt++)
            {
                again = tryOpen("/v1/metrics/stream", ADMIN_TOKEN);
                if (again == null)
                {
                    ApiHarness.pause(ApiHarness.POLL_PAUSE_MILLIS);
                }
            }
            assertThat(again).as("a stream after one closed").isNotNull();
            streams.add(again);
        }
        finally
        {
            for (final Socket stream : streams)
            {
                stream.close();
            }
        }
    }

    @Test
    void revokingTheKeyClosesItsMetricsStream() throws IOException
    {
        final JsonNode created = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\"}");
        try (Socket stream = open("/v1/metrics/stream", created.path("key").asText()))
        {
            nextData(stream.getInputStream(), "sample");
            api.expect(200, "DELETE", "/v1/api-keys/" + created.path("id").asText(), null);
            String line;
            int lines = 0;
            while ((line = ApiHarness.readLine(stream.getInputStream())) != null)
            {
                lines++;
                assertThat(lines).as("lines after the revocation (at most a few samples in flight)").isLessThan(100);
            }
            assertThat(line).isNull();
        }
    }

    @Test
    void wrongRequestsForTheMetricsStreamAreRefused()
    {
        ApiHarness.assertProblem(api.sendAs(ADMIN_TOKEN, "GET", "/v1/metrics/stream", null), 406, "invalid_request");
        ApiHarness.assertProblem(api.sendAs(null, "GET", "/v1/metrics/stream", null, "Accept", "text/event-stream"),
            401, "unauthorized");
        ApiHarness.assertProblem(api.sendAs(ADMIN_TOKEN, "GET", "/v1/metrics/other", null), 404, "not_found");
        ApiHarness.assertProblem(api.sendAs(ADMIN_TOKEN, "POST", "/v1/metrics/stream", "{}"), 405,
            "invalid_request");
    }

    @Test
    void oneConnectionCarriesTheUpdatesOfSeveralChannels() throws IOException
    {
        api.standardCatalog(10, "shoe", "sock");
        api.defineChannel("ebay");
        try (Socket stream = open("/v1/updates?channels=shopify,amazon&since=0", ADMIN_TOKEN))
        {
            final InputStream in = stream.getInputStream();
            final Map<String, Long> seen = new HashMap<>();
            while (seen.size() < 4)
            {
                final JsonNode update = nextData(in, "stock");
                assertThat(update.path("channel").asText()).isIn("shopify", "amazon");
                seen.put(update.path("sku").asText() + "@" + update.path("channel").asText(),
                    update.path("available").asLong());
            }
            assertThat(seen).containsEntry("shoe@shopify", 10L).containsEntry("shoe@amazon", 10L)
                .containsEntry("sock@shopify", 10L).containsEntry("sock@amazon", 10L);
            api.receive("sock", "oak", 5);
            final Map<String, Long> after = new HashMap<>();
            while (after.size() < 2)
            {
                final JsonNode update = nextData(in, "stock");
                after.put(update.path("sku").asText() + "@" + update.path("channel").asText(),
                    update.path("available").asLong());
            }
            assertThat(after).containsEntry("sock@shopify", 15L).containsEntry("sock@amazon", 15L);
        }
        try (Socket every = open("/v1/updates?since=0", ADMIN_TOKEN))
        {
            final List<String> channels = new ArrayList<>();
            while (channels.size() < 6)
            {
                channels.add(nextData(every.getInputStream(), "stock").path("channel").asText());
            }
            assertThat(channels).contains("shopify", "amazon", "ebay");
        }
    }

    @Test
    void badChannelListsAreRefused()
    {
        api.standardCatalog(1, "shoe");
        ApiHarness.assertProblem(api.sendAs(ADMIN_TOKEN, "GET", "/v1/updates?channels=shopify,shopify", null,
            "Accept", "text/event-stream"), 400, "invalid_request", "channels");
        ApiHarness.assertProblem(api.sendAs(ADMIN_TOKEN, "GET", "/v1/updates?channels=shopify,", null,
            "Accept", "text/event-stream"), 404, "not_found");
        ApiHarness.assertProblem(api.sendAs(ADMIN_TOKEN, "GET", "/v1/updates?channels=a&channels=b", null,
            "Accept", "text/event-stream"), 400, "invalid_request", "channels");
        ApiHarness.assertProblem(api.sendAs(ADMIN_TOKEN, "GET", "/v1/updates/more", null,
            "Accept", "text/event-stream"), 404, "not_found");
    }

    @Test
    void theChannelsAreListedForAnyKey()
    {
        api.standardCatalog(1, "shoe");
        final String agent = api.createKey("agent");
        final JsonNode list = api.expectAs(agent, 200, "GET", "/v1/channels", null);
        assertThat(list.path("items")).hasSize(2);
        assertThat(list.path("items").get(0).path("id").asText()).isEqualTo("shopify");
        assertThat(list.path("items").get(1).path("id").asText()).isEqualTo("amazon");
        assertThat(list.path("items").get(0).path("locations").get(0).asText()).isEqualTo("oak");
        assertThat(list.path("version").asLong()).isPositive();
        ApiHarness.assertProblem(api.sendAs(ADMIN_TOKEN, "POST", "/v1/channels", "{}"), 405, "invalid_request");
    }

    private Socket open(final String path, final String token) throws IOException
    {
        final Socket socket = tryOpen(path, token);
        assertThat(socket).as("stream " + path + " opened").isNotNull();
        return socket;
    }

    /** Opens a stream on a raw socket; null (socket closed) when the server answers other than 200. */
    private Socket tryOpen(final String path, final String token) throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", api.port());
        socket.setSoTimeout(30_000);
        final OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: " +
            "Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final Map<String, String> head = StreamHeads.read(socket.getInputStream());
        if (!head.get(":status").equals("200"))
        {
            socket.close();
            return null;
        }
        assertThat(head.get("content-type")).startsWith("text/event-stream");
        return socket;
    }

    /** The data of the next event of the type named (chunk-size lines and comments skipped). */
    private static JsonNode nextData(final InputStream in, final String type) throws IOException
    {
        String event = null;
        String line;
        while ((line = ApiHarness.readLine(in)) != null)
        {
            if (line.startsWith("event: "))
            {
                event = line.substring("event: ".length());
            }
            else if (line.startsWith("data: ") && type.equals(event))
            {
                return ApiHarness.parse(line.substring("data: ".length()));
            }
        }
        throw new IOException("the stream ended before an event of type " + type);
    }
}
