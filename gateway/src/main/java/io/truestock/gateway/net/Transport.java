package io.truestock.gateway.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Native epoll when the platform has it, NIO otherwise.
 */
public final class Transport
{
    private final boolean epoll;

    public Transport(final boolean preferNative)
    {
        epoll = preferNative && Epoll.isAvailable();
    }

    public boolean isNative()
    {
        return epoll;
    }

    public String name()
    {
        return epoll ? "epoll" : "nio";
    }

    public EventLoopGroup group(final int threads, final String name)
    {
        final IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public Class<? extends ServerChannel> serverChannel()
    {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client socket channel that goes with {@link #group}'s event loops. */
    public Class<? extends SocketChannel> socketChannel()
    {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
