package io.truestock.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test fixture: a readable copy of everything an {@link Engine} holds (catalog, every stock record and published
 * value with its version, reservations, orders, the retention queues and the idempotency window), without the
 * sequence and clock, which every mutation advances even when it is rejected. Two states compare equal exactly
 * when a command changed nothing, and a failing comparison shows which line moved.
 *
 * @param core        catalog, quantities, publications, reservations and orders.
 * @param idempotency the remembered keys, in age order.
 */
public record EngineState(List<String> core, List<String> idempotency)
{
    static EngineState of(final Engine engine)
    {
        final List<String> core = new ArrayList<>();
        for (int l = 0; l < engine.locations.count(); l++)
        {
            final LocationSpec spec = engine.locationSpecs[l];
            core.add("location " + l + ' ' + engine.locations.id(l) + ' ' + spec.name() + ' ' + spec.timezone() + ' ' +
                spec.country() + ' ' + spec.postalCode() + " priority=" + spec.priority() + " cutoff=" +
                spec.cutoffMinute() + " handling=" + spec.handlingDays() + " days=" + spec.workingDaysMask() +
                " holidays=" + Arrays.toString(spec.holidays()) + " channels=" +
                Arrays.toString(engine.channelsOfLocation[l]));
        }
        for (int ch = 0; ch < engine.channels.count(); ch++)
        {
            final ChannelDef def = engine.channelDefs[ch];
            core.add("channel " + ch + ' ' + engine.channels.id(ch) + ' ' + def.spec() + " draw=" +
                Arrays.toString(def.locations()) + " routing=" + Arrays.toString(def.routingOrder()));
        }
        for (int s = 0; s < engine.skus.count(); s++)
        {
            final SkuSpec spec = engine.skuSpecs[s];
            core.add("sku " + s + ' ' + engine.skus.id(s) + ' ' + spec.title() + ' ' + spec.priceAmountMinor() + ' ' +
                spec.currency() + " components=" + Arrays.toString(engine.components[s]) + " x " +
                Arrays.toString(engine.componentQtys[s]) + " bundles=" + Arrays.toString(engine.bundlesOf[s]));
            for (int l = 0; l < engine.locations.count(); l++)
            {
                final int o = engine.stock.offset(s, l);
                core.add("stock " + engine.skus.id(s) + '@' + engine.locations.id(l) + " on_hand=" +
                    engine.stock.onHand(o) + " reserved=" + engine.stock.reserved(o) + " committed=" +
                    engine.stock.committed(o) + " safety=" + engine.stock.safety(o) + " version=" +
                    engine.stock.version(o));
            }
            for (int ch = 0; ch < engine.channels.count(); ch++)
            {
                final int o = engine.published.offset(s, ch);
                core.add("published " + engine.skus.id(s) + '@' + engine.channels.id(ch) + " available=" +
                    engine.published.available(o) + " version=" + engine.published.version(o));
            }
        }
        core.add("reservations open=" + engine.openReservations() + " next_id=" + engine.nextReservationId +
            " next_expiry=" + engine.nextExpiryMillis());
        final TreeMap<Long, Reservation> reservations = new TreeMap<>();
        for (final Map.Entry<Long, Reservation> e : engine.reservations.entrySet())
        {
            reservations.put(e.getKey(), e.getValue());
        }
        for (final Reservation r : reservations.values())
        {
            final StringBuilder sb = new StringBuilder("reservation ").append(r.id).append(' ').append(r.status)
                .append(" channel=").append(r.channel).append(" expires=").append(r.expiresAtMillis)
                .append(" order=").append(r.orderId).append(" heap=").append(r.heapIndex >= 0);
            for (int i = 0; i < r.lineCount; i++)
            {
                sb.append(" line=").append(r.lineSku[i]).append('x').append(r.lineQty[i]);
            }
            for (int i = 0; i < r.holdCount; i++)
            {
                sb.append(" hold=").append(r.holdSku[i]).append('@').append(r.holdLocation[i]).append('x')
                    .append(r.holdQty[i]);
            }
            core.add(sb.toString());
        }
        final List<Long> retained = new ArrayList<>();
        for (final Reservation r : engine.retained)
        {
            retained.add(r.id);
        }
        core.add("retained " + retained);
        final TreeMap<String, Order> byKey = new TreeMap<>();
        engine.orders.values().forEach(order -> byKey.put(order.keyText(engine.channels), order));
        for (final Order order : byKey.values())
        {
            final StringBuilder sb = new StringBuilder("order ").append(order.keyText(engine.channels)).append(' ')
                .append(order.status)
                .append(" channel=").append(order.channel).append(" reservation=").append(order.reservationId);
            for (int i = 0; i < order.lineCount; i++)
            {
                sb.append(" line=").append(order.lineSku[i]).append('x').append(order.lineQty[i]).append(" short=")
                    .append(order.lineBackordered[i]).append(" price=").append(order.linePriceMinor[i])
                    .append(order.lineCurrency[i]);
            }
            for (int i = 0; i < order.shipmentCount; i++)
            {
                sb.append(" shipment=").append(order.shipmentLocation[i]).append(':').append(order.shipmentCarrier[i])
                    .append('/').append(order.shipmentService[i]).append(':').append(order.shipmentPromise[i * 3])
                    .append("..").append(order.shipmentPromise[i * 3 + 1]).append(':')
                    .append(order.shipmentPromise[i * 3 + 2]);
            }
            for (int i = 0; i < order.allocationCount; i++)
            {
                sb.append(" ships=").append(order.allocationSku[i]).append('@').append(order.allocationLocation[i])
                    .append('x').append(order.allocationQty[i]);
            }
            core.add(sb.toString());
        }
        final List<String> closed = new ArrayList<>();
        for (final Order order : engine.closedOrders)
        {
            closed.add(order.keyText(engine.channels));
        }
        core.add("closed " + closed);

        final List<String> idempotency = new ArrayList<>();
        for (final Engine.IdempotencyEntry entry : engine.idempotencyByAge)
        {
            idempotency.add(entry.key.replace('\n', '|') + " at=" + entry.atMillis + ' ' + entry.outcome);
        }
        idempotency.add("entries=" + engine.idempotencyEntries());
        return new EngineState(core, idempotency);
    }
}
