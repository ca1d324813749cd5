package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPlanner;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceList;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import java.util.LinkedHashMap;
import java.util.Map;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The full state of an engine at one sequence, as bytes: catalog, every stock and channel record, reservations
 * (held and retained, with expiry), orders, and the idempotency window. Restoring it and replaying the journal
 * after {@link #sequenceOf(byte[])} gives the same {@link Engine#digest()} as a full replay.
 * <p>
 * {@link #capture(Engine)} runs on the writer thread (or while the writer is stopped); the quantity tables are
 * copied region by region, so the writer pauses for a copy, not for I/O. Writing the bytes to disk is the
 * caller's business, off the writer thread.
 */
public final class EngineSnapshot
{
    private static final int MAGIC = 0x54535331; // "TSS1"
    private static final int FORMAT_VERSION = 2;

    private EngineSnapshot()
    {
    }

    public static byte[] capture(final Engine engine)
    {
        final int skuCount = engine.skus.count();
        final int locationCount = engine.locations.count();
        final int channelCount = engine.channels.count();
        final EngineConfig config = engine.config();
        final int stockBytes = skuCount * config.maxLocations() * StockTable.RECORD_BYTES;
        final int channelBytes = skuCount * config.maxChannels() * ChannelTable.RECORD_BYTES;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(stockBytes + channelBytes + 4096);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(engine.lastSequence());
            out.writeLong(engine.lastTimestampMillis());
            out.writeLong(engine.nextReservationId);
            out.writeInt(config.maxLocations());
            out.writeInt(config.maxChannels());

            out.writeInt(locationCount);
            for (int l = 0; l < locationCount; l++)
            {
                out.writeUTF(engine.locations.id(l));
                writeLocation(out, engine.locationSpecs[l]);
            }
            out.writeInt(skuCount);
            for (int s = 0; s < skuCount; s++)
            {
                out.writeUTF(engine.skus.id(s));
                writeSku(out, engine.skuSpecs[s]);
            }
            out.writeInt(channelCount);
            for (int c = 0; c < channelCount; c++)
            {
                out.writeUTF(engine.channels.id(c));
                writeChannel(out, engine.channelDefs[c].spec());
            }
            for (int s = 0; s < skuCount; s++)
            {
                writePrices(out, engine.priceLists[s].spec());
            }
            out.writeInt(engine.carrierSpecs.size());
            for (final var carrier : engine.carrierSpecs.entrySet())
            {
                out.writeUTF(carrier.getKey());
                writeCarrier(out, carrier.getValue());
            }

            final byte[] stockRegion = new byte[stockBytes];
            engine.stock.buffer().getBytes(0, stockRegion);
            out.writeInt(stockBytes);
            out.write(stockRegion);
            final byte[] channelRegion = new byte[channelBytes];
            engine.published.buffer().getBytes(0, channelRegion);
            out.writeInt(channelBytes);
            out.write(channelRegion);

            final List<Reservation> held = new ArrayList<>();
            for (final Reservation r : engine.reservations.values())
            {
                if (r.status == ReservationStatus.HELD)
                {
                    held.add(r);
                }
            }
            held.sort((a, b) -> Long.compare(a.id, b.id));
            out.writeInt(held.size());
            for (final Reservation r : held)
            {
                writeReservation(out, r);
            }
            out.writeInt(engine.retained.size());
            for (final Reservation r : engine.retained)
            {
                writeReservation(out, r);
            }

            final List<Order> open = new ArrayList<>();
            for (final Order order : engine.orders.values())
            {
                if (order.status == OrderStatus.CONFIRMED)
                {
                    open.add(order);
                }
            }
            open.sort(java.util.Comparator.comparing(o -> o.keyText(engine.channels)));
            out.writeInt(open.size());
            for (final Order order : open)
            {
                writeOrder(out, order);
            }
            out.writeInt(engine.closedOrders.size());
            for (final Order order : engine.closedOrders)
            {
                writeOrder(out, order);
            }

            out.writeInt(engine.idempotencyByAge.size());
            for (final Engine.IdempotencyEntry entry : engine.idempotencyByAge)
            {
                out.writeUTF(entry.key);
                out.writeLong(entry.fingerprint);
                out.writeLong(entry.atMillis);
                writeOutcome(out, entry.outcome);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** The engine sequence a snapshot was captured at. */
    public static long sequenceOf(final byte[] snapshot)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot)))
        {
            readHeader(in);
            return in.readLong();
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("not a Truestock snapshot: " + ex.getMessage(), ex);
        }
    }

    private static void readHeader(final DataInputStream in) throws IOException
    {
        final int magic = in.readInt();
        if (magic != MAGIC)
        {
            throw new IllegalArgumentException("not a Truestock snapshot (magic " + Integer.toHexString(magic) + ')');
        }
        final int version = in.readInt();
        if (version != FORMAT_VERSION)
        {
            throw new IllegalArgumentException(
                "snapshot format version " + version + " is not supported (this build reads " + FORMAT_VERSION + ')');
        }
    }

    /**
     * Builds an engine from a snapshot.
     *
     * @throws IllegalArgumentException when the bytes are not a complete snapshot this build can read, or do not
     *                                  fit the configuration's bounds.
     */
    public static Engine restore(final EngineConfig config, final byte[] snapshot)
    {
        final Engine engine = new Engine(config);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot)))
        {
            readHeader(in);
            final long sequence = in.readLong();
            final long timestamp = in.readLong();
            final long reservationCounter = in.readLong();
            final int maxLocations = in.readInt();
            final int maxChannels = in.readInt();
            if (maxLocations != engine.config().maxLocations() || maxChannels != engine.config().maxChannels())
            {
                throw new IllegalArgumentException("snapshot was taken with maxLocations=" + maxLocations +
                    " and maxChannels=" + maxChannels + "; configure the same bounds to restore it");
            }
            engine.restorePosition(sequence, timestamp, reservationCounter);

            final int locationCount = in.readInt();
            requireFits("locations", locationCount, engine.config().maxLocations());
            for (int l = 0; l < locationCount; l++)
            {
                final String id = in.readUTF();
                engine.locationSpecs[l] = readLocation(in);
                engine.channelsOfLocation[l] = new int[0];
                engine.locations.add(id);
            }
            final int skuCount = in.readInt();
            requireFits("SKUs", skuCount, engine.config().maxSkus());
            for (int s = 0; s < skuCount; s++)
            {
                final String id = in.readUTF();
                final SkuSpec spec = readSku(in);
                engine.skuSpecs[s] = spec;
                engine.bundlesOf[s] = new int[0];
                engine.skus.add(id);
            }
            for (int s = 0; s < skuCount; s++)
            {
                final SkuSpec spec = engine.skuSpecs[s];
                final int[] parts = new int[spec.componentCount()];
                final long[] qtys = new long[spec.componentCount()];
                for (int k = 0; k < parts.length; k++)
                {
                    parts[k] = engine.skus.indexOf(spec.componentSku(k));
                    qtys[k] = spec.componentQty(k);
                    final int[] of = engine.bundlesOf[parts[k]];
                    final int[] grown = Arrays.copyOf(of, of.length + 1);
                    grown[of.length] = s;
                    engine.bundlesOf[parts[k]] = grown;
                }
                engine.components[s] = parts;
                engine.componentQtys[s] = qtys;
            }
            final int channelCount = in.readInt();
            requireFits("channels", channelCount, engine.config().maxChannels());
            for (int c = 0; c < channelCount; c++)
            {
                final String id = in.readUTF();
                engine.channelDefs[c] = engine.resolveChannel(readChannel(in), c);
                engine.channels.add(id);
            }
            engine.indexChannelLocations();
            for (int l = 0; l < locationCount; l++)
            {
                engine.planner.defineLocation(l, engine.locations.id(l), engine.locationSpecs[l]);
            }
            for (int s = 0; s < skuCount; s++)
            {
                engine.priceLists[s] = new PriceList(readPrices(in), engine.channels::indexOf);
            }
            final int carriers = boundedCount(in, DeliveryPlanner.MAX_CARRIERS);
            for (int i = 0; i < carriers; i++)
            {
                engine.restoreCarrier(in.readUTF(), readCarrier(in));
            }

            final byte[] stockRegion = new byte[in.readInt()];
            in.readFully(stockRegion);
            engine.stock.buffer().putBytes(0, stockRegion);
            final byte[] channelRegion = new byte[in.readInt()];
            in.readFully(channelRegion);
            engine.published.buffer().putBytes(0, channelRegion);

            final int held = in.readInt();
            for (int i = 0; i < held; i++)
            {
                engine.restoreHeld(readReservation(in));
            }
            final int retained = in.readInt();
            for (int i = 0; i < retained; i++)
            {
                final Reservation r = readReservation(in);
                engine.reservations.put(r.id, r);
                engine.retained.addLast(r);
            }

            final int openOrders = in.readInt();
            for (int i = 0; i < openOrders; i++)
            {
                final Order order = readOrder(in);
                engine.orders.put(order.key, order);
            }
            final int closedOrders = in.readInt();
            for (int i = 0; i < closedOrders; i++)
            {
                final Order order = readOrder(in);
                engine.orders.put(order.key, order);
                engine.closedOrders.addLast(order);
            }

            final int entries = in.readInt();
            for (int i = 0; i < entries; i++)
            {
                final String key = in.readUTF();
                final long fingerprint = in.readLong();
                final long atMillis = in.readLong();
                final Engine.IdempotencyEntry entry =
                    new Engine.IdempotencyEntry(key, fingerprint, atMillis, readOutcome(in));
                engine.idempotency.put(key, entry);
                engine.idempotencyByAge.addLast(entry);
            }
            if (in.read() != -1)
            {
                throw new IllegalArgumentException("snapshot has trailing bytes");
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("snapshot is truncated or corrupt: " + ex, ex);
        }
        engine.restoreFinished();
        return engine;
    }

    private static void requireFits(final String what, final int count, final int bound)
    {
        if (count < 0 || count > bound)
        {
            throw new IllegalArgumentException("snapshot holds " + count + ' ' + what + ", more than the configured " + bound);
        }
    }

    private static void writeLocation(final DataOutputStream out, final LocationSpec spec) throws IOException
    {
        out.writeUTF(spec.name());
        out.writeUTF(spec.timezone());
        out.writeUTF(spec.country());
        out.writeUTF(spec.postalCode());
        out.writeInt(spec.priority());
        out.writeInt(spec.cutoffMinute());
        out.writeInt(spec.handlingDays());
        out.writeInt(spec.workingDaysMask());
        out.writeInt(spec.holidayCount());
        for (int i = 0; i < spec.holidayCount(); i++)
        {
            out.writeInt(spec.holiday(i));
        }
    }

    private static LocationSpec readLocation(final DataInputStream in) throws IOException
    {
        final String name = in.readUTF();
        final String timezone = in.readUTF();
        final String country = in.readUTF();
        final String postalCode = in.readUTF();
        final int priority = in.readInt();
        final int cutoff = in.readInt();
        final int handling = in.readInt();
        final int mask = in.readInt();
        final int[] holidays = new int[boundedCount(in, LocationSpec.MAX_HOLIDAYS)];
        for (int i = 0; i < holidays.length; i++)
        {
            holidays[i] = in.readInt();
        }
        return new LocationSpec(name, timezone, country, postalCode, priority, cutoff, handling, mask, holidays);
    }

    private static void writeSku(final DataOutputStream out, final SkuSpec spec) throws IOException
    {
        out.writeUTF(spec.title());
        out.writeLong(spec.priceAmountMinor());
        out.writeUTF(spec.currency());
        out.writeInt(spec.componentCount());
        for (int i = 0; i < spec.componentCount(); i++)
        {
            out.writeUTF(spec.componentSku(i));
            out.writeLong(spec.componentQty(i));
        }
    }

    private static SkuSpec readSku(final DataInputStream in) throws IOException
    {
        final String title = in.readUTF();
        final long price = in.readLong();
        final String currency = in.readUTF();
        final int n = boundedCount(in, 1 << 16);
        final String[] parts = new String[n];
        final long[] qtys = new long[n];
        for (int i = 0; i < n; i++)
        {
            parts[i] = in.readUTF();
            qtys[i] = in.readLong();
        }
        return new SkuSpec(title, price, currency, parts, qtys);
    }

    private static void writeChannel(final DataOutputStream out, final ChannelSpec spec) throws IOException
    {
        out.writeUTF(spec.name());
        out.writeInt(spec.locations().size());
        for (final String location : spec.locations())
        {
            out.writeUTF(location);
        }
        out.writeInt(spec.percent());
        out.writeLong(spec.buffer());
        out.writeLong(spec.maxListed());
        out.writeLong(spec.lowStockThreshold());
    }

    private static ChannelSpec readChannel(final DataInputStream in) throws IOException
    {
        final String name = in.readUTF();
        final int n = boundedCount(in, 1 << 16);
        final List<String> locations = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            locations.add(in.readUTF());
        }
        return new ChannelSpec(name, locations, in.readInt(), in.readLong(), in.readLong(), in.readLong());
    }

    private static void writeReservation(final DataOutputStream out, final Reservation r) throws IOException
    {
        out.writeLong(r.id);
        out.writeInt(r.channel);
        out.writeLong(r.expiresAtMillis);
        out.writeByte(r.status.ordinal());
        writeNullableUtf(out, r.orderId);
        out.writeInt(r.lineCount);
        for (int i = 0; i < r.lineCount; i++)
        {
            out.writeInt(r.lineSku[i]);
            out.writeLong(r.lineQty[i]);
        }
        out.writeInt(r.holdCount);
        for (int i = 0; i < r.holdCount; i++)
        {
            out.writeInt(r.holdSku[i]);
            out.writeInt(r.holdLocation[i]);
            out.writeLong(r.holdQty[i]);
        }
    }

    private static Reservation readReservation(final DataInputStream in) throws IOException
    {
        final Reservation r = new Reservation();
        r.reset();
        r.id = in.readLong();
        r.channel = in.readInt();
        r.expiresAtMillis = in.readLong();
        r.status = ReservationStatus.of(in.readByte());
        r.orderId = readNullableUtf(in);
        final int lines = boundedCount(in, 1 << 20);
        for (int i = 0; i < lines; i++)
        {
            r.addLine(in.readInt(), in.readLong());
        }
        final int holds = boundedCount(in, 1 << 24);
        for (int i = 0; i < holds; i++)
        {
            r.addHold(in.readInt(), in.readInt(), in.readLong());
        }
        return r;
    }

    private static void writeOrder(final DataOutputStream out, final Order order) throws IOException
    {
        out.writeUTF(order.orderId);
        out.writeInt(order.channel);
        out.writeLong(order.reservationId);
        out.writeLong(order.fingerprint);
        out.writeLong(order.version);
        writeNullableUtf(out, order.destinationCountry);
        writeNullableUtf(out, order.destinationPostalCode);
        out.writeByte(order.status.ordinal());
        out.writeInt(order.lineCount);
        for (int i = 0; i < order.lineCount; i++)
        {
            out.writeInt(order.lineSku[i]);
            out.writeLong(order.lineQty[i]);
            out.writeLong(order.lineBackordered[i]);
            out.writeLong(order.linePriceMinor[i]);
            writeNullableUtf(out, order.lineCurrency[i]);
        }
        out.writeInt(order.shipmentCount);
        for (int i = 0; i < order.shipmentCount; i++)
        {
            out.writeInt(order.shipmentLocation[i]);
            out.writeLong(order.shipmentPromise[i * 3]);
            out.writeLong(order.shipmentPromise[i * 3 + 1]);
            out.writeLong(order.shipmentPromise[i * 3 + 2]);
            writeNullableUtf(out, order.shipmentCarrier[i]);
            writeNullableUtf(out, order.shipmentService[i]);
        }
        out.writeInt(order.allocationCount);
        for (int i = 0; i < order.allocationCount; i++)
        {
            out.writeInt(order.allocationSku[i]);
            out.writeInt(order.allocationLocation[i]);
            out.writeLong(order.allocationQty[i]);
        }
    }

    private static Order readOrder(final DataInputStream in) throws IOException
    {
        final Order order = new Order().init(in.readUTF(), in.readInt(), in.readLong(), in.readLong(),
            in.readLong(), readNullableUtf(in), readNullableUtf(in));
        order.status = OrderStatus.of(in.readByte());
        final int lines = boundedCount(in, 1 << 20);
        for (int i = 0; i < lines; i++)
        {
            order.addLine(in.readInt(), in.readLong(), in.readLong(), in.readLong(), readNullableUtf(in));
        }
        final int shipments = boundedCount(in, 1 << 16);
        for (int i = 0; i < shipments; i++)
        {
            order.addShipment(in.readInt(), in.readLong(), in.readLong(), in.readLong(), readNullableUtf(in),
                readNullableUtf(in));
        }
        final int allocations = boundedCount(in, 1 << 24);
        for (int i = 0; i < allocations; i++)
        {
            order.addAllocation(in.readInt(), in.readInt(), in.readLong());
        }
        return order;
    }

    private static void writeOutcome(final DataOutputStream out, final Outcome o) throws IOException
    {
        out.writeBoolean(o.accepted());
        out.writeBoolean(o.duplicate());
        out.writeInt(o.reason().ordinal());
        out.writeInt(o.rejectedLine());
        out.writeLong(o.version());
        out.writeInt(o.sku());
        out.writeInt(o.location());
        out.writeInt(o.channel());
        out.writeLong(o.onHand());
        out.writeLong(o.reserved());
        out.writeLong(o.committed());
        out.writeLong(o.safety());
        out.writeLong(o.reservationId());
        out.writeInt(o.reservationStatus() == null ? -1 : o.reservationStatus().ordinal());
        out.writeLong(o.expiresAtMillis());
        writeNullableUtf(out, o.orderId());
        out.writeInt(o.orderStatus() == null ? -1 : o.orderStatus().ordinal());
        out.writeInt(o.lineCount());
        for (int i = 0; i < o.lineCount(); i++)
        {
            out.writeInt(o.lineSku(i));
            out.writeLong(o.lineQty(i));
            out.writeLong(o.lineAvailable(i));
            out.writeLong(o.lineBackordered(i));
            out.writeLong(o.linePriceMinor(i));
            writeNullableUtf(out, o.lineCurrency(i));
        }
        out.writeInt(o.shipmentCount());
        for (int i = 0; i < o.shipmentCount(); i++)
        {
            out.writeInt(o.shipmentLocation(i));
            out.writeLong(o.shipmentEarliestMillis(i));
            out.writeLong(o.shipmentLatestMillis(i));
            out.writeLong(o.shipmentOrderByMillis(i));
            writeNullableUtf(out, o.shipmentCarrier(i));
            writeNullableUtf(out, o.shipmentService(i));
        }
        out.writeInt(o.allocationCount());
        for (int i = 0; i < o.allocationCount(); i++)
        {
            out.writeInt(o.allocationSku(i));
            out.writeInt(o.allocationLocation(i));
            out.writeLong(o.allocationQty(i));
        }
    }

    private static Outcome readOutcome(final DataInputStream in) throws IOException
    {
        final Outcome o = new Outcome();
        final boolean accepted = in.readBoolean();
        final boolean duplicate = in.readBoolean();
        final RejectReason reason = RejectReason.of(in.readInt());
        final int rejectedLine = in.readInt();
        final long version = in.readLong();
        if (accepted)
        {
            o.accept(version);
        }
        else
        {
            o.reject(reason, rejectedLine, version);
        }
        if (duplicate)
        {
            o.markDuplicate();
        }
        o.stockValues(in.readInt(), in.readInt(), 0, 0, 0, 0);
        final int sku = o.sku();
        final int location = o.location();
        final int channel = in.readInt();
        o.stockValues(sku, location, in.readLong(), in.readLong(), in.readLong(), in.readLong());
        final long reservationId = in.readLong();
        final int reservationStatus = in.readInt();
        final long expiresAt = in.readLong();
        o.reservation(reservationId, reservationStatus < 0 ? null : ReservationStatus.of(reservationStatus), channel, expiresAt);
        final String orderId = readNullableUtf(in);
        final int orderStatus = in.readInt();
        if (orderId != null || orderStatus >= 0)
        {
            o.order(orderId, orderStatus < 0 ? null : OrderStatus.of(orderStatus), channel, reservationId);
        }
        final int lines = boundedCount(in, 1 << 20);
        for (int i = 0; i < lines; i++)
        {
            o.addLine(in.readInt(), in.readLong(), in.readLong(), in.readLong());
            o.priceLine(i, in.readLong(), readNullableUtf(in));
        }
        final int shipments = boundedCount(in, 1 << 16);
        for (int i = 0; i < shipments; i++)
        {
            o.addShipment(in.readInt(), in.readLong(), in.readLong(), in.readLong(), readNullableUtf(in),
                readNullableUtf(in));
        }
        final int allocations = boundedCount(in, 1 << 24);
        for (int i = 0; i < allocations; i++)
        {
            o.addAllocation(in.readInt(), in.readInt(), in.readLong());
        }
        return o;
    }

    private static void writePrice(final DataOutputStream out, final Price price) throws IOException
    {
        out.writeLong(price.amountMinor());
        out.writeUTF(price.currency());
    }

    private static Price readPrice(final DataInputStream in) throws IOException
    {
        return new Price(in.readLong(), in.readUTF());
    }

    private static void writePrices(final DataOutputStream out, final PriceSpec spec) throws IOException
    {
        writePrice(out, spec.base());
        out.writeInt(spec.channels().size());
        for (final var entry : spec.channels().entrySet())
        {
            out.writeUTF(entry.getKey());
            writePrice(out, entry.getValue());
        }
        out.writeInt(spec.sales().size());
        for (final SaleSpec sale : spec.sales())
        {
            writePrice(out, sale.price());
            out.writeLong(sale.startMillis());
            out.writeLong(sale.endMillis());
            out.writeInt(sale.channels().size());
            for (final String channel : sale.channels())
            {
                out.writeUTF(channel);
            }
        }
    }

    private static PriceSpec readPrices(final DataInputStream in) throws IOException
    {
        final Price base = readPrice(in);
        final int channelCount = boundedCount(in, PriceSpec.MAX_CHANNEL_PRICES);
        final Map<String, Price> channels = new LinkedHashMap<>();
        for (int i = 0; i < channelCount; i++)
        {
            channels.put(in.readUTF(), readPrice(in));
        }
        final int saleCount = boundedCount(in, PriceSpec.MAX_SALES);
        final List<SaleSpec> sales = new ArrayList<>();
        for (int i = 0; i < saleCount; i++)
        {
            final Price price = readPrice(in);
            final long start = in.readLong();
            final long end = in.readLong();
            final int n = boundedCount(in, PriceSpec.MAX_CHANNEL_PRICES);
            final List<String> saleChannels = new ArrayList<>();
            for (int k = 0; k < n; k++)
            {
                saleChannels.add(in.readUTF());
            }
            sales.add(new SaleSpec(price, start, end, saleChannels));
        }
        return new PriceSpec(base, channels, sales);
    }

    private static void writeCarrier(final DataOutputStream out, final CarrierSpec spec) throws IOException
    {
        out.writeUTF(spec.name());
        out.writeInt(spec.services().size());
        for (final ServiceSpec service : spec.services())
        {
            out.writeUTF(service.id());
            out.writeUTF(service.name());
            out.writeInt(service.workingDaysMask());
            out.writeInt(service.zones().size());
            for (final ZoneSpec zone : service.zones())
            {
                writeNullableUtf(out, zone.location());
                out.writeUTF(zone.country());
                out.writeUTF(zone.postalPrefix());
                out.writeInt(zone.minTransitDays());
                out.writeInt(zone.maxTransitDays());
            }
        }
    }

    private static CarrierSpec readCarrier(final DataInputStream in) throws IOException
    {
        final String name = in.readUTF();
        final int serviceCount = boundedCount(in, CarrierSpec.MAX_SERVICES);
        final List<ServiceSpec> services = new ArrayList<>();
        for (int i = 0; i < serviceCount; i++)
        {
            final String id = in.readUTF();
            final String serviceName = in.readUTF();
            final int mask = in.readInt();
            final int zoneCount = boundedCount(in, ServiceSpec.MAX_ZONES);
            final List<ZoneSpec> zones = new ArrayList<>();
            for (int k = 0; k < zoneCount; k++)
            {
                zones.add(new ZoneSpec(readNullableUtf(in), in.readUTF(), in.readUTF(), in.readInt(), in.readInt()));
            }
            services.add(new ServiceSpec(id, serviceName, mask, zones));
        }
        return new CarrierSpec(name, services);
    }

    private static int boundedCount(final DataInputStream in, final int bound) throws IOException
    {
        final int n = in.readInt();
        if (n < 0 || n > bound)
        {
            throw new IOException("implausible count " + n);
        }
        return n;
    }

    private static void writeNullableUtf(final DataOutputStream out, final String value) throws IOException
    {
        out.writeBoolean(value != null);
        if (value != null)
        {
            out.writeUTF(value);
        }
    }

    private static String readNullableUtf(final DataInputStream in) throws IOException
    {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
