package io.truestock.gateway;

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
        Files.writeString(file, "wait_strategy: warp\n");
        final ServerConfig bad = new ServerConfig();
        ConfigFile.apply(file, bad);
        assertThatThrownBy(bad::conclude).hasMessageContaining("warp");
    }
}
