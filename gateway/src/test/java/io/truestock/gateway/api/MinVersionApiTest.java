package io.truestock.gateway.api;

import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ?min_version=V} on a read (API.md, cluster mode; a single node honours it too): served at once when the
 * node has applied V, refused when V is not a non-negative integer, and answered 503 {@code version_not_reached}
 * when the node does not reach V within the bound.
 */
class MinVersionApiTest
{
    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @Test
    void aReadAtAnAppliedVersionIsServedWithThatVersionOrNewer()
    {
        api.standardCatalog(10, "shoe");
        final long version = api.send("GET", "/v1/skus/shoe", null).json().path("version").asLong();

        final Reply reply = api.send("GET", "/v1/skus/shoe?min_version=" + version, null);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("version").asLong()).isGreaterThanOrEqualTo(version);
    }

    @Test
    void aMinVersionThatIsNotANonNegativeIntegerIsRefused()
    {
        api.standardCatalog(10, "shoe");
        for (final String bad : new String[] {"abc", "-1", "1.5", "99999999999999999999"})
        {
            final Reply reply = api.send("GET", "/v1/skus/shoe?min_version=" + bad, null);
            assertThat(reply.status()).as(bad + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.json().path("param").asText()).isEqualTo("min_version");
        }
    }

    @Test
    void aVersionNeverReachedIsAnswered503AfterTheBound()
    {
        api.standardCatalog(10, "shoe");

        final Reply reply = api.send("GET", "/v1/skus/shoe?min_version=1000000", null);

        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.json().path("code").asText()).isEqualTo("version_not_reached");
    }
}
