package io.truestock.benchmarks.peers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One blocking connection speaking RESP2 (the Redis protocol): commands are arrays of bulk strings, replies are
 * simple strings, errors, integers, bulk strings and arrays. {@link #write} only buffers, so several commands can
 * be sent in one flush and their replies read in order afterwards (pipelining); {@link #call} is one round trip.
 * Not thread-safe: one owner at a time.
 */
final class RespConnection implements AutoCloseable
{
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final BufferedInputStream in;
    private final BufferedOutputStream out;

    /** An error reply ({@code -ERR ...}); the connection stays usable. */
    static final class RespError extends IOException
    {
        RespError(final String message)
        {
            super(message);
        }
    }

    RespConnection(final String host, final int port, final int timeoutMillis) throws IOException
    {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Buffers one command; nothing is sent until {@link #flush}. */
    void write(final String... args) throws IOException
    {
        out.write('*');
        writeDecimal(args.length);
        for (final String arg : args)
        {
            final byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            out.write('$');
            writeDecimal(bytes.length);
            out.write(bytes);
            out.write(CRLF);
        }
    }

    void flush() throws IOException
    {
        out.flush();
    }

    /** Sends one command and reads its reply. */
    Object call(final String... args) throws IOException
    {
        write(args);
        flush();
        return read();
    }

    /**
     * Reads one reply: a {@code String} (simple or bulk), a {@code Long}, a {@code List<Object>}, or null (a null
     * bulk string or array). An error reply is thrown as {@link RespError}.
     */
    Object read() throws IOException
    {
        final int type = in.read();
        if (type < 0)
        {
            throw new EOFException("connection closed by the server");
        }
        final String line = readLine();
        switch (type)
        {
            case '+':
                return line;
            case '-':
                throw new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$':
            {
                final int length = Integer.parseInt(line);
                if (length < 0)
                {
                    return null;
                }
                final byte[] bytes = in.readNBytes(length);
                if (bytes.length != length || in.read() != '\r' || in.read() != '\n')
                {
                    throw new EOFException("truncated bulk string");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*':
            {
                final int count = Integer.parseInt(line);
                if (count < 0)
                {
                    return null;
                }
                final List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++)
                {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: '" + (char)type + line + "'");
        }
    }

    private String readLine() throws IOException
    {
        final StringBuilder line = new StringBuilder(16);
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection closed inside a reply");
            }
            if (b == '\r')
            {
                if (in.read() != '\n')
                {
                    throw new IOException("malformed RESP line");
                }
                return line.toString();
            }
            line.append((char)b);
        }
    }

    private void writeDecimal(final int value) throws IOException
    {
        out.write(Integer.toString(value).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
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
