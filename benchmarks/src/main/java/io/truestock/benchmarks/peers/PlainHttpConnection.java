package io.truestock.benchmarks.peers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One blocking, keep-alive HTTP/1.1 connection: write a request, read its answer, in the calling thread.
 * <p>
 * It exists for fairness, not to replace a real client: the Redis and PostgreSQL peers are driven by blocking
 * clients that do their I/O in the load thread, and java.net.http hands every exchange between threads, which on
 * a 2-core machine costs more than the server's own work for a read. Measured through this connection, each system
 * pays about the same client overhead. It understands what the Truestock edge answers (a status line, headers, a
 * {@code Content-Length} or chunked body) and nothing more. Not thread-safe: one owner at a time.
 */
public final class PlainHttpConnection implements AutoCloseable
{
    private final String hostHeader;
    private final Socket socket;
    private final BufferedInputStream in;
    private final BufferedOutputStream out;
    private boolean reusable = true;

    /** An answer: status code and body text. */
    public record Answer(int status, String body)
    {
    }

    public PlainHttpConnection(final String host, final int port, final int timeoutMillis) throws IOException
    {
        hostHeader = host + ":" + port;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /** Sends one request (a JSON body when {@code body} is not null) and reads the whole answer. */
    public Answer exchange(final String method, final String path, final String bearer, final String body)
        throws IOException
    {
        return exchange(method, path, bearer, body, "");
    }

    /**
     * As {@link #exchange(String, String, String, String)}, with {@code extraHeaders}: whole header lines, each
     * ending in CRLF (e.g. {@code "Accept: application/json\r\n"}), or empty.
     */
    public Answer exchange(
        final String method, final String path, final String bearer, final String body, final String extraHeaders)
        throws IOException
    {
        final byte[] payload = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        final StringBuilder head = new StringBuilder(256)
            .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
            .append("Host: ").append(hostHeader).append("\r\n")
            .append("Authorization: Bearer ").append(bearer).append("\r\n")
            .append(extraHeaders);
        if (payload != null)
        {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (payload != null)
        {
            out.write(payload);
        }
        out.flush();
        return readAnswer();
    }

    private Answer readAnswer() throws IOException
    {
        final String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12)
        {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        final int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean close = false;
        String line;
        while (!(line = readLine()).isEmpty())
        {
            final int colon = line.indexOf(':');
            if (colon < 0)
            {
                continue;
            }
            final String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            final String value = line.substring(colon + 1).strip();
            switch (name)
            {
                case "content-length" -> length = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default ->
                {
                }
            }
        }
        final byte[] body;
        if (chunked)
        {
            body = readChunked();
        }
        else if (length >= 0)
        {
            body = readExactly(length);
        }
        else
        {
            throw new IOException("an answer without Content-Length or chunked encoding cannot be framed");
        }
        // The server closes after such an answer; the pool must not hand this connection out again.
        reusable = !close;
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] readChunked() throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true)
        {
            final String sizeLine = readLine();
            final int semicolon = sizeLine.indexOf(';');
            final String hex = semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon);
            final int size = Integer.parseInt(hex.strip(), 16);
            if (size == 0)
            {
                while (!readLine().isEmpty())
                {
                    // Trailers carry nothing this client needs.
                }
                return body.toByteArray();
            }
            body.write(readExactly(size));
            readLine();
        }
    }

    private byte[] readExactly(final int length) throws IOException
    {
        final byte[] bytes = in.readNBytes(length);
        if (bytes.length != length)
        {
            throw new EOFException("connection closed inside a body");
        }
        return bytes;
    }

    private String readLine() throws IOException
    {
        final StringBuilder line = new StringBuilder(64);
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection closed inside an answer");
            }
            if (b == '\n')
            {
                final int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r')
                {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char)b);
        }
    }

    /** False once the server said it closes the connection after its answer. */
    public boolean reusable()
    {
        return reusable;
    }

    @Override
    public void close()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignored)
        {
            // Closing is best effort: the socket is gone either way.
        }
    }
}
