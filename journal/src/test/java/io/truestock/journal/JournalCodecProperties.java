package io.truestock.journal;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.StockImportSpec;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.maps;

class JournalCodecProperties
{
    private static final int LINE_CAPACITY = 24;

    private final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
    private final JournalCodec decoder = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);

    @Test
    void everyCommandRoundTrips()
    {
        final Set<CommandType> types = EnumSet.noneOf(CommandType.class);
        qt().withExamples(2000).forAll(commands()).checkAssert(command ->
        {
            types.add(command.type());
            roundTrips(command);
        });
        assertThat(types).as("command types generated").containsExactlyInAnyOrder(CommandType.values());
    }

    private void roundTrips(final Command command)
    {
        final int length = codec.encodeCommand(command);
        final byte[] record = Arrays.copyOf(codec.encodedBytes(), length);

        assertThat(decoder.wrap(record, length)).isEqualTo(JournalCodec.COMMAND_TEMPLATE);
        assertThat(decoder.commandSequence()).isEqualTo(command.sequence());
        final Command decoded = decoder.decodeCommand(new Command(LINE_CAPACITY));
        Commands.assertSameCommand(decoded, command);
    }

    @Test
    void everyCommandRoundTripsAsAProtocolMessage()
    {
        qt().withExamples(500).forAll(commands()).checkAssert(this::roundTripsAsAProtocolMessage);
    }

    private void roundTripsAsAProtocolMessage(final Command command)
    {
        final int messageLength = codec.encodeCommand(command) - JournalCodec.CHECKSUM_LENGTH;
        final int offset = 12;
        final byte[] frame = new byte[offset + messageLength];
        System.arraycopy(codec.encodedBytes(), 0, frame, offset, messageLength);

        assertThat(decoder.wrapMessage(new UnsafeBuffer(frame), offset, messageLength))
            .isEqualTo(JournalCodec.COMMAND_TEMPLATE);
        Commands.assertSameCommand(decoder.decodeCommand(new Command(LINE_CAPACITY)), command);

        assertThatThrownBy(() -> decoder.wrapMessage(new UnsafeBuffer(frame), offset, JournalCodec.HEADER_LENGTH - 1))
            .isInstanceOfSatisfying(JournalException.class,
                ex -> assertThat(ex.problem()).isEqualTo(JournalException.Problem.TRUNCATED));
        assertThatThrownBy(() -> decoder.wrapMessage(new UnsafeBuffer(frame), offset, messageLength + 1))
            .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void lengthIsKnownBeforeEncoding()
    {
        qt().withExamples(1000).forAll(commands()).checkAssert(this::lengthIsKnown);
    }

    private void lengthIsKnown(final Command command)
    {
        final int length = codec.encodeCommand(command);

        assertThat(JournalCodec.encodedLength(command, true)).isEqualTo(length);
        assertThat(JournalCodec.encodedLength(command, false)).isGreaterThanOrEqualTo(length);
    }

    @Test
    void reencodingADecodedCommandGivesTheSameBytes()
    {
        qt().withExamples(1000).forAll(commands()).checkAssert(this::reencodesTheSame);
    }

    private void reencodesTheSame(final Command command)
    {
        final int length = codec.encodeCommand(command);
        final byte[] first = Arrays.copyOf(codec.encodedBytes(), length);
        decoder.wrap(first, length);
        final Command decoded = decoder.decodeCommand(new Command(LINE_CAPACITY));

        final int again = codec.encodeCommand(decoded);
        assertThat(Arrays.copyOf(codec.encodedBytes(), again)).isEqualTo(first);
    }

    @Test
    void anyChangedByteIsRefused()
    {
        qt().withExamples(1000)
            .forAll(commands(), integers().between(0, Integer.MAX_VALUE - 1), integers().between(1, 255))
            .checkAssert(this::changedByteIsRefused);
    }

    private void changedByteIsRefused(final Command command, final int position, final int xor)
    {
        final int length = codec.encodeCommand(command);
        final byte[] record = Arrays.copyOf(codec.encodedBytes(), length);
        record[position % length] ^= (byte)xor;

        assertThatThrownBy(() -> decoder.wrap(record, length))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("checksum");
    }

    @Test
    void anyTruncationIsRefused()
    {
        qt().withExamples(1000).forAll(commands(), integers().between(1, Integer.MAX_VALUE - 1))
            .checkAssert(this::truncationIsRefused);
    }

    private void truncationIsRefused(final Command command, final int cut)
    {
        final int length = codec.encodeCommand(command);
        final byte[] record = Arrays.copyOf(codec.encodedBytes(), length);
        final int shorter = length - 1 - cut % (length - 1);

        assertThatThrownBy(() -> decoder.wrap(record, shorter))
            .isInstanceOf(JournalException.class)
            .satisfies(ex -> assertThat(((JournalException)ex).problem())
                .isIn(JournalException.Problem.TRUNCATED, JournalException.Problem.CHECKSUM_MISMATCH));
    }

    // ---- generators ----

    private static Gen<Command> commands()
    {
        final Gen<CommandType> types = Generate.enumValues(CommandType.class);
        final Gen<Long> sequences = longs().between(0, Long.MAX_VALUE);
        final Gen<Long> anyLong = longs().all();
        final Gen<Integer> anyInt = integers().all();
        final Gen<String> text = text();
        final Gen<String> maybe = nullable(text, 25);
        final Gen<Long> quantities = Generate.oneOf(anyLong, constant(Command.ABSENT));
        final Gen<List<Line>> lines = lines(maybe);
        final Gen<LocationSpec> locationSpecs = nullable(locationSpecs(text), 60);
        final Gen<ChannelSpec> channelSpecs = nullable(channelSpecs(text), 60);
        final Gen<SkuSpec> skuSpecs = nullable(skuSpecs(text, maybe), 60);
        final Gen<PriceSpec> priceSpecs = nullable(priceSpecs(text), 60);
        final Gen<CarrierSpec> carrierSpecs = nullable(carrierSpecs(text), 60);
        final Gen<StockImportSpec> stockImports = nullable(stockImports(text, maybe), 60);
        final Gen<List<Quote>> quotes = lists(quotes(text), 0, 4);
        return in ->
        {
            final Command c = new Command(LINE_CAPACITY);
            c.type(types.generate(in));
            c.stamp(sequences.generate(in), c.timestampMillis());
            c.stamp(c.sequence(), anyLong.generate(in));
            c.principal(maybe.generate(in));
            c.idempotencyKey(maybe.generate(in));
            c.reason(maybe.generate(in));
            c.reference(maybe.generate(in));
            c.sku(maybe.generate(in));
            c.location(maybe.generate(in));
            c.channel(maybe.generate(in));
            c.orderId(maybe.generate(in));
            c.destination(maybe.generate(in), c.destinationPostalCode());
            c.destination(c.destinationCountry(), maybe.generate(in));
            c.quantity(quantities.generate(in));
            c.expected(quantities.generate(in));
            c.safety(quantities.generate(in));
            c.ttlSeconds(anyInt.generate(in));
            c.reservationId(anyLong.generate(in));
            lines.generate(in).forEach(line -> c.addLine(line.sku, line.qty));
            c.locationSpec(locationSpecs.generate(in));
            c.channelSpec(channelSpecs.generate(in));
            c.skuSpec(skuSpecs.generate(in));
            c.priceSpec(priceSpecs.generate(in));
            c.carrier(maybe.generate(in));
            c.service(maybe.generate(in));
            c.carrierSpec(carrierSpecs.generate(in));
            c.stockImport(stockImports.generate(in));
            quotes.generate(in).forEach(q ->
                c.addQuote(q.sku, q.channel, q.amountMinor, q.currency, q.expiresAtMillis));
            return c;
        };
    }

    private static <T> Gen<List<T>> lists(final Gen<T> element, final int min, final int max)
    {
        return SourceDSL.lists().of(element).ofType(SourceDSL.lists().<T, List<T>>arrayList()).ofSizeBetween(min, max);
    }

    /** The list without the elements whose key an earlier element has. */
    private static <T> List<T> distinct(final List<T> list, final Function<T, ?> key)
    {
        return new ArrayList<>(list.stream().collect(Collectors.toMap(key, e -> e, (first, later) -> first,
            LinkedHashMap::new)).values());
    }

    private static <T> Gen<T> nullable(final Gen<T> gen, final int percentNull)
    {
        return gen.toOptionals(percentNull).map(value -> value.orElse(null));
    }

    /** Strings of {@code min..max} characters drawn from the alphabet. */
    private static Gen<String> strings(final String alphabet, final int min, final int max)
    {
        final Gen<Character> chars = pick(alphabet.chars().mapToObj(ch -> (char)ch).collect(Collectors.toList()));
        return lists(chars, min, max).map(list -> list.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    private static String range(final char first, final char last)
    {
        final StringBuilder sb = new StringBuilder();
        for (char ch = first; ch <= last; ch++)
        {
            sb.append(ch);
        }
        return sb.toString();
    }

    private record Quote(String sku, String channel, long amountMinor, String currency, long expiresAtMillis)
    {
    }

    private static Gen<Quote> quotes(final Gen<String> text)
    {
        return text.zip(text, longs().all(), strings(range('A', 'Z'), 3, 3), longs().all(), Quote::new);
    }

    private static Gen<Price> prices(final String currency)
    {
        return longs().between(0, Price.MAX_AMOUNT_MINOR).map(amount -> new Price(amount, currency));
    }

    private static Gen<PriceSpec> priceSpecs(final Gen<String> text)
    {
        return pick(List.of("USD", "EUR", "INR", "JPY")).flatMap(currency ->
        {
            final Gen<SaleSpec> sales = prices(currency).zip(longs().between(0, 4_000_000_000_000L),
                longs().between(1, 1_000_000_000L), lists(text, 0, 3),
                (price, start, length, channels) -> new SaleSpec(price, start, start + length, channels));
            return prices(currency).zip(maps().of(text, prices(currency)).ofSizeBetween(0, 5), lists(sales, 0, 4),
                PriceSpec::new);
        });
    }

    private record ImportRow(String sku, String location, long onHand, String title)
    {
    }

    private static Gen<StockImportSpec> stockImports(final Gen<String> text, final Gen<String> maybe)
    {
        final Gen<ImportRow> rows = text.zip(text, longs().all(), maybe, ImportRow::new);
        return lists(rows, 0, 40).zip(pick(List.of("USD", "EUR", "JPY")), (list, currency) -> new StockImportSpec(
            list.stream().map(ImportRow::sku).toArray(String[]::new),
            list.stream().map(ImportRow::location).toArray(String[]::new),
            list.stream().mapToLong(ImportRow::onHand).toArray(),
            list.stream().map(ImportRow::title).toArray(String[]::new), currency));
    }

    private static Gen<CarrierSpec> carrierSpecs(final Gen<String> text)
    {
        final Gen<String> names = text.assuming(name -> name.length() <= ServiceSpec.MAX_NAME_LENGTH);
        final Gen<ZoneSpec> zones = nullable(pick(List.of("oak", "nj", "a-very-long-location.id:1")), 40).zip(
            pick(List.of("US", "GB", "IN", "DE")), pick(List.of("", "9", "941", "SW1A", "110")),
            integers().between(0, 10), integers().between(0, 10), (location, country, prefix, a, b) ->
                new ZoneSpec(location, country, prefix, Math.min(a, b), Math.max(a, b)));
        final Gen<ServiceSpec> services = strings(range('a', 'z'), 1, 12).zip(names, integers().between(1, 127),
            lists(zones, 0, 5)
                .map(list -> distinct(list, z -> z.location() + "|" + z.country() + "|" + z.postalPrefix())),
            ServiceSpec::new);
        return names.zip(lists(services, 0, 3).map(list -> distinct(list, ServiceSpec::id)), CarrierSpec::new);
    }

    /** Ids, free text with accents and CJK, and text with characters outside the BMP (surrogate pairs). */
    private static Gen<String> text()
    {
        final Gen<String> ids = strings(range('a', 'z') + range('0', '9') + "._:-", 0, 64);
        final Gen<String> prose =
            strings(range(' ', '~') + range('\u00a0', '\u024f') + "\u20ac\u4e2d\u6587\u0000", 0, 120);
        final Gen<String> astral = prose.zip(pick(List.of("\uD83D\uDED2", "\uD83D\uDCE6", "\uD800\uDC00")), ids,
            (a, b, c) -> a + b + c);
        return Generate.oneOf(ids, prose, astral);
    }

    private record Line(String sku, long qty)
    {
    }

    private static Gen<List<Line>> lines(final Gen<String> skus)
    {
        return lists(skus.zip(longs().all(), Line::new), 0, LINE_CAPACITY);
    }

    private static Gen<LocationSpec> locationSpecs(final Gen<String> text)
    {
        final Gen<Integer> anyInt = integers().all();
        final Gen<int[]> holidays = Generate.intArrays(integers().between(0, 40), anyInt);
        return in -> new LocationSpec(text.generate(in), text.generate(in), text.generate(in), text.generate(in),
            anyInt.generate(in), anyInt.generate(in), anyInt.generate(in), anyInt.generate(in), holidays.generate(in));
    }

    private static Gen<ChannelSpec> channelSpecs(final Gen<String> text)
    {
        final Gen<List<String>> locations = lists(text, 0, 20);
        final Gen<Integer> percent = integers().all();
        final Gen<Long> anyLong = longs().all();
        return in -> new ChannelSpec(text.generate(in), locations.generate(in), percent.generate(in),
            anyLong.generate(in), anyLong.generate(in), anyLong.generate(in));
    }

    private static Gen<SkuSpec> skuSpecs(final Gen<String> text, final Gen<String> maybe)
    {
        final Gen<List<Line>> components = lists(maybe.zip(longs().all(), Line::new), 0, 12);
        return text.zip(longs().all(), text, components,
            (title, price, currency, parts) -> new SkuSpec(title, price, currency,
                parts.stream().map(Line::sku).toArray(String[]::new),
                parts.stream().mapToLong(Line::qty).toArray()));
    }
}
