package io.truestock.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 calls to one server as admin. A call either answers (status and body) or throws {@link IOException}:
 * the caller cannot know whether the server applied a request whose answer never came.
 */
final class HttpCalls
{
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final int port;
    private final HttpClient client;

    HttpCalls(final int port)
    {
        this("127.0.0.1", port);
    }

    HttpCalls(final String host, final int port)
    {
        this.host = host;
        this.port = port;
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
    }

    /** An answer: status, body, and whether the server said it replayed a first outcome. */
    record Reply(int status, String body, boolean replayed)
    {
        JsonNode json()
        {
            return parse(body);
        }
    }

    /** One request as admin, with an {@code Idempotency-Key} when {@code key} is not null. */
    Reply send(final String method, final String path, final String body, final String key, final String token)
        throws IOException
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
            .timeout(REQUEST_TIMEOUT)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null)
        {
            builder.header("Content-Type", "application/json");
        }
        if (token != null)
        {
            builder.header("Authorization", "Bearer " + token);
        }
        if (key != null)
        {
            builder.header("Idempotency-Key", key);
        }
        try
        {
            final HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(),
                response.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }

    /** As admin; a lost answer is a test failure here (the server is meant to be up). */
    Reply admin(final String method, final String path, final String body)
    {
        try
        {
            return send(method, path, body, null, ServerProcess.ADMIN_TOKEN);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(method + " " + path + " got no answer", ex);
        }
    }

    /** As admin, requiring {@code status}; returns the body as JSON. */
    JsonNode expect(final int status, final String method, final String path, final String body)
    {
        final Reply reply = admin(method, path, body);
        assertThat(reply.status()).as("%s %s -> %s", method, path, reply.body()).isEqualTo(status);
        return reply.json();
    }

    static JsonNode parse(final String text)
    {
        try
        {
            return JSON.readTree(text);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("not JSON: " + text, ex);
        }
    }
}
