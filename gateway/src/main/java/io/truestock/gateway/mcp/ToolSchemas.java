package io.truestock.gateway.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.gateway.http.OpenApiEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Map.Entry;
import java.util.TreeMap;

/**
 * The JSON Schemas (2020-12) of agent tools, taken from the API's own OpenAPI document so a tool's result has exactly
 * the shape of the HTTP response it mirrors: {@link #component} turns a component schema into a self-contained
 * schema, with every component it references under {@code $defs}. Tools whose arguments have no component write
 * theirs with {@link #parse}, referring to the same {@code $defs} by {@code #/$defs/Name}.
 */
public final class ToolSchemas
{
    private static final String COMPONENTS = "#/components/schemas/";
    private static final String DEFS = "#/$defs/";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>()
    {
    };

    private final ObjectMapper mapper;
    private final JsonNode components;

    public ToolSchemas(final ObjectMapper mapper)
    {
        this.mapper = mapper;
        try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(OpenApiEndpoint.RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("the OpenAPI document " + OpenApiEndpoint.RESOURCE + " is missing");
            }
            components = mapper.readTree(in).path("components").path("schemas");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The OpenAPI component {@code name} as a self-contained JSON Schema. */
    public Map<String, Object> component(final String name)
    {
        final JsonNode schema = components.get(name);
        if (schema == null)
        {
            throw new IllegalArgumentException("no component schema '" + name + "'");
        }
        return selfContained(schema.deepCopy());
    }

    /**
     * A schema written as JSON text; {@code #/$defs/Name} references to components of the OpenAPI document are
     * resolved by adding those components under {@code $defs}.
     */
    public Map<String, Object> parse(final String json)
    {
        try
        {
            return selfContained(mapper.readTree(json));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("not a JSON schema: " + ex.getMessage(), ex);
        }
    }

    private Map<String, Object> selfContained(final JsonNode root)
    {
        final Map<String, JsonNode> defs = new TreeMap<>();
        final Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty())
        {
            final JsonNode node = pending.pop();
            if (node.isObject())
            {
                final ObjectNode object = (ObjectNode)node;
                final JsonNode ref = object.get("$ref");
                if (ref != null && ref.isTextual())
                {
                    final String name = refName(ref.textValue());
                    object.put("$ref", DEFS + name);
                    if (!defs.containsKey(name))
                    {
                        final JsonNode component = components.get(name);
                        if (component == null)
                        {
                            throw new IllegalArgumentException("no component schema '" + name + "'");
                        }
                        final JsonNode copy = component.deepCopy();
                        defs.put(name, copy);
                        pending.push(copy);
                    }
                }
                for (final Entry<String, JsonNode> field : object.properties())
                {
                    if (!field.getKey().equals("$ref"))
                    {
                        pending.push(field.getValue());
                    }
                }
            }
            else if (node.isArray())
            {
                node.forEach(pending::push);
            }
        }
        if (!defs.isEmpty())
        {
            final ObjectNode all = ((ObjectNode)root).putObject("$defs");
            defs.forEach(all::set);
        }
        return mapper.convertValue(root, MAP);
    }

    private static String refName(final String ref)
    {
        if (ref.startsWith(COMPONENTS))
        {
            return ref.substring(COMPONENTS.length());
        }
        if (ref.startsWith(DEFS))
        {
            return ref.substring(DEFS.length());
        }
        throw new IllegalArgumentException("unsupported $ref '" + ref + "'");
    }
}
