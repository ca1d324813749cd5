package io.truestock.engine;

import io.truestock.engine.catalog.Catalog;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSchedule;
import io.truestock.engine.publish.ChannelPublisher;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Applies an {@link CommandType#IMPORT_STOCK} command on the writer: every row is checked against the state first
 * and only then is anything changed, so the import is all rows or none. Imports are rare and bulky, so this path
 * allocates (maps of the rows); the per-command hot path does not come here.
 */
final class StockImport
{
    private final EngineConfig config;
    private final StockTable stock;
    private final Catalog catalog;
    private final PriceSchedule prices;
    private final ChannelPublisher publisher;
    private final StockLedger ledger;
    private final Command scratch = new Command(1);
    private final Outcome scratchOutcome = new Outcome();

    StockImport(
        final EngineConfig config, final StockTable stock, final Catalog catalog, final PriceSchedule prices,
        final ChannelPublisher publisher, final StockLedger ledger)
    {
        this.config = config;
        this.stock = stock;
        this.catalog = catalog;
        this.prices = prices;
        this.publisher = publisher;
        this.ledger = ledger;
    }

    void apply(final Command c, final Outcome out, final Events events, final long seq, final long now)
    {
        final StockImportSpec spec = c.stockImport();
        if (spec == null || !Price.isCurrencyCode(spec.currency()))
        {
            out.reject(RejectReason.INVALID_CONFIG, -1, seq);
            return;
        }
        final int rows = spec.rowCount();
        final Map<String, String> created = new HashMap<>();
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < rows; i++)
        {
            final RejectReason fault = check(spec, i, created, seen);
            if (fault != null)
            {
                out.reject(fault, i, seq);
                return;
            }
        }
        if (catalog.skus().count() + created.size() > config.maxSkus())
        {
            out.reject(RejectReason.SKU_LIMIT, -1, seq);
            return;
        }

        for (final Map.Entry<String, String> sku : created.entrySet())
        {
            scratch.clear().defineSku(sku.getKey(), SkuSpec.simple(sku.getValue(), 0, spec.currency()));
            if (catalog.defineSku(scratch, scratchOutcome.reset(), seq, now, prices, events) < 0)
            {
                throw new IllegalStateException("import could not define SKU " + sku.getKey() + " it had checked: " +
                    scratchOutcome.reason() + " (seq " + seq + ')');
            }
            publisher.republishSku(catalog.skus().indexOf(sku.getKey()), seq, events);
        }
        long changed = 0;
        for (int i = 0; i < rows; i++)
        {
            final int s = catalog.skus().indexOf(spec.sku(i));
            final int l = catalog.locations().indexOf(spec.location(i));
            final int o = stock.offset(s, l);
            if (stock.onHand(o) != spec.onHand(i))
            {
                ledger.write(s, l, o, spec.onHand(i), stock.reserved(o), stock.committed(o), stock.safety(o), seq,
                    events);
                changed++;
            }
        }
        out.accept(seq);
        out.stockValues(-1, -1, changed, 0, 0, 0);
    }

    /** @return why row {@code i} cannot be applied, or null; records the SKUs the import creates and rows seen. */
    private RejectReason check(
        final StockImportSpec spec, final int i, final Map<String, String> created, final Set<String> seen)
    {
        final String sku = spec.sku(i);
        final String location = spec.location(i);
        if (!Ids.isValid(sku) || !Ids.isValid(location))
        {
            return RejectReason.INVALID_ID;
        }
        final long onHand = spec.onHand(i);
        if (onHand < 0 || onHand > config.maxOnHand())
        {
            return RejectReason.INVALID_QUANTITY;
        }
        final int l = catalog.locations().indexOf(location);
        if (l < 0)
        {
            return RejectReason.UNKNOWN_LOCATION;
        }
        if (!seen.add(sku + '\n' + location))
        {
            return RejectReason.INVALID_LINES;
        }
        final int s = catalog.skus().indexOf(sku);
        if (s < 0)
        {
            final String title = spec.title(i);
            if (title == null || title.length() > Catalog.MAX_TEXT)
            {
                return title == null ? RejectReason.UNKNOWN_SKU : RejectReason.INVALID_CONFIG;
            }
            created.putIfAbsent(sku, title);
            return null;
        }
        if (catalog.components(s).length > 0)
        {
            return RejectReason.BUNDLE_HAS_NO_STOCK;
        }
        final int o = stock.offset(s, l);
        return onHand < stock.reserved(o) + stock.committed(o) ? RejectReason.BELOW_ALLOCATED : null;
    }
}
