package io.truestock.gateway.ucp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truestock.gateway.checkout.AgentJson;
import io.truestock.gateway.checkout.CheckoutRequest;
import io.truestock.gateway.checkout.Session;
import io.truestock.gateway.payment.PaymentHandler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.truestock.gateway.checkout.AgentJson.invalid;
import static io.truestock.gateway.checkout.AgentJson.only;
import static io.truestock.gateway.checkout.AgentJson.optionalText;

/**
 * UCP 2026-04-08 objects: checkout requests parsed into the checkout core's terms; checkouts (with the fulfillment
 * extension), orders, error responses and the discovery profile rendered as the published schemas define them.
 * Requests are read strictly: a field the schema does not define for the operation, or one Truestock does not act
 * on, is refused with its JSONPath, so nothing an agent sends is silently ignored.
 */
final class UcpJson
{
    static final String VERSION = "2026-04-08";
    static final String CHECKOUT = "dev.ucp.shopping.checkout";
    static final String FULFILLMENT = "dev.ucp.shopping.fulfillment";
    static final String ORDER = "dev.ucp.shopping.order";
    static final String SEARCH = "dev.ucp.shopping.catalog.search";
    static final String LOOKUP = "dev.ucp.shopping.catalog.lookup";
    static final String SPEC = "https://ucp.dev/specification/overview";
    static final String SCHEMAS = "https://ucp.dev/schemas/shopping/";
    static final ObjectMapper JSON = AgentJson.JSON;

    private static final Set<String> CHECKOUT_FIELDS = Set.of("line_items", "buyer", "context", "signals",
        "attribution", "fulfillment", "payment");
    private static final Set<String> COMPLETE_FIELDS = Set.of("payment", "signals", "attribution");
    private static final Set<String> LINE_FIELDS = Set.of("id", "item", "quantity");
    private static final Set<String> ITEM_FIELDS = Set.of("id");
    private static final Set<String> BUYER_FIELDS = Set.of("first_name", "last_name", "email", "phone_number");
    private static final Set<String> FULFILLMENT_FIELDS = Set.of("methods");
    private static final Set<String> METHOD_FIELDS = Set.of("id", "type", "line_item_ids", "destinations",
        "selected_destination_id", "groups");
    private static final Set<String> DESTINATION_FIELDS = Set.of("id", "first_name", "last_name", "street_address",
        "extended_address", "address_locality", "address_region", "address_country", "postal_code", "phone_number");
    private static final Set<String> GROUP_FIELDS = Set.of("id", "line_item_ids", "selected_option_id");
    private static final Set<String> PAYMENT_FIELDS = Set.of("instruments");
    private static final String ADDRESS_PATH = "$.fulfillment.methods[0].destinations[0]";
    static final int MAX_TEXT = AgentJson.MAX_TEXT;

    private final int maxLines;
    private final long maxQuantity;

    UcpJson(final int maxLines, final long maxQuantity)
    {
        this.maxLines = maxLines;
        this.maxQuantity = maxQuantity;
    }

    // ---- requests ----

    /** A create ({@code update} false) or an update: lines, buyer, the shipping destination, the chosen option. */
    CheckoutRequest checkout(final ObjectNode body, final boolean update)
    {
        only(body, CHECKOUT_FIELDS, "$");
        if (!update && !body.has("line_items"))
        {
            throw invalid("missing", "line_items is required", "$.line_items");
        }
        for (final String field : List.of("context", "signals", "attribution"))
        {
            if (body.has(field) && !body.get(field).isObject())
            {
                throw invalid("invalid", field + " must be an object", "$." + field);
            }
        }
        if (body.has("payment"))
        {
            payment(body.get("payment"), false);
        }
        final JsonNode buyer = body.get("buyer");
        String email = null;
        String name = null;
        if (buyer != null)
        {
            if (!buyer.isObject())
            {
                throw invalid("invalid", "buyer must be an object", "$.buyer");
            }
            only(buyer, BUYER_FIELDS, "$.buyer");
            email = optionalText(buyer, "email", "$.buyer.email");
            if (email != null && email.indexOf('@') < 1)
            {
                throw invalid("invalid", "buyer.email must be an email address", "$.buyer.email");
            }
            optionalText(buyer, "phone_number", "$.buyer.phone_number");
            final String first = optionalText(buyer, "first_name", "$.buyer.first_name");
            final String last = optionalText(buyer, "last_name", "$.buyer.last_name");
            name = first == null && last == null ? null :
                ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
        }
        final String[] selected = new String[1];
        final Session.Address address = fulfillment(body.get("fulfillment"), selected);
        return new CheckoutRequest(body.has("line_items") ? lines(body.get("line_items")) : null, "$.line_items",
            address, ADDRESS_PATH, email, name, null, selected[0], null);
    }

    /** The payment of a complete: {handler id, token}. */
    static String[] complete(final ObjectNode body)
    {
        only(body, COMPLETE_FIELDS, "$");
        if (!body.has("payment"))
        {
            throw invalid("missing", "payment is required", "$.payment");
        }
        return payment(body.get("payment"), true);
    }

    /** The selected instrument's handler and token (the only instrument when none is marked selected), or null. */
    private static String[] payment(final JsonNode payment, final boolean required)
    {
        if (!payment.isObject())
        {
            throw invalid("invalid", "payment must be an object", "$.payment");
        }
        only(payment, PAYMENT_FIELDS, "$.payment");
        final JsonNode instruments = payment.get("instruments");
        if (instruments == null && !required)
        {
            return null;
        }
        if (instruments == null || !instruments.isArray() || instruments.isEmpty() || instruments.size() > 8)
        {
            throw invalid("missing", "payment.instruments needs 1 to 8 instruments", "$.payment.instruments");
        }
        int chosen = -1;
        for (int i = 0; i < instruments.size(); i++)
        {
            final JsonNode instrument = instruments.get(i);
            final String path = "$.payment.instruments[" + i + "]";
            if (!instrument.isObject())
            {
                throw invalid("invalid", "an instrument must be an object", path);
            }
            text(instrument, "id", path + ".id");
            text(instrument, "handler_id", path + ".handler_id");
            text(instrument, "type", path + ".type");
            if (instrument.has("selected") && !instrument.get("selected").isBoolean())
            {
                throw invalid("invalid", "selected must be a boolean", path + ".selected");
            }
            if (instrument.path("selected").asBoolean(false))
            {
                if (chosen >= 0)
                {
                    throw invalid("invalid", "at most one instrument may be selected", path + ".selected");
                }
                chosen = i;
            }
        }
        if (chosen < 0)
        {
            if (instruments.size() > 1)
            {
                throw invalid("missing", "mark the instrument to pay with as selected", "$.payment.instruments");
            }
            chosen = 0;
        }
        final JsonNode instrument = instruments.get(chosen);
        final String path = "$.payment.instruments[" + chosen + "]";
        final JsonNode credential = instrument.get("credential");
        if (!required && credential == null)
        {
            return null;
        }
        if (credential == null || !credential.isObject() || !credential.path("type").isTextual() ||
            !credential.path("token").isTextual() || credential.path("token").textValue().isEmpty() ||
            credential.path("token").textValue().length() > 1024)
        {
            throw invalid("missing", "the instrument needs a credential {type, token} (token of 1 to 1024 characters)",
                path + ".credential");
        }
        return new String[]{instrument.get("handler_id").textValue(), credential.path("token").textValue()};
    }

    private List<CheckoutRequest.Line> lines(final JsonNode items)
    {
        if (!items.isArray() || items.isEmpty() || items.size() > maxLines)
        {
            throw invalid("invalid", "line_items needs 1 to " + maxLines + " items", "$.line_items");
        }
        final Map<String, Long> bySku = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++)
        {
            final String path = "$.line_items[" + i + "]";
            final JsonNode line = items.get(i);
            if (!line.isObject())
            {
                throw invalid("invalid", "a line item must be an object", path);
            }
            only(line, LINE_FIELDS, path);
            if (line.has("id"))
            {
                text(line, "id", path + ".id");
            }
            final JsonNode item = line.get("item");
            if (item == null || !item.isObject())
            {
                throw invalid("missing", "item {id} is required", path + ".item");
            }
            only(item, ITEM_FIELDS, path + ".item");
            final String sku = text(item, "id", path + ".item.id");
            final JsonNode quantity = line.get("quantity");
            if (quantity == null || !quantity.isIntegralNumber() || !quantity.canConvertToLong() ||
                quantity.longValue() < 1 || quantity.longValue() > maxQuantity)
            {
                throw invalid("invalid", "quantity must be an integer in [1, " + maxQuantity + "]", path + ".quantity");
            }
            final long total = bySku.getOrDefault(sku, 0L) + quantity.longValue();
            if (total > maxQuantity)
            {
                throw invalid("invalid", "quantity of '" + sku + "' exceeds " + maxQuantity, path + ".quantity");
            }
            bySku.put(sku, total);
        }
        final List<CheckoutRequest.Line> lines = new ArrayList<>();
        bySku.forEach((sku, qty) -> lines.add(new CheckoutRequest.Line(sku, qty)));
        return lines;
    }

    /**
     * One shipping method with one destination (the selected one, or the only one) and at most one group whose
     * {@code selected_option_id} picks the option: a checkout ships as the engine's router decides, to one address.
     */
    private static Session.Address fulfillment(final JsonNode fulfillment, final String[] selected)
    {
        if (fulfillment == null)
        {
            return null;
        }
        if (!fulfillment.isObject())
        {
            throw invalid("invalid", "fulfillment must be an object", "$.fulfillment");
        }
        only(fulfillment, FULFILLMENT_FIELDS, "$.fulfillment");
        final JsonNode methods = fulfillment.get("methods");
        if (methods == null)
        {
            return null;
        }
        if (!methods.isArray() || methods.size() > 1)
        {
            throw invalid("invalid", "fulfillment.methods takes at most one method (shipping to one destination)",
                "$.fulfillment.methods");
        }
        if (methods.isEmpty())
        {
            return null;
        }
        final JsonNode method = methods.get(0);
        final String path = "$.fulfillment.methods[0]";
        if (!method.isObject())
        {
            throw invalid("invalid", "a method must be an object", path);
        }
        only(method, METHOD_FIELDS, path);
        if (method.has("type") && !"shipping".equals(method.get("type").asText(null)))
        {
            throw invalid("invalid", "only shipping is offered", path + ".type");
        }
        final JsonNode groups = method.get("groups");
        if (groups != null)
        {
            if (!groups.isArray() || groups.size() > 1)
            {
                throw invalid("invalid", "groups takes at most one group (one shipment plan)", path + ".groups");
            }
            if (groups.size() == 1)
            {
                final JsonNode group = groups.get(0);
                if (!group.isObject())
                {
                    throw invalid("invalid", "a group must be an object", path + ".groups[0]");
                }
                only(group, GROUP_FIELDS, path + ".groups[0]");
                selected[0] = optionalText(group, "selected_option_id", path + ".groups[0].selected_option_id");
            }
        }
        final JsonNode destinations = method.get("destinations");
        if (destinations == null)
        {
            return null;
        }
        if (!destinations.isArray() || destinations.size() > 8)
        {
            throw invalid("invalid", "destinations takes at most 8 addresses", path + ".destinations");
        }
        final String selectedId = optionalText(method, "selected_destination_id", path + ".selected_destination_id");
        JsonNode chosen = null;
        String chosenPath = null;
        for (int i = 0; i < destinations.size(); i++)
        {
            final JsonNode destination = destinations.get(i);
            final String at = path + ".destinations[" + i + "]";
            if (!destination.isObject())
            {
                throw invalid("invalid", "a destination must be an object", at);
            }
            only(destination, DESTINATION_FIELDS, at);
            final String id = optionalText(destination, "id", at + ".id");
            if (selectedId == null ? destinations.size() == 1 : selectedId.equals(id))
            {
                chosen = destination;
                chosenPath = at;
            }
        }
        if (chosen == null)
        {
            if (destinations.isEmpty())
            {
                return null;
            }
            throw invalid("invalid", selectedId == null ? "name the destination in selected_destination_id" :
                "no destination '" + selectedId + "'", path + ".selected_destination_id");
        }
        final String first = optionalText(chosen, "first_name", chosenPath + ".first_name");
        final String last = optionalText(chosen, "last_name", chosenPath + ".last_name");
        final String name = first == null && last == null ? null :
            ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
        optionalText(chosen, "phone_number", chosenPath + ".phone_number");
        return new Session.Address(name, optionalText(chosen, "street_address", chosenPath + ".street_address"),
            optionalText(chosen, "extended_address", chosenPath + ".extended_address"),
            optionalText(chosen, "address_locality", chosenPath + ".address_locality"),
            optionalText(chosen, "address_region", chosenPath + ".address_region"),
            text(chosen, "address_country", chosenPath + ".address_country"),
            text(chosen, "postal_code", chosenPath + ".postal_code"));
    }

    static String text(final JsonNode node, final String field, final String path)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            throw invalid("missing", field + " is required", path);
        }
        if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > MAX_TEXT)
        {
            throw invalid("invalid", field + " must be a string of 1 to " + MAX_TEXT + " characters", path);
        }
        return value.textValue();
    }

    static String text(final JsonNode array, final int index, final String path)
    {
        final JsonNode value = array.get(index);
        if (value == null || !value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > MAX_TEXT)
        {
            throw invalid("invalid", "an identifier must be a string of 1 to " + MAX_TEXT + " characters", path);
        }
        return value.textValue();
    }

    // ---- responses ----

    /** UCP metadata of a response: the version, {@code success}, and the capabilities it speaks. */
    static ObjectNode meta(final String... capabilities)
    {
        final ObjectNode ucp = JSON.createObjectNode();
        ucp.put("version", VERSION).put("status", "success");
        final ObjectNode caps = ucp.putObject("capabilities");
        for (final String capability : capabilities)
        {
            final ObjectNode entry = caps.putArray(capability).addObject().put("version", VERSION);
            if (capability.equals(FULFILLMENT))
            {
                entry.put("extends", CHECKOUT);
            }
        }
        return ucp;
    }

    /** A checkout with the fulfillment extension (and {@code order} once completed). */
    static ObjectNode checkout(final Session s, final Iterable<PaymentHandler> handlers, final String baseUrl)
    {
        final ObjectNode out = JSON.createObjectNode();
        final ObjectNode ucp = meta(CHECKOUT, FULFILLMENT);
        final ObjectNode registry = ucp.putObject("payment_handlers");
        for (final PaymentHandler handler : handlers)
        {
            arrayOf(registry, handlerName(handler)).add(handler(handler));
        }
        out.set("ucp", ucp);
        out.put("id", s.id());
        out.put("status", status(s.state()));
        out.put("currency", s.currency() == null ? "USD" : s.currency().toUpperCase(Locale.ROOT));
        final ArrayNode lines = out.putArray("line_items");
        final List<String> lineIds = new ArrayList<>();
        for (final Session.Line line : s.lines())
        {
            final ObjectNode item = lines.addObject();
            item.put("id", line.id());
            item.putObject("item").put("id", line.sku()).put("title", line.title())
                .put("price", line.unitAmountMinor());
            item.put("quantity", line.qty());
            final long amount = line.unitAmountMinor() * line.qty();
            final ArrayNode totals = item.putArray("totals");
            total(totals, "subtotal", "Subtotal", amount);
            total(totals, "total", "Total", amount);
            lineIds.add(line.id());
        }
        if (s.buyerEmail() != null || s.buyerName() != null)
        {
            final ObjectNode buyer = out.putObject("buyer");
            if (s.buyerEmail() != null)
            {
                buyer.put("email", s.buyerEmail());
            }
            if (s.buyerName() != null)
            {
                buyer.put("first_name", s.buyerName());
            }
        }
        final ObjectNode method = out.putObject("fulfillment").putArray("methods").addObject();
        method.put("id", "shipping_1").put("type", "shipping");
        final ArrayNode methodLines = method.putArray("line_item_ids");
        lineIds.forEach(methodLines::add);
        if (s.address() != null)
        {
            method.putArray("destinations").add(destination(s.address()).put("id", "dest_1"));
            method.put("selected_destination_id", "dest_1");
        }
        final ObjectNode group = method.putArray("groups").addObject();
        group.put("id", "group_1");
        final ArrayNode groupLines = group.putArray("line_item_ids");
        lineIds.forEach(groupLines::add);
        final ArrayNode options = group.putArray("options");
        for (final Session.Option option : s.options())
        {
            final ObjectNode o = options.addObject();
            o.put("id", option.id()).put("title", option.title()).put("carrier", option.carrier())
                .put("earliest_fulfillment_time", Instant.ofEpochMilli(option.earliestMillis()).toString())
                .put("latest_fulfillment_time", Instant.ofEpochMilli(option.latestMillis()).toString());
            total(o.putArray("totals"), "fulfillment", "Shipping", option.amountMinor());
        }
        if (s.selectedOption() != null)
        {
            group.put("selected_option_id", s.selectedOption());
        }
        else
        {
            group.putNull("selected_option_id");
        }
        out.set("totals", totals(s));
        final ArrayNode messages = out.putArray("messages");
        // A closed session's last messages (a declined payment before a cancel) no longer describe it.
        for (final Session.Message message : s.state().isFinal() ? List.<Session.Message>of() : s.messages())
        {
            messages.add(message(messageCode(message.code()), path(message.param()), message.text(),
                message.code().equals("order_not_confirmed") ? "unrecoverable" : "recoverable"));
        }
        if (s.state() == Session.State.EXPIRED)
        {
            messages.add(message("session_expired", null, "The checkout session expired and its items were " +
                "released; create a new one.", "unrecoverable"));
        }
        out.putArray("links");
        out.put("expires_at", Instant.ofEpochMilli(s.expiresAtMillis()).toString());
        if (s.orderId() != null)
        {
            out.putObject("order").put("id", s.orderId()).put("permalink_url", permalink(s, baseUrl));
        }
        return out;
    }

    /** The order a completed checkout created. */
    static ObjectNode order(final Session s, final String baseUrl)
    {
        final ObjectNode out = JSON.createObjectNode();
        out.set("ucp", meta(ORDER));
        out.put("id", s.orderId());
        out.put("checkout_id", s.id());
        out.put("permalink_url", permalink(s, baseUrl));
        final ArrayNode lines = out.putArray("line_items");
        final ObjectNode expectation = JSON.createObjectNode();
        expectation.put("id", "expectation_1");
        final ArrayNode expected = expectation.putArray("line_items");
        for (final Session.Line line : s.lines())
        {
            final ObjectNode item = lines.addObject();
            item.put("id", line.id());
            item.putObject("item").put("id", line.sku()).put("title", line.title())
                .put("price", line.unitAmountMinor());
            item.putObject("quantity").put("original", line.qty()).put("total", line.qty()).put("fulfilled", 0);
            final long amount = line.unitAmountMinor() * line.qty();
            final ArrayNode totals = item.putArray("totals");
            total(totals, "subtotal", "Subtotal", amount);
            total(totals, "total", "Total", amount);
            item.put("status", "processing");
            expected.addObject().put("id", line.id()).put("quantity", line.qty());
        }
        expectation.put("method_type", "shipping");
        expectation.set("destination", s.address() == null ? JSON.createObjectNode() : destination(s.address()));
        long latest = 0;
        for (final Session.Shipment shipment : s.shipments())
        {
            latest = Math.max(latest, shipment.latestMillis());
        }
        if (latest > 0)
        {
            expectation.put("fulfillable_on", "by " + Instant.ofEpochMilli(latest));
        }
        final ObjectNode fulfillment = out.putObject("fulfillment");
        fulfillment.putArray("expectations").add(expectation);
        fulfillment.putArray("events");
        out.put("currency", s.currency() == null ? "USD" : s.currency().toUpperCase(Locale.ROOT));
        out.set("totals", totals(s));
        return out;
    }

    private static ArrayNode totals(final Session s)
    {
        final ArrayNode totals = JSON.createArrayNode();
        total(totals, "subtotal", "Subtotal", s.subtotalMinor());
        total(totals, "fulfillment", "Shipping", s.fulfillmentMinor());
        total(totals, "total", "Total (tax not included)", s.totalMinor());
        return totals;
    }

    private static String permalink(final Session s, final String baseUrl)
    {
        return baseUrl + "/v1/orders/" + s.orderId() + "?channel=" + s.channel();
    }

    private static ObjectNode destination(final Session.Address a)
    {
        final ObjectNode out = JSON.createObjectNode();
        if (a.name() != null)
        {
            out.put("first_name", a.name());
        }
        if (a.lineOne() != null)
        {
            out.put("street_address", a.lineOne());
        }
        if (a.lineTwo() != null)
        {
            out.put("extended_address", a.lineTwo());
        }
        if (a.city() != null)
        {
            out.put("address_locality", a.city());
        }
        if (a.state() != null)
        {
            out.put("address_region", a.state());
        }
        out.put("address_country", a.country()).put("postal_code", a.postalCode());
        return out;
    }

    /** The reverse-domain name a handler is listed under. */
    static String handlerName(final PaymentHandler handler)
    {
        return switch (handler.psp())
        {
            case "sandbox" -> "dev.truestock.sandbox";
            case "stripe" -> "com.stripe.shared_payment_token";
            default -> "dev.truestock." + handler.psp().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        };
    }

    private static ArrayNode arrayOf(final ObjectNode registry, final String name)
    {
        return registry.has(name) ? (ArrayNode)registry.get(name) : registry.putArray(name);
    }

    static ObjectNode handler(final PaymentHandler handler)
    {
        final ObjectNode h = JSON.createObjectNode();
        final boolean sandbox = "sandbox".equals(handler.psp());
        h.put("id", handler.id()).put("version", VERSION);
        h.putObject("config").put("environment", sandbox ? "sandbox" : "production").put("psp", handler.psp());
        return h;
    }

    static ObjectNode message(final String code, final String path, final String content, final String severity)
    {
        final ObjectNode m = JSON.createObjectNode();
        m.put("type", "error").put("code", code);
        if (path != null)
        {
            m.put("path", path);
        }
        m.put("content_type", "plain").put("content", content).put("severity", severity);
        return m;
    }

    private static void total(final ArrayNode into, final String type, final String text, final long amount)
    {
        into.addObject().put("type", type).put("display_text", text).put("amount", amount);
    }

    static String status(final Session.State state)
    {
        return switch (state)
        {
            case NOT_READY -> "incomplete";
            case READY -> "ready_for_complete";
            case IN_PROGRESS -> "complete_in_progress";
            case COMPLETED -> "completed";
            case CANCELED, EXPIRED -> "canceled";
        };
    }

    /** The UCP code of a checkout core message. */
    static String messageCode(final String code)
    {
        return switch (code)
        {
            case "payment_declined" -> "payment_failed";
            case "missing_address" -> "fulfillment_address_required";
            case "quote_expired" -> "price_changed";
            default -> code;
        };
    }

    /** A core JSONPath in UCP's terms. */
    static String path(final String param)
    {
        if (param == null)
        {
            return null;
        }
        if (param.startsWith("$.fulfillment_details"))
        {
            return ADDRESS_PATH;
        }
        if (param.startsWith("$.payment_data"))
        {
            return "$.payment";
        }
        return param;
    }

    /** UCP's error response: {@code ucp.status: error} and one message. */
    static ObjectNode error(final String code, final String content, final String path, final String severity)
    {
        final ObjectNode out = JSON.createObjectNode();
        out.putObject("ucp").put("version", VERSION).put("status", "error");
        out.putArray("messages").add(message(code, path, content, severity));
        return out;
    }

    /** The business profile at {@code /.well-known/ucp}. */
    static ObjectNode profile(final String baseUrl, final Iterable<PaymentHandler> handlers)
    {
        final ObjectNode out = JSON.createObjectNode();
        final ObjectNode ucp = out.putObject("ucp");
        ucp.put("version", VERSION);
        final ArrayNode shopping = ucp.putObject("services").putArray("dev.ucp.shopping");
        shopping.addObject().put("version", VERSION).put("spec", SPEC).put("transport", "rest")
            .put("endpoint", baseUrl + "/ucp").put("schema", "https://ucp.dev/services/shopping/rest.openapi.json");
        shopping.addObject().put("version", VERSION).put("spec", SPEC).put("transport", "mcp")
            .put("endpoint", baseUrl + "/mcp").put("schema", "https://ucp.dev/services/shopping/mcp.openrpc.json");
        final ObjectNode caps = ucp.putObject("capabilities");
        capability(caps, CHECKOUT, "checkout.json");
        final ObjectNode fulfillment = capability(caps, FULFILLMENT, "fulfillment.json");
        fulfillment.put("extends", CHECKOUT);
        fulfillment.putObject("config").putObject("allows_multi_destination").put("shipping", false)
            .put("pickup", false);
        capability(caps, ORDER, "order.json");
        capability(caps, SEARCH, "catalog_search.json");
        capability(caps, LOOKUP, "catalog_lookup.json");
        final ObjectNode registry = ucp.putObject("payment_handlers");
        for (final PaymentHandler handler : handlers)
        {
            arrayOf(registry, handlerName(handler)).add(handler(handler));
        }
        return out;
    }

    private static ObjectNode capability(final ObjectNode caps, final String name, final String schema)
    {
        return caps.putArray(name).addObject().put("version", VERSION).put("spec", SPEC)
            .put("schema", SCHEMAS + schema);
    }
}
