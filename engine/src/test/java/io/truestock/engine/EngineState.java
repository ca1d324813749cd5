package io.truestock.engine;

import io.truestock.engine.catalog.Catalog;
import io.truestock.engine.idempotency.IdempotencyWindow;
import io.truestock.engine.order.Order;
import io.truestock.engine.reservation.Reservation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        final Catalog catalog = engine.catalog();
        final StockTable stock = engine.ledger().table();
        final ChannelTable published = engine.publisher().table();
        final List<String> core = new ArrayList<>();
        for (int l = 0; l < catalog.locations().count(); l++)
        {
            final LocationSpec spec = catalog.locationSpec(l);
            core.add("location " + l + ' ' + catalog.locations().id(l) + ' ' + spec.name() + ' ' + spec.timezone() + ' ' +
                spec.country() + ' ' + spec.postalCode() + " priority=" + spec.priority() + " cutoff=" +
                spec.cutoffMinute() + " handling=" + spec.handlingDays() + " days=" + spec.workingDaysMask() +
                " holidays=" + Arrays.toString(spec.holidays()) + " channels=" +
                Arrays.toString(catalog.channelsOf(l)));
        }
        for (int ch = 0; ch < catalog.channels().count(); ch++)
        {
            final ChannelDef def = catalog.channel(ch);
            core.add("channel " + ch + ' ' + catalog.channels().id(ch) + ' ' + def.spec() + " draw=" +
                Arrays.toString(def.locations()) + " routing=" + Arrays.toString(def.routingOrder()));
        }
        for (int s = 0; s < catalog.skus().count(); s++)
        {
            final SkuSpec spec = catalog.skuSpec(s);
            core.add("sku " + s + ' ' + catalog.skus().id(s) + ' ' + spec.title() + ' ' + spec.priceAmountMinor() + ' ' +
                spec.currency() + " components=" + Arrays.toString(catalog.components(s)) + " x " +
                Arrays.toString(catalog.componentQtys(s)) + " bundles=" + Arrays.toString(catalog.bundlesOf(s)));
            for (int l = 0; l < catalog.locations().count(); l++)
            {
                final int o = stock.offset(s, l);
                core.add("stock " + catalog.skus().id(s) + '@' + catalog.locations().id(l) + " on_hand=" +
                    stock.onHand(o) + " reserved=" + stock.reserved(o) + " committed=" +
                    stock.committed(o) + " safety=" + stock.safety(o) + " version=" +
                    stock.version(o));
            }
            for (int ch = 0; ch < catalog.channels().count(); ch++)
            {
                final int o = published.offset(s, ch);
                core.add("published " + catalog.skus().id(s) + '@' + catalog.channels().id(ch) + " available=" +
                    published.available(o) + " version=" + published.version(o));
            }
        }
        core.add("reservations open=" + engine.openReservations() + " next_id=" + engine.reservationBook().lastId() +
            " next_expiry=" + engine.nextExpiryMillis());
        for (final Reservation r : engine.reservationBook().byIdOrder())
        {
            final StringBuilder sb = new StringBuilder("reservation ").append(r.id).append(' ').append(r.status)
                .append(" channel=").append(r.channel).append(" expires=").append(r.expiresAtMillis)
                .append(" order=").append(r.orderId).append(" expiring=").append(r.heapIndex >= 0 || r.runPosition >= 0);
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
        for (final Reservation r : engine.reservationBook().retained())
        {
            retained.add(r.id);
        }
        core.add("retained " + retained);
        for (final Order order : engine.orderBook().byKeyOrder())
        {
            final StringBuilder sb = new StringBuilder("order ").append(order.keyText(catalog.channels())).append(' ')
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
        for (final Order order : engine.orderBook().closed())
        {
            closed.add(order.keyText(catalog.channels()));
        }
        core.add("closed " + closed);

        final List<String> idempotency = new ArrayList<>();
        for (final IdempotencyWindow.Entry entry : engine.idempotency().byAge())
        {
            idempotency.add(entry.key().replace('\n', '|') + " at=" + entry.atMillis() + ' ' + entry.outcome());
        }
        idempotency.add("entries=" + engine.idempotencyEntries());
        return new EngineState(core, idempotency);
    }
}
