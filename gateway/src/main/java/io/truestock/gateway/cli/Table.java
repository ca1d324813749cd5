package io.truestock.gateway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table with a header row and columns padded to their widest cell. */
final class Table
{
    private final List<String[]> rows = new ArrayList<>();
    private final int width;

    Table(final String... header)
    {
        width = header.length;
        rows.add(header);
    }

    Table row(final Object... cells)
    {
        final String[] text = new String[width];
        for (int i = 0; i < width; i++)
        {
            text[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "";
        }
        rows.add(text);
        return this;
    }

    int size()
    {
        return rows.size() - 1;
    }

    void print(final PrintWriter out)
    {
        final int[] widths = new int[width];
        for (final String[] row : rows)
        {
            for (int i = 0; i < width; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (final String[] row : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < width; i++)
            {
                line.append(row[i]);
                if (i < width - 1)
                {
                    final char[] pad = new char[widths[i] - row[i].length() + 2];
                    Arrays.fill(pad, ' ');
                    line.append(pad);
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
