package io.truestock.engine.order;

import io.truestock.engine.ChannelDef;
import io.truestock.engine.Command;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.Ids;
import io.truestock.engine.OrderStatus;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import io.truestock.engine.StockLedger;
import io.truestock.engine.catalog.Catalog;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSchedule;
import io.truestock.engine.publish.ChannelPublisher;
import io.truestock.engine.reservation.Reservation;
import io.truestock.engine.reservation.ReservationBook;
import io.truestock.engine.reservation.ReservationCommands;
import io.truestock.engine.routing.RoutePlan;
import io.truestock.engine.routing.Router;

import java.util.Arrays;

/**
 * confirm (a reservation becomes an order), order (a channel's own sale, never refused: short lines are
 * backordered), cancel and ship. Routing decides where an order's units ship from; see {@link Router}. Writer
 * thread only.
 */
public final class OrderCommands
{
    private final EngineConfig config;
    private final Catalog catalog;
    private final StockLedger ledger;
    private final ChannelPublisher publisher;
    private final PriceSchedule prices;
    private final Router router;
    private final RoutePlan plan;
    private final ReservationBook reservationBook;
    private final ReservationCommands reservations;
    private final OrderBook book;
    private int poolCount;
    private int[] poolSku = new int[16];
    private long[] poolLeft = new long[16];

    public OrderCommands(
        final EngineConfig config, final Catalog catalog, final StockLedger ledger, final ChannelPublisher publisher,
        final PriceSchedule prices, final Router router, final RoutePlan writerPlan,
        final ReservationBook reservationBook, final ReservationCommands reservations, final OrderBook book)
    {
        this.config = config;
        this.catalog = catalog;
        this.ledger = ledger;
        this.publisher = publisher;
        this.prices = prices;
        this.router = router;
        this.plan = writerPlan;
        this.reservationBook = reservationBook;
        this.reservations = reservations;
        this.book = book;
    }

    public void confirm(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        if (!Ids.isValid(c.orderId()))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return;
        }
        final Reservation confirmed = reservationBook.get(c.reservationId());
        if (confirmed != null && confirmed.status == ReservationStatus.CONFIRMED &&
            c.orderId().equals(confirmed.orderId) &&
            (c.channel() == null || c.channel().equals(catalog.channels().id(confirmed.channel))))
        {
            final Order order = book.get(confirmed.channel, confirmed.orderId);
            if (order != null)
            {
                // Confirming again into the same order (a retry after a lost answer): the order, unchanged.
                out.accept(order.version);
                describe(order, out);
                out.markReplayed();
                out.markDuplicate();
                return;
            }
        }
        final Reservation r = reservations.findHeld(c, out, seq, now);
        if (r == null)
        {
            return;
        }
        if (book.get(r.channel, c.orderId()) != null)
        {
            out.reject(RejectReason.ORDER_EXISTS, -1, seq);
            return;
        }
        if (!quotesFit(c, r, out, seq, now))
        {
            return;
        }
        final boolean chosenOption = c.carrier() != null || c.service() != null;
        if (chosenOption && (!Ids.isValid(c.carrier()) || !Ids.isValid(c.service())))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return;
        }
        router.clearDemand(plan);
        for (int i = 0; i < r.holdCount; i++)
        {
            router.addDemand(plan, r.holdSku[i], r.holdQty[i]);
        }
        router.prepare(plan, catalog.channel(r.channel), c.destinationCountry(), c.destinationPostalCode(), now, false);
        router.restrictTo(plan, c.carrier(), c.service());
        for (int i = 0; i < r.holdCount; i++)
        {
            router.addHeld(plan, r.holdSku[i], r.holdLocation[i], r.holdQty[i]);
        }
        // The channel may have stopped drawing from a location where this reservation holds units since it was
        // made; those holds are given back, and if the channel's locations cannot ship the rest, nothing changes.
        if (!router.route(plan))
        {
            out.reject(RejectReason.OUT_OF_STOCK, -1, seq);
            ReservationCommands.describe(r, out);
            return;
        }
        // A buyer who chose a delivery option is shipped by it or not at all: never by another service.
        if (chosenOption && (c.destinationCountry() == null || !router.allPromised(plan)))
        {
            out.reject(RejectReason.DELIVERY_OPTION_UNAVAILABLE, -1, seq);
            ReservationCommands.describe(r, out);
            return;
        }
        if (!book.makeRoom(config.maxOrders()))
        {
            out.reject(RejectReason.ORDER_LIMIT, -1, seq);
            return;
        }

        final Order order = book.newOrder().init(c.orderId(), r.channel, r.id, c.fingerprint(), seq,
            c.destinationCountry(), c.destinationPostalCode());
        for (int i = 0; i < r.lineCount; i++)
        {
            final int quote = quoteFor(c, r.lineSku[i]);
            if (quote >= 0)
            {
                order.addLine(r.lineSku[i], r.lineQty[i], 0, c.quoteAmountMinor(quote), c.quoteCurrency(quote));
            }
            else
            {
                final Price price = prices.priceAt(r.lineSku[i], r.channel, now);
                order.addLine(r.lineSku[i], r.lineQty[i], 0, price.amountMinor(), price.currency());
            }
        }
        commitPlan(order, seq, events);
        book.add(order);
        reservations.confirmed(r, c.orderId());
        out.accept(seq);
        describe(order, out);
    }

    public void order(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final int ch = catalog.channels().indexOf(c.channel());
        if (ch < 0)
        {
            out.reject(RejectReason.UNKNOWN_CHANNEL, -1, seq);
            return;
        }
        if (!Ids.isValid(c.orderId()))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return;
        }
        if (!router.buildDemand(c, out, seq, plan))
        {
            return;
        }
        final Order existing = book.get(ch, c.orderId());
        if (existing != null)
        {
            if (existing.fingerprint == c.fingerprint())
            {
                // A channel redelivering an order it already sent: the first answer, and nothing changes.
                out.accept(existing.version);
                describe(existing, out);
                out.markReplayed();
                out.markDuplicate();
            }
            else
            {
                out.reject(RejectReason.ORDER_EXISTS, -1, seq);
            }
            return;
        }
        if (!book.makeRoom(config.maxOrders()))
        {
            out.reject(RejectReason.ORDER_LIMIT, -1, seq);
            return;
        }

        final ChannelDef def = catalog.channel(ch);
        final Order order = book.newOrder().init(c.orderId(), ch, 0, c.fingerprint(), seq,
            c.destinationCountry(), c.destinationPostalCode());
        poolCount = 0;
        router.clearDemand(plan);
        for (int i = 0; i < c.lineCount(); i++)
        {
            final int s = catalog.skus().indexOf(c.lineSku(i));
            final long qty = c.lineQuantity(i);
            final int[] parts = catalog.components(s);
            final long units;
            if (parts.length == 0)
            {
                units = Math.min(qty, poolLeft(s, ch));
                takeFromPool(s, units);
                router.addDemand(plan, s, units);
            }
            else
            {
                final long[] qtys = catalog.componentQtys(s);
                long possible = qty;
                for (int k = 0; k < parts.length; k++)
                {
                    possible = Math.min(possible, poolLeft(parts[k], ch) / qtys[k]);
                }
                units = possible;
                for (int k = 0; k < parts.length; k++)
                {
                    takeFromPool(parts[k], units * qtys[k]);
                    router.addDemand(plan, parts[k], units * qtys[k]);
                }
            }
            final Price price = prices.priceAt(s, ch, now);
            order.addLine(s, qty, qty - units, price.amountMinor(), price.currency());
            if (units < qty)
            {
                events.oversold(s, qty - units);
            }
        }
        router.prepare(plan, def, c.destinationCountry(), c.destinationPostalCode(), now, false);
        if (!router.route(plan))
        {
            throw new IllegalStateException("order: units taken from the channel's pool have no location");
        }
        commitPlan(order, seq, events);
        book.add(order);
        out.accept(seq);
        describe(order, out);
    }

    private long poolLeft(final int sku, final int channel)
    {
        for (int i = 0; i < poolCount; i++)
        {
            if (poolSku[i] == sku)
            {
                return poolLeft[i];
            }
        }
        if (poolCount == poolSku.length)
        {
            poolSku = Arrays.copyOf(poolSku, poolCount * 2);
            poolLeft = Arrays.copyOf(poolLeft, poolCount * 2);
        }
        poolSku[poolCount] = sku;
        poolLeft[poolCount] = publisher.rawPool(sku, channel);
        return poolLeft[poolCount++];
    }

    private void takeFromPool(final int sku, final long qty)
    {
        for (int i = 0; i < poolCount; i++)
        {
            if (poolSku[i] == sku)
            {
                poolLeft[i] -= qty;
                return;
            }
        }
    }

    /**
     * Applies the routing plan: holds come off reserved, assigned units go on committed, per location; then one
     * shipment per location used, with its promise.
     */
    private void commitPlan(final Order order, final long seq, final Events events)
    {
        final int locationCount = catalog.locations().count();
        final int demandCount = router.demandCount(plan);
        for (int d = 0; d < demandCount; d++)
        {
            final int s = router.demandSku(plan, d);
            for (int l = 0; l < locationCount; l++)
            {
                final long h = router.held(plan, d, l);
                final long a = router.assigned(plan, d, l);
                if (h != 0 || a != 0)
                {
                    ledger.change(s, l, 0, -h, a, seq, events);
                }
                if (a > 0)
                {
                    order.addAllocation(s, l, a);
                }
            }
        }
        for (int i = 0; i < plan.shipmentCount(); i++)
        {
            if (plan.shipmentPromised(i))
            {
                final DeliveryPromise p = plan.shipment(i);
                order.addShipment(plan.shipmentLocation(i), p.earliestMillis(), p.latestMillis(), p.orderByMillis(),
                    p.carrierId(), p.serviceId());
            }
            else
            {
                order.addShipment(plan.shipmentLocation(i), Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, null, null);
            }
        }
    }

    /**
     * Checks the quotes a confirmation cites: each names a SKU of the reservation, on its channel, at most once,
     * and is live at the command's time. Rejects the whole confirmation otherwise.
     */
    private boolean quotesFit(final Command c, final Reservation r, final Outcome out, final long seq, final long now)
    {
        for (int q = 0; q < c.quoteCount(); q++)
        {
            final int sku = catalog.skus().indexOf(c.quoteSku(q));
            boolean inReservation = false;
            for (int i = 0; i < r.lineCount && !inReservation; i++)
            {
                inReservation = r.lineSku[i] == sku;
            }
            boolean repeated = false;
            for (int p = 0; p < q && !repeated; p++)
            {
                repeated = c.quoteSku(p).equals(c.quoteSku(q));
            }
            if (sku < 0 || !inReservation || repeated || catalog.channels().indexOf(c.quoteChannel(q)) != r.channel ||
                !Price.isCurrencyCode(c.quoteCurrency(q)) || c.quoteAmountMinor(q) < 0 ||
                c.quoteAmountMinor(q) > Price.MAX_AMOUNT_MINOR)
            {
                out.reject(RejectReason.QUOTE_MISMATCH, q, seq);
                return false;
            }
            if (c.quoteExpiresAtMillis(q) <= now)
            {
                out.reject(RejectReason.QUOTE_EXPIRED, q, seq);
                return false;
            }
        }
        return true;
    }

    private int quoteFor(final Command c, final int sku)
    {
        for (int q = 0; q < c.quoteCount(); q++)
        {
            if (catalog.skus().indexOf(c.quoteSku(q)) == sku)
            {
                return q;
            }
        }
        return -1;
    }

    /** @return the order the command names, else null after rejecting. */
    public Order find(final Command c, final Outcome out, final long seq)
    {
        if (!Ids.isValid(c.orderId()))
        {
            out.reject(RejectReason.INVALID_ID, -1, seq);
            return null;
        }
        if (c.channel() != null)
        {
            final int ch = catalog.channels().indexOf(c.channel());
            final Order order = ch < 0 ? null : book.get(ch, c.orderId());
            if (order == null)
            {
                out.reject(RejectReason.ORDER_NOT_FOUND, -1, seq);
            }
            return order;
        }
        Order found = null;
        for (int ch = 0; ch < catalog.channels().count(); ch++)
        {
            final Order order = book.get(ch, c.orderId());
            if (order != null)
            {
                if (found != null)
                {
                    out.reject(RejectReason.ORDER_AMBIGUOUS, -1, seq);
                    return null;
                }
                found = order;
            }
        }
        if (found == null)
        {
            out.reject(RejectReason.ORDER_NOT_FOUND, -1, seq);
        }
        return found;
    }

    public void cancel(final Command c, final Outcome out, final Events events, final long seq)
    {
        final Order order = findOpen(c, out, seq);
        if (order == null)
        {
            return;
        }
        for (int i = 0; i < order.allocationCount; i++)
        {
            ledger.change(order.allocationSku[i], order.allocationLocation[i], 0, 0, -order.allocationQty[i], seq,
                events);
        }
        book.close(order, OrderStatus.CANCELLED);
        out.accept(seq);
        describe(order, out);
    }

    public void ship(final Command c, final Outcome out, final Events events, final long seq)
    {
        final Order order = findOpen(c, out, seq);
        if (order == null)
        {
            return;
        }
        for (int i = 0; i < order.allocationCount; i++)
        {
            final long qty = order.allocationQty[i];
            ledger.change(order.allocationSku[i], order.allocationLocation[i], -qty, 0, -qty, seq, events);
        }
        book.close(order, OrderStatus.SHIPPED);
        out.accept(seq);
        describe(order, out);
    }

    private Order findOpen(final Command c, final Outcome out, final long seq)
    {
        final Order order = find(c, out, seq);
        if (order != null && order.status != OrderStatus.CONFIRMED)
        {
            out.reject(RejectReason.ORDER_NOT_OPEN, -1, seq);
            describe(order, out);
            return null;
        }
        return order;
    }

    public static void describe(final Order order, final Outcome out)
    {
        out.order(order.orderId, order.status, order.channel, order.reservationId);
        for (int i = 0; i < order.lineCount; i++)
        {
            out.addLine(order.lineSku[i], order.lineQty[i], 0, order.lineBackordered[i]);
            out.priceLine(i, order.linePriceMinor[i], order.lineCurrency[i]);
        }
        for (int i = 0; i < order.shipmentCount; i++)
        {
            out.addShipment(order.shipmentLocation[i], order.shipmentPromise[i * 3],
                order.shipmentPromise[i * 3 + 1], order.shipmentPromise[i * 3 + 2], order.shipmentCarrier[i],
                order.shipmentService[i]);
        }
        for (int i = 0; i < order.allocationCount; i++)
        {
            out.addAllocation(order.allocationSku[i], order.allocationLocation[i], order.allocationQty[i]);
        }
    }
}
