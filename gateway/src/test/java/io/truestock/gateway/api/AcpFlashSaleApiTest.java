package io.truestock.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.truestock.gateway.api.AcpClient.createBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flash sale through ACP: 100 units, 300 agents checking out one each at the same moment with the sandbox token.
 * Exactly 100 complete, every other one is told the item is out of stock, and the stock ledger (read through /v1)
 * shows 100 committed and nothing oversold.
 */
class AcpFlashSaleApiTest
{
    private static final int UNITS = 100;
    private static final int BUYERS = 300;

    @RegisterExtension
    final ApiHarness api = new ApiHarness(config -> config.checkout().sandbox(true));

    @Test
    void threeHundredCheckoutsForAHundredUnitsCompleteExactlyAHundred() throws Exception
    {
        AcpCheckoutApiTest.catalog(api, UNITS);
        // The sale is about oversell, not rate limits: the buyers share one agent key allowed the whole burst.
        final String key = api.expect(201, "POST", "/v1/api-keys", "{\"scope\":\"agent\",\"rate_limit\":" +
            "{\"reads_per_second\":100000,\"read_burst\":100000,\"writes_per_second\":100000," +
            "\"write_burst\":100000}}").path("key").asText();
        final AcpClient acp = new AcpClient(api, key);
        final ExecutorService pool = Executors.newFixedThreadPool(64);
        final CountDownLatch start = new CountDownLatch(1);
        final List<Future<String>> outcomes = new ArrayList<>();
        try
        {
            for (int i = 0; i < BUYERS; i++)
            {
                outcomes.add(pool.submit(() ->
                {
                    start.await();
                    final JsonNode session = acp.create(createBody("shoe", 1, "US", "94607"));
                    if (!session.path("status").asText().equals("ready_for_payment"))
                    {
                        return session.path("messages").get(0).path("code").asText();
                    }
                    final JsonNode done = acp.complete(session.path("id").asText(), "tok_sandbox_success").json();
                    return done.path("status").asText();
                }));
            }
            start.countDown();
            int completed = 0;
            int outOfStock = 0;
            for (final Future<String> outcome : outcomes)
            {
                final String result = outcome.get(120, TimeUnit.SECONDS);
                if (result.equals("completed"))
                {
                    completed++;
                }
                else
                {
                    assertThat(result).isEqualTo("out_of_stock");
                    outOfStock++;
                }
            }
            assertThat(completed).isEqualTo(UNITS);
            assertThat(outOfStock).isEqualTo(BUYERS - UNITS);
        }
        finally
        {
            pool.shutdownNow();
        }
        final JsonNode oak = api.stockAt("shoe", "oak");
        assertThat(oak.path("on_hand").asLong()).isEqualTo(UNITS);
        assertThat(oak.path("committed").asLong()).isEqualTo(UNITS);
        assertThat(oak.path("reserved").asLong()).isZero();
        assertThat(api.available("shoe", "shop")).isZero();
    }
}
