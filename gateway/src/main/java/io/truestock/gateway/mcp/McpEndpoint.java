package io.truestock.gateway.mcp;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerHttpHeaderValidator;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.gateway.auth.KeyGuard;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.auth.RateLimit;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.Exchange;
import io.truestock.gateway.http.JsonBody;
import io.truestock.gateway.http.JsonOut;
import io.truestock.gateway.http.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The MCP endpoint, {@code /mcp} on the gateway's HTTP port: the MCP Java SDK's stateless server (tools only) over
 * Streamable HTTP, with this class as its transport on the Netty edge instead of a servlet container. The contract
 * is the SDK's servlet transport's, made exact for JSON-RPC:
 * <ul>
 * <li>POST only; any other method is 405 (the server streams no events, so there is no GET stream);</li>
 * <li>{@code Origin}, when a browser sends one, must be a loopback origin or one configured (else 403), so a web
 * page cannot drive a local server through DNS rebinding;</li>
 * <li>{@code Accept} must list {@code application/json} and {@code text/event-stream} (else 406), the body must
 * be {@code application/json} (else 415), and an {@code MCP-Protocol-Version} header, when sent, must name a
 * revision the server speaks (else 400);</li>
 * <li>one JSON-RPC message a request: unparsable JSON is {@code -32700}, anything that is not a request,
 * notification or response is {@code -32600}, a method the server lacks {@code -32601}, params of the wrong
 * shape {@code -32602}; a request is answered 200 with its response, a notification or response 202.</li>
 * </ul>
 * The bearer key is checked before (by {@link Api}), so every tool knows its caller. Nothing blocks an I/O thread:
 * the SDK's Mono is subscribed to, and the exchange answered when it completes, from whichever thread that is.
 */
public final class McpEndpoint implements McpStatelessServerTransport, Api.Extension
{
    /** The revision this server speaks; clients of the two before it negotiate down to theirs. */
    public static final String PROTOCOL_VERSION = ProtocolVersions.MCP_2025_11_25;
    /** Every revision the server accepts, oldest first (the SDK answers {@code initialize} with the last). */
    public static final List<String> PROTOCOL_VERSIONS = List.of(ProtocolVersions.MCP_2025_03_26,
        ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);
    private static final Logger LOG = LoggerFactory.getLogger(McpEndpoint.class);
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";
    private static final List<String> LOOPBACK_ORIGINS = List.of(
        "http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "https://127.0.0.1:*",
        "http://[::1]:*", "https://[::1]:*");

    private final ObjectMapper mapper;
    private final KeyGuard keys;
    private final Set<String> writeTools = new HashSet<>();
    private final JacksonMcpJsonMapper jsonMapper;
    private final ServerHttpHeaderValidator security;
    private volatile McpStatelessServerHandler handler;
    private volatile boolean closing;

    private McpEndpoint(final ObjectMapper mapper, final KeyGuard keys, final List<String> allowedOrigins)
    {
        this.mapper = mapper;
        this.keys = keys;
        this.jsonMapper = new JacksonMcpJsonMapper(mapper);
        final List<String> origins = new ArrayList<>(LOOPBACK_ORIGINS);
        origins.addAll(allowedOrigins);
        this.security = DefaultServerTransportSecurityValidator.builder().allowedOrigins(origins).build();
    }

    /** The mapper MCP messages are read and written with: strict (duplicate keys refused) and bounded. */
    public static ObjectMapper newMapper()
    {
        return JsonBody.strictMapper(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(32)
            .maxStringLength(Api.MAX_BODY_BYTES).build());
    }

    /**
     * Builds the MCP server over the registry's tools (sealing it) and returns its endpoint, to be registered as
     * the API's {@code mcp} extension.
     *
     * @param mapper         from {@link #newMapper()}; tool handlers share it.
     * @param keys           spends each caller's rate limit: a {@code tools/call} of a tool that is not
     *                       {@code readOnlyHint} is a write, every other message a read.
     * @param allowedOrigins browser origins allowed besides loopback ones, e.g. {@code https://console.example.com}
     *                       ({@code :*} at the end allows any port).
     * @param validator      checks the tools' schemas here, and each successful result against its tool's output
     *                       schema if it was built to.
     */
    public static McpEndpoint start(
        final ObjectMapper mapper, final McpToolRegistry registry, final KeyGuard keys,
        final List<String> allowedOrigins, final ToolSchemaValidator validator, final String serverVersion)
    {
        final McpEndpoint endpoint = new McpEndpoint(mapper, keys, allowedOrigins);
        final List<AsyncToolSpecification> tools = registry.seal();
        for (final AsyncToolSpecification tool : tools)
        {
            final McpSchema.ToolAnnotations annotations = tool.tool().annotations();
            if (annotations == null || !Boolean.TRUE.equals(annotations.readOnlyHint()))
            {
                endpoint.writeTools.add(tool.tool().name());
            }
        }
        McpServer.async(endpoint)
            .serverInfo("truestock", serverVersion)
            .instructions("Truestock answers stock, price and delivery for a SKU on a sales channel from live " +
                "inventory, and holds and buys stock: get_offer or check_availability first, reserve the lines, " +
                "then confirm the reservation into an order citing the offers' quote ids to be charged the quoted " +
                "prices. Refusals come back as tool errors whose structuredContent.code says why.")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .jsonMapper(endpoint.jsonMapper)
            .jsonSchemaValidator(validator)
            // Arguments are read by each tool as strictly as the HTTP API reads bodies, so a refusal names the
            // offending field with the same problem code; the schemas describe the same rules to the agent.
            .validateToolInputs(false)
            .tools(tools)
            .build();
        return endpoint;
    }

    @Override
    public void setMcpHandler(final McpStatelessServerHandler mcpHandler)
    {
        this.handler = mcpHandler;
    }

    @Override
    public Mono<Void> closeGracefully()
    {
        return Mono.fromRunnable(() -> closing = true);
    }

    @Override
    public List<String> protocolVersions()
    {
        return PROTOCOL_VERSIONS;
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        final FullHttpRequest request = exchange.request();
        if (!request.method().equals(HttpMethod.POST))
        {
            final FullHttpResponse response = error(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED,
                ErrorCodes.INVALID_REQUEST, request.method() + " is not allowed: this endpoint takes JSON-RPC " +
                "messages by POST and streams no events");
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.POST.name());
            exchange.respond(response);
            return;
        }
        try
        {
            security.validate(headers(request));
        }
        catch (final ServerTransportSecurityException ex)
        {
            exchange.respond(error(exchange, HttpResponseStatus.valueOf(ex.getStatusCode()), ErrorCodes.INVALID_REQUEST,
                ex.getMessage() + ": this origin may not use the endpoint"));
            return;
        }
        if (closing || handler == null)
        {
            exchange.respond(error(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCodes.INTERNAL_ERROR,
                "the server is shutting down"));
            return;
        }
        final String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        if (accept == null || !accept.contains(Responses.JSON) || !accept.contains(EVENT_STREAM))
        {
            exchange.respond(error(exchange, HttpResponseStatus.NOT_ACCEPTABLE, ErrorCodes.INVALID_REQUEST,
                "the Accept header must list both application/json and text/event-stream"));
            return;
        }
        final String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(Responses.JSON))
        {
            exchange.respond(error(exchange, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCodes.INVALID_REQUEST,
                "the body must be application/json"));
            return;
        }
        final String version = request.headers().get(PROTOCOL_VERSION_HEADER);
        if (version != null && !PROTOCOL_VERSIONS.contains(version))
        {
            exchange.respond(error(exchange, HttpResponseStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
                "unsupported MCP-Protocol-Version '" + version + "'; supported: " + PROTOCOL_VERSIONS));
            return;
        }
        final JsonRpc.Message message = JsonRpc.read(mapper, ByteBufUtil.getBytes(request.content()));
        final RateLimit.Kind kind = isWrite(message) ? RateLimit.Kind.WRITE : RateLimit.Kind.READ;
        final long waitNanos = keys.acquire(principal, kind);
        if (waitNanos > 0)
        {
            exchange.route("rate_limited");
            refuse(exchange, Api.rateLimited(kind, waitNanos));
            return;
        }
        if (message.error() != null)
        {
            exchange.respond(json(exchange, HttpResponseStatus.BAD_REQUEST, message.error()));
            return;
        }
        final McpTransportContext context = McpTransportContext.create(Map.of(
            ToolCalls.PRINCIPAL, principal,
            ToolCalls.EXECUTOR, exchange.executor(),
            ToolCalls.ALLOCATOR, exchange.allocator(),
            ToolCalls.HOST, hostOf(request)));
        if (message.request() != null)
        {
            request(exchange, context, message.request());
        }
        else if (message.notification() != null)
        {
            notification(exchange, context, message.notification());
        }
        else
        {
            // A response to a request this server never sends: nothing to do with it.
            exchange.respond(accepted());
        }
    }

    /** Whether a message calls a tool that changes state (an unknown tool is refused later; it counts as a read). */
    private boolean isWrite(final JsonRpc.Message message)
    {
        final McpSchema.JSONRPCRequest rpc = message.request();
        if (rpc == null || !McpSchema.METHOD_TOOLS_CALL.equals(rpc.method()) || !(rpc.params() instanceof Map<?, ?>))
        {
            return false;
        }
        final Object name = ((Map<?, ?>)rpc.params()).get("name");
        return name instanceof String && writeTools.contains(name);
    }

    private void request(final Exchange exchange, final McpTransportContext context, final McpSchema.JSONRPCRequest rpc)
    {
        final Mono<JSONRPCResponse> answer;
        try
        {
            answer = handler.handleRequest(context, rpc)
                .contextWrite(c -> c.put(McpTransportContext.KEY, context));
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("MCP request {} failed", rpc.method(), ex);
            exchange.respond(json(exchange, HttpResponseStatus.OK, JsonRpc.errorResponse(rpc.id(),
                ErrorCodes.INTERNAL_ERROR, "internal error")));
            return;
        }
        answer.subscribe(
            response -> exchange.respond(json(exchange, HttpResponseStatus.OK, response)),
            error ->
            {
                LOG.warn("MCP request {} failed", rpc.method(), error);
                exchange.respond(json(exchange, HttpResponseStatus.OK, JsonRpc.errorResponse(rpc.id(),
                    ErrorCodes.INTERNAL_ERROR, "internal error")));
            });
    }

    private void notification(
        final Exchange exchange, final McpTransportContext context, final McpSchema.JSONRPCNotification rpc)
    {
        final Mono<Void> done;
        try
        {
            done = handler.handleNotification(context, rpc).contextWrite(c -> c.put(McpTransportContext.KEY, context));
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("MCP notification {} failed", rpc.method(), ex);
            exchange.respond(accepted());
            return;
        }
        done.subscribe(
            ignored ->
            {
            },
            error ->
            {
                // A notification has no answer to carry the failure; the client is told it was received.
                LOG.warn("MCP notification {} failed", rpc.method(), error);
                exchange.respond(accepted());
            },
            () -> exchange.respond(accepted()));
    }

    /** The request's headers as the SDK's validators read them. */
    private static HeaderAccessor headers(final FullHttpRequest request)
    {
        return new HeaderAccessor()
        {
            @Override
            public List<String> getHeader(final String name)
            {
                return request.headers().getAll(name);
            }

            @Override
            public List<String> getHeaderNames()
            {
                return new ArrayList<>(request.headers().names());
            }
        };
    }

    private FullHttpResponse json(final Exchange exchange, final HttpResponseStatus status, final Object message)
    {
        try
        {
            return Responses.bytes(status, mapper.writeValueAsBytes(message), Responses.JSON);
        }
        catch (final IOException ex)
        {
            LOG.warn("an MCP response could not be written", ex);
            return error(exchange, HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                "the response could not be written");
        }
    }

    /** Server-defined JSON-RPC error code of a key over its rate limit (the range -32000..-32099 is the server's). */
    public static final int RATE_LIMITED = -32029;

    /**
     * A key over its rate limit: HTTP 429 with {@code Retry-After}, and a JSON-RPC error saying the same
     * ({@link #RATE_LIMITED}, message starting {@code rate_limited}), before the request is read.
     */
    @Override
    public void refuse(final Exchange exchange, final ApiException refusal)
    {
        final FullHttpResponse response = error(exchange, refusal.status(),
            refusal.status().code() == 429 ? RATE_LIMITED : ErrorCodes.INVALID_REQUEST,
            refusal.code() + ": " + refusal.getMessage());
        if (refusal.retryAfterSeconds() > 0)
        {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        exchange.respond(response);
    }

    /** A JSON-RPC error without an id (the request's could not be read or is not answered). */
    private static FullHttpResponse error(
        final Exchange exchange, final HttpResponseStatus status, final int code, final String message)
    {
        final JsonOut out = new JsonOut(exchange.allocator());
        out.startObject().field("jsonrpc", McpSchema.JSONRPC_VERSION).nullField("id")
            .startObject("error").field("code", code).field("message", message).endObject()
            .endObject();
        return Responses.json(status, out.finish());
    }

    private static FullHttpResponse accepted()
    {
        final FullHttpResponse response = Responses.bytes(HttpResponseStatus.ACCEPTED, new byte[0], Responses.JSON);
        response.headers().remove(HttpHeaderNames.CONTENT_TYPE);
        return response;
    }

    /** The Host the client reached the server at, when it is a plain host[:port]; else localhost. */
    private static String hostOf(final FullHttpRequest request)
    {
        final String host = request.headers().get(HttpHeaderNames.HOST);
        return host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}") ? "localhost" : host;
    }
}
