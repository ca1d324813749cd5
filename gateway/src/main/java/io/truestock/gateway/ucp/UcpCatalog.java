package io.truestock.gateway.ucp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.engine.price.Price;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.checkout.AgentJson;
import io.truestock.gateway.checkout.CheckoutFailure;
import io.truestock.gateway.checkout.CheckoutService;
import io.truestock.gateway.http.ApiException;
import io.truestock.gateway.mcp.CatalogIndex;
import io.truestock.gateway.offer.StockLevel;
import org.agrona.concurrent.EpochClock;

import java.util.Locale;
import java.util.Set;

/**
 * UCP catalog search, lookup and product detail over the engine's published state: a SKU is a product with one
 * variant (id and SKU the same), its title, the channel's effective price and its availability on the channel.
 * Search goes through the {@link CatalogIndex} (no scan of the catalog) and returns at most
 * {@link #MAX_RESULTS} products; lookup takes at most the engine's batch of SKU ids. Reads are lock-free and answer
 * on the caller's thread. The channel is the one the caller checks out on; an agent or admin key may name another in
 * {@code context.channel}, a channel key only its own.
 */
final class UcpCatalog
{
    static final int MAX_RESULTS = 50;
    static final int DEFAULT_RESULTS = 10;
    private static final Set<String> SEARCH_FIELDS = Set.of("query", "context", "signals", "attribution",
        "pagination");
    private static final Set<String> LOOKUP_FIELDS = Set.of("ids", "context", "signals", "attribution");
    private static final Set<String> PRODUCT_FIELDS = Set.of("id", "selected", "preferences", "context", "signals",
        "attribution");
    private static final Set<String> PAGINATION_FIELDS = Set.of("limit");
    private static final ThreadLocal<ChannelView> VIEWS = ThreadLocal.withInitial(ChannelView::new);

    private final Engine engine;
    private final CatalogIndex index;
    private final CheckoutService checkout;
    private final EpochClock clock;
    private final int maxIds;

    /**
     * @param clock the instant prices are read at (a {@link io.truestock.gateway.rules.ReadClock}).
     */
    UcpCatalog(
        final Engine engine, final CatalogIndex index, final CheckoutService checkout, final EpochClock clock,
        final int maxIds)
    {
        this.engine = engine;
        this.index = index;
        this.checkout = checkout;
        this.clock = clock;
        this.maxIds = maxIds;
    }

    ObjectNode search(final Principal principal, final ObjectNode body)
    {
        AgentJson.only(body, SEARCH_FIELDS, "$");
        final int channel = channel(principal, body);
        final String query = UcpJson.text(body, "query", "$.query");
        if (CatalogIndex.words(query, 1).isEmpty())
        {
            throw AgentJson.invalid("invalid", "query needs at least one letter or digit", "$.query");
        }
        int limit = DEFAULT_RESULTS;
        final JsonNode pagination = body.get("pagination");
        if (pagination != null)
        {
            if (!pagination.isObject())
            {
                throw AgentJson.invalid("invalid", "pagination must be an object", "$.pagination");
            }
            AgentJson.only(pagination, PAGINATION_FIELDS, "$.pagination");
            final JsonNode value = pagination.get("limit");
            if (value != null)
            {
                if (!value.isIntegralNumber() || value.longValue() < 1)
                {
                    throw AgentJson.invalid("invalid", "pagination.limit must be a positive integer",
                        "$.pagination.limit");
                }
                // The protocol lets a server clamp the page size.
                limit = (int)Math.min(MAX_RESULTS, value.longValue());
            }
        }
        if (!index.ready())
        {
            // The index's own refusal, in UCP's terms: 503 while it is built, 500 if building it failed.
            final ApiException refusal = index.notReady();
            throw new CheckoutFailure(refusal.status().code() == 503 ? CheckoutFailure.Kind.UNAVAILABLE :
                CheckoutFailure.Kind.INTERNAL, refusal.code(), refusal.getMessage(), null);
        }
        final ObjectNode out = UcpJson.JSON.createObjectNode();
        out.set("ucp", UcpJson.meta(UcpJson.SEARCH));
        final ArrayNode products = out.putArray("products");
        final long now = clock.time();
        for (final int sku : index.search(query, limit))
        {
            products.add(product(sku, channel, now, null));
        }
        return out;
    }

    ObjectNode lookup(final Principal principal, final ObjectNode body)
    {
        AgentJson.only(body, LOOKUP_FIELDS, "$");
        final int channel = channel(principal, body);
        final JsonNode ids = body.get("ids");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > maxIds)
        {
            throw AgentJson.invalid("invalid", "ids needs 1 to " + maxIds + " identifiers", "$.ids");
        }
        final ObjectNode out = UcpJson.JSON.createObjectNode();
        out.set("ucp", UcpJson.meta(UcpJson.LOOKUP));
        final ArrayNode products = out.putArray("products");
        final ArrayNode messages = UcpJson.JSON.createArrayNode();
        final long now = clock.time();
        for (int i = 0; i < ids.size(); i++)
        {
            final String path = "$.ids[" + i + "]";
            final String id = UcpJson.text(ids, i, path);
            final int sku = Ids.isValid(id) ? engine.skuIndex(id) : -1;
            if (sku < 0)
            {
                messages.add(UcpJson.message("not_found", path, "No product '" + id + "' is sold here.",
                    "recoverable"));
                continue;
            }
            products.add(product(sku, channel, now, id));
        }
        if (!messages.isEmpty())
        {
            out.set("messages", messages);
        }
        return out;
    }

    /** The product, or UCP's error response {@code not_found} (a business outcome: HTTP 200). */
    ObjectNode product(final Principal principal, final ObjectNode body)
    {
        AgentJson.only(body, PRODUCT_FIELDS, "$");
        final int channel = channel(principal, body);
        final String id = UcpJson.text(body, "id", "$.id");
        for (final String field : new String[] {"selected", "preferences"})
        {
            if (body.has(field) && (!body.get(field).isArray() || !body.get(field).isEmpty()))
            {
                throw AgentJson.invalid("invalid", field + " must be empty: products here have no options",
                    "$." + field);
            }
        }
        final int sku = Ids.isValid(id) ? engine.skuIndex(id) : -1;
        if (sku < 0)
        {
            return UcpJson.error("not_found", "No product '" + id + "' is sold here.", "$.id", "unrecoverable");
        }
        final ObjectNode out = UcpJson.JSON.createObjectNode();
        out.set("ucp", UcpJson.meta(UcpJson.LOOKUP));
        final ObjectNode product = product(sku, channel, clock.time(), null);
        product.putArray("selected");
        out.set("product", product);
        return out;
    }

    private ObjectNode product(final int sku, final int channel, final long now, final String input)
    {
        final ChannelView view = VIEWS.get();
        engine.readChannel(sku, channel, view);
        final Price price = engine.priceAt(sku, channel, now);
        final String id = engine.skuId(sku);
        final String title = engine.skuSpec(sku).title();
        final String currency = price.currency().toUpperCase(Locale.ROOT);
        final long available = Math.max(0, view.available());
        final StockLevel level = StockLevel.of(available, engine.channelSpec(channel).lowStockThreshold());
        final ObjectNode product = UcpJson.JSON.createObjectNode();
        product.put("id", id).put("handle", id).put("title", title);
        product.putObject("description").put("plain", title);
        final ObjectNode range = product.putObject("price_range");
        range.putObject("min").put("amount", price.amountMinor()).put("currency", currency);
        range.putObject("max").put("amount", price.amountMinor()).put("currency", currency);
        final ObjectNode variant = product.putArray("variants").addObject();
        variant.put("id", id).put("sku", id).put("title", title);
        variant.putObject("description").put("plain", title);
        variant.putObject("price").put("amount", price.amountMinor()).put("currency", currency);
        variant.putObject("availability").put("available", available > 0)
            .put("status", available > 0 ? "in_stock" : "out_of_stock");
        variant.putObject("metadata").put("channel", engine.channelId(channel)).put("available_quantity", available)
            .put("stock_level", level.text());
        if (input != null)
        {
            variant.putArray("inputs").addObject().put("id", input).put("match", "exact");
        }
        return product;
    }

    /** The caller's channel, or the one {@code context.channel} names (a channel key may name only its own). */
    private int channel(final Principal principal, final ObjectNode body)
    {
        String channel = checkout.channelFor(principal);
        final JsonNode context = body.get("context");
        if (context != null)
        {
            if (!context.isObject())
            {
                throw AgentJson.invalid("invalid", "context must be an object", "$.context");
            }
            final String named = AgentJson.optionalText(context, "channel", "$.context.channel");
            if (named != null)
            {
                if (principal.scope() == Principal.Scope.CHANNEL && !named.equals(principal.channel()))
                {
                    throw new CheckoutFailure(CheckoutFailure.Kind.FORBIDDEN, "forbidden",
                        "this key may only read channel '" + principal.channel() + "'", "$.context.channel");
                }
                channel = named;
            }
        }
        final int index = channel == null || !Ids.isValid(channel) ? -1 : engine.channelIndex(channel);
        if (index < 0)
        {
            throw AgentJson.invalid("invalid_channel", channel == null ? "no channel is defined" :
                "no channel '" + channel + "'", "$.context.channel");
        }
        return index;
    }
}
