package io.truestock.journal.sim;

import io.truestock.engine.Command;
import io.truestock.engine.Outcome;

import java.util.List;

/** Canonical text of outcomes and lines: what the simulator compares and prints, the same for the same content. */
final class SimText
{
    private SimText()
    {
    }

    /** Every field of an outcome a client sees, except whether it was a replay. */
    static String outcome(final Outcome o)
    {
        final StringBuilder b = new StringBuilder(96);
        b.append(o.accepted() ? "accepted" : "rejected " + o.reason() + " line " + o.rejectedLine())
            .append(" v").append(o.version());
        if (o.reservationId() != 0)
        {
            b.append(" reservation ").append(o.reservationId()).append(' ').append(o.reservationStatus())
                .append(" until ").append(o.expiresAtMillis());
        }
        if (o.orderId() != null)
        {
            b.append(" order ").append(o.orderId()).append(' ').append(o.orderStatus());
        }
        if (o.sku() >= 0 || o.location() >= 0)
        {
            b.append(" stock ").append(o.sku()).append('@').append(o.location()).append(' ').append(o.onHand())
                .append('/').append(o.reserved()).append('/').append(o.committed()).append('/').append(o.safety());
        }
        for (int i = 0; i < o.lineCount(); i++)
        {
            b.append(" line ").append(o.lineSku(i)).append('x').append(o.lineQty(i)).append(" avail ")
                .append(o.lineAvailable(i)).append(" back ").append(o.lineBackordered(i));
        }
        return b.append(allocations(o)).toString();
    }

    /** The outcome's allocations (sku, location, qty), in order. */
    static String allocations(final Outcome o)
    {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < o.allocationCount(); i++)
        {
            b.append(" [").append(o.allocationSku(i)).append(',').append(o.allocationLocation(i)).append(',')
                .append(o.allocationQty(i)).append(']');
        }
        return b.toString();
    }

    /** (sku, location, qty) triples in the same form as {@link #allocations}. */
    static String triples(final List<long[]> triples)
    {
        final StringBuilder b = new StringBuilder();
        for (final long[] t : triples)
        {
            b.append(" [").append(t[0]).append(',').append(t[1]).append(',').append(t[2]).append(']');
        }
        return b.toString();
    }

    static String lines(final Command c)
    {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < c.lineCount(); i++)
        {
            b.append(c.lineSku(i)).append('x').append(c.lineQuantity(i)).append(';');
        }
        return b.toString();
    }

    static String hex(final byte[] bytes)
    {
        final StringBuilder b = new StringBuilder(bytes.length * 2);
        for (final byte x : bytes)
        {
            b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return b.toString();
    }
}
