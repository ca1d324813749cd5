package io.truestock.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.truestock.gateway.net.Transport;

import java.util.concurrent.TimeUnit;

/**
 * I/O threads that many clients can share (a load generator with hundreds of connections needs a few threads, not
 * one each). Clients given these loops do not stop them: {@link #close()} does, after the clients are closed.
 */
public final class ClientEventLoops implements AutoCloseable
{
    private final Transport transport;
    private final EventLoopGroup group;

    /** @param threads I/O threads, 1 to 64; native epoll where the platform has it. */
    public ClientEventLoops(final int threads)
    {
        if (threads < 1 || threads > 64)
        {
            throw new IllegalArgumentException("threads must be in [1, 64]: " + threads);
        }
        transport = new Transport(true);
        group = transport.group(threads, "truestock-client");
    }

    EventLoopGroup group()
    {
        return group;
    }

    Class<? extends SocketChannel> channelType()
    {
        return transport.socketChannel();
    }

    @Override
    public void close()
    {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
