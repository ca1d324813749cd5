package io.truestock.gateway.console;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The seller console's static files: {@code GET /} (the console), {@code /console/*} (its script and style sheet),
 * {@code GET /docs} (the OpenAPI document rendered by swagger-ui) and {@code /docs/*} (swagger-ui's files, from its
 * WebJar). No token: the pages hold no data, they call the API with the key the user types in.
 * <p>
 * Only the files of a fixed table are served, each read from the jar once at start and kept in memory: a request
 * path is looked up whole in that table and never joined to a directory, so no path can reach anything else
 * ({@code ..}, encoded or not, is simply not a key). Pages carry a Content-Security-Policy that allows scripts,
 * styles and connections of this origin only (no inline script, no eval); {@code ETag} and {@code Cache-Control}
 * let browsers revalidate the console's own files and keep swagger-ui's versioned files for a day.
 */
public final class ConsoleEndpoint implements Api.Extension
{
    /** The policy of the console's pages and files. */
    public static final String CONSOLE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; " +
        "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; " +
        "frame-ancestors 'none'";
    /**
     * The policy of {@code /docs}: swagger-ui sets style attributes from its script (its React views), which a
     * policy without {@code 'unsafe-inline'} for styles would block; scripts stay of this origin only.
     */
    public static final String DOCS_POLICY = "default-src 'none'; script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final String CONSOLE_DIR = "/console/";
    private static final String WEBJAR_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String REVALIDATE = "no-cache";
    private static final String KEEP_A_DAY = "public, max-age=86400";

    private final Map<String, Asset> assets = new HashMap<>();

    /** A file served: its bytes, type, validator, caching and policy. */
    record Asset(byte[] body, String contentType, String etag, String cacheControl, String policy)
    {
    }

    /** Reads every file of the table from the classpath; a missing one stops the start with its name. */
    public ConsoleEndpoint()
    {
        add("/", CONSOLE_DIR + "index.html", REVALIDATE, CONSOLE_POLICY);
        add("/console/app.js", CONSOLE_DIR + "app.js", REVALIDATE, CONSOLE_POLICY);
        add("/console/pages.js", CONSOLE_DIR + "pages.js", REVALIDATE, CONSOLE_POLICY);
        add("/console/console.css", CONSOLE_DIR + "console.css", REVALIDATE, CONSOLE_POLICY);
        add("/docs", CONSOLE_DIR + "docs.html", REVALIDATE, DOCS_POLICY);
        add("/docs/docs.js", CONSOLE_DIR + "docs.js", REVALIDATE, DOCS_POLICY);
        final String webjar = "/META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion() + '/';
        add("/docs/swagger-ui.css", webjar + "swagger-ui.css", KEEP_A_DAY, DOCS_POLICY);
        add("/docs/swagger-ui-bundle.js", webjar + "swagger-ui-bundle.js", KEEP_A_DAY, DOCS_POLICY);
        add("/docs/favicon-32x32.png", webjar + "favicon-32x32.png", KEEP_A_DAY, DOCS_POLICY);
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder query)
    {
        exchange.route("console");
        final HttpMethod method = exchange.request().method();
        final boolean head = method.equals(HttpMethod.HEAD);
        if (!head && !method.equals(HttpMethod.GET))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request",
                "the console's files are read with GET", null);
        }
        final Asset asset = assets.get(query.rawPath());
        if (asset == null)
        {
            throw ApiException.notFound("no such console file: " + query.rawPath());
        }
        final String ifNoneMatch = exchange.request().headers().get(HttpHeaderNames.IF_NONE_MATCH);
        final boolean unchanged = ifNoneMatch != null && ifNoneMatch.contains(asset.etag());
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
            unchanged || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(asset.body()));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, asset.contentType())
            .set(HttpHeaderNames.ETAG, asset.etag())
            .set(HttpHeaderNames.CACHE_CONTROL, asset.cacheControl())
            .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, asset.policy())
            .setInt(HttpHeaderNames.CONTENT_LENGTH, unchanged ? 0 : asset.body().length);
        exchange.respond(response);
    }

    private void add(final String path, final String resource, final String cacheControl, final String policy)
    {
        final byte[] body = read(resource);
        assets.put(path, new Asset(body, contentType(resource), etag(body), cacheControl, policy));
    }

    /** The content type of a file of the table, by its extension; every text type is UTF-8. */
    static String contentType(final String resource)
    {
        if (resource.endsWith(".html"))
        {
            return "text/html; charset=utf-8";
        }
        if (resource.endsWith(".js"))
        {
            return "text/javascript; charset=utf-8";
        }
        if (resource.endsWith(".css"))
        {
            return "text/css; charset=utf-8";
        }
        if (resource.endsWith(".png"))
        {
            return "image/png";
        }
        throw new IllegalArgumentException("no content type for " + resource);
    }

    private static String etag(final byte[] body)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** The swagger-ui WebJar's version, from the jar itself, so the pom names it in one place. */
    private static String swaggerUiVersion()
    {
        final Properties properties = new Properties();
        try (InputStream in = ConsoleEndpoint.class.getResourceAsStream(WEBJAR_POM))
        {
            if (in == null)
            {
                throw new IllegalStateException("the swagger-ui WebJar is missing from the classpath");
            }
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return properties.getProperty("version");
    }

    private static byte[] read(final String resource)
    {
        try (InputStream in = ConsoleEndpoint.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException("the console file " + resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
