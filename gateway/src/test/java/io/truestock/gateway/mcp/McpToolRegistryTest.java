package io.truestock.gateway.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.truestock.gateway.auth.KeyGuard;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seam other parts add their tools through: one name each, closed once the endpoint is built. */
class McpToolRegistryTest
{
    /** Keys that know no one and limit nothing: these tests never serve a request. */
    private static final KeyGuard OPEN = KeyGuard.of(token -> null);
    private static final ObjectMapper MAPPER = McpEndpoint.newMapper();

    @Test
    void aNameIsTakenOnceAndTheRegistryClosesWhenTheEndpointIsBuilt()
    {
        final McpToolRegistry registry = new McpToolRegistry().add(tool("a")).add(tool("b"));
        assertThat(registry.names()).containsExactly("a", "b");
        assertThatThrownBy(() -> registry.add(tool("a"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'a'");
        McpEndpoint.start(MAPPER, registry, OPEN, java.util.List.of(), new ToolSchemaValidator(MAPPER, true), "test");
        assertThatThrownBy(() -> registry.add(tool("c"))).isInstanceOf(IllegalStateException.class);
        assertThat(registry.names()).containsExactly("a", "b");
    }

    @Test
    void aToolWhoseSchemaIsNotJsonSchemaStopsTheBuild()
    {
        final McpToolRegistry registry = new McpToolRegistry().add(AsyncToolSpecification.builder()
            .tool(Tool.builder("broken", Map.of("type", "object", "required", "sku")).build())
            .callHandler((context, request) -> Mono.just(CallToolResult.builder().build())).build());
        assertThatThrownBy(() -> McpEndpoint.start(MAPPER, registry, OPEN, java.util.List.of(),
            new ToolSchemaValidator(MAPPER, true), "test"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static AsyncToolSpecification tool(final String name)
    {
        return AsyncToolSpecification.builder()
            .tool(Tool.builder(name, Map.of("type", "object")).description("test").build())
            .callHandler((context, request) -> Mono.just(CallToolResult.builder().build()))
            .build();
    }
}
