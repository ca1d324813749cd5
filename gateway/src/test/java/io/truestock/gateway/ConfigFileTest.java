package io.truestock.gateway;

import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.auth.RateLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest
{
    @TempDir
    Path dir;

    @Test
    void theSampleConfigParsesToTheDefaults()
    {
        final Path sample = Path.of("..", "config", "truestock.yaml");
        final ServerConfig config = new ServerConfig();
        ConfigFile.apply(sample, config);
        config.conclude();
        final ServerConfig defaults = new ServerConfig().conclude();
        assertThat(config.httpPort()).isEqualTo(defaults.httpPort());
        assertThat(config.binaryPort()).isEqualTo(defaults.binaryPort());
        assertThat(config.engine().maxSkus()).isEqualTo(defaults.engine().maxSkus());
        assertThat(config.engine().maxOrders()).isEqualTo(defaults.engine().maxOrders());
        assertThat(config.engine().idempotencyWindowMillis()).isEqualTo(defaults.engine().idempotencyWindowMillis());
        assertThat(config.runtime().ringSize()).isEqualTo(defaults.runtime().ringSize());
        assertThat(config.runtime().waitStrategy()).isEqualTo(defaults.runtime().waitStrategy());
        assertThat(config.rateLimits()).isEqualTo(defaults.rateLimits());
        assertThat(config.ioSpinMicros()).isEqualTo(defaults.ioSpinMicros()).isZero();
        assertThat(config.dataDir().normalize()).isEqualTo(sample.toAbsolutePath().getParent().resolve("../data").normalize());
    }

    @Test
    void valuesOverrideDefaultsAndMistakesAreRefusedWithTheKey() throws Exception
    {
        final Path file = dir.resolve("t.yaml");
        Files.writeString(file, "http_port: 9999\nbounds:\n  max_skus: 10\nwait_strategy: blocking\n");
        final ServerConfig config = new ServerConfig();
        ConfigFile.apply(file, config);
        assertThat(config.httpPort()).isEqualTo(9999);
        assertThat(config.engine().maxSkus()).isEqualTo(10);
        assertThat(config.runtime().waitStrategy()).isEqualTo("blocking");

        Files.writeString(file, "bounds:\n  max_skuz: 10\n");
        assertThatThrownBy(() -> ConfigFile.apply(file, new ServerConfig()))
            .hasMessageContaining("bounds.max_skuz");
        Files.writeString(file, "http_port: \"eighty\"\n");
        assertThatThrownBy(() -> ConfigFile.apply(file, new ServerConfig()))
            .hasMessageContaining("http_port");
        Files.writeString(file, "catalog:\n  carriers:\n    ups:\n      name: UPS\n      services:\n" +
            "        - id: ground\n          zones:\n            - {country: USA, min_transit_days: 1, max_transit_days: 2}\n");
        assertThatThrownBy(() -> ConfigFile.apply(file, new ServerConfig()))
            .hasMessageContaining("catalog.carriers.ups").hasMessageContaining("country");
        Files.writeString(file, "wait_strategy: warp\n");
        final ServerConfig bad = new ServerConfig();
        ConfigFile.apply(file, bad);
        assertThatThrownBy(bad::conclude).hasMessageContaining("warp");
    }

    @Test
    void theIoSpinIsBoundedAndOffByDefault() throws Exception
    {
        final Path file = dir.resolve("spin.yaml");
        Files.writeString(file, "io_spin_micros: 500\n");
        final ServerConfig config = new ServerConfig();
        ConfigFile.apply(file, config);
        assertThat(config.conclude().ioSpinMicros()).isEqualTo(500);
        for (final String bad : new String[] {"-1", "1000001"})
        {
            Files.writeString(file, "io_spin_micros: " + bad + "\n");
            final ServerConfig refused = new ServerConfig();
            ConfigFile.apply(file, refused);
            assertThatThrownBy(refused::conclude).hasMessageContaining("io_spin_micros");
        }
        Files.writeString(file, "io_spin_micros: fast\n");
        assertThatThrownBy(() -> ConfigFile.apply(file, new ServerConfig())).hasMessageContaining("io_spin_micros");
    }

    @Test
    void theMcpEndpointTakesConfiguredBrowserOrigins() throws Exception
    {
        final Path file = dir.resolve("mcp.yaml");
        Files.writeString(file, "mcp:\n  allowed_origins: [\"https://console.example.com\", \"http://intranet:*\"]\n");
        final ServerConfig config = new ServerConfig();
        ConfigFile.apply(file, config);
        assertThat(config.mcpAllowedOrigins()).containsExactly("https://console.example.com", "http://intranet:*");

        Files.writeString(file, "mcp:\n  allowed_origins: [\"console.example.com\"]\n");
        assertThatThrownBy(() -> ConfigFile.apply(file, new ServerConfig()))
            .hasMessageContaining("mcp.allowed_origins");
        Files.writeString(file, "mcp:\n  allowed_origin: []\n");
        assertThatThrownBy(() -> ConfigFile.apply(file, new ServerConfig()))
            .hasMessageContaining("mcp.allowed_origin");
        assertThat(new ServerConfig().mcpAllowedOrigins()).as("loopback origins only by default").isEmpty();

        assertThat(new ServerConfig().mcpValidateResults()).as("off by default").isFalse();
        Files.writeString(file, "mcp:\n  validate_results: true\n");
        final ServerConfig checking = new ServerConfig();
        ConfigFile.apply(file, checking);
        assertThat(checking.mcpValidateResults()).isTrue();
        Files.writeString(file, "mcp:\n  validate_results: 1\n");
        assertThatThrownBy(() -> ConfigFile.apply(file, new ServerConfig()))
            .hasMessageContaining("validate_results").hasMessageContaining("true or false");
    }

    @Test
    void theCatalogDefinesLocationsAndCarriersAsTheirHttpBodiesWould() throws Exception
    {
        final Path file = dir.resolve("catalog.yaml");
        Files.writeString(file, String.join("\n",
            "catalog:",
            "  locations:",
            "    oak: {name: Oakland DC, timezone: America/Los_Angeles, cutoff: \"14:00\", handling_days: 1}",
            "  carriers:",
            "    ups:",
            "      name: UPS",
            "      services:",
            "        - id: ground",
            "          zones:",
            "            - {location: oak, country: US, postal_prefix: \"9\", min_transit_days: 1, max_transit_days: 2}",
            ""));
        final ServerConfig config = new ServerConfig();
        ConfigFile.apply(file, config);

        assertThat(config.catalogLocations()).containsOnlyKeys("oak");
        assertThat(config.catalogLocations().get("oak").timezone()).isEqualTo("America/Los_Angeles");
        assertThat(config.catalogLocations().get("oak").cutoffMinute()).isEqualTo(14 * 60);
        assertThat(config.catalogLocations().get("oak").handlingDays()).isEqualTo(1);
        assertThat(config.catalogCarriers()).containsOnlyKeys("ups");
        assertThat(config.catalogCarriers().get("ups").services().get(0).zones().get(0).maxTransitDays()).isEqualTo(2);
    }

    @Test
    void aServerAppliesTheCatalogAtStartAndOnlyWhenItChanged() throws Exception
    {
        final Path file = dir.resolve("catalog.yaml");
        Files.writeString(file, String.join("\n",
            "http_port: 0",
            "binary_port: -1",
            "data_dir: data",
            "catalog:",
            "  locations:",
            "    oak: {name: Oakland DC, timezone: America/Los_Angeles}",
            "  carriers:",
            "    ups: {name: UPS, services: [{id: ground, zones: [{country: US, min_transit_days: 1, max_transit_days: 2}]}]}",
            ""));
        final ServerConfig config = new ServerConfig();
        ConfigFile.apply(file, config);
        final long firstSequence;
        try (TruestockServer server = TruestockServer.start(config))
        {
            assertThat(server.engine().locationIndex("oak")).isGreaterThanOrEqualTo(0);
            assertThat(server.engine().carriers()).containsKey("ups");
            firstSequence = server.engine().lastSequence();
            assertThat(firstSequence).isEqualTo(2);
        }
        final ServerConfig again = new ServerConfig();
        ConfigFile.apply(file, again);
        try (TruestockServer server = TruestockServer.start(again))
        {
            assertThat(server.engine().lastSequence()).as("an unchanged catalog journals nothing").isEqualTo(firstSequence);
        }
    }

    @Test
    void rateLimitsPerScopeOverrideTheBuiltInDefaultsFieldByField() throws Exception
    {
        final Path file = dir.resolve("limits.yaml");
        Files.writeString(file, "rate_limits:\n  agent: {reads_per_second: 50}\n" +
            "  channel: {writes_per_second: unlimited, read_burst: 7}\n" +
            "  admin: {writes_per_second: 10, write_burst: 20}\n");
        final ServerConfig config = new ServerConfig();

        ConfigFile.apply(file, config);

        assertThat(config.rateLimit(Principal.Scope.AGENT)).isEqualTo(new RateLimit(new RateLimit.Rate(50, 50),
            RateLimit.AGENT_DEFAULT.writes()));
        assertThat(config.rateLimit(Principal.Scope.CHANNEL)).isEqualTo(new RateLimit(
            new RateLimit.Rate(RateLimit.CHANNEL_DEFAULT.reads().perSecond(), 7), null));
        assertThat(config.rateLimit(Principal.Scope.ADMIN)).isEqualTo(new RateLimit(null,
            new RateLimit.Rate(10, 20)));
        assertThat(new ServerConfig().rateLimit(Principal.Scope.ADMIN)).isEqualTo(RateLimit.UNLIMITED);

        for (final String bad : new String[] {"rate_limits:\n  robots: {reads_per_second: 1}\n",
            "rate_limits:\n  agent: {reads_per_sec: 1}\n", "rate_limits:\n  agent: {reads_per_second: 0}\n",
            "rate_limits:\n  agent: {reads_per_second: fast}\n",
            "rate_limits:\n  agent: {reads_per_second: unlimited, read_burst: 5}\n",
            "rate_limits:\n  admin: {read_burst: 5}\n", "rate_limits:\n  agent: {write_burst: 1000001}\n"})
        {
            Files.writeString(file, bad);
            assertThatThrownBy(() -> ConfigFile.apply(file, new ServerConfig())).as(bad)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate_limits");
        }
    }
}
