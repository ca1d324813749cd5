package io.truestock.engine;

import io.truestock.engine.catalog.Catalog;
import io.truestock.engine.publish.ChannelPublisher;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The quantities per (SKU, location) and the one primitive that changes them: every change is checked against
 * the non-negativity invariants, recorded as an event with its before and after, and passed to the channel pools.
 * Writer thread only; readers read the {@link StockTable} under its seqlock.
 */
public final class StockLedger
{
    private final StockTable stock;
    private final Catalog catalog;
    private final ChannelPublisher publisher;

    public StockLedger(final StockTable stock, final Catalog catalog, final ChannelPublisher publisher)
    {
        this.stock = stock;
        this.catalog = catalog;
        this.publisher = publisher;
    }

    public StockTable table()
    {
        return stock;
    }

    /** Adds the deltas to a record. */
    public void change(
        final int sku, final int location, final long dOnHand, final long dReserved, final long dCommitted,
        final long seq, final Events events)
    {
        final int o = stock.offset(sku, location);
        write(sku, location, o, stock.onHand(o) + dOnHand, stock.reserved(o) + dReserved,
            stock.committed(o) + dCommitted, stock.safety(o), seq, events);
    }

    /**
     * Replaces a record.
     *
     * @throws IllegalStateException when a quantity would go negative: the writer must stop, not corrupt state.
     */
    public void write(
        final int sku, final int location, final int o,
        final long onHand, final long reserved, final long committed, final long safety,
        final long seq, final Events events)
    {
        if (onHand < 0 || reserved < 0 || committed < 0 || safety < 0)
        {
            throw new IllegalStateException("broken invariant at sku=" + catalog.skus().id(sku) + " location=" +
                catalog.locations().id(location) + ": on_hand=" + onHand + " reserved=" + reserved + " committed=" +
                committed + " safety=" + safety + " (seq " + seq + ')');
        }
        events.stockChanged(sku, location,
            stock.onHand(o), stock.reserved(o), stock.committed(o), stock.safety(o),
            onHand, reserved, committed, safety);
        final long availableBefore = Math.max(0, stock.available(o));
        final long availableAfter = Math.max(0, onHand - reserved - committed - safety);
        stock.write(o, onHand, reserved, committed, safety, seq);
        if (availableAfter != availableBefore)
        {
            publisher.availableChanged(sku, location, availableAfter - availableBefore);
        }
    }

    // ---- snapshot and digest ----

    /** The records of the SKUs and locations defined (see {@link StockTable#writeRows}). */
    public void write(final DataOutput out) throws IOException
    {
        stock.writeRows(out, catalog.skus().count(), catalog.locations().count());
    }

    /** Restore, after the catalog: the records {@link #write} wrote. */
    public void read(final DataInput in) throws IOException
    {
        stock.readRows(in, catalog.skus().count(), catalog.locations().count());
    }

    /** Every (SKU, location): on hand, reserved, committed, safety and the version of the last change. */
    public void digest(final StateDigest d)
    {
        final int skuCount = catalog.skus().count();
        final int locationCount = catalog.locations().count();
        d.section("stock").putInt(skuCount).putInt(locationCount);
        for (int s = 0; s < skuCount; s++)
        {
            for (int l = 0; l < locationCount; l++)
            {
                final int o = stock.offset(s, l);
                d.putLong(stock.onHand(o)).putLong(stock.reserved(o)).putLong(stock.committed(o))
                    .putLong(stock.safety(o)).putLong(stock.version(o));
            }
        }
    }
}
