package io.truestock.gateway.checkout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.truestock.gateway.http.JsonBody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;

/**
 * What the agent checkout protocols (ACP, UCP) read and write alike: one strict JSON mapper (duplicate keys refused,
 * nesting bounded), a body as one object, closed field sets, bounded text, the request fingerprint their idempotency
 * records compare, and the base URL a response links to.
 */
public final class AgentJson
{
    /** Longest free text a protocol field may carry. */
    public static final int MAX_TEXT = 256;
    public static final ObjectMapper JSON =
        JsonBody.strictMapper(StreamReadConstraints.builder().maxNestingDepth(32).build());

    private AgentJson()
    {
    }

    /** The body as one JSON object; an empty body is an empty object when {@code optional}. */
    public static ObjectNode parseObject(final byte[] body, final boolean optional)
    {
        if (body.length == 0 && optional)
        {
            return JSON.createObjectNode();
        }
        final JsonNode node;
        try
        {
            node = JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            throw invalid("invalid_json", "the body is not valid JSON", "$");
        }
        if (node == null || !node.isObject())
        {
            throw invalid("invalid_json", "the body must be a JSON object", "$");
        }
        return (ObjectNode)node;
    }

    /** Refuses any field of {@code node} not in {@code allowed}, naming it under {@code path}. */
    public static void only(final JsonNode node, final Set<String> allowed, final String path)
    {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext())
        {
            final String name = names.next();
            if (!allowed.contains(name))
            {
                throw invalid("invalid", "unknown field '" + name + "'", path + "." + name);
            }
        }
    }

    /** A text field of at most {@link #MAX_TEXT} characters, or null when absent or null. */
    public static String optionalText(final JsonNode node, final String field, final String path)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isTextual() || value.textValue().length() > MAX_TEXT)
        {
            throw invalid("invalid", field + " must be a string of at most " + MAX_TEXT + " characters", path);
        }
        return value.textValue();
    }

    public static CheckoutFailure invalid(final String code, final String message, final String param)
    {
        return new CheckoutFailure(CheckoutFailure.Kind.INVALID, code, message, param);
    }

    public static byte[] bytes(final ObjectNode body)
    {
        try
        {
            return JSON.writeValueAsBytes(body);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** What an idempotency record compares: SHA-256 over the method, the path and the body, as hex. */
    public static String fingerprint(final HttpMethod method, final String path, final byte[] body)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method.name() + ' ' + path + '\n').getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** The URL this server is reached at, from the request's Host header. */
    public static String baseUrl(final FullHttpRequest request)
    {
        final String host = request.headers().get(HttpHeaderNames.HOST);
        return "http://" + (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}") ?
            "localhost" : host);
    }
}
