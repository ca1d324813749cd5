package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.price.PriceSpec;

import java.util.Arrays;

/**
 * One command, as carried by a pre-allocated ring slot and by a journal record. Producers fill it, the ingress
 * stage stamps {@link #sequence()} and {@link #timestampMillis()}, the writer applies it. Fields a command type
 * does not use are ignored; {@link #clear()} resets a slot for reuse.
 * <p>
 * Not thread safe: a slot belongs to one stage at a time, as the ring hands it along.
 */
public final class Command
{
    /** Marks an optional numeric field as not given. */
    public static final long ABSENT = Long.MIN_VALUE;
    /**
     * Lines, and quotes, a command keeps room for across {@link #clear()}s: a slot that carried a larger command
     * gives its arrays back at its next clear, so the ring's command arrays stay bounded by slots times this.
     */
    static final int RETAINED_LINES = 8;

    private CommandType type;
    private long sequence;
    private long timestampMillis;
    private String principal;
    private String idempotencyKey;
    private String reason;
    private String reference;

    private String sku;
    private String location;
    private String channel;
    private long quantity;
    private long expected = ABSENT;
    private long safety = ABSENT;
    private int ttlSeconds;
    private long reservationId;
    private String orderId;
    private String destinationCountry;
    private String destinationPostalCode;

    private final int lineCapacity;
    private int lineCount;
    private String[] lineSkus;
    private long[] lineQuantities;

    private LocationSpec locationSpec;
    private ChannelSpec channelSpec;
    private SkuSpec skuSpec;
    private PriceSpec priceSpec;
    private String carrier;
    private String service;
    private CarrierSpec carrierSpec;
    private StockImportSpec stockImport;

    private int quoteCount;
    private String[] quoteSkus;
    private String[] quoteChannels;
    private long[] quoteAmounts;
    private String[] quoteCurrencies;
    private long[] quoteExpiresAt;

    /**
     * @param lineCapacity the most lines this slot can carry; a producer with more lines must reject the request.
     *                     The arrays start with room for {@link #RETAINED_LINES} lines and quotes and grow up to it
     *                     as a command needs: every ring slot is a command, and 4 096 slots with room for 100 lines
     *                     and quotes each held 17 MB of arrays that nearly every command leaves empty.
     */
    public Command(final int lineCapacity)
    {
        if (lineCapacity < 0)
        {
            throw new IllegalArgumentException("lineCapacity " + lineCapacity);
        }
        this.lineCapacity = lineCapacity;
        lineArrays(Math.min(lineCapacity, RETAINED_LINES));
        quoteArrays(Math.min(lineCapacity, RETAINED_LINES));
    }

    private void lineArrays(final int length)
    {
        lineSkus = new String[length];
        lineQuantities = new long[length];
    }

    private void quoteArrays(final int length)
    {
        quoteSkus = new String[length];
        quoteChannels = new String[length];
        quoteAmounts = new long[length];
        quoteCurrencies = new String[length];
        quoteExpiresAt = new long[length];
    }

    /** A length at least one more than {@code count}, doubled from the one given, at most the line capacity. */
    private int grown(final int length, final int count)
    {
        return Math.min(lineCapacity, Math.max(count + 1, 2 * length));
    }

    public Command clear()
    {
        type = null;
        sequence = 0;
        timestampMillis = 0;
        principal = null;
        idempotencyKey = null;
        reason = null;
        reference = null;
        sku = null;
        location = null;
        channel = null;
        quantity = 0;
        expected = ABSENT;
        safety = ABSENT;
        ttlSeconds = 0;
        reservationId = 0;
        orderId = null;
        destinationCountry = null;
        destinationPostalCode = null;
        if (lineSkus.length > RETAINED_LINES)
        {
            lineArrays(RETAINED_LINES);
        }
        else
        {
            for (int i = 0; i < lineCount; i++)
            {
                lineSkus[i] = null;
            }
        }
        lineCount = 0;
        if (quoteSkus.length > RETAINED_LINES)
        {
            quoteArrays(RETAINED_LINES);
        }
        else
        {
            for (int i = 0; i < quoteCount; i++)
            {
                quoteSkus[i] = null;
                quoteChannels[i] = null;
                quoteCurrencies[i] = null;
            }
        }
        quoteCount = 0;
        locationSpec = null;
        channelSpec = null;
        skuSpec = null;
        priceSpec = null;
        carrier = null;
        service = null;
        carrierSpec = null;
        stockImport = null;
        return this;
    }

    public void copyFrom(final Command other)
    {
        clear();
        type = other.type;
        sequence = other.sequence;
        timestampMillis = other.timestampMillis;
        principal = other.principal;
        idempotencyKey = other.idempotencyKey;
        reason = other.reason;
        reference = other.reference;
        sku = other.sku;
        location = other.location;
        channel = other.channel;
        quantity = other.quantity;
        expected = other.expected;
        safety = other.safety;
        ttlSeconds = other.ttlSeconds;
        reservationId = other.reservationId;
        orderId = other.orderId;
        destinationCountry = other.destinationCountry;
        destinationPostalCode = other.destinationPostalCode;
        for (int i = 0; i < other.lineCount; i++)
        {
            addLine(other.lineSkus[i], other.lineQuantities[i]);
        }
        for (int i = 0; i < other.quoteCount; i++)
        {
            addQuote(other.quoteSkus[i], other.quoteChannels[i], other.quoteAmounts[i], other.quoteCurrencies[i],
                other.quoteExpiresAt[i]);
        }
        locationSpec = other.locationSpec;
        channelSpec = other.channelSpec;
        skuSpec = other.skuSpec;
        priceSpec = other.priceSpec;
        carrier = other.carrier;
        service = other.service;
        carrierSpec = other.carrierSpec;
        stockImport = other.stockImport;
    }

    // ---- builders, one per command type ----

    public Command defineLocation(final String locationId, final LocationSpec spec)
    {
        type = CommandType.DEFINE_LOCATION;
        location = locationId;
        locationSpec = spec;
        return this;
    }

    public Command defineChannel(final String channelId, final ChannelSpec spec)
    {
        type = CommandType.DEFINE_CHANNEL;
        channel = channelId;
        channelSpec = spec;
        return this;
    }

    public Command defineSku(final String skuId, final SkuSpec spec)
    {
        type = CommandType.DEFINE_SKU;
        sku = skuId;
        skuSpec = spec;
        return this;
    }

    /** Replaces a SKU's whole price list: base, channel overrides and sales. */
    public Command definePrices(final String skuId, final PriceSpec spec)
    {
        type = CommandType.DEFINE_PRICES;
        sku = skuId;
        priceSpec = spec;
        return this;
    }

    /** Defines or replaces a carrier and its services. */
    public Command defineCarrier(final String carrierId, final CarrierSpec spec)
    {
        type = CommandType.DEFINE_CARRIER;
        carrier = carrierId;
        carrierSpec = spec;
        return this;
    }

    /**
     * Sets the on hand of every row of an inventory import, all rows or none. Accepted, the outcome's
     * {@link Outcome#onHand()} is the number of stock records whose on hand changed (its SKU and location are -1);
     * rejected, its {@link Outcome#rejectedLine()} is the first row at fault.
     */
    public Command importStock(final StockImportSpec spec)
    {
        type = CommandType.IMPORT_STOCK;
        stockImport = spec;
        return this;
    }

    public Command receive(final String skuId, final String locationId, final long qty)
    {
        type = CommandType.RECEIVE;
        sku = skuId;
        location = locationId;
        quantity = qty;
        return this;
    }

    public Command adjust(final String skuId, final String locationId, final long delta)
    {
        type = CommandType.ADJUST;
        sku = skuId;
        location = locationId;
        quantity = delta;
        return this;
    }

    /**
     * @param onHand         new on hand, or {@link #ABSENT} to leave it.
     * @param newSafety      new safety stock, or {@link #ABSENT} to leave it.
     * @param expectedOnHand compare-and-set guard, or {@link #ABSENT}.
     */
    public Command set(
        final String skuId, final String locationId, final long onHand, final long newSafety, final long expectedOnHand)
    {
        type = CommandType.SET;
        sku = skuId;
        location = locationId;
        quantity = onHand;
        safety = newSafety;
        expected = expectedOnHand;
        return this;
    }

    /** Lines are added with {@link #addLine(String, long)}. */
    public Command reserve(final String channelId, final int ttl)
    {
        type = CommandType.RESERVE;
        channel = channelId;
        ttlSeconds = ttl;
        return this;
    }

    public Command extend(final long id, final int ttl)
    {
        type = CommandType.EXTEND;
        reservationId = id;
        ttlSeconds = ttl;
        return this;
    }

    public Command release(final long id)
    {
        type = CommandType.RELEASE;
        reservationId = id;
        return this;
    }

    public Command tick()
    {
        type = CommandType.TICK;
        return this;
    }

    public Command confirm(final long id, final String newOrderId)
    {
        type = CommandType.CONFIRM;
        reservationId = id;
        orderId = newOrderId;
        return this;
    }

    /** A channel order that cannot be refused; lines are added with {@link #addLine(String, long)}. */
    public Command order(final String channelId, final String newOrderId)
    {
        type = CommandType.ORDER;
        channel = channelId;
        orderId = newOrderId;
        return this;
    }

    /** @param channelId the order's channel, or null to find it by order id alone. */
    public Command cancel(final String channelId, final String existingOrderId)
    {
        type = CommandType.CANCEL;
        channel = channelId;
        orderId = existingOrderId;
        return this;
    }

    /** @param channelId the order's channel, or null to find it by order id alone. */
    public Command ship(final String channelId, final String existingOrderId)
    {
        type = CommandType.SHIP;
        channel = channelId;
        orderId = existingOrderId;
        return this;
    }

    public Command queryReservation(final long id)
    {
        type = CommandType.QUERY_RESERVATION;
        reservationId = id;
        return this;
    }

    public Command queryOrder(final String channelId, final String existingOrderId)
    {
        type = CommandType.QUERY_ORDER;
        channel = channelId;
        orderId = existingOrderId;
        return this;
    }

    public Command addLine(final String skuId, final long qty)
    {
        if (lineCount == lineSkus.length)
        {
            if (lineCount == lineCapacity)
            {
                throw new IllegalStateException("command line capacity exceeded: " + lineCapacity);
            }
            final int length = grown(lineSkus.length, lineCount);
            lineSkus = Arrays.copyOf(lineSkus, length);
            lineQuantities = Arrays.copyOf(lineQuantities, length);
        }
        lineSkus[lineCount] = skuId;
        lineQuantities[lineCount] = qty;
        lineCount++;
        return this;
    }

    /**
     * A quote a confirmation cites, as the ingress resolved it from the quote id it verified: the SKU, channel and
     * unit price quoted and when the quote expires. The engine charges the quoted price if the quote is live at the
     * command's timestamp and names a SKU of the reservation on the reservation's channel.
     *
     * @throws IllegalStateException when the slot already carries as many quotes as it can carry lines.
     */
    public Command addQuote(
        final String skuId, final String channelId, final long amountMinor, final String currency,
        final long expiresAtMillis)
    {
        if (quoteCount == quoteSkus.length)
        {
            if (quoteCount == lineCapacity)
            {
                throw new IllegalStateException("more than " + lineCapacity + " quotes");
            }
            final int length = grown(quoteSkus.length, quoteCount);
            quoteSkus = Arrays.copyOf(quoteSkus, length);
            quoteChannels = Arrays.copyOf(quoteChannels, length);
            quoteAmounts = Arrays.copyOf(quoteAmounts, length);
            quoteCurrencies = Arrays.copyOf(quoteCurrencies, length);
            quoteExpiresAt = Arrays.copyOf(quoteExpiresAt, length);
        }
        quoteSkus[quoteCount] = skuId;
        quoteChannels[quoteCount] = channelId;
        quoteAmounts[quoteCount] = amountMinor;
        quoteCurrencies[quoteCount] = currency;
        quoteExpiresAt[quoteCount] = expiresAtMillis;
        quoteCount++;
        return this;
    }

    public int quoteCount()
    {
        return quoteCount;
    }

    public String quoteSku(final int i)
    {
        return quoteSkus[i];
    }

    public String quoteChannel(final int i)
    {
        return quoteChannels[i];
    }

    public long quoteAmountMinor(final int i)
    {
        return quoteAmounts[i];
    }

    public String quoteCurrency(final int i)
    {
        return quoteCurrencies[i];
    }

    public long quoteExpiresAtMillis(final int i)
    {
        return quoteExpiresAt[i];
    }

    public Command carrier(final String value)
    {
        carrier = value;
        return this;
    }

    public Command priceSpec(final PriceSpec value)
    {
        priceSpec = value;
        return this;
    }

    public Command carrierSpec(final CarrierSpec value)
    {
        carrierSpec = value;
        return this;
    }

    public String carrier()
    {
        return carrier;
    }

    /**
     * The delivery option a confirmation ships by: with {@link #carrier(String)}, the one carrier service every
     * shipment must be promised by (the confirmation is rejected with
     * {@link RejectReason#DELIVERY_OPTION_UNAVAILABLE} when it cannot be).
     */
    public Command service(final String value)
    {
        service = value;
        return this;
    }

    public String service()
    {
        return service;
    }

    public PriceSpec priceSpec()
    {
        return priceSpec;
    }

    public CarrierSpec carrierSpec()
    {
        return carrierSpec;
    }

    /** The rows of an {@link CommandType#IMPORT_STOCK} command, or null. */
    public StockImportSpec stockImport()
    {
        return stockImport;
    }

    public Command stockImport(final StockImportSpec value)
    {
        stockImport = value;
        return this;
    }

    public Command destination(final String country, final String postalCode)
    {
        destinationCountry = country;
        destinationPostalCode = postalCode;
        return this;
    }

    public Command principal(final String value)
    {
        principal = value;
        return this;
    }

    public Command idempotencyKey(final String value)
    {
        idempotencyKey = value;
        return this;
    }

    public Command reason(final String value)
    {
        reason = value;
        return this;
    }

    public Command reference(final String value)
    {
        reference = value;
        return this;
    }

    /** Set by the ingress stage (or by a journal reader on replay). */
    public Command stamp(final long engineSequence, final long epochMillis)
    {
        sequence = engineSequence;
        timestampMillis = epochMillis;
        return this;
    }

    /** Journal decoding: the remaining raw fields. */
    public Command type(final CommandType value)
    {
        type = value;
        return this;
    }

    public Command sku(final String value)
    {
        sku = value;
        return this;
    }

    public Command location(final String value)
    {
        location = value;
        return this;
    }

    public Command channel(final String value)
    {
        channel = value;
        return this;
    }

    public Command quantity(final long value)
    {
        quantity = value;
        return this;
    }

    public Command expected(final long value)
    {
        expected = value;
        return this;
    }

    public Command safety(final long value)
    {
        safety = value;
        return this;
    }

    public Command ttlSeconds(final int value)
    {
        ttlSeconds = value;
        return this;
    }

    public Command reservationId(final long value)
    {
        reservationId = value;
        return this;
    }

    public Command orderId(final String value)
    {
        orderId = value;
        return this;
    }

    public Command locationSpec(final LocationSpec value)
    {
        locationSpec = value;
        return this;
    }

    public Command channelSpec(final ChannelSpec value)
    {
        channelSpec = value;
        return this;
    }

    public Command skuSpec(final SkuSpec value)
    {
        skuSpec = value;
        return this;
    }

    // ---- accessors ----

    public CommandType type()
    {
        return type;
    }

    public long sequence()
    {
        return sequence;
    }

    public long timestampMillis()
    {
        return timestampMillis;
    }

    public String principal()
    {
        return principal;
    }

    public String idempotencyKey()
    {
        return idempotencyKey;
    }

    public String reason()
    {
        return reason;
    }

    public String reference()
    {
        return reference;
    }

    public String sku()
    {
        return sku;
    }

    public String location()
    {
        return location;
    }

    public String channel()
    {
        return channel;
    }

    /** receive: qty; adjust: delta; set: new on hand or {@link #ABSENT}. */
    public long quantity()
    {
        return quantity;
    }

    public long expected()
    {
        return expected;
    }

    public long safety()
    {
        return safety;
    }

    public int ttlSeconds()
    {
        return ttlSeconds;
    }

    public long reservationId()
    {
        return reservationId;
    }

    public String orderId()
    {
        return orderId;
    }

    public String destinationCountry()
    {
        return destinationCountry;
    }

    public String destinationPostalCode()
    {
        return destinationPostalCode;
    }

    public int lineCount()
    {
        return lineCount;
    }

    public int lineCapacity()
    {
        return lineCapacity;
    }

    /** Lines the slot has room for without growing: for tests of the bound. */
    int lineRoom()
    {
        return lineSkus.length;
    }

    public String lineSku(final int i)
    {
        return lineSkus[i];
    }

    public long lineQuantity(final int i)
    {
        return lineQuantities[i];
    }

    public LocationSpec locationSpec()
    {
        return locationSpec;
    }

    public ChannelSpec channelSpec()
    {
        return channelSpec;
    }

    public SkuSpec skuSpec()
    {
        return skuSpec;
    }

    /**
     * A 64-bit hash of what the request asks for (not of who sent it, when, or under which key), used to tell an
     * idempotent repeat from a key reused for a different request. See {@link CommandFingerprint}.
     */
    public long fingerprint()
    {
        return CommandFingerprint.of(this);
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("Command{").append(type).append(" seq=").append(sequence)
            .append(" at=").append(timestampMillis);
        if (sku != null)
        {
            sb.append(" sku=").append(sku);
        }
        if (location != null)
        {
            sb.append(" location=").append(location);
        }
        if (channel != null)
        {
            sb.append(" channel=").append(channel);
        }
        if (quantity != 0)
        {
            sb.append(" qty=").append(quantity);
        }
        if (reservationId != 0)
        {
            sb.append(" reservation=").append(reservationId);
        }
        if (orderId != null)
        {
            sb.append(" order=").append(orderId);
        }
        for (int i = 0; i < lineCount; i++)
        {
            sb.append(" line=").append(lineSkus[i]).append('x').append(lineQuantities[i]);
        }
        return sb.append('}').toString();
    }
}
