package io.truestock.engine.runtime;

import io.truestock.engine.Command;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;

/**
 * Observes every applied command on the output stage, in sequence order, before the caller is answered:
 * the place for audit records, stream fan-out and metrics. Must not block for long: it delays every caller.
 */
@FunctionalInterface
public interface EngineListener
{
    EngineListener NONE = (command, outcome, events) ->
    {
    };

    void onApplied(Command command, Outcome outcome, Events events);

    /**
     * The ring batch whose commands were just told (and their callers answered) has ended: the place to release
     * what the batch's answers held back, such as one wake-up per event loop for all of them. Called by the ring's
     * output stage only, on its thread, after the last command of every batch; never by recovery or a replica.
     */
    default void onEndOfBatch()
    {
    }
}
