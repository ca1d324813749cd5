package io.truestock.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * An OpenAPI 3.1 document as a contract that real responses are held to: the status must be declared for the
 * operation, the media type declared for that status, and the body valid (JSON Schema 2020-12 with the OpenAPI
 * vocabulary) against the schema declared for both. Remembers which operations and statuses were checked, so a test
 * can show that it exercised every operation.
 */
final class OpenApiContract
{
    /** Where the document is registered for the validator; never fetched, only a name for its $refs. */
    private static final String DOCUMENT_IRI = "https://truestock.invalid/v1/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keywords whose subschemas apply to the same instance as their parent, which closes it for them. */
    private static final Set<String> IN_PLACE = Set.of("if", "then", "else", "not");

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Set<Integer>> checked = new TreeMap<>();

    OpenApiContract(final String documentText)
    {
        this(parse(documentText));
    }

    private OpenApiContract(final JsonNode document)
    {
        this.document = document;
        final String text = document.toString();
        this.registry = SchemaRegistry.withDefaultDialect(
            Dialects.getOpenApi31(), builder -> builder.schemas(Map.of(DOCUMENT_IRI, text)));
    }

    /**
     * The same contract with every object schema of the components closed ({@code unevaluatedProperties: false}):
     * a response that carries a field its schema does not name fails it. Members of an {@code allOf} and the
     * subschemas of {@code if}, {@code then}, {@code else} and {@code not} stay open (referenced {@code allOf}
     * members are inlined), so the schema that composes them is the one that closes.
     */
    OpenApiContract closed()
    {
        final JsonNode copy = document.deepCopy();
        final JsonNode schemas = copy.path("components").path("schemas");
        close(schemas, document.path("components").path("schemas"), true);
        return new OpenApiContract(copy);
    }

    private static void close(final JsonNode node, final JsonNode originals, final boolean closeThis)
    {
        if (node.isArray())
        {
            node.forEach(item -> close(item, originals, true));
            return;
        }
        if (!node.isObject())
        {
            return;
        }
        final ObjectNode object = (ObjectNode)node;
        final JsonNode allOf = object.get("allOf");
        if (allOf != null)
        {
            for (int i = 0; i < allOf.size(); i++)
            {
                final JsonNode member = allOf.get(i);
                if (member.has("$ref"))
                {
                    final String name = member.get("$ref").asText().replace("#/components/schemas/", "");
                    ((ArrayNode)allOf).set(i, originals.get(name).deepCopy());
                }
                close(allOf.get(i), originals, false);
            }
        }
        final Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("properties"))
            {
                field.getValue().forEach(property -> close(property, originals, true));
            }
            else if (!field.getKey().equals("allOf"))
            {
                close(field.getValue(), originals, !IN_PLACE.contains(field.getKey()));
            }
        }
        final boolean composes = allOf != null || object.has("properties");
        if (closeThis && composes && !object.has("additionalProperties") && !object.has("unevaluatedProperties"))
        {
            object.put("unevaluatedProperties", false);
        }
    }

    private static JsonNode parse(final String text)
    {
        try
        {
            return JSON.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    JsonNode document()
    {
        return document;
    }

    /** Every operation of the document, as "METHOD /path/{template}". */
    Set<String> operations()
    {
        final Set<String> operations = new TreeSet<>();
        final Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext())
        {
            final Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method ->
            {
                if (METHODS.contains(method))
                {
                    operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return operations;
    }

    /** The statuses checked so far, by operation. */
    Map<String, Set<Integer>> checked()
    {
        return checked;
    }

    /**
     * Fails unless the response is one the operation declares and its body matches the declared schema.
     *
     * @param operation   "METHOD /path/{template}" as the document names it.
     * @param contentType the response's Content-Type header, parameters included (empty when absent).
     */
    void check(final String operation, final int status, final String contentType, final String body)
    {
        final List<String> problems = problems(operation, status, contentType, body);
        assertThat(problems).as("%s answered %d %s: %s", operation, status, contentType, body).isEmpty();
        checked.computeIfAbsent(operation, key -> new TreeSet<>()).add(status);
    }

    /** What is wrong with the response against the document; empty when it conforms. */
    List<String> problems(final String operation, final int status, final String contentType, final String body)
    {
        final List<String> problems = new ArrayList<>();
        final String[] methodAndPath = operation.split(" ", 2);
        final String operationPointer = "/paths/" + escape(methodAndPath[1]) + "/" +
            methodAndPath[0].toLowerCase(Locale.ROOT);
        final JsonNode declared = document.at(operationPointer);
        if (declared.isMissingNode())
        {
            problems.add("the document has no operation " + operation);
            return problems;
        }
        String responsePointer = operationPointer + "/responses/" + status;
        JsonNode response = document.at(responsePointer);
        if (response.isMissingNode())
        {
            problems.add("status " + status + " is not declared for " + operation);
            return problems;
        }
        if (response.has("$ref"))
        {
            responsePointer = response.get("$ref").asText().substring(1);
            response = document.at(responsePointer);
        }
        final JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty())
        {
            if (!body.isEmpty())
            {
                problems.add("status " + status + " declares no body, yet one came");
            }
            return problems;
        }
        final String mediaType = mediaType(contentType);
        if (!content.has(mediaType))
        {
            problems.add("media type '" + mediaType + "' is not declared for " + status + " (declared: " +
                fieldNames(content) + ")");
            return problems;
        }
        final Schema schema = schemaAt(responsePointer + "/content/" + escape(mediaType) + "/schema");
        final String instance = isJson(mediaType) ? body : quoted(body);
        for (final Error error : schema.validate(instance, InputFormat.JSON))
        {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return problems;
    }

    /** Validates {@code json} against a schema of the document named by its JSON pointer. */
    List<String> validate(final String schemaPointer, final String json)
    {
        final List<String> problems = new ArrayList<>();
        final Schema schema = schemaAt(schemaPointer);
        for (final Error error : schema.validate(json, InputFormat.JSON))
        {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return problems;
    }

    static String mediaType(final String contentType)
    {
        final int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(final String mediaType)
    {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static String quoted(final String text)
    {
        try
        {
            return JSON.writeValueAsString(text);
        }
        catch (final JsonProcessingException ex)
        {
            return fail("cannot quote a body", ex);
        }
    }

    /** A JSON pointer token (RFC 6901): "~" and "/" escaped. */
    private static String escape(final String token)
    {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** The schema at a JSON pointer of the document; the pointer becomes a URI fragment, braces percent-encoded. */
    private Schema schemaAt(final String pointer)
    {
        return registry.getSchema(SchemaLocation.of(
            DOCUMENT_IRI + "#" + pointer.replace("{", "%7B").replace("}", "%7D")));
    }

    private static List<String> fieldNames(final JsonNode node)
    {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
