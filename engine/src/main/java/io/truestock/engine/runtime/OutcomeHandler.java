package io.truestock.engine.runtime;

import io.truestock.engine.Command;
import io.truestock.engine.Outcome;

/**
 * Receives the outcome of one submitted command, on the output stage thread. The command and outcome belong to
 * the ring slot and are reused after this returns: copy what you keep.
 */
@FunctionalInterface
public interface OutcomeHandler
{
    void onOutcome(Command command, Outcome outcome);
}
