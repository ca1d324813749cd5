package io.truestock.engine.runtime;

import io.truestock.engine.Command;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;

/**
 * One pre-allocated ring entry: the command, its outcome and events, and who to answer.
 */
final class RingSlot
{
    final Command command;
    final Outcome outcome = new Outcome();
    final Events events = new Events();
    OutcomeHandler handler;
    /** Set by the ingress stage when the journal refused the command; the business stage then rejects it. */
    boolean refusedByJournal;

    RingSlot(final int lineCapacity)
    {
        command = new Command(lineCapacity);
    }
}
