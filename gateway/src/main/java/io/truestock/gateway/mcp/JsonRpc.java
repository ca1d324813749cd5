package io.truestock.gateway.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;

import java.io.IOException;
import java.util.Map;

/**
 * Reads one JSON-RPC 2.0 message of MCP strictly, so that each kind of malformed input gets its own JSON-RPC
 * error code before anything is handled: unparsable JSON (duplicate keys included) {@code -32700}; a batch, a
 * non-object, a wrong {@code jsonrpc}, a missing or non-string method or an id that is neither a string nor an
 * integer {@code -32600}; params that are not an object, or lack what {@code initialize} and {@code tools/call}
 * need, {@code -32602}.
 */
final class JsonRpc
{
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>()
    {
    };

    /** Exactly one of the members is set. */
    record Message(
        McpSchema.JSONRPCRequest request, McpSchema.JSONRPCNotification notification, boolean response,
        ObjectNode error)
    {
    }

    private JsonRpc()
    {
    }

    static Message read(final ObjectMapper mapper, final byte[] body)
    {
        final JsonNode root;
        try
        {
            root = body.length == 0 ? null : mapper.readTree(body);
        }
        catch (final IOException ex)
        {
            return failed(null, ErrorCodes.PARSE_ERROR, "Parse error: the body is not one JSON value");
        }
        if (root == null || root.isMissingNode())
        {
            return failed(null, ErrorCodes.PARSE_ERROR, "Parse error: the body is empty");
        }
        if (root.isArray())
        {
            return failed(null, ErrorCodes.INVALID_REQUEST, "Invalid Request: batches are not part of MCP " +
                "since 2025-06-18; send one message a request");
        }
        if (!root.isObject())
        {
            return failed(null, ErrorCodes.INVALID_REQUEST, "Invalid Request: a message is a JSON object");
        }
        final JsonNode idNode = root.get("id");
        final Object id = id(idNode);
        if (!McpSchema.JSONRPC_VERSION.equals(root.path("jsonrpc").textValue()))
        {
            return failed(id, ErrorCodes.INVALID_REQUEST, "Invalid Request: 'jsonrpc' must be \"2.0\"");
        }
        final JsonNode method = root.get("method");
        if (method == null)
        {
            if (id != null && (root.has("result") || root.has("error")))
            {
                return new Message(null, null, true, null);
            }
            return failed(id, ErrorCodes.INVALID_REQUEST, "Invalid Request: 'method' is required");
        }
        if (!method.isTextual() || method.textValue().isEmpty())
        {
            return failed(id, ErrorCodes.INVALID_REQUEST, "Invalid Request: 'method' must be a non-empty string");
        }
        if (idNode != null && id == null)
        {
            return failed(null, ErrorCodes.INVALID_REQUEST,
                "Invalid Request: 'id' must be a string or an integer (MCP allows no null id)");
        }
        final JsonNode params = root.get("params");
        final String problem = paramsProblem(method.textValue(), params);
        if (problem != null)
        {
            return failed(id, ErrorCodes.INVALID_PARAMS, "Invalid params: " + problem);
        }
        final Map<String, Object> paramsMap = params == null || params.isNull() ? null :
            mapper.convertValue(params, MAP);
        if (id == null)
        {
            return new Message(null, new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
                method.textValue(), paramsMap), false, null);
        }
        return new Message(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, method.textValue(), id,
            paramsMap), null, false, null);
    }

    /** A string or an integer id, else null. */
    private static Object id(final JsonNode id)
    {
        if (id == null)
        {
            return null;
        }
        if (id.isTextual())
        {
            return id.textValue();
        }
        if (id.isIntegralNumber() && id.canConvertToLong())
        {
            final long value = id.longValue();
            return value == (int)value ? Integer.valueOf((int)value) : Long.valueOf(value);
        }
        return null;
    }

    private static String paramsProblem(final String method, final JsonNode params)
    {
        if (params != null && !params.isNull() && !params.isObject())
        {
            return "'params' must be an object";
        }
        final JsonNode meta = params == null ? null : params.get("_meta");
        if (meta != null && !meta.isNull() && !meta.isObject())
        {
            return "'params._meta' must be an object";
        }
        switch (method)
        {
            case McpSchema.METHOD_TOOLS_CALL ->
            {
                if (params == null || params.isNull())
                {
                    return "tools/call needs params {name, arguments}";
                }
                final JsonNode name = params.get("name");
                if (name == null || !name.isTextual() || name.textValue().isEmpty())
                {
                    return "'params.name' must name a tool";
                }
                final JsonNode arguments = params.get("arguments");
                if (arguments != null && !arguments.isNull() && !arguments.isObject())
                {
                    return "'params.arguments' must be an object";
                }
                return null;
            }
            case McpSchema.METHOD_INITIALIZE ->
            {
                if (params == null || params.isNull())
                {
                    return "initialize needs params {protocolVersion, capabilities, clientInfo}";
                }
                if (!params.path("protocolVersion").isTextual())
                {
                    return "'params.protocolVersion' must be a string";
                }
                for (final String field : new String[]{"capabilities", "clientInfo"})
                {
                    final JsonNode value = params.get(field);
                    if (value != null && !value.isNull() && !value.isObject())
                    {
                        return "'params." + field + "' must be an object";
                    }
                }
                return null;
            }
            case McpSchema.METHOD_TOOLS_LIST ->
            {
                final JsonNode cursor = params == null ? null : params.get("cursor");
                return cursor != null && !cursor.isNull() && !cursor.isTextual() ? "'params.cursor' must be a string" :
                    null;
            }
            default ->
            {
                return null;
            }
        }
    }

    private static Message failed(final Object id, final int code, final String message)
    {
        return new Message(null, null, false, errorResponse(id, code, message));
    }

    /** A JSON-RPC error response; {@code id} null when the request's could not be read. */
    static ObjectNode errorResponse(final Object id, final int code, final String message)
    {
        final ObjectNode response = JsonNodeFactory.instance.objectNode().put("jsonrpc", McpSchema.JSONRPC_VERSION);
        if (id instanceof String text)
        {
            response.put("id", text);
        }
        else if (id instanceof Number number)
        {
            response.put("id", number.longValue());
        }
        else
        {
            response.putNull("id");
        }
        response.putObject("error").put("code", code).put("message", message);
        return response;
    }
}
