package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.api.ApiHarness.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.truestock.gateway.api.ApiHarness.assertProblem;
import static io.truestock.gateway.api.ApiHarness.reserveBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flash sale over HTTP: many clients race for one unit each of a SKU with fewer units than clients. Exactly as
 * many win as there are units, everyone else is told out_of_stock, and the counters end exact.
 */
class FlashSaleApiTest
{
    private static final int CLIENTS = 200;
    private static final int UNITS = 150;
    private static final long RACE_TIMEOUT_SECONDS = 120;

    @RegisterExtension
    final ApiHarness api = new ApiHarness();

    @BeforeEach
    void catalog()
    {
        api.standardCatalog(UNITS, "drop");
    }

    @Test
    void exactlyAsManyClientsWinAsThereAreUnits() throws Exception
    {
        final List<Reply> replies =
            race(CLIENTS, client -> reserveBody(client % 2 == 0 ? "shopify" : "amazon", "drop", 1));

        int won = 0;
        int soldOut = 0;
        final Set<String> reservationIds = new HashSet<>();
        for (final Reply reply : replies)
        {
            if (reply.status() == 201)
            {
                won++;
                reservationIds.add(reply.json().path("id").asText());
                assertThat(reply.json().path("lines").get(0).path("qty").asLong()).isEqualTo(1);
            }
            else
            {
                soldOut++;
                final JsonNode problem = assertProblem(reply, 409, "out_of_stock");
                assertThat(problem.path("lines").get(0).path("requested").asLong()).isEqualTo(1);
                assertThat(problem.path("lines").get(0).path("available").asLong()).isZero();
            }
        }
        assertThat(won).isEqualTo(UNITS);
        assertThat(soldOut).isEqualTo(CLIENTS - UNITS);
        assertThat(reservationIds).hasSize(UNITS);

        final JsonNode stock = api.stockAt("drop", "oak");
        assertThat(stock.path("on_hand").asLong()).isEqualTo(UNITS);
        assertThat(stock.path("reserved").asLong()).isEqualTo(UNITS);
        assertThat(stock.path("committed").asLong()).isZero();
        assertThat(stock.path("available").asLong()).isZero();
        final JsonNode availability = api.expect(200, "GET", "/v1/availability/drop?channel=shopify", null);
        assertThat(availability.path("available").asLong()).isZero();
        assertThat(availability.path("status").asText()).isEqualTo("out_of_stock");
        assertThat(api.available("drop", "amazon")).isZero();
    }

    @Test
    void everyReleasedUnitGoesToExactlyOneLaterClient() throws Exception
    {
        final List<Reply> firstWave = race(UNITS, client -> reserveBody("shopify", "drop", 1));
        final List<String> held = new ArrayList<>();
        for (final Reply reply : firstWave)
        {
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            held.add(reply.json().path("id").asText());
        }
        final int released = 10;
        for (int i = 0; i < released; i++)
        {
            api.expect(200, "DELETE", "/v1/reservations/" + held.get(i), null);
        }
        assertThat(api.available("drop", "shopify")).isEqualTo(released);

        final List<Reply> secondWave = race(CLIENTS, client -> reserveBody("amazon", "drop", 1));

        assertThat(secondWave.stream().filter(reply -> reply.status() == 201).count()).isEqualTo(released);
        assertThat(secondWave.stream().filter(reply -> reply.status() == 409).count()).isEqualTo(CLIENTS - released);
        assertThat(api.stockAt("drop", "oak").path("reserved").asLong()).isEqualTo(UNITS);
        assertThat(api.available("drop", "shopify")).isZero();
    }

    @FunctionalInterface
    private interface BodyOfClient
    {
        String body(int client);
    }

    /** Starts {@code clients} threads behind one gate, each sending one reservation; bounded by a timeout. */
    private List<Reply> race(final int clients, final BodyOfClient bodyOfClient) throws Exception
    {
        final HttpClient shared = ApiHarness.newClient();
        final ExecutorService threads = Executors.newFixedThreadPool(clients);
        final CountDownLatch ready = new CountDownLatch(clients);
        final CountDownLatch go = new CountDownLatch(1);
        try
        {
            final List<Future<Reply>> futures = new ArrayList<>();
            for (int client = 0; client < clients; client++)
            {
                final HttpRequest request = api.request(ApiHarness.ADMIN_TOKEN, "POST", "/v1/reservations",
                    bodyOfClient.body(client));
                futures.add(threads.submit(() ->
                {
                    ready.countDown();
                    if (!go.await(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("the race never started");
                    }
                    return ApiHarness.send(shared, request);
                }));
            }
            assertThat(ready.await(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("every client ready").isTrue();
            go.countDown();
            final List<Reply> replies = new ArrayList<>();
            for (final Future<Reply> future : futures)
            {
                replies.add(future.get(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return replies;
        }
        finally
        {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }
}
