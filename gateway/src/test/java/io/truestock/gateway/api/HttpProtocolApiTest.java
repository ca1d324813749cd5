package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.api.ApiHarness.RawResponse;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.truestock.gateway.api.ApiHarness.parse;
import static io.truestock.gateway.api.ApiHarness.reserveBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 on the wire: pipelined requests on one connection are answered in order, and the operational
 * endpoints /health and /metrics answer without a token.
 */
class HttpProtocolApiTest
{
    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderSent() throws Exception
    {
        api.standardCatalog(0, "a", "b", "c");
        api.receive("a", "oak", 5);
        api.receive("b", "oak", 7);
        api.receive("c", "oak", 9);
        // Writes go through the writer and are answered later than reads, which are served at once: a server
        // that wrote answers as they became ready would answer these out of order.
        final String body = reserveBody("shopify", "a", 2);
        final String requests =
            post("/v1/reservations", body) +
            get("/v1/availability/b?channel=shopify") +
            post("/v1/stock/receive", "{\"sku\":\"c\",\"location\":\"oak\",\"qty\":1}") +
            get("/v1/skus/c") +
            get("/v1/availability/nothing?channel=shopify") +
            get("/health") +
            get("/v1/availability/a?channel=amazon");

        final List<RawResponse> responses = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            socket.setSoTimeout((int)ApiHarness.REQUEST_TIMEOUT.toMillis());
            final OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.UTF_8));
            out.flush();
            final InputStream in = socket.getInputStream();
            for (int i = 0; i < 7; i++)
            {
                responses.add(ApiHarness.readResponse(in));
            }
        }

        assertThat(responses.get(0).status()).as(responses.get(0).body()).isEqualTo(201);
        assertThat(parse(responses.get(0).body()).path("lines").get(0).path("sku").asText()).isEqualTo("a");
        assertThat(responses.get(1).status()).isEqualTo(200);
        assertThat(parse(responses.get(1).body()).path("sku").asText()).isEqualTo("b");
        assertThat(parse(responses.get(1).body()).path("available").asLong()).isEqualTo(7);
        assertThat(responses.get(2).status()).isEqualTo(200);
        assertThat(parse(responses.get(2).body()).path("sku").asText()).isEqualTo("c");
        assertThat(parse(responses.get(2).body()).path("on_hand").asLong()).isEqualTo(10);
        assertThat(responses.get(3).status()).isEqualTo(200);
        assertThat(parse(responses.get(3).body()).path("sku").asText()).isEqualTo("c");
        assertThat(responses.get(4).status()).isEqualTo(404);
        assertThat(responses.get(5).status()).isEqualTo(200);
        assertThat(parse(responses.get(5).body()).path("status").asText()).isEqualTo("ok");
        assertThat(responses.get(6).status()).isEqualTo(200);
        assertThat(parse(responses.get(6).body()).path("sku").asText()).isEqualTo("a");
        assertThat(api.stockAt("a", "oak").path("reserved").asLong()).isEqualTo(2);
    }

    @Test
    void fiftyPipelinedWritesAreAnsweredInOrder() throws Exception
    {
        assertPipelinedReceivesAnsweredInOrder(50);
    }

    @Test
    void moreThan64PipelinedWritesAreAllAnsweredInOrder() throws Exception
    {
        assertPipelinedReceivesAnsweredInOrder(200);
    }

    /** Pipelines {@code requests} receives of one unit; answer i must show on_hand i + 1. */
    private void assertPipelinedReceivesAnsweredInOrder(final int requests) throws Exception
    {
        api.standardCatalog(0, "a");
        final StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < requests; i++)
        {
            pipeline.append(post("/v1/stock/receive", "{\"sku\":\"a\",\"location\":\"oak\",\"qty\":1}"));
        }

        final List<RawResponse> responses = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            socket.setSoTimeout((int)ApiHarness.REQUEST_TIMEOUT.toMillis());
            final OutputStream out = socket.getOutputStream();
            out.write(pipeline.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            final InputStream in = socket.getInputStream();
            for (int i = 0; i < requests; i++)
            {
                responses.add(ApiHarness.readResponse(in));
            }
        }

        for (int i = 0; i < requests; i++)
        {
            assertThat(responses.get(i).status()).as(responses.get(i).body()).isEqualTo(200);
            assertThat(parse(responses.get(i).body()).path("on_hand").asLong()).as("answer " + i).isEqualTo(i + 1);
        }
        assertThat(api.stockAt("a", "oak").path("on_hand").asLong()).isEqualTo(requests);
    }

    @Test
    void healthNeedsNoTokenAndReportsTheSequence()
    {
        final Reply before = api.sendAs(null, "GET", "/health", null);

        assertThat(before.status()).isEqualTo(200);
        assertThat(before.contentType()).startsWith("application/json");
        final JsonNode health = before.json();
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(health.path("sequence").isIntegralNumber()).as(before.body()).isTrue();

        api.defineLocation("oak");
        assertThat(api.sendAs(null, "GET", "/health", null).json().path("sequence").asLong())
            .isGreaterThan(health.path("sequence").asLong());
    }

    @Test
    void metricsNeedNoTokenAndCountCommands()
    {
        api.standardCatalog(3, "shoe");
        api.send("POST", "/v1/reservations", reserveBody("shopify", "shoe", 5));

        final Reply metrics = api.sendAs(null, "GET", "/metrics", null);

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body())
            .contains("# TYPE truestock_commands_total counter")
            .contains("truestock_commands_total{type=\"receive\",outcome=\"accepted\"} 1")
            .contains("truestock_commands_total{type=\"reserve\",outcome=\"out_of_stock\"} 1")
            .contains("# TYPE truestock_listener_failures_total counter\ntruestock_listener_failures_total 0\n")
            .contains("# TYPE truestock_outcome_handler_failures_total counter\n" +
                "truestock_outcome_handler_failures_total 0\n");
    }

    @Test
    void unknownPathIsNotFound()
    {
        ApiHarness.assertProblem(api.send("GET", "/v1/warehouses", null), 404, "not_found");
        ApiHarness.assertProblem(api.send("GET", "/nothing", null), 404, "not_found");
    }

    private static String get(final String path)
    {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ApiHarness.ADMIN_TOKEN +
            "\r\n\r\n";
    }

    private static String post(final String path, final String body)
    {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ApiHarness.ADMIN_TOKEN +
            "\r\nContent-Type: application/json\r\nContent-Length: " +
            body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
