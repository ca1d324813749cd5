package io.truestock.gateway.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.engine.Ids;

import java.io.IOException;
import java.util.Iterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of a JSON request body: unknown fields, wrong types, fractions, numbers out of range and
 * duplicate keys are all {@code 400 invalid_request} naming the offending field as a JSON path; anything but
 * whitespace after the body's one JSON value is malformed JSON.
 */
public final class JsonBody
{
    private static final ObjectMapper MAPPER = strictMapper(StreamReadConstraints.builder().maxNestingDepth(16)
        .maxNumberLength(32).maxStringLength(64 * 1024).build());

    private final ObjectNode node;
    private final String path;

    private JsonBody(final ObjectNode node, final String path)
    {
        this.node = node;
        this.path = path;
    }

    public static JsonBody parse(final byte[] bytes)
    {
        if (bytes.length == 0)
        {
            throw ApiException.invalid("request body is empty; a JSON object is required", "$");
        }
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(bytes);
        }
        catch (final IOException ex)
        {
            throw ApiException.invalid("malformed JSON: " + firstLine(ex.getMessage()), "$");
        }
        if (root == null || !root.isObject())
        {
            throw ApiException.invalid("request body must be a JSON object", "$");
        }
        return new JsonBody((ObjectNode)root, "$");
    }

    /**
     * A mapper that reads a request body as exactly one JSON value within {@code constraints}: a duplicate key, or
     * anything but whitespace after the value ({@code {...} xx}, a second value), fails the read as malformed JSON.
     * Every JSON body the server accepts from a client (the API, the agent protocols, MCP, channel webhooks) is read
     * with one, so that no endpoint acts on a prefix of what it was sent.
     */
    public static ObjectMapper strictMapper(final StreamReadConstraints constraints)
    {
        return new ObjectMapper(JsonFactory.builder().streamReadConstraints(constraints).build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Strict reading of a JSON object parsed elsewhere (an agent tool's arguments), fields named from {@code $}. */
    public static JsonBody of(final ObjectNode node)
    {
        return new JsonBody(node, "$");
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "unreadable";
        }
        final int newline = message.indexOf('\n');
        final String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    public static ObjectMapper mapper()
    {
        return MAPPER;
    }

    /** Rejects any field not in {@code allowed}. */
    public JsonBody only(final Set<String> allowed)
    {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext())
        {
            final String name = names.next();
            if (!allowed.contains(name))
            {
                throw ApiException.invalid("unknown field '" + name + "'", path(name));
            }
        }
        return this;
    }

    public String path(final String field)
    {
        return path + '.' + field;
    }

    public boolean has(final String field)
    {
        final JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    public String string(final String field, final int maxLength)
    {
        final String value = optionalString(field, maxLength);
        if (value == null)
        {
            throw ApiException.invalid("'" + field + "' is required", path(field));
        }
        return value;
    }

    public String optionalString(final String field, final int maxLength)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isTextual())
        {
            throw ApiException.invalid("'" + field + "' must be a string", path(field));
        }
        final String text = value.textValue();
        if (text.length() > maxLength)
        {
            throw ApiException.invalid("'" + field + "' is longer than " + maxLength + " characters", path(field));
        }
        return text;
    }

    public String id(final String field)
    {
        final String value = string(field, Ids.MAX_LENGTH);
        if (!Ids.isValid(value))
        {
            throw ApiException.invalid("'" + field + "' must match [A-Za-z0-9._:-]{1,64}", path(field));
        }
        return value;
    }

    public long integer(final String field, final long min, final long max)
    {
        if (!has(field))
        {
            throw ApiException.invalid("'" + field + "' is required", path(field));
        }
        return optionalInteger(field, min, max, 0);
    }

    public long optionalInteger(final String field, final long min, final long max, final long absent)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw ApiException.invalid("'" + field + "' must be an integer in [" + min + ", " + max + "]", path(field));
        }
        final long number = value.longValue();
        if (number < min || number > max)
        {
            throw ApiException.invalid("'" + field + "' must be an integer in [" + min + ", " + max + "]", path(field));
        }
        return number;
    }

    /** The object's field names, in document order; at most {@code maxCount}, else a clear error. */
    public List<String> fieldNames(final int maxCount)
    {
        if (node.size() > maxCount)
        {
            throw ApiException.invalid("at most " + maxCount + " entries", path);
        }
        final List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public JsonBody object(final String field)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isObject())
        {
            throw ApiException.invalid("'" + field + "' must be an object", path(field));
        }
        return new JsonBody((ObjectNode)value, path(field));
    }

    /** @return the array's elements as objects, or null when absent. */
    public JsonBody[] objects(final String field, final int maxCount)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isArray())
        {
            throw ApiException.invalid("'" + field + "' must be an array", path(field));
        }
        if (value.size() > maxCount)
        {
            throw ApiException.invalid("'" + field + "' has more than " + maxCount + " entries", path(field));
        }
        final JsonBody[] items = new JsonBody[value.size()];
        for (int i = 0; i < items.length; i++)
        {
            final JsonNode item = value.get(i);
            if (!item.isObject())
            {
                throw ApiException.invalid("'" + field + "[" + i + "]' must be an object", path(field) + '[' + i + ']');
            }
            items[i] = new JsonBody((ObjectNode)item, path(field) + '[' + i + ']');
        }
        return items;
    }

    /** @return the array's elements as strings, or null when absent. */
    public String[] strings(final String field, final int maxCount, final int maxLength)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isArray())
        {
            throw ApiException.invalid("'" + field + "' must be an array", path(field));
        }
        if (value.size() > maxCount)
        {
            throw ApiException.invalid("'" + field + "' has more than " + maxCount + " entries", path(field));
        }
        final String[] items = new String[value.size()];
        for (int i = 0; i < items.length; i++)
        {
            final JsonNode item = value.get(i);
            if (!item.isTextual() || item.textValue().length() > maxLength)
            {
                throw ApiException.invalid("'" + field + "[" + i + "]' must be a string of at most " + maxLength +
                    " characters", path(field) + '[' + i + ']');
            }
            items[i] = item.textValue();
        }
        return items;
    }

    public ObjectNode node()
    {
        return node;
    }
}
