package io.truestock.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reading the head of a streaming response off a raw socket (its body is read line by line after it). */
final class StreamHeads
{
    private StreamHeads()
    {
    }

    /** The response head: lower-cased header names, and the status under {@code :status}. */
    static Map<String, String> read(final InputStream in) throws IOException
    {
        final Map<String, String> head = new LinkedHashMap<>();
        final String status = ApiHarness.readLine(in);
        if (status == null)
        {
            throw new IOException("connection closed before a status line");
        }
        head.put(":status", status.split(" ", 3)[1]);
        String line;
        while ((line = ApiHarness.readLine(in)) != null && !line.isEmpty())
        {
            final int colon = line.indexOf(':');
            head.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return head;
    }
}
