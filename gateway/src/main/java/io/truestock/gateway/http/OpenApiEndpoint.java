package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.gateway.auth.Principal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Serves the OpenAPI 3.1 document kept in the repository ({@code gateway/src/main/resources/openapi.json}) at
 * {@code GET /v1/openapi.json}, without a token.
 */
public final class OpenApiEndpoint implements Api.Extension
{
    public static final String RESOURCE = "/openapi.json";

    private final byte[] document;

    public OpenApiEndpoint()
    {
        try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
            }
            document = in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder query)
    {
        exchange.route("openapi");
        exchange.respond(Responses.bytes(HttpResponseStatus.OK, document, Responses.JSON));
    }
}
