package io.truestock.client;

import io.truestock.protocol.BinaryProtocol;

/**
 * How a {@link TruestockClient} connects and what it bounds. Defaults suit one connection of a low-latency
 * caller; {@link #conclude()} validates once, at connect.
 */
public final class ClientConfig
{
    /** Longest response frame the client reads: a large order's outcome is far below it. */
    public static final int DEFAULT_MAX_RESPONSE_FRAME_BYTES = 16 * 1024 * 1024;

    private int maxInFlight = BinaryProtocol.MAX_IN_FLIGHT;
    private int maxResponseFrameBytes = DEFAULT_MAX_RESPONSE_FRAME_BYTES;
    private long connectTimeoutMillis = 10_000;
    private String clientName = "truestock-java-client";
    private ClientEventLoops eventLoops;

    public ClientConfig conclude()
    {
        if (maxInFlight < 1 || maxInFlight > 65_536)
        {
            throw new IllegalArgumentException("maxInFlight must be in [1, 65536]: " + maxInFlight);
        }
        if (maxResponseFrameBytes < BinaryProtocol.MIN_FRAME_BYTES || maxResponseFrameBytes > 1 << 30)
        {
            throw new IllegalArgumentException("maxResponseFrameBytes must be in [" + BinaryProtocol.MIN_FRAME_BYTES +
                ", 2^30]: " + maxResponseFrameBytes);
        }
        if (connectTimeoutMillis < 1)
        {
            throw new IllegalArgumentException("connectTimeoutMillis must be >= 1");
        }
        if (clientName == null || clientName.length() > 64)
        {
            throw new IllegalArgumentException("clientName must be set and at most 64 characters");
        }
        return this;
    }

    public int maxInFlight()
    {
        return maxInFlight;
    }

    /**
     * Requests (queries and commands) outstanding at once; past it a request fails at once with
     * {@code too_many_in_flight} instead of queueing.
     */
    public ClientConfig maxInFlight(final int value)
    {
        maxInFlight = value;
        return this;
    }

    public int maxResponseFrameBytes()
    {
        return maxResponseFrameBytes;
    }

    /** A longer response frame is a protocol error that closes the connection. */
    public ClientConfig maxResponseFrameBytes(final int value)
    {
        maxResponseFrameBytes = value;
        return this;
    }

    public long connectTimeoutMillis()
    {
        return connectTimeoutMillis;
    }

    /** Bounds the TCP connect and the Hello's answer, each. */
    public ClientConfig connectTimeoutMillis(final long value)
    {
        connectTimeoutMillis = value;
        return this;
    }

    public String clientName()
    {
        return clientName;
    }

    /** Sent in the Hello, for the server's logs. */
    public ClientConfig clientName(final String value)
    {
        clientName = value;
        return this;
    }

    public ClientEventLoops eventLoops()
    {
        return eventLoops;
    }

    /** Shared I/O threads; null (the default) gives the client one thread of its own, stopped by its close. */
    public ClientConfig eventLoops(final ClientEventLoops value)
    {
        eventLoops = value;
        return this;
    }
}
