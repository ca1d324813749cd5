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

import java.nio.channels.spi.SelectorProvider;

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
        return group(threads, name, 0);
    }

    /**
     * Event loops whose threads poll their sockets for {@code spinMicros} after they last found work before they
     * block ({@link SpinThenBlock}; 0 blocks at once).
     */
    public EventLoopGroup group(final int threads, final String name, final int spinMicros)
    {
        final IoHandlerFactory factory = spinMicros == 0 ?
            (epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory()) :
            (epoll ? EpollIoHandler.newFactory(0, SpinThenBlock.factory(spinMicros)) :
                NioIoHandler.newFactory(SelectorProvider.provider(), SpinThenBlock.factory(spinMicros)));
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
