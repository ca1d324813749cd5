package io.truestock.gateway.inventory;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes inventory CSV with Jackson's CSV module (RFC 4180 quoting; a quoted cell may span lines). Rows
 * are read one at a time from a stream, each with the line it starts on, so an error names the line a spreadsheet
 * shows.
 */
public final class InventoryCsv
{
    private static final CsvFactory FACTORY = new CsvFactory();

    private InventoryCsv()
    {
    }

    /** One data row as read: the line it starts on (the header is line 1) and its cells. */
    public record Row(int line, String sku, String location, String onHand, String title)
    {
    }

    /** Receives the rows of a file in order. */
    @FunctionalInterface
    public interface RowSink
    {
        void row(Row row);
    }

    /** A file that cannot be read as the format says: its header, a row's cell count, or its CSV syntax. */
    public static final class CsvFault extends Exception
    {
        private static final long serialVersionUID = 1L;
        private final int line;

        CsvFault(final int line, final String message)
        {
            super(message);
            this.line = line;
        }

        public int line()
        {
            return line;
        }
    }

    /**
     * Reads {@code in} as {@code format}: checks the header, then hands each data row to {@code sink}.
     *
     * @param maxRows the most data rows a file may have.
     * @return the number of data rows.
     * @throws CsvFault at the first structural fault (header, cell count, syntax, too many rows); rows before it
     *                  have been handed to the sink.
     */
    public static int read(final InputStream in, final InventoryFormat format, final int maxRows, final RowSink sink)
        throws CsvFault, IOException
    {
        try (CsvParser parser = FACTORY.createParser(in))
        {
            final List<String> cells = new ArrayList<>();
            int line = nextRow(parser, cells);
            if (line < 0)
            {
                throw new CsvFault(1, "the file is empty; its first line must be the header: " +
                    String.join(",", format.columns()));
            }
            final Map<String, Integer> header = header(cells, format, line);
            final int width = cells.size();
            int rows = 0;
            while ((line = nextRow(parser, cells)) >= 0)
            {
                if (cells.size() == 1 && cells.get(0).isBlank())
                {
                    continue;
                }
                if (cells.size() != width)
                {
                    throw new CsvFault(line, "the row has " + cells.size() + " cells; the header has " + width);
                }
                if (++rows > maxRows)
                {
                    throw new CsvFault(line, "the file has more than " + maxRows + " rows; split it");
                }
                sink.row(row(line, cells, header, format));
            }
            return rows;
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            final int line = ex.getLocation() == null ? 0 : ex.getLocation().getLineNr();
            throw new CsvFault(line, "not valid CSV: " + ex.getOriginalMessage());
        }
    }

    /** @return the line the next row starts on, with its cells in {@code cells}; -1 at the end of the file. */
    private static int nextRow(final CsvParser parser, final List<String> cells) throws IOException
    {
        cells.clear();
        final JsonToken start = parser.nextToken();
        if (start == null)
        {
            return -1;
        }
        // The row's first cell gives its line: the parser places the row's start token on the previous line.
        int line = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != null && token != JsonToken.END_ARRAY)
        {
            if (cells.isEmpty())
            {
                line = parser.currentTokenLocation().getLineNr();
            }
            cells.add(parser.getText());
        }
        return line;
    }

    private static Map<String, Integer> header(final List<String> cells, final InventoryFormat format, final int line)
        throws CsvFault
    {
        final Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < cells.size(); i++)
        {
            final String name = i == 0 ? stripBom(cells.get(i)).strip() : cells.get(i).strip();
            if (!format.columns().contains(name))
            {
                throw new CsvFault(line, "unknown column '" + name + "' in the header; a " + format.label() +
                    " file has the columns " + String.join(",", format.columns()));
            }
            if (columns.put(name, i) != null)
            {
                throw new CsvFault(line, "column '" + name + "' appears twice in the header");
            }
        }
        for (final String required : required(format))
        {
            if (!columns.containsKey(required))
            {
                throw new CsvFault(line, "the header lacks the column '" + required + "'; a " + format.label() +
                    " file has the columns " + String.join(",", format.columns()));
            }
        }
        return columns;
    }

    private static List<String> required(final InventoryFormat format)
    {
        return format == InventoryFormat.PLAIN ? format.columns() : List.of("SKU", "Location", "On hand (new)");
    }

    private static String stripBom(final String cell)
    {
        return cell.startsWith("\uFEFF") ? cell.substring(1) : cell;
    }

    private static Row row(
        final int line, final List<String> cells, final Map<String, Integer> header, final InventoryFormat format)
    {
        if (format == InventoryFormat.PLAIN)
        {
            final String sku = cells.get(header.get("sku")).strip();
            return new Row(line, sku, cells.get(header.get("location")).strip(),
                cells.get(header.get("on_hand")).strip(), sku);
        }
        return new Row(line, cells.get(header.get("SKU")).strip(), cells.get(header.get("Location")).strip(),
            cells.get(header.get("On hand (new)")).strip(), shopifyTitle(cells, header));
    }

    /** The variant's title as Shopify shows it: the product title, then its option values unless the default. */
    private static String shopifyTitle(final List<String> cells, final Map<String, Integer> header)
    {
        final StringBuilder title = new StringBuilder(cell(cells, header, "Title"));
        String separator = " - ";
        for (int option = 1; option <= 3; option++)
        {
            final String value = cell(cells, header, "Option" + option + " Value");
            if (!value.isEmpty() && !value.equals(InventoryFormat.DEFAULT_OPTION_VALUE))
            {
                title.append(separator).append(value);
                separator = " / ";
            }
        }
        return title.toString().strip();
    }

    private static String cell(final List<String> cells, final Map<String, Integer> header, final String column)
    {
        final Integer index = header.get(column);
        return index == null ? "" : cells.get(index).strip();
    }

    /** Writes rows of cells as CSV, quoting only where a cell needs it; the caller closes nothing twice. */
    public static final class Writer implements AutoCloseable
    {
        private final CsvGenerator generator;

        public Writer(final OutputStream out) throws IOException
        {
            generator = FACTORY.createGenerator(out);
        }

        public void row(final List<String> cells) throws IOException
        {
            generator.writeStartArray();
            for (final String cell : cells)
            {
                generator.writeString(cell);
            }
            generator.writeEndArray();
        }

        @Override
        public void close() throws IOException
        {
            generator.close();
        }
    }
}
