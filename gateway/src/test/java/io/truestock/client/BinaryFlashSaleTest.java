package io.truestock.client;

import io.truestock.engine.StockView;
import io.truestock.sbe.RejectCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.truestock.client.BinaryHarness.await;
import static io.truestock.client.BinaryHarness.one;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flash sale over the binary protocol: more buyers than units race for one unit each, from 200 connections at
 * once and from 200 requests pipelined on one connection. Exactly as many win as there are units, every other one
 * is told out of stock with nothing left, and the stock record ends exact.
 */
class BinaryFlashSaleTest
{
    private static final int CLIENTS = 200;
    private static final int UNITS = 150;
    private static final long RACE_TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;
    private BinaryHarness harness;

    @BeforeEach
    void start() throws Exception
    {
        harness = BinaryHarness.start(dir);
        harness.standardCatalog(UNITS, "drop");
    }

    @AfterEach
    void stop()
    {
        harness.close();
    }

    @Test
    void twoHundredConnectionsRaceForOneHundredFiftyUnits() throws Exception
    {
        final List<CommandResult> results = new ArrayList<>();
        try (ClientEventLoops loops = new ClientEventLoops(2))
        {
            final List<TruestockClient> clients = new ArrayList<>();
            try
            {
                for (int i = 0; i < CLIENTS; i++)
                {
                    clients.add(harness.connect(BinaryHarness.ADMIN_TOKEN, new ClientConfig().eventLoops(loops)));
                }
                results.addAll(race(clients));
            }
            finally
            {
                clients.forEach(TruestockClient::close);
            }
        }
        assertExactlyUnitsWon(results);
    }

    @Test
    void twoHundredPipelinedReservationsOnOneConnection()
    {
        final TruestockClient client = harness.admin();
        final List<CompletableFuture<CommandResult>> futures = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++)
        {
            futures.add(client.reserve(i % 2 == 0 ? "shopify" : "amazon", one("drop", 1), 900));
        }
        final List<CommandResult> results = new ArrayList<>();
        futures.forEach(future -> results.add(await(future)));
        assertExactlyUnitsWon(results);
    }

    /** Each client sends one reservation once all are ready; bounded by a timeout. */
    private static List<CommandResult> race(final List<TruestockClient> clients) throws Exception
    {
        final ExecutorService threads = Executors.newFixedThreadPool(clients.size());
        final CountDownLatch ready = new CountDownLatch(clients.size());
        final CountDownLatch go = new CountDownLatch(1);
        try
        {
            final List<Future<CompletableFuture<CommandResult>>> sent = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++)
            {
                final TruestockClient client = clients.get(i);
                final String channel = i % 2 == 0 ? "shopify" : "amazon";
                sent.add(threads.submit(() ->
                {
                    ready.countDown();
                    if (!go.await(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("the race never started");
                    }
                    return client.reserve(channel, one("drop", 1), 900);
                }));
            }
            assertThat(ready.await(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("every client ready").isTrue();
            go.countDown();
            final List<CommandResult> results = new ArrayList<>();
            for (final Future<CompletableFuture<CommandResult>> future : sent)
            {
                results.add(await(future.get(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS)));
            }
            return results;
        }
        finally
        {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    private void assertExactlyUnitsWon(final List<CommandResult> results)
    {
        assertThat(results).hasSize(CLIENTS);
        int won = 0;
        int soldOut = 0;
        final Set<Long> reservations = new HashSet<>();
        for (final CommandResult result : results)
        {
            if (result.accepted())
            {
                won++;
                reservations.add(result.reservationId());
                assertThat(result.lines()).singleElement().satisfies(line -> assertThat(line.qty()).isEqualTo(1));
            }
            else
            {
                soldOut++;
                assertThat(result.reason()).as("%s", result).isEqualTo(RejectCode.OUT_OF_STOCK);
                assertThat(result.lines()).singleElement().satisfies(line ->
                {
                    assertThat(line.qty()).isEqualTo(1);
                    assertThat(line.available()).isZero();
                });
            }
        }
        assertThat(won).isEqualTo(UNITS);
        assertThat(soldOut).isEqualTo(CLIENTS - UNITS);
        assertThat(reservations).hasSize(UNITS);

        final StockView stock = new StockView();
        assertThat(harness.server().engine().readStock("drop", "oak", stock)).isTrue();
        assertThat(stock.onHand()).isEqualTo(UNITS);
        assertThat(stock.reserved()).isEqualTo(UNITS);
        assertThat(stock.committed()).isZero();
        assertThat(stock.available()).isZero();
        final TruestockClient admin = harness.admin();
        assertThat(await(admin.availability("drop", "shopify")).available()).isZero();
        assertThat(await(admin.availability("drop", "shopify")).status()).isEqualTo(StockStatus.OUT_OF_STOCK);
        assertThat(await(admin.availability("drop", "amazon")).available()).isZero();
    }
}
