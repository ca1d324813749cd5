package io.truestock.gateway.mcp;

import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools the MCP endpoint serves, collected at assembly: each part of the gateway that speaks to agents (the
 * commerce tools of this package, checkout protocols) adds its own before the endpoint is built, without the
 * others knowing about it. A name is taken once; the registry is sealed when the endpoint is built, so the tool
 * list an agent sees never changes while the server runs. At most {@link #MAX_TOOLS} tools.
 */
public final class McpToolRegistry
{
    public static final int MAX_TOOLS = 128;

    private final Map<String, AsyncToolSpecification> tools = new LinkedHashMap<>();
    private boolean sealed;

    /**
     * Adds a tool. Its handler receives the caller's principal and event loop through the transport context
     * ({@link ToolCalls#principal}, {@link ToolCalls#executor}) and must not block: it returns a Mono that completes
     * when the answer is known.
     *
     * @throws IllegalArgumentException when a tool of that name is already registered.
     * @throws IllegalStateException    when the endpoint is built already, or at {@link #MAX_TOOLS}.
     */
    public synchronized McpToolRegistry add(final AsyncToolSpecification tool)
    {
        if (sealed)
        {
            throw new IllegalStateException("the MCP endpoint is built; tools are added before");
        }
        if (tools.size() >= MAX_TOOLS)
        {
            throw new IllegalStateException("at most " + MAX_TOOLS + " MCP tools");
        }
        final String name = tool.tool().name();
        if (tools.containsKey(name))
        {
            throw new IllegalArgumentException("an MCP tool named '" + name + "' is already registered");
        }
        tools.put(name, tool);
        return this;
    }

    /** The names registered so far, in registration order. */
    public synchronized List<String> names()
    {
        return new ArrayList<>(tools.keySet());
    }

    synchronized List<AsyncToolSpecification> seal()
    {
        sealed = true;
        return new ArrayList<>(tools.values());
    }
}
