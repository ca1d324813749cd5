package io.truestock.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.Exchange;
import io.truestock.gateway.http.JsonBody;
import io.truestock.gateway.http.Responses;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What every tool handler needs: the caller (the principal of the bearer key of the {@code /mcp} request, from
 * the transport context), tool results in the shape agents get them (the JSON object in {@code structuredContent}
 * and a text copy; a refusal with {@code isError: true} and the problem, whose {@code code} says what went wrong),
 * and {@link #rest}: a call of a resource of the HTTP API on the caller's behalf, through the very handlers,
 * validation, scopes and ring submission an HTTP request goes through.
 */
public final class ToolCalls
{
    /** Transport context key of the caller's {@link Principal}. */
    public static final String PRINCIPAL = "truestock.principal";
    /** Transport context key of the event loop of the caller's connection ({@link Executor}). */
    public static final String EXECUTOR = "truestock.executor";
    /** Transport context key of the connection's {@link ByteBufAllocator}. */
    public static final String ALLOCATOR = "truestock.allocator";

    /** Transport context key of the host (and port) the client reached the server at ({@link String}). */
    public static final String HOST = "truestock.host";

    private final ObjectMapper mapper;
    private final Api api;

    public ToolCalls(final ObjectMapper mapper, final Api api)
    {
        this.mapper = mapper;
        this.api = api;
    }

    public ObjectMapper mapper()
    {
        return mapper;
    }

    /** The caller; the transport always sets it. */
    public static Principal principal(final McpTransportContext context)
    {
        final Object principal = context.get(PRINCIPAL);
        if (!(principal instanceof Principal p))
        {
            throw new IllegalStateException("the MCP transport context carries no principal");
        }
        return p;
    }

    /** The event loop the caller's request is served on; tools complete their Mono there. */
    public static Executor executor(final McpTransportContext context)
    {
        return context.get(EXECUTOR) instanceof Executor executor ? executor : Runnable::run;
    }

    /** The server's base URL as the caller reached it ({@code http://host:port}), for links in results. */
    public static String baseUrl(final McpTransportContext context)
    {
        return "http://" + (context.get(HOST) instanceof String host ? host : "localhost");
    }

    private static ByteBufAllocator allocator(final McpTransportContext context)
    {
        return context.get(ALLOCATOR) instanceof ByteBufAllocator allocator ? allocator :
            UnpooledByteBufAllocator.DEFAULT;
    }

    /** A tool's arguments, read strictly ({@link JsonBody}): a field a tool does not take is refused. */
    public JsonBody arguments(final Map<String, Object> arguments)
    {
        final ObjectNode node = arguments == null ? mapper.createObjectNode() : mapper.valueToTree(arguments);
        return JsonBody.of(node);
    }

    /** A successful result: {@code structured} (a JSON object) and its text. */
    public static CallToolResult success(final JsonNode structured)
    {
        return result(structured, structured.toString(), false);
    }

    /**
     * A successful result whose JSON object is rendered already: {@code json} is both the text and the structured
     * content, which is written into the JSON-RPC response as it stands ({@link RawValue}), never parsed back into
     * a tree and rendered again.
     */
    public static CallToolResult success(final String json)
    {
        return result(new RawValue(json), json, false);
    }

    /** A refusal: {@code isError: true}, the problem (with its {@code code}) in structuredContent and as text. */
    public static CallToolResult refusal(final JsonNode problem)
    {
        return result(problem, problem.toString(), true);
    }

    /** A result whose text is already at hand ({@code text} is {@code structured} as JSON). */
    private static CallToolResult result(final Object structured, final String text, final boolean error)
    {
        return CallToolResult.builder()
            .content(List.of(TextContent.builder(text).build()))
            .structuredContent(structured)
            .isError(error)
            .build();
    }

    /** A refusal in the shape of the HTTP API's problems: type, title, status, code, detail and param. */
    public CallToolResult refusal(final ApiException ex)
    {
        final HttpResponseStatus status = ex.status();
        final ObjectNode problem = mapper.createObjectNode()
            .put("type", "urn:truestock:problem:" + ex.code())
            .put("title", status.reasonPhrase())
            .put("status", status.code())
            .put("code", ex.code())
            .put("detail", ex.getMessage());
        if (ex.param() != null)
        {
            problem.put("param", ex.param());
        }
        return refusal(problem);
    }

    /**
     * Calls a resource of the HTTP API on the caller's behalf. The answer becomes the tool result: a 2xx body as
     * the structured result, a problem as a refusal. The Mono completes on the caller's event loop (a command's
     * outcome arrives on the output stage, which must not also render and validate the tool result).
     *
     * @param uri  under {@code /v1}, its path segments and query already safe (ids validated, values encoded).
     * @param body the JSON body, or null.
     */
    public Mono<CallToolResult> rest(
        final McpTransportContext context, final HttpMethod method, final String uri, final JsonNode body)
    {
        return Mono.create(sink ->
        {
            final byte[] bytes;
            try
            {
                bytes = body == null ? null : mapper.writeValueAsBytes(body);
            }
            catch (final IOException ex)
            {
                sink.error(ex);
                return;
            }
            final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                bytes == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
            if (bytes != null)
            {
                request.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON);
                request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            }
            final Executor executor = executor(context);
            final Exchange exchange = Exchange.internal(request, allocator(context), executor, response ->
            {
                final int status;
                final byte[] answer;
                try
                {
                    status = response.status().code();
                    answer = ByteBufUtil.getBytes(response.content());
                }
                finally
                {
                    response.release();
                }
                continueOn(executor, () ->
                {
                    try
                    {
                        sink.success(result(status, answer));
                    }
                    catch (final RuntimeException ex)
                    {
                        sink.error(ex);
                    }
                });
            });
            try
            {
                api.dispatch(exchange, principal(context));
            }
            finally
            {
                request.release();
            }
        });
    }

    private static CallToolResult result(final int status, final byte[] body)
    {
        // The API answers with a JSON object, rendered by the server itself: it is the text and, as it stands, the
        // structured content (read as a tree only if result checks are on, by the schema validator).
        if (!isObject(body))
        {
            throw new IllegalStateException("the API answered " + status + " without a JSON object");
        }
        final String json = new String(body, StandardCharsets.UTF_8);
        return result(new RawValue(json), json, status < 200 || status >= 300);
    }

    /** Whether {@code body} holds a JSON object: its first and last non-blank bytes are braces. */
    static boolean isObject(final byte[] body)
    {
        int first = 0;
        int last = body.length - 1;
        while (first <= last && isBlank(body[first]))
        {
            first++;
        }
        while (last > first && isBlank(body[last]))
        {
            last--;
        }
        return last > first && body[first] == '{' && body[last] == '}';
    }

    private static boolean isBlank(final byte b)
    {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static void continueOn(final Executor executor, final Runnable work)
    {
        if (executor instanceof EventExecutor loop && loop.inEventLoop())
        {
            work.run();
        }
        else
        {
            executor.execute(work);
        }
    }
}
