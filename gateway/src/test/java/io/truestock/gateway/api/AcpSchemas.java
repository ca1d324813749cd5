package io.truestock.gateway.api;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published ACP 2026-04-17 JSON Schema bundle, read in place from the protocol files beside the repository
 * ({@code ../shared/protocols/acp-2026-04-17} from the repository root). Where the folder is absent, {@link #check}
 * says so once and checks nothing; the behaviour the tests assert is still asserted.
 */
final class AcpSchemas
{
    /** The protocol folder, relative to the gateway module (the tests' working directory) or the repository root. */
    static final Path DIR = locate();
    private static final String BUNDLE = "json-schema/schema.agentic_checkout.json";
    private static final String IRI = "https://example.com/schemas/agentic-checkout/bundle.schema.json";
    private static final SchemaRegistry REGISTRY = registry();
    private static boolean warned;

    private AcpSchemas()
    {
    }

    private static Path locate()
    {
        for (final String candidate : new String[] {"../../shared/protocols/acp-2026-04-17",
            "../shared/protocols/acp-2026-04-17"})
        {
            final Path dir = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(dir.resolve(BUNDLE)))
            {
                return dir;
            }
        }
        return null;
    }

    static boolean present()
    {
        return DIR != null;
    }

    private static SchemaRegistry registry()
    {
        if (DIR == null)
        {
            return null;
        }
        try
        {
            final String text = Files.readString(DIR.resolve(BUNDLE));
            return SchemaRegistry.withDefaultDialect(Dialects.getDraft202012(),
                builder -> builder.schemas(Map.of(IRI, text)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Problems of {@code json} against {@code $defs/<definition>}; empty when valid or when the schemas are absent. */
    static List<String> problems(final String definition, final String json)
    {
        final List<String> problems = new ArrayList<>();
        if (REGISTRY == null)
        {
            synchronized (AcpSchemas.class)
            {
                if (!warned)
                {
                    warned = true;
                    System.err.println("ACP schema checks skipped: ../shared/protocols/acp-2026-04-17 is not " +
                        "beside the repository");
                }
            }
            return problems;
        }
        final Schema schema = REGISTRY.getSchema(SchemaLocation.of(IRI + "#/$defs/" + definition));
        for (final Error error : schema.validate(json, InputFormat.JSON))
        {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return problems;
    }

    /** Requires {@code json} to be a valid {@code $defs/<definition>} (when the schemas are present). */
    static void check(final String definition, final String json)
    {
        assertThat(problems(definition, json)).as("%s against $defs/%s", json, definition).isEmpty();
    }

    static String read(final String file)
    {
        try
        {
            return Files.readString(DIR.resolve(file));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
