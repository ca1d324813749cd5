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
}
