package io.truestock.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.truestock.engine.Command;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.OutcomeHandler;
import io.truestock.protocol.BinaryProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;

/**
 * One command of a connection in the ring. The output stage encodes its outcome ({@link #onOutcome}) and hands
 * the frame to the connection's event loop ({@link #run}), which writes it and returns this object to the
 * connection for its next command: a connection reuses at most {@link BinaryProtocol#MAX_IN_FLIGHT} of them, so an
 * answer costs no allocation but its frame.
 */
final class PendingCommand implements OutcomeHandler, Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(PendingCommand.class);

    private final BinaryConnection connection;
    private final BinaryService service;
    long correlationId;
    /** The encoded answer, or null when it could not be encoded; handed over through the executor's queue. */
    ByteBuf response;

    PendingCommand(final BinaryConnection connection, final BinaryService service)
    {
        this.connection = connection;
        this.service = service;
    }

    /** On the output stage. */
    @Override
    public void onOutcome(final Command command, final Outcome outcome)
    {
        ByteBuf frame = null;
        try
        {
            frame = service.outcomes().encode(connection.allocator(), correlationId, command, outcome);
        }
        catch (final RuntimeException ex)
        {
            service.unexpectedError();
            LOG.warn("could not encode the outcome of {}: {}", command, ex.toString());
        }
        response = frame;
        try
        {
            connection.mailbox().post(this);
        }
        catch (final RejectedExecutionException ex)
        {
            // The event loop is gone, and the connection with it.
            if (frame != null)
            {
                frame.release();
            }
            response = null;
        }
    }

    /** On the connection's event loop. */
    @Override
    public void run()
    {
        connection.complete(this);
    }
}
