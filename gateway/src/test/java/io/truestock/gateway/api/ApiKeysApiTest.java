package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.client.TruestockClient;
import io.truestock.client.TruestockException;
import io.truestock.gateway.api.ApiHarness.Reply;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.auth.RateLimit;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static io.truestock.gateway.api.ApiHarness.reserveBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keys an agent can be given and taken back: listing without secrets, revocation on every edge (HTTP, the binary
 * protocol, open update streams) and across a restart, expiry on the server's clock, and per-key rate limits with
 * reads and writes counted apart. The server's clock stands still unless a test moves it, so token buckets refill
 * only when the test says so.
 */
class ApiKeysApiTest
{
    /** 2026-03-04T10:00:00Z: the server's clock stands here until a test moves it. */
    private static final long NOW = Instant.parse("2026-03-04T10:00:00Z").toEpochMilli();
    private static final long WAIT_SECONDS = 30;

    private final CachedEpochClock clock = clockAt(NOW);

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config ->
    {
        config.clock(clock).binaryPort(0);
        // Agent keys created without a limit of their own get this one: 5 reads at once, 1 a second after.
        config.rateLimit(Principal.Scope.AGENT, new RateLimit(new RateLimit.Rate(1, 5), new RateLimit.Rate(1, 5)));
    });

    @BeforeEach
    void catalog()
    {
        api.standardCatalog(10, "shoe");
    }

    @Test
    void theListShowsEveryKeyButNeverItsSecret()
    {
        final JsonNode agent = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\",\"name\":\"shopping bot\"," +
            "\"expires_at\":\"2026-04-01T00:00:00Z\",\"rate_limit\":{\"reads_per_second\":50,\"write_burst\":9}}");
        final JsonNode channel = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"channel:shopify\"}");
        final String agentToken = agent.path("key").asText();
        assertThat(agent.path("created_at").asText()).isEqualTo("2026-03-04T10:00:00.000Z");

        final Reply listed = api.sendAs(ApiHarness.ADMIN_TOKEN, "GET", "/v1/api-keys", null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(agentToken).doesNotContain(channel.path("key").asText())
            .doesNotContain(ApiHarness.ADMIN_TOKEN);
        final JsonNode items = listed.json().path("items");
        assertThat(items).hasSize(2);
        final JsonNode first = items.get(0);
        assertThat(first.has("key")).isFalse();
        assertThat(first.path("id").asText()).isEqualTo(agent.path("id").asText());
        assertThat(first.path("scope").asText()).isEqualTo("agent");
        assertThat(first.path("name").asText()).isEqualTo("shopping bot");
        assertThat(first.path("created_at").asText()).isEqualTo("2026-03-04T10:00:00.000Z");
        assertThat(first.path("expires_at").asText()).isEqualTo("2026-04-01T00:00:00.000Z");
        assertThat(first.path("last_used_at").isNull()).isTrue();
        assertThat(first.path("status").asText()).isEqualTo("active");
        assertThat(first.path("rate_limit").path("reads_per_second").asLong()).isEqualTo(50);
        assertThat(first.path("rate_limit").path("read_burst").asLong()).as("one second's worth").isEqualTo(50);
        assertThat(first.path("rate_limit").path("writes_per_second").asLong()).as("the scope's").isEqualTo(1);
        assertThat(first.path("rate_limit").path("write_burst").asLong()).isEqualTo(9);
        final JsonNode second = items.get(1);
        assertThat(second.path("scope").asText()).isEqualTo("channel:shopify");
        assertThat(second.path("name").isNull()).isTrue();
        assertThat(second.path("expires_at").isNull()).isTrue();
        assertThat(second.path("rate_limit").path("reads_per_second").asLong())
            .isEqualTo(RateLimit.CHANNEL_DEFAULT.reads().perSecond());

        clock.update(NOW + 5_000);
        api.expectAs(agentToken, 200, "GET", "/v1/availability/shoe?channel=shopify", null);
        assertThat(api.expect(200, "GET", "/v1/api-keys", null).path("items").get(0).path("last_used_at").asText())
            .isEqualTo("2026-03-04T10:00:05.000Z");
        assertProblem(api.sendAs(agentToken, "GET", "/v1/api-keys", null), 403, "forbidden");
        assertProblem(api.sendAs(channel.path("key").asText(), "DELETE", "/v1/api-keys/" + agent.path("id").asText(),
            null), 403, "forbidden");
        api.expectAs(agentToken, 200, "GET", "/v1/skus/shoe", null);
    }

    @Test
    void aRevokedKeyIsRefusedOnEveryEdgeAtOnceAndAfterARestart() throws Exception
    {
        final JsonNode created = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\"}");
        final String token = created.path("key").asText();
        final String id = created.path("id").asText();
        final String kept = api.createKey("agent");
        api.expectAs(token, 200, "GET", "/v1/availability/shoe?channel=shopify", null);

        try (TruestockClient binary = TruestockClient.connect("127.0.0.1", api.binaryPort(), token))
        {
            assertThat(binary.availability("shoe", "shopify").get(WAIT_SECONDS, TimeUnit.SECONDS).available())
                .isEqualTo(10);
            final HttpResponse<InputStream> stream = api.client().send(api.request(token, "GET",
                "/v1/channels/shopify/updates", null, "Accept", "text/event-stream"),
                HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            final BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo(": stream open");

            final JsonNode revoked = api.expect(200, "DELETE", "/v1/api-keys/" + id, null);

            assertThat(revoked.path("id").asText()).isEqualTo(id);
            assertThat(revoked.path("revoked").asBoolean()).isTrue();
            assertThat(revoked.has("key")).isFalse();
            assertProblem(api.sendAs(token, "GET", "/v1/availability/shoe?channel=shopify", null), 401, "unauthorized");
            assertProblem(api.sendAs(token, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 1)),
                401, "unauthorized");
            assertThat(refusal(binary.availability("shoe", "shopify")).code()).isEqualTo("unauthorized");
            assertThat(CompletableFuture.supplyAsync(() -> drain(lines)).get(WAIT_SECONDS, TimeUnit.SECONDS))
                .as("the open stream was closed").isTrue();
        }
        assertThatThrownBy(() -> TruestockClient.connect("127.0.0.1", api.binaryPort(), token))
            .isInstanceOfSatisfying(TruestockException.class, ex -> assertThat(ex.code()).isEqualTo("unauthorized"));
        assertThat(ids(api.expect(200, "GET", "/v1/api-keys", null))).doesNotContain(id).hasSize(1);
        assertProblem(api.send("DELETE", "/v1/api-keys/" + id, null), 404, "not_found");
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isZero();

        api.restart();

        assertProblem(api.sendAs(token, "GET", "/v1/skus/shoe", null), 401, "unauthorized");
        api.expectAs(kept, 200, "GET", "/v1/skus/shoe", null);
        final JsonNode afterRestart = api.expect(200, "GET", "/v1/api-keys", null);
        assertThat(ids(afterRestart)).doesNotContain(id).hasSize(1);
    }

    @Test
    void anExpiredKeyIsUnauthorizedLikeAnUnknownOne() throws Exception
    {
        final JsonNode created = api.expect(201, "POST", "/v1/api-keys",
            "{\"scope\":\"agent\",\"expires_at\":\"2026-03-04T10:01:00Z\"}");
        final String token = created.path("key").asText();
        api.expectAs(token, 200, "GET", "/v1/skus/shoe", null);

        try (TruestockClient binary = TruestockClient.connect("127.0.0.1", api.binaryPort(), token))
        {
            binary.availability("shoe", "shopify").get(WAIT_SECONDS, TimeUnit.SECONDS);
            clock.update(NOW + 59_999);
            api.expectAs(token, 200, "GET", "/v1/skus/shoe", null);
            clock.update(NOW + 60_000);

            final JsonNode expired = assertProblem(api.sendAs(token, "GET", "/v1/skus/shoe", null), 401,
                "unauthorized");
            final JsonNode unknown = assertProblem(api.sendAs("ts_not-a-key", "GET", "/v1/skus/shoe", null), 401,
                "unauthorized");
            assertThat(expired).isEqualTo(unknown);
            assertThat(refusal(binary.availability("shoe", "shopify")).code()).isEqualTo("unauthorized");
        }
        final JsonNode listed = api.expect(200, "GET", "/v1/api-keys", null).path("items").get(0);
        assertThat(listed.path("status").asText()).isEqualTo("expired");
        assertThat(listed.path("expires_at").asText()).isEqualTo("2026-03-04T10:01:00.000Z");
        api.restart();
        assertProblem(api.sendAs(token, "GET", "/v1/skus/shoe", null), 401, "unauthorized");
    }

    @Test
    void overItsReadLimitAKeyGets429WithRetryAfterAndItsWritesAndOtherKeysAreUnaffected()
    {
        final JsonNode created = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\",\"rate_limit\":" +
            "{\"reads_per_second\":1,\"read_burst\":3,\"writes_per_second\":1,\"write_burst\":2}}");
        final String hammer = created.path("key").asText();
        final String id = created.path("id").asText();
        final String other = api.createKey("agent");
        final OpenApiContract contract = new OpenApiContract(api.sendAs(null, "GET", "/v1/openapi.json", null).body());

        for (int i = 0; i < 3; i++)
        {
            api.expectAs(hammer, 200, "GET", "/v1/offers/shoe?channel=shopify", null);
        }
        final Reply limited = api.sendAs(hammer, "GET", "/v1/offers/shoe?channel=shopify", null);
        assertProblem(limited, 429, "rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        contract.check("GET /v1/offers/{sku}", limited.status(), limited.contentType(), limited.body());
        assertProblem(api.sendAs(hammer, "GET", "/v1/availability/shoe?channel=shopify", null), 429, "rate_limited");

        final JsonNode before = api.stateOf("shoe");
        api.expectAs(hammer, 201, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 1));
        api.expectAs(hammer, 201, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 1));
        final JsonNode afterTwo = api.stateOf("shoe");
        final Reply overWrites = api.sendAs(hammer, "POST", "/v1/reservations", reserveBody("shopify", "shoe", 1));
        assertProblem(overWrites, 429, "rate_limited");
        assertThat(overWrites.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(api.stateOf("shoe")).isEqualTo(afterTwo).isNotEqualTo(before);
        assertThat(api.stockAt("shoe", "oak").path("reserved").asLong()).isEqualTo(2);

        for (int i = 0; i < 5; i++)
        {
            api.expectAs(other, 200, "GET", "/v1/offers/shoe?channel=shopify", null);
        }
        assertProblem(api.sendAs(other, "GET", "/v1/offers/shoe?channel=shopify", null), 429, "rate_limited");
        for (int i = 0; i < 20; i++)
        {
            api.expect(200, "GET", "/v1/offers/shoe?channel=shopify", null);
        }

        clock.update(NOW + 1_000);
        api.expectAs(hammer, 200, "GET", "/v1/offers/shoe?channel=shopify", null);
        assertProblem(api.sendAs(hammer, "GET", "/v1/offers/shoe?channel=shopify", null), 429, "rate_limited");

        final String metrics = api.sendAs(null, "GET", "/metrics", null).body();
        assertThat(metrics)
            .contains("truestock_api_key_requests_total{key=\"" + id + "\",kind=\"read\",result=\"allowed\"} 4\n")
            .contains("truestock_api_key_requests_total{key=\"" + id + "\",kind=\"read\",result=\"limited\"} 3\n")
            .contains("truestock_api_key_requests_total{key=\"" + id + "\",kind=\"write\",result=\"allowed\"} 2\n")
            .contains("truestock_api_key_requests_total{key=\"" + id + "\",kind=\"write\",result=\"limited\"} 1\n");
    }

    @Test
    void overItsLimitABinaryConnectionGetsAnOverloadedErrorAndGoesOn() throws Exception
    {
        final String token = api.expect(201, "POST", "/v1/api-keys",
            "{\"scope\":\"agent\",\"rate_limit\":{\"reads_per_second\":1,\"read_burst\":2}}").path("key").asText();

        try (TruestockClient binary = TruestockClient.connect("127.0.0.1", api.binaryPort(), token))
        {
            binary.availability("shoe", "shopify").get(WAIT_SECONDS, TimeUnit.SECONDS);
            binary.offer("shoe", "shopify", 1).get(WAIT_SECONDS, TimeUnit.SECONDS);
            final TruestockException limited = refusal(binary.availability("shoe", "shopify"));

            assertThat(limited.code()).isEqualTo("overloaded");
            assertThat(limited.getMessage()).contains("rate_limited");
            assertThat(limited.retryable()).isTrue();
            assertThat(binary.isOpen()).isTrue();
            clock.update(NOW + 1_000);
            assertThat(binary.availability("shoe", "shopify").get(WAIT_SECONDS, TimeUnit.SECONDS).available())
                .isEqualTo(10);
        }
    }

    @Test
    void badRequestsAboutKeysChangeNothing()
    {
        final String agent = api.createKey("agent");
        assertProblem(api.sendAs(agent, "DELETE", "/v1/api-keys/admin", null), 403, "forbidden");
        final JsonNode before = api.expect(200, "GET", "/v1/api-keys", null);

        assertProblem(api.send("DELETE", "/v1/api-keys/key_0000000000000000", null), 404, "not_found");
        assertProblem(api.send("DELETE", "/v1/api-keys/nothing-here", null), 404, "not_found");
        assertProblem(api.send("DELETE", "/v1/api-keys/admin", null), 409, "key_not_revocable");
        assertProblem(api.send("PUT", "/v1/api-keys/admin", null), 405, "invalid_request");
        for (final String expiry : new String[] {"\"tomorrow\"", "\"2026-03-04\"", "\"2026-03-04T09:59:59Z\"",
            "\"2026-03-04T10:00:00Z\"", "\"+20000-01-01T00:00:00Z\"", "\"-1000000000-01-01T00:00:00Z\"", "17",
            "\"" + "9".repeat(41) + "\""})
        {
            assertProblem(api.send("POST", "/v1/api-keys", "{\"scope\":\"agent\",\"expires_at\":" + expiry + "}"),
                400, "invalid_request", "$.expires_at");
        }
        final List<String[]> badLimits = List.of(
            new String[] {"{\"reads_per_second\":0}", "$.rate_limit.reads_per_second"},
            new String[] {"{\"reads_per_second\":-5}", "$.rate_limit.reads_per_second"},
            new String[] {"{\"read_burst\":1000001}", "$.rate_limit.read_burst"},
            new String[] {"{\"writes_per_second\":\"10\"}", "$.rate_limit.writes_per_second"},
            new String[] {"{\"writes_per_second\":1.5}", "$.rate_limit.writes_per_second"},
            new String[] {"{\"reads\":10}", null},
            new String[] {"7", "$.rate_limit"});
        for (final String[] bad : badLimits)
        {
            final JsonNode problem = assertProblem(api.send("POST", "/v1/api-keys",
                "{\"scope\":\"agent\",\"rate_limit\":" + bad[0] + "}"), 400, "invalid_request");
            if (bad[1] != null)
            {
                assertThat(problem.path("param").asText()).as(bad[0]).isEqualTo(bad[1]);
            }
        }
        assertProblem(api.send("POST", "/v1/api-keys", "{\"scope\":\"admin\",\"rate_limit\":{\"read_burst\":5}}"),
            400, "invalid_request", "$.rate_limit.read_burst");
        assertProblem(api.send("POST", "/v1/api-keys", "{\"scope\":\"root\",\"expires_at\":\"2027-01-01T00:00:00Z\"}"),
            400, "invalid_request", "$.scope");

        assertThat(api.expect(200, "GET", "/v1/api-keys", null)).isEqualTo(before);
        api.expectAs(agent, 200, "GET", "/v1/skus/shoe", null);
        for (int i = 0; i < 50; i++)
        {
            api.expect(200, "GET", "/v1/skus/shoe", null);
        }
    }

    @Test
    void aReplayedCreationReturnsTheFirstKeyAndADifferentBodyConflicts()
    {
        final String body = "{\"scope\":\"agent\",\"expires_at\":\"2026-06-01T00:00:00Z\"}";
        final Reply first = api.sendAs(ApiHarness.ADMIN_TOKEN, "POST", "/v1/api-keys", body, "Idempotency-Key", "k-1");
        final Reply again = api.sendAs(ApiHarness.ADMIN_TOKEN, "POST", "/v1/api-keys", body, "Idempotency-Key", "k-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.replayed()).isTrue();
        assertThat(again.json()).isEqualTo(first.json());
        assertProblem(api.sendAs(ApiHarness.ADMIN_TOKEN, "POST", "/v1/api-keys",
            "{\"scope\":\"agent\",\"expires_at\":\"2026-07-01T00:00:00Z\"}", "Idempotency-Key", "k-1"),
            422, "idempotency_conflict");
        assertThat(ids(api.expect(200, "GET", "/v1/api-keys", null))).hasSize(1);
    }

    private static CachedEpochClock clockAt(final long epochMillis)
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(epochMillis);
        return clock;
    }

    private static List<String> ids(final JsonNode list)
    {
        final List<String> ids = new ArrayList<>();
        list.path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    /** Reads the stream to its end: true once the server has closed it. */
    private static boolean drain(final BufferedReader lines)
    {
        try
        {
            while (lines.readLine() != null)
            {
                continue;
            }
            return true;
        }
        catch (final java.io.IOException ex)
        {
            return true;
        }
    }

    private static TruestockException refusal(final CompletableFuture<?> answer) throws Exception
    {
        try
        {
            answer.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof TruestockException refused)
            {
                return refused;
            }
            throw ex;
        }
        return fail("expected a refusal");
    }
}
