package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.ChannelSpec;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.CommandPolicy;

import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/channels} (every channel, any scope) and {@code PUT /v1/channels/{id}}; the channel's sub-resources
 * (updates, sync, ...) are extensions of their own.
 */
final class ChannelsHandler implements Api.Extension
{
    private static final Set<String> CHANNEL_FIELDS =
        Set.of("name", "locations", "percent", "buffer", "max_listed", "low_stock_threshold");

    private final Api api;

    ChannelsHandler(final Api api)
    {
        this.api = api;
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        if (path.size() == 2)
        {
            list(exchange, uri);
            return;
        }
        Api.requireSize(path.size(), 3, uri);
        Api.requireMethod(exchange.request().method(), HttpMethod.PUT, uri);
        Api.refuse(CommandPolicy.admit(principal, CommandType.DEFINE_CHANNEL));
        final String id = Api.pathId(path, 2, "channel");
        exchange.route("channels_put");
        final JsonBody body = Api.body(exchange).only(CHANNEL_FIELDS);
        final String name = body.string("name", api.limits().maxTextLength());
        final String[] locations = body.strings("locations", 1024, Ids.MAX_LENGTH);
        if (locations != null)
        {
            for (int i = 0; i < locations.length; i++)
            {
                if (!Ids.isValid(locations[i]))
                {
                    throw ApiException.invalid("location ids must match [A-Za-z0-9._:-]{1,64}",
                        body.path("locations") + '[' + i + ']');
                }
            }
        }
        final int percent = (int)body.optionalInteger("percent", 0, 100, 100);
        final long buffer = body.optionalInteger("buffer", 0, 1_000_000_000L, 0);
        final long maxListed = body.optionalInteger("max_listed", 0, 1_000_000_000_000L, ChannelSpec.UNLIMITED);
        final long lowStock = body.optionalInteger("low_stock_threshold", 0, 1_000_000_000L, 5);
        final ChannelSpec spec = new ChannelSpec(name, locations == null ? List.of() : List.of(locations),
            percent, buffer, maxListed, lowStock);
        api.submit(exchange, principal, c -> c.defineChannel(id, spec), null,
            outcome -> Api.json(HttpResponseStatus.OK, exchange.allocator(),
                out -> api.render().channel(out, id, spec, outcome.channel())));
    }

    /** {@code GET /v1/channels} (any scope): every channel as {@code PUT} stored it, in the order defined. */
    private void list(final Exchange exchange, final QueryStringDecoder uri)
    {
        Api.requireMethod(exchange.request().method(), HttpMethod.GET, uri);
        exchange.route("channels_list");
        final Engine engine = api.engine();
        final long version = engine.lastSequence();
        exchange.respond(Api.json(HttpResponseStatus.OK, exchange.allocator(), out ->
        {
            out.startObject().startArray("items");
            for (int ch = 0; ch < engine.channelCount(); ch++)
            {
                api.render().channel(out, engine.channelId(ch), engine.channelSpec(ch), ch);
            }
            out.endArray().field("version", version).endObject();
        }));
    }
}
