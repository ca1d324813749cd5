package io.truestock.gateway.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A generic signed webhook: {@code POST <url>} with {@code {"channel", "sent_at", "updates": [{"sku",
 * "available", "price": {"amount", "currency"}, "version"}]}} (the price is the effective unit price on the channel
 * when the batch is sent; a price list change or a sale starting or ending sends an update of its own), headers {@code X-Truestock-Timestamp} (Unix seconds) and
 * {@code X-Truestock-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}. Any 2xx acknowledges the
 * whole batch. Receivers should drop an update whose version is not newer than the one they hold.
 */
final class WebhookClient extends ChannelClient
{
    WebhookClient(final ConnectorConfig config, final java.net.http.HttpClient http)
    {
        super(config, http);
    }

    @Override
    boolean carriesPrices()
    {
        return true;
    }

    @Override
    String itemId(final String skuId)
    {
        final String mapped = config.itemId(skuId);
        return mapped == null ? skuId : mapped;
    }

    ObjectNode body(final List<Update> batch, final long nowMillis)
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("channel", config.channel());
        root.put("sent_at", java.time.Instant.ofEpochMilli(nowMillis).toString());
        final ArrayNode updates = root.putArray("updates");
        for (final Update u : batch)
        {
            final ObjectNode update = updates.addObject().put("sku", u.itemId()).put("available", u.qty())
                .put("version", u.version());
            final io.truestock.engine.price.Price price = u.pricing() != null ? u.pricing().price() : prices.apply(u.sku());
            if (price != null)
            {
                update.putObject("price").put("amount", price.amountMinor()).put("currency", price.currency());
            }
        }
        return root;
    }

    @Override
    CompletableFuture<Delivery> send(final List<Update> batch)
    {
        final long now = System.currentTimeMillis();
        final byte[] body = json(body(batch, now));
        final String timestamp = Long.toString(now / 1000);
        final HttpRequest request = request(config.baseUrl())
            .header("Content-Type", "application/json")
            .header(Signatures.TIMESTAMP_HEADER, timestamp)
            .header(Signatures.SIGNATURE_HEADER, Signatures.sign(config.secret("secret"), timestamp, body))
            .POST(body(body))
            .build();
        return exchange(request).handle((response, failure) ->
        {
            if (failure != null)
            {
                return transportFailure(batch.size(), failure);
            }
            final Delivery byStatus = byStatus(batch.size(), response, System.currentTimeMillis());
            return byStatus != null ? byStatus : Delivery.all(batch.size(), Delivery.Status.ACKED, null);
        });
    }
}
