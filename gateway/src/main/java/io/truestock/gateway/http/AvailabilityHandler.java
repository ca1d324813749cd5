package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Engine;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.offer.StockLevel;

import java.util.List;

/** {@code GET /v1/availability/{sku}?channel=} and {@code GET /v1/availability?channel=&skus=}. */
final class AvailabilityHandler implements Api.Extension
{
    private final Api api;
    private final Engine engine;

    AvailabilityHandler(final Api api)
    {
        this.api = api;
        this.engine = api.engine();
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        Api.requireMethod(exchange.request().method(), HttpMethod.GET, uri);
        if (path.size() == 3)
        {
            one(exchange, Api.pathId(path, 2, "SKU"), uri);
        }
        else if (path.size() == 2)
        {
            batch(exchange, uri);
        }
        else
        {
            throw ApiException.notFound("no such resource: " + uri.path());
        }
    }

    private void one(final Exchange exchange, final String skuId, final QueryStringDecoder uri)
    {
        exchange.route("availability");
        final int channel = api.channelParam(uri);
        final int sku = engine.skuIndex(skuId);
        if (sku < 0)
        {
            throw ApiException.notFound("unknown SKU '" + skuId + "'");
        }
        final ChannelView view = new ChannelView();
        engine.readChannel(sku, channel, view);
        final long threshold = engine.channelSpec(channel).lowStockThreshold();
        exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(), out -> out.startObject()
            .field("sku", skuId)
            .field("channel", engine.channelId(channel))
            .field("available", view.available())
            .field("status", StockLevel.of(view.available(), threshold).text())
            .field("version", view.version())
            .endObject()));
    }

    private void batch(final Exchange exchange, final QueryStringDecoder uri)
    {
        exchange.route("availability_batch");
        final int channel = api.channelParam(uri);
        final String list = Api.single(uri, "skus");
        if (list == null || list.isEmpty())
        {
            throw ApiException.invalid("query parameter 'skus' is required (comma-separated)", "skus");
        }
        final String[] ids = list.split(",", -1);
        final int maxBatchSkus = api.limits().maxBatchSkus();
        if (ids.length > maxBatchSkus)
        {
            throw ApiException.invalid("at most " + maxBatchSkus + " SKUs a request", "skus");
        }
        final int[] skus = new int[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            skus[i] = engine.skuIndex(ids[i]);
            if (skus[i] < 0)
            {
                throw ApiException.notFound("unknown SKU '" + ids[i] + "'");
            }
        }
        final long version = engine.lastSequence();
        final long threshold = engine.channelSpec(channel).lowStockThreshold();
        final ChannelView view = new ChannelView();
        exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(), out ->
        {
            out.startObject().field("channel", engine.channelId(channel)).field("version", version);
            out.startArray("items");
            for (int i = 0; i < skus.length; i++)
            {
                engine.readChannel(skus[i], channel, view);
                out.startObject()
                    .field("sku", ids[i])
                    .field("channel", engine.channelId(channel))
                    .field("available", view.available())
                    .field("status", StockLevel.of(view.available(), threshold).text())
                    .field("version", view.version())
                    .endObject();
            }
            out.endArray().endObject();
        }));
    }
}
