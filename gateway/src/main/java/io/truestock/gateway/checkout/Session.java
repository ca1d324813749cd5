package io.truestock.gateway.checkout;

import java.util.ArrayList;
import java.util.List;

/**
 * One checkout session, protocol-neutral: the lines with their quotes, the reservation holding them, the
 * destination and its fulfillment options, totals, messages, and how payment and completion went. Guarded by the
 * session's monitor inside {@link CheckoutService}; callers only ever see a copy. Written to disk as JSON by
 * {@link SessionStore} (field names are the file format).
 */
public final class Session
{
    /** Where a session is in its life. */
    public enum State
    {
        /** Something must change before it can be paid: a line out of stock, no or an undeliverable address. */
        NOT_READY,
        /** Lines reserved and quoted, delivery promised: payable. */
        READY,
        /** A payment is being taken. */
        IN_PROGRESS,
        COMPLETED,
        CANCELED,
        EXPIRED;

        public boolean isFinal()
        {
            return this == COMPLETED || this == CANCELED || this == EXPIRED;
        }
    }

    /** What happened to the last payment attempt. */
    public enum Payment
    {
        NONE,
        DECLINED,
        /** The provider's answer is unknown: the next attempt reuses the same idempotency key. */
        UNKNOWN,
        /** Taken; the order follows (or, if confirmation then failed, needs a refund by the operator). */
        CAPTURED
    }

    /** One line: a SKU, a quantity, its quote and what the channel showed. */
    public static final class Line
    {
        String id;
        String sku;
        String title;
        long qty;
        long unitAmountMinor;
        String currency;
        String quoteId;
        long quoteExpiresAtMillis;
        long available;
        String availability;

        public String id()
        {
            return id;
        }

        public String sku()
        {
            return sku;
        }

        public String title()
        {
            return title;
        }

        public long qty()
        {
            return qty;
        }

        public long unitAmountMinor()
        {
            return unitAmountMinor;
        }

        public String currency()
        {
            return currency;
        }

        public String quoteId()
        {
            return quoteId;
        }

        public long quoteExpiresAtMillis()
        {
            return quoteExpiresAtMillis;
        }

        /** What the channel showed for the SKU when the line was quoted. */
        public long available()
        {
            return available;
        }

        /** {@code in_stock}, {@code low_stock} or {@code out_of_stock}, for this line's quantity. */
        public String availability()
        {
            return availability;
        }
    }

    /** A shipping address; country and postal code decide the delivery promise. */
    public static final class Address
    {
        String name;
        String lineOne;
        String lineTwo;
        String city;
        String state;
        String country;
        String postalCode;

        public Address()
        {
        }

        public Address(
            final String name, final String lineOne, final String lineTwo, final String city, final String state,
            final String country, final String postalCode)
        {
            this.name = name;
            this.lineOne = lineOne;
            this.lineTwo = lineTwo;
            this.city = city;
            this.state = state;
            this.country = country;
            this.postalCode = postalCode;
        }

        public String name()
        {
            return name;
        }

        public String lineOne()
        {
            return lineOne;
        }

        public String lineTwo()
        {
            return lineTwo;
        }

        public String city()
        {
            return city;
        }

        public String state()
        {
            return state;
        }

        public String country()
        {
            return country;
        }

        public String postalCode()
        {
            return postalCode;
        }
    }

    /** A fulfillment option: the delivery the order will get, with its carrier, service and window. */
    public static final class Option
    {
        String id;
        String carrier;
        String service;
        String title;
        long earliestMillis;
        long latestMillis;
        long amountMinor;

        public String id()
        {
            return id;
        }

        public String carrier()
        {
            return carrier;
        }

        public String service()
        {
            return service;
        }

        public String title()
        {
            return title;
        }

        public long earliestMillis()
        {
            return earliestMillis;
        }

        public long latestMillis()
        {
            return latestMillis;
        }

        public long amountMinor()
        {
            return amountMinor;
        }
    }

    /**
     * Something the buyer or agent must know, in neutral codes: {@code out_of_stock}, {@code address_undeliverable},
     * {@code missing_address}, {@code payment_declined}, {@code payment_unknown}, {@code currency_mismatch},
     * {@code not_found}, {@code price_changed}.
     * {@code param} is a JSONPath into the request the message is about, or null.
     */
    public static final class Message
    {
        String code;
        String param;
        String text;

        public Message()
        {
        }

        public Message(final String code, final String param, final String text)
        {
            this.code = code;
            this.param = param;
            this.text = text;
        }

        public String code()
        {
            return code;
        }

        public String param()
        {
            return param;
        }

        public String text()
        {
            return text;
        }
    }

    /** One shipment of the order, as the engine recorded it. */
    public static final class Shipment
    {
        String location;
        String carrier;
        String service;
        long earliestMillis;
        long latestMillis;

        public String location()
        {
            return location;
        }

        public String carrier()
        {
            return carrier;
        }

        public String service()
        {
            return service;
        }

        public long earliestMillis()
        {
            return earliestMillis;
        }

        public long latestMillis()
        {
            return latestMillis;
        }
    }

    String id;
    String owner;
    String protocol;
    String channel;
    String currency;
    State state = State.NOT_READY;
    List<Line> lines = new ArrayList<>();
    Address address;
    String buyerEmail;
    String buyerName;
    List<Option> options = new ArrayList<>();
    String selectedOption;
    long reservationId;
    long expiresAtMillis;
    long retainUntilMillis;
    List<Message> messages = new ArrayList<>();
    Payment payment = Payment.NONE;
    int paymentAttempt;
    String paymentHandler;
    String paymentReference;
    String orderId;
    long orderCreatedAtMillis;
    List<Shipment> shipments = new ArrayList<>();
    long createdAtMillis;
    long updatedAtMillis;

    public String id()
    {
        return id;
    }

    /** The key id that created the session; only it (or an admin key) may see or change it. */
    public String owner()
    {
        return owner;
    }

    /** The protocol that created it ({@code acp}, {@code ucp}): sessions are not shared across protocols. */
    public String protocol()
    {
        return protocol;
    }

    public String channel()
    {
        return channel;
    }

    /** ISO 4217, lower case; null until a line is priced. */
    public String currency()
    {
        return currency;
    }

    public State state()
    {
        return state;
    }

    public List<Line> lines()
    {
        return lines;
    }

    /** Null until given. */
    public Address address()
    {
        return address;
    }

    public String buyerEmail()
    {
        return buyerEmail;
    }

    public String buyerName()
    {
        return buyerName;
    }

    public List<Option> options()
    {
        return options;
    }

    public String selectedOption()
    {
        return selectedOption;
    }

    /** The engine reservation holding the lines; 0 when none is held. */
    public long reservationId()
    {
        return reservationId;
    }

    /** When the session (and its reservation) expires unless updated. */
    public long expiresAtMillis()
    {
        return expiresAtMillis;
    }

    public List<Message> messages()
    {
        return messages;
    }

    public Payment payment()
    {
        return payment;
    }

    public String paymentReference()
    {
        return paymentReference;
    }

    /** The order's id once completed, else null. */
    public String orderId()
    {
        return orderId;
    }

    public long orderCreatedAtMillis()
    {
        return orderCreatedAtMillis;
    }

    /** The order's shipments once completed. */
    public List<Shipment> shipments()
    {
        return shipments;
    }

    public long createdAtMillis()
    {
        return createdAtMillis;
    }

    public long updatedAtMillis()
    {
        return updatedAtMillis;
    }

    /** Sum of the lines' quoted unit amounts times quantities. */
    public long subtotalMinor()
    {
        long sum = 0;
        for (final Line line : lines)
        {
            sum += line.unitAmountMinor * line.qty;
        }
        return sum;
    }

    /** The selected option's price; 0 without one. */
    public long fulfillmentMinor()
    {
        for (final Option option : options)
        {
            if (option.id.equals(selectedOption))
            {
                return option.amountMinor;
            }
        }
        return 0;
    }

    /** Subtotal plus fulfillment; no tax is computed. */
    public long totalMinor()
    {
        return subtotalMinor() + fulfillmentMinor();
    }
}
