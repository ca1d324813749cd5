package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the marketplace connectors (TikTok Shop, Flipkart, Meta catalog, eBay, Walmart) share: the engine version
 * of a batch on the wire ({@code X-Truestock-Version}: every value in the batch is the engine's latest as of that
 * version, and a later batch never carries a lower one; the channels ignore the header, a proxy or the tests' fakes
 * read it), form and Basic encodings for token requests, and a SKU-keyed item id split.
 */
abstract class MarketplaceClient extends ChannelClient
{
    static final String VERSION_HEADER = "X-Truestock-Version";

    MarketplaceClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
    }

    /** Every marketplace connector carries prices: with the stock (Meta, eBay) or on a price endpoint beside it. */
    @Override
    boolean carriesPrices()
    {
        return true;
    }

    /** The batch's engine version: the highest of its values' versions and of the versions the outbox had seen. */
    static long asOf(final List<Update> batch)
    {
        long version = 0;
        for (final Update u : batch)
        {
            version = Math.max(version, Math.max(u.version(), u.asOfVersion()));
        }
        return version;
    }

    HttpRequest.Builder versioned(final java.net.URI uri, final List<Update> batch)
    {
        return request(uri).header(VERSION_HEADER, Long.toString(asOf(batch)));
    }

    static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code Basic base64(id:secret)} of two credentials. */
    String basic(final String id, final String secret)
    {
        return "Basic " + Base64.getEncoder().encodeToString((config.secret(id).reveal() + ':'
            + config.secret(secret).reveal()).getBytes(StandardCharsets.UTF_8));
    }

    /** An {@code application/x-www-form-urlencoded} body of name/value pairs. */
    static HttpRequest.BodyPublisher form(final String... pairs)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2)
        {
            text.append(i == 0 ? "" : "&").append(pairs[i]).append('=')
                .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return HttpRequest.BodyPublishers.ofString(text.toString(), StandardCharsets.UTF_8);
    }

    /**
     * POSTs {@code payload} (JSON of {@code contentType}) for the batch to {@code uri} with a bearer token from
     * {@code token}: a 401 drops the token, so the batch's retry fetches a new one.
     */
    CompletableFuture<Delivery> postWithToken(final OAuthToken token, final java.net.URI uri, final List<Update> batch,
        final String contentType, final Object payload, final Answer answer)
    {
        return token.with(batch.size(), accessToken -> call(batch.size(), versioned(uri, batch)
            .header("Content-Type", contentType)
            .header("Authorization", "Bearer " + accessToken)
            .POST(body(json(payload))).build(), answer));
    }

    /**
     * Sends one request for {@code size} updates: a transport failure or a retryable status retries them all, a
     * 401 answers {@link OAuthToken#UNAUTHORIZED} (the token is dropped and the batch retried), any other non-2xx
     * refuses them, and a 2xx body is read by {@code answer}, which retries the batch when the body is unreadable.
     */
    CompletableFuture<Delivery> call(final int size, final HttpRequest request, final Answer answer)
    {
        return exchange(request).handle((response, failure) ->
        {
            if (failure != null)
            {
                return transportFailure(size, failure);
            }
            if (response.statusCode() == 401)
            {
                return OAuthToken.UNAUTHORIZED;
            }
            final Delivery byStatus = byStatus(size, response, System.currentTimeMillis());
            if (byStatus != null)
            {
                return byStatus;
            }
            try
            {
                return answer.read(JSON.readTree(response.body()));
            }
            catch (final java.io.IOException ex)
            {
                return Delivery.all(size, Delivery.Status.RETRY, "unreadable response");
            }
        });
    }

    /** The updates of a batch whose price differs from the one the channel acknowledged (their price is sent). */
    static List<Update> priced(final List<Update> batch)
    {
        final List<Update> priced = new java.util.ArrayList<>();
        for (final Update u : batch)
        {
            if (u.priceChanged() && u.pricing() != null)
            {
                priced.add(u);
            }
        }
        return priced;
    }

    /**
     * For APIs that take prices on an endpoint of their own: sends the batch's stock with {@code stock} and, at the
     * same time, the changed prices among it with {@code prices} (a delivery per priced update, in order). An
     * update is acknowledged only when both its stock and its price (if sent) were; otherwise it takes the fate of
     * whichever was not (stock first), so a price the channel refused is dead-lettered and one that failed is
     * retried with its stock. The channel's pause is the longer of the two.
     */
    static CompletableFuture<Delivery> alongside(final List<Update> batch,
        final java.util.function.Function<List<Update>, CompletableFuture<Delivery>> stock,
        final java.util.function.Function<List<Update>, CompletableFuture<Delivery>> prices)
    {
        final List<Update> priced = priced(batch);
        if (priced.isEmpty())
        {
            return stock.apply(batch);
        }
        return stock.apply(batch).thenCombine(prices.apply(priced), (quantities, priceDelivery) ->
        {
            if (quantities == OAuthToken.UNAUTHORIZED || priceDelivery == OAuthToken.UNAUTHORIZED)
            {
                return OAuthToken.UNAUTHORIZED;
            }
            final Delivery delivery = new Delivery(batch.size());
            int p = 0;
            for (int i = 0; i < batch.size(); i++)
            {
                final boolean sentPrice = p < priced.size() && priced.get(p) == batch.get(i);
                final int priceIndex = sentPrice ? p++ : -1;
                if (quantities.status(i) != Delivery.Status.ACKED)
                {
                    delivery.set(i, quantities.status(i), quantities.error(i));
                }
                else if (sentPrice && priceDelivery.status(priceIndex) != Delivery.Status.ACKED)
                {
                    delivery.set(i, priceDelivery.status(priceIndex), "price: " + priceDelivery.error(priceIndex));
                }
                else
                {
                    delivery.set(i, Delivery.Status.ACKED, null);
                }
            }
            return delivery.pauseMillis(Math.max(quantities.pauseMillis(), priceDelivery.pauseMillis()));
        });
    }

    /** One extra call when any update of the batch carries a changed price (a price request beside the stock's). */
    static int onePriceCall(final List<Update> batch)
    {
        for (final Update u : batch)
        {
            if (u.priceChanged() && u.pricing() != null)
            {
                return 1;
            }
        }
        return 0;
    }

    /** Reads a channel's 2xx answer into the fate of each update. */
    interface Answer
    {
        Delivery read(JsonNode root) throws java.io.IOException;
    }

    /** The mapped item id, else the engine SKU itself. */
    String mappedOrSku(final String skuId)
    {
        final String mapped = config.itemId(skuId);
        return mapped == null ? skuId : mapped;
    }

    /** The item id's part before the first '/', or the whole id (ids like {@code product/sku}). */
    static String head(final String itemId)
    {
        final int slash = itemId.indexOf('/');
        return slash < 0 ? itemId : itemId.substring(0, slash);
    }

    /** The item id's part after the first '/', or null. */
    static String tail(final String itemId)
    {
        final int slash = itemId.indexOf('/');
        return slash < 0 ? null : itemId.substring(slash + 1);
    }
}
