package io.truestock.gateway.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The validator the MCP SDK checks tool schemas and results with, and the schemas the tools take from OpenAPI. */
class ToolSchemaValidatorTest
{
    private final ObjectMapper mapper = McpEndpoint.newMapper();
    private final ToolSchemaValidator validator = new ToolSchemaValidator(mapper, true);
    private final ToolSchemas schemas = new ToolSchemas(mapper);

    @Test
    void aResultIsCheckedAgainstItsOutputSchema()
    {
        final Map<String, Object> money = schemas.component("Money");
        final ValidationResponse valid = validator.validate(money, Map.of("amount", 100, "currency", "USD"));
        assertThat(valid.valid()).as(valid.errorMessage()).isTrue();
        assertThat(valid.jsonStructuredOutput()).contains("\"currency\":\"USD\"");
        final ValidationResponse invalid = validator.validate(money, Map.of("amount", -1, "currency", "usd"));
        assertThat(invalid.valid()).isFalse();
        assertThat(invalid.errorMessage()).contains("amount").contains("currency");
        assertThat(validator.validate(money, Map.of("amount", 1, "currency", "USD", "extra", true)).valid()).isFalse();
    }

    @Test
    void withResultChecksOffEveryResultPassesButSchemasAreStillChecked()
    {
        final ToolSchemaValidator unchecked = new ToolSchemaValidator(mapper, false);
        final Map<String, Object> money = schemas.component("Money");
        assertThat(unchecked.validate(money, Map.of("amount", -1, "currency", "usd")).valid()).isTrue();
        assertThat(unchecked.validateSchema(Map.of("type", 5)).valid()).isFalse();
    }

    @Test
    void aComponentBecomesSelfContained()
    {
        final Map<String, Object> offer = schemas.component("Offer");
        assertThat(offer).containsKey("$defs");
        @SuppressWarnings("unchecked") final Map<String, Object> defs = (Map<String, Object>)offer.get("$defs");
        assertThat(defs).containsKeys("Money", "Quote", "OfferDelivery");
        assertThat(mapper.valueToTree(offer).toString()).doesNotContain("#/components/");
        assertThat(validator.validateSchema(offer).valid()).isTrue();
    }

    @Test
    void aSchemaThatIsNotJsonSchemaIsRefused()
    {
        final ValidationResponse response = validator.validateSchema(Map.of("type", 5, "required", List.of(1)));
        assertThat(response.valid()).isFalse();
        assertThat(response.errorMessage()).isNotEmpty();
    }

    @Test
    void aSchemaWrittenByATool()
    {
        final Map<String, Object> schema = schemas.parse("{\"type\":\"object\",\"properties\":{\"price\":" +
            "{\"$ref\":\"#/$defs/Money\"}},\"required\":[\"price\"]}");
        assertThat(validator.validate(schema, Map.of("price", Map.of("amount", 5, "currency", "EUR"))).valid())
            .isTrue();
        assertThat(validator.validate(schema, Map.of("price", Map.of("amount", 5))).valid()).isFalse();
    }
}
