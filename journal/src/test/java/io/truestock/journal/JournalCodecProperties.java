package io.truestock.journal;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.StockImportSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.List;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalCodecProperties
{
    private static final int LINE_CAPACITY = 24;

    private final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
    private final JournalCodec decoder = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);

    @Property(tries = 2000)
    void everyCommandRoundTrips(@ForAll("commands") final Command command)
    {
        Statistics.collect(command.type());
        Statistics.coverage(coverage ->
        {
            for (final CommandType type : CommandType.values())
            {
                coverage.check(type).count(n -> n > 0);
            }
        });

        final int length = codec.encodeCommand(command);
        final byte[] record = Arrays.copyOf(codec.encodedBytes(), length);

        assertThat(decoder.wrap(record, length)).isEqualTo(JournalCodec.COMMAND_TEMPLATE);
        assertThat(decoder.commandSequence()).isEqualTo(command.sequence());
        final Command decoded = decoder.decodeCommand(new Command(LINE_CAPACITY));
        Commands.assertSameCommand(decoded, command);
    }

    @Property(tries = 500)
    void everyCommandRoundTripsAsAProtocolMessage(@ForAll("commands") final Command command)
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

    @Property
    void lengthIsKnownBeforeEncoding(@ForAll("commands") final Command command)
    {
        final int length = codec.encodeCommand(command);

        assertThat(JournalCodec.encodedLength(command, true)).isEqualTo(length);
        assertThat(JournalCodec.encodedLength(command, false)).isGreaterThanOrEqualTo(length);
    }

    @Property
    void reencodingADecodedCommandGivesTheSameBytes(@ForAll("commands") final Command command)
    {
        final int length = codec.encodeCommand(command);
        final byte[] first = Arrays.copyOf(codec.encodedBytes(), length);
        decoder.wrap(first, length);
        final Command decoded = decoder.decodeCommand(new Command(LINE_CAPACITY));

        final int again = codec.encodeCommand(decoded);
        assertThat(Arrays.copyOf(codec.encodedBytes(), again)).isEqualTo(first);
    }

    @Property
    void anyChangedByteIsRefused(
        @ForAll("commands") final Command command,
        @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) final int position,
        @ForAll @IntRange(min = 1, max = 255) final int xor)
    {
        final int length = codec.encodeCommand(command);
        final byte[] record = Arrays.copyOf(codec.encodedBytes(), length);
        record[position % length] ^= (byte)xor;

        assertThatThrownBy(() -> decoder.wrap(record, length))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("checksum");
    }

    @Property
    void anyTruncationIsRefused(
        @ForAll("commands") final Command command, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE - 1) final int cut)
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

    @Provide
    Arbitrary<Command> commands()
    {
        final Arbitrary<String> text = text();
        final Arbitrary<String> maybe = text.injectNull(0.25);
        final Arbitrary<Long> quantities = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.just(Command.ABSENT));
        return Builders.withBuilder(() -> new Command(LINE_CAPACITY))
            .use(Arbitraries.of(CommandType.class)).inSetter(Command::type)
            .use(Arbitraries.longs().greaterOrEqual(0)).inSetter((c, v) -> c.stamp(v, c.timestampMillis()))
            .use(Arbitraries.longs()).inSetter((c, v) -> c.stamp(c.sequence(), v))
            .use(maybe).inSetter(Command::principal)
            .use(maybe).inSetter(Command::idempotencyKey)
            .use(maybe).inSetter(Command::reason)
            .use(maybe).inSetter(Command::reference)
            .use(maybe).inSetter(Command::sku)
            .use(maybe).inSetter(Command::location)
            .use(maybe).inSetter(Command::channel)
            .use(maybe).inSetter(Command::orderId)
            .use(maybe).inSetter((c, v) -> c.destination(v, c.destinationPostalCode()))
            .use(maybe).inSetter((c, v) -> c.destination(c.destinationCountry(), v))
            .use(quantities).inSetter(Command::quantity)
            .use(quantities).inSetter(Command::expected)
            .use(quantities).inSetter(Command::safety)
            .use(Arbitraries.integers()).inSetter(Command::ttlSeconds)
            .use(Arbitraries.longs()).inSetter(Command::reservationId)
            .use(lines(maybe)).inSetter((c, lines) -> lines.forEach(line -> c.addLine(line.sku, line.qty)))
            .use(locationSpecs(text).injectNull(0.6)).inSetter(Command::locationSpec)
            .use(channelSpecs(text).injectNull(0.6)).inSetter(Command::channelSpec)
            .use(skuSpecs(text, maybe).injectNull(0.6)).inSetter(Command::skuSpec)
            .use(priceSpecs(text).injectNull(0.6)).inSetter(Command::priceSpec)
            .use(maybe).inSetter(Command::carrier)
            .use(carrierSpecs(text).injectNull(0.6)).inSetter(Command::carrierSpec)
            .use(stockImports(text, maybe).injectNull(0.6)).inSetter(Command::stockImport)
            .use(quotes(text).list().ofMaxSize(4)).inSetter((c, quotes) -> quotes.forEach(q ->
                c.addQuote(q.sku, q.channel, q.amountMinor, q.currency, q.expiresAtMillis)))
            .build();
    }

    private record Quote(String sku, String channel, long amountMinor, String currency, long expiresAtMillis)
    {
    }

    private static Arbitrary<Quote> quotes(final Arbitrary<String> text)
    {
        return Combinators.combine(text, text, Arbitraries.longs(), Arbitraries.strings().withCharRange('A', 'Z')
            .ofLength(3), Arbitraries.longs()).as(Quote::new);
    }

    private static Arbitrary<Price> prices(final String currency)
    {
        return Arbitraries.longs().between(0, Price.MAX_AMOUNT_MINOR).map(amount -> new Price(amount, currency));
    }

    private static Arbitrary<PriceSpec> priceSpecs(final Arbitrary<String> text)
    {
        return Arbitraries.of("USD", "EUR", "INR", "JPY").flatMap(currency ->
        {
            final Arbitrary<SaleSpec> sales = Combinators.combine(prices(currency),
                    Arbitraries.longs().between(0, 4_000_000_000_000L), Arbitraries.longs().between(1, 1_000_000_000L),
                    text.list().ofMaxSize(3))
                .as((price, start, length, channels) -> new SaleSpec(price, start, start + length, channels));
            return Combinators.combine(prices(currency), Arbitraries.maps(text, prices(currency)).ofMaxSize(5),
                    sales.list().ofMaxSize(4))
                .as(PriceSpec::new);
        });
    }

    private record ImportRow(String sku, String location, long onHand, String title)
    {
    }

    private static Arbitrary<StockImportSpec> stockImports(final Arbitrary<String> text, final Arbitrary<String> maybe)
    {
        final Arbitrary<ImportRow> rows = Combinators.combine(text, text, Arbitraries.longs(), maybe)
            .as(ImportRow::new);
        return Combinators.combine(rows.list().ofMaxSize(40), Arbitraries.of("USD", "EUR", "JPY"))
            .as((list, currency) -> new StockImportSpec(list.stream().map(ImportRow::sku).toArray(String[]::new),
                list.stream().map(ImportRow::location).toArray(String[]::new),
                list.stream().mapToLong(ImportRow::onHand).toArray(),
                list.stream().map(ImportRow::title).toArray(String[]::new), currency));
    }

    private static Arbitrary<CarrierSpec> carrierSpecs(final Arbitrary<String> text)
    {
        final Arbitrary<String> names = text.filter(name -> name.length() <= ServiceSpec.MAX_NAME_LENGTH);
        final Arbitrary<ZoneSpec> zones = Combinators.combine(
                Arbitraries.of("oak", "nj", "a-very-long-location.id:1").injectNull(0.4),
                Arbitraries.of("US", "GB", "IN", "DE"), Arbitraries.of("", "9", "941", "SW1A", "110"),
                Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 10))
            .as((location, country, prefix, a, b) -> new ZoneSpec(location, country, prefix, Math.min(a, b), Math.max(a, b)));
        final Arbitrary<ServiceSpec> services = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12), names,
                Arbitraries.integers().between(1, 127), zones.list().ofMaxSize(5).uniqueElements(
                    z -> z.location() + "|" + z.country() + "|" + z.postalPrefix()))
            .as(ServiceSpec::new);
        return Combinators.combine(names, services.list().ofMaxSize(3).uniqueElements(ServiceSpec::id))
            .as(CarrierSpec::new);
    }

    /** Ids, free text with accents and CJK, and text with characters outside the BMP (surrogate pairs). */
    private static Arbitrary<String> text()
    {
        final Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
            .withChars('.', '_', ':', '-').ofMinLength(0).ofMaxLength(64);
        final Arbitrary<String> prose = Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u024f')
            .withChars('\u20ac', '\u4e2d', '\u6587', '\u0000').ofMaxLength(120);
        final Arbitrary<String> astral = Combinators.combine(prose, Arbitraries.of("\uD83D\uDED2", "\uD83D\uDCE6", "\uD800\uDC00"), ids)
            .as((a, b, c) -> a + b + c);
        return Arbitraries.oneOf(ids, prose, astral);
    }

    private record Line(String sku, long qty)
    {
    }

    private static Arbitrary<List<Line>> lines(final Arbitrary<String> skus)
    {
        return Combinators.combine(skus, Arbitraries.longs()).as(Line::new).list().ofMaxSize(LINE_CAPACITY);
    }

    private static Arbitrary<LocationSpec> locationSpecs(final Arbitrary<String> text)
    {
        final Arbitrary<int[]> holidays = Arbitraries.integers().array(int[].class).ofMaxSize(40);
        return Builders.withBuilder(() -> new Object[9])
            .use(text).inSetter((a, v) -> a[0] = v)
            .use(text).inSetter((a, v) -> a[1] = v)
            .use(text).inSetter((a, v) -> a[2] = v)
            .use(text).inSetter((a, v) -> a[3] = v)
            .use(Arbitraries.integers()).inSetter((a, v) -> a[4] = v)
            .use(Arbitraries.integers()).inSetter((a, v) -> a[5] = v)
            .use(Arbitraries.integers()).inSetter((a, v) -> a[6] = v)
            .use(Arbitraries.integers()).inSetter((a, v) -> a[7] = v)
            .use(holidays).inSetter((a, v) -> a[8] = v)
            .build(a -> new LocationSpec((String)a[0], (String)a[1], (String)a[2], (String)a[3], (Integer)a[4],
                (Integer)a[5], (Integer)a[6], (Integer)a[7], (int[])a[8]));
    }

    private static Arbitrary<ChannelSpec> channelSpecs(final Arbitrary<String> text)
    {
        return Combinators.combine(text, text.list().ofMaxSize(20), Arbitraries.integers(), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.longs())
            .as(ChannelSpec::new);
    }

    private static Arbitrary<SkuSpec> skuSpecs(final Arbitrary<String> text, final Arbitrary<String> maybe)
    {
        final Arbitrary<List<Line>> components = Combinators.combine(maybe, Arbitraries.longs()).as(Line::new)
            .list().ofMaxSize(12);
        return Combinators.combine(text, Arbitraries.longs(), text, components)
            .as((title, price, currency, parts) -> new SkuSpec(title, price, currency,
                parts.stream().map(Line::sku).toArray(String[]::new),
                parts.stream().mapToLong(Line::qty).toArray()));
    }
}
