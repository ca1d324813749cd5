package io.truestock.engine.reservation;

import io.truestock.engine.ChannelDef;
import io.truestock.engine.Command;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.ReservationStatus;
import io.truestock.engine.StockLedger;
import io.truestock.engine.StockTable;
import io.truestock.engine.catalog.Catalog;
import io.truestock.engine.publish.ChannelPublisher;
import io.truestock.engine.routing.RoutePlan;
import io.truestock.engine.routing.Router;

/**
 * reserve, extend, release and expiry: a reservation holds its units at concrete locations, taken in the
 * channel's draw order, all lines or none. Writer thread only.
 */
public final class ReservationCommands
{
    private final EngineConfig config;
    private final Catalog catalog;
    private final StockLedger ledger;
    private final ChannelPublisher publisher;
    private final Router router;
    private final RoutePlan plan;
    private final ReservationBook book;

    public ReservationCommands(
        final EngineConfig config, final Catalog catalog, final StockLedger ledger, final ChannelPublisher publisher,
        final Router router, final RoutePlan writerPlan, final ReservationBook book)
    {
        this.config = config;
        this.catalog = catalog;
        this.ledger = ledger;
        this.publisher = publisher;
        this.router = router;
        this.plan = writerPlan;
        this.book = book;
    }

    public void reserve(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final int ch = catalog.channels().indexOf(c.channel());
        if (ch < 0)
        {
            out.reject(RejectReason.UNKNOWN_CHANNEL, -1, seq);
            return;
        }
        if (c.ttlSeconds() < 1 || c.ttlSeconds() > config.maxTtlSeconds())
        {
            out.reject(RejectReason.INVALID_TTL, -1, seq);
            return;
        }
        if (!router.buildDemand(c, out, seq, plan))
        {
            return;
        }
        if (book.openCount() >= config.maxOpenReservations())
        {
            out.reject(RejectReason.RESERVATION_LIMIT, -1, seq);
            return;
        }
        final int demandCount = router.demandCount(plan);
        boolean isShort = false;
        for (int d = 0; d < demandCount && !isShort; d++)
        {
            isShort = publisher.rawPool(router.demandSku(plan, d), ch) < router.demandQty(plan, d);
        }
        if (isShort)
        {
            int firstShort = -1;
            for (int i = 0; i < c.lineCount(); i++)
            {
                final int s = catalog.skus().indexOf(c.lineSku(i));
                final long available = publisher.poolOf(s, ch);
                if (firstShort < 0 && available < c.lineQuantity(i))
                {
                    firstShort = i;
                }
                out.addLine(s, c.lineQuantity(i), available, 0);
            }
            out.reject(RejectReason.OUT_OF_STOCK, Math.max(firstShort, 0), seq);
            out.reservation(0, null, ch, 0);
            return;
        }

        final Reservation r = book.open(ch, now + c.ttlSeconds() * 1000L);
        for (int i = 0; i < c.lineCount(); i++)
        {
            r.addLine(catalog.skus().indexOf(c.lineSku(i)), c.lineQuantity(i));
        }
        final ChannelDef def = catalog.channel(ch);
        final StockTable stock = ledger.table();
        for (int d = 0; d < demandCount; d++)
        {
            long left = router.demandQty(plan, d);
            final int s = router.demandSku(plan, d);
            for (final int l : def.locations())
            {
                if (left == 0)
                {
                    break;
                }
                final long take = Math.min(left, Math.max(0, stock.available(stock.offset(s, l))));
                if (take > 0)
                {
                    ledger.change(s, l, 0, take, 0, seq, events);
                    r.addHold(s, l, take);
                    left -= take;
                }
            }
            if (left != 0)
            {
                throw new IllegalStateException("reserve: pool check passed but " + left + " units not held");
            }
        }
        book.hold(r);
        out.accept(seq);
        describe(r, out);
    }

    /**
     * @return the reservation the command names, on its channel if it names one, else null after rejecting. A
     * resolved one is the book's copy of its record, overwritten by the next lookup: read it within the command.
     */
    public Reservation find(final Command c, final Outcome out, final long seq)
    {
        final Reservation r = book.get(c.reservationId());
        if (r == null)
        {
            out.reject(RejectReason.RESERVATION_NOT_FOUND, -1, seq);
            return null;
        }
        if (c.channel() != null && !c.channel().equals(catalog.channels().id(r.channel)))
        {
            out.reject(RejectReason.CHANNEL_MISMATCH, -1, seq);
            return null;
        }
        return r;
    }

    /** @return the reservation if it is held and live, else null after rejecting. */
    public Reservation findHeld(final Command c, final Outcome out, final long seq, final long now)
    {
        final Reservation r = find(c, out, seq);
        if (r == null)
        {
            return null;
        }
        if (r.status == ReservationStatus.EXPIRED || (r.status == ReservationStatus.HELD && now >= r.expiresAtMillis))
        {
            out.reject(RejectReason.RESERVATION_EXPIRED, -1, seq);
            describe(r, out);
            return null;
        }
        if (r.status != ReservationStatus.HELD)
        {
            out.reject(RejectReason.RESERVATION_NOT_HELD, -1, seq);
            describe(r, out);
            return null;
        }
        return r;
    }

    public void extend(final Command c, final Outcome out, final long seq, final long now)
    {
        if (c.ttlSeconds() < 1 || c.ttlSeconds() > config.maxTtlSeconds())
        {
            out.reject(RejectReason.INVALID_TTL, -1, seq);
            return;
        }
        final Reservation r = findHeld(c, out, seq, now);
        if (r == null)
        {
            return;
        }
        book.extend(r, now + c.ttlSeconds() * 1000L);
        out.accept(seq);
        describe(r, out);
    }

    public void release(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final Reservation r = findHeld(c, out, seq, now);
        if (r == null)
        {
            return;
        }
        releaseHolds(r, seq, events);
        book.resolve(r, ReservationStatus.RELEASED);
        out.accept(seq);
        describe(r, out);
        // Only after describing it: resolving recycled the object (it keeps its fields until the next open), and
        // with no room to retain resolved reservations, trimming forgets this one.
        book.trimRetained(config.maxRetainedReservations());
    }

    /** Releases the holds of every reservation that has expired at the instant. */
    public void expire(final Events events, final long seq, final long now)
    {
        Reservation r;
        while ((r = book.expiredAt(now)) != null)
        {
            events.expired(r.id);
            releaseHolds(r, seq, events);
            book.resolve(r, ReservationStatus.EXPIRED);
        }
    }

    /** A confirmed reservation: resolved into its order, its holds already moved by the order's routing. */
    public void confirmed(final Reservation r, final String orderId)
    {
        r.orderId = orderId;
        book.resolve(r, ReservationStatus.CONFIRMED);
        book.trimRetained(config.maxRetainedReservations());
    }

    public void trimRetained()
    {
        book.trimRetained(config.maxRetainedReservations());
    }

    private void releaseHolds(final Reservation r, final long seq, final Events events)
    {
        for (int i = 0; i < r.holdCount; i++)
        {
            ledger.change(r.holdSku[i], r.holdLocation[i], 0, -r.holdQty[i], 0, seq, events);
        }
    }

    public static void describe(final Reservation r, final Outcome out)
    {
        out.reservation(r.id, r.status, r.channel, r.expiresAtMillis);
        if (r.orderId != null)
        {
            out.order(r.orderId, null, r.channel, r.id);
        }
        for (int i = 0; i < r.lineCount; i++)
        {
            out.addLine(r.lineSku[i], r.lineQty[i], 0, 0);
        }
        for (int i = 0; i < r.holdCount; i++)
        {
            out.addAllocation(r.holdSku[i], r.holdLocation[i], r.holdQty[i]);
        }
    }
}
