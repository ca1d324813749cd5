package io.truestock.client;

import io.truestock.sbe.RejectCode;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.truestock.client.BinaryHarness.accepted;
import static io.truestock.client.BinaryHarness.await;
import static io.truestock.client.BinaryHarness.failure;
import static io.truestock.client.BinaryHarness.one;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Confirmations over the binary protocol cite quotes by their signed ids, checked as HTTP checks them: a quote the
 * server signed is charged its price whatever the price list says now; an id it did not sign is refused with HTTP's
 * words; a quote past its expiry, on the server's clock, is rejected {@code QUOTE_EXPIRED} and the reservation stays
 * held. Time is moved on a test clock, never slept.
 */
class BinaryQuoteTest
{
    private static final long START_MILLIS = 1_800_000_000_000L;
    private static final int QUOTE_TTL_SECONDS = 60;

    @TempDir
    Path dir;
    private final CachedEpochClock clock = new CachedEpochClock();
    private BinaryHarness harness;
    private TruestockClient admin;

    @BeforeEach
    void start() throws Exception
    {
        clock.update(START_MILLIS);
        harness = BinaryHarness.start(dir, config -> config.clock(clock).quoteTtlSeconds(QUOTE_TTL_SECONDS));
        admin = harness.admin();
        harness.standardCatalog(10, "shoe");
    }

    @AfterEach
    void stop()
    {
        harness.close();
    }

    private void repriceShoe(final long amountMinor)
    {
        final HttpResponse<String> response = http("PUT", "/v1/skus/shoe/prices",
            "{\"base\":{\"amount\":" + amountMinor + ",\"currency\":\"USD\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HttpResponse<String> http(final String method, final String path, final String body)
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
                harness.server().httpPort() + path))
            .timeout(Duration.ofSeconds(BinaryHarness.ANSWER_TIMEOUT_SECONDS))
            .header("Authorization", "Bearer " + BinaryHarness.ADMIN_TOKEN)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
        try
        {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    @Test
    void aConfirmationCitingASignedQuoteIsChargedTheQuotedPrice()
    {
        final Offer offer = await(admin.offer("shoe", "shopify", 2));
        assertThat(offer.priceAmountMinor()).isEqualTo(8999);
        assertThat(offer.quoteExpiresAtMillis()).isEqualTo(START_MILLIS + QUOTE_TTL_SECONDS * 1000L);
        final CommandResult held = accepted(admin.reserve("shopify", one("shoe", 2), 900));
        repriceShoe(12_000);
        clock.advance(QUOTE_TTL_SECONDS * 1000L - 1);

        final CommandResult order = accepted(admin.confirm(held.reservationId(), "o-1", "US", null,
            List.of(offer.quoteId()), "confirm-o-1"));
        assertThat(order.lines()).singleElement().satisfies(line ->
        {
            assertThat(line.priceAmountMinor()).as("the quoted price, not the new one").isEqualTo(8999);
            assertThat(line.currency()).isEqualTo("USD");
        });

        final CommandResult uncited = accepted(admin.confirm(
            accepted(admin.reserve("shopify", one("shoe", 1), 900)).reservationId(), "o-2"));
        assertThat(uncited.lines().get(0).priceAmountMinor()).as("without a quote: today's price").isEqualTo(12_000);

        final CommandResult repeat = await(admin.confirm(held.reservationId(), "o-1", "US", null,
            List.of(offer.quoteId()), "confirm-o-1"));
        assertThat(repeat.replayed()).as("the idempotency key is honoured").isTrue();
        assertThat(repeat.lines().get(0).priceAmountMinor()).isEqualTo(8999);
    }

    @Test
    void anIdTheServerDidNotSignIsRefusedAsHttpRefusesIt()
    {
        final Offer offer = await(admin.offer("shoe", "shopify", 1));
        final CommandResult held = accepted(admin.reserve("shopify", one("shoe", 1), 900));
        final String id = offer.quoteId();
        final char last = id.charAt(id.length() - 1);
        final String forged = id.substring(0, id.length() - 1) + (last == 'A' ? 'B' : 'A');

        for (final String cited : List.of(forged, "q_made-up", "not-a-quote"))
        {
            final TruestockException refused = failure(admin.confirm(held.reservationId(), "o-1", null, null,
                List.of(offer.quoteId(), cited), null));
            assertThat(refused.code()).isEqualTo("invalid_request");
            final String said = refused.getMessage().substring(refused.code().length() + 2);
            final HttpResponse<String> overHttp = http("POST", "/v1/reservations/r-" + held.reservationId() +
                "/confirm", "{\"order_id\":\"o-1\",\"quote_ids\":[\"" + offer.quoteId() + "\",\"" + cited + "\"]}");
            assertThat(overHttp.statusCode()).isEqualTo(400);
            assertThat(overHttp.body()).contains("\"detail\":\"" + said + "\"")
                .contains("\"param\":\"$.quote_ids[1]\"");
            assertThat(said).isEqualTo("'" + cited + "' is not a quote this server issued");
        }
        final CommandResult order = accepted(admin.confirm(held.reservationId(), "o-1"));
        assertThat(order.lines().get(0).priceAmountMinor()).as("nothing was confirmed by the refusals").isEqualTo(8999);
    }

    @Test
    void aQuotePastItsExpiryIsRejectedAndTheReservationStaysHeld()
    {
        final Offer offer = await(admin.offer("shoe", "shopify", 1));
        final CommandResult held = accepted(admin.reserve("shopify", one("shoe", 1), 900));
        repriceShoe(12_000);
        clock.advance(QUOTE_TTL_SECONDS * 1000L + 1);

        final CommandResult expired = await(admin.confirm(held.reservationId(), "o-1", null, null,
            List.of(offer.quoteId()), null));
        assertThat(expired.accepted()).isFalse();
        assertThat(expired.reason()).isEqualTo(RejectCode.QUOTE_EXPIRED);
        assertThat(expired.rejectedLine()).isZero();

        final HttpResponse<String> overHttp = http("POST", "/v1/reservations/r-" + held.reservationId() + "/confirm",
            "{\"order_id\":\"o-1\",\"quote_ids\":[\"" + offer.quoteId() + "\"]}");
        assertThat(overHttp.statusCode()).isEqualTo(409);
        assertThat(overHttp.body()).contains("\"code\":\"quote_expired\"").contains("\"param\":\"$.quote_ids[0]\"");

        final CommandResult order = accepted(admin.confirm(held.reservationId(), "o-1"));
        assertThat(order.lines().get(0).priceAmountMinor()).as("still held: confirmed at today's price")
            .isEqualTo(12_000);
    }
}
