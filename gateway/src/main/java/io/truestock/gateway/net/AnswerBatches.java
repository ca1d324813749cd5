package io.truestock.gateway.net;

import io.truestock.engine.Command;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;

/**
 * Wakes each event loop once per ring batch for all the answers the batch left in its {@link LoopMailbox}, at the
 * batch's end; the ring's output stage is the only thread that tells it of one.
 */
public enum AnswerBatches implements EngineListener
{
    INSTANCE;

    /** The output stage's thread, once its answers are held (a field, so the thread-local is set once). */
    private volatile Thread holding;

    /** Before the command is answered: from the first command on, the stage's answers wait for its batch's end. */
    @Override
    public void onApplied(final Command command, final Outcome outcome, final Events events)
    {
        final Thread current = Thread.currentThread();
        if (holding != current)
        {
            LoopMailbox.holdAnswersUntilEndOfBatch();
            holding = current;
        }
    }

    @Override
    public void onEndOfBatch()
    {
        LoopMailbox.endOfBatch();
    }
}
