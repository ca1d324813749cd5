package io.truestock.gateway.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MCP SDK's {@link JsonSchemaValidator} on the gateway's JSON Schema 2020-12 validator: the SDK checks every
 * tool's schemas when the server is built ({@link #validateSchema}) and every successful tool result against its
 * output schema ({@link #validate}); a result that breaks its schema reaches the agent as a tool error, never as
 * data. Compiled schemas are kept by identity (tools hold theirs for the server's life), at most
 * {@link #MAX_COMPILED}; past the bound a schema is compiled for the one call. Results are checked only when asked
 * at construction ({@code mcp.validate_results}); tool schemas always are. Thread safe.
 */
public final class ToolSchemaValidator implements JsonSchemaValidator
{
    static final int MAX_COMPILED = 256;
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    private static final int MAX_REPORTED_ERRORS = 5;

    private final ObjectMapper mapper;
    private final boolean checkResults;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<Identity, Schema> compiled = new ConcurrentHashMap<>();
    private final Schema metaSchema;

    /** A schema map compared by identity: hashing a nested map on every call would cost more than validating. */
    private record Identity(Map<String, Object> schema)
    {
        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Identity that && that.schema == schema;
        }

        @Override
        public int hashCode()
        {
            return System.identityHashCode(schema);
        }
    }

    /**
     * @param checkResults whether {@link #validate} checks results; when false it passes every result unread (the
     *                     SDK then uses the tool's own text content, which every tool here sets).
     */
    public ToolSchemaValidator(final ObjectMapper mapper, final boolean checkResults)
    {
        this.mapper = mapper;
        this.checkResults = checkResults;
        this.metaSchema = registry.getSchema(SchemaLocation.of(META_SCHEMA));
    }

    @Override
    public ValidationResponse validate(final Map<String, Object> schema, final Object structuredContent)
    {
        if (!checkResults)
        {
            return ValidationResponse.asValid(null);
        }
        final String json;
        try
        {
            json = mapper.writeValueAsString(structuredContent);
        }
        catch (final JsonProcessingException ex)
        {
            return ValidationResponse.asInvalid("the content is not JSON: " + ex.getOriginalMessage());
        }
        final List<Error> errors = compile(schema).validate(json, InputFormat.JSON);
        return errors.isEmpty() ? ValidationResponse.asValid(json) : ValidationResponse.asInvalid(describe(errors));
    }

    @Override
    public ValidationResponse validateSchema(final Map<String, Object> schema)
    {
        try
        {
            final List<Error> errors = metaSchema.validate(mapper.writeValueAsString(schema), InputFormat.JSON);
            return errors.isEmpty() ? ValidationResponse.asValid(null) : ValidationResponse.asInvalid(describe(errors));
        }
        catch (final JsonProcessingException ex)
        {
            return ValidationResponse.asInvalid("the schema is not JSON: " + ex.getOriginalMessage());
        }
    }

    private Schema compile(final Map<String, Object> schema)
    {
        final Identity key = new Identity(schema);
        final Schema known = compiled.get(key);
        if (known != null)
        {
            return known;
        }
        final Schema fresh;
        try
        {
            fresh = registry.getSchema(mapper.writeValueAsString(schema), InputFormat.JSON);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("the schema is not JSON: " + ex.getOriginalMessage(), ex);
        }
        if (compiled.size() < MAX_COMPILED)
        {
            compiled.putIfAbsent(key, fresh);
        }
        return fresh;
    }

    private static String describe(final List<Error> errors)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < errors.size() && i < MAX_REPORTED_ERRORS; i++)
        {
            final Error error = errors.get(i);
            text.append(i == 0 ? "" : "; ").append(error.getInstanceLocation()).append(": ").append(error.getMessage());
        }
        if (errors.size() > MAX_REPORTED_ERRORS)
        {
            text.append("; and ").append(errors.size() - MAX_REPORTED_ERRORS).append(" more");
        }
        return text.toString();
    }
}
