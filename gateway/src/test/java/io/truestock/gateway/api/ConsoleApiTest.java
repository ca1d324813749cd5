package io.truestock.gateway.api;

import io.truestock.gateway.console.ConsoleEndpoint;
import io.truestock.gateway.http.SecurityHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.truestock.gateway.api.ApiHarness.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's static files ({@code /}, {@code /console/*}, {@code /docs}, {@code /docs/*}) on the real server:
 * types, caching, policies, only the files of the table (no path reaches anything else), and the security headers
 * on every kind of response the server writes.
 */
class ConsoleApiTest
{
    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    @Test
    void theConsoleIsServedAtTheRootWithAStrictPolicy()
    {
        final ApiHarness.Reply page = api.sendAs(null, "GET", "/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(page.body()).contains("<input name=\"key\"").contains("src=\"/console/app.js\"")
            .doesNotContain("<script>").doesNotContain("style=");
        final String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).isEqualTo(ConsoleEndpoint.CONSOLE_POLICY).contains("script-src 'self';")
            .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
        assertSecurityHeaders(page.headers().map());
    }

    @Test
    void aCachedCopyIsRevalidatedByItsETag()
    {
        final ApiHarness.Reply first = api.sendAs(null, "GET", "/console/app.js", null);
        final String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        final ApiHarness.Reply again = api.sendAs(null, "GET", "/console/app.js", null, "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        final ApiHarness.Reply other = api.sendAs(null, "GET", "/console/app.js", null, "If-None-Match", "\"0\"");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(first.body());
    }

    @Test
    void eachFileHasItsTypeCachingAndPolicy()
    {
        expectFile("/console/app.js", "text/javascript; charset=utf-8", "no-cache", ConsoleEndpoint.CONSOLE_POLICY);
        expectFile("/console/pages.js", "text/javascript; charset=utf-8", "no-cache", ConsoleEndpoint.CONSOLE_POLICY);
        expectFile("/console/console.css", "text/css; charset=utf-8", "no-cache", ConsoleEndpoint.CONSOLE_POLICY);
        expectFile("/docs", "text/html; charset=utf-8", "no-cache", ConsoleEndpoint.DOCS_POLICY);
        expectFile("/docs/docs.js", "text/javascript; charset=utf-8", "no-cache", ConsoleEndpoint.DOCS_POLICY);
        expectFile("/docs/swagger-ui-bundle.js", "text/javascript; charset=utf-8", "public, max-age=86400",
            ConsoleEndpoint.DOCS_POLICY);
        expectFile("/docs/swagger-ui.css", "text/css; charset=utf-8", "public, max-age=86400",
            ConsoleEndpoint.DOCS_POLICY);
        expectFile("/docs/favicon-32x32.png", "image/png", "public, max-age=86400", ConsoleEndpoint.DOCS_POLICY);
        assertThat(api.sendAs(null, "GET", "/docs", null).body()).contains("/docs/swagger-ui-bundle.js")
            .doesNotContain("<script>");
        assertThat(api.sendAs(null, "GET", "/docs/docs.js", null).body()).contains("'/v1/openapi.json'");
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody()
    {
        final HttpRequest head = HttpRequest.newBuilder(api.uri("/console/console.css"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        final ApiHarness.Reply reply = ApiHarness.send(api.client(), head);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEmpty();
        assertThat(reply.headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
    }

    @Test
    void onlyGetAndHeadAreAllowed()
    {
        final ApiHarness.Reply post = api.sendAs(ADMIN_TOKEN, "POST", "/", "{}");
        ApiHarness.assertProblem(post, 405, "invalid_request");
        ApiHarness.assertProblem(api.sendAs(ADMIN_TOKEN, "PUT", "/console/app.js", "{}"), 405, "invalid_request");
    }

    /** Raw request lines, so no client normalises the path before the server sees it. */
    @ParameterizedTest
    @ValueSource(strings = {"/console/../v1/openapi.json", "/console/%2e%2e/%2e%2e/pom.xml",
        "/console/..%2f..%2fopenapi.json", "/docs/..%2fMETA-INF/MANIFEST.MF", "/console/app.js%00",
        "/console//app.js", "/console/APP.JS", "/console/", "/console", "/console/index.html",
        "/docs/index.html", "/docs/swagger-initializer.js", "/docs/../console/app.js", "/docs/%2e%2e/console/app.js",
        "/console/app.js/..", "/console/./app.js", "/console/%61pp.js", "/docs/swagger-ui.js",
        "/META-INF/resources/webjars/swagger-ui/5.35.0/swagger-ui.css", "/console/..\\openapi.json",
        "/console/simplelogger.properties", "/docs/..;/openapi.json"})
    void noPathOutsideTheTableIsServed(final String path) throws IOException
    {
        final ApiHarness.RawResponse response = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(response.status()).as(path).isIn(400, 404);
        assertThat(response.headers().get("content-type")).startsWith(ApiHarness.PROBLEM_JSON);
        assertSecurityHeaders(response.headers());
    }

    @Test
    void everyKindOfResponseCarriesTheSecurityHeaders() throws IOException
    {
        for (final String path : new String[] {"/health", "/metrics", "/v1/openapi.json", "/v1/channels", "/nowhere",
            "/.well-known/ucp"})
        {
            final ApiHarness.Reply reply = api.sendAs(null, "GET", path, null);
            assertSecurityHeaders(reply.headers().map());
            assertThat(reply.headers().firstValue("Content-Security-Policy")).as(path)
                .contains(SecurityHeaders.NOTHING_POLICY);
        }
        final ApiHarness.Reply answer = api.sendAs(ADMIN_TOKEN, "GET", "/v1/channels", null);
        assertThat(answer.status()).isEqualTo(200);
        assertSecurityHeaders(answer.headers().map());

        final String big = "x".repeat(70 * 1024);
        final ApiHarness.RawResponse tooLarge = raw("PUT /v1/locations/big HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
            "Authorization: Bearer " + ADMIN_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: " +
            big.length() + "\r\n\r\n" + big);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertSecurityHeaders(tooLarge.headers());

        api.defineChannel("shopify");
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            socket.setSoTimeout(30_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/channels/shopify/updates HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" +
                "Authorization: Bearer " + ADMIN_TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final Map<String, String> head = StreamHeads.read(socket.getInputStream());
            assertThat(head.get(":status")).isEqualTo("200");
            assertSecurityHeaders(head);
        }
    }

    private static void expectFile(final String path, final String type, final String caching, final String policy)
    {
        final ApiHarness.Reply reply = api.sendAs(null, "GET", path, null);
        assertThat(reply.status()).as(path).isEqualTo(200);
        assertThat(reply.contentType()).as(path).isEqualTo(type);
        assertThat(reply.headers().firstValue("Cache-Control")).as(path).contains(caching);
        assertThat(reply.headers().firstValue("Content-Security-Policy")).as(path).contains(policy);
        assertThat(reply.headers().firstValue("ETag")).as(path).isPresent();
        assertThat(reply.body()).as(path).isNotEmpty();
        assertSecurityHeaders(reply.headers().map());
    }

    private static ApiHarness.RawResponse raw(final String request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", api.port()))
        {
            socket.setSoTimeout(30_000);
            final OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return ApiHarness.readResponse(socket.getInputStream());
        }
    }

    /** Header names compared case-insensitively; values are single (the server sets each once). */
    static void assertSecurityHeaders(final Map<String, ?> headers)
    {
        assertThat(single(headers, "x-content-type-options")).isEqualTo("nosniff");
        assertThat(single(headers, "x-frame-options")).isEqualTo("DENY");
        assertThat(single(headers, "referrer-policy")).isEqualTo("no-referrer");
        assertThat(single(headers, "content-security-policy")).contains("frame-ancestors 'none'")
            .contains("default-src 'none'");
    }

    private static String single(final Map<String, ?> headers, final String name)
    {
        for (final Map.Entry<String, ?> header : headers.entrySet())
        {
            if (header.getKey().equalsIgnoreCase(name))
            {
                final Object value = header.getValue();
                if (value instanceof java.util.List<?> values)
                {
                    assertThat(values).as(name).hasSize(1);
                    return String.valueOf(values.get(0));
                }
                return String.valueOf(value);
            }
        }
        return null;
    }
}
