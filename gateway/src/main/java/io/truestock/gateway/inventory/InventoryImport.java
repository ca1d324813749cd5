package io.truestock.gateway.inventory;

import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.engine.StockImportSpec;
import io.truestock.engine.StockView;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an inventory file against the engine's current state and plans its import: the rows to set, what each
 * changes (the dry run's diff), and every row at fault with its line. The engine checks the rows again when it
 * applies them, so a change between this plan and the import is refused rather than half applied.
 */
public final class InventoryImport
{
    /** Errors a plan lists; past this it counts them only, so a wholly wrong file gets a short answer. */
    public static final int MAX_LISTED_ERRORS = 100;
    /** Changes a dry run lists; past this it counts them only. */
    public static final int MAX_LISTED_CHANGES = 10_000;
    /** Base price currency of the SKUs an import creates (with a zero price until a price list is set). */
    public static final String CREATED_SKU_CURRENCY = "USD";

    /** One row at fault. */
    public record Error(int line, String message)
    {
    }

    /** What one row changes: on hand at a SKU and location from {@code from} (-1: the SKU is new) to {@code to}. */
    public record Change(int line, String sku, String location, long from, long to)
    {
    }

    /** The plan of one file. */
    public record Plan(
        int rows, List<Error> errors, int errorCount, List<Change> changes, int changeCount, StockImportSpec spec,
        int[] specLines)
    {
        public boolean ok()
        {
            return errorCount == 0;
        }

        public int unchanged()
        {
            return rows - changeCount;
        }
    }

    private final Engine engine;
    private final long maxOnHand;

    public InventoryImport(final Engine engine)
    {
        this.engine = engine;
        this.maxOnHand = engine.config().maxOnHand();
    }

    /**
     * Reads and checks a whole file.
     *
     * @param createSkus whether a row may name a SKU that does not exist (it is then created with the row's title).
     * @param maxRows    the most data rows the file may have.
     */
    public Plan plan(final InputStream in, final InventoryFormat format, final boolean createSkus, final int maxRows)
        throws IOException
    {
        final Planner planner = new Planner(format, createSkus);
        int rows;
        try
        {
            rows = InventoryCsv.read(in, format, maxRows, planner::row);
        }
        catch (final InventoryCsv.CsvFault fault)
        {
            planner.error(fault.line(), fault.getMessage());
            rows = planner.rows;
        }
        return planner.finish(rows);
    }

    private final class Planner
    {
        private final InventoryFormat format;
        private final boolean createSkus;
        private final Map<String, String> locationByName = new HashMap<>();
        private final Set<String> ambiguousNames = new HashSet<>();
        private final Map<String, Integer> seen = new HashMap<>();
        private final StockView view = new StockView();
        private final List<Error> errors = new ArrayList<>();
        private final List<Change> changes = new ArrayList<>();
        private final List<String> skus = new ArrayList<>();
        private final List<String> locations = new ArrayList<>();
        private final List<String> titles = new ArrayList<>();
        private final List<Integer> lines = new ArrayList<>();
        private long[] onHand = new long[64];
        private int errorCount;
        private int changeCount;
        private int rows;

        Planner(final InventoryFormat format, final boolean createSkus)
        {
            this.format = format;
            this.createSkus = createSkus;
            for (int l = 0; l < engine.locationCount(); l++)
            {
                final String name = engine.locationSpec(l).name();
                if (locationByName.putIfAbsent(name, engine.locationId(l)) != null)
                {
                    ambiguousNames.add(name);
                }
            }
        }

        void error(final int line, final String message)
        {
            if (errors.size() < MAX_LISTED_ERRORS)
            {
                errors.add(new Error(line, message));
            }
            errorCount++;
        }

        void row(final InventoryCsv.Row row)
        {
            rows++;
            final int line = row.line();
            final String sku = row.sku();
            if (sku.isEmpty())
            {
                error(line, "the SKU is empty; Truestock matches rows by SKU");
                return;
            }
            if (!Ids.isValid(sku))
            {
                error(line, "SKU '" + sku + "' is not a valid id ([A-Za-z0-9._:-]{1,64})");
                return;
            }
            final String location = location(row.location());
            if (location == null)
            {
                error(line, ambiguousNames.contains(row.location()) ?
                    "location name '" + row.location() + "' names several locations; use the location id" :
                    "unknown location '" + row.location() + "'");
                return;
            }
            final Integer first = seen.putIfAbsent(sku + '\n' + location, line);
            if (first != null)
            {
                error(line, "duplicate row: SKU '" + sku + "' at location '" + location + "' is also on line " + first);
                return;
            }
            final int s = engine.skuIndex(sku);
            if (s < 0 && !createSkus)
            {
                error(line, "unknown SKU '" + sku + "' (import with create_skus=true to create it)");
                return;
            }
            if (s >= 0 && engine.skuSpec(s).isBundle())
            {
                error(line, "SKU '" + sku + "' is a bundle: it holds no stock of its own");
                return;
            }
            if (row.onHand().isEmpty() && format == InventoryFormat.SHOPIFY)
            {
                return;
            }
            final long target = quantity(row.onHand(), line);
            if (target < 0)
            {
                return;
            }
            final long current;
            if (s >= 0)
            {
                engine.readStock(sku, location, view);
                current = view.onHand();
                if (target < view.reserved() + view.committed())
                {
                    error(line, "on hand " + target + " is below the " + (view.reserved() + view.committed()) +
                        " units reserved or committed at '" + location + "'");
                    return;
                }
            }
            else
            {
                current = -1;
            }
            // The title goes with every row of a create_skus import, whether the SKU exists now or not, so the
            // command is a function of the file alone and a re-import is an idempotent repeat.
            add(sku, location, target, createSkus ? titleOf(row) : null, line);
            if (current != target)
            {
                changeCount++;
                if (changes.size() < MAX_LISTED_CHANGES)
                {
                    changes.add(new Change(line, sku, location, current, target));
                }
            }
        }

        private String titleOf(final InventoryCsv.Row row)
        {
            return row.title().isEmpty() ? row.sku() : row.title();
        }

        /** @return the quantity, or -1 after reporting why the cell is not one. */
        private long quantity(final String cell, final int line)
        {
            if (format == InventoryFormat.SHOPIFY && cell.equalsIgnoreCase(InventoryFormat.NOT_STOCKED))
            {
                return 0;
            }
            final long value;
            try
            {
                value = Long.parseLong(cell);
            }
            catch (final NumberFormatException ex)
            {
                error(line, "on hand '" + cell + "' is not a whole number");
                return -1;
            }
            if (value < 0)
            {
                error(line, "on hand " + value + " is negative");
                return -1;
            }
            if (value > maxOnHand)
            {
                error(line, "on hand " + value + " is over the bound of " + maxOnHand);
                return -1;
            }
            return value;
        }

        /** A location id, or the id of the one location with that name; null when neither. */
        private String location(final String cell)
        {
            if (engine.locationIndex(cell) >= 0)
            {
                return cell;
            }
            return ambiguousNames.contains(cell) ? null : locationByName.get(cell);
        }

        private void add(final String sku, final String location, final long value, final String title, final int line)
        {
            if (skus.size() == onHand.length)
            {
                onHand = java.util.Arrays.copyOf(onHand, onHand.length * 2);
            }
            onHand[skus.size()] = value;
            skus.add(sku);
            locations.add(location);
            titles.add(title);
            lines.add(line);
        }

        Plan finish(final int rowCount)
        {
            final int n = skus.size();
            final StockImportSpec spec = errorCount > 0 ? null : new StockImportSpec(skus.toArray(new String[0]),
                locations.toArray(new String[0]), java.util.Arrays.copyOf(onHand, n), titles.toArray(new String[0]),
                CREATED_SKU_CURRENCY);
            final int[] specLines = lines.stream().mapToInt(Integer::intValue).toArray();
            return new Plan(rowCount, List.copyOf(errors), errorCount, List.copyOf(changes), changeCount, spec,
                specLines);
        }
    }
}
