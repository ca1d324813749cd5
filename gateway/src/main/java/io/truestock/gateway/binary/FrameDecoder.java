package io.truestock.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.truestock.protocol.BinaryProtocol;

import java.nio.ByteOrder;

/**
 * Cuts the byte stream into frames (correlation id and message, length prefix stripped), and holds back when
 * the connection says it can take no more: a frame is only cut while {@link Gate#acceptsFrame()} holds, so at
 * the bound the rest stays in the read buffer and reading from the socket stops; {@link #resume()} goes on.
 * <p>
 * A length prefix out of bounds is garbage: the decoder emits one {@link BadLength}, discards everything after it
 * and cuts no more frames, so the connection can answer and close. The prefix is checked before the base class
 * sees it, which therefore never throws for a bad length.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder
{
    /** What the decoder asks before it cuts each frame. */
    interface Gate
    {
        boolean acceptsFrame();
    }

    /** A length prefix that is no frame: shorter than a header, or longer than the bound. */
    record BadLength(int length, int maxFrameBytes)
    {
        boolean tooLarge()
        {
            return length > maxFrameBytes;
        }
    }

    private final int maxFrameBytes;
    private final Gate gate;
    private ChannelHandlerContext ctx;
    private boolean broken;
    private boolean holding;

    FrameDecoder(final int maxFrameBytes, final Gate gate)
    {
        super(ByteOrder.LITTLE_ENDIAN, BinaryProtocol.LENGTH_FIELD_BYTES + maxFrameBytes, 0,
            BinaryProtocol.LENGTH_FIELD_BYTES, 0, BinaryProtocol.LENGTH_FIELD_BYTES, true);
        if (maxFrameBytes < BinaryProtocol.MIN_FRAME_BYTES)
        {
            throw new IllegalArgumentException("maxFrameBytes must be >= " + BinaryProtocol.MIN_FRAME_BYTES);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.gate = gate;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext context) throws Exception
    {
        ctx = context;
        super.handlerAdded(context);
    }

    @Override
    protected Object decode(final ChannelHandlerContext context, final ByteBuf in) throws Exception
    {
        if (broken)
        {
            in.skipBytes(in.readableBytes());
            return null;
        }
        if (in.readableBytes() < BinaryProtocol.LENGTH_FIELD_BYTES)
        {
            return null;
        }
        final int length = in.getIntLE(in.readerIndex());
        if (length < BinaryProtocol.MIN_FRAME_BYTES || length > maxFrameBytes)
        {
            broken = true;
            in.skipBytes(in.readableBytes());
            return new BadLength(length, maxFrameBytes);
        }
        if (!gate.acceptsFrame())
        {
            if (!holding)
            {
                holding = true;
                context.channel().config().setAutoRead(false);
            }
            return null;
        }
        return super.decode(context, in);
    }

    /** True while frames wait for the gate. */
    boolean holding()
    {
        return holding;
    }

    /**
     * Reads from the socket again and cuts the frames already buffered, as far as the gate lets it. Call on the
     * channel's event loop, outside any read of this channel's pipeline.
     */
    void resume()
    {
        if (!holding || broken || ctx == null || ctx.isRemoved())
        {
            return;
        }
        holding = false;
        ctx.channel().config().setAutoRead(true);
        try
        {
            // An empty read runs the decode loop over what is buffered; nothing new is added to it.
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx);
        }
        catch (final Exception ex)
        {
            ctx.fireExceptionCaught(ex);
        }
    }
}
