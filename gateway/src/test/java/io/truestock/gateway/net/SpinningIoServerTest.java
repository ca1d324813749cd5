package io.truestock.gateway.net;

import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server with I/O threads that spin before they block ({@code io_spin_micros}): reads, and writes whose
 * answers come back from the writer as tasks handed to the event loop, are answered exactly as with blocking
 * threads, including while the loop is spinning.
 */
class SpinningIoServerTest
{
    @TempDir
    Path dir;

    @Test
    void writesAndReadsAreAnsweredWhileTheIoThreadSpins() throws Exception
    {
        final ServerConfig config = new ServerConfig().dataDir(dir).httpPort(0).binaryPort(-1).adminToken("secret")
            .ioThreads(1).ioSpinMicros(50_000);
        config.engine().maxSkus(1024).maxLocations(8).maxChannels(8);
        try (TruestockServer server = TruestockServer.start(config))
        {
            final HttpClient client = HttpClient.newHttpClient();
            final String base = "http://127.0.0.1:" + server.httpPort();
            assertThat(send(client, base, "PUT", "/v1/locations/oak", "{\"name\":\"Oakland\"}").statusCode())
                .isEqualTo(200);
            assertThat(send(client, base, "PUT", "/v1/channels/web", "{\"name\":\"Web\"}").statusCode())
                .isEqualTo(200);
            assertThat(send(client, base, "PUT", "/v1/skus/shoe",
                "{\"title\":\"Shoe\",\"price\":{\"amount\":8999,\"currency\":\"USD\"}}").statusCode()).isEqualTo(200);
            assertThat(send(client, base, "POST", "/v1/stock/receive",
                "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":50}").statusCode()).isEqualTo(200);

            final List<CompletableFuture<HttpResponse<String>>> holds = new ArrayList<>();
            for (int i = 0; i < 80; i++)
            {
                holds.add(client.sendAsync(request(base, "POST", "/v1/reservations",
                    "{\"channel\":\"web\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}],\"ttl_seconds\":60}"),
                    HttpResponse.BodyHandlers.ofString()));
            }
            int held = 0;
            int refused = 0;
            for (final CompletableFuture<HttpResponse<String>> hold : holds)
            {
                final HttpResponse<String> response = hold.get();
                if (response.statusCode() == 201)
                {
                    held++;
                }
                else
                {
                    assertThat(response.body()).contains("out_of_stock");
                    refused++;
                }
            }
            assertThat(held).isEqualTo(50);
            assertThat(refused).isEqualTo(30);
            assertThat(send(client, base, "GET", "/v1/availability/shoe?channel=web", null).body())
                .contains("\"available\":0");
        }
    }

    private static HttpRequest request(final String base, final String method, final String path, final String body)
    {
        return HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer secret")
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    private static HttpResponse<String> send(
        final HttpClient client, final String base, final String method, final String path, final String body)
        throws Exception
    {
        return client.send(request(base, method, path, body), HttpResponse.BodyHandlers.ofString());
    }
}
