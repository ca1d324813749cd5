package io.truestock.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelStreamTest
{
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");

    @TempDir
    Path dir;
    private TruestockServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception
    {
        final ServerConfig config = new ServerConfig().dataDir(dir).httpPort(0).binaryPort(-1).adminToken("secret");
        config.engine().maxSkus(64).maxLocations(4).maxChannels(4);
        server = TruestockServer.start(config);
        send("PUT", "/v1/locations/oak", "{\"name\":\"Oakland\"}");
        send("PUT", "/v1/channels/shopify", "{\"name\":\"Shopify\"}");
        send("PUT", "/v1/skus/shoe", "{\"title\":\"Shoe\"}");
        send("POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":10}");
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private String url(final String path)
    {
        return "http://127.0.0.1:" + server.httpPort() + path;
    }

    private HttpResponse<String> send(final String method, final String path, final String body) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(url(path)))
            .header("Authorization", "Bearer secret")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long version(final String json)
    {
        final Matcher matcher = VERSION.matcher(json);
        assertThat(matcher.find()).as(json).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** Reads SSE events (id and data lines) from a streaming response into a queue. */
    private BlockingQueue<String[]> subscribe(final String lastEventId) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/v1/channels/shopify/updates")))
            .header("Authorization", "Bearer secret").header("Accept", "text/event-stream");
        if (lastEventId != null)
        {
            request.header("Last-Event-ID", lastEventId);
        }
        final HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)))
            {
                String id = null;
                String line;
                while ((line = lines.readLine()) != null)
                {
                    if (line.startsWith("id: "))
                    {
                        id = line.substring(4);
                    }
                    else if (line.startsWith("data: "))
                    {
                        events.add(new String[] {id, line.substring(6)});
                    }
                }
            }
            catch (final Exception ignored)
            {
                // the test closes the stream; reading ends there
            }
        });
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    @Test
    void aSubscriberSeesAReservationsStockChangeWithItsVersionAndResumesAfterReconnecting() throws Exception
    {
        final BlockingQueue<String[]> live = subscribe(null);
        final HttpResponse<String> reserved = send("POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":3}]}");
        assertThat(reserved.statusCode()).isEqualTo(201);
        final long reservedVersion = version(reserved.body());
        final String[] first = live.poll(10, TimeUnit.SECONDS);
        assertThat(first).as("an update arrives").isNotNull();
        assertThat(first[1]).contains("\"sku\":\"shoe\"", "\"available\":7", "\"channel\":\"shopify\"");
        assertThat(version(first[1])).isEqualTo(reservedVersion);
        assertThat(first[0]).isEqualTo(Long.toString(reservedVersion));

        final HttpResponse<String> confirmed = send("POST", "/v1/reservations/r-1/confirm", "{\"order_id\":\"o-1\"}");
        assertThat(confirmed.statusCode()).isEqualTo(200);
        final HttpResponse<String> shipped = send("POST", "/v1/orders/o-1/ship", null);
        assertThat(shipped.statusCode()).isEqualTo(200);
        final HttpResponse<String> received = send("POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":5}");
        final long receivedVersion = version(received.body());
        final String[] second = live.poll(10, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        assertThat(second[1]).contains("\"available\":12");
        assertThat(version(second[1])).isEqualTo(receivedVersion);

        final HttpResponse<String> more = send("POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":1}");
        final long moreVersion = version(more.body());
        final BlockingQueue<String[]> resumed = subscribe(Long.toString(reservedVersion));
        final String[] caughtUp = resumed.poll(10, TimeUnit.SECONDS);
        assertThat(caughtUp).as("the resumed stream catches up").isNotNull();
        assertThat(caughtUp[1]).contains("\"available\":13");
        assertThat(version(caughtUp[1])).isEqualTo(moreVersion);
        assertThat(resumed.poll(300, TimeUnit.MILLISECONDS)).as("conflated: one update per SKU").isNull();
    }

    @Test
    void aPriceChangeReachesSubscribersNextToTheStockWithItsVersion() throws Exception
    {
        final BlockingQueue<String[]> live = subscribe(null);
        final HttpResponse<String> priced = send("PUT", "/v1/skus/shoe/prices",
            "{\"base\":{\"amount\":5000,\"currency\":\"USD\"}," +
                "\"channels\":{\"shopify\":{\"amount\":4500,\"currency\":\"USD\"}}}");
        assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);

        final String[] update = live.poll(10, TimeUnit.SECONDS);
        assertThat(update).as("a price update arrives").isNotNull();
        assertThat(update[1]).contains("\"sku\":\"shoe\"", "\"available\":10",
            "\"price\":{\"amount\":4500,\"currency\":\"USD\"}");
        assertThat(version(update[1])).isEqualTo(version(priced.body()));
    }

    @Test
    void aWebSocketSubscriberResumesFromAVersion() throws Exception
    {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final WebSocket socket = client.newWebSocketBuilder()
            .header("Authorization", "Bearer secret")
            .buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort() + "/v1/channels/shopify/updates?since=0"),
                new WebSocket.Listener()
                {
                    @Override
                    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
                    {
                        messages.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        final String snapshot = messages.poll(10, TimeUnit.SECONDS);
        assertThat(snapshot).isNotNull().contains("\"available\":10");
        send("POST", "/v1/stock/adjust", "{\"sku\":\"shoe\",\"location\":\"oak\",\"delta\":-4}");
        final String live = messages.poll(10, TimeUnit.SECONDS);
        assertThat(live).isNotNull().contains("\"available\":6");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }
}
