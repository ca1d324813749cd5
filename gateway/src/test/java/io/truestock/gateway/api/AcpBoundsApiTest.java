package io.truestock.gateway.api;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.truestock.gateway.api.AcpClient.createBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounds of agent checkouts and what happens at them: at most {@code agents.max_sessions} sessions (a create
 * beyond is 503 {@code too_many_sessions} and holds nothing, until sessions end and are forgotten), and at most
 * {@code agents.max_idempotency_records} idempotency records (a new key beyond is 503 {@code idempotency_capacity}
 * until the oldest leave the window).
 */
class AcpBoundsApiTest
{
    private final CachedEpochClock clock = new CachedEpochClock();

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config ->
    {
        clock.update(AcpCheckoutApiTest.NOW);
        config.clock(clock);
        config.checkout().sandbox(true).maxSessions(2).sessionRetentionSeconds(0).maxIdempotencyRecords(4);
    });

    @Test
    void sessionsAndIdempotencyRecordsAreBounded()
    {
        AcpCheckoutApiTest.catalog(api, 10);
        final AcpClient acp = new AcpClient(api, api.createKey("agent"));
        final String body = createBody("shoe", 1, "US", "94607");
        final String a = acp.post("/acp/checkout_sessions", body, "k1").json().path("id").asText();
        assertThat(acp.post("/acp/checkout_sessions", body, "k2").status()).isEqualTo(201);

        final ApiHarness.Reply full = acp.post("/acp/checkout_sessions", body, "k3");
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.json().path("type").asText()).isEqualTo("service_unavailable");
        assertThat(full.json().path("code").asText()).isEqualTo("too_many_sessions");
        assertThat(api.available("shoe", "shop")).as("the refused create holds nothing").isEqualTo(8);

        assertThat(acp.post("/acp/checkout_sessions/" + a + "/cancel", null, "k4").json().path("status").asText())
            .isEqualTo("canceled");
        final ApiHarness.Reply room = acp.post("/acp/checkout_sessions", body, "k3");
        assertThat(room.status()).as("a 503 is not kept: the key is used again %s", room.body()).isEqualTo(201);
        assertThat(acp.get("/acp/checkout_sessions/" + a).status()).as("a canceled session is forgotten")
            .isEqualTo(404);

        final ApiHarness.Reply noRecord = acp.post("/acp/checkout_sessions/" + a + "/cancel", null, "k5");
        assertThat(noRecord.status()).isEqualTo(503);
        assertThat(noRecord.json().path("code").asText()).isEqualTo("idempotency_capacity");
        assertThat(acp.post("/acp/checkout_sessions", body, "k1").replayed()).as("kept records still replay")
            .isTrue();

        clock.update(AcpCheckoutApiTest.NOW + 25L * 3_600_000L);
        final ApiHarness.Reply later = acp.post("/acp/checkout_sessions", body, "k6");
        assertThat(later.status()).as("past the window the oldest record and the expired sessions make room: %s",
            later.body()).isEqualTo(201);
    }
}
