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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published UCP 2026-04-08 JSON Schemas, read in place from the protocol files beside the repository
 * ({@code ../shared/protocols/ucp-2026-04-08} from the repository root), as {@link AcpSchemas} reads ACP's: each
 * {@code https://ucp.dev/schemas/...} identifier resolves to its file there. Where the folder is absent,
 * {@link #check} says so once and checks nothing; the behaviour the tests assert is still asserted.
 */
final class UcpSchemas
{
    static final String BASE = "https://ucp.dev/schemas/";
    static final String PROFILE = BASE + "discovery/profile.json";
    /** The checkout with the fulfillment extension, as this server answers it. */
    static final String CHECKOUT = BASE + "shopping/fulfillment.json#/$defs/dev.ucp.shopping.checkout";
    static final String ORDER = BASE + "shopping/order.json";
    static final String ERROR = BASE + "shopping/types/error_response.json";
    static final String SEARCH = BASE + "shopping/catalog_search.json#/$defs/search_response";
    static final String LOOKUP = BASE + "shopping/catalog_lookup.json#/$defs/lookup_response";
    static final String PRODUCT = BASE + "shopping/catalog_lookup.json#/$defs/get_product_response";

    static final Path DIR = locate();
    private static final SchemaRegistry REGISTRY = DIR == null ? null :
        SchemaRegistry.withDefaultDialect(Dialects.getDraft202012(), builder -> builder.schemas(UcpSchemas::load));
    private static boolean warned;

    private UcpSchemas()
    {
    }

    private static Path locate()
    {
        for (final String candidate : new String[] {"../../shared/protocols/ucp-2026-04-08",
            "../shared/protocols/ucp-2026-04-08"})
        {
            final Path dir = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(dir.resolve("discovery/profile_schema.json")))
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

    /** The file of a schema identifier; the profile's relative references land under {@code schemas/schemas/}. */
    private static String load(final String iri)
    {
        final Path file;
        if (iri.equals(PROFILE))
        {
            file = DIR.resolve("discovery/profile_schema.json");
        }
        else if (iri.startsWith(BASE + "schemas/"))
        {
            file = DIR.resolve("schemas").resolve(iri.substring((BASE + "schemas/").length()));
        }
        else if (iri.startsWith(BASE))
        {
            file = DIR.resolve("schemas").resolve(iri.substring(BASE.length()));
        }
        else
        {
            return null;
        }
        try
        {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Problems of {@code json} against the schema at {@code iri}; empty when valid or when the schemas are absent. */
    static List<String> problems(final String iri, final String json)
    {
        final List<String> problems = new ArrayList<>();
        if (REGISTRY == null)
        {
            synchronized (UcpSchemas.class)
            {
                if (!warned)
                {
                    warned = true;
                    System.err.println("UCP schema checks skipped: ../shared/protocols/ucp-2026-04-08 is not " +
                        "beside the repository");
                }
            }
            return problems;
        }
        final Schema schema = REGISTRY.getSchema(SchemaLocation.of(iri));
        for (final Error error : schema.validate(json, InputFormat.JSON))
        {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return problems;
    }

    static void check(final String iri, final String json)
    {
        assertThat(problems(iri, json)).as("%s against %s", json, iri).isEmpty();
    }
}
