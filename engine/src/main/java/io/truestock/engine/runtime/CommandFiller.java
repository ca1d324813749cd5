package io.truestock.engine.runtime;

import io.truestock.engine.Command;

/**
 * Writes a request into a cleared ring slot's {@link Command}. Runs on the producer's thread.
 */
@FunctionalInterface
public interface CommandFiller
{
    void fill(Command command);
}
