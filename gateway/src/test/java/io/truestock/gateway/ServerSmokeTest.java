package io.truestock.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ServerSmokeTest
{
    @TempDir
    Path dir;
    private TruestockServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception
    {
        final ServerConfig config = new ServerConfig().dataDir(dir).httpPort(0).binaryPort(-1).adminToken("secret");
        config.engine().maxSkus(1024).maxLocations(8).maxChannels(8);
        config.runtime().tickIntervalMillis(50);
        server = TruestockServer.start(config);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private HttpResponse<String> send(final String method, final String path, final String body) throws Exception
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .header("Authorization", "Bearer secret")
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void catalogStockReservationAndOrderRoundTrip() throws Exception
    {
        assertThat(send("PUT", "/v1/locations/oak", "{\"name\":\"Oakland\",\"priority\":1}").statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/v1/channels/shopify", "{\"name\":\"Shopify\"}").statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/v1/skus/shoe", "{\"title\":\"Shoe\",\"price\":{\"amount\":8999,\"currency\":\"USD\"}}")
            .statusCode()).isEqualTo(200);
        final HttpResponse<String> received = send("POST", "/v1/stock/receive", "{\"sku\":\"shoe\",\"location\":\"oak\",\"qty\":5}");
        assertThat(received.statusCode()).as(received.body()).isEqualTo(200);
        assertThat(received.body()).contains("\"on_hand\":5", "\"available\":5");

        final HttpResponse<String> availability = send("GET", "/v1/availability/shoe?channel=shopify", null);
        assertThat(availability.body()).contains("\"available\":5", "\"status\":\"low_stock\"");

        final HttpResponse<String> reserved = send("POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":2}],\"ttl_seconds\":60}");
        assertThat(reserved.statusCode()).as(reserved.body()).isEqualTo(201);
        assertThat(reserved.body()).contains("\"id\":\"r-1\"", "\"status\":\"held\"");

        final HttpResponse<String> tooMany = send("POST", "/v1/reservations",
            "{\"channel\":\"shopify\",\"lines\":[{\"sku\":\"shoe\",\"qty\":4}]}");
        assertThat(tooMany.statusCode()).isEqualTo(409);
        assertThat(tooMany.body()).contains("\"code\":\"out_of_stock\"", "\"requested\":4", "\"available\":3");
        assertThat(tooMany.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        final HttpResponse<String> confirmed = send("POST", "/v1/reservations/r-1/confirm", "{\"order_id\":\"o-1\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.body()).contains("\"status\":\"confirmed\"", "\"location\":\"oak\"", "\"amount\":8999");

        final HttpResponse<String> health = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");
    }

    @Test
    void unauthenticatedAndMalformedRequestsAreRefused() throws Exception
    {
        final HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.httpPort() + "/v1/skus/x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/v1/locations/oak", "{\"name\":").statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/v1/locations/oak", "{\"name\":\"x\",\"bogus\":1}").body()).contains("$.bogus");
        final HttpResponse<String> huge = send("PUT", "/v1/locations/oak", "{\"name\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
    }
}
