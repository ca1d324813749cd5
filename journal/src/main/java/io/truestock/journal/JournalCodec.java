package io.truestock.journal;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.StockImportSpec;
import io.truestock.engine.runtime.CommandTooLargeException;
import io.truestock.journal.JournalException.Problem;
import io.truestock.sbe.AbandonDecoder;
import io.truestock.sbe.AbandonEncoder;
import io.truestock.sbe.BatchSealDecoder;
import io.truestock.sbe.BatchSealEncoder;
import io.truestock.sbe.BooleanType;
import io.truestock.sbe.CommandCode;
import io.truestock.sbe.CommandRecordDecoder;
import io.truestock.sbe.CommandRecordEncoder;
import io.truestock.sbe.JournalMetaDecoder;
import io.truestock.sbe.JournalMetaEncoder;
import io.truestock.sbe.MessageHeaderDecoder;
import io.truestock.sbe.MessageHeaderEncoder;
import io.truestock.sbe.PresentStringsDecoder;
import io.truestock.sbe.PresentStringsEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Turns commands and the journal's own records into bytes and back, with the SBE codecs generated from
 * {@code sbe/truestock-schema.xml}.
 * <p>
 * A record is one SBE message (header and body) followed by a CRC32C of the message, 4 bytes little endian. The
 * checksum lets a reader tell a damaged record from a valid one, and lets the verifier name the damaged record
 * rather than only the batch whose hash no longer matches.
 * <p>
 * Encoding writes into one buffer owned by the codec, sized once, and allocates nothing: strings are turned into
 * UTF-8 by the codec itself into preallocated scratch space, and a record's size is checked before any byte is
 * written. Decoding wraps preallocated decoders over the caller's bytes; the strings it returns are new objects,
 * which is what a {@link Command} needs. A decoded record that overruns its own length is refused through the
 * buffers' bounds checks, so tools that read journals they do not trust must not run with
 * {@code agrona.disable.bounds.checks}. Not thread safe: one codec per thread.
 */
public final class JournalCodec
{
    public static final int SCHEMA_ID = CommandRecordEncoder.SCHEMA_ID;
    /** The newest schema version this build writes and reads; records of newer versions are refused. */
    public static final int SCHEMA_VERSION = CommandRecordEncoder.SCHEMA_VERSION;
    public static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;
    public static final int CHECKSUM_LENGTH = 4;
    public static final int HASH_LENGTH = 32;
    /** Longest string field in UTF-8 bytes, as the schema's length prefix allows. */
    public static final int MAX_STRING_BYTES = 65_534;
    public static final int MIN_RECORD_BYTES = 1024;

    public static final int META_TEMPLATE = JournalMetaEncoder.TEMPLATE_ID;
    public static final int COMMAND_TEMPLATE = CommandRecordEncoder.TEMPLATE_ID;
    public static final int SEAL_TEMPLATE = BatchSealEncoder.TEMPLATE_ID;
    public static final int ABANDON_TEMPLATE = AbandonEncoder.TEMPLATE_ID;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] encoded;
    private final UnsafeBuffer encodeBuffer;
    private final byte[] stringBytes = new byte[MAX_STRING_BYTES];
    private final CRC32C crc = new CRC32C();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final CommandRecordEncoder commandEncoder = new CommandRecordEncoder();
    private final BatchSealEncoder sealEncoder = new BatchSealEncoder();
    private final AbandonEncoder abandonEncoder = new AbandonEncoder();
    private final JournalMetaEncoder metaEncoder = new JournalMetaEncoder();

    private final UnsafeBuffer decodeBuffer = new UnsafeBuffer(new byte[0]);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CommandRecordDecoder commandDecoder = new CommandRecordDecoder();
    private final BatchSealDecoder sealDecoder = new BatchSealDecoder();
    private final AbandonDecoder abandonDecoder = new AbandonDecoder();
    private final JournalMetaDecoder metaDecoder = new JournalMetaDecoder();
    private int wrappedTemplate = -1;
    private int wrappedMessageLength;
    private int wrappedVersion;

    /**
     * @param maxRecordBytes the largest record this codec encodes, checksum included; at least
     *                       {@link #MIN_RECORD_BYTES}. Decoding takes records of any length.
     */
    public JournalCodec(final int maxRecordBytes)
    {
        if (maxRecordBytes < MIN_RECORD_BYTES)
        {
            throw new IllegalArgumentException("maxRecordBytes must be >= " + MIN_RECORD_BYTES + ": " + maxRecordBytes);
        }
        encoded = new byte[maxRecordBytes];
        encodeBuffer = new UnsafeBuffer(encoded);
    }

    /** The bytes of the last record encoded, from 0 to the length the encode call returned. Reused by every encode. */
    public byte[] encodedBytes()
    {
        return encoded;
    }

    public int maxRecordBytes()
    {
        return encoded.length;
    }

    // ---- encoding ----

    /**
     * Encodes every field of {@code command}, including its sequence and timestamp, as a CommandRecord.
     *
     * @return the record length in {@link #encodedBytes()}.
     * @throws CommandTooLargeException if a string is longer than {@link #MAX_STRING_BYTES} or the record would
     *                                  exceed {@link #maxRecordBytes()}; nothing usable is encoded.
     * @throws IllegalArgumentException if the command has no type or a group is longer than the schema allows.
     */
    public int encodeCommand(final Command command)
    {
        final CommandType type = command.type();
        if (type == null)
        {
            throw new IllegalArgumentException("command has no type");
        }
        // Checked up front rather than left to the buffer's bounds checks, which a deployment may switch off.
        if (encodedLength(command, false) > encoded.length && encodedLength(command, true) > encoded.length)
        {
            throw new CommandTooLargeException("command of " + encodedLength(command, true) +
                " bytes does not fit in a journal record of " + encoded.length + " bytes: " + command);
        }
        try
        {
            final CommandRecordEncoder e = commandEncoder.wrapAndApplyHeader(encodeBuffer, 0, headerEncoder);
            e.sequence(command.sequence())
                .timestampMillis(command.timestampMillis())
                .commandType(codeOf(type));
            e.present().clear()
                .principal(command.principal() != null)
                .idempotencyKey(command.idempotencyKey() != null)
                .reason(command.reason() != null)
                .reference(command.reference() != null)
                .sku(command.sku() != null)
                .location(command.location() != null)
                .channel(command.channel() != null)
                .orderId(command.orderId() != null)
                .destinationCountry(command.destinationCountry() != null)
                .destinationPostalCode(command.destinationPostalCode() != null)
                .carrier(command.carrier() != null)
                .service(command.service() != null);
            e.quantity(command.quantity())
                .expected(command.expected())
                .safety(command.safety())
                .ttlSeconds(command.ttlSeconds())
                .reservationId(command.reservationId());

            final int lineCount = command.lineCount();
            final CommandRecordEncoder.LinesEncoder lines = e.linesCount(lineCount);
            for (int i = 0; i < lineCount; i++)
            {
                final String sku = command.lineSku(i);
                lines.next().quantity(command.lineQuantity(i)).skuPresent(sku != null ? BooleanType.TRUE : BooleanType.FALSE);
                lines.putSku(stringBytes, 0, utf8(sku));
            }
            encodeLocationSpec(e, command.locationSpec());
            encodeChannelSpec(e, command.channelSpec());
            encodeSkuSpec(e, command.skuSpec());
            encodePriceSpec(e, command.priceSpec());
            encodeCarrierSpec(e, command.carrierSpec());
            final CommandRecordEncoder.QuotesEncoder quotes = e.quotesCount(command.quoteCount());
            for (int i = 0; i < command.quoteCount(); i++)
            {
                quotes.next().amountMinor(command.quoteAmountMinor(i)).expiresAtMillis(command.quoteExpiresAtMillis(i));
                quotes.putSku(stringBytes, 0, utf8(command.quoteSku(i)));
                quotes.putChannel(stringBytes, 0, utf8(command.quoteChannel(i)));
                quotes.putCurrency(stringBytes, 0, utf8(command.quoteCurrency(i)));
            }
            encodeStockImport(e, command.stockImport());

            e.putPrincipal(stringBytes, 0, utf8(command.principal()));
            e.putIdempotencyKey(stringBytes, 0, utf8(command.idempotencyKey()));
            e.putReason(stringBytes, 0, utf8(command.reason()));
            e.putReference(stringBytes, 0, utf8(command.reference()));
            e.putSku(stringBytes, 0, utf8(command.sku()));
            e.putLocation(stringBytes, 0, utf8(command.location()));
            e.putChannel(stringBytes, 0, utf8(command.channel()));
            e.putOrderId(stringBytes, 0, utf8(command.orderId()));
            e.putDestinationCountry(stringBytes, 0, utf8(command.destinationCountry()));
            e.putDestinationPostalCode(stringBytes, 0, utf8(command.destinationPostalCode()));
            e.putCarrier(stringBytes, 0, utf8(command.carrier()));
            e.putService(stringBytes, 0, utf8(command.service()));
            return frame(HEADER_LENGTH + e.encodedLength());
        }
        catch (final IndexOutOfBoundsException ex)
        {
            throw new CommandTooLargeException(
                "command does not fit in a journal record of " + encoded.length + " bytes: " + command, ex);
        }
    }

    private static final int VAR_HEADER = 2;
    private static final int GROUP_HEADER = 4;

    /**
     * Bytes the record of {@code command} takes, checksum included: exact with {@code exact}, else a cheap upper
     * bound that counts 3 UTF-8 bytes for every char.
     */
    static long encodedLength(final Command command, final boolean exact)
    {
        long n = HEADER_LENGTH + CommandRecordEncoder.BLOCK_LENGTH + CHECKSUM_LENGTH;
        n += text(command.principal(), exact) + text(command.idempotencyKey(), exact) + text(command.reason(), exact) +
            text(command.reference(), exact) + text(command.sku(), exact) + text(command.location(), exact) +
            text(command.channel(), exact) + text(command.orderId(), exact) +
            text(command.destinationCountry(), exact) + text(command.destinationPostalCode(), exact) +
            text(command.carrier(), exact) + text(command.service(), exact);
        n += 8L * GROUP_HEADER;
        for (int i = 0; i < command.quoteCount(); i++)
        {
            n += CommandRecordEncoder.QuotesEncoder.sbeBlockLength() + text(command.quoteSku(i), exact) +
                text(command.quoteChannel(i), exact) + text(command.quoteCurrency(i), exact);
        }
        final PriceSpec prices = command.priceSpec();
        if (prices != null)
        {
            n += CommandRecordEncoder.PriceSpecEncoder.sbeBlockLength() + 2L * GROUP_HEADER +
                text(prices.base().currency(), exact);
            for (final String channel : prices.channels().keySet())
            {
                n += CommandRecordEncoder.PriceSpecEncoder.ChannelPricesEncoder.sbeBlockLength() + text(channel, exact);
            }
            for (final SaleSpec sale : prices.sales())
            {
                n += CommandRecordEncoder.PriceSpecEncoder.SalesEncoder.sbeBlockLength() + GROUP_HEADER;
                for (final String channel : sale.channels())
                {
                    n += text(channel, exact);
                }
            }
        }
        final StockImportSpec stockImport = command.stockImport();
        if (stockImport != null)
        {
            n += GROUP_HEADER + text(stockImport.currency(), exact);
            for (int i = 0; i < stockImport.rowCount(); i++)
            {
                n += CommandRecordEncoder.StockImportEncoder.RowsEncoder.sbeBlockLength() +
                    text(stockImport.sku(i), exact) + text(stockImport.location(i), exact) +
                    text(stockImport.title(i), exact);
            }
        }
        final CarrierSpec carrier = command.carrierSpec();
        if (carrier != null)
        {
            n += GROUP_HEADER + text(carrier.name(), exact);
            for (final ServiceSpec service : carrier.services())
            {
                n += CommandRecordEncoder.CarrierSpecEncoder.ServicesEncoder.sbeBlockLength() + GROUP_HEADER +
                    text(service.id(), exact) + text(service.name(), exact);
                for (final ZoneSpec zone : service.zones())
                {
                    n += CommandRecordEncoder.CarrierSpecEncoder.ServicesEncoder.ZonesEncoder.sbeBlockLength() +
                        text(zone.location(), exact) + text(zone.country(), exact) + text(zone.postalPrefix(), exact);
                }
            }
        }
        for (int i = 0; i < command.lineCount(); i++)
        {
            n += CommandRecordEncoder.LinesEncoder.sbeBlockLength() + text(command.lineSku(i), exact);
        }
        final LocationSpec location = command.locationSpec();
        if (location != null)
        {
            n += CommandRecordEncoder.LocationSpecEncoder.sbeBlockLength() + GROUP_HEADER +
                (long)location.holidays().length * Integer.BYTES + text(location.name(), exact) +
                text(location.timezone(), exact) + text(location.country(), exact) + text(location.postalCode(), exact);
        }
        final ChannelSpec channel = command.channelSpec();
        if (channel != null)
        {
            n += CommandRecordEncoder.ChannelSpecEncoder.sbeBlockLength() + GROUP_HEADER + text(channel.name(), exact);
            for (final String id : channel.locations())
            {
                n += text(id, exact);
            }
        }
        final SkuSpec sku = command.skuSpec();
        if (sku != null)
        {
            n += CommandRecordEncoder.SkuSpecEncoder.sbeBlockLength() + GROUP_HEADER + text(sku.title(), exact) +
                text(sku.currency(), exact);
            for (int i = 0; i < sku.componentCount(); i++)
            {
                n += CommandRecordEncoder.SkuSpecEncoder.ComponentsEncoder.sbeBlockLength() +
                    text(sku.componentSku(i), exact);
            }
        }
        return n;
    }

    private static long text(final String value, final boolean exact)
    {
        if (value == null)
        {
            return VAR_HEADER;
        }
        if (!exact)
        {
            return VAR_HEADER + 3L * value.length();
        }
        long n = VAR_HEADER;
        final int length = value.length();
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                n += 1;
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                n += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                n += 1;
            }
            else
            {
                n += 3;
            }
        }
        return n;
    }

    private void encodePriceSpec(final CommandRecordEncoder e, final PriceSpec spec)
    {
        final CommandRecordEncoder.PriceSpecEncoder g = e.priceSpecCount(spec == null ? 0 : 1);
        if (spec == null)
        {
            return;
        }
        g.next().baseAmountMinor(spec.base().amountMinor());
        final CommandRecordEncoder.PriceSpecEncoder.ChannelPricesEncoder channels =
            g.channelPricesCount(spec.channels().size());
        for (final var entry : spec.channels().entrySet())
        {
            channels.next().amountMinor(entry.getValue().amountMinor());
            channels.putChannel(stringBytes, 0, utf8(entry.getKey()));
        }
        final CommandRecordEncoder.PriceSpecEncoder.SalesEncoder sales = g.salesCount(spec.sales().size());
        for (final SaleSpec sale : spec.sales())
        {
            sales.next().amountMinor(sale.price().amountMinor()).startMillis(sale.startMillis()).endMillis(sale.endMillis());
            final CommandRecordEncoder.PriceSpecEncoder.SalesEncoder.ChannelsEncoder saleChannels =
                sales.channelsCount(sale.channels().size());
            for (final String channel : sale.channels())
            {
                saleChannels.next().putChannel(stringBytes, 0, utf8(channel));
            }
        }
        g.putCurrency(stringBytes, 0, utf8(spec.base().currency()));
    }

    private void encodeCarrierSpec(final CommandRecordEncoder e, final CarrierSpec spec)
    {
        final CommandRecordEncoder.CarrierSpecEncoder g = e.carrierSpecCount(spec == null ? 0 : 1);
        if (spec == null)
        {
            return;
        }
        g.next();
        final CommandRecordEncoder.CarrierSpecEncoder.ServicesEncoder services = g.servicesCount(spec.services().size());
        for (final ServiceSpec service : spec.services())
        {
            services.next().workingDaysMask(service.workingDaysMask());
            final CommandRecordEncoder.CarrierSpecEncoder.ServicesEncoder.ZonesEncoder zones =
                services.zonesCount(service.zones().size());
            for (final ZoneSpec zone : service.zones())
            {
                zones.next().minTransitDays(zone.minTransitDays()).maxTransitDays(zone.maxTransitDays())
                    .locationPresent(zone.location() != null ? BooleanType.TRUE : BooleanType.FALSE);
                zones.putLocation(stringBytes, 0, utf8(zone.location()));
                zones.putCountry(stringBytes, 0, utf8(zone.country()));
                zones.putPostalPrefix(stringBytes, 0, utf8(zone.postalPrefix()));
            }
            services.putId(stringBytes, 0, utf8(service.id()));
            services.putName(stringBytes, 0, utf8(service.name()));
        }
        g.putName(stringBytes, 0, utf8(spec.name()));
    }

    private void encodeStockImport(final CommandRecordEncoder e, final StockImportSpec spec)
    {
        final CommandRecordEncoder.StockImportEncoder g = e.stockImportCount(spec == null ? 0 : 1);
        if (spec == null)
        {
            return;
        }
        g.next();
        final CommandRecordEncoder.StockImportEncoder.RowsEncoder rows = g.rowsCount(spec.rowCount());
        for (int i = 0; i < spec.rowCount(); i++)
        {
            final String title = spec.title(i);
            rows.next().onHand(spec.onHand(i)).titlePresent(title != null ? BooleanType.TRUE : BooleanType.FALSE);
            rows.putSku(stringBytes, 0, utf8(spec.sku(i)));
            rows.putLocation(stringBytes, 0, utf8(spec.location(i)));
            rows.putTitle(stringBytes, 0, utf8(title));
        }
        g.putCurrency(stringBytes, 0, utf8(spec.currency()));
    }

    private void encodeLocationSpec(final CommandRecordEncoder e, final LocationSpec spec)
    {
        final CommandRecordEncoder.LocationSpecEncoder g = e.locationSpecCount(spec == null ? 0 : 1);
        if (spec == null)
        {
            return;
        }
        g.next()
            .priority(spec.priority())
            .cutoffMinute(spec.cutoffMinute())
            .handlingDays(spec.handlingDays())
            .workingDaysMask(spec.workingDaysMask());
        // The record's accessor hands out a copy; configuration commands are rare, so the copy is affordable.
        final int[] holidays = spec.holidays();
        final CommandRecordEncoder.LocationSpecEncoder.HolidaysEncoder h = g.holidaysCount(holidays.length);
        for (final int day : holidays)
        {
            h.next().epochDay(day);
        }
        g.putName(stringBytes, 0, utf8(spec.name()));
        g.putTimezone(stringBytes, 0, utf8(spec.timezone()));
        g.putCountry(stringBytes, 0, utf8(spec.country()));
        g.putPostalCode(stringBytes, 0, utf8(spec.postalCode()));
    }

    private void encodeChannelSpec(final CommandRecordEncoder e, final ChannelSpec spec)
    {
        final CommandRecordEncoder.ChannelSpecEncoder g = e.channelSpecCount(spec == null ? 0 : 1);
        if (spec == null)
        {
            return;
        }
        g.next()
            .percent(spec.percent())
            .buffer(spec.buffer())
            .maxListed(spec.maxListed())
            .lowStockThreshold(spec.lowStockThreshold());
        final List<String> locations = spec.locations();
        final int count = locations.size();
        final CommandRecordEncoder.ChannelSpecEncoder.LocationsEncoder l = g.locationsCount(count);
        for (int i = 0; i < count; i++)
        {
            l.next().putLocationId(stringBytes, 0, utf8(locations.get(i)));
        }
        g.putName(stringBytes, 0, utf8(spec.name()));
    }

    private void encodeSkuSpec(final CommandRecordEncoder e, final SkuSpec spec)
    {
        final CommandRecordEncoder.SkuSpecEncoder g = e.skuSpecCount(spec == null ? 0 : 1);
        if (spec == null)
        {
            return;
        }
        g.next().priceAmountMinor(spec.priceAmountMinor());
        final int count = spec.componentCount();
        final CommandRecordEncoder.SkuSpecEncoder.ComponentsEncoder c = g.componentsCount(count);
        for (int i = 0; i < count; i++)
        {
            final String sku = spec.componentSku(i);
            c.next().quantity(spec.componentQty(i)).skuPresent(sku != null ? BooleanType.TRUE : BooleanType.FALSE);
            c.putSku(stringBytes, 0, utf8(sku));
        }
        g.putTitle(stringBytes, 0, utf8(spec.title()));
        g.putCurrency(stringBytes, 0, utf8(spec.currency()));
    }

    /**
     * Encodes the seal of a batch of {@code count} command records, {@code firstSequence..lastSequence}.
     *
     * @return the record length in {@link #encodedBytes()}.
     */
    public int encodeSeal(final long firstSequence, final long lastSequence, final int count, final byte[] hash)
    {
        sealEncoder.wrapAndApplyHeader(encodeBuffer, 0, headerEncoder)
            .firstSequence(firstSequence)
            .lastSequence(lastSequence)
            .count(count)
            .putHash(hash, 0, HASH_LENGTH);
        return frame(HEADER_LENGTH + sealEncoder.encodedLength());
    }

    /**
     * Encodes an Abandon record: the {@code count} unsealed records {@code firstSequence..lastSequence} were never
     * applied, and the journal continues after {@code resumeAfterSequence}.
     *
     * @return the record length in {@link #encodedBytes()}.
     */
    public int encodeAbandon(
        final long firstSequence, final long lastSequence, final int count, final long resumeAfterSequence, final byte[] hash)
    {
        abandonEncoder.wrapAndApplyHeader(encodeBuffer, 0, headerEncoder)
            .firstSequence(firstSequence)
            .lastSequence(lastSequence)
            .count(count)
            .resumeAfterSequence(resumeAfterSequence)
            .putHash(hash, 0, HASH_LENGTH);
        return frame(HEADER_LENGTH + abandonEncoder.encodedLength());
    }

    int encodeMeta(
        final long createdAtMillis,
        final int firstRetainedCycle,
        final long anchorSequence,
        final byte[] anchorHash,
        final String instanceId,
        final String rollCycle)
    {
        final JournalMetaEncoder e = metaEncoder.wrapAndApplyHeader(encodeBuffer, 0, headerEncoder)
            .createdAtMillis(createdAtMillis)
            .firstRetainedCycle(firstRetainedCycle)
            .anchorSequence(anchorSequence)
            .putAnchorHash(anchorHash, 0, HASH_LENGTH);
        e.putInstanceId(stringBytes, 0, utf8(instanceId));
        e.putRollCycle(stringBytes, 0, utf8(rollCycle));
        return frame(HEADER_LENGTH + e.encodedLength());
    }

    private int frame(final int messageLength)
    {
        crc.reset();
        crc.update(encoded, 0, messageLength);
        encodeBuffer.putInt(messageLength, (int)crc.getValue(), ORDER);
        return messageLength + CHECKSUM_LENGTH;
    }

    /**
     * UTF-8 of {@code value} into the scratch buffer, without allocating; unpaired surrogates become '?', as
     * {@link String#getBytes} does.
     *
     * @return the byte count, 0 for null.
     */
    private int utf8(final String value)
    {
        if (value == null)
        {
            return 0;
        }
        final byte[] out = stringBytes;
        final int length = value.length();
        if (length > MAX_STRING_BYTES)
        {
            return utf8From(value, 0, 0);
        }
        // Ids, keys and most text are ASCII: a tight copy loop, leaving the general encoder for the rest.
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c >= 0x80)
            {
                return utf8From(value, i, i);
            }
            out[i] = (byte)c;
        }
        return length;
    }

    private int utf8From(final String value, final int from, final int written)
    {
        final byte[] out = stringBytes;
        final int length = value.length();
        int n = written;
        for (int i = from; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                n = ensureRoom(value, n, 1);
                out[n++] = (byte)c;
            }
            else if (c < 0x800)
            {
                n = ensureRoom(value, n, 2);
                out[n++] = (byte)(0xC0 | (c >> 6));
                out[n++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, value.charAt(++i));
                n = ensureRoom(value, n, 4);
                out[n++] = (byte)(0xF0 | (codePoint >> 18));
                out[n++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                out[n++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                out[n++] = (byte)(0x80 | (codePoint & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                n = ensureRoom(value, n, 1);
                out[n++] = (byte)'?';
            }
            else
            {
                n = ensureRoom(value, n, 3);
                out[n++] = (byte)(0xE0 | (c >> 12));
                out[n++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return n;
    }

    private static int ensureRoom(final String value, final int used, final int needed)
    {
        if (used + needed > MAX_STRING_BYTES)
        {
            throw new CommandTooLargeException("string field longer than " + MAX_STRING_BYTES + " UTF-8 bytes: \"" +
                value.substring(0, 32) + "...\" (" + value.length() + " chars)");
        }
        return used;
    }

    // ---- decoding ----

    /**
     * Checks the frame of one record (length, checksum, schema id, version, message type) and wraps the matching
     * decoder over it. The bytes must stay unchanged until the next wrap.
     *
     * @param record bytes of one record, from index 0.
     * @param length the record length, checksum included.
     * @return the message type: {@link #COMMAND_TEMPLATE}, {@link #SEAL_TEMPLATE}, {@link #ABANDON_TEMPLATE} or
     *     {@link #META_TEMPLATE}.
     * @throws JournalException saying what is wrong with the record, without where: the caller knows that.
     */
    public int wrap(final byte[] record, final int length)
    {
        return wrap(record, 0, length);
    }

    /** {@link #wrap(byte[], int)} of a record that starts at {@code offset}. */
    public int wrap(final byte[] bytes, final int offset, final int length)
    {
        wrappedTemplate = -1;
        if (offset < 0 || offset + length > bytes.length)
        {
            throw new IndexOutOfBoundsException("record [" + offset + ", " + (offset + length) + ") outside " +
                bytes.length + " bytes");
        }
        if (length < HEADER_LENGTH + CHECKSUM_LENGTH)
        {
            throw new JournalException(Problem.TRUNCATED, "record of " + length + " bytes is shorter than a message " +
                "header and checksum (" + (HEADER_LENGTH + CHECKSUM_LENGTH) + " bytes)");
        }
        final int messageLength = length - CHECKSUM_LENGTH;
        crc.reset();
        crc.update(bytes, offset, messageLength);
        decodeBuffer.wrap(bytes, offset, length);
        final int stored = decodeBuffer.getInt(messageLength, ORDER);
        if (stored != (int)crc.getValue())
        {
            throw new JournalException(Problem.CHECKSUM_MISMATCH, "the record's " + length +
                " bytes do not match its checksum: it was truncated or edited after it was written");
        }
        decodeBuffer.wrap(bytes, offset, messageLength);
        return wrapHeader(messageLength);
    }

    /**
     * Wraps one message that carries no checksum, as the binary protocol sends it (SBE header and body, nothing
     * after): checks schema id, version and message type like {@link #wrap(byte[], int)}, and wraps the matching
     * decoder. The bytes must stay unchanged until the next wrap.
     *
     * @param buffer bytes holding the message.
     * @param offset where the message header starts.
     * @param length the message length, header included.
     * @return the message type, as {@link #wrap(byte[], int)} returns it.
     * @throws JournalException saying what is wrong with the message.
     */
    public int wrapMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        wrappedTemplate = -1;
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            throw new IndexOutOfBoundsException("message [" + offset + ", " + ((long)offset + length) + ") outside " +
                buffer.capacity() + " bytes");
        }
        if (length < HEADER_LENGTH)
        {
            throw new JournalException(Problem.TRUNCATED, "message of " + length + " bytes is shorter than a " +
                "message header (" + HEADER_LENGTH + " bytes)");
        }
        decodeBuffer.wrap(buffer, offset, length);
        return wrapHeader(length);
    }

    private int wrapHeader(final int messageLength)
    {
        headerDecoder.wrap(decodeBuffer, 0);
        final int schemaId = headerDecoder.schemaId();
        final int version = headerDecoder.version();
        final int templateId = headerDecoder.templateId();
        final int blockLength = headerDecoder.blockLength();
        if (schemaId != SCHEMA_ID)
        {
            throw new JournalException(Problem.FOREIGN_SCHEMA,
                "record of schema id " + schemaId + " is not a Truestock record (schema id " + SCHEMA_ID + ")");
        }
        if (version > SCHEMA_VERSION)
        {
            throw new JournalException(Problem.UNKNOWN_VERSION, "record was written with schema version " + version +
                "; this build reads versions up to " + SCHEMA_VERSION + ": upgrade before opening this journal");
        }
        if (HEADER_LENGTH + blockLength > messageLength)
        {
            throw new JournalException(Problem.TRUNCATED, "record of template " + templateId + " declares a " +
                blockLength + "-byte block but holds " + (messageLength - HEADER_LENGTH));
        }
        switch (templateId)
        {
            case COMMAND_TEMPLATE -> commandDecoder.wrap(decodeBuffer, HEADER_LENGTH, blockLength, version);
            case SEAL_TEMPLATE -> sealDecoder.wrap(decodeBuffer, HEADER_LENGTH, blockLength, version);
            case ABANDON_TEMPLATE -> abandonDecoder.wrap(decodeBuffer, HEADER_LENGTH, blockLength, version);
            case META_TEMPLATE -> metaDecoder.wrap(decodeBuffer, HEADER_LENGTH, blockLength, version);
            default -> throw new JournalException(Problem.UNKNOWN_TEMPLATE,
                "record has message type " + templateId + ", which this build does not know");
        }
        if ((templateId == SEAL_TEMPLATE || templateId == ABANDON_TEMPLATE) && HEADER_LENGTH + blockLength != messageLength)
        {
            throw new JournalException(Problem.MALFORMED, "seal record has " +
                (messageLength - HEADER_LENGTH - blockLength) + " bytes after its block");
        }
        wrappedTemplate = templateId;
        wrappedMessageLength = messageLength;
        wrappedVersion = version;
        return templateId;
    }

    /** Message type of the wrapped record, -1 if the last wrap failed. */
    public int templateId()
    {
        return wrappedTemplate;
    }

    /** Schema version the wrapped record was written with. */
    public int version()
    {
        return wrappedVersion;
    }

    /** The sequence of the wrapped command record, read without decoding the rest. */
    public long commandSequence()
    {
        requireWrapped(COMMAND_TEMPLATE);
        return commandDecoder.sequence();
    }

    /** The wrapped seal record. */
    public BatchSealDecoder seal()
    {
        requireWrapped(SEAL_TEMPLATE);
        return sealDecoder;
    }

    /** The wrapped Abandon record. */
    public AbandonDecoder abandon()
    {
        requireWrapped(ABANDON_TEMPLATE);
        return abandonDecoder;
    }

    JournalMetaDecoder meta()
    {
        requireWrapped(META_TEMPLATE);
        return metaDecoder.sbeRewind();
    }

    /**
     * Decodes the wrapped command record into {@code into}, which is cleared first; sequence and timestamp are
     * stamped from the record.
     *
     * @return {@code into}.
     * @throws JournalException         if the record's contents are malformed or run past its length.
     * @throws IllegalArgumentException if the record carries more lines than {@code into} can hold.
     */
    public Command decodeCommand(final Command into)
    {
        requireWrapped(COMMAND_TEMPLATE);
        final CommandRecordDecoder d = commandDecoder.sbeRewind();
        try
        {
            into.clear();
            into.type(typeOf(d.commandTypeRaw())).stamp(d.sequence(), d.timestampMillis());
            final PresentStringsDecoder present = d.present();
            final boolean hasPrincipal = present.principal();
            final boolean hasIdempotencyKey = present.idempotencyKey();
            final boolean hasReason = present.reason();
            final boolean hasReference = present.reference();
            final boolean hasSku = present.sku();
            final boolean hasLocation = present.location();
            final boolean hasChannel = present.channel();
            final boolean hasOrderId = present.orderId();
            final boolean hasCountry = present.destinationCountry();
            final boolean hasPostalCode = present.destinationPostalCode();
            into.quantity(d.quantity())
                .expected(d.expected())
                .safety(d.safety())
                .ttlSeconds(d.ttlSeconds())
                .reservationId(d.reservationId());

            final CommandRecordDecoder.LinesDecoder lines = d.lines();
            if (lines.count() > into.lineCapacity())
            {
                throw new IllegalArgumentException("record of sequence " + d.sequence() + " carries " + lines.count() +
                    " lines; the command to decode into holds at most " + into.lineCapacity());
            }
            while (lines.hasNext())
            {
                lines.next();
                final long qty = lines.quantity();
                final boolean skuPresent = lines.skuPresent() == BooleanType.TRUE;
                into.addLine(skuPresent ? lines.sku() : skipped(lines.skipSku()), qty);
            }
            into.locationSpec(decodeLocationSpec(d.locationSpec()));
            into.channelSpec(decodeChannelSpec(d.channelSpec()));
            into.skuSpec(decodeSkuSpec(d.skuSpec()));
            into.priceSpec(decodePriceSpec(d.priceSpec()));
            into.carrierSpec(decodeCarrierSpec(d.carrierSpec()));
            final CommandRecordDecoder.QuotesDecoder quotes = d.quotes();
            if (quotes.count() > into.lineCapacity())
            {
                throw new IllegalArgumentException("record of sequence " + d.sequence() + " carries " + quotes.count() +
                    " quotes; the command to decode into holds at most " + into.lineCapacity());
            }
            while (quotes.hasNext())
            {
                quotes.next();
                final long amount = quotes.amountMinor();
                final long expiresAt = quotes.expiresAtMillis();
                into.addQuote(quotes.sku(), quotes.channel(), amount, quotes.currency(), expiresAt);
            }
            into.stockImport(decodeStockImport(d.stockImport()));

            into.principal(hasPrincipal ? d.principal() : skipped(d.skipPrincipal()));
            into.idempotencyKey(hasIdempotencyKey ? d.idempotencyKey() : skipped(d.skipIdempotencyKey()));
            into.reason(hasReason ? d.reason() : skipped(d.skipReason()));
            into.reference(hasReference ? d.reference() : skipped(d.skipReference()));
            into.sku(hasSku ? d.sku() : skipped(d.skipSku()));
            into.location(hasLocation ? d.location() : skipped(d.skipLocation()));
            into.channel(hasChannel ? d.channel() : skipped(d.skipChannel()));
            into.orderId(hasOrderId ? d.orderId() : skipped(d.skipOrderId()));
            final String country = hasCountry ? d.destinationCountry() : skipped(d.skipDestinationCountry());
            final String postalCode = hasPostalCode ? d.destinationPostalCode() : skipped(d.skipDestinationPostalCode());
            into.destination(country, postalCode);
            final boolean hasCarrier = present.carrier();
            into.carrier(hasCarrier ? d.carrier() : skipped(d.skipCarrier()));
            into.service(present.service() ? d.service() : skipped(d.skipService()));
        }
        catch (final IndexOutOfBoundsException ex)
        {
            throw new JournalException(Problem.TRUNCATED, "command record runs past its " + wrappedMessageLength +
                " bytes", ex);
        }
        if (d.limit() != wrappedMessageLength)
        {
            throw new JournalException(Problem.MALFORMED, "command record of sequence " + d.sequence() + " has " +
                (wrappedMessageLength - d.limit()) + " bytes after its last field");
        }
        return into;
    }

    /** An absent string: its empty field is stepped over, so the next one is read from the right place. */
    private static String skipped(final int skippedBytes)
    {
        return null;
    }

    private static LocationSpec decodeLocationSpec(final CommandRecordDecoder.LocationSpecDecoder g)
    {
        if (requireAtMostOne(g.count(), "locationSpec") == 0)
        {
            return null;
        }
        g.next();
        final int priority = g.priority();
        final int cutoffMinute = g.cutoffMinute();
        final int handlingDays = g.handlingDays();
        final int workingDaysMask = g.workingDaysMask();
        final CommandRecordDecoder.LocationSpecDecoder.HolidaysDecoder h = g.holidays();
        final int[] holidays = new int[h.count()];
        for (int i = 0; i < holidays.length; i++)
        {
            holidays[i] = h.next().epochDay();
        }
        final String name = g.name();
        final String timezone = g.timezone();
        final String country = g.country();
        final String postalCode = g.postalCode();
        return new LocationSpec(
            name, timezone, country, postalCode, priority, cutoffMinute, handlingDays, workingDaysMask, holidays);
    }

    private static ChannelSpec decodeChannelSpec(final CommandRecordDecoder.ChannelSpecDecoder g)
    {
        if (requireAtMostOne(g.count(), "channelSpec") == 0)
        {
            return null;
        }
        g.next();
        final int percent = g.percent();
        final long buffer = g.buffer();
        final long maxListed = g.maxListed();
        final long lowStockThreshold = g.lowStockThreshold();
        final CommandRecordDecoder.ChannelSpecDecoder.LocationsDecoder l = g.locations();
        final List<String> locations = new ArrayList<>(l.count());
        while (l.hasNext())
        {
            locations.add(l.next().locationId());
        }
        final String name = g.name();
        return new ChannelSpec(name, locations, percent, buffer, maxListed, lowStockThreshold);
    }

    private static SkuSpec decodeSkuSpec(final CommandRecordDecoder.SkuSpecDecoder g)
    {
        if (requireAtMostOne(g.count(), "skuSpec") == 0)
        {
            return null;
        }
        g.next();
        final long price = g.priceAmountMinor();
        final CommandRecordDecoder.SkuSpecDecoder.ComponentsDecoder c = g.components();
        final String[] skus = new String[c.count()];
        final long[] qtys = new long[skus.length];
        for (int i = 0; i < skus.length; i++)
        {
            c.next();
            qtys[i] = c.quantity();
            final boolean skuPresent = c.skuPresent() == BooleanType.TRUE;
            skus[i] = skuPresent ? c.sku() : skipped(c.skipSku());
        }
        final String title = g.title();
        final String currency = g.currency();
        return new SkuSpec(title, price, currency, skus, qtys);
    }

    private static PriceSpec decodePriceSpec(final CommandRecordDecoder.PriceSpecDecoder g)
    {
        if (requireAtMostOne(g.count(), "priceSpec") == 0)
        {
            return null;
        }
        g.next();
        final long base = g.baseAmountMinor();
        final List<long[]> channelAmounts = new ArrayList<>();
        final List<String> channelIds = new ArrayList<>();
        final CommandRecordDecoder.PriceSpecDecoder.ChannelPricesDecoder channels = g.channelPrices();
        while (channels.hasNext())
        {
            channels.next();
            channelAmounts.add(new long[] {channels.amountMinor()});
            channelIds.add(channels.channel());
        }
        final List<Object[]> sales = new ArrayList<>();
        final CommandRecordDecoder.PriceSpecDecoder.SalesDecoder s = g.sales();
        while (s.hasNext())
        {
            s.next();
            final long amount = s.amountMinor();
            final long start = s.startMillis();
            final long end = s.endMillis();
            final List<String> saleChannels = new ArrayList<>();
            final CommandRecordDecoder.PriceSpecDecoder.SalesDecoder.ChannelsDecoder c = s.channels();
            while (c.hasNext())
            {
                saleChannels.add(c.next().channel());
            }
            sales.add(new Object[] {amount, start, end, saleChannels});
        }
        final String currency = g.currency();
        try
        {
            final Map<String, Price> byChannel = new LinkedHashMap<>();
            for (int i = 0; i < channelIds.size(); i++)
            {
                byChannel.put(channelIds.get(i), new Price(channelAmounts.get(i)[0], currency));
            }
            final List<SaleSpec> saleSpecs = new ArrayList<>();
            for (final Object[] sale : sales)
            {
                @SuppressWarnings("unchecked") final List<String> saleChannels = (List<String>)sale[3];
                saleSpecs.add(new SaleSpec(new Price((long)sale[0], currency), (long)sale[1], (long)sale[2], saleChannels));
            }
            return new PriceSpec(new Price(base, currency), byChannel, saleSpecs);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new JournalException(Problem.MALFORMED, "command record has an invalid price list: " + ex.getMessage(), ex);
        }
    }

    private static StockImportSpec decodeStockImport(final CommandRecordDecoder.StockImportDecoder g)
    {
        if (requireAtMostOne(g.count(), "stockImport") == 0)
        {
            return null;
        }
        g.next();
        final CommandRecordDecoder.StockImportDecoder.RowsDecoder rows = g.rows();
        final int n = rows.count();
        final String[] skus = new String[n];
        final String[] locations = new String[n];
        final long[] onHand = new long[n];
        final String[] titles = new String[n];
        for (int i = 0; i < n; i++)
        {
            rows.next();
            onHand[i] = rows.onHand();
            final boolean titlePresent = rows.titlePresent() == BooleanType.TRUE;
            skus[i] = rows.sku();
            locations[i] = rows.location();
            titles[i] = titlePresent ? rows.title() : skipped(rows.skipTitle());
        }
        return new StockImportSpec(skus, locations, onHand, titles, g.currency());
    }

    private static CarrierSpec decodeCarrierSpec(final CommandRecordDecoder.CarrierSpecDecoder g)
    {
        if (requireAtMostOne(g.count(), "carrierSpec") == 0)
        {
            return null;
        }
        g.next();
        final List<ServiceSpec> services = new ArrayList<>();
        final CommandRecordDecoder.CarrierSpecDecoder.ServicesDecoder s = g.services();
        try
        {
            while (s.hasNext())
            {
                s.next();
                final int mask = s.workingDaysMask();
                final List<ZoneSpec> zones = new ArrayList<>();
                final CommandRecordDecoder.CarrierSpecDecoder.ServicesDecoder.ZonesDecoder z = s.zones();
                while (z.hasNext())
                {
                    z.next();
                    final int min = z.minTransitDays();
                    final int max = z.maxTransitDays();
                    final boolean locationPresent = z.locationPresent() == BooleanType.TRUE;
                    final String location = locationPresent ? z.location() : skipped(z.skipLocation());
                    zones.add(new ZoneSpec(location, z.country(), z.postalPrefix(), min, max));
                }
                final String id = s.id();
                services.add(new ServiceSpec(id, s.name(), mask, zones));
            }
            return new CarrierSpec(g.name(), services);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new JournalException(Problem.MALFORMED, "command record has an invalid carrier: " + ex.getMessage(), ex);
        }
    }

    private static int requireAtMostOne(final int count, final String group)
    {
        if (count > 1)
        {
            throw new JournalException(Problem.MALFORMED, "command record has " + count + " " + group + " entries, at most 1");
        }
        return count;
    }

    private void requireWrapped(final int templateId)
    {
        if (wrappedTemplate != templateId)
        {
            throw new IllegalStateException("wrapped record is of template " + wrappedTemplate + ", not " + templateId);
        }
    }

    // ---- command types ----

    /** The stable wire code of a command type, as records and the binary protocol carry it. */
    public static CommandCode codeOf(final CommandType type)
    {
        return switch (type)
        {
            case DEFINE_LOCATION -> CommandCode.DEFINE_LOCATION;
            case DEFINE_CHANNEL -> CommandCode.DEFINE_CHANNEL;
            case DEFINE_SKU -> CommandCode.DEFINE_SKU;
            case RECEIVE -> CommandCode.RECEIVE;
            case ADJUST -> CommandCode.ADJUST;
            case SET -> CommandCode.SET;
            case RESERVE -> CommandCode.RESERVE;
            case EXTEND -> CommandCode.EXTEND;
            case RELEASE -> CommandCode.RELEASE;
            case TICK -> CommandCode.TICK;
            case CONFIRM -> CommandCode.CONFIRM;
            case ORDER -> CommandCode.ORDER;
            case CANCEL -> CommandCode.CANCEL;
            case SHIP -> CommandCode.SHIP;
            case QUERY_RESERVATION -> CommandCode.QUERY_RESERVATION;
            case QUERY_ORDER -> CommandCode.QUERY_ORDER;
            case DEFINE_PRICES -> CommandCode.DEFINE_PRICES;
            case DEFINE_CARRIER -> CommandCode.DEFINE_CARRIER;
            case IMPORT_STOCK -> CommandCode.IMPORT_STOCK;
        };
    }

    /**
     * The command type of a wire code.
     *
     * @throws JournalException ({@code MALFORMED}) for a code this build does not know, or the null code.
     */
    public static CommandType typeOf(final short raw)
    {
        final CommandCode code;
        try
        {
            code = CommandCode.get(raw);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new JournalException(Problem.MALFORMED, "command record has unknown command code " + raw, ex);
        }
        return switch (code)
        {
            case DEFINE_LOCATION -> CommandType.DEFINE_LOCATION;
            case DEFINE_CHANNEL -> CommandType.DEFINE_CHANNEL;
            case DEFINE_SKU -> CommandType.DEFINE_SKU;
            case RECEIVE -> CommandType.RECEIVE;
            case ADJUST -> CommandType.ADJUST;
            case SET -> CommandType.SET;
            case RESERVE -> CommandType.RESERVE;
            case EXTEND -> CommandType.EXTEND;
            case RELEASE -> CommandType.RELEASE;
            case TICK -> CommandType.TICK;
            case CONFIRM -> CommandType.CONFIRM;
            case ORDER -> CommandType.ORDER;
            case CANCEL -> CommandType.CANCEL;
            case SHIP -> CommandType.SHIP;
            case QUERY_RESERVATION -> CommandType.QUERY_RESERVATION;
            case QUERY_ORDER -> CommandType.QUERY_ORDER;
            case DEFINE_PRICES -> CommandType.DEFINE_PRICES;
            case DEFINE_CARRIER -> CommandType.DEFINE_CARRIER;
            case IMPORT_STOCK -> CommandType.IMPORT_STOCK;
            case NULL_VAL -> throw new JournalException(Problem.MALFORMED, "command record has no command type");
        };
    }

    /** Lower-case hex of a hash, for messages and results. */
    public static String hex(final byte[] bytes)
    {
        return HEX.formatHex(bytes);
    }
}
