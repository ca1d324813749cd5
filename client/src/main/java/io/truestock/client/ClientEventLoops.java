package io.truestock.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * I/O threads that many clients can share (a load generator with hundreds of connections needs a few threads, not
 * one each). Clients given these loops do not stop them: {@link #close()} does, after the clients are closed.
 */
public final class ClientEventLoops implements AutoCloseable
{
    private final boolean epoll;
    private final EventLoopGroup group;

    /** @param threads I/O threads, 1 to 64; native epoll where the platform has it. */
    public ClientEventLoops(final int threads)
    {
        if (threads < 1 || threads > 64)
        {
            throw new IllegalArgumentException("threads must be in [1, 64]: " + threads);
        }
        epoll = Epoll.isAvailable();
        final IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("truestock-client", true), factory);
    }

    EventLoopGroup group()
    {
        return group;
    }

    Class<? extends SocketChannel> channelType()
    {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public void close()
    {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
