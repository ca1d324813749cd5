package io.truestock.gateway.ucp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.EventExecutor;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.Exchange;
import io.truestock.gateway.mcp.McpToolRegistry;
import io.truestock.gateway.mcp.ToolCalls;
import io.truestock.gateway.mcp.ToolSchemas;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * The checkout tools of the agent protocols on the MCP endpoint, as their published MCP bindings name them: UCP's
 * {@code create_checkout}, {@code get_checkout}, {@code update_checkout}, {@code complete_checkout},
 * {@code cancel_checkout}, {@code lookup_catalog} and {@code get_product} (arguments {@code meta} with
 * {@code ucp-agent} and {@code idempotency-key}, then {@code checkout}, {@code id} or {@code catalog}), and ACP's
 * {@code create_checkout_session}, {@code get_checkout_session}, {@code update_checkout_session},
 * {@code complete_checkout_session} and {@code cancel_checkout_session} (arguments {@code meta} with
 * {@code api_version} and {@code idempotency_key}, {@code id}, {@code payload}).
 * <p>
 * Each call is the protocol's REST request made inside the server on the caller's behalf, through the very
 * binding that serves {@code /ucp} or {@code /acp}: the meta fields become the headers they map to, so
 * validation, idempotency (a key repeated replays the first answer), sessions and rendering are the REST ones. The
 * result's {@code structuredContent} is the REST body. A protocol error (4xx, 5xx) and a business refusal (out of
 * stock, an item not sold, an undeliverable address, a declined payment) are results with {@code isError: true};
 * nothing was committed by them.
 */
public final class CheckoutTools
{
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> UCP_REFUSALS = Set.of("out_of_stock", "item_unavailable",
        "address_undeliverable", "payment_failed");
    private static final Set<String> ACP_REFUSALS = Set.of("out_of_stock", "region_restricted", "payment_declined");
    private static final String ACP_VERSION = "2026-04-17";

    private final ObjectMapper mapper;
    private final ToolSchemas schemas;
    private final Api.Extension ucp;
    private final Api.Extension acp;

    /**
     * @param ucp the UCP binding ({@code /ucp}).
     * @param acp the ACP binding ({@code /acp}).
     */
    public CheckoutTools(
        final ObjectMapper mapper, final ToolSchemas schemas, final Api.Extension ucp, final Api.Extension acp)
    {
        this.mapper = mapper;
        this.schemas = schemas;
        this.ucp = ucp;
        this.acp = acp;
    }

    /** Adds the tools to {@code registry}. */
    public void register(final McpToolRegistry registry)
    {
        final String ucpMeta = """
            "meta": {"type": "object", "required": ["ucp-agent"], "properties": {
              "ucp-agent": {"type": "object", "required": ["profile"], "properties": {
                "profile": {"type": "string", "minLength": 1, "maxLength": 2000,
                  "description": "URL of the platform's UCP profile (its /.well-known/ucp)."}}},
              "idempotency-key": {"type": "string", "minLength": 1, "maxLength": 255,
                "description": "Retry safety: a repeat with the same key answers the first result."}}}""";
        final String id = "\"id\": {\"type\": \"string\", \"pattern\": \"^[A-Za-z0-9_-]{1,64}$\", " +
            "\"description\": \"The checkout session id.\"}";
        final String checkout = "\"checkout\": {\"type\": \"object\", \"description\": \"The UCP checkout " +
            "(dev.ucp.shopping.checkout with the fulfillment extension): line_items [{item: {id}, quantity}], " +
            "buyer, fulfillment.methods[0].destinations[0] (street_address, address_locality, address_region, " +
            "address_country, postal_code), groups[0].selected_option_id; for complete, payment.instruments.\"}";
        final String catalog = "\"catalog\": {\"type\": \"object\", \"description\": \"The UCP catalog request.\"}";
        final String ucpResult = """
            {"type": "object", "required": ["ucp"], "properties": {
              "ucp": {"type": "object", "required": ["version"]},
              "messages": {"type": "array", "items": {"type": "object"}}}}""";
        registry.add(tool("create_checkout", "Create a UCP checkout",
            "Create a checkout: every line is quoted at the channel's price and its units are held for the session; " +
                "with a destination, the delivery the engine promises is the fulfillment option. Out of stock or an " +
                "undeliverable address comes back (isError) with messages and nothing held.",
            object(ucpMeta, checkout, "meta", "checkout"), ucpResult, false,
            (context, args) -> ucpCall(context, args, HttpMethod.POST, "/ucp/checkout-sessions", "checkout", true)));
        registry.add(tool("get_checkout", "Get a UCP checkout",
            "The checkout session's current state: status, lines, fulfillment options, totals and messages.",
            object(ucpMeta + ", " + id, null, "meta", "id"), ucpResult, true,
            (context, args) -> ucpCall(context, args, HttpMethod.GET, session(args, ""), null, false)));
        registry.add(tool("update_checkout", "Update a UCP checkout",
            "Replace lines, buyer, destination or the chosen option: every line is re-quoted and the hold extended.",
            object(ucpMeta + ", " + id, checkout, "meta", "id", "checkout"), ucpResult, false,
            (context, args) -> ucpCall(context, args, HttpMethod.PUT, session(args, ""), "checkout", true)));
        registry.add(tool("complete_checkout", "Complete a UCP checkout",
            "Pay with the selected payment instrument (checkout.payment.instruments, credential.token; the " +
                "sandbox handler takes tok_sandbox_success), then turn the hold into an order at the quoted prices. " +
                "A declined payment (isError, payment_failed) keeps the hold so another instrument can be tried.",
            object(ucpMeta + ", " + id, checkout, "meta", "id", "checkout"), ucpResult, false,
            (context, args) -> ucpCall(context, args, HttpMethod.POST, session(args, "/complete"), "checkout", true)));
        registry.add(tool("cancel_checkout", "Cancel a UCP checkout",
            "Cancel the checkout session and release the units it holds.",
            object(ucpMeta + ", " + id, null, "meta", "id"), ucpResult, false,
            (context, args) -> ucpCall(context, args, HttpMethod.POST, session(args, "/cancel"), null, true)));
        registry.add(tool("lookup_catalog", "Look up products",
            "Products by id (SKU), with title, the channel's price and availability; unknown ids come back as " +
                "not_found messages.",
            object(ucpMeta, catalog, "meta", "catalog"), ucpResult, true,
            (context, args) -> ucpCall(context, args, HttpMethod.POST, "/ucp/catalog/lookup", "catalog", false)));
        registry.add(tool("get_product", "Get a product",
            "One product by id (SKU) with its variant, price and availability on the channel.",
            object(ucpMeta, catalog, "meta", "catalog"), ucpResult, true,
            (context, args) -> ucpCall(context, args, HttpMethod.POST, "/ucp/catalog/product", "catalog", false)));

        final String acpMeta = """
            "meta": {"type": "object", "required": ["api_version"], "properties": {
              "api_version": {"type": "string", "enum": ["2026-04-17"]},
              "idempotency_key": {"type": "string", "minLength": 1, "maxLength": 255,
                "description": "Retry safety: a repeat with the same key answers the first result."},
              "request_id": {"type": "string"}, "user_agent": {"type": "string"},
              "accept_language": {"type": "string"}}}""";
        final String payload = "\"payload\": {\"type\": \"object\", \"description\": \"The ACP request body, " +
            "exactly as over REST.\"}";
        final String acpResult = """
            {"type": "object", "properties": {
              "id": {"type": "string"}, "status": {"type": "string"}, "type": {"type": "string"},
              "code": {"type": "string"}, "message": {"type": "string"}}}""";
        registry.add(tool("create_checkout_session", "Create an ACP checkout session",
            "ACP create_checkout_session: quotes and holds the line items, promises delivery to the address.",
            object(acpMeta, payload, "meta", "payload"), acpResult, false,
            (context, args) -> acpCall(context, args, HttpMethod.POST, "/acp/checkout_sessions", true)));
        registry.add(tool("get_checkout_session", "Get an ACP checkout session",
            "The ACP checkout session's current state: status, line items, fulfillment options and totals.",
            object(acpMeta + ", " + id, null, "meta", "id"), acpResult, true,
            (context, args) -> acpCall(context, args, HttpMethod.GET, acpSession(args, ""), false)));
        registry.add(tool("update_checkout_session", "Update an ACP checkout session",
            "Change items, address or the selected fulfillment option; re-quotes and extends the hold.",
            object(acpMeta + ", " + id, payload, "meta", "id", "payload"), acpResult, false,
            (context, args) -> acpCall(context, args, HttpMethod.POST, acpSession(args, ""), true)));
        registry.add(tool("complete_checkout_session", "Complete an ACP checkout session",
            "Pay with payload.payment_data, then confirm the hold into an order at the quoted prices.",
            object(acpMeta + ", " + id, payload, "meta", "id", "payload"), acpResult, false,
            (context, args) -> acpCall(context, args, HttpMethod.POST, acpSession(args, "/complete"), true)));
        registry.add(tool("cancel_checkout_session", "Cancel an ACP checkout session",
            "Cancel the ACP checkout session and release the units it holds.",
            object(acpMeta + ", " + id, payload, "meta", "id"), acpResult, false,
            (context, args) -> acpCall(context, args, HttpMethod.POST, acpSession(args, "/cancel"), true)));
    }

    // ---- the calls ----

    private Mono<CallToolResult> ucpCall(
        final McpTransportContext context, final ObjectNode args, final HttpMethod method, final String uri,
        final String bodyField, final boolean mutation)
    {
        final JsonNode meta = args.path("meta");
        final String profile = meta.path("ucp-agent").path("profile").asText("");
        final List<String> headers = new ArrayList<>(List.of("UCP-Agent", "profile=\"" + profile.replace("\"", "") +
            "\"", "Request-Id", UUID.randomUUID().toString()));
        if (mutation)
        {
            headers.add("Idempotency-Key");
            headers.add(meta.path("idempotency-key").isTextual() ? meta.path("idempotency-key").textValue() :
                UUID.randomUUID().toString());
        }
        final JsonNode body = bodyField == null ? null : args.get(bodyField);
        return call(context, ucp, method, uri, body, headers).map(reply -> result(reply, isUcpRefusal(reply)));
    }

    private Mono<CallToolResult> acpCall(
        final McpTransportContext context, final ObjectNode args, final HttpMethod method, final String uri,
        final boolean mutation)
    {
        final JsonNode meta = args.path("meta");
        final List<String> headers = new ArrayList<>(List.of("API-Version", meta.path("api_version").asText("")));
        if (mutation)
        {
            headers.add("Idempotency-Key");
            headers.add(meta.path("idempotency_key").isTextual() ? meta.path("idempotency_key").textValue() :
                UUID.randomUUID().toString());
        }
        for (final String[] pair : new String[][] {{"request_id", "Request-Id"}, {"accept_language",
            "Accept-Language"}})
        {
            if (meta.path(pair[0]).isTextual())
            {
                headers.add(pair[1]);
                headers.add(meta.path(pair[0]).textValue());
            }
        }
        final JsonNode body = method.equals(HttpMethod.GET) ? null : args.get("payload");
        return call(context, acp, method, uri, body, headers).map(reply -> result(reply, isAcpRefusal(reply)));
    }

    private record Reply(int status, JsonNode body)
    {
    }

    /** The protocol's REST request made inside the server; the Mono completes on the caller's event loop. */
    private Mono<Reply> call(
        final McpTransportContext context, final Api.Extension target, final HttpMethod method, final String uri,
        final JsonNode body, final List<String> headers)
    {
        return Mono.create(sink ->
        {
            final byte[] bytes;
            try
            {
                bytes = body == null ? new byte[0] : mapper.writeValueAsBytes(body);
            }
            catch (final IOException ex)
            {
                sink.error(ex);
                return;
            }
            final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.wrappedBuffer(bytes));
            request.headers().set(HttpHeaderNames.HOST, ToolCalls.baseUrl(context).substring("http://".length()));
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            for (int i = 0; i + 1 < headers.size(); i += 2)
            {
                request.headers().set(headers.get(i), headers.get(i + 1));
            }
            final Executor executor = ToolCalls.executor(context);
            final Exchange exchange = Exchange.internal(request, UnpooledByteBufAllocator.DEFAULT, executor,
                response ->
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
                            sink.success(new Reply(status, mapper.readTree(answer)));
                        }
                        catch (final IOException | RuntimeException ex)
                        {
                            sink.error(ex);
                        }
                    });
                });
            try
            {
                final QueryStringDecoder decoded = new QueryStringDecoder(uri);
                final List<String> path = new ArrayList<>();
                for (final String segment : decoded.path().split("/"))
                {
                    if (!segment.isEmpty())
                    {
                        path.add(segment);
                    }
                }
                target.handle(exchange, ToolCalls.principal(context), path, decoded);
            }
            finally
            {
                request.release();
            }
        });
    }

    private static boolean isUcpRefusal(final Reply reply)
    {
        if (reply.status() >= 400 || "error".equals(reply.body().path("ucp").path("status").asText()))
        {
            return true;
        }
        if (!reply.body().has("status"))
        {
            return false;
        }
        for (final JsonNode message : reply.body().path("messages"))
        {
            if ("error".equals(message.path("type").asText()) && UCP_REFUSALS.contains(message.path("code").asText()))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isAcpRefusal(final Reply reply)
    {
        if (reply.status() >= 400)
        {
            return true;
        }
        for (final JsonNode message : reply.body().path("messages"))
        {
            if ("error".equals(message.path("type").asText()) && ACP_REFUSALS.contains(message.path("code").asText()))
            {
                return true;
            }
        }
        return false;
    }

    private static CallToolResult result(final Reply reply, final boolean refusal)
    {
        return refusal ? ToolCalls.refusal(reply.body()) : ToolCalls.success(reply.body());
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

    // ---- tool definitions ----

    private static String session(final ObjectNode args, final String suffix)
    {
        return "/ucp/checkout-sessions/" + sessionId(args) + suffix;
    }

    private static String acpSession(final ObjectNode args, final String suffix)
    {
        return "/acp/checkout_sessions/" + sessionId(args) + suffix;
    }

    /** The id as a path segment; what cannot be one is a segment no session has, so the binding answers 404. */
    private static String sessionId(final ObjectNode args)
    {
        final String id = args.path("id").asText("");
        return SESSION_ID.matcher(id).matches() ? id : "-";
    }

    /** An object schema of the given properties (JSON text, comma separated); the arguments it takes, no other. */
    private Map<String, Object> object(final String properties, final String more, final String... required)
    {
        final StringBuilder text = new StringBuilder("{\"type\": \"object\", \"additionalProperties\": false, " +
            "\"required\": [");
        for (int i = 0; i < required.length; i++)
        {
            text.append(i == 0 ? "" : ", ").append('"').append(required[i]).append('"');
        }
        text.append("], \"properties\": {").append(properties);
        if (more != null)
        {
            text.append(", ").append(more);
        }
        return schemas.parse(text.append("}}").toString());
    }

    @FunctionalInterface
    private interface Handler
    {
        Mono<CallToolResult> call(McpTransportContext context, ObjectNode arguments);
    }

    private AsyncToolSpecification tool(
        final String name, final String title, final String description, final Map<String, Object> input,
        final String output, final boolean readOnly, final Handler handler)
    {
        final ToolAnnotations annotations = ToolAnnotations.builder()
            .title(title)
            .readOnlyHint(readOnly)
            .destructiveHint(name.startsWith("cancel_"))
            .idempotentHint(readOnly)
            .openWorldHint(false)
            .build();
        final Tool tool = Tool.builder(name, input).title(title).description(description)
            .outputSchema(schemas.parse(output)).annotations(annotations).build();
        final boolean ucpTool = output.contains("\"ucp\"");
        return AsyncToolSpecification.builder().tool(tool).callHandler((context, request) -> Mono.defer(() ->
        {
            final ObjectNode args;
            try
            {
                args = arguments(request, input);
            }
            catch (final IllegalArgumentException ex)
            {
                // In the protocol's own error shape, so the result still matches the tool's output schema.
                return Mono.just(ToolCalls.refusal(ucpTool ?
                    UcpJson.error("invalid_arguments", ex.getMessage(), null, "unrecoverable") :
                    mapper.createObjectNode().put("type", "invalid_request").put("code", "invalid_arguments")
                        .put("message", ex.getMessage())));
            }
            return handler.call(context, args);
        })).build();
    }

    /**
     * The arguments as an object; one the tool does not take, or a missing required one, is refused here as the
     * binding would refuse a bad header, with the argument's name.
     */
    private ObjectNode arguments(final CallToolRequest request, final Map<String, Object> input)
    {
        final ObjectNode args = request.arguments() == null ? mapper.createObjectNode() :
            mapper.valueToTree(request.arguments());
        final JsonNode schema = mapper.valueToTree(input);
        final Iterator<String> names = args.fieldNames();
        while (names.hasNext())
        {
            final String name = names.next();
            if (!schema.path("properties").has(name))
            {
                throw new IllegalArgumentException("unknown argument '" + name + "'");
            }
        }
        for (final JsonNode required : schema.path("required"))
        {
            if (!args.has(required.asText()))
            {
                throw new IllegalArgumentException("missing argument '" + required.asText() + "'");
            }
        }
        return args;
    }
}
