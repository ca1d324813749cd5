package io.truestock.gateway.binary;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.truestock.engine.Engine;
import io.truestock.engine.price.Quotes;
import io.truestock.gateway.auth.KeyGuard;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.net.Transport;
import io.truestock.protocol.BinaryProtocol;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The binary TCP protocol's server (docs/binary-protocol.md): length-prefixed SBE frames, authenticated by a first
 * Hello with the same bearer tokens and scopes as HTTP; queries answered on the I/O threads from the engine's
 * published state, commands sent through the ring and answered from its output stage. Request frames are bounded
 * by {@link BinaryProtocol#MAX_REQUEST_FRAME_BYTES}, commands in the ring by {@link BinaryProtocol#MAX_IN_FLIGHT}
 * per connection, and a connection's unsent answers by its write buffer: past its high-water mark the server reads
 * no more from that connection until the client has read its answers.
 */
public final class BinaryServer implements AutoCloseable
{
    /** Unsent answers a connection may hold before the server stops reading its requests. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private final Channel channel;
    private final BinaryService service;
    private final Map<EventExecutor, IoScratch> scratches = new ConcurrentHashMap<>();

    /**
     * Binds and starts serving.
     *
     * @param publisher     where admitted commands go ({@code runtime::tryPublish}).
     * @param authenticator bearer token to principal, null for an unknown token ({@code keys::authenticate}).
     * @param port          0 picks a free port.
     */
    public BinaryServer(
        final Transport transport, final EventLoopGroup boss, final EventLoopGroup workers, final String host,
        final int port, final Engine engine, final CommandPublisher publisher,
        final Function<String, Principal> authenticator) throws InterruptedException
    {
        this(transport, boss, workers, host, port, engine, publisher, authenticator, SystemEpochClock.INSTANCE,
            new Quotes(java.security.SecureRandom.getSeed(Quotes.KEY_LENGTH)), 900_000L);
    }

    /**
     * @param clock          the gateway's clock, the one the runtime stamps commands with.
     * @param quotes         signs the quote each offer carries and verifies the ones confirmations cite, with the
     *                       key the HTTP API uses.
     * @param quoteTtlMillis how long a quote holds its price.
     */
    public BinaryServer(
        final Transport transport, final EventLoopGroup boss, final EventLoopGroup workers, final String host,
        final int port, final Engine engine, final CommandPublisher publisher,
        final Function<String, Principal> authenticator, final EpochClock clock, final Quotes quotes,
        final long quoteTtlMillis)
        throws InterruptedException
    {
        this(transport, boss, workers, host, port, engine, publisher, KeyGuard.of(authenticator), clock, quotes,
            quoteTtlMillis);
    }

    /**
     * @param keys           authenticates Hellos; a connection whose key is revoked is closed with an
     *                       {@code unauthorized} Error, one whose key has expired is refused at its next request, and
     *                       a request over its key's rate limit is answered with an {@code overloaded} Error whose
     *                       message starts {@code rate_limited} ({@code keys} is the server's {@code ApiKeys}).
     * @param clock          the gateway's clock, the one the runtime stamps commands with.
     * @param quotes         signs the quote each offer carries and verifies the ones confirmations cite, with the
     *                       key the HTTP API uses.
     * @param quoteTtlMillis how long a quote holds its price.
     */
    public BinaryServer(
        final Transport transport, final EventLoopGroup boss, final EventLoopGroup workers, final String host,
        final int port, final Engine engine, final CommandPublisher publisher, final KeyGuard keys,
        final EpochClock clock, final Quotes quotes, final long quoteTtlMillis)
        throws InterruptedException
    {
        service = new BinaryService(engine, publisher, keys,
            BinaryProtocol.MAX_REQUEST_FRAME_BYTES, BinaryProtocol.MAX_IN_FLIGHT, clock, quotes, quoteTtlMillis);
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    // One scratch per I/O thread (so at most ioThreads of them), shared by its connections.
                    final IoScratch scratch = scratches.computeIfAbsent(ch.eventLoop(), loop -> service.newScratch());
                    service.install(ch.pipeline(), scratch);
                }
            });
        channel = bootstrap.bind(host, port).sync().channel();
    }

    public int port()
    {
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }

    /** Failures that no designed path handled (each closed its connection): 0 unless there is a bug. */
    public long unexpectedErrors()
    {
        return service.unexpectedErrors();
    }

    /** Stops accepting; open connections close with the worker group. */
    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
    }
}
