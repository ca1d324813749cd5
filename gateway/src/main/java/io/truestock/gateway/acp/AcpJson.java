package io.truestock.gateway.acp;

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
import java.util.Map;
import java.util.Set;

import static io.truestock.gateway.checkout.AgentJson.invalid;
import static io.truestock.gateway.checkout.AgentJson.only;
import static io.truestock.gateway.checkout.AgentJson.optionalText;

/**
 * ACP 2026-04-17 objects: requests parsed into the checkout core's terms, sessions, errors and discovery rendered
 * as the published schema defines them. Items carry no quantity in this version: an item repeated in
 * {@code line_items} counts once per appearance, and an optional {@code quantity} on an item (as the protocol's own
 * examples send) counts that many.
 */
final class AcpJson
{
    static final String VERSION = "2026-04-17";
    static final ObjectMapper JSON = AgentJson.JSON;

    private static final Set<String> CREATE_FIELDS = Set.of("buyer", "line_items", "currency", "fulfillment_details",
        "capabilities", "fulfillment_groups", "affiliate_attribution", "coupons", "discounts", "locale", "timezone",
        "quote_id", "metadata", "order_notes");
    private static final Set<String> UPDATE_FIELDS = Set.of("buyer", "line_items", "fulfillment_details",
        "fulfillment_groups", "selected_fulfillment_options", "coupons", "discounts", "order_notes");
    private static final Set<String> COMPLETE_FIELDS = Set.of("buyer", "payment_data", "authentication_result",
        "affiliate_attribution", "risk_signals", "marketing_consents", "order_notes");
    private static final Set<String> CANCEL_FIELDS = Set.of("intent_trace");
    private static final Set<String> ITEM_FIELDS = Set.of("id", "name", "unit_amount", "quantity");
    private static final Set<String> DETAILS_FIELDS = Set.of("name", "phone_number", "email", "address");
    private static final Set<String> ADDRESS_FIELDS = Set.of("name", "line_one", "line_two", "city", "state",
        "country", "postal_code", "company");
    private static final Set<String> SELECTED_FIELDS = Set.of("type", "option_id", "item_ids", "shipping");
    private static final Set<String> NESTED_SELECTED_FIELDS = Set.of("option_id", "item_ids");
    static final int MAX_TEXT = AgentJson.MAX_TEXT;

    private final int maxLines;
    private final long maxQuantity;

    AcpJson(final int maxLines, final long maxQuantity)
    {
        this.maxLines = maxLines;
        this.maxQuantity = maxQuantity;
    }

    // ---- requests ----

    CheckoutRequest create(final ObjectNode body)
    {
        only(body, CREATE_FIELDS, "$");
        if (!body.has("line_items"))
        {
            throw invalid("missing", "line_items is required", "$.line_items");
        }
        if (!body.has("currency"))
        {
            throw invalid("missing", "currency is required", "$.currency");
        }
        return new CheckoutRequest(lines(body.get("line_items")), "$.line_items", details(body),
            "$.fulfillment_details.address", buyerEmail(body), buyerName(body), text(body, "currency", "$.currency"),
            null, body.has("quote_id") ? text(body, "quote_id", "$.quote_id") : null);
    }

    CheckoutRequest update(final ObjectNode body)
    {
        only(body, UPDATE_FIELDS, "$");
        String selected = null;
        if (body.has("selected_fulfillment_options"))
        {
            final JsonNode options = body.get("selected_fulfillment_options");
            if (!options.isArray() || options.size() > 1)
            {
                throw invalid("invalid", "selected_fulfillment_options takes at most one option (every line ships" +
                    " by the option the engine promises)", "$.selected_fulfillment_options");
            }
            if (options.size() == 1)
            {
                final JsonNode option = options.get(0);
                final String path = "$.selected_fulfillment_options[0]";
                if (!option.isObject())
                {
                    throw invalid("invalid", "an option must be an object", path);
                }
                only(option, SELECTED_FIELDS, path);
                selected = selectedOptionId(option, path);
            }
        }
        return new CheckoutRequest(body.has("line_items") ? lines(body.get("line_items")) : null, "$.line_items",
            details(body), "$.fulfillment_details.address", buyerEmail(body), buyerName(body), null, selected, null);
    }

    /**
     * The option id of a selected option, flat ({@code {"type", "option_id", "item_ids"}}, as the schema has it) or
     * nested under its type ({@code {"type": "shipping", "shipping": {"option_id", "item_ids"}}}, as the protocol's
     * MCP examples send it); not both.
     */
    private static String selectedOptionId(final JsonNode option, final String path)
    {
        final JsonNode nested = option.get("shipping");
        if (nested == null)
        {
            return text(option, "option_id", path + ".option_id");
        }
        if (!nested.isObject() || option.has("option_id"))
        {
            throw invalid("invalid", "give the option either as option_id or as a shipping object, not both",
                path + ".shipping");
        }
        if (option.has("type") && !"shipping".equals(option.get("type").asText(null)))
        {
            throw invalid("invalid", "only shipping options are offered", path + ".type");
        }
        only(nested, NESTED_SELECTED_FIELDS, path + ".shipping");
        return text(nested, "option_id", path + ".shipping.option_id");
    }

    /** The payment: {handler id or null, token}. */
    static String[] complete(final ObjectNode body)
    {
        only(body, COMPLETE_FIELDS, "$");
        final JsonNode payment = body.get("payment_data");
        if (payment == null || !payment.isObject())
        {
            throw invalid("missing", "payment_data is required", "$.payment_data");
        }
        final String handler = payment.has("handler_id") ?
            text(payment, "handler_id", "$.payment_data.handler_id") : null;
        final JsonNode credential = payment.path("instrument").path("credential");
        if (!credential.isObject() || !credential.path("token").isTextual() ||
            credential.path("token").textValue().isEmpty() || credential.path("token").textValue().length() > 1024)
        {
            throw invalid("missing", "payment_data.instrument.credential.token is required (1 to 1024 characters)",
                "$.payment_data.instrument.credential.token");
        }
        return new String[]{handler, credential.path("token").textValue()};
    }

    static void cancel(final ObjectNode body)
    {
        only(body, CANCEL_FIELDS, "$");
    }

    private List<CheckoutRequest.Line> lines(final JsonNode items)
    {
        if (!items.isArray() || items.isEmpty() || items.size() > maxLines * 16)
        {
            throw invalid("invalid", "line_items needs 1 to " + maxLines + " items", "$.line_items");
        }
        final Map<String, Long> bySku = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++)
        {
            final String path = "$.line_items[" + i + "]";
            final JsonNode item = items.get(i);
            if (!item.isObject())
            {
                throw invalid("invalid", "an item must be an object", path);
            }
            only(item, ITEM_FIELDS, path);
            final String id = text(item, "id", path + ".id");
            long qty = 1;
            if (item.has("quantity"))
            {
                final JsonNode quantity = item.get("quantity");
                if (!quantity.isIntegralNumber() || !quantity.canConvertToLong() || quantity.longValue() < 1 ||
                    quantity.longValue() > maxQuantity)
                {
                    throw invalid("invalid", "quantity must be an integer in [1, " + maxQuantity + "]",
                        path + ".quantity");
                }
                qty = quantity.longValue();
            }
            if (item.has("unit_amount") && !item.get("unit_amount").isIntegralNumber())
            {
                throw invalid("invalid", "unit_amount must be an integer", path + ".unit_amount");
            }
            if (item.has("name") && !item.get("name").isTextual())
            {
                throw invalid("invalid", "name must be a string", path + ".name");
            }
            final long total = bySku.getOrDefault(id, 0L) + qty;
            if (total > maxQuantity)
            {
                throw invalid("invalid", "quantity of '" + id + "' exceeds " + maxQuantity, path);
            }
            bySku.put(id, total);
        }
        if (bySku.size() > maxLines)
        {
            throw invalid("invalid", "line_items names more than " + maxLines + " distinct items", "$.line_items");
        }
        final List<CheckoutRequest.Line> lines = new ArrayList<>();
        bySku.forEach((sku, qty) -> lines.add(new CheckoutRequest.Line(sku, qty)));
        return lines;
    }

    private static Session.Address details(final ObjectNode body)
    {
        final JsonNode details = body.get("fulfillment_details");
        if (details == null)
        {
            return null;
        }
        if (!details.isObject())
        {
            throw invalid("invalid", "fulfillment_details must be an object", "$.fulfillment_details");
        }
        only(details, DETAILS_FIELDS, "$.fulfillment_details");
        for (final String field : List.of("name", "phone_number", "email"))
        {
            optionalText(details, field, "$.fulfillment_details." + field);
        }
        final JsonNode address = details.get("address");
        if (address == null)
        {
            return null;
        }
        final String path = "$.fulfillment_details.address";
        if (!address.isObject())
        {
            throw invalid("invalid", "address must be an object", path);
        }
        only(address, ADDRESS_FIELDS, path);
        return new Session.Address(optionalText(address, "name", path + ".name"),
            optionalText(address, "line_one", path + ".line_one"),
            optionalText(address, "line_two", path + ".line_two"),
            optionalText(address, "city", path + ".city"), optionalText(address, "state", path + ".state"),
            text(address, "country", path + ".country"), text(address, "postal_code", path + ".postal_code"));
    }

    private static String buyerEmail(final ObjectNode body)
    {
        final JsonNode buyer = body.get("buyer");
        if (buyer == null)
        {
            return null;
        }
        if (!buyer.isObject())
        {
            throw invalid("invalid", "buyer must be an object", "$.buyer");
        }
        final String email = text(buyer, "email", "$.buyer.email");
        if (email.indexOf('@') < 1)
        {
            throw invalid("invalid", "buyer.email must be an email address", "$.buyer.email");
        }
        return email;
    }

    private static String buyerName(final ObjectNode body)
    {
        final JsonNode buyer = body.get("buyer");
        if (buyer == null)
        {
            return null;
        }
        final String full = optionalText(buyer, "full_name", "$.buyer.full_name");
        if (full != null)
        {
            return full;
        }
        final String first = optionalText(buyer, "first_name", "$.buyer.first_name");
        final String last = optionalText(buyer, "last_name", "$.buyer.last_name");
        return first == null && last == null ? null : ((first == null ? "" : first) + " " +
            (last == null ? "" : last)).strip();
    }

    private static String text(final JsonNode node, final String field, final String path)
    {
        final JsonNode value = node.get(field);
        if (value == null)
        {
            throw invalid("missing", field + " is required", path);
        }
        if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > MAX_TEXT)
        {
            throw invalid("invalid", field + " must be a string of 1 to " + MAX_TEXT + " characters", path);
        }
        return value.textValue();
    }

    // ---- responses ----

    /** A session as ACP's CheckoutSession (with {@code order} once completed). */
    static ObjectNode session(final Session s, final Iterable<PaymentHandler> handlers, final String baseUrl)
    {
        final ObjectNode out = JSON.createObjectNode();
        out.put("id", s.id());
        out.putObject("protocol").put("version", VERSION);
        final ArrayNode handlerList = out.putObject("capabilities").putObject("payment").putArray("handlers");
        for (final PaymentHandler handler : handlers)
        {
            handlerList.add(handler(handler, baseUrl));
        }
        if (s.buyerEmail() != null)
        {
            final ObjectNode buyer = out.putObject("buyer").put("email", s.buyerEmail());
            if (s.buyerName() != null)
            {
                buyer.put("full_name", s.buyerName());
            }
        }
        out.put("status", status(s.state()));
        out.put("currency", s.currency() == null ? "usd" : s.currency());
        final ArrayNode lines = out.putArray("line_items");
        final ArrayNode itemIds = JSON.createArrayNode();
        for (final Session.Line line : s.lines())
        {
            final ObjectNode item = lines.addObject();
            item.put("id", line.id());
            item.putObject("item").put("id", line.sku()).put("name", line.title())
                .put("unit_amount", line.unitAmountMinor());
            item.put("quantity", line.qty());
            item.put("name", line.title());
            item.put("unit_amount", line.unitAmountMinor());
            item.put("sku", line.sku());
            item.put("availability_status", line.availability());
            item.put("available_quantity", line.available());
            final long amount = line.unitAmountMinor() * line.qty();
            final ArrayNode totals = item.putArray("totals");
            total(totals, "items_base_amount", "Base amount", amount);
            total(totals, "subtotal", "Subtotal", amount);
            total(totals, "total", "Total", amount);
            itemIds.add(line.id());
        }
        if (s.address() != null)
        {
            final Session.Address a = s.address();
            final ObjectNode details = out.putObject("fulfillment_details");
            if (a.name() != null)
            {
                details.put("name", a.name());
            }
            if (s.buyerEmail() != null)
            {
                details.put("email", s.buyerEmail());
            }
            final ObjectNode address = details.putObject("address");
            address.put("name", nonNull(a.name())).put("line_one", nonNull(a.lineOne()));
            if (a.lineTwo() != null)
            {
                address.put("line_two", a.lineTwo());
            }
            address.put("city", nonNull(a.city())).put("state", nonNull(a.state())).put("country", a.country())
                .put("postal_code", a.postalCode());
        }
        final ArrayNode options = out.putArray("fulfillment_options");
        for (final Session.Option option : s.options())
        {
            final ObjectNode o = options.addObject();
            o.put("type", "shipping").put("id", option.id()).put("title", option.title())
                .put("carrier", option.carrier())
                .put("earliest_delivery_time", Instant.ofEpochMilli(option.earliestMillis()).toString())
                .put("latest_delivery_time", Instant.ofEpochMilli(option.latestMillis()).toString());
            total(o.putArray("totals"), "fulfillment", "Shipping", option.amountMinor());
        }
        if (s.selectedOption() != null)
        {
            out.putArray("selected_fulfillment_options").addObject().put("type", "shipping")
                .put("option_id", s.selectedOption()).set("item_ids", itemIds);
        }
        final ArrayNode totals = out.putArray("totals");
        total(totals, "subtotal", "Subtotal", s.subtotalMinor());
        total(totals, "fulfillment", "Shipping", s.fulfillmentMinor());
        total(totals, "total", "Total (tax not included)", s.totalMinor());
        final ArrayNode messages = out.putArray("messages");
        for (final Session.Message message : s.messages())
        {
            final ObjectNode m = messages.addObject();
            m.put("type", "error").put("code", messageCode(message.code()));
            if (message.param() != null)
            {
                m.put("param", message.param());
            }
            m.put("content_type", "plain").put("content", message.text());
        }
        out.putArray("links");
        out.put("created_at", Instant.ofEpochMilli(s.createdAtMillis()).toString());
        out.put("updated_at", Instant.ofEpochMilli(s.updatedAtMillis()).toString());
        out.put("expires_at", Instant.ofEpochMilli(s.expiresAtMillis()).toString());
        if (s.orderId() != null)
        {
            final ObjectNode order = out.putObject("order");
            order.put("type", "order").put("id", s.orderId()).put("checkout_session_id", s.id())
                .put("permalink_url", baseUrl + "/v1/orders/" + s.orderId() + "?channel=" + s.channel())
                .put("status", "confirmed");
            final ArrayNode orderTotals = order.putArray("totals");
            total(orderTotals, "subtotal", "Subtotal", s.subtotalMinor());
            total(orderTotals, "fulfillment", "Shipping", s.fulfillmentMinor());
            total(orderTotals, "total", "Total (tax not included)", s.totalMinor());
        }
        return out;
    }

    private static ObjectNode handler(final PaymentHandler handler, final String baseUrl)
    {
        final ObjectNode h = JSON.createObjectNode();
        final boolean sandbox = "sandbox".equals(handler.psp());
        h.put("id", handler.id())
            .put("name", sandbox ? "dev.truestock.sandbox" : "dev.acp.tokenized.card")
            .put("display_name", sandbox ? "Sandbox (no money moves)" : "Card")
            .put("version", VERSION)
            .put("spec", baseUrl + "/.well-known/acp.json")
            .put("requires_delegate_payment", !sandbox)
            .put("requires_pci_compliance", false)
            .put("psp", handler.psp())
            .put("config_schema", baseUrl + "/.well-known/acp.json");
        h.putArray("instrument_schemas").add(baseUrl + "/.well-known/acp.json");
        h.putObject("config").put("environment", sandbox ? "sandbox" : "production");
        return h;
    }

    private static void total(final ArrayNode into, final String type, final String text, final long amount)
    {
        into.addObject().put("type", type).put("display_text", text).put("amount", amount);
    }

    private static String nonNull(final String value)
    {
        return value == null ? "" : value;
    }

    static String status(final Session.State state)
    {
        return switch (state)
        {
            case NOT_READY -> "not_ready_for_payment";
            case READY -> "ready_for_payment";
            case IN_PROGRESS -> "complete_in_progress";
            case COMPLETED -> "completed";
            case CANCELED -> "canceled";
            case EXPIRED -> "expired";
        };
    }

    private static String messageCode(final String code)
    {
        return switch (code)
        {
            case "out_of_stock" -> "out_of_stock";
            case "payment_declined" -> "payment_declined";
            case "missing_address" -> "missing";
            case "address_undeliverable" -> "region_restricted";
            case "quote_expired" -> "expired";
            case "quantity_exceeded" -> "quantity_exceeded";
            case "order_not_confirmed" -> "conflict";
            default -> "invalid";
        };
    }

    /** ACP's flat error. */
    static ObjectNode error(final String type, final String code, final String message, final String param)
    {
        final ObjectNode out = JSON.createObjectNode();
        out.put("type", type).put("code", code).put("message", message);
        if (param != null)
        {
            out.put("param", param);
        }
        return out;
    }

    static ObjectNode discovery(final String baseUrl)
    {
        final ObjectNode out = JSON.createObjectNode();
        out.putObject("protocol").put("name", "acp").put("version", VERSION).putArray("supported_versions")
            .add(VERSION);
        out.put("api_base_url", baseUrl + "/acp");
        out.putArray("transports").add("rest");
        out.putObject("capabilities").putArray("services").add("checkout");
        return out;
    }
}
