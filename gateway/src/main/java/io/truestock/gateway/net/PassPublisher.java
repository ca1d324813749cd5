package io.truestock.gateway.net;

import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.OutcomeHandler;
import io.truestock.engine.runtime.Sequencer;

/**
 * Publishes commands so that the writer is woken once per pass of an event loop over its ready sockets, not once
 * per command: on an event loop, each command is published quietly ({@link Sequencer#tryPublishQuietly}) and the
 * loop's {@link LoopMailbox#wakeLater} wakes the writer after the pass; on any other thread, as {@link
 * Sequencer#tryPublish} does. The edges' one way into the ring.
 */
public final class PassPublisher
{
    private final Sequencer sequencer;
    private final Runnable wake;

    public PassPublisher(final Sequencer sequencer)
    {
        this.sequencer = sequencer;
        this.wake = sequencer::wakeConsumers;
    }

    /** As {@link Sequencer#tryPublish}: false when nothing was published, and then the handler is never called. */
    public boolean tryPublish(final CommandFiller filler, final OutcomeHandler handler)
    {
        final LoopMailbox loop = LoopMailbox.current();
        if (loop == null)
        {
            return sequencer.tryPublish(filler, handler);
        }
        final boolean published = sequencer.tryPublishQuietly(filler, handler);
        if (published)
        {
            loop.wakeLater(wake);
        }
        return published;
    }
}
