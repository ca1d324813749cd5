package io.truestock.gateway.sync;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.http.Api;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.http.Exchange;
import io.truestock.gateway.http.JsonOut;
import io.truestock.gateway.http.Responses;

import java.util.List;

/**
 * {@code POST /v1/channels/{id}/reconcile} (queue every SKU whose acknowledged value differs from the engine's)
 * and {@code GET /v1/channels/{id}/sync} (the connector's state: pending, in flight, lag, drift, the last error,
 * recent dead letters).
 * Admin scope.
 */
public final class SyncEndpoint implements Api.Extension
{
    private final Engine engine;
    private final ChannelSync sync;

    public SyncEndpoint(final Engine engine, final ChannelSync sync)
    {
        this.engine = engine;
        this.sync = sync;
    }

    @Override
    public void handle(final Exchange exchange, final Principal principal, final List<String> path,
        final QueryStringDecoder query)
    {
        if (path.size() != 4)
        {
            throw ApiException.notFound("no such resource: " + query.path());
        }
        if (!principal.isAdmin())
        {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", "channel sync needs the admin scope", null);
        }
        final String channel = path.get(2);
        if (!Ids.isValid(channel))
        {
            throw ApiException.invalid("channel id must match [A-Za-z0-9._:-]{1,64}", null);
        }
        if (engine.channelIndex(channel) < 0)
        {
            throw ApiException.notFound("unknown channel '" + channel + "'");
        }
        final Connector connector = sync.connector(channel);
        if (connector == null)
        {
            throw ApiException.notFound("channel '" + channel + "' has no connector configured");
        }
        final HttpMethod method = exchange.request().method();
        final JsonOut out = new JsonOut(exchange.allocator());
        if (path.get(3).equals("reconcile"))
        {
            exchange.route("channels_reconcile");
            if (!method.equals(HttpMethod.POST))
            {
                throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request", "use POST", null);
            }
            final String key = exchange.request().headers().get("Idempotency-Key");
            if (key != null && (key.isEmpty() || key.length() > 255))
            {
                throw ApiException.invalid("Idempotency-Key must be 1 to 255 characters", null);
            }
            // Reconciling is idempotent by nature: a repeat queues whatever still differs.
            final long version = engine.lastSequence();
            final int queued = sync.reconcile(channel);
            out.startObject().field("channel", channel).field("queued", queued).field("version", version).endObject();
            exchange.respond(Responses.json(HttpResponseStatus.ACCEPTED, out.finish()));
            return;
        }
        exchange.route("channels_sync");
        if (!method.equals(HttpMethod.GET))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request", "use GET", null);
        }
        final Outbox outbox = connector.outbox();
        final long now = System.currentTimeMillis();
        out.startObject()
            .field("channel", channel)
            .field("connector", connector.config().type().text())
            .field("pending", outbox.pendingCount())
            .field("in_flight", outbox.inFlightCount())
            .field("dead", outbox.deadCount())
            .field("lag_ms", outbox.lagMillis(engine.skuCount(), now))
            .field("drift", sync.drift(connector));
        if (connector.lastError() == null)
        {
            out.nullField("last_error");
        }
        else
        {
            out.field("last_error", connector.lastError());
        }
        out.field("requests", connector.requests.get())
            .field("acked", connector.acked.get())
            .field("retries", connector.retries.get())
            .field("dead_letters_total", connector.deadLettered.get());
        out.startArray("dead_letters");
        for (final DeadLetter letter : connector.deadLetters())
        {
            out.startObject().field("sku", letter.sku()).field("available", letter.qty())
                .field("version", letter.version()).field("attempts", letter.attempts()).field("error", letter.error())
                .instantField("at", letter.atMillis()).endObject();
        }
        out.endArray().field("version", engine.lastSequence()).endObject();
        exchange.respond(Responses.json(HttpResponseStatus.OK, out.finish()));
    }
}
